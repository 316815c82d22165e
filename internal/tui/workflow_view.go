package tui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// pane is which part of the workflow screen has the keyboard.
type pane int

const (
	paneRail pane = iota
	paneEvidence
	paneFindings
)

// workflowView is the main screen: the step rail, the selected step's
// evidence and the findings strip, over one diagnosis that streams in and
// is refreshed in place.
type workflowView struct {
	c      *common
	target awsx.Request

	d        *workflow.Diagnosis // the newest diagnosis, partial until complete
	complete bool
	err      error // the diagnosis could not run at all (bad input, no access)
	stream   *diagnosisStream
	// refreshGen invalidates older --refresh timers.
	refreshGen  int
	refreshedAt time.Time

	step      int // index of the selected step
	userMoved bool
	focus     pane
	evidence  rowPane
	findings  rowPane

	width, height int
}

func newWorkflowView(c *common, target awsx.Request) *workflowView {
	wf := &workflowView{c: c, target: target}
	wf.evidence.cursor, wf.findings.cursor = -1, -1
	wf.rebuild()
	return wf
}

// steps are the diagnosis's steps, or the seven titles while none has
// arrived.
func (wf *workflowView) steps() []workflow.Step {
	if wf.d == nil || len(wf.d.Steps) == 0 {
		return workflow.StepTitles()
	}
	return wf.d.Steps
}

func (wf *workflowView) selectedStep() workflow.Step {
	steps := wf.steps()
	return steps[clamp(wf.step, 0, len(steps)-1)]
}

func (wf *workflowView) begin(s *diagnosisStream) {
	wf.stream = s
	if !s.refresh {
		wf.d, wf.complete, wf.err = nil, false, nil
		wf.rebuild()
	}
}

func (wf *workflowView) running() bool { return wf.stream != nil }

func (wf *workflowView) refreshing() bool { return wf.stream != nil && wf.stream.refresh }

// apply shows a newer diagnosis. The first complete one selects the first
// failing step (unless the user already chose one while it loaded).
func (wf *workflowView) apply(d *workflow.Diagnosis, final bool) {
	if !final && wf.d != nil && settledParts(d) < settledParts(wf.d) {
		return // the gatherer's goroutines published out of order: keep the newer
	}
	wf.d, wf.err = d, nil
	moved := false
	if final {
		if !wf.complete && !wf.userMoved {
			moved = wf.step != firstFailing(d.Steps)
			wf.step = firstFailing(d.Steps)
		}
		wf.complete = true
	}
	wf.rebuild()
	if moved {
		wf.evidence.reset()
		wf.findings.reset()
	}
}

func (wf *workflowView) fail(err error, refresh bool) {
	if !refresh || wf.d == nil {
		wf.err = err
		wf.rebuild()
	}
}

// settledParts counts the parts of the facts that have arrived, failed or
// been skipped: a later snapshot never has fewer.
func settledParts(d *workflow.Diagnosis) int {
	if d == nil || d.Facts == nil {
		return 0
	}
	return len(d.Facts.Fetches)
}

// firstFailing is the step to look at first: the first that failed, else
// the first that could not be checked, else the first warning.
func firstFailing(steps []workflow.Step) int {
	for _, want := range []workflow.Status{workflow.StatusFail, workflow.StatusUnknown, workflow.StatusWarn} {
		for i, s := range steps {
			if s.Status == want {
				return i
			}
		}
	}
	return 0
}

func (wf *workflowView) selectStep(i int) {
	i = clamp(i, 0, len(wf.steps())-1)
	if i == wf.step {
		return
	}
	wf.step, wf.userMoved = i, true
	wf.evidence.cursor, wf.findings.cursor = -1, -1
	wf.rebuild()
	wf.evidence.reset()
	wf.findings.reset()
}

// Layout: the rail on the left, a one-column rule, the evidence pane; the
// findings strip under both.
const railWidth = 28

