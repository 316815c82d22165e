package awsx

import (
	"context"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// The write APIs fixes use. Every call through them passes the same guard
// as reads (see Admit): without an approval for that exact operation in the
// context, nothing is sent.

// ECSWriter changes services and registers task definitions.
type ECSWriter interface {
	UpdateService(context.Context, *ecs.UpdateServiceInput, ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error)
	RegisterTaskDefinition(context.Context, *ecs.RegisterTaskDefinitionInput, ...func(*ecs.Options)) (*ecs.RegisterTaskDefinitionOutput, error)
}

// EC2Writer creates endpoints and security groups and adds rules; it has no
// delete or revoke call, because fixes never delete.
type EC2Writer interface {
	CreateSecurityGroup(context.Context, *ec2.CreateSecurityGroupInput, ...func(*ec2.Options)) (*ec2.CreateSecurityGroupOutput, error)
	AuthorizeSecurityGroupIngress(context.Context, *ec2.AuthorizeSecurityGroupIngressInput, ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupIngressOutput, error)
	AuthorizeSecurityGroupEgress(context.Context, *ec2.AuthorizeSecurityGroupEgressInput, ...func(*ec2.Options)) (*ec2.AuthorizeSecurityGroupEgressOutput, error)
	CreateVpcEndpoint(context.Context, *ec2.CreateVpcEndpointInput, ...func(*ec2.Options)) (*ec2.CreateVpcEndpointOutput, error)
	ModifyVpcEndpoint(context.Context, *ec2.ModifyVpcEndpointInput, ...func(*ec2.Options)) (*ec2.ModifyVpcEndpointOutput, error)
	ModifyVpcAttribute(context.Context, *ec2.ModifyVpcAttributeInput, ...func(*ec2.Options)) (*ec2.ModifyVpcAttributeOutput, error)
}

// IAMWriter attaches and adds role policies.
type IAMWriter interface {
	AttachRolePolicy(context.Context, *iam.AttachRolePolicyInput, ...func(*iam.Options)) (*iam.AttachRolePolicyOutput, error)
	PutRolePolicy(context.Context, *iam.PutRolePolicyInput, ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error)
}

// LogsWriter creates log groups.
type LogsWriter interface {
	CreateLogGroup(context.Context, *cloudwatchlogs.CreateLogGroupInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error)
}

// Writers is every write API fixes use, for one account and region.
type Writers struct {
	ECS  ECSWriter
	EC2  EC2Writer
	IAM  IAMWriter
	Logs LogsWriter
}

// NewWriters builds the SDK clients of a session for writing. They carry
// the same guard middleware as the readers.
func NewWriters(s *Session) *Writers {
	cfg := s.Config
	return &Writers{
		ECS:  ecs.NewFromConfig(cfg),
		EC2:  ec2.NewFromConfig(cfg),
		IAM:  iam.NewFromConfig(cfg),
		Logs: cloudwatchlogs.NewFromConfig(cfg),
	}
}

// Admit decides whether an operation (IAM action name) with its input may
// run under ctx: reads always, except calls that return secret values
// (never); anything else only with an approval of that exact operation (and,
// for a dry-run approval, only as a DryRun request). The SDK middleware and
// the demo account's simulator both call it, so the rule is one rule.
func Admit(ctx context.Context, op string, input any) error {
	if IsSecretReader(op) {
		return &RefusedError{Operation: op, Reason: "ecsdoctor never reads secret values"}
	}
	if IsReadOnly(op) {
		return nil
	}
	a := ApprovalFrom(ctx)
	switch {
	case a == nil || !a.Operations[op]:
		return &RefusedError{Operation: op, Reason: "it changes AWS and this exact change was not confirmed"}
	case a.DryRunOnly && !isDryRun(input):
		return &RefusedError{Operation: op, Reason: "only a dry run was confirmed"}
	}
	return nil
}

// isDryRun reports whether an SDK input asks for a dry run (its DryRun
// field, which EC2 inputs have, is set to true).
func isDryRun(input any) bool {
	v := reflect.ValueOf(input)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return false
	}
	f := v.FieldByName("DryRun")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.Bool {
		return false
	}
	return f.Elem().Bool()
}

// CountCall records a call in the counter the context carries (the
// simulator's calls do not pass through SDK middleware).
func CountCall(ctx context.Context, op string) {
	if c, ok := ctx.Value(counterKey{}).(*CallCounter); ok {
		c.add(op)
	}
}
