package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// screenID is the screen under any drill-downs and dialogs.
type screenID int

const (
	screenClusters screenID = iota
	screenServices
	screenWorkflow
)

// Minimum size for a readable layout; below it the UI says so instead of
// drawing garbage.
const (
	minWidth  = 60
	minHeight = 16
	// Before the terminal reports its size, lay out for the classic one.
	defaultWidth, defaultHeight = 80, 24
)

// Model is the root of the UI: it owns the screens, fans messages out to
// them and returns the tea.View.
type Model struct {
	src  Source
	opts Options
	c    *common

	// ctx is cancelled on quit, cancelling every call still running.
	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	screen        screenID
	clusters      *clusterPicker
	services      *servicePicker
	wf            *workflowView
	// stack holds the drill-downs and the log viewer above the workflow.
	stack  []layer
	help   *helpView
	dialog *fixDialog
	// switcher is the profile and region picker (P), over the screen.
	switcher *switcher
	// login is set while an SSO session needs renewing: L runs its
	// command, then tries again what failed.
	login *loginPrompt
	// runLogin hands the terminal to a command and takes it back; tests
	// replace it so that they never run aws.
	runLogin func(argv []string, done tea.ExecCallback) tea.Cmd

	spinner  spinner.Model
	spinning bool

	caller *facts.Caller
	// identityDone: the Identity call answered (or failed).
	identityDone bool
	identityErr  error
	flash        string
	quitting     bool
	// srcGen counts switches of account, so that an Identity answer of the
	// account the UI has left is dropped.
	srcGen int

	// observe, when set (tests), sees the model after every Update.
	observe func(*Model)
	// keysHandled counts key presses, so tests can wait for theirs.
	keysHandled int
}

// New builds the UI model. Nothing runs until Init; tests drive it through
// teatest or Update directly.
func New(src Source, opts Options) *Model {
	return newModel(context.Background(), src, opts)
}

// newModel builds the model under parent: cancelling parent cancels every
// call the UI makes, as quitting does.
func newModel(parent context.Context, src Source, opts Options) *Model {
	c := &common{keys: DefaultKeyMap(), now: opts.now, readOnly: opts.ReadOnly}
	if opts.ReadOnly {
		// Hidden from the footer and help; pressing f still says why.
		c.keys.Fix.SetEnabled(false)
	}
	if opts.NoColor {
		c.styles = NoColorStyles()
	} else {
		// Dark until the terminal says otherwise, unless the theme is set.
		c.styles = DefaultStyles(opts.Theme != ThemeLight)
	}
	ctx, cancel := context.WithCancel(parent)
	m := &Model{
		src: src, opts: opts, c: c, ctx: ctx, cancel: cancel,
		width: defaultWidth, height: defaultHeight,
		spinner:  spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		runLogin: execInTerminal,
	}
	m.clusters = newClusterPicker(c)
	m.services = newServicePicker(c, opts.Cluster)
	switch {
	case opts.Cluster != "" && (opts.Service != "" || opts.Task != ""):
		m.screen = screenWorkflow
		m.wf = newWorkflowView(c, awsx.Request{Cluster: opts.Cluster, Service: opts.Service, Task: opts.Task})
	case opts.Cluster != "":
		m.screen = screenServices
	default:
		m.screen = screenClusters
	}
	m.layout()
	return m
}

// Init starts the first loads; their answers arrive as messages, so the
// first frame is drawn before any of them returns.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{identityCmd(m.ctx, m.src, m.opts.callTimeout(), m.srcGen)}
	if m.followsBackground() {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	switch m.screen {
	case screenWorkflow:
		cmds = append(cmds, m.startDiagnosis(false))
	case screenServices:
		cmds = append(cmds, m.startServices())
	default:
		cmds = append(cmds, m.startClusters())
	}
	cmds = append(cmds, m.startSpinner())
	return tea.Batch(cmds...)
}

