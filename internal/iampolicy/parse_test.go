package iampolicy

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// execRolePolicy is AWS's managed AmazonECSTaskExecutionRolePolicy.
const execRolePolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents"
      ],
      "Resource": "*"
    }
  ]
}`

// ecsTrust is the standard ECS task execution role trust policy, as real
// IAM returns it from GetRole: percent-encoded.
const ecsTrustEncoded = `%7B%22Version%22%3A%222008-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22%22%2C%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D`

func mustParse(t testing.TB, doc string) *Document {
	t.Helper()
	d, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	return d
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want *Document
	}{
		{
			name: "managed execution role policy",
			doc:  execRolePolicy,
			want: &Document{Version: "2012-10-17", Statements: []Statement{{
				Effect: "Allow",
				Actions: []string{"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
					"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents"},
				Resources: []string{"*"},
			}}},
		},
		{
			name: "statement as an object, strings for lists, no Version",
			doc:  `{"Statement":{"Sid":"One","Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b"}}`,
			want: &Document{Statements: []Statement{{
				Sid: "One", Effect: "Deny", NotActions: []string{"iam:*"}, NotResources: []string{"arn:aws:s3:::b"},
			}}},
		},
		{
			name: "URL-encoded trust policy",
			doc:  ecsTrustEncoded,
			want: &Document{Version: "2008-10-17", Statements: []Statement{{
				Effect: "Allow", Actions: []string{"sts:AssumeRole"},
				Principals: map[string][]string{"Service": {"ecs-tasks.amazonaws.com"}},
			}}},
		},
		{
			name: "form-encoded (spaces as +)",
			doc:  url.QueryEscape(`{ "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ] }`),
			want: &Document{Statements: []Statement{{
				Effect: "Allow", Actions: []string{"s3:GetObject"}, Resources: []string{"*"},
			}}},
		},
		{
			name: "principal star, multiple statements, indexes",
			doc: `{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
				{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::1:root","arn:aws:iam::2:root"],"Service":"ecs.amazonaws.com"},"Action":"*"}]}`,
			want: &Document{Version: "2012-10-17", Statements: []Statement{
				{Index: 0, Effect: "Allow", Actions: []string{"sts:AssumeRole"}, Principals: map[string][]string{"*": {"*"}}},
				{Index: 1, Effect: "Deny", Actions: []string{"*"}, NotPrincipals: map[string][]string{
					"AWS": {"arn:aws:iam::1:root", "arn:aws:iam::2:root"}, "Service": {"ecs.amazonaws.com"}}},
			}},
		},
		{
			name: "byte order mark and surrounding whitespace; Id ignored",
			doc:  "\n\ufeff {\"Id\":\"x\",\"Statement\":[]} \n",
			want: &Document{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, tt.doc)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestParsePercentInPlainJSON: a plain document is never URL-decoded, even
// when it holds '%' sequences that would decode.
func TestParsePercentInPlainJSON(t *testing.T) {
	d := mustParse(t, `{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%25/%7Bx%7D"}]}`)
	if got := d.Statements[0].Resources[0]; got != "arn:aws:s3:::b/100%25/%7Bx%7D" {
		t.Errorf("resource = %q, was decoded", got)
	}
	// Decoded once only: an encoded document whose JSON holds %25 keeps it.
	enc := url.PathEscape(`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%25"}]}`)
	d = mustParse(t, enc)
	if got := d.Statements[0].Resources[0]; got != "arn:aws:s3:::b/100%25" {
		t.Errorf("resource = %q after one decoding", got)
	}
}

func TestParseCondition(t *testing.T) {
	tests := []struct {
		cond string
		want bool
	}{
		{`{"StringEquals":{"aws:SourceAccount":"123456789012"}}`, true},
		{`{"Bool":{}}`, true}, // odd but constrains something we cannot read
		{`{}`, false},
		{`null`, false},
	}
	for _, tt := range tests {
		d := mustParse(t, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+tt.cond+`}}`)
		st := d.Statements[0]
		if st.HasCondition != tt.want || string(st.Condition) != tt.cond {
			t.Errorf("Condition %s: HasCondition %v (want %v), Condition %s", tt.cond, st.HasCondition, tt.want, st.Condition)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, wantErr string
	}{
		{"empty", "", "empty"},
		{"whitespace", " \n\t ", "empty"},
		{"encoded whitespace", "%20%0A", "empty"},
		{"not JSON", "Version: 2012-10-17", "not a JSON object"},
		{"array", `[{"Effect":"Allow"}]`, "not a JSON object"},
		{"null", "null", "not a JSON object"},
		{"trailing garbage", `{"Statement":[]} x`, "not a JSON object"},
		{"bad escape", "%7B%ZZ", "does not decode"},
		{"encoded twice", url.PathEscape(url.PathEscape(`{"Statement":[]}`)), "encoded twice"},
		{"no Statement", `{"Version":"2012-10-17"}`, "no Statement"},
		{"Statement string", `{"Statement":"Allow"}`, "Statement must be"},
		{"Statement null", `{"Statement":null}`, "Statement must be"},
		{"statement not object", `{"Statement":[42]}`, "statement 0: not a JSON object"},
		{"Version number", `{"Version":2012,"Statement":[]}`, "Version"},
		{"no Effect", `{"Statement":[{"Action":"*","Resource":"*"}]}`, "no Effect"},
		{"bad Effect", `{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}`, "neither"},
		{"Action and NotAction", `{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"iam:*","Resource":"*"}]}`, "exactly one of Action and NotAction"},
		{"neither Action nor NotAction", `{"Statement":[{"Effect":"Allow","Resource":"*"}]}`, "exactly one of Action and NotAction"},
		{"lower-case action key", `{"Statement":[{"Effect":"Allow","action":"*","Resource":"*"}]}`, "exactly one of Action and NotAction"},
		{"Resource and NotResource", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"x"}]}`, "both Resource and NotResource"},
		{"Action number", `{"Statement":[{"Effect":"Allow","Action":42,"Resource":"*"}]}`, "Action"},
		{"Action null item", `{"Statement":[{"Effect":"Allow","Action":["s3:*",null],"Resource":"*"}]}`, "item 1"},
		{"Action empty", `{"Statement":[{"Effect":"Allow","NotAction":[],"Resource":"*"}]}`, "empty array"},
		{"Principal string", `{"Statement":[{"Effect":"Allow","Action":"*","Principal":"ecs-tasks.amazonaws.com"}]}`, "Principal"},
		{"Principal value", `{"Statement":[{"Effect":"Allow","Action":"*","Principal":{"Service":7}}]}`, "Principal: Service"},
		{"Principal and NotPrincipal", `{"Statement":[{"Effect":"Allow","Action":"*","Principal":"*","NotPrincipal":"*"}]}`, "both Principal and NotPrincipal"},
		{"Condition array", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":[]}]}`, "Condition"},
		{"Sid number", `{"Statement":[{"Sid":1,"Effect":"Allow","Action":"*","Resource":"*"}]}`, "Sid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.doc)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error", tt.doc, d)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q) error %q, want it to mention %q", tt.doc, err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "iampolicy: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		execRolePolicy,
		ecsTrustEncoded,
		`{"Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":["a*","${aws:username}"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/${*}"}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`,
		"%7B%22Statement%22%3A%5B%5D%7D",
		"",
		"%",
		`{"Statement":[]}`,
	} {
		f.Add(s, "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-aAhHLW")
	}
	f.Fuzz(func(t *testing.T, doc, action, resource string) {
		d, err := Parse(doc)
		if err != nil {
			if d != nil {
				t.Fatal("Parse returned a document with an error")
			}
			return
		}
		src := []Source{{Name: "fuzz", Doc: d}}
		alone := Evaluate(src, nil, action, resource)
		bounded := Evaluate(src, src, action, resource)
		for _, v := range []Verdict{alone, bounded, TrustsService(d, resource)} {
			checkVerdict(t, v)
		}
		// A policy that is its own boundary decides exactly as it does alone.
		if alone.Decision != bounded.Decision {
			t.Fatalf("alone %s, as its own boundary %s", alone.Decision, bounded.Decision)
		}
		granted := len(Grants(d, []Pair{{action, resource}})) == 1
		if granted != (alone.Decision == Allowed) {
			t.Fatalf("Grants says %v, Evaluate says %s", granted, alone.Decision)
		}
		// The URL-encoded form of a plain document parses to the same thing.
		if strings.HasPrefix(trimDoc(doc), "{") {
			d2, err := Parse(url.PathEscape(doc))
			if err != nil || !reflect.DeepEqual(d, d2) {
				t.Fatalf("encoded form: %v\n%#v\n%#v", err, d, d2)
			}
		}
	})
}

// checkVerdict holds the invariants every verdict keeps.
func checkVerdict(t *testing.T, v Verdict) {
	t.Helper()
	switch v.Decision {
	case ImplicitDeny:
		if len(v.Deciding) != 0 {
			t.Fatalf("implicit deny with deciding statements %+v", v.Deciding)
		}
	case Allowed, ExplicitDeny, Conditional:
		if len(v.Deciding) == 0 {
			t.Fatalf("%s without deciding statements", v.Decision)
		}
	default:
		t.Fatalf("unknown decision %q", v.Decision)
	}
}
