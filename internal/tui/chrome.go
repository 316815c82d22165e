package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

const (
	headerHeight = 2
	footerHeight = 1
)

// headerView is two lines: who and where (account, region, profile, the
// last refresh), then the breadcrumb of what is on screen.
func (m *Model) headerView(width int) string {
	st := m.c.styles
	left := st.Accent.Render("ecsdoctor")
	if m.opts.Demo {
		left += " " + st.Demo.Render(" DEMO ")
	}
	var parts []string
	if acct := m.account(); acct != "" {
		parts = append(parts, "account "+acct)
	}
	if r := m.region(); r != "" {
		parts = append(parts, r)
	}
	if m.opts.Profile != "" {
		parts = append(parts, "profile "+m.opts.Profile)
	}
	if len(parts) > 0 {
		left += "  " + strings.Join(parts, " · ")
	}
	right := m.headerStatus()
	line1 := spread(left, right, width)
	return line1 + "\n" + fit(" "+m.breadcrumb(), width)
}

// headerStatus is what the live view is doing: diagnosing, refreshing, or
// when it last refreshed.
func (m *Model) headerStatus() string {
	st := m.c.styles
	if m.screen != screenWorkflow || m.wf == nil {
		return ""
	}
	wf := m.wf
	switch {
	case wf.refreshing():
		return m.c.spin + st.Faint.Render(" refreshing")
	case wf.running():
		return m.c.spin + st.Faint.Render(" diagnosing")
	case !wf.refreshedAt.IsZero():
		s := "refreshed " + wf.refreshedAt.Format("15:04:05")
		if m.opts.Refresh > 0 {
			s += " · every " + m.opts.Refresh.String()
		}
		return st.Faint.Render(s)
	}
	return ""
}

func (m *Model) account() string {
	if m.caller != nil && m.caller.Account != "" {
		return m.caller.Account
	}
	if m.wf != nil && m.wf.d != nil {
		return m.wf.d.Target.Account
	}
	return ""
}

func (m *Model) region() string {
	if m.opts.Region != "" {
		return m.opts.Region
	}
	if m.wf != nil && m.wf.d != nil {
		return m.wf.d.Target.Region
	}
	return ""
}

// breadcrumb is cluster › service › task › the open drill-downs.
func (m *Model) breadcrumb() string {
	st := m.c.styles
	sep := st.Faint.Render(" › ")
	var crumbs []string
	switch m.screen {
	case screenClusters:
		crumbs = append(crumbs, "clusters")
	case screenServices:
		crumbs = append(crumbs, m.services.cluster, "services")
	default:
		crumbs = append(crumbs, m.wf.target.Cluster)
		if m.wf.target.Service != "" {
			crumbs = append(crumbs, m.wf.target.Service)
		}
		if m.wf.d != nil && m.wf.d.Target.Task != "" {
			crumbs = append(crumbs, "task "+shortTaskID(m.wf.d.Target.Task))
		} else if m.wf.target.Task != "" {
			crumbs = append(crumbs, "task "+shortTaskID(m.wf.target.Task))
		}
	}
	for _, l := range m.stack {
		crumbs = append(crumbs, l.title())
	}
	if m.switcher != nil {
		crumbs = append(crumbs, m.switcher.crumbs()...)
	}
	if m.dialog != nil {
		crumbs = append(crumbs, "fix")
	} else if m.help != nil {
		crumbs = append(crumbs, "help")
	}
	return strings.Join(crumbs, sep)
}

// footerView lists the keys that work here, generated from the key map.
// Keys that cannot act are drawn disabled; pressing one puts its reason
// here instead. When the line is too narrow, help and quit stay.
func (m *Model) footerView(width int) string {
	st := m.c.styles
	if m.flash != "" {
		return fit(" "+st.Flash.Render(m.flash), width)
	}
	items := m.actions()
	var shown []string
	tail := []string{m.footerItem(act(m.c.keys.Help)), m.footerItem(act(m.c.keys.Quit))}
	if m.help != nil || m.dialog != nil || m.switcher != nil {
		tail = []string{m.footerItem(act(m.c.keys.ForceQuit).as("quit"))}
	}
	room := width - 1 - ansi.StringWidth(strings.Join(tail, "  ")) - 2
	used := 0
	for _, a := range items {
		if a.hidden {
			continue
		}
		item := m.footerItem(a)
		w := ansi.StringWidth(item) + 2
		if used+w > room {
			break
		}
		shown = append(shown, item)
		used += w
	}
	return fit(" "+strings.Join(append(shown, tail...), "  "), width)
}

func (m *Model) footerItem(a action) string {
	st := m.c.styles
	if a.disabled != "" {
		return st.Disabled.Render(a.keyLabel() + " " + a.description())
	}
	return st.Key.Render(a.keyLabel()) + " " + st.KeyDesc.Render(a.description())
}

// actions are the keys of whatever has the keyboard.
func (m *Model) actions() []action {
	switch {
	case m.dialog != nil:
		return m.dialog.actions()
	case m.switcher != nil:
		return m.switcher.actions()
	case m.help != nil:
		return []action{act(m.c.keys.Back).keys("esc/?").as("close")}
	case m.typing():
		return m.screenActions() // what is typed is text, not keys
	}
	return m.withAccountActions(m.screenActions())
}

func (m *Model) screenActions() []action {
	switch {
	case m.top() != nil:
		return m.top().actions(m)
	case m.screen == screenClusters:
		return m.clusters.actions()
	case m.screen == screenServices:
		return m.services.actions()
	}
	return m.wf.actions()
}

// spread puts left and right on one line of width cells, right-aligned,
// dropping right when both do not fit.
func spread(left, right string, width int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if right == "" || lw+rw+2 > width {
		return fit(left, width)
	}
	return left + strings.Repeat(" ", width-lw-rw) + right
}
