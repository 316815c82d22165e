package itest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// fixCase: in a scenario's broken world, a fix resolves a finding and adds
// only resources matching adds.
type fixCase struct {
	scenario string
	fixID    string // may carry placeholders
	finding  string // id of the finding it resolves
	adds     []string
	// replaces are facts the fix may change in place (a service pointed at
	// a new task definition revision): not deletions.
	replaces []string
}

func (b *built) backend(t *testing.T) *backend.Backend {
	t.Helper()
	sess, err := awsx.Load(context.Background(), awsx.Options{Region: b.sc.Region, EndpointURL: b.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return b.backendOn(t, sess)
}

// backendOn is the product's backend on a session the test also watches.
func (b *built) backendOn(t *testing.T, sess *awsx.Session) *backend.Backend {
	return &backend.Backend{R: awsx.NewReaders(sess), W: awsx.NewWriters(sess), AuditPath: t.TempDir() + "/audit.log"}
}

// applyFix runs the fix through the path the UI uses: diagnose, approve
// exactly the plan's operations, apply. It returns nil when the diagnosis
// no longer offers the fix.
func applyFix(t *testing.T, b *built, be *backend.Backend, fixID string) *backend.FixResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d, err := be.Diagnose(ctx, b.target(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fix, _ := d.Fix(fixID)
	if fix == nil {
		return nil
	}
	ctx = awsx.WithApproval(ctx, fix.ID, fix.Plan.Operations()...)
	res, err := be.ApplyFix(ctx, b.target(), d, fix.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil {
		t.Fatalf("AWS refused %s: %v\ncalls %+v", fixID, res.Err, res.Calls)
	}
	return res
}

// TestFixesResolveFindings applies each fix kind in a world it fixes, then
// checks: the finding is gone, the account gained exactly what the fix
// announced and lost nothing, and a second application changes nothing.
func TestFixesResolveFindings(t *testing.T) {
	cases := []fixCase{
		{"missing-logs-endpoint", "create-interface-endpoint:logs", "endpoint.missing", []string{".logs Interface", "privatedns=true", "group sg-"}, nil},
		{"no-endpoints", "create-s3-gateway-endpoint:{{vpc:learntrac-dev}}", "endpoint.missing", []string{".s3 Gateway", "routetable"}, nil},
		{"no-endpoints", "create-interface-endpoint:ecr.api", "endpoint.missing", []string{".ecr.api Interface", "privatedns=true", "ecsdoctor-endpoints", "in tcp 443-443 group", "group sg-"}, nil},
		{"s3-route-table-missing", "associate-s3-endpoint-route-table:{{rtb:private-b}}", "endpoint.s3-route-table-missing", []string{"routetable"}, nil},
		{"endpoint-sg-no-443", "authorize-endpoint-https-ingress:{{sg:task-mgmt-auth-sg}}", "sg.endpoint-ingress-missing", []string{"in tcp 443-443 group"}, nil},
		{"endpoint-other-sg", "add-endpoint-security-group:{{endpoint:logs}}", "sg.endpoint-ingress-missing", []string{"group sg-"}, nil},
		{"policy-not-attached", "attach-role-policy:TaskManagementSecretsAccess", "iam.policy-not-attached", []string{"attached arn:aws:iam::123456789012:policy/TaskManagementSecretsAccess"}, nil},
		{"policy-not-attached", "put-execution-role-policy:ecsTaskExecutionRole", "iam.permission-missing", []string{"inline ecsdoctor-execution-access-"}, nil},
		{"healthcheck-curl-alpine", "update-health-check:task-service", "healthcheck.tool-missing", []string{"td=arn:aws:ecs:us-east-1:123456789012:task-definition/task-service:2"}, []string{"td="}},
		{"db-sg-blocked", "authorize-db-ingress:{{sg:billing-db-sg}}:5432", "sg.db-ingress-missing", []string{"in tcp 5432-5432 group"}, nil},
		// Worlds from testdata/scenarios (extra, moto-only scenarios).
		{"testdata:task-sg-no-egress", "authorize-task-https-egress:{{sg:audit-task-sg}}:0.0.0.0/0", "sg.task-egress-blocked", []string{"out tcp 443-443 cidr 0.0.0.0/0"}, nil},
		{"testdata:log-group-missing", "create-log-group:/ecs/thumbnailer", "logs.group-missing", []string{"loggroup /ecs/thumbnailer"}, nil},
		{"testdata:vpc-dns-hostnames-disabled", "enable-vpc-dns:enableDnsHostnames", "vpc.dns-hostnames-disabled", []string{"enableDnsHostnames=true"}, []string{"enableDnsHostnames=false"}},
		{"testdata:endpoint-private-dns-off", "enable-private-dns:{{endpoint:secretsmanager}}", "endpoint.private-dns-disabled", []string{"privatedns=true"}, []string{"privatedns=false"}},
		{"testdata:public-subnet-no-public-ip", "enable-public-ip:prototype-api", "endpoint.missing", []string{"publicip=ENABLED"}, []string{"publicip=DISABLED"}},
		{"healthcheck-curl-alpine", "force-new-deployment:task-service", "service.deployment-failed", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.scenario+"/"+c.fixID, func(t *testing.T) {
			sc, err := loadScenario(c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			b := build(t, sc)
			be := b.backend(t)
			fixID := b.w.Resolve(c.fixID)
			before := inventory(t, b)
			res := applyFix(t, b, be, fixID)
			if res == nil {
				d, _ := b.diagnose(t, b.target())
				t.Fatalf("fix %s not offered; offered %v\n%s", fixID, fixIDs(d), summary(d))
			}
			// A redeploy resolves nothing by itself: the new deployment
			// must first run; every other fix must resolve its finding.
			if !res.Resolved && res.Fix.Kind != "force-new-deployment" {
				t.Errorf("%s still reported after %s:\n%s", c.finding, fixID, summary(res.After))
			}
			after := inventory(t, b)
			added, removed := diffInventory(before, after)
			for _, r := range removed {
				if !containsAny(r, c.replaces) {
					t.Errorf("a fix never deletes or replaces; gone after the fix: %s", r)
				}
			}
			for _, want := range c.adds {
				if !anyContains(added, want) {
					t.Errorf("expected an added fact matching %q; added %v", want, added)
				}
			}
			for _, a := range added {
				if !containsAny(a, c.adds) && !(strings.HasPrefix(a, "sg ") && containsAny("ecsdoctor-endpoints", c.adds)) {
					t.Errorf("the fix changed something it did not announce: %s", a)
				}
			}
			// Applying the same fix again changes nothing: either the
			// diagnosis no longer offers it, or every call finds its change
			// already in place.
			if res2 := applyFix(t, b, be, res.Fix.ID); res2 != nil && !res2.InPlace() {
				t.Errorf("second apply was not a no-op: %+v", res2.Calls)
			}
			if again, gone := diffInventory(after, inventory(t, b)); len(again)+len(gone) > 0 {
				t.Errorf("second apply changed the account: +%v -%v", again, gone)
			}
		})
	}
}

func containsAny(line string, subs []string) bool {
	for _, s := range subs {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// loadScenario reads an embedded scenario, or "testdata:NAME" from
// testdata/scenarios.
func loadScenario(name string) (*scenario.Scenario, error) {
	if file, ok := strings.CutPrefix(name, "testdata:"); ok {
		return scenario.Load("testdata/scenarios/" + file + ".yaml")
	}
	return scenario.ByName(name)
}