func (wf *workflowView) stripHeight() int {
	switch {
	case wf.height >= 30:
		return 7
	case wf.height >= 20:
		return 5
	}
	return 4
}

func (wf *workflowView) bodyHeight() int { return max(1, wf.height-wf.stripHeight()) }

func (wf *workflowView) evidenceWidth() int { return max(10, wf.width-railWidth-1) }

func (wf *workflowView) SetSize(width, height int) {
	if width == wf.width && height == wf.height {
		return
	}
	wf.width, wf.height = width, height
	wf.evidence.SetSize(wf.evidenceWidth(), wf.bodyHeight()-1)
	wf.findings.SetSize(width, wf.stripHeight()-1)
	wf.rebuild()
}

// rebuild renders the selected step's evidence and findings into rows.
func (wf *workflowView) rebuild() {
	wf.evidence.focused = wf.focus == paneEvidence
	wf.findings.focused = wf.focus == paneFindings
	if wf.width == 0 {
		return
	}
	step := wf.selectedStep()
	wf.evidence.setRows(buildEvidence(evidenceContext{c: wf.c, d: wf.d, err: wf.err, running: wf.running(), width: wf.evidence.textWidth()}, step))
	wf.findings.setRows(findingRows(wf.c, wf.stepFindings(), wf.findings.textWidth()))
}

func (wf *workflowView) stepFindings() []workflow.Finding {
	if wf.d == nil {
		return nil
	}
	return wf.d.FindingsOf(wf.selectedStep().ID)
}

// selectedFinding is the finding under the strip's cursor, else the step's
// first.
func (wf *workflowView) selectedFinding() *workflow.Finding {
	fs := wf.stepFindings()
	if len(fs) == 0 {
		return nil
	}
	i := 0
	if t := wf.findings.selected(); t != nil {
		i, _ = strconv.Atoi(t.id)
	}
	return &fs[clamp(i, 0, len(fs)-1)]
}

func (wf *workflowView) setFocus(p pane) {
	wf.focus = p
	wf.evidence.focused = p == paneEvidence
	wf.findings.focused = p == paneFindings
}

func (wf *workflowView) handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := wf.c.keys
	switch {
	case key.Matches(k, keys.Tab):
		next := (wf.focus + 1) % 3
		if k.String() == "shift+tab" {
			next = (wf.focus + 2) % 3
		}
		wf.setFocus(next)
	case key.Matches(k, keys.Up), key.Matches(k, keys.Down):
		dir := 1
		if key.Matches(k, keys.Up) {
			dir = -1
		}
		switch wf.focus {
		case paneRail:
			wf.selectStep(wf.step + dir)
		case paneEvidence:
			wf.evidence.move(dir)
		default:
			wf.findings.move(dir)
		}
	case key.Matches(k, keys.PageDown):
		wf.focusedList().page(1)
	case key.Matches(k, keys.PageUp):
		wf.focusedList().page(-1)
	case key.Matches(k, keys.Top):
		wf.focusedList().top()
	case key.Matches(k, keys.Bottom):
		wf.focusedList().bottom()
	case key.Matches(k, keys.NextStep):
		wf.selectStep(wf.step + 1)
	case key.Matches(k, keys.PrevStep):
		wf.selectStep(wf.step - 1)
	case key.Matches(k, keys.JumpStep):
		n, _ := strconv.Atoi(k.String())
		wf.selectStep(n - 1)
	case key.Matches(k, keys.Enter):
		return wf.enter(m)
	case key.Matches(k, keys.Fix):
		if wf.selectedFinding() == nil {
			return false, nil
		}
		return true, m.openFixDialog(*wf.selectedFinding())
	case key.Matches(k, keys.Refresh):
		if wf.refreshing() {
			return false, nil
		}
		return true, m.startDiagnosis(wf.complete)
	case key.Matches(k, keys.Back):
		if wf.focus != paneRail {
			wf.setFocus(paneRail)
			return true, nil
		}
		return true, m.backFromWorkflow()
	default:
		return false, nil
	}
	return true, nil
}

