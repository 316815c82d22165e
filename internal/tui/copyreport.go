package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/report"
)

// C copies the diagnosis as the Markdown report `ecsdoctor diagnose
// --format markdown` writes, for an incident ticket or a chat, through the
// terminal (OSC 52), which works over SSH where no local clipboard tool
// can.

// copyAction is C as the current screen offers it.
func (m *Model) copyAction() action {
	a := act(m.c.keys.CopyReport).as("copy report")
	switch {
	case m.screen != screenWorkflow || m.wf == nil:
		return a.unless(true, "open a service first: C copies its diagnosis as Markdown")
	case m.wf.d == nil && m.wf.running(), m.wf.d != nil && !m.wf.complete:
		return a.unless(true, "wait for the diagnosis to finish")
	case m.wf.d == nil:
		return a.unless(true, "there is no diagnosis to copy: it could not run")
	}
	return a
}

func (m *Model) copyReport() tea.Cmd {
	var b strings.Builder
	if err := report.WriteMarkdown(&b, m.wf.d); err != nil {
		m.flash = "could not write the report: " + firstLine(err.Error())
		return nil
	}
	md := b.String()
	m.flash = fmt.Sprintf("copied the report of %s (Markdown, %s) to the clipboard (OSC 52)",
		m.wf.target.Service+m.wf.target.Task, plural(strings.Count(md, "\n"), "line", "lines"))
	return tea.SetClipboard(md)
}
