package tui

import (
	"fmt"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
)

func testCommon() *common {
	return &common{keys: DefaultKeyMap(), styles: NoColorStyles(), now: func() time.Time { return demoStart }}
}

func rowsOf(specs ...string) []row {
	var rows []row
	for _, s := range specs {
		if strings.HasPrefix(s, "*") {
			rows = append(rows, openRow(s[1:], target{kind: targetTask, id: s[1:]}))
		} else {
			rows = append(rows, textRow(s))
		}
	}
	return rows
}

// The cursor walks selectable rows, scrolls through text between them, and
// stays on the same row when the rows are rebuilt.
func TestRowPane(t *testing.T) {
	p := rowPane{cursor: -1}
	p.SetSize(20, 3)
	p.setRows(rowsOf("head", "*a", "text", "text", "text", "text", "*b", "tail"))
	if got := p.selected(); got == nil || got.id != "a" {
		t.Fatalf("first selectable row in view is not selected: %v", got)
	}
	p.move(1) // b is 4 rows below the view: scroll instead of jumping
	if got := p.selected(); got.id != "a" || p.offset != 1 {
		t.Fatalf("move: selected %s offset %d, want a and 1", got.id, p.offset)
	}
	p.move(1)
	if got := p.selected(); got.id != "b" {
		t.Fatalf("move: selected %s, want b once it is near", got.id)
	}
	p.setRows(rowsOf("new", "*b", "*a"))
	if got := p.selected(); got.id != "b" {
		t.Errorf("rebuild moved the cursor to %s", got.id)
	}
	p.setRows(rowsOf(strings.Repeat("x\n", 0)+"one", "two", "three", "four", "*far"))
	if p.offset != 0 {
		t.Errorf("a pane whose only row is below the fold scrolled to it (offset %d)", p.offset)
	}
	if lines := strings.Split(p.View(NoColorStyles()), "\n"); len(lines) != 3 {
		t.Errorf("view has %d lines, want 3", len(lines))
	}
}

// Words are never split at hyphens (AWS ids), only when longer than a line.
func TestWrap(t *testing.T) {
	got := wrap("route table rtb-d16f2cad840811966 of subnet-c7a08cd50388ef574 has no route", 30)
	for _, l := range got {
		if strings.HasSuffix(l, "-") {
			t.Errorf("line ends in a hyphen: %q", l)
		}
		if ansi.StringWidth(l) > 30 {
			t.Errorf("line too wide: %q", l)
		}
	}
	long := wrap(strings.Repeat("a", 25), 10)
	if len(long) != 3 || long[0] != strings.Repeat("a", 10) {
		t.Errorf("long word: %q", long)
	}
}

// New rows merge in as batches arrive; until the user moves, the cursor
// stays on the top row, and after, on the service the user chose.
func TestServicePickerMerge(t *testing.T) {
	c := testCommon()
	p := newServicePicker(c, "big")
	p.SetSize(100, 20)
	l := &load{}
	p.load = l
	batch := func(names ...string) serviceRowsMsg {
		var rows []backend.ServiceSummary
		for _, n := range names {
			rows = append(rows, backend.ServiceSummary{Name: n, ARN: "arn:" + n, Desired: 1, Running: 1, Unhealthy: strings.HasPrefix(n, "bad")})
		}
		return serviceRowsMsg{stream: &serviceStream{load: l}, rows: rows}
	}
	p.receive(batch("m", "n", "o"))
	if got := p.selectedKey(); got != "m" {
		t.Fatalf("first batch: cursor on %q", got)
	}
	p.receive(batch("bad-a", "a"))
	if got := p.selectedKey(); got != "bad-a" {
		t.Fatalf("before the user moved, the cursor should follow the top row (the unhealthy one): %q", got)
	}
	m := &Model{c: c}
	p.handleKey(m, keyPress("j"))
	p.handleKey(m, keyPress("j"))
	chosen := p.selectedKey()
	p.receive(batch("bad-b", "b", "c"))
	if got := p.selectedKey(); got != chosen {
		t.Errorf("a new batch moved the cursor from %q to %q", chosen, got)
	}
	if p.rows[0].Name != "bad-a" || p.rows[1].Name != "bad-b" {
		t.Errorf("unhealthy services do not sort first: %v, %v", p.rows[0].Name, p.rows[1].Name)
	}
	p.receive(serviceRowsMsg{stream: &serviceStream{load: &load{}}, rows: batch("stale").rows})
	for _, r := range p.rows {
		if r.Name == "stale" {
			t.Error("rows of a listing the user left were merged")
		}
	}
}

// Colour styles differ between light and dark backgrounds; the no-colour
// styles emit no colour at all.
func TestStyles(t *testing.T) {
	dark, light := DefaultStyles(true), DefaultStyles(false)
	if dark.Bad.Render("x") == light.Bad.Render("x") {
		t.Error("light and dark backgrounds get the same red")
	}
	nc := NoColorStyles()
	for _, s := range []string{nc.Bad.Render("x"), nc.Good.Render("x"), nc.Faint.Render("x"), nc.Selected.Render("x"), nc.Marked.Render("x"), nc.Match.Render("x")} {
		if colourSGR(s) {
			t.Errorf("no-colour style emits a colour: %q", s)
		}
	}
	if !strings.Contains(nc.Selected.Render("x"), "\x1b[7m") {
		t.Errorf("no-colour selection is not reverse video: %q", nc.Selected.Render("x"))
	}
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colourSGR reports whether s sets a foreground or background colour.
func colourSGR(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			n, _ := strconv.Atoi(p)
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				return true
			}
		}
	}
	return false
}

// The terminal's answer about its background restyles the UI; with
// --no-color it changes nothing.
func TestBackgroundColorRestyles(t *testing.T) {
	src := newDemoSource(t)
	m := New(src, Options{Now: src.clock.Now})
	before := m.c.styles.Bad.Render("x")
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.c.styles.Bad.Render("x") == before {
		t.Error("a light background did not restyle")
	}
	nc := New(src, Options{Now: src.clock.Now, NoColor: true})
	before = nc.c.styles.Bad.Render("x")
	nc.Update(tea.BackgroundColorMsg{Color: color.White})
	if nc.c.styles.Bad.Render("x") != before {
		t.Error("--no-color was restyled")
	}
}

func TestNoColorEnv(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	if !noColorEnv() {
		t.Error("NO_COLOR=1 not honoured")
	}
	t.Setenv("NO_COLOR", "")
	if noColorEnv() {
		t.Error("empty NO_COLOR honoured")
	}
}

// Every screen fits the terminal in colour too, on light and dark
// backgrounds (styles must not change widths).
func TestColourFramesFit(t *testing.T) {
	for _, sc := range screenCases {
		for _, dark := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/dark=%v", sc.name, dark), func(t *testing.T) {
				src := newDemoSource(t)
				opts := sc.options()
				opts.Now = src.clock.Now
				s := startColourSession(t, src, opts, 80, 24)
				s.tm.Send(tea.BackgroundColorMsg{Color: map[bool]color.Color{true: color.Black, false: color.White}[dark]})
				frame := s.settle()
				if !colourSGR(frame) {
					t.Fatal("the colour frame has no colour")
				}
				if len(sc.keys) > 0 {
					frame = s.press(sc.keys...)
				}
				checkFrameSize(t, frame, 80, 24)
			})
		}
	}
}
