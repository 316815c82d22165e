package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// age is how long ago t was, in the one unit that matters: 40s, 5m, 3h, 2d.
func age(now time.Time, t *time.Time) string {
	if t == nil || t.IsZero() {
		return "–"
	}
	d := now.Sub(*t)
	switch {
	case d < 0:
		return "now"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// truncate cuts s (which may carry styles) to width cells, marking the cut
// with an ellipsis.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}

// fit truncates or pads s to exactly width cells, so that columns line up
// and a shorter frame never leaves the previous one's text behind.
func fit(s string, width int) string {
	s = truncate(s, width)
	if w := ansi.StringWidth(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// wrap breaks plain text into lines of at most width cells at spaces, and
// inside a word only when the word alone is wider than a line. (ansi.Wrap
// also breaks at hyphens, which splits AWS ids like subnet-0abc.)
func wrap(s string, width int) []string {
	if width < 8 {
		width = 8
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line, lineW := "", 0
		for _, word := range strings.Fields(para) {
			ww := ansi.StringWidth(word)
			if lineW > 0 && lineW+1+ww > width {
				out = append(out, line)
				line, lineW = "", 0
			}
			for ww > width { // a word longer than a line: cut it
				if lineW > 0 {
					out = append(out, line)
					line, lineW = "", 0
				}
				out = append(out, ansi.Cut(word, 0, width))
				word = ansi.Cut(word, width, ww)
				ww = ansi.StringWidth(word)
			}
			if lineW > 0 {
				line += " "
				lineW++
			}
			line += word
			lineW += ww
		}
		out = append(out, line)
	}
	return out
}

// lastSegment is the part of an ARN or path after the last slash: a task
// id, a service name, a task definition family:revision.
func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// shortTaskID keeps enough of a 32-character task id to tell tasks apart.
func shortTaskID(id string) string {
	id = lastSegment(id)
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// firstLine is s up to its first line break, with runs of spaces collapsed.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.Join(strings.Fields(s), " ")
}

// money formats a monthly cost; nil means unknown.
func money(v *float64) string {
	if v == nil {
		return ""
	}
	if *v == 0 {
		return "free"
	}
	return fmt.Sprintf("$%.2f/mo", *v)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// column is one column of a text table: a fixed width, or flexible (width 0)
// to take what the others leave.
type column struct {
	title string
	width int
}

// tableLines lays rows out under a header within width cells. The first
// flexible column takes the remaining width (at least 8 cells).
func tableLines(cols []column, rows [][]string, width int, header func(string) string) (head string, lines []string) {
	widths := columnWidths(cols, width)
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = fit(c.title, widths[i])
	}
	head = strings.TrimRight(strings.Join(cells, " "), " ")
	if header != nil {
		head = header(head)
	}
	for _, r := range rows {
		for i := range cols {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			cells[i] = fit(v, widths[i])
		}
		lines = append(lines, strings.TrimRight(strings.Join(cells, " "), " "))
	}
	return head, lines
}

func columnWidths(cols []column, width int) []int {
	widths := make([]int, len(cols))
	used, flex := len(cols)-1, -1
	for i, c := range cols {
		if c.width == 0 && flex < 0 {
			flex = i
			continue
		}
		widths[i] = c.width
		used += c.width
	}
	if flex >= 0 {
		widths[flex] = max(8, width-used)
	}
	return widths
}