// enter drills down: from the rail into the evidence pane, from a row into
// what it names, from a finding into its fix dialog.
func (wf *workflowView) enter(m *Model) (bool, tea.Cmd) {
	switch wf.focus {
	case paneRail:
		wf.setFocus(paneEvidence)
		return true, nil
	case paneEvidence:
		if t := wf.evidence.selected(); t != nil {
			return true, m.open(*t)
		}
		return false, nil
	}
	if f := wf.selectedFinding(); f != nil {
		return true, m.openFixDialog(*f)
	}
	return false, nil
}

func (wf *workflowView) focusedList() *rowPane {
	if wf.focus == paneFindings {
		return &wf.findings
	}
	return &wf.evidence
}

// actions are the workflow's keys for the footer, each disabled with the
// reason when it cannot act.
func (wf *workflowView) actions() []action {
	keys := wf.c.keys
	noRow := wf.focus == paneEvidence && wf.evidence.selected() == nil
	noFinding := wf.selectedFinding() == nil
	enter := act(keys.Enter).as("open")
	switch wf.focus {
	case paneRail:
		enter = enter.as("evidence")
	case paneEvidence:
		enter = enter.unless(noRow, "nothing to open on this line")
	default:
		enter = enter.as("fixes").unless(noFinding, "no finding in this step")
	}
	out := []action{
		act(keys.Up).keys("↑↓").as("move"),
		enter,
		act(keys.Tab).as("pane"),
		act(keys.NextStep).keys("n/p").as("step"),
	}
	if wf.c.readOnly {
		out = append(out, act(keys.Fix).unless(true, "read-only mode (--read-only): fixes are off; tab to the findings and enter shows them").hide())
	} else {
		out = append(out, act(keys.Fix).unless(noFinding, "no finding in this step"))
	}
	out = append(out,
		act(keys.Refresh).unless(wf.refreshing(), "a refresh is already running"),
		act(keys.Back).as("back"),
		act(keys.Filter).unless(true, "/ filters the pickers and searches the log viewer").hide(),
	)
	return out
}

func (wf *workflowView) View() string {
	if wf.width == 0 {
		return ""
	}
	st := wf.c.styles
	bodyH := wf.bodyHeight()
	rail := strings.Split(renderRail(wf.c, wf.steps(), wf.step, wf.focus == paneRail, wf.running(), wf.d, bodyH), "\n")
	ev := append([]string{wf.evidenceTitle()}, strings.Split(wf.evidence.View(st), "\n")...)
	sep := st.Rule.Render("│")
	var b strings.Builder
	for i := 0; i < bodyH; i++ {
		r, e := "", ""
		if i < len(rail) {
			r = rail[i]
		}
		if i < len(ev) {
			e = ev[i]
		}
		b.WriteString(fit(r, railWidth) + sep + fit(e, wf.evidenceWidth()) + "\n")
	}
	b.WriteString(wf.findingsTitle() + "\n")
	b.WriteString(wf.findings.View(st))
	return b.String()
}

func (wf *workflowView) evidenceTitle() string {
	st := wf.c.styles
	s := wf.selectedStep()
	mark := statusMark(wf.c, s.Status, wf.running())
	title := st.Title.Render(strconv.Itoa(s.N)+" "+s.Title) + "  " + mark + " " + st.Status(s.Status).Render(string(s.Status))
	if wf.focus == paneEvidence {
		title = st.Accent.Render("▌") + title
	} else {
		title = " " + title
	}
	return fit(title, wf.evidenceWidth())
}

func (wf *workflowView) findingsTitle() string {
	st := wf.c.styles
	fs := wf.stepFindings()
	label := " Findings "
	if wf.focus == paneFindings {
		label = "▌Findings "
	}
	s := st.Title.Render(label) + st.Faint.Render(findingCounts(fs)) + " "
	return s + st.Rule.Render(strings.Repeat("─", max(0, wf.width-ansi.StringWidth(s))))
}
