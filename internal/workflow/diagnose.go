package workflow

import (
	"sort"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// stepDef is one step: the facts it reads and the check that reads them.
type stepDef struct {
	id    StepID
	n     int
	title string
	// needs are the parts that must have arrived before the check can run;
	// a part that failed makes the step unknown unless it already failed.
	needs []facts.Key
	check func(c *checkContext) stepResult
}

// stepResult is what a check says.
type stepResult struct {
	findings []Finding
	// skipped, when set, says why the step does not apply.
	skipped string
	// unknown lists parts whose failure leaves the step undecided even
	// though they are not in needs (optional parts that turned out to matter).
	unknown []facts.Key
}

// Steps in the order of the seed's debugging workflow.
var steps = []stepDef{
	{StepEvents, 1, "Service events", []facts.Key{facts.KeyService}, checkEvents},
	{StepStoppedTasks, 2, "Stopped tasks", []facts.Key{facts.KeyTasks}, checkStoppedTasks},
	{StepStopReason, 3, "Stop reason", []facts.Key{facts.KeyTasks, facts.KeyTaskDefinition, facts.KeyImages}, checkStopReason},
	{StepLogs, 4, "Logs", []facts.Key{facts.KeyTaskDefinition, facts.KeyLogGroups, facts.KeyLogEvents}, checkLogs},
	{StepEndpoints, 5, "VPC endpoints and network path", []facts.Key{facts.KeyTaskDefinition, facts.KeyVPC, facts.KeySubnets, facts.KeyRouteTables, facts.KeyNATGateways, facts.KeyInternetGateways, facts.KeyEndpoints, facts.KeySecurityGroups, facts.KeyNetworkACLs}, checkEndpoints},
	{StepIAM, 6, "IAM execution role", []facts.Key{facts.KeyTaskDefinition, facts.KeyRole, facts.KeyRolePolicies, facts.KeySecrets, facts.KeyParameters, facts.KeyKMSKeys}, checkIAM},
	{StepSecurityGroups, 7, "Security groups and network ACLs", []facts.Key{facts.KeyTaskDefinition, facts.KeyVPC, facts.KeySubnets, facts.KeyRouteTables, facts.KeyEndpoints, facts.KeySecurityGroups, facts.KeyNetworkACLs, facts.KeyDatabases}, checkSecurityGroups},
}

// StepTitles lists the steps' ids and titles in order (for a UI that has
// no diagnosis yet).
func StepTitles() []Step {
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = Step{ID: s.id, N: s.n, Title: s.title, Status: StatusPending, Findings: []string{}}
	}
	return out
}

// Diagnose runs the seven steps over the facts. It works on partial facts
// too: a step whose facts have not arrived is pending.
func Diagnose(f *facts.Facts) *Diagnosis {
	c := newCheckContext(f)
	d := &Diagnosis{
		SchemaVersion: SchemaVersion,
		Target:        Target{Account: c.account, Region: c.region, Cluster: f.Target.Cluster, Service: f.Target.Service, Task: f.ChosenTaskARN, Profile: f.Target.Profile},
		APICalls:      f.APICalls,
		Facts:         f,
		Findings:      []Finding{},
	}
	for _, def := range steps {
		step := Step{ID: def.id, N: def.n, Title: def.title, Findings: []string{}}
		pending, failed := partsState(f, def.needs)
		switch {
		case pending:
			step.Status = StatusPending
		default:
			res := def.check(c)
			for i := range res.findings {
				res.findings[i].Step = def.id
			}
			res.findings = normalize(res.findings)
			for _, fi := range res.findings {
				step.Findings = append(step.Findings, fi.ID)
			}
			d.Findings = append(d.Findings, res.findings...)
			for _, k := range res.unknown {
				if f.State(k) == facts.FetchFailed {
					failed = append(failed, k)
				}
			}
			step.Status = stepStatus(res, len(failed) > 0)
			if res.skipped != "" && step.Status == StatusSkipped {
				step.Detail = res.skipped
			}
		}
		for _, k := range failed {
			if e := f.Err(k); e != nil && !hasUnknown(step.Unknown, *e) {
				step.Unknown = append(step.Unknown, *e)
			}
		}
		if step.Status == StatusUnknown && step.Detail == "" && len(step.Unknown) > 0 {
			step.Detail = unknownDetail(step.Unknown)
		}
		d.Steps = append(d.Steps, step)
	}
	d.Evidence = collectEvidence(c)
	return d
}

// partsState says whether any needed part is still pending, and which failed.
func partsState(f *facts.Facts, keys []facts.Key) (pending bool, failed []facts.Key) {
	for _, k := range keys {
		switch f.State(k) {
		case facts.FetchPending:
			pending = true
		case facts.FetchFailed:
			failed = append(failed, k)
		}
	}
	return pending, failed
}

// stepStatus: a known failure beats "could not check", which beats a
// warning; a step with nothing to report is ok, or skipped when it does not
// apply.
func stepStatus(res stepResult, partsFailed bool) Status {
	worst := ""
	for _, f := range res.findings {
		switch {
		case f.Severity == SeverityError:
			worst = "error"
		case f.Severity == SeverityWarning && worst != "error":
			worst = "warning"
		}
	}
	switch {
	case worst == "error":
		return StatusFail
	case partsFailed:
		return StatusUnknown
	case worst == "warning":
		return StatusWarn
	case res.skipped != "":
		return StatusSkipped
	}
	return StatusOK
}

func unknownDetail(errs []facts.FetchError) string {
	var parts []string
	for _, e := range errs {
		// The detail names the failing call (the permission to add) even
		// when the error's own message does not.
		msg := e.Message
		switch {
		case e.Operation == "" || strings.Contains(msg, e.Operation):
		case msg == "":
			msg = e.Operation + " failed (" + e.Code + ")"
		default:
			msg = e.Operation + " failed (" + e.Code + "): " + msg
		}
		parts = append(parts, msg)
	}
	return "Could not check: " + strings.Join(parts, "; ")
}

func hasUnknown(list []facts.FetchError, e facts.FetchError) bool {
	for _, x := range list {
		if x.Operation == e.Operation && x.Code == e.Code {
			return true
		}
	}
	return false
}

// normalize fills empty collections (the JSON contract has arrays, never
// null), marks the first fix recommended, and orders findings by severity.
func normalize(fs []Finding) []Finding {
	rank := map[Severity]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	for i := range fs {
		if fs[i].Attrs == nil || !allSet(fs[i].Attrs) {
			// A qualifier the text did not carry is left out, not shown as "".
			// Copy: the map may be the knowledge base's own.
			attrs := map[string]string{}
			for k, v := range fs[i].Attrs {
				if v != "" {
					attrs[k] = v
				}
			}
			fs[i].Attrs = attrs
		}
		if fs[i].Resources == nil {
			fs[i].Resources = []string{}
		}
		if fs[i].Fixes == nil {
			fs[i].Fixes = []Fix{}
		}
		for j := range fs[i].Fixes {
			fs[i].Fixes[j].Recommended = j == 0
			if fs[i].Fixes[j].CLI == nil {
				fs[i].Fixes[j].CLI = []string{}
			}
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return rank[fs[i].Severity] < rank[fs[j].Severity] })
	return fs
}

func allSet(attrs map[string]string) bool {
	for _, v := range attrs {
		if v == "" {
			return false
		}
	}
	return true
}
