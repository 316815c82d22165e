package awsx

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/smithy-go"
)

// The login command comes with the SSO message, as arguments a UI can run,
// and is the very command the message names.
func TestSSOLoginCommand(t *testing.T) {
	expired := errors.New("operation error ECS: ListClusters, get identity: get credentials: failed to refresh cached credentials, refresh cached SSO token failed, unable to refresh SSO token")
	cases := []struct {
		name    string
		err     error
		want    []string
		wantMsg bool
	}{
		{"profile", Classify("ecs:ListClusters", expired, "dev"), []string{"aws", "sso", "login", "--profile", "dev"}, true},
		{"no profile", Classify("sts:GetCallerIdentity", &ssocreds.InvalidTokenError{}, ""), []string{"aws", "sso", "login"}, true},
		{"wrapped", fmt.Errorf("listing clusters: %w", Classify("ecs:ListClusters", expired, "prod")), []string{"aws", "sso", "login", "--profile", "prod"}, true},
		{"no credentials", Classify("ecs:ListClusters", errors.New("failed to retrieve credentials"), "dev"), nil, false},
		{"rejected", Classify("ecs:ListClusters", &smithy.GenericAPIError{Code: "ExpiredToken"}, "dev"), nil, false},
		{"other error", errors.New("boom"), nil, false},
		{"nil", nil, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := SSOLoginCommand(tc.err)
			if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
				t.Fatalf("SSOLoginCommand = %q, %v; want %q", got, ok, tc.want)
			}
			if tc.wantMsg && !strings.Contains(tc.err.Error(), "`"+strings.Join(tc.want, " ")+"`") {
				t.Errorf("the message does not name the command: %v", tc.err)
			}
		})
	}
	// The caller gets its own copy.
	err := Classify("ecs:ListClusters", expired, "dev")
	got, _ := SSOLoginCommand(err)
	got[0] = "rm"
	if again, _ := SSOLoginCommand(err); again[0] != "aws" {
		t.Error("SSOLoginCommand shares its slice with the error")
	}
}
