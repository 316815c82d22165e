package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// pickItem is one row of a picker.
type pickItem struct {
	key    string   // what the row opens (cluster or service name)
	cells  []string // column values, possibly styled
	search string   // lower-case text the filter matches
	// line is cells laid out for lineWidth, cached because a thousand rows
	// are laid out again on every filter keystroke.
	line      string
	lineWidth int
}

// picker is the list both pickers share: a table of items, a cursor that
// stays on the same item while rows arrive or the filter changes, and a
// "/" filter (bubbles textinput).
type picker struct {
	c       *common
	kind    targetKind
	columns func(width int) []column
	items   []*pickItem
	shown   int // items passing the filter
	pane    rowPane
	filter  textinput.Model
	// filtering: the filter input has the keyboard.
	filtering bool
	// moved: the user moved the cursor. Until then it stays on the top row
	// (the first unhealthy service) while rows arrive; after, it stays on
	// the row the user chose.
	moved  bool
	width  int
	height int
}

func newPicker(c *common, kind targetKind, columns func(int) []column) picker {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "filter"
	ti.SetVirtualCursor(true)
	p := picker{c: c, kind: kind, columns: columns, filter: ti}
	p.pane.cursor = -1
	p.pane.focused = true
	return p
}

// Layout: a title line, the filter line, the column header, the rows.
const pickerChrome = 3

func (p *picker) SetSize(width, height int) {
	if width == p.width && height == p.height {
		return
	}
	p.width, p.height = width, height
	p.filter.SetWidth(max(10, width-4))
	p.pane.SetSize(width, max(1, height-pickerChrome))
	p.refilter()
}

func (p *picker) setItems(items []*pickItem) {
	p.items = items
	p.refilter()
}

// refilter shows the items matching the filter, keeping the cursor on the
// item it was on.
func (p *picker) refilter() {
	q := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	cols := p.columns(p.pane.textWidth())
	widths := columnWidths(cols, p.pane.textWidth())
	rows := make([]row, 0, len(p.items))
	for _, it := range p.items {
		if q != "" && !strings.Contains(it.search, q) {
			continue
		}
		if it.lineWidth != p.pane.textWidth() || it.line == "" {
			it.line, it.lineWidth = joinCells(it.cells, widths), p.pane.textWidth()
		}
		rows = append(rows, openRow(it.line, target{kind: p.kind, id: it.key}))
	}
	p.shown = len(rows)
	p.pane.setRows(rows)
	if !p.moved {
		p.pane.top()
	}
}

// joinCells lays out one table line.
func joinCells(cells []string, widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i > 0 {
			b.WriteByte(' ')
		}
		v := ""
		if i < len(cells) {
			v = cells[i]
		}
		b.WriteString(fit(v, w))
	}
	return strings.TrimRight(b.String(), " ")
}

// selectKey puts the cursor on item k, when it is shown, as if the user had
// moved there (so that rows arriving later do not move it).
func (p *picker) selectKey(k string) {
	for i, r := range p.pane.rows {
		if r.target != nil && r.target.id == k {
			p.pane.cursor = i
			p.pane.ensureVisible()
			p.moved = true
			return
		}
	}
}

func (p *picker) selectedKey() string {
	if t := p.pane.selected(); t != nil {
		return t.id
	}
	return ""
}

// handleKey moves, filters and opens; it reports whether the key was used.
func (p *picker) handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := p.c.keys
	if p.filtering {
		switch {
		case k.String() == "enter":
			p.filtering = false
			p.filter.Blur()
			return true, nil
		case k.String() == "esc":
			p.filtering = false
			p.filter.Blur()
			p.filter.SetValue("")
			p.refilter()
			return true, nil
		case k.String() == "up" || k.String() == "down":
			p.pane.move(map[string]int{"up": -1, "down": 1}[k.String()])
			p.moved = true
			return true, nil
		}
		var cmd tea.Cmd
		before := p.filter.Value()
		p.filter, cmd = p.filter.Update(k)
		if p.filter.Value() != before {
			p.refilter()
		}
		return true, cmd
	}
	switch {
	case key.Matches(k, keys.Up):
		p.pane.move(-1)
		p.moved = true
	case key.Matches(k, keys.Down):
		p.pane.move(1)
		p.moved = true
	case key.Matches(k, keys.PageUp):
		p.pane.page(-1)
		p.moved = true
	case key.Matches(k, keys.PageDown):
		p.pane.page(1)
		p.moved = true
	case key.Matches(k, keys.Top):
		p.pane.top()
		p.moved = true
	case key.Matches(k, keys.Bottom):
		p.pane.bottom()
		p.moved = true
	case key.Matches(k, keys.Filter):
		p.filtering = true
		return true, p.filter.Focus()
	case key.Matches(k, keys.Back) && p.filter.Value() != "":
		p.filter.SetValue("")
		p.refilter()
	case key.Matches(k, keys.Enter):
		if t := p.pane.selected(); t != nil {
			return true, m.open(*t)
		}
		return false, nil
	default:
		return false, nil
	}
	return true, nil
}

func (p *picker) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.filter, cmd = p.filter.Update(msg)
	return cmd
}

// view draws the title line, the filter line, the header and the rows.
func (p *picker) view(title, status string) string {
	st := p.c.styles
	filterLine := st.Faint.Render(" / to filter")
	switch {
	case p.filtering:
		filterLine = " " + p.filter.View()
	case p.filter.Value() != "":
		filterLine = " filter: " + st.Bold.Render(p.filter.Value()) + st.Faint.Render(" · esc clears")
	}
	head, _ := tableLines(p.columns(p.pane.textWidth()), nil, p.pane.textWidth(), nil)
	lines := []string{
		spread(" "+st.Title.Render(title), status+" ", p.width),
		fit(filterLine, p.width),
		fit("  "+st.Header.Render(head), p.width),
		p.pane.View(st),
	}
	return strings.Join(lines, "\n")
}

// baseActions are the keys both pickers offer; busy says why r cannot
// reload now ("" when it can).
func (p *picker) baseActions(canOpen bool, openReason, busy string) []action {
	keys := p.c.keys
	if p.filtering {
		return []action{
			act(keys.Enter).as("keep filter"),
			act(keys.Back).as("clear filter"),
			act(keys.Up).keys("↑↓").as("move"),
		}
	}
	return []action{
		act(keys.Up).keys("↑↓").as("move"),
		act(keys.Enter).unless(!canOpen, openReason),
		act(keys.Filter),
		act(keys.Refresh).unless(busy != "", busy),
	}
}

func itemSearch(parts ...string) string { return strings.ToLower(ansi.Strip(strings.Join(parts, " "))) }