// Update handles one message. It never waits on I/O: AWS calls run in the
// commands it returns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if m.observe != nil {
		m.observe(m)
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return nil
	case tea.BackgroundColorMsg:
		if m.followsBackground() {
			m.c.styles = DefaultStyles(msg.IsDark())
			m.rebuild()
		}
		return nil
	case tea.KeyPressMsg:
		m.keysHandled++
		m.flash = ""
		return m.handleKey(msg)
	case spinner.TickMsg:
		if !m.loading() {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		m.c.spin = m.spinner.View()
		return cmd
	case identityMsg:
		if msg.gen != m.srcGen {
			return nil // the account the UI has switched away from
		}
		m.identityDone = true
		m.identityErr = m.classify("sts:GetCallerIdentity", msg.err)
		if msg.err == nil {
			m.caller = &msg.caller
		}
		return m.afterCall(m.identityErr)
	case clustersMsg:
		if msg.load != m.clusters.load {
			return nil // a listing the user has left
		}
		msg.err = m.classify("ecs:ListClusters", msg.err)
		return tea.Batch(m.clusters.receive(msg), m.afterCall(msg.err))
	case serviceRowsMsg:
		if !msg.done || msg.stream.load != m.services.load {
			return m.services.receive(msg)
		}
		msg.err = m.classify("ecs:ListServices", msg.err)
		return tea.Batch(m.services.receive(msg), m.afterCall(msg.err))
	case profilesMsg:
		if m.switcher == msg.switcher {
			m.switcher.setProfiles(msg.names, msg.err)
		}
		return nil
	case switchedMsg:
		return m.receiveSwitch(msg)
	case loginDoneMsg:
		return m.receiveLogin(msg)
	case diagnosisMsg:
		return m.receiveDiagnosis(msg)
	case fixResultMsg:
		return m.receiveFixResult(msg)
	case refreshTickMsg:
		return m.onRefreshTick(msg)
	case logPageMsg, followTickMsg:
		for _, l := range m.stack {
			if lv, ok := l.(*logViewer); ok {
				if cmd, mine := lv.receive(m, msg); mine {
					return cmd
				}
			}
		}
		return nil
	}
	// Anything else (cursor blinks) belongs to whatever has a text input.
	return m.forwardToInputs(msg)
}

// handleKey routes a key press: ctrl+c always quits; then the open dialog,
// the help screen, a text input being typed into, the global keys, and the
// top screen, in that order.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.c.keys
	if key.Matches(k, keys.ForceQuit) {
		return m.quit()
	}
	if m.dialog != nil {
		return m.dialog.handleKey(m, k)
	}
	if m.switcher != nil {
		return m.switcher.handleKey(m, k)
	}
	if m.help != nil {
		switch {
		case key.Matches(k, keys.Quit):
			return m.quit()
		case key.Matches(k, keys.Back), key.Matches(k, keys.Help):
			m.help = nil
		default:
			m.help.handleKey(k)
		}
		return nil
	}
	if m.typing() {
		_, cmd := m.routeKey(k)
		return cmd
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m.quit()
	case key.Matches(k, keys.Help):
		m.help = newHelpView(m.c)
		m.layout()
		return nil
	case key.Matches(k, keys.Switch), key.Matches(k, keys.Login), key.Matches(k, keys.CopyReport):
		return m.accountKey(k)
	}
	handled, cmd := m.routeKey(k)
	if !handled {
		if reason := disabledReason(m.actions(), k.String()); reason != "" {
			m.flash = k.String() + ": " + reason
		}
	}
	return cmd
}

// routeKey hands a key to whatever has the keyboard and reports whether
// it did something there.
func (m *Model) routeKey(k tea.KeyPressMsg) (bool, tea.Cmd) {
	if top := m.top(); top != nil {
		return top.handleKey(m, k)
	}
	switch m.screen {
	case screenClusters:
		return m.clusters.handleKey(m, k)
	case screenServices:
		return m.services.handleKey(m, k)
	}
	return m.wf.handleKey(m, k)
}

// typing reports whether a text input has the keyboard, so that q and ?
// are letters, not commands.
func (m *Model) typing() bool {
	if top := m.top(); top != nil {
		if lv, ok := top.(*logViewer); ok {
			return lv.searching
		}
		return false
	}
	switch m.screen {
	case screenClusters:
		return m.clusters.filtering
	case screenServices:
		return m.services.filtering
	}
	return false
}

func (m *Model) forwardToInputs(msg tea.Msg) tea.Cmd {
	if top := m.top(); top != nil {
		if lv, ok := top.(*logViewer); ok && lv.searching {
			return lv.updateInput(msg)
		}
		return nil
	}
	switch {
	case m.screen == screenClusters && m.clusters.filtering:
		return m.clusters.updateInput(msg)
	case m.screen == screenServices && m.services.filtering:
		return m.services.updateInput(msg)
	}
	return nil
}

