package sim

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// Construction: ids, ARNs, what AWS creates by itself, the demo account,
// and the gatherer reading every scenario without a failed call.

func TestIDsAndARNs(t *testing.T) {
	e := newEnv(t, "rds-no-ssl")
	patterns := map[string]string{
		"vpc:task-management-vpc":         `^vpc-0[0-9a-f]{16}$`,
		"subnet:private-a":                `^subnet-0[0-9a-f]{16}$`,
		"igw:task-management-igw":         `^igw-0[0-9a-f]{16}$`,
		"nat:task-management-nat":         `^nat-0[0-9a-f]{16}$`,
		"rtb:private":                     `^rtb-0[0-9a-f]{16}$`,
		"sg:task-mgmt-auth-sg":            `^sg-0[0-9a-f]{16}$`,
		"role:ecsTaskExecutionRole":       `^arn:aws:iam::123456789012:role/ecsTaskExecutionRole$`,
		"secret:rds-credentials":          `^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-[A-Za-z0-9]{6}$`,
		"db:task-management-db":           `^task-management-db\.c[a-z0-9]{11}\.us-east-1\.rds\.amazonaws\.com$`,
		"cluster:task-management-cluster": `^arn:aws:ecs:us-east-1:123456789012:cluster/task-management-cluster$`,
		"service:auth-service":            `^arn:aws:ecs:us-east-1:123456789012:service/task-management-cluster/auth-service$`,
		"taskdef:auth-service":            `^arn:aws:ecs:us-east-1:123456789012:task-definition/auth-service:1$`,
	}
	for key, pattern := range patterns {
		kind, name, _ := strings.Cut(key, ":")
		if id := e.a.ID("rds-no-ssl", kind, name); !regexp.MustCompile(pattern).MatchString(id) {
			t.Errorf("%s = %q, want %s", key, id, pattern)
		}
	}
	// The same scenario gets the same ids every time.
	again := newEnv(t, "rds-no-ssl")
	for key := range patterns {
		kind, name, _ := strings.Cut(key, ":")
		if e.a.ID("rds-no-ssl", kind, name) != again.a.ID("rds-no-ssl", kind, name) {
			t.Errorf("%s differs between two builds", key)
		}
	}
	if a, b := e.tasks(ecstypes.DesiredStatusRunning), again.tasks(ecstypes.DesiredStatusRunning); aws.ToString(a[0].TaskArn) != aws.ToString(b[0].TaskArn) {
		t.Errorf("task ids differ between two builds")
	}
	// Placeholders resolve as in the moto builder.
	r := e.a.Resolver("rds-no-ssl")
	got := scenario.Resolve("{{account}} {{region}} {{ecr}} {{cluster}} {{service}} {{sg:task-mgmt-rds-sg}} {{task}} {{ip}} {{deployment}}", r)
	if strings.Contains(got, "{{") || !strings.HasPrefix(got, "123456789012 us-east-1 123456789012.dkr.ecr.us-east-1.amazonaws.com task-management-cluster auth-service sg-0") {
		t.Errorf("resolved %q", got)
	}
}

// AWS creates a main route table, a default network ACL and a default
// security group with every VPC; the region has its S3 prefix list.
func TestWhatAWSCreates(t *testing.T) {
	e := newEnv(t, "no-endpoints")
	vpc := e.id("vpc", "learntrac-dev")
	inVPC := ec2types.Filter{Name: aws.String("vpc-id"), Values: []string{vpc}}
	rts, err := e.r.EC2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{inVPC, {Name: aws.String("association.main"), Values: []string{"true"}}}})
	if err != nil || len(rts.RouteTables) != 1 || len(rts.RouteTables[0].Routes) != 1 || aws.ToString(rts.RouteTables[0].Routes[0].GatewayId) != "local" {
		t.Errorf("main route table: %+v %v", rts, err)
	}
	acls, err := e.r.EC2.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{inVPC, {Name: aws.String("default"), Values: []string{"true"}}}})
	if err != nil || len(acls.NetworkAcls) != 1 || len(acls.NetworkAcls[0].Entries) != 4 || len(acls.NetworkAcls[0].Associations) != 3 {
		t.Fatalf("default network ACL: %+v %v", acls, err)
	}
	for _, en := range acls.NetworkAcls[0].Entries {
		if want := map[int32]ec2types.RuleAction{100: "allow", 32767: "deny"}[aws.ToInt32(en.RuleNumber)]; en.RuleAction != want || aws.ToString(en.Protocol) != "-1" {
			t.Errorf("default ACL entry %+v", en)
		}
	}
	sgs, err := e.r.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{inVPC, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	if err != nil || len(sgs.SecurityGroups) != 1 || len(sgs.SecurityGroups[0].IpPermissionsEgress) != 1 {
		t.Errorf("default security group: %+v %v", sgs, err)
	}
	pl, err := e.r.EC2.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{Filters: []ec2types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{"com.amazonaws.us-east-1.s3"}}}})
	if err != nil || len(pl.PrefixLists) != 1 || aws.ToString(pl.PrefixLists[0].PrefixListId) != "pl-63a5400a" {
		t.Errorf("S3 prefix list: %+v %v", pl, err)
	}
	if _, err := e.r.IAM.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(ecsTaskExecutionPolicyARN)}); err != nil {
		t.Errorf("AmazonECSTaskExecutionRolePolicy: %v", err)
	}
	igw, err := e.r.EC2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{vpc}}}})
	if err != nil || len(igw.InternetGateways) != 1 || igw.InternetGateways[0].Attachments[0].State != "available" {
		t.Errorf("internet gateway: %+v %v", igw, err)
	}
}

