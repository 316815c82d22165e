package workflow

import (
	"strings"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Step status rules: a part that could not be fetched makes the steps that
// read it unknown (with the failing call in Unknown and Detail), the other
// steps still report, a known error beats unknown, and parts still on their
// way make their steps pending.

func TestFailedFetchMakesOnlyItsStepsUnknown(t *testing.T) {
	cases := []struct {
		name    string
		opts    []opt
		key     facts.Key
		op      string
		unknown []StepID          // steps that must be unknown
		status  map[StepID]Status // other steps' statuses
		absent  []string          // findings that must not be guessed without the part
	}{
		{
			name: "AccessDenied on ec2:DescribeVpcEndpoints, healthy service",
			key:  facts.KeyEndpoints, op: "ec2:DescribeVpcEndpoints",
			unknown: []StepID{StepEndpoints, StepSecurityGroups},
			status: map[StepID]Status{StepEvents: StatusOK, StepStoppedTasks: StatusOK, StepStopReason: StatusOK,
				StepLogs: StatusOK, StepIAM: StatusOK},
		},
		{
			name: "AccessDenied on ec2:DescribeVpcEndpoints, seed 000",
			opts: []opt{noNAT(), taskFailedToStart(reasonRegistryAuth)},
			key:  facts.KeyEndpoints, op: "ec2:DescribeVpcEndpoints",
			unknown: []StepID{StepEndpoints, StepSecurityGroups},
			status: map[StepID]Status{StepEvents: StatusFail, StepStoppedTasks: StatusFail, StepStopReason: StatusFail,
				StepLogs: StatusOK, StepIAM: StatusOK},
			// without the endpoints, a missing endpoint cannot be claimed
			absent: []string{"endpoint.missing"},
		},
		{
			name: "AccessDenied on iam:GetPolicyVersion: the role's policies are unreadable",
			opts: []opt{func(f *facts.Facts) { f.IAM.Policies = nil }},
			key:  facts.KeyRolePolicies, op: "iam:GetPolicyVersion",
			unknown: []StepID{StepIAM},
			status: map[StepID]Status{StepEvents: StatusOK, StepStopReason: StatusOK, StepLogs: StatusOK,
				StepEndpoints: StatusOK, StepSecurityGroups: StatusOK},
			// unread policies are not missing permissions
			absent: []string{"iam.permission-missing", "iam.policy-not-attached"},
		},
		{
			name: "AccessDenied on iam:GetRole",
			opts: []opt{func(f *facts.Facts) { f.IAM.ExecutionRole = nil; f.IAM.Policies = nil }},
			key:  facts.KeyRole, op: "iam:GetRole",
			unknown: []StepID{StepIAM},
			status:  map[StepID]Status{StepEndpoints: StatusOK, StepLogs: StatusOK},
			absent:  []string{"iam.permission-missing", "iam.execution-role-not-found"},
		},
		{
			name: "AccessDenied on logs:DescribeLogGroups",
			opts: []opt{func(f *facts.Facts) { f.Logs.Groups = nil }},
			key:  facts.KeyLogGroups, op: "logs:DescribeLogGroups",
			unknown: []StepID{StepLogs},
			status:  map[StepID]Status{StepIAM: StatusOK, StepEndpoints: StatusOK, StepStopReason: StatusOK},
			absent:  []string{"logs.group-missing"},
		},
		{
			name: "AccessDenied on secretsmanager:DescribeSecret",
			opts: []opt{withSecret(tSecret), func(f *facts.Facts) { f.Secrets = nil }},
			key:  facts.KeySecrets, op: "secretsmanager:DescribeSecret",
			unknown: []StepID{StepIAM},
			status:  map[StepID]Status{StepEndpoints: StatusOK, StepSecurityGroups: StatusOK},
			absent:  []string{"secret.not-found"},
		},
		{
			name: "AccessDenied on rds:DescribeDBInstances",
			opts: []opt{withDatabase("sg-bastion"), func(f *facts.Facts) { f.Databases = nil }},
			key:  facts.KeyDatabases, op: "rds:DescribeDBInstances",
			unknown: []StepID{StepSecurityGroups},
			status:  map[StepID]Status{StepEndpoints: StatusOK, StepIAM: StatusOK},
			absent:  []string{"sg.db-ingress-missing"},
		},
		{
			name: "AccessDenied on ecr:DescribeImages",
			opts: []opt{func(f *facts.Facts) { f.Images = nil }},
			key:  facts.KeyImages, op: "ecr:DescribeImages",
			unknown: []StepID{StepStopReason},
			status:  map[StepID]Status{StepEvents: StatusOK, StepEndpoints: StatusOK, StepIAM: StatusOK},
			absent:  []string{"image.not-found"},
		},
		{
			name: "a failed optional part (the IAM simulation) leaves every step decided",
			key:  facts.KeySimulation, op: "iam:SimulatePrincipalPolicy",
			status: map[StepID]Status{StepEvents: StatusOK, StepStoppedTasks: StatusOK, StepStopReason: StatusOK, StepLogs: StatusOK,
				StepEndpoints: StatusOK, StepIAM: StatusOK, StepSecurityGroups: StatusOK},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFacts(append(tc.opts, fetchFailed(tc.key, tc.op, "AccessDenied"))...)
			d := Diagnose(f)
			checkInvariants(t, d)
			for _, id := range tc.unknown {
				s := d.Step(id)
				if s.Status != StatusUnknown {
					t.Errorf("step %s: status %s, want unknown; got:\n%s", id, s.Status, summary(d))
					continue
				}
				if len(s.Unknown) != 1 || s.Unknown[0] != *f.Err(tc.key) {
					t.Errorf("step %s: Unknown = %+v, want exactly the fetch error of %s", id, s.Unknown, tc.key)
				}
				if !strings.Contains(s.Detail, tc.op) {
					t.Errorf("step %s: detail %q does not name %s", id, s.Detail, tc.op)
				}
			}
			for id, st := range tc.status {
				if s := d.Step(id); s.Status != st || len(s.Unknown) > 0 {
					t.Errorf("step %s: status %s (unknown %v), want %s; got:\n%s", id, s.Status, s.Unknown, st, summary(d))
				}
			}
			for _, id := range tc.absent {
				if fs := matching(d, id, nil); len(fs) > 0 {
					t.Errorf("finding %s %v guessed although %s failed; got:\n%s", id, fs[0].Attrs, tc.key, summary(d))
				}
			}
		})
	}
}

