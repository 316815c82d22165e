package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// targetKind says what a row opens.
type targetKind int

const (
	targetTask    targetKind = iota + 1 // a task: containers, reasons, log streams
	targetPath                          // a needed service's network path and endpoint
	targetPolicy                        // a policy document (or the trust policy)
	targetSG                            // a security group's rules
	targetLog                           // a log stream in the log viewer
	targetEvent                         // a service event in full, explained
	targetService                       // a service in the picker
	targetCluster                       // a cluster in the picker
	targetFinding                       // a finding in the findings strip (id: its index)
	targetFix                           // a fix in the fix dialog (id: its index)
	targetChoice                        // a profile or region in the switcher
)

// target is what enter on a row opens.
type target struct {
	kind targetKind
	id   string // task ARN, service short name, policy ARN or inline:NAME, sg id, log group
	sub  string // subnet of a path, log stream name, event text
}

// row is one display line of a pane. Rows with a target can be selected
// and opened; the others are text the cursor skips.
type row struct {
	text   string
	target *target
}

func textRow(s string) row { return row{text: s} }

func openRow(s string, t target) row { return row{text: s, target: &t} }

// rowPane is a scrolling list of rows with a cursor on the selectable ones:
// the evidence pane, the drill-downs and the pickers all use it, so that
// they move, scroll and open rows the same way.
type rowPane struct {
	rows    []row
	cursor  int // index into rows; -1 when no row is selectable
	offset  int // first visible row
	width   int
	height  int
	focused bool
}

func (p *rowPane) SetSize(width, height int) {
	p.width, p.height = max(width, 0), max(height, 0)
	p.ensureVisible()
}

// setRows replaces the rows. The cursor stays on the row that opens the
// same thing, when it is still there, so a refresh does not move it.
func (p *rowPane) setRows(rows []row) {
	var keep *target
	if t := p.selected(); t != nil {
		keep = t
	}
	p.rows = rows
	p.cursor = -1
	if keep != nil {
		for i, r := range rows {
			if r.target != nil && *r.target == *keep {
				p.cursor = i
				break
			}
		}
	}
	if p.cursor < 0 {
		if p.offset >= len(rows) {
			p.offset = 0
		}
		p.cursor = p.firstInView()
	}
	p.ensureVisible()
}

// firstInView is the first selectable row on screen, or -1: opening a pane
// must not scroll its first lines away to reach a row far below.
func (p *rowPane) firstInView() int {
	c := p.nextSelectable(p.offset-1, 1)
	if c >= p.offset+max(p.height, 1) {
		return -1
	}
	return c
}

// reset puts the cursor on the first selectable row and scrolls to the top.
func (p *rowPane) reset() {
	p.offset = 0
	p.cursor = p.firstInView()
	p.ensureVisible()
}

func (p *rowPane) selected() *target {
	if p.cursor < 0 || p.cursor >= len(p.rows) {
		return nil
	}
	return p.rows[p.cursor].target
}

func (p *rowPane) nextSelectable(from, dir int) int {
	for i := from + dir; i >= 0 && i < len(p.rows); i += dir {
		if p.rows[i].target != nil {
			return i
		}
	}
	return -1
}

// move goes to the next selectable row in dir when it is in view (or a
// few lines off); otherwise it scrolls a line, so the text between
// selectable rows is read on the way rather than jumped over.
func (p *rowPane) move(dir int) {
	from := p.cursor
	if from < p.offset || from >= p.offset+p.height { // no cursor, or scrolled out of view
		from = p.offset - 1
		if dir < 0 {
			from = p.offset + p.height
		}
	}
	const reach = 3
	if next := p.nextSelectable(from, dir); next >= 0 && next >= p.offset-reach && next < p.offset+p.height+reach {
		p.cursor = next
		p.ensureVisible()
		return
	}
	p.scroll(dir)
}

func (p *rowPane) scroll(n int) {
	p.offset = clamp(p.offset+n, 0, max(0, len(p.rows)-p.height))
}

// page moves a screenful, taking the cursor along to a row in view.
func (p *rowPane) page(dir int) {
	p.scroll(dir * max(1, p.height-1))
	if p.cursor < 0 || (p.cursor >= p.offset && p.cursor < p.offset+p.height) {
		return
	}
	c := p.nextSelectable(p.offset-1, 1) // paging down: the first row in view
	if dir < 0 {
		c = p.nextSelectable(min(len(p.rows), p.offset+p.height), -1) // up: the last
	}
	if c >= 0 {
		p.cursor = c
	}
	p.ensureVisible()
}

func (p *rowPane) top() {
	p.offset = 0
	p.cursor = p.firstInView()
	p.ensureVisible()
}

func (p *rowPane) bottom() {
	p.offset = max(0, len(p.rows)-p.height)
	if c := p.nextSelectable(len(p.rows), -1); c >= 0 {
		p.cursor = c
	}
	p.ensureVisible()
}

func (p *rowPane) ensureVisible() {
	if p.cursor < 0 || p.height <= 0 {
		p.offset = clamp(p.offset, 0, max(0, len(p.rows)-p.height))
		return
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+p.height {
		p.offset = p.cursor - p.height + 1
	}
	p.offset = clamp(p.offset, 0, max(0, len(p.rows)-p.height))
}

// View renders exactly height lines of exactly width cells. The cursor row
// carries a "›" gutter as well as the selection style, so the selection is
// visible without colour too.
func (p *rowPane) View(st Styles) string {
	if p.height <= 0 || p.width <= 0 {
		return ""
	}
	lines := make([]string, 0, p.height)
	end := min(len(p.rows), p.offset+p.height)
	for i := p.offset; i < end; i++ {
		text := p.rows[i].text
		if i == p.cursor {
			line := fit("› "+ansi.Strip(text), p.width)
			if p.focused {
				line = st.Selected.Render(line)
			} else {
				line = st.Inactive.Render(line)
			}
			lines = append(lines, line)
			continue
		}
		lines = append(lines, fit("  "+text, p.width))
	}
	for len(lines) < p.height {
		lines = append(lines, strings.Repeat(" ", p.width))
	}
	if more := len(p.rows) - end; more > 0 && p.height > 2 && p.cursor != end-1 {
		lines[p.height-1] = st.Faint.Render(fit("  ↓ "+plural(more, "more line", "more lines"), p.width))
	}
	return strings.Join(lines, "\n")
}

// textWidth is the room a row's text has after the cursor gutter.
func (p *rowPane) textWidth() int { return max(1, p.width-2) }

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}
