package sim

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// The API surface: AWS's error codes, pagination, the approval guard,
// DryRun, and the details the gatherer relies on.

var ctx = context.Background()

func TestErrorCodes(t *testing.T) {
	e := newEnv(t, "policy-not-attached")
	check := func(what string, err error, want string) {
		t.Helper()
		if code(err) != want {
			t.Errorf("%s: got %v, want %s", what, err, want)
		}
	}
	_, err := e.r.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("nope"), Services: []string{"x"}})
	check("unknown cluster", err, "ClusterNotFoundException")
	_, err = e.r.ECS.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("nope")})
	check("ListTasks unknown cluster", err, "ClusterNotFoundException")
	out, err := e.r.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(e.cluster), Services: []string{"nope"}})
	if err != nil || len(out.Services) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" ||
		aws.ToString(out.Failures[0].Arn) != "arn:aws:ecs:us-east-1:123456789012:service/task-management-cluster/nope" {
		t.Errorf("unknown service: %+v %v", out, err)
	}
	dt, err := e.r.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(e.cluster), Tasks: []string{"0123456789abcdef0123456789abcdef"}})
	if err != nil || len(dt.Failures) != 1 || aws.ToString(dt.Failures[0].Reason) != "MISSING" {
		t.Errorf("unknown task: %+v %v", dt, err)
	}
	_, err = e.w.ECS.UpdateService(approved("ecs:UpdateService"), &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String("nope"), ForceNewDeployment: true})
	check("UpdateService unknown service", err, "ServiceNotFoundException")
	_, err = e.r.ECS.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("nope:7")})
	check("unknown task definition", err, "ClientException")
	_, err = e.r.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")})
	check("unknown role", err, "NoSuchEntity")
	_, err = e.r.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("nope")})
	check("unknown inline policy", err, "NoSuchEntity")
	_, err = e.r.IAM.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/nope")})
	check("unknown policy", err, "NoSuchEntity")
	_, err = e.r.EC2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0000000000000000"}})
	check("unknown subnet", err, "InvalidSubnetID.NotFound")
	_, err = e.r.EC2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0000000000000000"}})
	check("unknown group", err, "InvalidGroup.NotFound")
	_, err = e.r.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{"vpce-0000000000000000"}})
	check("unknown endpoint", err, "InvalidVpcEndpointId.NotFound")
	_, err = e.r.EC2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String("vpc-0000000000000000"), Attribute: ec2types.VpcAttributeNameEnableDnsSupport})
	check("unknown VPC", err, "InvalidVpcID.NotFound")
	_, err = e.r.EC2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-0000000000000000"}})
	check("unknown interface", err, "InvalidNetworkInterfaceID.NotFound")
	_, err = e.r.EC2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("no-such-filter"), Values: []string{"x"}}}})
	check("unknown filter", err, "InvalidParameterValue")
	_, err = e.r.Secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("nope")})
	check("unknown secret", err, "ResourceNotFoundException")
	_, err = e.r.Logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/nope"), LogStreamName: aws.String("x")})
	check("unknown log group", err, "ResourceNotFoundException")
	_, err = e.r.Logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/ecs/auth-service"), LogStreamName: aws.String("x")})
	check("unknown log stream", err, "ResourceNotFoundException")
	_, err = e.r.ECR.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("auth-service"), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("v9")}}})
	check("unknown tag", err, "ImageNotFoundException")
	_, err = e.r.ECR.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("nope")})
	check("unknown repository", err, "RepositoryNotFoundException")
	_, err = e.r.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/nope")})
	check("unknown key", err, "NotFoundException")
	_, err = e.r.RDS.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("nope")})
	check("unknown database", err, "DBInstanceNotFound")
	_, err = e.w.Logs.CreateLogGroup(approved("logs:CreateLogGroup"), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/ecs/auth-service")})
	check("existing log group", err, "ResourceAlreadyExistsException")
	sg := e.id("sg", "task-mgmt-auth-sg")
	_, err = e.w.EC2.AuthorizeSecurityGroupIngress(approved("ec2:AuthorizeSecurityGroupIngress"), &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(sg), IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(sg)}}}},
	})
	check("duplicate rule", err, "InvalidPermission.Duplicate")
	_, err = e.w.EC2.CreateSecurityGroup(approved("ec2:CreateSecurityGroup"), &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(e.id("vpc", "task-management-vpc")), GroupName: aws.String("task-mgmt-auth-sg"), Description: aws.String("again"),
	})
	check("duplicate group", err, "InvalidGroup.Duplicate")
	_, err = e.w.EC2.CreateVpcEndpoint(approved("ec2:CreateVpcEndpoint"), &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(e.id("vpc", "task-management-vpc")), ServiceName: aws.String("com.amazonaws.us-east-1.logs"), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		SubnetIds: []string{e.id("subnet", "private-a")}, SecurityGroupIds: []string{sg}, PrivateDnsEnabled: aws.Bool(true),
	})
	check("second private DNS endpoint for one service", err, "InvalidParameter")
	_, err = e.w.EC2.ModifyVpcEndpoint(approved("ec2:ModifyVpcEndpoint"), &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String("vpce-0000000000000000")})
	check("modify unknown endpoint", err, "InvalidVpcEndpointId.NotFound")
	_, err = e.w.IAM.AttachRolePolicy(approved("iam:AttachRolePolicy"), &iam.AttachRolePolicyInput{RoleName: aws.String("nope"), PolicyArn: aws.String(ecsTaskExecutionPolicyARN)})
	check("attach to unknown role", err, "NoSuchEntity")
	_, err = e.w.IAM.PutRolePolicy(approved("iam:PutRolePolicy"), &iam.PutRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("x"), PolicyDocument: aws.String("{not json")})
	check("malformed policy", err, "MalformedPolicyDocument")
}