// The detail of an unknown step names the failing call even when the
// error's message does not.
func TestUnknownDetailNamesTheOperation(t *testing.T) {
	f := newFacts(func(f *facts.Facts) {
		f.Fetches[facts.KeyEndpoints] = facts.Fetch{State: facts.FetchFailed, Error: &facts.FetchError{
			Operation: "ec2:DescribeVpcEndpoints", Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}}
	})
	d := Diagnose(f)
	s := d.Step(StepEndpoints)
	if s.Status != StatusUnknown || !strings.Contains(s.Detail, "ec2:DescribeVpcEndpoints") || !strings.Contains(s.Detail, "not authorized") {
		t.Errorf("endpoints step = %s %q, want unknown with a detail naming ec2:DescribeVpcEndpoints and the error", s.Status, s.Detail)
	}
}

// One failure that several parts inherit (the task definition could not be
// read, so neither could its log groups nor images) is listed once.
func TestUnknownListsEachFailureOnce(t *testing.T) {
	same := func(k facts.Key) opt { return fetchFailed(k, "ecs:DescribeTaskDefinition", "AccessDenied") }
	f := newFacts(func(f *facts.Facts) { f.TaskDefinition = nil; f.Logs = facts.Logs{}; f.Images = nil },
		same(facts.KeyTaskDefinition), same(facts.KeyLogGroups), same(facts.KeyLogEvents), same(facts.KeyImages))
	d := Diagnose(f)
	checkInvariants(t, d)
	for _, id := range []StepID{StepStopReason, StepLogs, StepEndpoints, StepIAM, StepSecurityGroups} {
		s := d.Step(id)
		if s.Status != StatusUnknown || len(s.Unknown) != 1 || s.Unknown[0].Operation != "ecs:DescribeTaskDefinition" {
			t.Errorf("step %s: %s %+v, want unknown with the one ecs:DescribeTaskDefinition error", id, s.Status, s.Unknown)
		}
	}
	for _, id := range []StepID{StepEvents, StepStoppedTasks} {
		if s := d.Step(id); s.Status != StatusOK {
			t.Errorf("step %s: %s, want ok (it does not read the task definition)", id, s.Status)
		}
	}
}

