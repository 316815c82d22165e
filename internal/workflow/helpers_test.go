package workflow

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The finding catalogue of contract.md: id -> step and the attrs it names.
var catalogue = map[string]struct {
	step  StepID
	attrs []string
}{
	"service.not-found":               {StepEvents, nil},
	"service.no-running-tasks":        {StepEvents, nil},
	"service.deployment-failed":       {StepEvents, nil},
	"service.event.health-check":      {StepEvents, nil},
	"service.event.elb-health-check":  {StepEvents, []string{"targetGroup"}},
	"service.event.placement":         {StepEvents, nil},
	"service.event.start-failures":    {StepEvents, nil},
	"task.none-stopped":               {StepStoppedTasks, nil},
	"stop.registry-auth-network":      {StepStopReason, nil},
	"stop.image-pull-network":         {StepStopReason, nil},
	"stop.image-not-found":            {StepStopReason, []string{"image"}},
	"stop.image-pull-denied":          {StepStopReason, []string{"image"}},
	"stop.image-platform":             {StepStopReason, []string{"image"}},
	"stop.secrets-network":            {StepStopReason, []string{"service"}},
	"stop.secrets-access-denied":      {StepStopReason, []string{"action"}},
	"stop.secret-not-found":           {StepStopReason, nil},
	"stop.logs-init":                  {StepStopReason, nil},
	"stop.health-check":               {StepStopReason, nil},
	"stop.elb-health-check":           {StepStopReason, nil},
	"stop.essential-exited":           {StepStopReason, []string{"exitCode", "meaning"}},
	"stop.oom":                        {StepStopReason, nil},
	"stop.subnet-no-ips":              {StepStopReason, []string{"subnet"}},
	"stop.rate-limited":               {StepStopReason, nil},
	"stop.unclassified":               {StepStopReason, nil},
	"image.not-found":                 {StepStopReason, []string{"image"}},
	"logs.group-missing":              {StepLogs, []string{"logGroup"}},
	"logs.db-ssl-required":            {StepLogs, nil},
	"logs.db-auth-failed":             {StepLogs, nil},
	"logs.dns-failure":                {StepLogs, []string{"host"}},
	"logs.connection-refused":         {StepLogs, []string{"host"}},
	"logs.out-of-memory":              {StepLogs, nil},
	"endpoint.missing":                {StepEndpoints, []string{"service"}},
	"endpoint.s3-route-table-missing": {StepEndpoints, []string{"routeTable"}},
	"endpoint.not-available":          {StepEndpoints, []string{"service", "endpointId"}},
	"endpoint.private-dns-disabled":   {StepEndpoints, []string{"service", "endpointId"}},
	"endpoint.az-not-covered":         {StepEndpoints, []string{"service", "az"}},
	"vpc.dns-support-disabled":        {StepEndpoints, []string{"vpc"}},
	"vpc.dns-hostnames-disabled":      {StepEndpoints, []string{"vpc"}},
	"net.public-ip-no-igw":            {StepEndpoints, []string{"subnet"}},
	"net.nat-unusable":                {StepEndpoints, []string{"natGateway"}},
	"iam.execution-role-missing":      {StepIAM, nil},
	"iam.execution-role-not-found":    {StepIAM, []string{"role"}},
	"iam.execution-role-trust":        {StepIAM, []string{"role"}},
	"iam.permission-missing":          {StepIAM, []string{"action", "resource"}},
	"iam.policy-not-attached":         {StepIAM, []string{"policyArn"}},
	"secret.not-found":                {StepIAM, []string{"secret"}},
	"sg.task-egress-blocked":          {StepSecurityGroups, []string{"service", "port"}},
	"sg.endpoint-ingress-missing":     {StepSecurityGroups, []string{"service", "endpointId"}},
	"nacl.blocks-https":               {StepSecurityGroups, []string{"subnet", "nacl"}},
	"sg.db-ingress-missing":           {StepSecurityGroups, []string{"db", "port"}},
	"healthcheck.tool-missing":        {StepStopReason, []string{"tool"}},
	"healthcheck.start-period-short":  {StepStopReason, nil},

	// Additions the code documents (kb/ids.go, netpath/result.go) or emits.
	"service.event.launch-failed": {StepEvents, []string{"role"}},
	"service.deployment-failing":  {StepEvents, []string{"deployment"}},
	"task.stopped-failures":       {StepStoppedTasks, []string{"count"}},
	"stop.resource-init":          {StepStopReason, nil},
	"stop.image-pull-failed":      {StepStopReason, nil},
	"stop.efs-mount":              {StepStopReason, nil},
	"stop.env-files":              {StepStopReason, nil},
	"stop.disk-full":              {StepStopReason, nil},
	"stop.container-start":        {StepStopReason, nil},
	"stop.container-runtime":      {StepStopReason, nil},
	"stop.eni-timeout":            {StepStopReason, nil},
	"stop.task-quota":             {StepStopReason, nil},
	"logs.exec-format":            {StepLogs, nil},
	"net.no-internet":             {StepEndpoints, []string{"subnet"}},
	"net.path-unverified":         {StepEndpoints, []string{"service"}},
	"nacl.blocks-port":            {StepSecurityGroups, []string{"subnet", "nacl", "port"}},
	"iam.permission-conditional":  {StepIAM, []string{"action", "resource"}},
}

