package motoworld

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// policies creates the customer managed policies. Documents may name
// secrets, keys and parameters by placeholder, which exist by now.
func (b *builder) policies(ctx context.Context) error {
	for _, p := range b.sc.World.Policies {
		out, err := b.c.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{
			PolicyName:     aws.String(p.Name),
			PolicyDocument: aws.String(b.w.Resolve(string(p.Document))),
		})
		if err != nil {
			return fmt.Errorf("policy %s: %w", p.Name, err)
		}
		b.w.IDs["policy:"+p.Name] = aws.ToString(out.Policy.Arn)
	}
	return nil
}

func (b *builder) roles(ctx context.Context) error {
	for _, r := range b.sc.World.Roles {
		trust, err := r.TrustDocument()
		if err != nil {
			return fmt.Errorf("role %s: %w", r.Name, err)
		}
		in := &iam.CreateRoleInput{RoleName: aws.String(r.Name), AssumeRolePolicyDocument: aws.String(b.w.Resolve(trust))}
		if r.PermissionsBoundary != "" {
			in.PermissionsBoundary = aws.String(b.policyARN(r.PermissionsBoundary))
		}
		out, err := b.c.iam.CreateRole(ctx, in)
		if err != nil {
			return fmt.Errorf("role %s: %w", r.Name, err)
		}
		b.w.IDs["role:"+r.Name] = aws.ToString(out.Role.Arn)
		for _, p := range r.ManagedPolicies {
			if _, err := b.c.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{
				RoleName: aws.String(r.Name), PolicyArn: aws.String(b.policyARN(p)),
			}); err != nil {
				return fmt.Errorf("role %s: attach %s: %w", r.Name, p, err)
			}
		}
		names := make([]string, 0, len(r.InlinePolicies))
		for name := range r.InlinePolicies {
			names = append(names, name)
		}
		sort.Strings(names) // a stable call order keeps seeded ids repeatable
		for _, name := range names {
			if _, err := b.c.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
				RoleName: aws.String(r.Name), PolicyName: aws.String(name),
				PolicyDocument: aws.String(b.w.Resolve(string(r.InlinePolicies[name]))),
			}); err != nil {
				return fmt.Errorf("role %s: inline policy %s: %w", r.Name, name, err)
			}
		}
	}
	return nil
}

// policyARN resolves a Name of this world's policies; ARNs pass through.
func (b *builder) policyARN(p string) string {
	if strings.HasPrefix(p, "arn:") {
		return p
	}
	return b.w.IDs["policy:"+p]
}
