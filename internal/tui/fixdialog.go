package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Messages the dialog shows until applying fixes exists.
const (
	msgApplyLater    = "applying fixes arrives in the next release; the CLI commands do the same (c copies them)"
	msgReadOnlyFixes = "read-only mode (--read-only): ecsdoctor will not change anything"
)

// fixDialog is the modal for one finding: each fix with its cost, risk,
// trade-off and the AWS CLI commands that make the same change; y applies,
// d dry-runs, c copies, n or esc cancels (gum confirm's keys).
type fixDialog struct {
	c        *common
	finding  workflow.Finding
	pane     rowPane
	status   string
	readOnly bool
	width    int
	height   int
}

func (m *Model) openFixDialog(f workflow.Finding) tea.Cmd {
	m.dialog = &fixDialog{c: m.c, finding: f, readOnly: m.opts.ReadOnly}
	m.dialog.pane.cursor, m.dialog.pane.focused = -1, true
	m.layout()
	return nil
}

// Dialog geometry: a box inset in the body, at most 110 cells wide.
func (fd *fixDialog) boxWidth() int   { return min(fd.width-2, 110) }
func (fd *fixDialog) innerWidth() int { return fd.boxWidth() - 4 } // border and padding

func (fd *fixDialog) SetSize(width, height int) {
	fd.width, fd.height = width, height
	fd.pane.SetSize(fd.innerWidth(), max(1, height-2-2))
	fd.rebuild()
}

func (fd *fixDialog) selectedFix() *workflow.Fix {
	t := fd.pane.selected()
	if t == nil {
		return nil
	}
	i, _ := strconv.Atoi(t.id)
	if i < 0 || i >= len(fd.finding.Fixes) {
		return nil
	}
	return &fd.finding.Fixes[i]
}

func (fd *fixDialog) rebuild() {
	st := fd.c.styles
	f := fd.finding
	w := fd.pane.textWidth()
	rows := []row{textRow(st.Severity(f.Severity).Render(severityMarks[f.Severity]+" "+f.Title) + st.Faint.Render("  ["+f.ID+"]"))}
	rows = append(rows, para(w, plain, f.Detail)...)
	if len(f.Resources) > 0 {
		rows = append(rows, textRow(st.Faint.Render("Resources: "+truncate(strings.Join(f.Resources, ", "), w-11))))
	}
	if len(f.Fixes) == 0 {
		rows = append(rows, textRow(""), textRow(st.Faint.Render("ecsdoctor has no automatic fix for this; the explanation says what to change.")))
		fd.pane.setRows(rows)
		return
	}
	rows = section(rows, st, "Fixes · monthly cost at "+workflow.PriceNote)
	for i, fx := range f.Fixes {
		rec := "  "
		if fx.Recommended {
			rec = "★ "
		}
		cost := "cost unknown"
		if fx.MonthlyCostUSD != nil {
			cost = fmt.Sprintf("$%.2f/month", *fx.MonthlyCostUSD)
		}
		rows = append(rows, openRow(st.Bold.Render(rec+fx.Title), target{kind: targetFix, id: strconv.Itoa(i)}))
		changes := "changes AWS"
		if !fx.Mutates {
			changes = "changes nothing"
		}
		meta := joinNonEmpty(" · ", fx.ID, cost, changes)
		if fx.Recommended {
			meta += " · recommended"
		}
		rows = append(rows, textRow("    "+st.Faint.Render(truncate(meta, w-4))))
		if fx.Risk != "" {
			rows = append(rows, indented(w, "    ", plain, "Risk: "+fx.Risk)...)
		}
		if fx.Tradeoff != "" {
			rows = append(rows, indented(w, "    ", plain, "Trade-off: "+fx.Tradeoff)...)
		}
		if fx.Redeploy {
			rows = append(rows, indented(w, "    ", st.Marked, "Takes effect for new tasks: start a new deployment after applying it.")...)
		}
		for _, cmd := range fx.CLI {
			for j, line := range wrap(cmd, w-6) {
				prefix := "    $ "
				if j > 0 {
					prefix = "      "
				}
				rows = append(rows, textRow(prefix+st.Accent.UnsetBold().Render(line)))
			}
		}
		rows = append(rows, textRow(""))
	}
	fd.pane.setRows(rows)
}

func (fd *fixDialog) handleKey(m *Model, k tea.KeyPressMsg) tea.Cmd {
	keys := fd.c.keys
	switch {
	case key.Matches(k, keys.Cancel):
		m.dialog = nil
	case key.Matches(k, keys.Quit):
		return m.quit()
	case key.Matches(k, keys.Up):
		fd.pane.move(-1)
	case key.Matches(k, keys.Down):
		fd.pane.move(1)
	case key.Matches(k, keys.PageUp):
		fd.pane.page(-1)
	case key.Matches(k, keys.PageDown):
		fd.pane.page(1)
	case key.Matches(k, keys.Apply), key.Matches(k, keys.DryRun):
		switch {
		case fd.readOnly:
			fd.status = msgReadOnlyFixes
		case fd.selectedFix() == nil:
			fd.status = "this finding has no fix to apply"
		default:
			fd.status = msgApplyLater
		}
	case key.Matches(k, keys.Copy):
		fx := fd.selectedFix()
		if fx == nil || len(fx.CLI) == 0 {
			fd.status = "this fix has no CLI commands to copy"
			return nil
		}
		fd.status = fmt.Sprintf("copied %s of %s to the clipboard (OSC 52)", plural(len(fx.CLI), "command", "commands"), fx.ID)
		return tea.SetClipboard(strings.Join(fx.CLI, "\n"))
	}
	return nil
}

func (fd *fixDialog) actions() []action {
	keys := fd.c.keys
	noFix := fd.selectedFix() == nil
	return []action{
		act(keys.Apply).unless(fd.readOnly, msgReadOnlyFixes).unless(noFix, "no fix to apply"),
		act(keys.DryRun).unless(fd.readOnly, msgReadOnlyFixes).unless(noFix, "no fix to apply"),
		act(keys.Copy).unless(noFix, "no fix to copy"),
		act(keys.Cancel),
		act(keys.Up).keys("↑↓").as("fix"),
	}
}

func (fd *fixDialog) View() string {
	st := fd.c.styles
	status := st.Faint.Render("↑↓ chooses the fix that y, d and c act on")
	if fd.status != "" {
		status = st.Flash.Render(fd.status)
	}
	if fd.readOnly && fd.status == "" {
		status = st.Flash.Render(msgReadOnlyFixes + "; c still copies the CLI")
	}
	body := fd.pane.View(st) + "\n" + fit(status, fd.innerWidth())
	box := st.DialogBox.Width(fd.boxWidth()).Render(st.Title.Render("Fix") + "\n" + body)
	return lipgloss.Place(fd.width, fd.height, lipgloss.Center, lipgloss.Top, box)
}
