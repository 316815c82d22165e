package iampolicy

import (
	"reflect"
	"testing"
)

const (
	acct      = "211125602758"
	secretARN = "arn:aws:secretsmanager:us-east-1:" + acct + ":secret:rds-credentials-aAhHLW"
	execARN   = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	seedARN   = "arn:aws:iam::" + acct + ":policy/TaskManagementSecretsAccess"
)

// seedPolicy is a TaskManagementSecretsAccess-style policy from the seed: it
// was created but never attached to ecsTaskExecutionRole.
const seedPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadDatabaseSecret",
      "Effect": "Allow",
      "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      "Resource": "arn:aws:secretsmanager:us-east-1:211125602758:secret:rds-credentials-*"
    }
  ]
}`

// taskNeeds is what a task with an ECR image, awslogs and one secret needs.
var taskNeeds = []Pair{
	{"ecr:GetAuthorizationToken", "*"},
	{"ecr:BatchCheckLayerAvailability", "arn:aws:ecr:us-east-1:" + acct + ":repository/auth-service"},
	{"ecr:GetDownloadUrlForLayer", "arn:aws:ecr:us-east-1:" + acct + ":repository/auth-service"},
	{"ecr:BatchGetImage", "arn:aws:ecr:us-east-1:" + acct + ":repository/auth-service"},
	{"logs:CreateLogStream", "arn:aws:logs:us-east-1:" + acct + ":log-group:/ecs/auth-service:*"},
	{"logs:PutLogEvents", "arn:aws:logs:us-east-1:" + acct + ":log-group:/ecs/auth-service:log-stream:ecs/auth/1"},
	{"secretsmanager:GetSecretValue", secretARN},
}

// TestSeedUnattachedPolicy walks the seed's IAM challenge: the managed
// execution role policy covers ECR and logs but not the secret; the
// unattached customer policy is the one that would; attaching it fixes it.
func TestSeedUnattachedPolicy(t *testing.T) {
	exec := mustParse(t, execRolePolicy)
	seed := mustParse(t, seedPolicy)
	role := []Source{{Name: execARN, Doc: exec}}

	var missing []Pair
	for _, p := range taskNeeds {
		if v := Evaluate(role, nil, p.Action, p.Resource); v.Decision != Allowed {
			missing = append(missing, p)
			if v.Decision != ImplicitDeny || len(v.Deciding) != 0 {
				t.Errorf("%v: %+v, want a bare implicit deny", p, v)
			}
		}
	}
	want := []Pair{{"secretsmanager:GetSecretValue", secretARN}}
	if !reflect.DeepEqual(missing, want) {
		t.Fatalf("missing under AmazonECSTaskExecutionRolePolicy = %v, want %v", missing, want)
	}
	if got := Grants(exec, missing); len(got) != 0 {
		t.Errorf("Grants(exec policy) = %v, want none", got)
	}
	if got := Grants(seed, missing); !reflect.DeepEqual(got, want) {
		t.Errorf("Grants(unattached seed policy) = %v, want %v", got, want)
	}

	attached := append(role, Source{Name: seedARN, Doc: seed})
	for _, p := range taskNeeds {
		if v := Evaluate(attached, nil, p.Action, p.Resource); v.Decision != Allowed {
			t.Errorf("after attaching, %v: %+v", p, v)
		}
	}
	v := Evaluate(attached, nil, "secretsmanager:GetSecretValue", secretARN)
	wantRef := []StatementRef{{Source: seedARN, Index: 0, Sid: "ReadDatabaseSecret", Effect: "Allow"}}
	if !reflect.DeepEqual(v.Deciding, wantRef) {
		t.Errorf("deciding = %+v, want %+v", v.Deciding, wantRef)
	}
}

func TestGrantsKeepsOrderAndIgnoresNil(t *testing.T) {
	d := mustParse(t, `{"Statement":[{"Effect":"Allow","Action":["ssm:GetParameters","kms:Decrypt"],"Resource":"*"}]}`)
	pairs := []Pair{{"kms:Decrypt", "k"}, {"s3:GetObject", "o"}, {"ssm:GetParameters", "p"}}
	if got, want := Grants(d, pairs), []Pair{{"kms:Decrypt", "k"}, {"ssm:GetParameters", "p"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Grants = %v, want %v", got, want)
	}
	if got := Grants(nil, pairs); len(got) != 0 {
		t.Errorf("Grants(nil) = %v", got)
	}
}

// ref builds the StatementRef expected for statement i of source name.
func ref(name string, i int, sid, effect string) StatementRef {
	return StatementRef{Source: name, Index: i, Sid: sid, Effect: effect}
}

func TestEvaluate(t *testing.T) {
	const (
		bucket = "arn:aws:s3:::config-bucket"
		object = bucket + "/app/config.json"
	)
	tests := []struct {
		name             string
		identity         []string // documents, named p0, p1, ...
		boundary         []string // nil: no boundary
		action, resource string
		want             Decision
		deciding         []StatementRef
	}{
		{
			name:     "nothing attached",
			action:   "ecr:BatchGetImage",
			resource: "*",
			want:     ImplicitDeny,
		},
		{
			name:     "action matched case-insensitively",
			identity: []string{seedPolicy},
			action:   "SecretsManager:getsecretvalue", resource: secretARN,
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "ReadDatabaseSecret", "Allow")},
		},
		{
			name:     "resource matched case-sensitively",
			identity: []string{seedPolicy},
			action:   "secretsmanager:GetSecretValue", resource: "arn:aws:secretsmanager:us-east-1:211125602758:secret:RDS-credentials-aAhHLW",
			want: ImplicitDeny,
		},
		{
			name:     "secret ARN suffix with six ?",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecret?alue","Resource":"arn:aws:secretsmanager:us-east-1:211125602758:secret:rds-credentials-??????"}}`},
			action:   "secretsmanager:GetSecretValue", resource: secretARN,
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "", "Allow")},
		},
		{
			name:     "secret name without its suffix does not cover the secret",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:211125602758:secret:rds-credentials"}}`},
			action:   "secretsmanager:GetSecretValue", resource: secretARN,
			want: ImplicitDeny,
		},
		{
			name: "explicit deny beats allow",
			identity: []string{execRolePolicy,
				`{"Statement":[{"Sid":"NoECR","Effect":"Deny","Action":"ecr:*","Resource":"*"}]}`},
			action: "ecr:BatchGetImage", resource: "*",
			want:     ExplicitDeny,
			deciding: []StatementRef{ref("p1", 0, "NoECR", "Deny")},
		},
		{
			name: "deny with an undecidable condition makes an allowed action conditional",
			identity: []string{execRolePolicy,
				`{"Statement":[{"Sid":"OnlyFromVPC","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}]}`},
			action: "logs:PutLogEvents", resource: "*",
			want:     Conditional,
			deciding: []StatementRef{ref("p1", 0, "OnlyFromVPC", "Deny"), ref("p0", 0, "", "Allow")},
		},
		{
			name:     "conditional deny on something not allowed stays an implicit deny",
			identity: []string{`{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name:     "allow with a condition alone is conditional",
			identity: []string{`{"Statement":[{"Sid":"Tagged","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:ResourceTag/app":"auth"}}}]}`},
			action:   "secretsmanager:GetSecretValue", resource: secretARN,
			want:     Conditional,
			deciding: []StatementRef{ref("p0", 0, "Tagged", "Allow")},
		},
		{
			name: "an unconditional allow wins over a conditional one",
			identity: []string{
				`{"Statement":[{"Sid":"Tagged","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"secretsmanager:ResourceTag/app":"auth"}}}]}`,
				seedPolicy},
			action: "secretsmanager:GetSecretValue", resource: secretARN,
			want:     Allowed,
			deciding: []StatementRef{ref("p1", 0, "ReadDatabaseSecret", "Allow")},
		},
		{
			name:     "empty condition block is no condition",
			identity: []string{`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{}}]}`},
			action:   "s3:GetObject", resource: object,
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "", "Allow")},
		},
		{
			name:     "every matching allow is listed",
			identity: []string{execRolePolicy, `{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"},{"Sid":"x","Effect":"Allow","Action":"*","Resource":"*"}]}`},
			action:   "logs:PutLogEvents", resource: "*",
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "", "Allow"), ref("p1", 0, "", "Allow"), ref("p1", 1, "x", "Allow")},
		},
		{
			name:     "NotAction allows every other action",
			identity: []string{`{"Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}}`},
			action:   "secretsmanager:GetSecretValue", resource: secretARN,
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "", "Allow")},
		},
		{
			name:     "NotAction does not allow the listed actions",
			identity: []string{`{"Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}}`},
			action:   "IAM:PassRole", resource: "*",
			want: ImplicitDeny,
		},
		{
			name:     "NotAction still needs the Resource to match",
			identity: []string{`{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::other/*"}}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name: "Deny with NotAction denies all but the listed",
			identity: []string{execRolePolicy,
				`{"Statement":{"Effect":"Deny","NotAction":"logs:*","Resource":"*"}}`},
			action: "ecr:BatchGetImage", resource: "*",
			want:     ExplicitDeny,
			deciding: []StatementRef{ref("p1", 0, "", "Deny")},
		},
		{
			name:     "NotResource allows other resources",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::private/*"}}`},
			action:   "s3:GetObject", resource: object,
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "", "Allow")},
		},
		{
			name:     "NotResource does not allow the listed resources",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":["arn:aws:s3:::private/*","arn:aws:s3:::config-bucket/*"]}}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name:     "NotResource still needs the action to match",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"s3:PutObject","NotResource":"arn:aws:s3:::private/*"}}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name: "Deny with NotResource denies outside the listed",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
				`{"Statement":{"Effect":"Deny","Action":"s3:*","NotResource":"arn:aws:s3:::public/*"}}`},
			action: "s3:GetObject", resource: object,
			want:     ExplicitDeny,
			deciding: []StatementRef{ref("p1", 0, "", "Deny")},
		},
		{
			name:     "policy variable in a matching Resource is conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::config-bucket/${aws:username}/*"}}`},
			action:   "s3:GetObject", resource: object,
			want:     Conditional,
			deciding: []StatementRef{ref("p0", 0, "", "Allow")},
		},
		{
			name:     "policy variable in a Resource that cannot match is no match",
			identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other-bucket/${aws:username}/*"}}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name:     "without Version, ${...} is literal text, as IAM reads it",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::config-bucket/${aws:username}/*"}}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name: "policy variable in a Deny makes it conditional",
			identity: []string{seedPolicy,
				`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"secretsmanager:*","Resource":"arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/team}-*"}}`},
			action: "secretsmanager:GetSecretValue", resource: secretARN,
			want:     Conditional,
			deciding: []StatementRef{ref("p1", 0, "", "Deny"), ref("p0", 0, "ReadDatabaseSecret", "Allow")},
		},
		{
			name:     "policy variable in NotResource makes it conditional",
			identity: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::config-bucket/${aws:username}"}}`},
			action:   "s3:GetObject", resource: object,
			want:     Conditional,
			deciding: []StatementRef{ref("p0", 0, "", "Allow")},
		},
		{
			name:     "boundary that allows: allowed",
			identity: []string{execRolePolicy},
			boundary: []string{`{"Statement":{"Effect":"Allow","Action":["ecr:*","logs:*"],"Resource":"*"}}`},
			action:   "ecr:BatchGetImage", resource: "*",
			want:     Allowed,
			deciding: []StatementRef{ref("p0", 0, "", "Allow"), ref("b0", 0, "", "Allow")},
		},
		{
			name:     "boundary that does not allow: implicit deny",
			identity: []string{execRolePolicy, seedPolicy},
			boundary: []string{`{"Statement":{"Effect":"Allow","Action":["ecr:*","logs:*"],"Resource":"*"}}`},
			action:   "secretsmanager:GetSecretValue", resource: secretARN,
			want: ImplicitDeny,
		},
		{
			name:     "boundary allows but identity does not: implicit deny",
			identity: []string{execRolePolicy},
			boundary: []string{`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`},
			action:   "secretsmanager:GetSecretValue", resource: secretARN,
			want: ImplicitDeny,
		},
		{
			name:     "deny in the boundary denies",
			identity: []string{execRolePolicy},
			boundary: []string{`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoLogs","Effect":"Deny","Action":"logs:*","Resource":"*"}]}`},
			action:   "logs:CreateLogStream", resource: "*",
			want:     ExplicitDeny,
			deciding: []StatementRef{ref("b0", 1, "NoLogs", "Deny")},
		},
		{
			name:     "conditional boundary allow: conditional",
			identity: []string{execRolePolicy},
			boundary: []string{`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}}`},
			action:   "ecr:GetAuthorizationToken", resource: "*",
			want:     Conditional,
			deciding: []StatementRef{ref("p0", 0, "", "Allow"), ref("b0", 0, "", "Allow")},
		},
		{
			name:     "empty boundary allows nothing",
			identity: []string{execRolePolicy},
			boundary: []string{},
			action:   "ecr:GetAuthorizationToken", resource: "*",
			want: ImplicitDeny,
		},
		{
			name:     "statement without Resource: an Allow grants nothing",
			identity: []string{`{"Statement":{"Effect":"Allow","Action":"*"}}`},
			action:   "s3:GetObject", resource: object,
			want: ImplicitDeny,
		},
		{
			name:     "statement without Resource: a Deny denies",
			identity: []string{execRolePolicy, `{"Statement":{"Effect":"Deny","Action":"*"}}`},
			action:   "ecr:GetAuthorizationToken", resource: "*",
			want:     ExplicitDeny,
			deciding: []StatementRef{ref("p1", 0, "", "Deny")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			identity := sources(t, "p", tt.identity)
			var boundary []Source
			if tt.boundary != nil {
				boundary = sources(t, "b", tt.boundary)
			}
			got := Evaluate(identity, boundary, tt.action, tt.resource)
			want := Verdict{Decision: tt.want, Deciding: tt.deciding}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Evaluate(%s, %s)\n got %+v\nwant %+v", tt.action, tt.resource, got, want)
			}
		})
	}
}

// sources parses docs into Sources named prefix0, prefix1, ...; the result
// is non-nil even when docs is empty, so that an empty boundary stays one.
func sources(t *testing.T, prefix string, docs []string) []Source {
	out := []Source{}
	for i, doc := range docs {
		out = append(out, Source{Name: prefix + string(rune('0'+i)), Doc: mustParse(t, doc)})
	}
	return out
}

func TestEvaluateToleratesNilDocs(t *testing.T) {
	v := Evaluate([]Source{{Name: "missing"}}, []Source{{Name: "missing"}}, "s3:GetObject", "x")
	if v.Decision != ImplicitDeny {
		t.Errorf("got %+v", v)
	}
}
