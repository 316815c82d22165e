package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The keys that act on the account rather than on a screen: P switches
// profile and region, L renews an expired SSO session, C copies the
// report. They work under every screen's own keys, so each screen's
// footer gets them from here.

// accountKey runs P, L or C, or says why it cannot act here.
func (m *Model) accountKey(k tea.KeyPressMsg) tea.Cmd {
	if reason := disabledReason(m.actions(), k.String()); reason != "" {
		m.flash = k.String() + ": " + reason
		return nil
	}
	keys := m.c.keys
	switch {
	case key.Matches(k, keys.Switch):
		return m.openSwitcher()
	case key.Matches(k, keys.Login):
		return m.startLogin()
	}
	return m.copyReport()
}

// withAccountActions adds P, L and C to a screen's keys: L first while a
// session needs renewing; C on the workflow; P on the pickers and the
// workflow (on the pickers even when it cannot act, so the demo shows the
// feature exists). Over a drill-down they work but stay out of the footer.
func (m *Model) withAccountActions(screen []action) []action {
	keys := m.c.keys
	onScreen := m.top() == nil
	out := screen
	if login := m.loginAction(); login.hidden {
		out = append(out, login)
	} else {
		out = append([]action{login}, out...)
	}
	report := m.copyAction()
	if m.screen != screenWorkflow || !onScreen {
		report = report.hide()
	}
	sw := act(keys.Switch).as("profile")
	switch {
	case m.opts.Demo:
		sw = sw.unless(true, "the demo account has no profiles: run ecsdoctor outside the demo to use yours")
	case m.opts.Switch == nil:
		sw = sw.unless(true, "switching profile is not available here")
	}
	if !onScreen || (m.screen == screenWorkflow && sw.disabled != "") {
		sw = sw.hide()
	}
	return append(out, report, sw)
}