// Every write is refused without an approval of that exact operation, and
// nothing changes; with a DryRun flag it is checked and answered
// DryRunOperation, and nothing changes either.
func TestApprovalAndDryRun(t *testing.T) {
	e := newEnv(t, "missing-logs-endpoint")
	vpc, sg := e.id("vpc", "task-management-vpc"), e.id("sg", "task-mgmt-auth-sg")
	endpoint := &ec2.CreateVpcEndpointInput{
		VpcId: aws.String(vpc), ServiceName: aws.String("com.amazonaws.us-east-1.logs"), VpcEndpointType: ec2types.VpcEndpointTypeInterface,
		SubnetIds: []string{e.id("subnet", "private-a")}, SecurityGroupIds: []string{sg},
	}
	count := func() int {
		out, err := e.r.EC2.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.VpcEndpoints)
	}
	before := count()
	calls := map[string]func(context.Context) error{
		"ec2:CreateVpcEndpoint": func(c context.Context) error { _, err := e.w.EC2.CreateVpcEndpoint(c, endpoint); return err },
		"ec2:CreateSecurityGroup": func(c context.Context) error {
			_, err := e.w.EC2.CreateSecurityGroup(c, &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpc), GroupName: aws.String("g"), Description: aws.String("d")})
			return err
		},
		"ec2:AuthorizeSecurityGroupIngress": func(c context.Context) error {
			_, err := e.w.EC2.AuthorizeSecurityGroupIngress(c, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(sg), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8443), ToPort: aws.Int32(8443), CidrIp: aws.String("10.0.0.0/8")})
			return err
		},
		"ec2:AuthorizeSecurityGroupEgress": func(c context.Context) error {
			_, err := e.w.EC2.AuthorizeSecurityGroupEgress(c, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(sg), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8443), ToPort: aws.Int32(8443), CidrIp: aws.String("10.0.0.0/8")})
			return err
		},
		"ec2:ModifyVpcEndpoint": func(c context.Context) error {
			_, err := e.w.EC2.ModifyVpcEndpoint(c, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(e.id("endpoint", "s3")), AddRouteTableIds: []string{e.id("rtb", "public")}})
			return err
		},
		"ec2:ModifyVpcAttribute": func(c context.Context) error {
			_, err := e.w.EC2.ModifyVpcAttribute(c, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(vpc), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}})
			return err
		},
		"iam:AttachRolePolicy": func(c context.Context) error {
			_, err := e.w.IAM.AttachRolePolicy(c, &iam.AttachRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyArn: aws.String(ecsTaskExecutionPolicyARN)})
			return err
		},
		"iam:PutRolePolicy": func(c context.Context) error {
			_, err := e.w.IAM.PutRolePolicy(c, &iam.PutRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("p"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)})
			return err
		},
		"logs:CreateLogGroup": func(c context.Context) error {
			_, err := e.w.Logs.CreateLogGroup(c, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/new")})
			return err
		},
		"ecs:UpdateService": func(c context.Context) error {
			_, err := e.w.ECS.UpdateService(c, &ecs.UpdateServiceInput{Cluster: aws.String(e.cluster), Service: aws.String(e.service), DesiredCount: aws.Int32(0)})
			return err
		},
		"ecs:RegisterTaskDefinition": func(c context.Context) error {
			_, err := e.w.ECS.RegisterTaskDefinition(c, &ecs.RegisterTaskDefinitionInput{Family: aws.String("x"), ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("x"), Image: aws.String("nginx")}}})
			return err
		},
	}
	for op, call := range calls {
		// No approval, and an approval of something else.
		for _, c := range []context.Context{ctx, approved("ec2:DescribeVpcs", "iam:CreateRole")} {
			if err := call(c); !isRefused(err) {
				t.Errorf("%s without approval: %v", op, err)
			}
		}
	}
	if count() != before {
		t.Errorf("refused calls changed the world")
	}
	if out, _ := e.r.IAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("ecsTaskExecutionRole")}); len(out.AttachedPolicies) != 1 {
		t.Errorf("refused calls changed the role")
	}
	if s := e.svc(); s.DesiredCount != 1 {
		t.Errorf("refused UpdateService changed the desired count")
	}

	dry := *endpoint
	dry.DryRun = aws.Bool(true)
	_, err := e.w.EC2.CreateVpcEndpoint(approved("ec2:CreateVpcEndpoint"), &dry)
	if code(err) != "DryRunOperation" || !strings.Contains(err.Error(), "Request would have succeeded, but DryRun flag is set.") {
		t.Errorf("DryRun: %v", err)
	}
	// A dry-run approval admits the DryRun request and nothing else.
	dryCtx := awsx.WithDryRunApproval(ctx, "test", "ec2:CreateVpcEndpoint")
	if _, err := e.w.EC2.CreateVpcEndpoint(dryCtx, &dry); code(err) != "DryRunOperation" {
		t.Errorf("DryRun under a dry-run approval: %v", err)
	}
	if _, err := e.w.EC2.CreateVpcEndpoint(dryCtx, endpoint); !isRefused(err) {
		t.Errorf("real call under a dry-run approval: %v", err)
	}
	// DryRun still needs the permission.
	if _, err := e.w.EC2.CreateVpcEndpoint(ctx, &dry); !isRefused(err) {
		t.Errorf("DryRun without approval: %v", err)
	}
	if count() != before {
		t.Errorf("dry runs changed the world")
	}
}