// The fix catalogue's kinds, plus authorize-db-ingress (fixes.go).
var fixKinds = map[string]bool{
	"create-interface-endpoint": true, "create-s3-gateway-endpoint": true, "associate-s3-endpoint-route-table": true,
	"authorize-endpoint-https-ingress": true, "add-endpoint-security-group": true, "authorize-task-https-egress": true,
	"attach-role-policy": true, "put-execution-role-policy": true, "create-log-group": true, "enable-vpc-dns": true,
	"enable-private-dns": true, "enable-public-ip": true, "update-health-check": true, "force-new-deployment": true,
	"authorize-db-ingress": true,
}

var stepOrder = []StepID{StepEvents, StepStoppedTasks, StepStopReason, StepLogs, StepEndpoints, StepIAM, StepSecurityGroups}

// checkInvariants checks what every diagnosis must satisfy, whatever the
// facts: the contract's shape, and consistency between steps and findings.
func checkInvariants(t *testing.T, d *Diagnosis) {
	t.Helper()
	if d.SchemaVersion != 1 {
		t.Errorf("schemaVersion = %d, want 1", d.SchemaVersion)
	}
	if d.Findings == nil {
		t.Errorf("Findings is nil, want an empty slice")
	}
	if len(d.Steps) != 7 {
		t.Fatalf("got %d steps, want 7: %+v", len(d.Steps), d.Steps)
	}
	for i, s := range d.Steps {
		if s.ID != stepOrder[i] || s.N != i+1 || s.Title == "" {
			t.Errorf("step %d = {%s %d %q}, want {%s %d <title>}", i, s.ID, s.N, s.Title, stepOrder[i], i+1)
		}
		if s.Findings == nil {
			t.Errorf("step %s: Findings is nil, want an empty slice", s.ID)
		}
		var ids []string
		worst := ""
		for _, f := range d.Findings {
			if f.Step == s.ID {
				ids = append(ids, f.ID)
				if f.Severity == SeverityError {
					worst = "error"
				} else if f.Severity == SeverityWarning && worst == "" {
					worst = "warning"
				}
			}
		}
		if !reflect.DeepEqual(append([]string{}, s.Findings...), append([]string{}, ids...)) {
			t.Errorf("step %s lists findings %v, but the findings of the step are %v", s.ID, s.Findings, ids)
		}
		switch s.Status {
		case StatusOK, StatusWarn, StatusFail, StatusUnknown, StatusSkipped, StatusPending:
		default:
			t.Errorf("step %s: status %q is not in the contract", s.ID, s.Status)
		}
		if worst == "error" && s.Status != StatusFail {
			t.Errorf("step %s has an error finding but status %s, want fail", s.ID, s.Status)
		}
		if s.Status == StatusFail && worst != "error" {
			t.Errorf("step %s is fail without an error finding", s.ID)
		}
		if worst == "warning" && s.Status != StatusWarn && s.Status != StatusUnknown {
			t.Errorf("step %s has a warning but status %s", s.ID, s.Status)
		}
		if s.Status == StatusUnknown && (len(s.Unknown) == 0 || s.Detail == "") {
			t.Errorf("step %s is unknown without Unknown errors and a Detail: %+v", s.ID, s)
		}
		if s.Status == StatusSkipped && s.Detail == "" {
			t.Errorf("step %s is skipped without a Detail saying why", s.ID)
		}
	}

	fixByID := map[string]Fix{}
	for _, f := range d.Findings {
		where := fmt.Sprintf("finding %s %v", f.ID, f.Attrs)
		cat, ok := catalogue[f.ID]
		if !ok {
			t.Errorf("%s: id is neither in the catalogue nor a documented addition", where)
		} else if cat.step != f.Step {
			t.Errorf("%s: reported in step %s, the catalogue puts it in %s", where, f.Step, cat.step)
		}
		for _, a := range cat.attrs {
			if f.Attrs[a] == "" {
				t.Errorf("%s: attr %q the catalogue names is missing or empty", where, a)
			}
		}
		switch f.Severity {
		case SeverityError, SeverityWarning, SeverityInfo:
		default:
			t.Errorf("%s: severity %q", where, f.Severity)
		}
		if f.Title == "" || f.Detail == "" {
			t.Errorf("%s: empty title or detail", where)
		}
		if f.Resources == nil || f.Attrs == nil || f.Fixes == nil {
			t.Errorf("%s: nil resources, attrs or fixes (JSON must show [] / {})", where)
		}
		for _, r := range f.Resources {
			if r == "" {
				t.Errorf("%s: empty resource in %v", where, f.Resources)
			}
		}
		for j, fx := range f.Fixes {
			if fx.Recommended != (j == 0) {
				t.Errorf("%s: fix %d (%s) recommended=%v; only the first fix is recommended", where, j, fx.ID, fx.Recommended)
			}
			kind, qual, _ := strings.Cut(fx.ID, ":")
			if kind != fx.Kind || qual == "" {
				t.Errorf("%s: fix id %q is not kind:qualifier for kind %q", where, fx.ID, fx.Kind)
			}
			if !fixKinds[fx.Kind] {
				t.Errorf("%s: fix kind %q is not in the fix catalogue", where, fx.Kind)
			}
			if fx.Title == "" {
				t.Errorf("%s: fix %s has no title", where, fx.ID)
			}
			if fx.MonthlyCostUSD == nil {
				t.Errorf("%s: fix %s does not say what it costs a month", where, fx.ID)
			}
			if fx.CLI == nil || (fx.Mutates && len(fx.CLI) == 0) {
				t.Errorf("%s: fix %s has no CLI commands", where, fx.ID)
			}
			for _, cmd := range fx.CLI {
				if !strings.Contains(cmd, "aws ") || strings.Contains(cmd, "  ") || strings.HasSuffix(cmd, " ") {
					t.Errorf("%s: fix %s: malformed CLI command %q", where, fx.ID, cmd)
				}
				if _, err := shellWords(cmd); err != nil {
					t.Errorf("%s: fix %s: CLI command is not valid shell (%v): %s", where, fx.ID, err, cmd)
				}
			}
			if fx.Plan == nil || len(fx.Plan.Actions) == 0 {
				t.Errorf("%s: fix %s has no plan", where, fx.ID)
			} else if !reflect.DeepEqual(fx.Plan.CLI(), fx.CLI) {
				t.Errorf("%s: fix %s: CLI shown differs from the plan applied", where, fx.ID)
			}
			if prev, seen := fixByID[fx.ID]; seen && !reflect.DeepEqual(prev.CLI, fx.CLI) {
				t.Errorf("fix id %s names two different changes:\n  %v\n  %v", fx.ID, prev.CLI, fx.CLI)
			}
			fixByID[fx.ID] = fx
		}
	}
	// Findings are ordered by severity within each step.
	rank := map[Severity]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}
	for i := 1; i < len(d.Findings); i++ {
		a, b := d.Findings[i-1], d.Findings[i]
		if a.Step == b.Step && rank[a.Severity] > rank[b.Severity] {
			t.Errorf("findings of step %s not ordered by severity: %s (%s) before %s (%s)", a.Step, a.ID, a.Severity, b.ID, b.Severity)
		}
	}
}

