package tui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// Terminal sizes every screen is checked at.
var sizes = []struct {
	name string
	w, h int
}{
	{"120x35", 120, 35},
	{"80x24", 80, 24},
}

// session runs the UI in a real Bubble Tea program (teatest) and waits on
// the model's own state, seen from inside the program's goroutine after
// each Update, instead of sleeping or scraping the terminal stream.
type session struct {
	t   testing.TB
	src *demoSource
	tm  *teatest.TestModel
	m   *Model
	w   watcher
	// sent counts key presses sent, so waits include their handling.
	sent int
}

// watcher evaluates a condition after every Update and captures the frame
// at the moment it holds.
type watcher struct {
	mu   sync.Mutex
	cond func(*Model) bool
	done chan string
}

func (w *watcher) observe(m *Model) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cond != nil && w.cond(m) {
		w.done <- m.render()
		w.cond = nil
	}
}

// pokeMsg makes the program run Update once, so a condition that already
// holds is seen.
type pokeMsg struct{}

// startSession runs the UI without colour (goldens read as plain text).
// setup, if given, adjusts the model before the program starts.
func startSession(t testing.TB, src *demoSource, opts Options, w, h int, setup ...func(*Model)) *session {
	t.Helper()
	opts.NoColor = true
	return startColourSession(t, src, opts, w, h, setup...)
}

// startColourSession runs the UI with opts.NoColor as given.
func startColourSession(t testing.TB, src *demoSource, opts Options, w, h int, setup ...func(*Model)) *session {
	t.Helper()
	if opts.Now == nil {
		opts.Now = src.clock.Now
	}
	s := &session{t: t, src: src}
	s.m = New(src, opts)
	s.m.observe = s.w.observe
	for _, f := range setup {
		f(s.m)
	}
	s.tm = teatest.NewTestModel(t, s.m, teatest.WithInitialTermSize(w, h))
	t.Cleanup(func() {
		_ = s.tm.Quit()
		s.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	return s
}

// waitFor blocks until cond holds after an Update and returns the frame
// drawn at that moment.
func (s *session) waitFor(what string, cond func(*Model) bool) string {
	s.t.Helper()
	s.w.mu.Lock()
	s.w.cond, s.w.done = cond, make(chan string, 1)
	done := s.w.done
	s.w.mu.Unlock()
	s.tm.Send(pokeMsg{})
	select {
	case frame := <-done:
		return frame
	case <-time.After(10 * time.Second):
		s.t.Fatalf("timed out waiting for %s", what)
	}
	return ""
}

// settle waits until every key sent is handled and nothing is loading.
func (s *session) settle() string {
	s.t.Helper()
	n := s.sent
	return s.waitFor("the UI to settle", func(m *Model) bool { return m.keysHandled >= n && m.idle() })
}

// press sends keys one by one, each handled before the next.
func (s *session) press(keys ...string) string {
	s.t.Helper()
	var frame string
	for _, k := range keys {
		s.tm.Send(keyPress(k))
		s.sent++
		frame = s.settle()
	}
	return frame
}

// typeText types characters into whatever has the keyboard.
func (s *session) typeText(text string) string {
	s.t.Helper()
	keys := make([]string, 0, len(text))
	for _, r := range text {
		keys = append(keys, string(r))
	}
	return s.press(keys...)
}

// keyPress builds the key message the terminal would send.
func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// plainFrame is a frame as a person reads it: no escape sequences, no
// trailing blanks.
func plainFrame(frame string) string {
	lines := strings.Split(ansi.Strip(frame), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}