func (m *Model) top() layer {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

func (m *Model) push(l layer) {
	m.stack = append(m.stack, l)
	m.layout()
}

// pop closes the top drill-down or log viewer, stopping what it loads.
func (m *Model) pop() {
	if top := m.top(); top != nil {
		top.close()
		m.stack = m.stack[:len(m.stack)-1]
	}
}

// quit cancels every AWS call still running, then ends the program; Bubble
// Tea restores the terminal (alt screen, raw mode) on the way out.
func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// loading reports whether anything is still on its way, which is when the
// spinner turns.
func (m *Model) loading() bool {
	if m.quitting {
		return false
	}
	if m.switcher != nil && m.switcher.working() {
		return true
	}
	switch m.screen {
	case screenClusters:
		if m.clusters.loading {
			return true
		}
	case screenServices:
		if m.services.loading {
			return true
		}
	case screenWorkflow:
		if m.wf.running() {
			return true
		}
	}
	for _, l := range m.stack {
		if lv, ok := l.(*logViewer); ok && lv.loading {
			return true
		}
	}
	return false
}

// startSpinner starts the spinner's ticks when something began loading and
// they are not already running.
func (m *Model) startSpinner() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	m.c.spin = m.spinner.View()
	return m.spinner.Tick
}

// idle reports whether nothing is loading and the identity has answered
// (tests wait for it before capturing a screen, so that no spinner frame
// leaks into a golden file).
func (m *Model) idle() bool {
	return !m.loading() && m.identityDone
}

// layout hands every component its share of the terminal.
func (m *Model) layout() {
	w, h := m.size()
	bodyH := max(0, h-headerHeight-footerHeight-m.bannerHeight())
	m.clusters.SetSize(w, bodyH)
	m.services.SetSize(w, bodyH)
	if m.wf != nil {
		m.wf.SetSize(w, bodyH)
	}
	for _, l := range m.stack {
		l.SetSize(w, bodyH)
	}
	if m.help != nil {
		m.help.SetSize(w, bodyH)
	}
	if m.dialog != nil {
		m.dialog.SetSize(w, bodyH)
	}
	if m.switcher != nil {
		m.switcher.SetSize(w, bodyH)
	}
}

// rebuild re-renders every component's cached rows (after a restyle).
func (m *Model) rebuild() {
	m.clusters.rebuild()
	m.services.rebuild()
	if m.wf != nil {
		m.wf.rebuild()
	}
	for _, l := range m.stack {
		l.rebuild(m)
	}
	if m.dialog != nil {
		m.dialog.rebuild()
	}
	if m.switcher != nil {
		m.switcher.rebuild()
	}
}

func (m *Model) size() (int, int) {
	return m.width, m.height
}

// View draws the frame: header, the screen (or a dialog over it), footer.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = m.windowTitle()
	return v
}

func (m *Model) render() string {
	w, h := m.size()
	if w < minWidth || h < minHeight {
		return tooSmall(w, h)
	}
	var body string
	switch {
	case m.dialog != nil:
		body = m.dialog.View()
	case m.switcher != nil:
		body = m.switcher.View()
	case m.help != nil:
		body = m.help.View()
	case m.top() != nil:
		body = m.top().View(m.c.styles)
	case m.screen == screenClusters:
		body = m.clusters.View()
	case m.screen == screenServices:
		body = m.services.View()
	default:
		body = m.wf.View()
	}
	parts := []string{m.headerView(w), body}
	if m.bannerHeight() > 0 {
		parts = append(parts, m.bannerView(w))
	}
	return strings.Join(append(parts, m.footerView(w)), "\n")
}

// tooSmall is the whole frame below the minimum size: one line that says
// so, rather than a layout squeezed into garbage.
func tooSmall(w, h int) string {
	msg := fmt.Sprintf("terminal too small (need %d×%d)", minWidth, minHeight)
	if w > 0 {
		msg = truncate(msg, w)
	}
	return msg + strings.Repeat("\n", max(0, h-1))
}

// followsBackground: the palette follows the terminal's background unless
// colour is off or the theme forces one.
func (m *Model) followsBackground() bool {
	return !m.opts.NoColor && m.opts.Theme != ThemeDark && m.opts.Theme != ThemeLight
}

func (m *Model) windowTitle() string {
	t := "ecsdoctor"
	if m.opts.Cluster != "" {
		t += " · " + m.opts.Cluster
	}
	if m.screen == screenWorkflow && m.wf != nil && m.wf.target.Service != "" {
		t += " › " + m.wf.target.Service
	}
	return t
}