// wantFinding is what a test expects of one finding (matched by id and a
// subset of attrs).
type wantFinding struct {
	id    string
	sev   Severity          // "" = any
	attrs map[string]string // subset that must match
	// fixes are the fix ids in order; nil = not checked, []string{} = none.
	fixes []string
	// cli maps a fix id to substrings its CLI commands must contain.
	cli map[string][]string
	// count is how many findings match id and attrs; 0 = at least one.
	count int
	// detail and evidence are substrings the detail / evidence must contain.
	detail   []string
	evidence string
}

func attrsMatch(got, want map[string]string) bool {
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

func matching(d *Diagnosis, id string, attrs map[string]string) []Finding {
	var out []Finding
	for _, f := range d.Findings {
		if f.ID == id && attrsMatch(f.Attrs, attrs) {
			out = append(out, f)
		}
	}
	return out
}

func checkWant(t *testing.T, d *Diagnosis, w wantFinding) {
	t.Helper()
	fs := matching(d, w.id, w.attrs)
	if len(fs) == 0 {
		t.Errorf("missing finding %s %v; got:\n%s", w.id, w.attrs, summary(d))
		return
	}
	if w.count > 0 && len(fs) != w.count {
		t.Errorf("finding %s %v reported %d times, want %d; got:\n%s", w.id, w.attrs, len(fs), w.count, summary(d))
	}
	f := fs[0]
	if w.sev != "" && f.Severity != w.sev {
		t.Errorf("finding %s %v: severity %s, want %s", w.id, w.attrs, f.Severity, w.sev)
	}
	if w.fixes != nil {
		got := []string{}
		for _, fx := range f.Fixes {
			got = append(got, fx.ID)
		}
		if !reflect.DeepEqual(got, w.fixes) {
			t.Errorf("finding %s %v: fixes %v, want %v", w.id, w.attrs, got, w.fixes)
		}
	}
	for fixID, subs := range w.cli {
		var fx *Fix
		for i := range f.Fixes {
			if f.Fixes[i].ID == fixID {
				fx = &f.Fixes[i]
			}
		}
		if fx == nil {
			t.Errorf("finding %s %v: no fix %s to check the CLI of", w.id, w.attrs, fixID)
			continue
		}
		all := strings.Join(fx.CLI, "\n")
		for _, s := range subs {
			if !strings.Contains(all, s) {
				t.Errorf("finding %s: fix %s CLI lacks %q:\n%s", w.id, fixID, s, all)
			}
		}
	}
	for _, s := range w.detail {
		if !strings.Contains(f.Detail, s) {
			t.Errorf("finding %s %v: detail lacks %q: %s", w.id, w.attrs, s, f.Detail)
		}
	}
	if w.evidence != "" && !strings.Contains(strings.Join(f.Evidence, "\n"), w.evidence) {
		t.Errorf("finding %s %v: evidence lacks %q: %q", w.id, w.attrs, w.evidence, f.Evidence)
	}
}

// errorIDs lists the ids of the error findings, sorted.
func errorIDs(d *Diagnosis) []string {
	out := []string{}
	for _, f := range d.Findings {
		if f.Severity == SeverityError {
			out = append(out, f.ID)
		}
	}
	sort.Strings(out)
	return out
}

func summary(d *Diagnosis) string {
	var b strings.Builder
	for _, s := range d.Steps {
		fmt.Fprintf(&b, "  step %d %-16s %-8s %s", s.N, s.ID, s.Status, s.Detail)
		for _, u := range s.Unknown {
			fmt.Fprintf(&b, " [unknown %s %s]", u.Operation, u.Code)
		}
		b.WriteString("\n")
		for _, f := range d.Findings {
			if f.Step != s.ID {
				continue
			}
			var fixes []string
			for _, fx := range f.Fixes {
				fixes = append(fixes, fx.ID)
			}
			fmt.Fprintf(&b, "      %-8s %s %v fixes=%v\n", f.Severity, f.ID, f.Attrs, fixes)
		}
	}
	return b.String()
}

func sortedCopy(xs []string) []string {
	out := append([]string{}, xs...)
	sort.Strings(out)
	return out
}

// shellWords splits a command line the way a POSIX shell splits words
// (quotes and backslashes; operators stay inside words), and fails on
// unbalanced quotes: enough to tell that a command pastes into a shell
// as the words it means.
func shellWords(cmd string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(cmd[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote at %d", i)
			}
			cur.WriteString(cmd[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(cmd) && cmd[i] != '"'; i++ {
				if cmd[i] == '\\' && i+1 < len(cmd) && strings.IndexByte("$`\"\\\n", cmd[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(cmd[i])
			}
			if i >= len(cmd) {
				return nil, fmt.Errorf("unterminated double quote")
			}
			inWord = true
		case c == '\\':
			if i+1 < len(cmd) {
				i++
				cur.WriteByte(cmd[i])
			}
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