// A known error finding beats "could not check": the step fails, and still
// lists what it could not read.
func TestKnownErrorBeatsUnknown(t *testing.T) {
	cases := []struct {
		name    string
		opts    []opt
		step    StepID
		finding string
	}{
		{
			name: "IAM: broken trust policy, policies unreadable",
			opts: []opt{
				roleMod(func(r *facts.Role) {
					r.TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
				}),
				func(f *facts.Facts) { f.IAM.Policies = nil },
				fetchFailed(facts.KeyRolePolicies, "iam:GetPolicyVersion", "AccessDenied"),
			},
			step: StepIAM, finding: "iam.execution-role-trust",
		},
		{
			name: "security groups: endpoint ingress missing, databases unreadable",
			opts: []opt{privateEndpoints(), sgMod(tEpSG, func(sg *facts.SecurityGroup) { sg.Ingress = nil }),
				withDatabase(tTaskSG), func(f *facts.Facts) { f.Databases = nil },
				fetchFailed(facts.KeyDatabases, "rds:DescribeDBInstances", "AccessDenied")},
			step: StepSecurityGroups, finding: "sg.endpoint-ingress-missing",
		},
		{
			name: "logs: a log line names the failure, log groups unreadable",
			opts: []opt{logLines("Error: getaddrinfo ENOTFOUND db.internal"), func(f *facts.Facts) { f.Logs.Groups = nil },
				fetchFailed(facts.KeyLogGroups, "logs:DescribeLogGroups", "AccessDenied")},
			step: StepLogs, finding: "logs.dns-failure",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Diagnose(newFacts(tc.opts...))
			checkInvariants(t, d)
			s := d.Step(tc.step)
			if s.Status != StatusFail || len(s.Unknown) != 1 || len(matching(d, tc.finding, nil)) == 0 {
				t.Errorf("step %s: %s unknown=%v, want fail with %s and the unread part in Unknown; got:\n%s", tc.step, s.Status, s.Unknown, tc.finding, summary(d))
			}
		})
	}
}

