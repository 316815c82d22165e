package awsx

import "testing"

func TestDecodePolicyDocument(t *testing.T) {
	plain := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/100%25"}]}`
	for in, want := range map[string]string{
		// Real IAM URL-encodes documents (RFC 3986).
		"%7B%22Version%22%3A%222012-10-17%22%7D": `{"Version":"2012-10-17"}`,
		// Some implementations return them plain; a literal % must survive.
		plain: plain,
		"":    "",
	} {
		if got := DecodePolicyDocument(in); got != want {
			t.Errorf("DecodePolicyDocument(%q) = %q, want %q", in, got, want)
		}
	}
}