// The demo account: one cluster "demo", a service per scenario named after
// it, each scenario with its own VPC and, where names clash, its own role.
func TestDemoAccount(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	c := &testClock{t: epoch}
	a, err := NewDemo(Options{Now: c.Now}, all...)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Readers()
	clusters, err := r.ECS.ListClusters(ctx, &ecs.ListClustersInput{})
	if err != nil || len(clusters.ClusterArns) != 1 || lastPart(clusters.ClusterArns[0]) != "demo" {
		t.Fatalf("clusters: %v %v", clusters, err)
	}
	var names []string
	p := ecs.NewListServicesPaginator(r.ECS, &ecs.ListServicesInput{Cluster: aws.String("demo")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, arn := range page.ServiceArns {
			names = append(names, lastPart(arn))
		}
	}
	var want []string
	vpcs := map[string]bool{}
	for _, sc := range all {
		want = append(want, sc.Name)
		vpcs[a.ID(sc.Name, "vpc", sc.World.VPCs[0].Name)] = true
	}
	sort.Strings(names)
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("services %v, want %v", names, want)
	}
	if len(vpcs) != len(all) {
		t.Errorf("%d VPCs for %d scenarios", len(vpcs), len(all))
	}
	// Shared names are prefixed; unique ones are kept.
	if got := a.ID("policy-not-attached", "role", "ecsTaskExecutionRole"); got != "arn:aws:iam::123456789012:role/policy-not-attached-ecsTaskExecutionRole" {
		t.Errorf("shared role: %s", got)
	}
	if got := a.ID("policy-not-attached", "policy", "TaskManagementSecretsAccess"); got != "arn:aws:iam::123456789012:policy/TaskManagementSecretsAccess" {
		t.Errorf("unique policy: %s", got)
	}
	// Every service behaves as it does alone.
	for _, sc := range all {
		alone := envFor(t, sc)
		d := &env{t: t, a: a, clock: c, sc: sc, cluster: "demo", service: sc.Name, r: r, w: a.Writers()}
		fa, fd := alone.failed(), d.failed()
		if (fa == nil) != (fd == nil) || (fa != nil && (fa.StopCode != fd.StopCode || family(aws.ToString(fa.StoppedReason)) != family(aws.ToString(fd.StoppedReason)))) {
			t.Errorf("%s behaves differently in the demo account: %v vs %v", sc.Name, fa, fd)
		}
		if sa, sd := alone.svc(), d.svc(); sa.RunningCount != sd.RunningCount {
			t.Errorf("%s: running %d alone, %d in the demo", sc.Name, sa.RunningCount, sd.RunningCount)
		}
	}
	if _, err := NewDemo(Options{}, all[0], all[0]); err == nil {
		t.Error("a scenario twice in one demo account was accepted")
	}
}

// The product's gatherer reads every scenario's account without a single
// failed call, including the policy simulation.
func TestGathererReadsEverything(t *testing.T) {
	all, err := scenario.All()
	if err != nil {
		t.Fatal(err)
	}
	needs := func(f *facts.Facts) []facts.Permission {
		var out []facts.Permission
		if f.TaskDefinition == nil {
			return nil
		}
		out = append(out, facts.Permission{Action: "ecr:GetAuthorizationToken", Resource: "*"})
		for _, c := range f.TaskDefinition.Containers {
			for _, s := range c.Secrets {
				out = append(out, facts.Permission{Action: "secretsmanager:GetSecretValue", Resource: facts.SecretID(s.ValueFrom)})
			}
		}
		return out
	}
	for _, sc := range all {
		e := envFor(t, sc)
		g := &awsx.Gatherer{R: e.r, Needs: needs}
		f, err := g.Gather(ctx, awsx.Request{Cluster: e.cluster, Service: e.service})
		if err != nil {
			t.Errorf("%s: %v", sc.Name, err)
			continue
		}
		for k, st := range f.Fetches {
			if st.State == facts.FetchFailed {
				t.Errorf("%s: %s failed: %+v", sc.Name, k, st.Error)
			}
		}
		if f.Service == nil || len(f.Tasks) == 0 || f.TaskDefinition == nil || f.IAM.Simulation == nil {
			t.Errorf("%s: incomplete facts", sc.Name)
		}
	}
	// Unknown cluster and service are bad input, as with AWS.
	e := newEnv(t, "healthy-nat")
	g := &awsx.Gatherer{R: e.r}
	if _, err := g.Gather(ctx, awsx.Request{Cluster: "nope", Service: "x"}); !awsx.IsInputError(err) {
		t.Errorf("unknown cluster: %v", err)
	}
	if _, err := g.Gather(ctx, awsx.Request{Cluster: e.cluster, Service: "nope"}); !awsx.IsInputError(err) {
		t.Errorf("unknown service: %v", err)
	}
}
