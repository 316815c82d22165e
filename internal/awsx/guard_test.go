package awsx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// fakeAWS answers every request with an empty success, and counts them.
func fakeAWS(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<Response><requestId>1</requestId></Response>`))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func testSession(t *testing.T, url string) *Session {
	t.Setenv("AWS_ACCESS_KEY_ID", "x")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "x")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_CA_BUNDLE", "")
	s, err := Load(context.Background(), Options{Region: "us-east-1", EndpointURL: url})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A mutating call without approval is refused before anything is sent.
func TestGuardRefusesUnapprovedMutation(t *testing.T) {
	srv, hits := fakeAWS(t)
	w := NewWriters(testSession(t, srv.URL))
	_, err := w.EC2.CreateVpcEndpoint(context.Background(), &ec2.CreateVpcEndpointInput{VpcId: aws.String("vpc-1"), ServiceName: aws.String("com.amazonaws.us-east-1.logs")})
	var refused *RefusedError
	if !errors.As(err, &refused) || refused.Operation != "ec2:CreateVpcEndpoint" {
		t.Fatalf("want RefusedError for ec2:CreateVpcEndpoint, got %v", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d request(s) reached AWS", hits.Load())
	}
}

// An approval covers exactly the operations it names.
func TestGuardApprovalIsExact(t *testing.T) {
	srv, hits := fakeAWS(t)
	w := NewWriters(testSession(t, srv.URL))
	ctx := WithApproval(context.Background(), "create-interface-endpoint:logs", "ec2:CreateVpcEndpoint")
	if _, err := w.EC2.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: aws.String("vpc-1"), ServiceName: aws.String("com.amazonaws.us-east-1.logs")}); err != nil {
		var refused *RefusedError
		if errors.As(err, &refused) {
			t.Fatalf("approved call refused: %v", err)
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("approved call sent %d requests, want 1", hits.Load())
	}
	_, err := w.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-1")})
	var refused *RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("an operation outside the approval must be refused, got %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("refused call reached AWS")
	}
}

// Secret values are never read, approval or not.
func TestGuardNeverReadsSecrets(t *testing.T) {
	srv, hits := fakeAWS(t)
	sm := secretsmanager.NewFromConfig(testSession(t, srv.URL).Config)
	ctx := WithApproval(context.Background(), "x", "secretsmanager:GetSecretValue")
	_, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String("s")})
	var refused *RefusedError
	if !errors.As(err, &refused) || hits.Load() != 0 {
		t.Fatalf("GetSecretValue must be refused before sending: err %v, hits %d", err, hits.Load())
	}
}

func TestIsReadOnly(t *testing.T) {
	for op, want := range map[string]bool{
		"ec2:DescribeVpcEndpoints": true, "iam:GetRole": true, "iam:SimulatePrincipalPolicy": true, "logs:GetLogEvents": true,
		"ec2:CreateVpcEndpoint": false, "ecs:UpdateService": false, "iam:AttachRolePolicy": false,
		"secretsmanager:GetSecretValue": false, "ssm:GetParameters": false, "ecr:GetAuthorizationToken": false, "nonsense": false,
	} {
		if got := IsReadOnly(op); got != want {
			t.Errorf("IsReadOnly(%s) = %v, want %v", op, got, want)
		}
	}
}

// A dry-run approval admits the call only with DryRun set.
func TestGuardDryRunApproval(t *testing.T) {
	srv, hits := fakeAWS(t)
	w := NewWriters(testSession(t, srv.URL))
	ctx := WithDryRunApproval(context.Background(), "x", "ec2:AuthorizeSecurityGroupIngress")
	_, err := w.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-1")})
	var refused *RefusedError
	if !errors.As(err, &refused) || hits.Load() != 0 {
		t.Fatalf("a real call under a dry-run approval must be refused: %v, hits %d", err, hits.Load())
	}
	w.EC2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-1"), DryRun: aws.Bool(true)})
	if hits.Load() != 1 {
		t.Fatalf("the DryRun request should have been sent, hits %d", hits.Load())
	}
}