func TestContextCancelled(t *testing.T) {
	e := newEnv(t, "healthy-nat")
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.r.ECS.ListClusters(c, &ecs.ListClustersInput{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestCallCounter(t *testing.T) {
	e := newEnv(t, "healthy-nat")
	counter := awsx.NewCallCounter()
	c := awsx.WithCallCounter(ctx, counter)
	e.r.STS.GetCallerIdentity(c, &sts.GetCallerIdentityInput{})
	e.r.EC2.DescribeVpcs(c, &ec2.DescribeVpcsInput{})
	e.r.EC2.DescribeVpcs(c, &ec2.DescribeVpcsInput{})
	if got := counter.ByOperation(); got["ec2:DescribeVpcs"] != 2 || got["sts:GetCallerIdentity"] != 1 || counter.Total() != 3 {
		t.Errorf("counted %v", got)
	}
}

// With a page size of 2 every paginated listing comes in pages and, put
// together, holds exactly what one unpaged call returns.
func TestPagination(t *testing.T) {
	sc, _ := scenario.ByName("no-endpoints")
	paged := envFor(t, sc, func(o *Options) { o.PageSize = 2 })
	whole := envFor(t, sc)
	type lister func(e *env) ([]string, int)
	listers := map[string]lister{
		"ListTasks": func(e *env) ([]string, int) {
			var out []string
			pages := 0
			p := ecs.NewListTasksPaginator(e.r.ECS, &ecs.ListTasksInput{Cluster: aws.String(e.cluster), DesiredStatus: ecstypes.DesiredStatusStopped})
			for p.HasMorePages() {
				pg, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				out = append(out, pg.TaskArns...)
			}
			return out, pages
		},
		"DescribeSubnets": func(e *env) ([]string, int) {
			var out []string
			pages := 0
			p := ec2.NewDescribeSubnetsPaginator(e.r.EC2, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{e.id("vpc", "learntrac-dev")}}}})
			for p.HasMorePages() {
				pg, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, s := range pg.Subnets {
					out = append(out, aws.ToString(s.SubnetId))
				}
			}
			return out, pages
		},
		"DescribeSecurityGroups": func(e *env) ([]string, int) {
			var out []string
			pages := 0
			p := ec2.NewDescribeSecurityGroupsPaginator(e.r.EC2, &ec2.DescribeSecurityGroupsInput{})
			for p.HasMorePages() {
				pg, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, s := range pg.SecurityGroups {
					out = append(out, aws.ToString(s.GroupId))
				}
			}
			return out, pages
		},
		"GetManagedPrefixListEntries": func(e *env) ([]string, int) {
			var out []string
			pages := 0
			p := ec2.NewGetManagedPrefixListEntriesPaginator(e.r.EC2, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String("pl-63a5400a")})
			for p.HasMorePages() {
				pg, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, x := range pg.Entries {
					out = append(out, aws.ToString(x.Cidr))
				}
			}
			return out, pages
		},
		"ListPolicies": func(e *env) ([]string, int) {
			var out []string
			pages := 0
			p := iam.NewListPoliciesPaginator(e.r.IAM, &iam.ListPoliciesInput{})
			for p.HasMorePages() {
				pg, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, x := range pg.Policies {
					out = append(out, aws.ToString(x.Arn))
				}
			}
			return out, pages
		},
		"SimulatePrincipalPolicy": func(e *env) ([]string, int) {
			var out []string
			pages := 0
			p := iam.NewSimulatePrincipalPolicyPaginator(e.r.IAM, &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(e.id("role", "ecsTaskExecutionRole")),
				ActionNames:     []string{"ecr:GetAuthorizationToken", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject"},
			})
			for p.HasMorePages() {
				pg, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, x := range pg.EvaluationResults {
					out = append(out, aws.ToString(x.EvalActionName)+"="+string(x.EvalDecision))
				}
			}
			return out, pages
		},
	}
	for name, list := range listers {
		got, pages := list(paged)
		want, _ := list(whole)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: paged %v, whole %v", name, got, want)
		}
		if len(want) > 2 && pages < 2 {
			t.Errorf("%s: %d items in %d page(s) with page size 2", name, len(want), pages)
		}
	}
	// MaxResults below the page size wins; a token from elsewhere is refused.
	out, err := paged.r.ECS.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(paged.cluster), DesiredStatus: ecstypes.DesiredStatusStopped, MaxResults: aws.Int32(1)})
	if err != nil || len(out.TaskArns) != 1 || out.NextToken == nil {
		t.Errorf("MaxResults 1: %v %v", out, err)
	}
	if _, err := paged.r.ECS.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String(paged.cluster), NextToken: out.NextToken}); code(err) != "InvalidParameterException" {
		t.Errorf("foreign token: %v", err)
	}
	// Logs read a page at a time in both directions.
	ev, err := paged.r.Logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/ecs/")})
	if err != nil || len(ev.LogGroups) != 1 {
		t.Errorf("DescribeLogGroups by prefix: %v %v", ev, err)
	}
}

