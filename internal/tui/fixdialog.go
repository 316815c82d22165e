package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Messages the dialog shows.
const msgReadOnlyFixes = "read-only mode (--read-only): ecsdoctor will not change anything"

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
	// busy is set while a fix is being applied or dry-run.
	busy bool
	// result is what the last apply or dry run did; redeploy is the new
	// deployment it offers (y applies it) when the change reaches only new
	// tasks.
	result   *backend.FixResult
	redeploy *workflow.Fix
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
	fd.fitPane()
	fd.rebuild()
}

// maxStatusLines bounds the status under the pane: AWS's refusals are
// sentences a user acts on, so they wrap rather than lose their end.
const maxStatusLines = 3

// statusLines is the status wrapped to the dialog's width.
func (fd *fixDialog) statusLines() []string {
	if fd.status == "" {
		return []string{""}
	}
	lines := wrap(fd.status, fd.innerWidth())
	if len(lines) > maxStatusLines {
		lines = lines[:maxStatusLines]
		lines[maxStatusLines-1] = truncate(lines[maxStatusLines-1]+" …", fd.innerWidth())
	}
	return lines
}

// fitPane gives the pane what the box has left after its title, border
// and status lines.
func (fd *fixDialog) fitPane() {
	fd.pane.SetSize(fd.innerWidth(), max(1, fd.height-2-1-len(fd.statusLines())))
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
	var rows []row
	rows = append(rows, fd.resultRows(w)...)
	heading := st.Severity(f.Severity).Render(severityMarks[f.Severity] + " " + f.Title)
	if r := fd.result; r != nil && r.Resolved && !r.DryRun {
		heading = st.Good.Render("✓ resolved: " + f.Title)
	}
	rows = append(rows, textRow(heading+st.Faint.Render("  ["+f.ID+"]")))
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
		dryRun := key.Matches(k, keys.DryRun)
		fx := fd.selectedFix()
		if fd.redeploy != nil && !dryRun {
			fx = fd.redeploy
		}
		switch {
		case fd.readOnly:
			fd.status = msgReadOnlyFixes
		case fd.busy:
			fd.status = "still working on the previous change"
		case fx == nil || fx.Plan == nil:
			fd.status = "this finding has no fix to apply"
		default:
			return m.applyFix(fd, *fx, dryRun)
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

// applyFix applies (or dry-runs) fx. This keypress, in the dialog that
// shows exactly what fx changes, is the user's confirmation: the approval
// the AWS layer requires is created here, for fx's operations only.
func (m *Model) applyFix(fd *fixDialog, fx workflow.Fix, dryRun bool) tea.Cmd {
	if m.wf == nil || m.wf.d == nil {
		fd.status = "wait for the diagnosis to finish"
		return nil
	}
	fd.busy = true
	verb := "applying"
	ctx := awsx.WithApproval(m.ctx, fx.ID, fx.Plan.Operations()...)
	if dryRun {
		verb = "dry run of"
		ctx = awsx.WithDryRunApproval(m.ctx, fx.ID, fx.Plan.Operations()...)
	}
	fd.status = verb + " " + fx.ID + "…"
	src, target, d, timeout := m.src, m.wf.target, m.wf.d, 4*m.opts.callTimeout()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		res, err := src.Apply(ctx, target, d, &fx, dryRun)
		return fixResultMsg{dialog: fd, target: target, fix: fx, res: res, err: err, dryRun: dryRun}
	}
}

// receiveFixResult shows what the change did, and the diagnosis run again
// after it, in place.
func (m *Model) receiveFixResult(msg fixResultMsg) tea.Cmd {
	fd := msg.dialog
	fd.busy = false
	switch {
	case msg.err != nil:
		fd.status = "not applied: " + firstLine(msg.err.Error())
		return nil
	case msg.res.Err != nil:
		fd.status = "AWS refused: " + firstLine(msg.res.Err.Error())
	case msg.dryRun:
		fd.status = "dry run done: nothing was changed"
	case msg.res.InPlace():
		fd.status = msg.fix.ID + " was already in place: nothing changed"
	case msg.res.Resolved:
		fd.status = "applied " + msg.fix.ID + ": checked again, " + fd.finding.ID + " is gone"
	default:
		fd.status = "applied " + msg.fix.ID + ": checked again, " + fd.finding.ID + " is still reported"
	}
	fd.result = msg.res
	fd.redeploy = nil
	if msg.res.Redeploy != nil && msg.fix.Kind != "force-new-deployment" {
		fd.redeploy = msg.res.Redeploy
		fd.status += "; press y to start a new deployment"
	}
	fd.rebuild()
	fd.pane.offset = 0 // the result is at the top of the dialog
	// The user may have closed the dialog or moved to another service (or
	// account) while the change was made: the new diagnosis belongs only to
	// the service the fix was applied to.
	if msg.res.After != nil && m.wf != nil && m.wf.target == msg.target {
		m.wf.apply(msg.res.After, true)
		m.wf.refreshedAt = m.opts.now()
		m.rebuildLayers()
	}
	return nil
}

// resultRows show the calls the last apply or dry run made.
func (fd *fixDialog) resultRows(w int) []row {
	r := fd.result
	if r == nil {
		return nil
	}
	st := fd.c.styles
	title := "Applied"
	if r.DryRun {
		title = "Dry run"
	}
	rows := section(nil, st, title)
	for _, c := range r.Calls {
		line := c.Operation + "  " + c.Outcome
		if c.Resource != "" {
			line += " (" + c.Resource + ")"
		}
		rows = append(rows, indented(w, "  ", plain, line)...)
		if c.Error != "" {
			rows = append(rows, indented(w, "    ", st.Severity(workflow.SeverityError), c.Error)...)
		}
		if c.Undo != "" {
			rows = append(rows, indented(w, "    ", st.Faint, "undo: "+c.Undo)...)
		}
	}
	if fd.redeploy != nil {
		rows = append(rows, indented(w, "  ", st.Marked, "The change reaches only new tasks: y starts a new deployment ("+fd.redeploy.ID+").")...)
	}
	return append(rows, textRow(""))
}

func (fd *fixDialog) View() string {
	st := fd.c.styles
	// The status changes with keys and results; the pane yields it room.
	fd.fitPane()
	status := st.Faint.Render("↑↓ chooses the fix that y, d and c act on")
	if fd.status != "" {
		lines := fd.statusLines()
		for i, l := range lines {
			lines[i] = st.Flash.Render(fit(l, fd.innerWidth()))
		}
		status = strings.Join(lines, "\n")
	}
	if fd.readOnly && fd.status == "" {
		status = st.Flash.Render(msgReadOnlyFixes + "; c still copies the CLI")
	}
	if fd.status == "" {
		status = fit(status, fd.innerWidth())
	}
	body := fd.pane.View(st) + "\n" + status
	box := st.DialogBox.Width(fd.boxWidth()).Render(st.Title.Render("Fix") + "\n" + body)
	return lipgloss.Place(fd.width, fd.height, lipgloss.Center, lipgloss.Top, box)
}
