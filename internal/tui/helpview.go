package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpView lists every key, grouped, generated from the key map.
type helpView struct {
	c             *common
	lines         []string
	offset        int
	width, height int
}

func newHelpView(c *common) *helpView { return &helpView{c: c} }

// helpColumnWidth fits three groups side by side at 80 columns.
const helpColumnWidth = 26

func (h *helpView) SetSize(width, height int) {
	h.width, h.height = width, height
	h.render()
}

func (h *helpView) render() {
	st := h.c.styles
	var blocks []string
	for _, g := range h.c.keys.groups() {
		lines := []string{st.Title.Render(g.Title)}
		for _, b := range g.Bindings {
			if !b.Enabled() {
				continue // switched off here (f in read-only mode)
			}
			lines = append(lines, st.Key.Render(fit(b.Help().Key, 9))+" "+st.KeyDesc.Render(b.Help().Desc))
		}
		blocks = append(blocks, lipgloss.NewStyle().Width(helpColumnWidth).Render(strings.Join(lines, "\n")))
	}
	perRow := max(1, (h.width-2)/helpColumnWidth)
	var rows []string
	for i := 0; i < len(blocks); i += perRow {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, blocks[i:min(i+perRow, len(blocks))]...), "")
	}
	intro := []string{st.Title.Render("Keys")}
	for _, l := range wrap("The footer shows the keys that work on each screen; a dimmed key says why it cannot act when you press it.", h.width-2) {
		intro = append(intro, st.Faint.Render(l))
	}
	intro = append(intro, "")
	h.lines = nil
	for _, l := range append(intro, strings.Split(strings.Join(rows, "\n"), "\n")...) {
		h.lines = append(h.lines, " "+l)
	}
	for len(h.lines) > 0 && strings.TrimSpace(h.lines[len(h.lines)-1]) == "" {
		h.lines = h.lines[:len(h.lines)-1]
	}
	h.offset = clamp(h.offset, 0, max(0, len(h.lines)-h.height))
}

func (h *helpView) handleKey(k tea.KeyPressMsg) {
	keys := h.c.keys
	switch {
	case key.Matches(k, keys.Down):
		h.offset = clamp(h.offset+1, 0, max(0, len(h.lines)-h.height))
	case key.Matches(k, keys.Up):
		h.offset = clamp(h.offset-1, 0, max(0, len(h.lines)-h.height))
	}
}

func (h *helpView) View() string {
	out := make([]string, 0, h.height)
	for i := h.offset; i < len(h.lines) && len(out) < h.height; i++ {
		out = append(out, fit(h.lines[i], h.width))
	}
	for len(out) < h.height {
		out = append(out, strings.Repeat(" ", h.width))
	}
	if more := len(h.lines) - h.offset - h.height; more > 0 && h.height > 0 {
		out[h.height-1] = fit(h.c.styles.Faint.Render(" ↓ "+plural(more, "more line", "more lines")+" (j/k scroll)"), h.width)
	}
	return strings.Join(out, "\n")
}
