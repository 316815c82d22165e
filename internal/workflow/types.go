// Package workflow is the seven-step ECS debugging workflow as pure logic:
// checks that read facts and produce findings, each with the fixes that
// would resolve it. Nothing here talks to AWS or to a terminal.
package workflow

import (
	"github.com/ecsdoctor/ecsdoctor/internal/change"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// SchemaVersion is the version of the JSON output (contract.md).
const SchemaVersion = 1

// Severity of a finding.
type Severity string

const (
	SeverityError   Severity = "error"   // blocks the task from starting or staying healthy
	SeverityWarning Severity = "warning" // likely to bite
	SeverityInfo    Severity = "info"
)

// Status of a step.
type Status string

const (
	StatusOK      Status = "ok"
	StatusWarn    Status = "warn"
	StatusFail    Status = "fail"
	StatusUnknown Status = "unknown" // could not check; Unknown says why
	StatusSkipped Status = "skipped" // does not apply
	// StatusPending is only seen while facts are still arriving (the TUI).
	StatusPending Status = "pending"
)

// StepID names one of the seven steps.
type StepID string

const (
	StepEvents         StepID = "events"
	StepStoppedTasks   StepID = "stopped-tasks"
	StepStopReason     StepID = "stop-reason"
	StepLogs           StepID = "logs"
	StepEndpoints      StepID = "endpoints"
	StepIAM            StepID = "iam"
	StepSecurityGroups StepID = "security-groups"
)

// Step is one step of the workflow with its outcome.
type Step struct {
	ID       StepID   `json:"id"`
	N        int      `json:"n"`
	Title    string   `json:"title"`
	Status   Status   `json:"status"`
	Findings []string `json:"findings"`
	// Detail explains a skipped or unknown status in one or two sentences.
	Detail string `json:"detail,omitempty"`
	// Unknown lists the calls that failed, with what to do about each.
	Unknown []facts.FetchError `json:"unknown,omitempty"`
}

// Finding is one distinct problem, explained with its evidence.
type Finding struct {
	ID        string            `json:"id"`
	Severity  Severity          `json:"severity"`
	Step      StepID            `json:"step"`
	Title     string            `json:"title"`
	Detail    string            `json:"detail"`
	Resources []string          `json:"resources"`
	Attrs     map[string]string `json:"attrs"`
	Fixes     []Fix             `json:"fixes"`
	// Evidence is raw text AWS showed (a stop reason, log lines), verbatim.
	Evidence []string `json:"evidence,omitempty"`
}

// Fix is one way to resolve a finding. change.Plan holds the exact change for
// applying it; CLI shows the same change as AWS CLI commands.
type Fix struct {
	ID             string   `json:"id"`
	Kind           string   `json:"kind"`
	Title          string   `json:"title"`
	Recommended    bool     `json:"recommended"`
	Mutates        bool     `json:"mutates"`
	MonthlyCostUSD *float64 `json:"monthlyCostUSD,omitempty"`
	CLI            []string `json:"cli"`
	// Risk and Tradeoff are shown in the fix dialog.
	Risk     string `json:"risk,omitempty"`
	Tradeoff string `json:"tradeoff,omitempty"`
	// Redeploy says the change only reaches new tasks.
	Redeploy bool         `json:"redeploy,omitempty"`
	Plan     *change.Plan `json:"-"`
}

// Target is what was diagnosed, as the JSON output names it.
type Target struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Cluster string `json:"cluster"`
	Service string `json:"service,omitempty"`
	Task    string `json:"task,omitempty"`
	Profile string `json:"-"`
}

// Diagnosis is the result of the workflow over one set of facts.
type Diagnosis struct {
	SchemaVersion int       `json:"schemaVersion"`
	Target        Target    `json:"target"`
	Steps         []Step    `json:"steps"`
	Findings      []Finding `json:"findings"`
	APICalls      int       `json:"apiCalls"`
	// Facts are what the diagnosis read (the TUI's evidence panes use them).
	Facts *facts.Facts `json:"-"`
	// Evidence is what the checks computed from the facts.
	Evidence Evidence `json:"-"`
}

// HasErrors reports whether any finding has severity error.
func (d *Diagnosis) HasErrors() bool {
	for _, f := range d.Findings {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Step returns the step with that id.
func (d *Diagnosis) Step(id StepID) *Step {
	for i := range d.Steps {
		if d.Steps[i].ID == id {
			return &d.Steps[i]
		}
	}
	return nil
}

// FindingsOf returns the findings of one step.
func (d *Diagnosis) FindingsOf(id StepID) []Finding {
	var out []Finding
	for _, f := range d.Findings {
		if f.Step == id {
			out = append(out, f)
		}
	}
	return out
}

// Fix returns the fix with that id, and the finding that offers it.
func (d *Diagnosis) Fix(id string) (*Fix, *Finding) {
	for i := range d.Findings {
		for j := range d.Findings[i].Fixes {
			if d.Findings[i].Fixes[j].ID == id {
				return &d.Findings[i].Fixes[j], &d.Findings[i]
			}
		}
	}
	return nil, nil
}
