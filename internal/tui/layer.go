package tui

import tea "charm.land/bubbletea/v2"

// layer is a screen pushed above the workflow: a drill-down or the log
// viewer. esc pops it.
type layer interface {
	// title is the layer's breadcrumb segment.
	title() string
	SetSize(width, height int)
	View(st Styles) string
	// handleKey reports whether the key did something here.
	handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd)
	// actions are the keys that work here, for the footer.
	actions(m *Model) []action
	// rebuild re-renders from the current diagnosis (after a refresh,
	// resize or restyle).
	rebuild(m *Model)
	// close stops whatever the layer is loading.
	close()
}
