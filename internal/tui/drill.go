package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// drillBuilder renders a drill-down from the current diagnosis: its
// heading and its rows.
type drillBuilder func(ec evidenceContext, t target) (heading string, rows []row)

// drillView is one drill-down: what a row named, in detail. Its rows can
// open further drill-downs (an endpoint's security groups, a task's log
// stream).
type drillView struct {
	c       *common
	t       target
	crumb   string
	build   drillBuilder
	d       *workflow.Diagnosis
	heading string
	pane    rowPane
	width   int
	height  int
}

// newDrill returns the drill-down for a target, or nil when there is none.
func newDrill(c *common, t target) *drillView {
	dv := &drillView{c: c, t: t}
	dv.pane.cursor, dv.pane.focused = -1, true
	switch t.kind {
	case targetTask:
		dv.crumb, dv.build = "task "+shortTaskID(t.id)+" details", taskDrill
	case targetPath:
		dv.crumb, dv.build = "path to "+t.id, pathDrill
	case targetPolicy:
		dv.crumb, dv.build = "policy "+policyCrumb(t.id), policyDrill
	case targetSG:
		dv.crumb, dv.build = t.id, securityGroupDrill
	case targetEvent:
		dv.crumb, dv.build = "event", eventDrill
	default:
		return nil
	}
	return dv
}

func policyCrumb(id string) string {
	if id == policyTrust {
		return "trust"
	}
	return strings.TrimPrefix(lastSegment(id), "inline:")
}

func (dv *drillView) title() string { return dv.crumb }

func (dv *drillView) SetSize(width, height int) {
	dv.width, dv.height = width, height
	dv.pane.SetSize(width, max(1, height-2))
	dv.render()
}

func (dv *drillView) rebuild(m *Model) {
	if m.wf != nil {
		dv.d = m.wf.d
	}
	dv.render()
}

func (dv *drillView) render() {
	if dv.d == nil || dv.width == 0 {
		return
	}
	ec := evidenceContext{c: dv.c, d: dv.d, width: dv.pane.textWidth()}
	var rows []row
	dv.heading, rows = dv.build(ec, dv.t)
	dv.pane.setRows(rows)
}

func (dv *drillView) close() {}

func (dv *drillView) handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd) {
	keys := dv.c.keys
	switch {
	case key.Matches(k, keys.Up):
		dv.pane.move(-1)
	case key.Matches(k, keys.Down):
		dv.pane.move(1)
	case key.Matches(k, keys.PageUp):
		dv.pane.page(-1)
	case key.Matches(k, keys.PageDown):
		dv.pane.page(1)
	case key.Matches(k, keys.Top):
		dv.pane.top()
	case key.Matches(k, keys.Bottom):
		dv.pane.bottom()
	case key.Matches(k, keys.Enter):
		if t := dv.pane.selected(); t != nil {
			return true, m.open(*t)
		}
		return false, nil
	case key.Matches(k, keys.Back):
		m.pop()
	default:
		return false, nil
	}
	return true, nil
}

func (dv *drillView) actions(m *Model) []action {
	keys := dv.c.keys
	return []action{
		act(keys.Up).keys("↑↓").as("move"),
		act(keys.Enter).unless(dv.pane.selected() == nil, "nothing to open on this screen"),
		act(keys.PageDown).keys("pgup/pgdn").as("page"),
		act(keys.Back),
		act(keys.Fix).unless(true, "fixes are on the workflow screen: esc, then f").hide(),
		act(keys.Refresh).unless(true, "refresh from the workflow screen (esc, then r)").hide(),
	}
}

func (dv *drillView) View(st Styles) string {
	head := fit(" "+st.Title.Render(dv.heading), dv.width)
	rule := st.Rule.Render(strings.Repeat("─", dv.width))
	return head + "\n" + rule + "\n" + dv.pane.View(st)
}
