package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// logView is the scrolling body of the log viewer. It draws only the lines
// in view, with search matches highlighted there, so a keypress costs the
// same on ten lines or ten thousand. (bubbles' viewport re-scans the whole
// content grapheme by grapheme whenever highlights change: about 65 ms for
// 10,000 lines, four frames.)
type logView struct {
	lines  []string // plain text, one display line each
	marked []bool   // lines the knowledge base recognises as failures

	matches []logMatch // in line order
	current int        // index into matches; -1 when none

	offset, xOffset int
	width, height   int
}

// logMatch is one search match: a byte range of one line.
type logMatch struct{ line, start, end int }

func (v *logView) SetSize(width, height int) {
	v.width, v.height = width, max(1, height)
	v.clampOffset()
}

func (v *logView) maxOffset() int { return max(0, len(v.lines)-v.height) }

func (v *logView) clampOffset() { v.offset = clamp(v.offset, 0, v.maxOffset()) }

func (v *logView) atBottom() bool { return v.offset >= v.maxOffset() }

func (v *logView) scroll(n int) {
	v.offset += n
	v.clampOffset()
}

func (v *logView) top()    { v.offset = 0 }
func (v *logView) bottom() { v.offset = v.maxOffset() }

func (v *logView) scrollX(n int) { v.xOffset = max(0, v.xOffset+n) }

// search finds every case-insensitive match of q and selects the first at
// or below the top of the view.
func (v *logView) search(q string) {
	v.matches, v.current = v.matches[:0], -1
	if q == "" {
		return
	}
	lq := strings.ToLower(q)
	for i, line := range v.lines {
		hay, needle := strings.ToLower(line), lq
		if len(hay) != len(line) {
			// Lower-casing changed the byte length (rare scripts): match
			// the original, so the offsets stay the line's own.
			hay, needle = line, q
		}
		for from := 0; ; {
			j := strings.Index(hay[from:], needle)
			if j < 0 {
				break
			}
			v.matches = append(v.matches, logMatch{line: i, start: from + j, end: from + j + len(needle)})
			from += j + len(needle)
		}
	}
	v.current = v.nearest()
	v.showCurrent()
}

func (v *logView) nearest() int {
	i := sort.Search(len(v.matches), func(i int) bool { return v.matches[i].line >= v.offset })
	if i == len(v.matches) {
		i = 0
	}
	if len(v.matches) == 0 {
		return -1
	}
	return i
}

// next moves the selected match by dir, wrapping around.
func (v *logView) next(dir int) {
	if len(v.matches) == 0 {
		return
	}
	v.current = (v.current + dir + len(v.matches)) % len(v.matches)
	v.showCurrent()
}

// showCurrent scrolls the selected match into view, a third from the top.
func (v *logView) showCurrent() {
	if v.current < 0 {
		return
	}
	m := v.matches[v.current]
	if m.line < v.offset || m.line >= v.offset+v.height {
		v.offset = m.line - v.height/3
		v.clampOffset()
	}
	textW := v.width - 2
	col := ansi.StringWidth(v.lines[m.line][:m.end])
	switch {
	case col > v.xOffset+textW:
		v.xOffset = col - textW/2
	case col-ansi.StringWidth(v.lines[m.line][m.start:m.end]) < v.xOffset:
		v.xOffset = 0
	}
}

// View draws the lines in view with their marks and highlights.
func (v *logView) View(st Styles) string {
	out := make([]string, 0, v.height)
	textW := max(1, v.width-2)
	mi := sort.Search(len(v.matches), func(i int) bool { return v.matches[i].line >= v.offset })
	for i := v.offset; i < min(len(v.lines), v.offset+v.height); i++ {
		line := v.lines[i]
		var b strings.Builder
		pos, matched := 0, false
		for ; mi < len(v.matches) && v.matches[mi].line == i; mi++ {
			m := v.matches[mi]
			b.WriteString(line[pos:m.start])
			style := st.Match
			if mi == v.current {
				style = st.MatchCur
			}
			b.WriteString(style.Render(line[m.start:m.end]))
			pos, matched = m.end, true
		}
		b.WriteString(line[pos:])
		text := b.String()
		if v.xOffset > 0 {
			text = ansi.Cut(text, v.xOffset, v.xOffset+textW+1)
		}
		gutter := "  "
		if v.marked[i] {
			gutter = st.Marked.Render("▶ ")
			if !matched {
				text = st.Marked.Render(text)
			}
		}
		out = append(out, gutter+fit(text, textW))
	}
	for len(out) < v.height {
		out = append(out, strings.Repeat(" ", v.width))
	}
	return strings.Join(out, "\n")
}
