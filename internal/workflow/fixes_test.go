package workflow

import (
	"github.com/ecsdoctor/ecsdoctor/internal/change"

	"encoding/json"
	"strings"
	"testing"
)

// The update-health-check fix writes the new command as JSON inside a jq
// program inside one shell word. Health check commands are full of quotes
// (node -e "require('http')..."), so the word must survive the shell intact.
func TestUpdateHealthCheckCLIIsOneShellWord(t *testing.T) {
	cases := []struct {
		image, check, wantTool string
	}{
		{"node:18-alpine", "curl -f http://localhost:3000/tasks/health || exit 1", "node -e"},
		{"python:3.12-slim", "curl -f http://localhost:8000/health || exit 1", "python3 -c"},
		{"nginx:1.25-alpine", "curl -f http://localhost/health || exit 1", "wget -q -O /dev/null http://localhost/health"},
		{"myorg/api:1.4", "wget -qO- http://localhost:8080/health || exit 1", "curl -fs http://localhost:8080/health"},
	}
	for _, tc := range cases {
		t.Run(tc.image, func(t *testing.T) {
			d := Diagnose(newFacts(image(tc.image), healthCheck(60, "CMD-SHELL", tc.check), unhealthyTask()))
			fx, _ := d.Fix("update-health-check:app")
			if fx == nil {
				t.Fatalf("no update-health-check fix; got:\n%s", summary(d))
			}
			act := fx.Plan.Actions[0].(change.RegisterHealthCheckRevision)
			if act.Command[0] != "CMD-SHELL" || !strings.Contains(act.Command[1], tc.wantTool) {
				t.Errorf("new command %q, want one using %q", act.Command, tc.wantTool)
			}
			words, err := shellWords(fx.CLI[0])
			if err != nil {
				t.Fatalf("CLI is not valid shell: %v\n%s", err, fx.CLI[0])
			}
			filter := ""
			for i, w := range words {
				if w == "jq" && i+1 < len(words) {
					filter = words[i+1]
				}
			}
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(act.Command)
			want := ".healthCheck.command) = " + strings.TrimSpace(b.String()) + " | del("
			if !strings.Contains(filter, want) {
				t.Errorf("the jq program the shell passes is\n  %s\nwant it to set the command\n  %s\nCLI: %s", filter, want, fx.CLI[0])
			}
			if !strings.Contains(filter, `select(.name=="app")`) {
				t.Errorf("jq program does not select container app: %s", filter)
			}
		})
	}
}

// The fix CLIs quote what the shell would otherwise split or expand.
func TestCLIQuoting(t *testing.T) {
	cases := []struct {
		name   string
		action change.Action
		want   []string // the words the shell must see
	}{
		{"log group with a space-free path", change.CreateLogGroup{Name: "/ecs/api"},
			[]string{"aws", "logs", "create-log-group", "--region", "us-east-1", "--log-group-name", "/ecs/api"}},
		{"log group name with a dollar", change.CreateLogGroup{Name: "/ecs/$weird name"},
			[]string{"aws", "logs", "create-log-group", "--region", "us-east-1", "--log-group-name", "/ecs/$weird name"}},
		{"security group description", change.CreateSecurityGroup{VPCID: tVPC, Name: "ecsdoctor-endpoints-vpc-0abc", Description: "HTTPS from ECS tasks (it's ours)"},
			[]string{"ENDPOINT_SG=$(aws", "ec2", "create-security-group", "--region", "us-east-1", "--vpc-id", tVPC, "--group-name", "ecsdoctor-endpoints-vpc-0abc",
				"--description", "HTTPS from ECS tasks (it's ours)", "--query", "GroupId", "--output", "text)"}},
		{"inline policy document", change.PutRolePolicy{RoleName: tRoleName, PolicyName: "p", Document: change.LeastPrivilegePolicy(logsPerms)},
			[]string{"aws", "iam", "put-role-policy", "--role-name", tRoleName, "--policy-name", "p", "--policy-document", change.LeastPrivilegePolicy(logsPerms).JSON()}},
		{"VPC attribute", change.EnableVPCAttribute{VPCID: tVPC, Attribute: "enableDnsHostnames"},
			[]string{"aws", "ec2", "modify-vpc-attribute", "--region", "us-east-1", "--vpc-id", tVPC, "--enable-dns-hostnames", `{"Value":true}`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tc.action.CLI(tRegion)
			got, err := shellWords(cmd)
			if err != nil {
				t.Fatalf("%v: %s", err, cmd)
			}
			if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
				t.Errorf("shell words of\n  %s\nare\n  %q\nwant\n  %q", cmd, got, tc.want)
			}
		})
	}
}

// Plans list the IAM operations an approval must cover, once each.
func TestPlanOperations(t *testing.T) {
	d := Diagnose(newFacts(noNAT(), taskFailedToStart(reasonRegistryAuth)))
	fx, _ := d.Fix("create-interface-endpoint:ecr.api")
	if fx == nil {
		t.Fatalf("no create-interface-endpoint:ecr.api")
	}
	got := strings.Join(fx.Plan.Operations(), ",")
	if got != "ec2:CreateSecurityGroup,ec2:AuthorizeSecurityGroupIngress,ec2:CreateVpcEndpoint" {
		t.Errorf("operations = %s", got)
	}
	if fx.Plan.Region != tRegion {
		t.Errorf("plan region = %q", fx.Plan.Region)
	}
	if fx.MonthlyCostUSD == nil || *fx.MonthlyCostUSD != 14.6 {
		t.Errorf("cost = %v, want 14.6 (two AZs x $0.01/h x 730h)", fx.MonthlyCostUSD)
	}
}

// No update-health-check fix where the rewritten command cannot work
// either: no shell (distroless, scratch), or no tool to switch to.
func TestUpdateHealthCheckNotOfferedWhenItCannotWork(t *testing.T) {
	cases := []struct{ image, check string }{
		{"gcr.io/distroless/java17-debian12", "wget -qO- http://localhost:8080/actuator/health"},
		{"gcr.io/distroless/nodejs18-debian12", "curl -f http://localhost:3000/health"},
		{"debian:bookworm-slim", "curl -f http://localhost:8080/health || exit 1"},
		{"nginx:1.25-alpine", "wget -q --spider http://localhost/health || exit 1"}, // Alpine has wget: curl would not help
	}
	for _, tc := range cases {
		t.Run(tc.image, func(t *testing.T) {
			d := Diagnose(newFacts(image(tc.image), healthCheck(60, "CMD-SHELL", tc.check), unhealthyTask()))
			checkInvariants(t, d)
			for _, f := range d.Findings {
				for _, fx := range f.Fixes {
					if fx.Kind == "update-health-check" {
						t.Errorf("%s offers %s: %v", f.ID, fx.ID, fx.CLI)
					}
				}
			}
		})
	}
}
