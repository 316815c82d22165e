package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow/kb"
)

// logPageLimit is how many of a stream's latest lines the viewer reads
// first; following reads on from there.
const logPageLimit = 2000

// logViewer shows one log stream: the lines the
// diagnosis already read at once, then the stream's latest lines; / searches
// with n/N, F follows the stream as it grows. Lines the knowledge base
// recognises as failures are marked.
type logViewer struct {
	c             *common
	group, stream string

	view logView

	input     textinput.Model
	searching bool
	query     string

	load      *load
	loading   bool
	following bool
	token     string
	err       error

	width, height int
}

func newLogViewer(c *common, group, stream string, initial []facts.LogEvent) *logViewer {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "search"
	ti.SetVirtualCursor(true)
	lv := &logViewer{c: c, group: group, stream: stream, input: ti}
	lv.setEvents(initial)
	return lv
}

// start reads the stream's latest lines.
func (lv *logViewer) start(m *Model) tea.Cmd {
	lv.load = newLoad(m.ctx, m.opts.callTimeout())
	lv.loading = true
	return logsCmd(lv.load, m.src, lv.group, lv.stream, "", logPageLimit, false)
}

func (lv *logViewer) setEvents(events []facts.LogEvent) {
	lv.view.lines, lv.view.marked = lv.view.lines[:0], lv.view.marked[:0]
	lv.appendEvents(events)
}

// appendEvents adds lines at the end; a view at the bottom (or following)
// stays there, so new lines scroll into sight.
func (lv *logViewer) appendEvents(events []facts.LogEvent) {
	v := &lv.view
	atBottom := v.atBottom()
	for _, e := range events {
		ts := "        "
		if e.Time != nil {
			ts = e.Time.UTC().Format("15:04:05")
		}
		_, bad := kb.ClassifyLogLine(e.Message)
		for i, part := range strings.Split(strings.TrimRight(e.Message, "\n"), "\n") {
			if i > 0 {
				ts = "        "
			}
			v.lines = append(v.lines, ts+" "+strings.ReplaceAll(part, "\t", "    "))
			v.marked = append(v.marked, bad)
		}
	}
	if lv.query != "" {
		v.search(lv.query)
	}
	if atBottom || lv.following {
		v.bottom()
	}
}

func (lv *logViewer) receive(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case logPageMsg:
		if msg.load != lv.load {
			return nil, false
		}
		lv.loading = false
		if msg.err != nil {
			lv.err = msg.err
			return lv.nextFollow(), true
		}
		lv.err = nil
		if msg.page.NextToken != "" {
			lv.token = msg.page.NextToken
		}
		switch {
		case msg.follow:
			if len(msg.page.Events) > 0 {
				lv.appendEvents(msg.page.Events)
			}
		case len(msg.page.Events) > 0:
			lv.setEvents(msg.page.Events)
			lv.view.bottom()
		}
		return lv.nextFollow(), true
	case followTickMsg:
		if msg.viewer != lv {
			return nil, false
		}
		if !lv.following || lv.loading {
			return nil, true
		}
		lv.load = newLoad(m.ctx, m.opts.callTimeout())
		lv.loading = true
		return logsCmd(lv.load, m.src, lv.group, lv.stream, lv.token, logPageLimit, true), true
	}
	return nil, false
}

func (lv *logViewer) nextFollow() tea.Cmd {
	if !lv.following {
		return nil
	}
	return followTick(lv)
}

func (lv *logViewer) title() string { return "logs " + lastSegment(lv.stream) }

func (lv *logViewer) SetSize(width, height int) {
	lv.width, lv.height = width, height
	lv.view.SetSize(width, height-2)
	lv.input.SetWidth(max(10, width-4))
}

// rebuild has nothing to do: the view styles its lines as it draws them.
func (lv *logViewer) rebuild(*Model) {}

func (lv *logViewer) close() {
	lv.following = false
	lv.load.stop()
}

