package tui

import (
	"github.com/ecsdoctor/ecsdoctor/internal/awsx"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// Messages that carry AWS answers into Update. Each names the load it
// belongs to, so an answer to a load the user has since left (another
// service, an earlier refresh) is recognised and dropped.

type identityMsg struct {
	gen    int // Model.srcGen when the call started
	caller facts.Caller
	err    error
}

type clustersMsg struct {
	load *load
	rows []backend.ClusterSummary
	err  error
}

// serviceRowsMsg is one or more DescribeServices batches; done is set on
// the last message of the load.
type serviceRowsMsg struct {
	stream *serviceStream
	rows   []backend.ServiceSummary
	done   bool
	err    error
}

// diagnosisMsg is a diagnosis of partial facts (final false) or the
// finished one.
type diagnosisMsg struct {
	stream *diagnosisStream
	d      *workflow.Diagnosis
	final  bool
	err    error
}

// fixResultMsg is what applying (or dry-running) a fix did.
type fixResultMsg struct {
	dialog *fixDialog
	target awsx.Request // the service the fix was applied to
	fix    workflow.Fix
	res    *backend.FixResult
	err    error
	dryRun bool
}

type logPageMsg struct {
	load   *load
	page   backend.LogPage
	follow bool // the page continues the stream (F) rather than replacing it
	err    error
}

// refreshTickMsg asks for a re-diagnosis (--refresh); gen drops ticks of a
// timer that a newer one replaced.
type refreshTickMsg struct{ gen int }

// followTickMsg asks a following log viewer for the lines after its token.
type followTickMsg struct{ viewer *logViewer }

// profilesMsg is the profile names the switcher offers.
type profilesMsg struct {
	switcher *switcher
	names    []string
	err      error
}

// switchedMsg is the account a switch opened (src and who it is), or why
// it could not.
type switchedMsg struct {
	load   *load
	to     switchTarget
	src    Source
	caller facts.Caller
	err    error
}

// loginDoneMsg: the login command gave the terminal back.
type loginDoneMsg struct {
	prompt *loginPrompt
	err    error
}
