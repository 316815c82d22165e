package motoworld

import (
	"context"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

func (v *verifier) iam(ctx context.Context) {
	attachments := map[string]int32{} // policy name -> roles listing it
	for _, r := range v.sc.World.Roles {
		out, err := v.c.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(r.Name)})
		v.must(err, "GetRole")
		// moto.md: GetRole's document is URL-encoded, as on AWS.
		trust, err := url.QueryUnescape(aws.ToString(out.Role.AssumeRolePolicyDocument))
		v.must(err, "decode trust policy")
		if r.TrustService != "" && !strings.Contains(trust, r.TrustService) {
			v.t.Errorf("role %s: trust policy %s does not name %s", r.Name, trust, r.TrustService)
		}
		att, err := v.c.iam.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(r.Name)})
		v.must(err, "ListAttachedRolePolicies")
		var got, want []string
		for _, p := range att.AttachedPolicies {
			got = append(got, aws.ToString(p.PolicyArn))
		}
		for _, p := range r.ManagedPolicies {
			if !strings.HasPrefix(p, "arn:") {
				attachments[p]++
				p = v.w.IDs["policy:"+p]
			}
			want = append(want, p)
		}
		if !sameSet(got, want) {
			v.t.Errorf("role %s: attached %v, want %v", r.Name, got, want)
		}
		inline, err := v.c.iam.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(r.Name)})
		v.must(err, "ListRolePolicies")
		if len(inline.PolicyNames) != len(r.InlinePolicies) {
			v.t.Errorf("role %s: inline policies %v, want %d", r.Name, inline.PolicyNames, len(r.InlinePolicies))
		}
		for _, name := range inline.PolicyNames {
			doc, err := v.c.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(r.Name), PolicyName: aws.String(name)})
			v.must(err, "GetRolePolicy")
			text, err := url.QueryUnescape(aws.ToString(doc.PolicyDocument))
			v.must(err, "decode inline policy")
			v.resolved("role "+r.Name+" policy "+name, text)
		}
	}
	for _, p := range v.sc.World.Policies {
		out, err := v.c.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(v.w.IDs["policy:"+p.Name])})
		v.must(err, "GetPolicy")
		if got := aws.ToInt32(out.Policy.AttachmentCount); got != attachments[p.Name] {
			v.t.Errorf("policy %s: attached to %d roles, want %d", p.Name, got, attachments[p.Name])
		}
		ver, err := v.c.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: out.Policy.Arn, VersionId: out.Policy.DefaultVersionId})
		v.must(err, "GetPolicyVersion")
		v.resolved("policy "+p.Name, aws.ToString(ver.PolicyVersion.Document))
	}
}

func (v *verifier) data(ctx context.Context) {
	for _, s := range v.sc.World.Secrets {
		out, err := v.c.secrets.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(v.w.IDs["secret:"+s.Name])})
		v.must(err, "DescribeSecret "+s.Name)
		if aws.ToString(out.Name) != s.Name {
			v.t.Errorf("secret %s: described as %s", s.Name, aws.ToString(out.Name))
		}
	}
	for _, p := range v.sc.World.Parameters {
		_, err := v.c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(p.Name)})
		v.must(err, "GetParameter "+p.Name)
	}
	for _, g := range v.sc.World.LogGroups {
		out, err := v.c.logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(g.Name)})
		v.must(err, "DescribeLogGroups")
		if len(out.LogGroups) == 0 || aws.ToString(out.LogGroups[0].LogGroupName) != g.Name {
			v.t.Errorf("log group %s not found", g.Name)
		}
	}
	for _, r := range v.sc.World.Repositories {
		for _, img := range r.Images {
			out, err := v.c.ecr.BatchGetImage(ctx, &ecr.BatchGetImageInput{
				RepositoryName: aws.String(r.Name), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String(img.Tag)}},
			})
			v.must(err, "BatchGetImage")
			if len(out.Images) != 1 {
				v.t.Errorf("image %s:%s: %d images, failures %d", r.Name, img.Tag, len(out.Images), len(out.Failures))
				continue
			}
			if m := aws.ToString(out.Images[0].ImageManifest); img.Base != "" && !strings.Contains(m, img.Base) {
				v.t.Errorf("image %s:%s: manifest does not record base %s: %s", r.Name, img.Tag, img.Base, m)
			}
		}
	}
	for _, d := range v.sc.World.Databases {
		out, err := v.c.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(d.Name)})
		v.must(err, "DescribeDBInstances")
		db := out.DBInstances[0]
		var groups []string
		for _, g := range db.VpcSecurityGroups {
			groups = append(groups, aws.ToString(g.VpcSecurityGroupId))
		}
		if !sameSet(groups, v.ids("sg", d.SecurityGroups)) || db.Endpoint == nil ||
			aws.ToString(db.Endpoint.Address) != v.w.IDs["db:"+d.Name] {
			v.t.Errorf("database %s: groups %v endpoint %v", d.Name, groups, db.Endpoint)
		}
		if d.RequireSSL {
			v.forceSSL(ctx, d.Name, db.DBParameterGroups)
		}
	}
}

// forceSSL checks that one of the instance's parameter groups forces TLS.
func (v *verifier) forceSSL(ctx context.Context, db string, groups []rdstypes.DBParameterGroupStatus) {
	for _, g := range groups {
		out, err := v.c.rds.DescribeDBParameters(ctx, &rds.DescribeDBParametersInput{DBParameterGroupName: g.DBParameterGroupName})
		v.must(err, "DescribeDBParameters")
		for _, p := range out.Parameters {
			name := aws.ToString(p.ParameterName)
			if (name == "rds.force_ssl" || name == "require_secure_transport") && aws.ToString(p.ParameterValue) == "1" {
				return
			}
		}
	}
	v.t.Errorf("database %s: no parameter group forces TLS", db)
}
