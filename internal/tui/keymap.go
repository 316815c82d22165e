package tui

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap is every key the UI answers to. The footer and the help screen are
// generated from it, so a key is described in exactly one place.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Tab, Enter, Back                        key.Binding
	NextStep, PrevStep, JumpStep            key.Binding
	Fix, Refresh, Filter, Help              key.Binding
	Quit, ForceQuit                         key.Binding
	// CopyReport copies the diagnosis as Markdown, for a ticket.
	CopyReport key.Binding
	// Account: Switch picks another profile and region; Login runs
	// `aws sso login` when the SSO session has expired.
	Switch, Login key.Binding
	// Log viewer.
	Left, Right, NextMatch, PrevMatch, Follow key.Binding
	// Fix dialog (gum confirm's affirmative/negative, plus dry run and copy).
	Apply, DryRun, Copy, Cancel key.Binding
}

// DefaultKeyMap is k9s's habits: vi keys and arrows, n/p for the next and
// previous step, / to filter, ? for help, q to quit (ctrl+c always).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Tab:       key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "switch pane")),
		Enter:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		NextStep:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next step")),
		PrevStep:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prev step")),
		JumpStep:  key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7"), key.WithHelp("1-7", "jump to step")),
		Fix:       key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fix")),
		Refresh:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit, always")),
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "scroll left")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll right")),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		Follow:    key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "follow")),
		Apply:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "apply")),
		DryRun:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "dry run")),
		Copy:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy CLI")),
		Cancel:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),

		// Capitals, so that they never collide with the letters the
		// screens use (p is the previous step, l pans the log viewer).
		CopyReport: key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "copy report")),
		Switch:     key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "profile/region")),
		Login:      key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "aws sso login")),
	}
}

// helpGroup is one titled group of the help screen.
type helpGroup struct {
	Title    string
	Bindings []key.Binding
}

// groups lists every binding, grouped as the help screen shows them.
func (k KeyMap) groups() []helpGroup {
	return []helpGroup{
		{"Move", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Tab}},
		{"Workflow", []key.Binding{k.Enter, k.Back, k.NextStep, k.PrevStep, k.JumpStep, k.Refresh, k.CopyReport}},
		{"Fix dialog", []key.Binding{k.Fix, k.Apply, k.DryRun, k.Copy, k.Cancel}},
		{"Filter and logs", []key.Binding{k.Filter, k.NextMatch, k.PrevMatch, k.Follow, k.Left, k.Right}},
		{"General", []key.Binding{k.Help, k.Quit, k.ForceQuit}},
		{"Account", []key.Binding{k.Switch, k.Login}},
	}
}

// action is a binding as one screen offers it: with its description there,
// and, when it cannot act now, the reason (lazygit's disabled reasons), so a
// key never silently does nothing.
type action struct {
	binding  key.Binding
	label    string // overrides the binding's key label (e.g. "↑↓" for two bindings)
	desc     string // overrides the binding's description on this screen
	disabled string // why the key cannot act now; empty when it can
	hidden   bool   // left out of the footer (still explains itself when pressed)
}

func act(b key.Binding) action { return action{binding: b} }

func (a action) as(desc string) action { a.desc = desc; return a }

func (a action) unless(disabled bool, reason string) action {
	if disabled {
		a.disabled = reason
	}
	return a
}

func (a action) hide() action { a.hidden = true; return a }

func (a action) keys(label string) action { a.label = label; return a }

func (a action) keyLabel() string {
	if a.label != "" {
		return a.label
	}
	return a.binding.Help().Key
}

func (a action) description() string {
	if a.desc != "" {
		return a.desc
	}
	return a.binding.Help().Desc
}

// disabledReason returns why the first action bound to the pressed key
// cannot act, or "" when it can (or no action on this screen uses the key).
func disabledReason(actions []action, pressed string) string {
	for _, a := range actions {
		for _, k := range a.binding.Keys() {
			if k == pressed {
				return a.disabled
			}
		}
	}
	return ""
}
