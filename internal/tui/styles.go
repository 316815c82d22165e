package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Styles is every style the UI uses, in one place, so that the colour and
// no-colour variants cannot drift apart.
type Styles struct {
	Bold      lipgloss.Style
	Faint     lipgloss.Style // secondary text: ages, ids, hints
	Title     lipgloss.Style // pane and dialog titles
	Accent    lipgloss.Style // the product name, breadcrumb separators
	Selected  lipgloss.Style // the row under the cursor in a focused pane
	Inactive  lipgloss.Style // the row under the cursor in an unfocused pane
	Rule      lipgloss.Style // separators and borders
	Header    lipgloss.Style // table column titles
	Demo      lipgloss.Style // the DEMO badge
	Key       lipgloss.Style // a key in the footer and help
	KeyDesc   lipgloss.Style
	Disabled  lipgloss.Style // a key that cannot act now, with its reason
	Flash     lipgloss.Style // one-line messages after an action
	Marked    lipgloss.Style // what decides a verdict: a matching log line, a deciding statement
	Good      lipgloss.Style // a rule that admits the task, a reachable path
	Bad       lipgloss.Style // a rule or path that blocks the task
	Match     lipgloss.Style // search matches in the log viewer
	MatchCur  lipgloss.Style // the current search match
	DialogBox lipgloss.Style

	status   map[workflow.Status]lipgloss.Style
	severity map[workflow.Severity]lipgloss.Style
}

// Status styles a step status mark or word.
func (s Styles) Status(st workflow.Status) lipgloss.Style { return s.status[st] }

// Severity styles a finding's severity.
func (s Styles) Severity(sev workflow.Severity) lipgloss.Style { return s.severity[sev] }

// DefaultStyles are the colour styles. Every colour comes as a light and a
// dark variant so that text stays readable on both kinds of terminal
// background; hasDarkBackground picks one (Bubble Tea reports it).
func DefaultStyles(hasDarkBackground bool) Styles {
	ld := lipgloss.LightDark(hasDarkBackground)
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF7A70"))
	green := ld(lipgloss.Color("#1E7B34"), lipgloss.Color("#7BD88F"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F5C451"))
	violet := ld(lipgloss.Color("#7B1FA2"), lipgloss.Color("#D59BFF"))
	blue := ld(lipgloss.Color("#0B5CAD"), lipgloss.Color("#73B7FF"))
	muted := ld(lipgloss.Color("#5F6368"), lipgloss.Color("#9AA0A6"))
	selBg := ld(lipgloss.Color("#DCE6F5"), lipgloss.Color("#2A3A55"))
	selFg := ld(lipgloss.Color("#000000"), lipgloss.Color("#FFFFFF"))
	matchBg := ld(lipgloss.Color("#FFE082"), lipgloss.Color("#6B5200"))

	s := baseStyles()
	s.Faint = lipgloss.NewStyle().Foreground(muted)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(blue)
	s.Accent = lipgloss.NewStyle().Bold(true).Foreground(blue)
	s.Selected = lipgloss.NewStyle().Bold(true).Foreground(selFg).Background(selBg)
	s.Inactive = lipgloss.NewStyle().Underline(true)
	s.Rule = lipgloss.NewStyle().Foreground(muted)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(muted)
	s.Demo = lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(amber)
	s.Key = lipgloss.NewStyle().Bold(true).Foreground(blue)
	s.KeyDesc = lipgloss.NewStyle().Foreground(muted)
	s.Disabled = lipgloss.NewStyle().Faint(true).Strikethrough(false).Foreground(muted)
	s.Flash = lipgloss.NewStyle().Bold(true).Foreground(amber)
	s.Marked = lipgloss.NewStyle().Bold(true).Foreground(amber)
	s.Good = lipgloss.NewStyle().Foreground(green)
	s.Bad = lipgloss.NewStyle().Bold(true).Foreground(red)
	s.Match = lipgloss.NewStyle().Background(matchBg)
	s.MatchCur = lipgloss.NewStyle().Bold(true).Reverse(true)
	s.DialogBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(blue).Padding(0, 1)
	s.status = statusStyles(green, amber, red, violet, muted)
	s.severity = map[workflow.Severity]lipgloss.Style{
		workflow.SeverityError:   lipgloss.NewStyle().Bold(true).Foreground(red),
		workflow.SeverityWarning: lipgloss.NewStyle().Bold(true).Foreground(amber),
		workflow.SeverityInfo:    lipgloss.NewStyle().Foreground(blue),
	}
	return s
}

// NoColorStyles use no colour at all (NO_COLOR, --no-color). Selection and
// emphasis survive as reverse video, bold and underline, which every
// terminal renders.
func NoColorStyles() Styles {
	plain := lipgloss.NewStyle()
	bold := lipgloss.NewStyle().Bold(true)
	s := baseStyles()
	s.Faint = plain
	s.Title = bold
	s.Accent = bold
	s.Selected = lipgloss.NewStyle().Reverse(true)
	s.Inactive = lipgloss.NewStyle().Underline(true)
	s.Rule = plain
	s.Header = bold
	s.Demo = lipgloss.NewStyle().Reverse(true)
	s.Key = bold
	s.KeyDesc = plain
	s.Disabled = plain
	s.Flash = bold
	s.Marked = bold
	s.Good = plain
	s.Bad = bold
	s.Match = lipgloss.NewStyle().Underline(true)
	s.MatchCur = lipgloss.NewStyle().Reverse(true)
	s.DialogBox = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.status = map[workflow.Status]lipgloss.Style{}
	for _, st := range allStatuses {
		s.status[st] = plain
	}
	s.status[workflow.StatusFail] = bold
	s.severity = map[workflow.Severity]lipgloss.Style{
		workflow.SeverityError:   bold,
		workflow.SeverityWarning: plain,
		workflow.SeverityInfo:    plain,
	}
	return s
}

var allStatuses = []workflow.Status{workflow.StatusOK, workflow.StatusWarn, workflow.StatusFail, workflow.StatusUnknown, workflow.StatusSkipped, workflow.StatusPending}

func baseStyles() Styles {
	return Styles{Bold: lipgloss.NewStyle().Bold(true)}
}

func statusStyles(ok, warn, fail, unknown, muted color.Color) map[workflow.Status]lipgloss.Style {
	return map[workflow.Status]lipgloss.Style{
		workflow.StatusOK:      lipgloss.NewStyle().Foreground(ok),
		workflow.StatusWarn:    lipgloss.NewStyle().Bold(true).Foreground(warn),
		workflow.StatusFail:    lipgloss.NewStyle().Bold(true).Foreground(fail),
		workflow.StatusUnknown: lipgloss.NewStyle().Bold(true).Foreground(unknown),
		workflow.StatusSkipped: lipgloss.NewStyle().Foreground(muted),
		workflow.StatusPending: lipgloss.NewStyle().Foreground(muted),
	}
}
