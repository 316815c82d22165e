package awsx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/ecsdoctor/ecsdoctor/internal/change"
)

func (a *Applier) attachRolePolicy(ctx context.Context, st *applyState, x change.AttachRolePolicy, rec *CallRecord) error {
	p := iam.NewListAttachedRolePoliciesPaginator(a.R.IAM, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(x.RoleName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, ap := range page.AttachedPolicies {
			if aws.ToString(ap.PolicyArn) == x.PolicyARN {
				rec.Outcome, rec.Resource = OutcomeInPlace, x.RoleName
				return nil
			}
		}
	}
	in := &iam.AttachRolePolicyInput{RoleName: aws.String(x.RoleName), PolicyArn: aws.String(x.PolicyARN)}
	rec.Resource = x.RoleName
	applied, err := st.send(rec, in, noDryRun, func() error {
		_, err := a.W.IAM.AttachRolePolicy(ctx, in)
		return err
	})
	if !applied {
		return err
	}
	rec.Undo = fmt.Sprintf("aws iam detach-role-policy --role-name %s --policy-arn %s", x.RoleName, x.PolicyARN)
	return nil
}

// putRolePolicy never replaces an inline policy: the name carries a hash of
// the document, so the same document is "already in place" and a different
// one gets its own name beside whatever the role already has.
func (a *Applier) putRolePolicy(ctx context.Context, st *applyState, x change.PutRolePolicy, rec *CallRecord) error {
	doc := x.Document.JSON()
	sum := sha256.Sum256([]byte(doc))
	name := x.PolicyName + "-" + hex.EncodeToString(sum[:])[:8]
	rec.Resource = x.RoleName + "/" + name
	existing, err := a.R.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(x.RoleName), PolicyName: aws.String(name)})
	switch {
	case err == nil && existing != nil:
		rec.Outcome = OutcomeInPlace
		return nil
	case err != nil && !IsNotFound(err):
		return err
	}
	in := &iam.PutRolePolicyInput{RoleName: aws.String(x.RoleName), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}
	applied, err := st.send(rec, in, noDryRun, func() error {
		_, err := a.W.IAM.PutRolePolicy(ctx, in)
		return err
	})
	if !applied {
		return err
	}
	rec.Undo = fmt.Sprintf("aws iam delete-role-policy --role-name %s --policy-name %s", x.RoleName, name)
	return nil
}

func (a *Applier) createLogGroup(ctx context.Context, st *applyState, x change.CreateLogGroup, rec *CallRecord) error {
	rec.Resource = x.Name
	// A prefix matches every longer name too: page until the exact one.
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(a.R.Logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(x.Name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, g := range page.LogGroups {
			if aws.ToString(g.LogGroupName) == x.Name {
				rec.Outcome = OutcomeInPlace
				return nil
			}
		}
	}
	in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(x.Name)}
	applied, err := st.send(rec, in, noDryRun, func() error {
		_, err := a.W.Logs.CreateLogGroup(ctx, in)
		return err
	})
	if ErrorCode(err) == "ResourceAlreadyExistsException" {
		rec.Outcome = OutcomeInPlace
		return nil
	}
	if !applied {
		return err
	}
	rec.Undo = fmt.Sprintf("aws logs delete-log-group --region %s --log-group-name %s", a.Region, change.ShellQuote(x.Name))
	return nil
}