// Policy documents come back URL-encoded, as IAM sends them, and decode to
// the documents themselves; the AWS managed execution policy is AWS's.
func TestIAMDocuments(t *testing.T) {
	e := newEnv(t, "secrets-no-endpoint")
	role, err := e.r.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ecsTaskExecutionRole")})
	if err != nil {
		t.Fatal(err)
	}
	raw := aws.ToString(role.Role.AssumeRolePolicyDocument)
	if !strings.HasPrefix(raw, "%7B%22") || !strings.Contains(raw, "%22Version%22%3A%222012-10-17%22") {
		t.Errorf("trust policy not URL-encoded: %s", raw)
	}
	if doc := awsx.DecodePolicyDocument(raw); !strings.Contains(doc, `"Service":"ecs-tasks.amazonaws.com"`) {
		t.Errorf("decoded trust policy: %s", doc)
	}
	inline, err := e.r.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("rds-credentials-read")})
	if err != nil || !strings.Contains(awsx.DecodePolicyDocument(aws.ToString(inline.PolicyDocument)), e.id("secret", "rds-credentials")) {
		t.Errorf("inline policy: %v %v", inline, err)
	}
	p, err := e.r.IAM.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(ecsTaskExecutionPolicyARN)})
	if err != nil || aws.ToString(p.Policy.DefaultVersionId) != "v1" || aws.ToInt32(p.Policy.AttachmentCount) != 1 {
		t.Fatalf("managed policy: %+v %v", p, err)
	}
	v, err := e.r.IAM.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(ecsTaskExecutionPolicyARN), VersionId: aws.String("v1")})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Statement []struct{ Action []string } }
	if err := json.Unmarshal([]byte(awsx.DecodePolicyDocument(aws.ToString(v.PolicyVersion.Document))), &doc); err != nil || len(doc.Statement[0].Action) != 6 {
		t.Errorf("AmazonECSTaskExecutionRolePolicy: %v %+v", err, doc)
	}
	managed, err := e.r.IAM.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws, OnlyAttached: true})
	if err != nil || len(managed.Policies) != 1 {
		t.Errorf("AWS managed, attached: %+v %v", managed, err)
	}
}