func (lv *logViewer) handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := lv.c.keys
	if lv.searching {
		switch k.String() {
		case "enter":
			lv.searching = false
			lv.input.Blur()
			lv.query = lv.input.Value()
			lv.view.search(lv.query)
			return true, nil
		case "esc":
			lv.searching = false
			lv.input.Blur()
			return true, nil
		}
		var cmd tea.Cmd
		lv.input, cmd = lv.input.Update(k)
		return true, cmd
	}
	v := &lv.view
	switch {
	case key.Matches(k, keys.Up):
		v.scroll(-1)
	case key.Matches(k, keys.Down):
		v.scroll(1)
	case key.Matches(k, keys.PageUp):
		v.scroll(-max(1, v.height-1))
	case key.Matches(k, keys.PageDown):
		v.scroll(max(1, v.height-1))
	case key.Matches(k, keys.Top):
		v.top()
	case key.Matches(k, keys.Bottom):
		v.bottom()
	case key.Matches(k, keys.Left):
		v.scrollX(-8)
	case key.Matches(k, keys.Right):
		v.scrollX(8)
	case key.Matches(k, keys.Filter):
		lv.searching = true
		lv.input.SetValue(lv.query)
		return true, lv.input.Focus()
	case key.Matches(k, keys.NextMatch):
		if len(v.matches) == 0 {
			return false, nil
		}
		v.next(1)
	case key.Matches(k, keys.PrevMatch):
		if len(v.matches) == 0 {
			return false, nil
		}
		v.next(-1)
	case key.Matches(k, keys.Follow):
		lv.following = !lv.following
		if !lv.following {
			return true, nil
		}
		v.bottom()
		if lv.loading {
			return true, nil
		}
		return true, tea.Batch(func() tea.Msg { return followTickMsg{viewer: lv} }, m.startSpinner())
	case key.Matches(k, keys.Back):
		if lv.query != "" {
			lv.query = ""
			v.search("")
			return true, nil
		}
		m.pop()
	default:
		return false, nil
	}
	return true, nil
}

func (lv *logViewer) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	lv.input, cmd = lv.input.Update(msg)
	return cmd
}

func (lv *logViewer) actions(m *Model) []action {
	keys := lv.c.keys
	if lv.searching {
		return []action{act(keys.Enter).as("search"), act(keys.Back).as("cancel")}
	}
	noMatch := len(lv.view.matches) == 0
	follow := "follow"
	if lv.following {
		follow = "stop following"
	}
	return []action{
		act(keys.Up).keys("↑↓").as("scroll"),
		act(keys.Filter).as("search"),
		act(keys.NextMatch).keys("n/N").as("match").unless(noMatch, "no matches: search with / first"),
		act(keys.Follow).as(follow),
		act(keys.Bottom).keys("g/G").as("top/end"),
		act(keys.Right).keys("←→").as("pan"),
		act(keys.Back),
		act(keys.PrevMatch).unless(noMatch, "no matches: search with / first").hide(),
	}
}

func (lv *logViewer) View(st Styles) string {
	info := plural(len(lv.view.lines), "line", "lines")
	if lv.following {
		info += " · " + st.Good.Render("● following")
	}
	if lv.loading {
		info = lv.c.spin + " " + info
	}
	head := fit(" "+st.Title.Render("Logs")+" "+info+"  "+st.Faint.Render(lv.group+" · "+lv.stream), lv.width)
	var bottom string
	switch {
	case lv.searching:
		bottom = " " + lv.input.View()
	case lv.err != nil:
		bottom = " " + st.Bad.Render("✗ "+firstLine(lv.err.Error()))
	case lv.query != "" && len(lv.view.matches) == 0:
		bottom = " " + st.Faint.Render(fmt.Sprintf("no match for %q", lv.query))
	case lv.query != "":
		bottom = " " + st.Faint.Render(fmt.Sprintf("%q: match %d of %d · n/N next/previous · esc clears", lv.query, lv.view.current+1, len(lv.view.matches)))
	case len(lv.view.lines) == 0 && !lv.loading:
		bottom = " " + st.Faint.Render("This stream has no lines.")
	default:
		bottom = " " + st.Faint.Render("▶ marks lines ecsdoctor recognises as a failure")
	}
	return head + "\n" + lv.view.View(st) + "\n" + fit(bottom, lv.width)
}