func TestPendingParts(t *testing.T) {
	t.Run("VPC not arrived yet", func(t *testing.T) {
		d := Diagnose(newFacts(noNAT(), taskFailedToStart(reasonRegistryAuth), fetchPending(facts.KeyVPC)))
		checkInvariants(t, d)
		want := map[StepID]Status{StepEvents: StatusFail, StepStoppedTasks: StatusFail, StepStopReason: StatusFail, StepLogs: StatusOK,
			StepEndpoints: StatusPending, StepIAM: StatusOK, StepSecurityGroups: StatusPending}
		for id, st := range want {
			if s := d.Step(id); s.Status != st {
				t.Errorf("step %s: %s, want %s", id, s.Status, st)
			}
		}
		if len(matching(d, "endpoint.missing", nil)) > 0 {
			t.Errorf("endpoint.missing reported before the VPC arrived")
		}
	})
	t.Run("only the service has arrived", func(t *testing.T) {
		f := newFacts(taskFailedToStart(reasonRegistryAuth))
		f.Fetches = map[facts.Key]facts.Fetch{facts.KeyService: {State: facts.FetchDone}}
		f.Tasks, f.TaskDefinition, f.ChosenTaskARN = nil, nil, ""
		d := Diagnose(f)
		checkInvariants(t, d)
		for _, s := range d.Steps {
			want := StatusPending
			if s.ID == StepEvents {
				want = StatusFail
			}
			if s.Status != want {
				t.Errorf("step %s: %s, want %s", s.ID, s.Status, want)
			}
		}
	})
	t.Run("nothing has arrived", func(t *testing.T) {
		d := Diagnose(&facts.Facts{Target: facts.Target{Region: tRegion, Cluster: tCluster, Service: tService}})
		checkInvariants(t, d)
		for _, s := range d.Steps {
			if s.Status != StatusPending {
				t.Errorf("step %s: %s, want pending", s.ID, s.Status)
			}
		}
		if len(d.Findings) != 0 {
			t.Errorf("findings before any fact arrived: %v", d.Findings)
		}
	})
	t.Run("StepTitles matches the diagnosis", func(t *testing.T) {
		d := Diagnose(newFacts())
		titles := StepTitles()
		for i, s := range titles {
			if s.ID != d.Steps[i].ID || s.N != d.Steps[i].N || s.Title != d.Steps[i].Title || s.Status != StatusPending || s.Findings == nil {
				t.Errorf("StepTitles()[%d] = %+v, diagnosis step %+v", i, s, d.Steps[i])
			}
		}
	})
}

// Facts that are done but empty (AWS said nothing, or the gatherer met an
// odd answer) must not crash any check.
func TestSparseFactsDoNotCrash(t *testing.T) {
	cases := map[string]opt{
		"no service":         func(f *facts.Facts) { f.Service = nil },
		"no task definition": func(f *facts.Facts) { f.TaskDefinition = nil },
		"no VPC":             func(f *facts.Facts) { f.Network.VPC = nil },
		"empty network":      func(f *facts.Facts) { f.Network = facts.Network{} },
		"no tasks":           func(f *facts.Facts) { f.Tasks = nil },
		"service without network configuration": func(f *facts.Facts) {
			f.Service.Network, f.Service.Deployments[0].Network = nil, nil
		},
		"service without deployments": func(f *facts.Facts) { f.Service.Deployments = nil },
		"task without ENI or containers": func(f *facts.Facts) {
			for i := range f.Tasks {
				f.Tasks[i].ENI, f.Tasks[i].Containers = nil, nil
			}
		},
		"container without log options": func(f *facts.Facts) { f.TaskDefinition.Containers[0].Log.Options = nil },
		"empty health check":            func(f *facts.Facts) { f.TaskDefinition.Containers[0].HealthCheck = &facts.HealthCheck{} },
		"role without documents": func(f *facts.Facts) {
			f.IAM.Policies = nil
			f.IAM.ExecutionRole.TrustPolicy = ""
		},
		"role unknown, not marked missing": func(f *facts.Facts) { f.IAM.ExecutionRole = nil },
		"secret facts missing for a reference": func(f *facts.Facts) {
			f.TaskDefinition.Containers[0].Secrets = []facts.SecretRef{{Name: "X", ValueFrom: tSecret}, {Name: "Y", ValueFrom: "/app/y"}}
		},
		"endpoint without groups or subnets": func(f *facts.Facts) {
			privateEndpoints()(f)
			for i := range f.Network.Endpoints {
				f.Network.Endpoints[i].Groups, f.Network.Endpoints[i].Subnets = nil, nil
			}
		},
		"database without groups": func(f *facts.Facts) {
			withDatabase()(f)
			f.Databases[0].SecurityGroups = nil
		},
		"stopped task without a reason": func(f *facts.Facts) {
			taskFailedToStart("")(f)
		},
		"task groups unknown (stopped task, no service)": func(f *facts.Facts) {
			noNAT()(f)
			taskFailedToStart(reasonRegistryAuth)(f)
			f.Service = nil
			f.Fetches[facts.KeyService] = facts.Fetch{State: facts.FetchSkipped}
		},
	}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			d := Diagnose(newFacts(o))
			checkInvariants(t, d)
		})
	}
}