// SimulatePrincipalPolicy answers with the simulator's own evaluator:
// allowed, implicitDeny, explicitDeny, per action and resource.
func TestSimulatePrincipalPolicy(t *testing.T) {
	e := newEnv(t, "policy-not-attached")
	secret := e.id("secret", "rds-credentials")
	role := e.id("role", "ecsTaskExecutionRole")
	simulate := func() map[string]string {
		out, err := e.r.IAM.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
			PolicySourceArn: aws.String(role), ActionNames: []string{"secretsmanager:GetSecretValue", "ecr:GetAuthorizationToken"},
			ResourceArns: []string{secret, "*"},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range out.EvaluationResults {
			for _, rr := range r.ResourceSpecificResults {
				got[aws.ToString(r.EvalActionName)+" "+aws.ToString(rr.EvalResourceName)] = string(rr.EvalResourceDecision)
			}
		}
		return got
	}
	got := simulate()
	if got["secretsmanager:GetSecretValue "+secret] != "implicitDeny" || got["ecr:GetAuthorizationToken *"] != "allowed" {
		t.Errorf("before: %v", got)
	}
	if _, err := e.w.IAM.AttachRolePolicy(approved("iam:AttachRolePolicy"), &iam.AttachRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyArn: aws.String(e.id("policy", "TaskManagementSecretsAccess"))}); err != nil {
		t.Fatal(err)
	}
	if got = simulate(); got["secretsmanager:GetSecretValue "+secret] != "allowed" || got["secretsmanager:GetSecretValue *"] != "implicitDeny" {
		t.Errorf("after attaching: %v", got)
	}
	if _, err := e.w.IAM.PutRolePolicy(approved("iam:PutRolePolicy"), &iam.PutRolePolicyInput{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("no-secrets"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if got = simulate(); got["secretsmanager:GetSecretValue "+secret] != "explicitDeny" {
		t.Errorf("after an explicit deny: %v", got)
	}
	if _, err := e.r.IAM.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/nope"), ActionNames: []string{"s3:GetObject"}}); code(err) != "NoSuchEntity" {
		t.Errorf("unknown role: %v", err)
	}
}

// A world with a customer managed key and parameters: Secrets Manager omits
// KmsKeyId for its AWS managed key, SSM says alias/aws/ssm for its own, and
// a task whose role may not decrypt with the customer key stops.
const kmsWorld = `
name: kms-world
title: secrets under keys
world:
  vpcs: [{name: v, cidr: 10.1.0.0/16}]
  subnets:
    - {name: pub, vpc: v, az: us-east-1a, cidr: 10.1.0.0/24, mapPublicIpOnLaunch: true}
  internetGateways: [{name: igw, vpc: v}]
  routeTables:
    - {name: pub, vpc: v, subnets: [pub], routes: [{destination: 0.0.0.0/0, target: igw}]}
  securityGroups: [{name: app, vpc: v}]
  kmsKeys: [{name: app-key}]
  secrets:
    - {name: plain}
    - {name: guarded, kmsKey: app-key}
  parameters:
    - {name: /app/db-url}
    - {name: /app/mode, type: String}
  roles:
    - name: exec
      trustService: ecs-tasks.amazonaws.com
      managedPolicies: [arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]
      inlinePolicies:
        read:
          Version: "2012-10-17"
          Statement:
            - {Effect: Allow, Action: [secretsmanager:GetSecretValue, ssm:GetParameters], Resource: "*"}
  logGroups: [{name: /ecs/app}]
  repositories: [{name: app, images: [{tag: "1", base: debian, tools: [sh, curl]}]}]
  taskDefinitions:
    - family: app
      executionRole: exec
      containers:
        - name: app
          image: "{{ecr}}/app:1"
          essential: true
          secrets:
            - {name: A, valueFrom: "{{secret:plain}}"}
            - {name: B, valueFrom: "{{param:/app/db-url}}"}
            - {name: C, valueFrom: "{{secret:guarded}}"}
          log: {driver: awslogs, options: {awslogs-group: /ecs/app, awslogs-region: us-east-1, awslogs-stream-prefix: app}}
  clusters:
    - name: c
      services:
        - {name: app, taskDefinition: app, desiredCount: 1, network: {subnets: [pub], securityGroups: [app], assignPublicIp: true}}
`

func TestKeysAndParameters(t *testing.T) {
	sc, err := scenario.Parse([]byte(kmsWorld))
	if err != nil {
		t.Fatal(err)
	}
	e := envFor(t, sc)
	plain, err := e.r.Secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String("plain")})
	if err != nil || plain.KmsKeyId != nil {
		t.Errorf("secret under the AWS managed key: %+v %v", plain, err)
	}
	guarded, err := e.r.Secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(e.id("secret", "guarded"))})
	if err != nil || aws.ToString(guarded.KmsKeyId) != e.id("kms", "app-key") {
		t.Errorf("secret under a customer key: %+v %v", guarded, err)
	}
	params, err := e.r.SSM.DescribeParameters(ctx, &ssm.DescribeParametersInput{ParameterFilters: []ssmtypes.ParameterStringFilter{
		{Key: aws.String("Name"), Option: aws.String("Equals"), Values: []string{"/app/db-url", "/app/mode"}},
	}})
	if err != nil || len(params.Parameters) != 2 {
		t.Fatalf("DescribeParameters: %+v %v", params, err)
	}
	for _, p := range params.Parameters {
		want := ""
		if p.Type == ssmtypes.ParameterTypeSecureString {
			want = "alias/aws/ssm"
		}
		if aws.ToString(p.KeyId) != want {
			t.Errorf("%s: KeyId %q, want %q", aws.ToString(p.Name), aws.ToString(p.KeyId), want)
		}
	}
	key, err := e.r.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/app-key")})
	if err != nil || key.KeyMetadata.KeyManager != "CUSTOMER" || aws.ToString(key.KeyMetadata.Arn) != e.id("kms", "app-key") {
		t.Errorf("DescribeKey: %+v %v", key, err)
	}
	if managed, err := e.r.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")}); err != nil || managed.KeyMetadata.KeyManager != "AWS" {
		t.Errorf("AWS managed key: %v", err)
	}
	f := e.failed()
	if f == nil || !strings.HasSuffix(aws.ToString(f.StoppedReason), "api error AccessDeniedException: Access to KMS is not allowed") ||
		!strings.Contains(aws.ToString(f.StoppedReason), e.id("secret", "guarded")) {
		t.Errorf("task with a secret it may not decrypt: %v", f)
	}
	// A database filter the gatherer uses returns nothing here, not an error.
	if out, err := e.r.RDS.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{{Name: aws.String("db-instance-id"), Values: []string{"x"}}}}); err != nil || len(out.DBInstances) != 0 {
		t.Errorf("DescribeDBInstances filter: %v %v", out, err)
	}
}
