package iampolicy

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"ecr:GetAuthorizationToken", "ecr:GetAuthorizationToken", true},
		{"ECR:getauthorizationtoken", "ecr:GetAuthorizationToken", true}, // case-insensitive
		{"ecr:GetAuthorizationToken", "ECR:GETAUTHORIZATIONTOKEN", true},
		{"ecr:*", "ecr:BatchGetImage", true},
		{"ecr:*", "ecrpublic:GetAuthorizationToken", false},
		{"ecr:Get*", "ecr:GetDownloadUrlForLayer", true},
		{"ecr:Get*", "ecr:BatchGetImage", false},
		{"*", "secretsmanager:GetSecretValue", true},
		{"*", "", true},
		{"secretsmanager:GetSecret?alue", "secretsmanager:GetSecretValue", true},
		{"secretsmanager:GetSecret?alue", "secretsmanager:GetSecretVValue", false},
		{"secretsmanager:*Secret*", "secretsmanager:GetSecretValue", true},
		{"logs:CreateLogStream", "logs:CreateLogGroup", false},
		{"logs:CreateLog*", "logs:CreateLogGroup", true},
		{"s3:GetObject", "s3:GetObjectVersion", false}, // anchored at both ends
		{"", "", true},
		{"", "s3:GetObject", false},
		{"\u212a", "k", false}, // the Kelvin sign does not fold to ASCII k
	}
	for _, tt := range tests {
		if got := matchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("matchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}

func TestWildcardMatchResource(t *testing.T) {
	const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-aAhHLW"
	tests := []struct {
		pattern, resource string
		want              bool
	}{
		{"*", secret, true},
		{secret, secret, true},
		{"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-*", secret, true},
		{"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-??????", secret, true},
		// the suffix is six characters: five or seven '?' do not match
		{"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-?????", secret, false},
		{"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-???????", secret, false},
		// the name without the suffix is not the secret's ARN
		{"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials", secret, false},
		{"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-AAHHLW", secret, false}, // case-sensitive
		{"ARN:AWS:secretsmanager:us-east-1:123456789012:secret:rds-credentials-*", secret, false},
		{"arn:aws:secretsmanager:*:123456789012:secret:*", secret, true},
		{"arn:aws:secretsmanager:us-east-1:*", secret, true}, // '*' spans ':'
		{"arn:aws:*", secret, true},
		{"arn:aws:secretsmanager:us-west-2:*", secret, false},
		{"arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket/a/b/c.txt", true}, // '*' spans '/'
		{"arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket", false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/auth-service:*",
			"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/auth-service:log-stream:ecs/app/abc", true},
		{"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/auth-service:*",
			"arn:aws:logs:us-east-1:123456789012:log-group:/ecs/auth-service-2:log-stream:x", false},
		{"a*a*a*a*b", "aaaaaaaaab", true},
		{"a*a*a*a*b", "aaaaaaaaaa", false},
		{"*?", "", false},
		{"?*", "x", true},
		{"**", "", true},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.resource); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.resource, got, tt.want)
		}
	}
}

func TestCompileResourceVariables(t *testing.T) {
	tests := []struct {
		pattern   string
		variables bool
		resource  string
		want      bool
		wantVar   bool
	}{
		{"arn:aws:s3:::b/${aws:username}/*", true, "arn:aws:s3:::b/alice/x", true, true},
		{"arn:aws:s3:::b/${aws:username}/*", true, "arn:aws:s3:::c/alice/x", false, true},
		// Version 2008-10-17 reads the variable literally
		{"arn:aws:s3:::b/${aws:username}/*", false, "arn:aws:s3:::b/alice/x", false, false},
		{"arn:aws:s3:::b/${aws:username}/*", false, "arn:aws:s3:::b/${aws:username}/x", true, false},
		// escapes are literal characters, not wildcards
		{"arn:aws:s3:::b/${*}", true, "arn:aws:s3:::b/*", true, false},
		{"arn:aws:s3:::b/${*}", true, "arn:aws:s3:::b/x", false, false},
		{"arn:aws:s3:::b/${?}", true, "arn:aws:s3:::b/x", false, false},
		{"arn:aws:s3:::b/${$}", true, "arn:aws:s3:::b/$", true, false},
		{"arn:aws:s3:::b/${aws:username, 'nobody'}", true, "arn:aws:s3:::b/bob", true, true},
		{"arn:aws:s3:::b/${unterminated", true, "arn:aws:s3:::b/${unterminated", true, false},
	}
	for _, tt := range tests {
		tokens, hasVar := compileResource(tt.pattern, tt.variables)
		if got := matchTokens(tokens, []rune(tt.resource)); got != tt.want || hasVar != tt.wantVar {
			t.Errorf("compileResource(%q, %v) on %q: match %v hasVar %v, want %v %v",
				tt.pattern, tt.variables, tt.resource, got, hasVar, tt.want, tt.wantVar)
		}
	}
}

// TestMatchNotExponential guards the algorithm: backtracking over every star
// would take astronomically long on these inputs.
func TestMatchNotExponential(t *testing.T) {
	pattern := strings.Repeat("a*", 40) + "b"
	text := strings.Repeat("a", 5000)
	start := time.Now()
	if wildcardMatch(pattern, text) {
		t.Fatal("pattern ending in b matched a text without b")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
}

// referenceMatch is the obviously correct matcher: the pattern as an
// anchored regular expression.
func referenceMatch(t testing.TB, pattern, s string) bool {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		t.Fatalf("reference regexp for %q: %v", pattern, err)
	}
	return re.MatchString(s)
}

func FuzzMatch(f *testing.F) {
	f.Add("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-??????",
		"arn:aws:secretsmanager:us-east-1:123456789012:secret:rds-credentials-aAhHLW")
	f.Add("a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaa")
	f.Add("*?*", "x")
	f.Add("ecr:Get*", "ecr:GetDownloadUrlForLayer")
	f.Add("", "")
	f.Add("\u00e9?", "\u00e9\u00e8")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		// Invalid UTF-8 cannot be compiled into a regexp; such patterns
		// never come out of JSON decoding anyway.
		if !utf8.ValidString(pattern) || len(pattern) > 200 || len(s) > 400 {
			t.Skip()
		}
		got := wildcardMatch(pattern, s)
		if want := referenceMatch(t, pattern, s); got != want {
			t.Fatalf("wildcardMatch(%q, %q) = %v, reference says %v", pattern, s, got, want)
		}
	})
}
