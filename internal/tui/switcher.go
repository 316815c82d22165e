package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

// switchTarget is a profile and region to open ("" profile: the
// environment's credentials, as without --profile).
type switchTarget struct{ profile, region string }

func profileLabel(profile string) string {
	if profile == "" {
		return "(no profile)"
	}
	return profile
}

type switchStage int

const (
	stageProfile switchStage = iota
	stageRegion
)

// switcher is P: a picker of profiles, then of regions, the current one
// first in each so that enter, enter changes only the other. Choosing a
// region opens that account, and the UI leaves the current one only once
// the new one has said who it is: a profile without credentials fails here,
// with the current account still on screen.
type switcher struct {
	picker
	stage   switchStage
	current switchTarget // what the UI shows now
	profile string       // the profile chosen, in stageRegion
	names   []string     // the profiles offered, the current one first
	listing bool         // Options.Profiles has not answered yet
	listErr error        // why it failed (the names it did return are offered)
	load    *load        // the switch under way
	to      switchTarget // what it opens
}

func newSwitcher(c *common, current switchTarget) *switcher {
	return &switcher{picker: newPicker(c, targetChoice, choiceColumns("PROFILE")), current: current, names: []string{current.profile}}
}

// choiceColumns keep "current" next to the name it marks.
func choiceColumns(title string) func(int) []column {
	return func(width int) []column { return []column{{title, clamp(width-9, 8, 48)}, {"", 0}} }
}

func (sw *switcher) busy() bool { return sw.load != nil }

func (sw *switcher) working() bool { return sw.listing || sw.busy() }

// openSwitcher shows the profiles; the files are read in a command, as
// every other load is.
func (m *Model) openSwitcher() tea.Cmd {
	m.switcher = newSwitcher(m.c, switchTarget{m.opts.Profile, m.opts.Region})
	m.layout()
	m.switcher.rebuild()
	return tea.Batch(m.listProfiles(), m.startSpinner())
}

func (m *Model) listProfiles() tea.Cmd {
	sw, list := m.switcher, m.opts.Profiles
	if list == nil {
		return nil
	}
	sw.listing = true
	return func() tea.Msg {
		names, err := list()
		return profilesMsg{switcher: sw, names: names, err: err}
	}
}

func (sw *switcher) setProfiles(names []string, err error) {
	sw.listing, sw.listErr = false, err
	sw.names = []string{sw.current.profile}
	for _, n := range names {
		if n != sw.current.profile {
			sw.names = append(sw.names, n)
		}
	}
	if sw.stage == stageProfile {
		sw.rebuild()
	}
}

// regions are every known region, the current one first.
func (sw *switcher) regions() []string {
	out := []string{}
	if sw.current.region != "" {
		out = append(out, sw.current.region)
	}
	for _, r := range awsx.KnownRegions() {
		if r != sw.current.region {
			out = append(out, r)
		}
	}
	return out
}

// rebuild lists the stage's choices (after a stage change, or a restyle).
func (sw *switcher) rebuild() {
	st := sw.c.styles
	keys, current := sw.names, sw.current.profile
	if sw.stage == stageRegion {
		keys, current = sw.regions(), sw.current.region
	}
	items := make([]*pickItem, 0, len(keys))
	for _, k := range keys {
		label := k
		if sw.stage == stageProfile && k == "" {
			label = "(no profile: the environment's credentials)"
		}
		note := ""
		if k == current {
			note = st.Faint.Render("current")
		}
		items = append(items, &pickItem{key: k, cells: []string{label, note}, search: itemSearch(label)})
	}
	sw.setItems(items)
}

// toStage shows the other list, unfiltered, with the cursor on top.
func (sw *switcher) toStage(stage switchStage, profile string) {
	sw.stage, sw.profile = stage, profile
	title := "PROFILE"
	if stage == stageRegion {
		title = "REGION"
	}
	sw.columns = choiceColumns(title)
	sw.filter.SetValue("")
	sw.moved = false
	sw.rebuild()
}

func (sw *switcher) handleKey(m *Model, k tea.KeyPressMsg) tea.Cmd {
	keys := sw.c.keys
	if sw.busy() {
		switch {
		case key.Matches(k, keys.Back):
			sw.load.stop()
			sw.load = nil
			m.flash = "switch cancelled: still on " + profileLabel(sw.current.profile) + " in " + sw.current.region
		case key.Matches(k, keys.Quit):
			return m.quit()
		}
		return nil
	}
	if !sw.filtering {
		switch {
		case key.Matches(k, keys.Quit):
			return m.quit()
		case key.Matches(k, keys.Back) && sw.filter.Value() == "":
			if sw.stage == stageRegion {
				sw.toStage(stageProfile, "")
				if len(sw.names) <= 1 && !sw.listing {
					return m.listProfiles() // opened for a retry, without the list
				}
				return nil
			}
			m.closeSwitcher()
			return nil
		case key.Matches(k, keys.Enter):
			t := sw.pane.selected()
			switch {
			case t == nil:
			case sw.stage == stageProfile:
				sw.toStage(stageRegion, t.id)
			default:
				return m.startSwitch(switchTarget{sw.profile, t.id})
			}
			return nil
		}
	}
	_, cmd := sw.picker.handleKey(m, k)
	return cmd
}

func (m *Model) closeSwitcher() {
	if sw := m.switcher; sw != nil && sw.load != nil {
		sw.load.stop()
	}
	m.switcher = nil
	m.layout()
}

