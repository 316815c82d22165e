package workflow

import (
	"github.com/ecsdoctor/ecsdoctor/internal/change"

	"math/rand"
	"reflect"
	"testing"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// What the task definition makes the task need: the AWS services it must
// reach and the execution role permissions, on exact resources.

const (
	tStream      = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api:log-stream:ecs/app/1111aaaa2222bbbb3333cccc4444dddd"
	tGroupARN    = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/api"
	tParamARN    = "arn:aws:ssm:us-east-1:123456789012:parameter/app/api-key"
	tCredsSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-creds-Q1w2E3"
	tEnvFile     = "arn:aws:s3:::api-config-prod/env/api.env"
)

func perm(action, resource string) facts.Permission {
	return facts.Permission{Action: action, Resource: resource}
}

// secretRef adds a container secret without any facts about it (before
// DescribeSecret / DescribeParameters answered, or when they were skipped).
func secretRef(valueFrom string) opt {
	return container(func(c *facts.ContainerDefinition) {
		c.Secrets = append(c.Secrets, facts.SecretRef{Name: "S" + string(rune('A'+len(c.Secrets))), ValueFrom: valueFrom})
	})
}

var ecrPerms = []facts.Permission{
	perm("ecr:GetAuthorizationToken", "*"),
	perm("ecr:BatchCheckLayerAvailability", tRepoARN),
	perm("ecr:GetDownloadUrlForLayer", tRepoARN),
	perm("ecr:BatchGetImage", tRepoARN),
}

var logsPerms = []facts.Permission{perm("logs:CreateLogStream", tStream), perm("logs:PutLogEvents", tStream)}

func concatPerms(lists ...[]facts.Permission) []facts.Permission {
	out := []facts.Permission{}
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func TestRequiredServices(t *testing.T) {
	cases := []struct {
		name string
		opts []opt
		want []string
	}{
		{"ECR image and awslogs", nil, []string{"ecr.api", "ecr.dkr", "s3", "logs"}},
		{"Docker Hub image, no logs", []opt{image("nginx:1.25"), noLogging()}, []string{"internet"}},
		{"Docker Hub image with awslogs", []opt{image("nginx:1.25")}, []string{"internet", "logs"}},
		{"public ECR gallery image", []opt{image("public.ecr.aws/nginx/nginx:1.25"), noLogging()}, []string{"internet"}},
		{"ECR image in another region", []opt{image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:v1"), noLogging()}, []string{"internet"}},
		{"Secrets Manager secret", []opt{withSecret(tSecret)}, []string{"ecr.api", "ecr.dkr", "s3", "secretsmanager", "logs"}},
		{"SSM parameter", []opt{secretRef("/app/api-key")}, []string{"ecr.api", "ecr.dkr", "s3", "ssm", "logs"}},
		{"SSM parameter by ARN", []opt{secretRef(tParamARN)}, []string{"ecr.api", "ecr.dkr", "s3", "ssm", "logs"}},
		{"private registry credentials", []opt{image("myorg/private-app:1.0"), noLogging(), container(func(c *facts.ContainerDefinition) { c.RepositoryCredentials = tCredsSecret })},
			[]string{"internet", "secretsmanager"}},
		{"environment files from S3", []opt{image("nginx:1.25"), noLogging(), container(func(c *facts.ContainerDefinition) { c.EnvironmentFiles = []string{tEnvFile} })},
			[]string{"internet", "s3"}},
		{"two containers, one service list", []opt{func(f *facts.Facts) {
			f.TaskDefinition.Containers = append(f.TaskDefinition.Containers, facts.ContainerDefinition{Name: "envoy", Image: tImage, Essential: false,
				Log: f.TaskDefinition.Containers[0].Log})
		}}, []string{"ecr.api", "ecr.dkr", "s3", "logs"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			needs := RequiredServices(newFacts(tc.opts...).TaskDefinition, tRegion)
			var got []string
			for _, n := range needs {
				got = append(got, n.Service)
				if n.Why == "" {
					t.Errorf("need %s has no reason", n.Service)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RequiredServices = %v, want %v", got, tc.want)
			}
		})
	}
	if got := RequiredServices(nil, tRegion); got != nil {
		t.Errorf("RequiredServices(nil) = %v", got)
	}
}

func TestRequiredPermissions(t *testing.T) {
	cases := []struct {
		name string
		opts []opt
		want []facts.Permission
	}{
		{"ECR image and awslogs: AmazonECSTaskExecutionRolePolicy's actions on exact resources", nil, concatPerms(ecrPerms, logsPerms)},
		{"Docker Hub image: no ECR actions", []opt{image("nginx:1.25")}, logsPerms},
		{"Docker Hub image, no logs: nothing", []opt{image("nginx:1.25"), noLogging()}, []facts.Permission{}},
		{"awslogs-create-group=true adds logs:CreateLogGroup on the group", []opt{image("nginx:1.25"), logOption("awslogs-create-group", "true")},
			concatPerms([]facts.Permission{perm("logs:CreateLogGroup", tGroupARN)}, logsPerms)},
		{"awslogs-create-group=false does not", []opt{image("nginx:1.25"), logOption("awslogs-create-group", "false")}, logsPerms},
		{"awslogs-region names the group's region", []opt{image("nginx:1.25"), logOption("awslogs-region", "eu-west-1")}, []facts.Permission{
			perm("logs:CreateLogStream", "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/api:log-stream:ecs/app/1111aaaa2222bbbb3333cccc4444dddd"),
			perm("logs:PutLogEvents", "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/api:log-stream:ecs/app/1111aaaa2222bbbb3333cccc4444dddd")}},
		{"secret with a JSON key: the secret ARN without the suffix", []opt{image("nginx:1.25"), noLogging(), secretRef(tSecret + ":password::")},
			[]facts.Permission{perm("secretsmanager:GetSecretValue", tSecret)}},
		{"secret with JSON key, version stage and id", []opt{image("nginx:1.25"), noLogging(), secretRef(tSecret + ":password:AWSCURRENT:")},
			[]facts.Permission{perm("secretsmanager:GetSecretValue", tSecret)}},
		{"partial secret ARN with a JSON key: the full ARN DescribeSecret found", []opt{image("nginx:1.25"), noLogging(),
			withSecret("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials:password::")},
			[]facts.Permission{perm("secretsmanager:GetSecretValue", tSecret)}},
		{"secret with a customer managed key: kms:Decrypt on the key", []opt{image("nginx:1.25"), noLogging(), withSecret(tSecret), secretKMS(tCMK, "CUSTOMER")},
			[]facts.Permission{perm("secretsmanager:GetSecretValue", tSecret), perm("kms:Decrypt", tCMK)}},
		{"secret with the AWS managed key: no kms:Decrypt", []opt{image("nginx:1.25"), noLogging(), withSecret(tSecret), secretKMS("arn:aws:kms:us-east-1:123456789012:key/0000-aws-managed", "AWS")},
			[]facts.Permission{perm("secretsmanager:GetSecretValue", tSecret)}},
		{"SSM parameter by hierarchical name", []opt{image("nginx:1.25"), noLogging(), secretRef("/app/api-key")},
			[]facts.Permission{perm("ssm:GetParameters", tParamARN)}},
		{"SSM parameter by plain name", []opt{image("nginx:1.25"), noLogging(), secretRef("api-key")},
			[]facts.Permission{perm("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/api-key")}},
		{"SSM parameter by ARN", []opt{image("nginx:1.25"), noLogging(), secretRef("arn:aws:ssm:us-east-1:123456789012:parameter/shared/token")},
			[]facts.Permission{perm("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/shared/token")}},
		{"SSM parameter found by DescribeParameters: its ARN", []opt{image("nginx:1.25"), noLogging(),
			withParameter("api-key", facts.Parameter{Name: "/api-key", ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/api-key", Type: "String", Found: true})},
			[]facts.Permission{perm("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/api-key")}},
		{"SecureString parameter with a customer managed key", []opt{image("nginx:1.25"), noLogging(),
			withParameter("/app/api-key", facts.Parameter{Name: "/app/api-key", ARN: tParamARN, Type: "SecureString", KeyID: tCMK, Found: true}),
			func(f *facts.Facts) {
				f.KMSKeys = []facts.KMSKey{{Ref: tCMK, ARN: tCMK, Manager: "CUSTOMER", Found: true}}
			}},
			[]facts.Permission{perm("ssm:GetParameters", tParamARN), perm("kms:Decrypt", tCMK)}},
		{"SecureString parameter with the AWS managed key", []opt{image("nginx:1.25"), noLogging(),
			withParameter("/app/api-key", facts.Parameter{Name: "/app/api-key", ARN: tParamARN, Type: "SecureString", KeyID: "alias/aws/ssm", Found: true})},
			[]facts.Permission{perm("ssm:GetParameters", tParamARN)}},
		{"private registry credentials", []opt{image("myorg/private-app:1.0"), noLogging(), container(func(c *facts.ContainerDefinition) { c.RepositoryCredentials = tCredsSecret })},
			[]facts.Permission{perm("secretsmanager:GetSecretValue", tCredsSecret)}},
		{"environment files", []opt{image("nginx:1.25"), noLogging(), container(func(c *facts.ContainerDefinition) { c.EnvironmentFiles = []string{tEnvFile} })},
			[]facts.Permission{perm("s3:GetObject", tEnvFile), perm("s3:GetBucketLocation", "arn:aws:s3:::api-config-prod")}},
		{"two containers with the same image and group: no duplicates", []opt{func(f *facts.Facts) {
			f.TaskDefinition.Containers = append(f.TaskDefinition.Containers, facts.ContainerDefinition{Name: "app", Image: tImage})
		}}, concatPerms(ecrPerms, logsPerms)},
		{"account from the task definition ARN when the target has none", []opt{func(f *facts.Facts) { f.Target.Account, f.Caller = "", nil }},
			concatPerms(ecrPerms, logsPerms)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFacts(tc.opts...)
			got := RequiredPermissions(f)
			if len(got) == 0 && len(tc.want) == 0 {
				if NeedsExecutionRole(f.TaskDefinition, tRegion) {
					t.Errorf("NeedsExecutionRole = true with nothing required")
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RequiredPermissions =\n  %v\nwant\n  %v", got, tc.want)
			}
			if !NeedsExecutionRole(f.TaskDefinition, tRegion) {
				t.Errorf("NeedsExecutionRole = false, want true")
			}
		})
	}
	if got := RequiredPermissions(&facts.Facts{}); got != nil {
		t.Errorf("RequiredPermissions without a task definition = %v", got)
	}
}

func TestLeastPrivilegePolicy(t *testing.T) {
	const secretB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-Zz9Yy8"
	perms := concatPerms(ecrPerms, logsPerms, []facts.Permission{
		perm("secretsmanager:GetSecretValue", tSecret),
		perm("secretsmanager:GetSecretValue", secretB),
		perm("kms:Decrypt", tCMK),
		perm("secretsmanager:GetSecretValue", tSecret), // repeated
	})
	want := change.PolicyDocument{Version: "2012-10-17", Statement: []change.PolicyStatement{
		{Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
		{Effect: "Allow", Action: []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, Resource: []string{tRepoARN}},
		{Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{tCMK}},
		{Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: []string{tStream}},
		{Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{secretB, tSecret}},
	}}
	got := change.LeastPrivilegePolicy(perms)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("change.LeastPrivilegePolicy =\n  %s\nwant\n  %s", got.JSON(), want.JSON())
	}
	// The same permissions in any order give the same document, byte for byte.
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 50; i++ {
		shuffled := append([]facts.Permission{}, perms...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if j := change.LeastPrivilegePolicy(shuffled).JSON(); j != want.JSON() {
			t.Fatalf("order-dependent policy:\n  %s\nwant\n  %s", j, want.JSON())
		}
	}
}

// Actions share a statement only when they need exactly the same resources.
func TestLeastPrivilegePolicyGroupsByIdenticalResources(t *testing.T) {
	got := change.LeastPrivilegePolicy([]facts.Permission{
		perm("s3:GetObject", "arn:aws:s3:::b/one.env"),
		perm("s3:GetObject", "arn:aws:s3:::b/two.env"),
		perm("s3:GetBucketLocation", "arn:aws:s3:::b"),
		perm("secretsmanager:GetSecretValue", "arn:aws:s3:::b/one.env"), // same resource as one GetObject, not both
	})
	want := []change.PolicyStatement{
		{Effect: "Allow", Action: []string{"s3:GetBucketLocation"}, Resource: []string{"arn:aws:s3:::b"}},
		{Effect: "Allow", Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/one.env", "arn:aws:s3:::b/two.env"}},
		{Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{"arn:aws:s3:::b/one.env"}},
	}
	if !reflect.DeepEqual(got.Statement, want) {
		t.Errorf("statements =\n  %+v\nwant\n  %+v", got.Statement, want)
	}
}

// The inline-policy fix grants exactly the missing permissions: not those
// the role already has, not those an explicit Deny blocks.
func TestInlinePolicyFixGrantsOnlyWhatIsMissing(t *testing.T) {
	d := Diagnose(newFacts(withSecret(tSecret), dropInlinePolicies(), secretKMS(tCMK, "CUSTOMER"),
		inlinePolicy("deny-kms", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:Decrypt","Resource":"*"}]}`)))
	fx, _ := d.Fix(putPolicy)
	if fx == nil {
		t.Fatalf("no %s fix; got:\n%s", putPolicy, summary(d))
	}
	doc := fx.Plan.Actions[0].(change.PutRolePolicy).Document
	want := change.PolicyDocument{Version: "2012-10-17", Statement: []change.PolicyStatement{
		{Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: []string{tSecret}},
	}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("policy = %s, want %s", doc.JSON(), want.JSON())
	}
	if kms := matching(d, "iam.permission-missing", map[string]string{"action": "kms:Decrypt"}); len(kms) != 1 || len(kms[0].Fixes) != 0 {
		t.Errorf("explicitly denied kms:Decrypt: %+v, want one finding with no inline-policy fix", kms)
	}
}