// startSwitch opens the account of to and asks it who it is. After a login
// for it, the switcher is opened again on to, so that its progress shows
// and esc cancels it.
func (m *Model) startSwitch(to switchTarget) tea.Cmd {
	sw := m.switcher
	if sw == nil {
		sw = newSwitcher(m.c, switchTarget{m.opts.Profile, m.opts.Region})
		m.switcher = sw
		m.layout()
		sw.toStage(stageRegion, to.profile)
		sw.selectKey(to.region)
	}
	sw.load.stop()
	l := newLoad(m.ctx, 2*m.opts.callTimeout())
	sw.load, sw.to = l, to
	open := m.opts.Switch
	return tea.Batch(func() tea.Msg {
		defer l.cancel()
		src, err := open(l.ctx, to.profile, to.region)
		if err != nil {
			return switchedMsg{load: l, to: to, err: err}
		}
		caller, err := src.Identity(l.ctx)
		return switchedMsg{load: l, to: to, src: src, caller: caller, err: err}
	}, m.startSpinner())
}

// receiveSwitch moves to the new account, or stays and says why not; a
// switch that failed for want of an SSO session offers L for that profile.
func (m *Model) receiveSwitch(msg switchedMsg) tea.Cmd {
	sw := m.switcher
	if sw == nil || msg.load != sw.load {
		return nil // cancelled
	}
	sw.load = nil
	if msg.err != nil {
		err := classifyFor("sts:GetCallerIdentity", msg.err, msg.to.profile)
		m.closeSwitcher()
		m.flash = fmt.Sprintf("not switched to %s in %s: %s", profileLabel(msg.to.profile), msg.to.region, firstLine(err.Error()))
		if argv, ok := awsx.SSOLoginCommand(err); ok {
			to := msg.to
			m.setLogin(&loginPrompt{argv: argv, switchTo: &to})
		}
		return nil
	}
	return m.adopt(msg)
}

// adopt re-opens the UI on the account a switch opened. Everything of the
// old account stops; the cluster picker lists the new one's clusters with
// the cursor on the cluster of the same name, when it has one (the same
// stack deployed in another region), so enter goes back to where the user
// was. Nothing is opened on its own: a same-named cluster in another
// account may be another thing entirely.
func (m *Model) adopt(msg switchedMsg) tea.Cmd {
	prev := m.currentCluster()
	m.closeSwitcher()
	m.leaveWorkflow()
	m.wf = nil
	m.services.stop()
	m.clusters.load.stop()

	m.src = msg.src
	m.srcGen++
	m.opts.Profile, m.opts.Region = msg.to.profile, msg.to.region
	m.opts.Cluster, m.opts.Service, m.opts.Task = "", "", ""
	caller := msg.caller
	m.caller, m.identityDone, m.identityErr = &caller, true, nil
	m.login = nil

	m.clusters = newClusterPicker(m.c)
	m.clusters.prefer = prev
	m.services = newServicePicker(m.c, "")
	m.screen = screenClusters
	m.layout()
	m.flash = fmt.Sprintf("switched to %s in %s (account %s)", profileLabel(msg.to.profile), msg.to.region, caller.Account)
	return m.startClusters()
}

// currentCluster is the cluster on screen, or under the picker's cursor.
func (m *Model) currentCluster() string {
	switch m.screen {
	case screenServices:
		return m.services.cluster
	case screenWorkflow:
		return m.wf.target.Cluster
	}
	return m.clusters.selectedKey()
}

func (sw *switcher) View() string {
	st := sw.c.styles
	title := "Switch profile"
	if sw.stage == stageRegion {
		title = "Region for " + profileLabel(sw.profile)
	}
	var status string
	switch {
	case sw.busy():
		status = sw.c.spin + st.Faint.Render(" opening "+profileLabel(sw.to.profile)+" in "+sw.to.region)
	case sw.listing && sw.stage == stageProfile:
		status = sw.c.spin + st.Faint.Render(" reading profiles")
	case sw.listErr != nil && sw.stage == stageProfile:
		status = st.Bad.Render("✗ " + firstLine(sw.listErr.Error()))
	case sw.filter.Value() != "":
		status = st.Faint.Render(fmt.Sprintf("%d of %d", sw.shown, len(sw.items)))
	case sw.stage == stageProfile:
		status = st.Faint.Render(plural(len(sw.items), "profile", "profiles"))
	default:
		status = st.Faint.Render(plural(len(sw.items), "region", "regions"))
	}
	return sw.view(title, status)
}

func (sw *switcher) actions() []action {
	keys := sw.c.keys
	if sw.busy() {
		return []action{act(keys.Back).as("cancel")}
	}
	if sw.filtering {
		return sw.baseActions(true, "", "")
	}
	enter, back := "regions", "cancel"
	if sw.stage == stageRegion {
		enter, back = "switch", "profiles"
	}
	return []action{
		act(keys.Up).keys("↑↓").as("move"),
		act(keys.Enter).as(enter).unless(sw.pane.selected() == nil, "nothing to choose"),
		act(keys.Filter),
		act(keys.Back).as(back),
	}
}

// crumbs are the switcher's breadcrumb segments.
func (sw *switcher) crumbs() []string {
	if sw.stage == stageRegion {
		return []string{"profile " + profileLabel(sw.profile), "region"}
	}
	return []string{"profile"}
}
