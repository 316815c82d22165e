package awsx

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// accountPolicies is what ListPolicies says about the account's managed
// policies: default versions (so documents take one call, not two) and
// which customer managed policies are attached to nothing.
type accountPolicies struct {
	byARN      map[string]facts.ManagedPolicy
	unattached []facts.ManagedPolicy // newest first
}

func (st *gathering) listAccountPolicies(ctx context.Context) (*accountPolicies, error) {
	ap := &accountPolicies{byARN: map[string]facts.ManagedPolicy{}}
	var local, awsManaged []iamtypes.Policy
	eg, gctx := errgroup.WithContext(ctx)
	list := func(in *iam.ListPoliciesInput, dst *[]iamtypes.Policy) {
		eg.Go(func() error {
			p := iam.NewListPoliciesPaginator(st.g.R.IAM, in)
			for p.HasMorePages() {
				page, err := p.NextPage(gctx)
				if err != nil {
					return err
				}
				*dst = append(*dst, page.Policies...)
			}
			return nil
		})
	}
	list(&iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal, MaxItems: aws.Int32(1000)}, &local)
	list(&iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws, OnlyAttached: true, MaxItems: aws.Int32(1000)}, &awsManaged)
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	for _, p := range awsManaged {
		mp := convertPolicy(p)
		mp.AWSManaged = true
		ap.byARN[mp.ARN] = mp
	}
	for _, p := range local {
		mp := convertPolicy(p)
		ap.byARN[mp.ARN] = mp
		if mp.AttachmentCount == 0 {
			ap.unattached = append(ap.unattached, mp)
		}
	}
	sort.SliceStable(ap.unattached, func(i, j int) bool {
		return after(newest(ap.unattached[i]), newest(ap.unattached[j]))
	})
	return ap, nil
}

func newest(p facts.ManagedPolicy) *time.Time {
	if p.UpdatedAt != nil {
		return p.UpdatedAt
	}
	return p.CreatedAt
}

func convertPolicy(p iamtypes.Policy) facts.ManagedPolicy {
	return facts.ManagedPolicy{
		ARN:             aws.ToString(p.Arn),
		Name:            aws.ToString(p.PolicyName),
		DefaultVersion:  aws.ToString(p.DefaultVersionId),
		AttachmentCount: aws.ToInt32(p.AttachmentCount),
		AWSManaged:      strings.HasPrefix(aws.ToString(p.Arn), "arn:aws:iam::aws:") || strings.Contains(aws.ToString(p.Arn), ":iam::aws:policy/"),
		CreatedAt:       p.CreateDate,
		UpdatedAt:       p.UpdateDate,
	}
}

// fetchPolicyDocuments reads the default-version document of each policy,
// concurrently. A policy whose default version is not known yet costs one
// extra GetPolicy call.
func (st *gathering) fetchPolicyDocuments(ctx context.Context, policies []facts.ManagedPolicy) ([]facts.ManagedPolicy, error) {
	out := make([]facts.ManagedPolicy, len(policies))
	eg, gctx := errgroup.WithContext(ctx)
	for i, p := range policies {
		eg.Go(func() error {
			if p.DefaultVersion == "" {
				gp, err := st.g.R.IAM.GetPolicy(gctx, &iam.GetPolicyInput{PolicyArn: aws.String(p.ARN)})
				if err != nil {
					return err
				}
				if gp.Policy != nil {
					name := p.Name
					p = convertPolicy(*gp.Policy)
					if p.Name == "" {
						p.Name = name
					}
				}
			}
			v, err := st.g.R.IAM.GetPolicyVersion(gctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(p.ARN), VersionId: aws.String(p.DefaultVersion)})
			if err != nil {
				return err
			}
			if v.PolicyVersion != nil {
				p.Document = DecodePolicyDocument(aws.ToString(v.PolicyVersion.Document))
			}
			out[i] = p
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// roleResult is the role with its trust policy and attached policy ARNs,
// and the names of its inline policies (their documents come separately, so
// that reading managed policy documents need not wait for them).
type roleResult struct {
	role        *facts.Role
	notFound    bool
	inlineNames []string
}

// fetchRole reads the role, its trust policy, its attached policy ARNs and
// its inline policy names, concurrently.
func (st *gathering) fetchRole(ctx context.Context, roleARN string) (roleResult, error) {
	name := lastSegment(roleARN)
	var role *facts.Role
	var attached []string
	var inlineNames []string
	eg, gctx := errgroup.WithContext(ctx)
	eg.Go(func() error {
		out, err := st.g.R.IAM.GetRole(gctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		if err != nil {
			return err
		}
		if out.Role == nil {
			return nil
		}
		role = &facts.Role{Name: aws.ToString(out.Role.RoleName), ARN: aws.ToString(out.Role.Arn), TrustPolicy: DecodePolicyDocument(aws.ToString(out.Role.AssumeRolePolicyDocument))}
		if b := out.Role.PermissionsBoundary; b != nil {
			role.PermissionsBoundary = aws.ToString(b.PermissionsBoundaryArn)
		}
		return nil
	})
	eg.Go(func() error {
		p := iam.NewListAttachedRolePoliciesPaginator(st.g.R.IAM, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
		for p.HasMorePages() {
			page, err := p.NextPage(gctx)
			if err != nil {
				return err
			}
			for _, ap := range page.AttachedPolicies {
				attached = append(attached, aws.ToString(ap.PolicyArn))
			}
		}
		return nil
	})
	eg.Go(func() error {
		p := iam.NewListRolePoliciesPaginator(st.g.R.IAM, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
		for p.HasMorePages() {
			page, err := p.NextPage(gctx)
			if err != nil {
				return err
			}
			inlineNames = append(inlineNames, page.PolicyNames...)
		}
		return nil
	})
	if err := eg.Wait(); err != nil {
		if ErrorCode(err) == "NoSuchEntity" {
			return roleResult{notFound: true}, nil
		}
		return roleResult{}, err
	}
	if role == nil {
		return roleResult{notFound: true}, nil
	}
	role.AttachedPolicies = attached
	return roleResult{role: role, inlineNames: inlineNames}, nil
}

// fetchInlinePolicies reads the documents of a role's inline policies.
func (st *gathering) fetchInlinePolicies(ctx context.Context, roleName string, names []string) ([]facts.InlinePolicy, error) {
	inline := make([]facts.InlinePolicy, len(names))
	eg, gctx := errgroup.WithContext(ctx)
	for i, pn := range names {
		eg.Go(func() error {
			out, err := st.g.R.IAM.GetRolePolicy(gctx, &iam.GetRolePolicyInput{RoleName: aws.String(roleName), PolicyName: aws.String(pn)})
			if err != nil {
				return err
			}
			inline[i] = facts.InlinePolicy{Name: pn, Document: DecodePolicyDocument(aws.ToString(out.PolicyDocument))}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return inline, nil
}

// simulate asks IAM's policy simulator about exactly the permissions the
// task needs. Emulators lack the simulator and some callers may not use it,
// so it is tried once, without retries, and its absence is not an error of
// the diagnosis: the policy evaluator covers for it.
func (st *gathering) simulate(ctx context.Context, roleARN string, needs []facts.Permission) (*facts.Simulation, error) {
	var actions, resources []string
	for _, p := range needs {
		actions = append(actions, p.Action)
		resources = append(resources, p.Resource)
	}
	actions, resources = dedupe(actions), dedupe(resources)
	want := map[facts.Permission]bool{}
	for _, p := range needs {
		want[p] = true
	}
	sim := &facts.Simulation{}
	in := &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(roleARN), ActionNames: actions, ResourceArns: resources}
	noRetry := func(o *iam.Options) { o.RetryMaxAttempts = 1 }
	for {
		out, err := st.g.R.IAM.SimulatePrincipalPolicy(ctx, in, noRetry)
		if err != nil {
			return nil, err
		}
		for _, r := range out.EvaluationResults {
			action := aws.ToString(r.EvalActionName)
			if len(r.ResourceSpecificResults) > 0 {
				for _, rr := range r.ResourceSpecificResults {
					p := facts.Permission{Action: action, Resource: aws.ToString(rr.EvalResourceName)}
					if want[p] {
						sim.Results = append(sim.Results, facts.SimulationResult{Action: p.Action, Resource: p.Resource, Decision: string(rr.EvalResourceDecision)})
					}
				}
				continue
			}
			p := facts.Permission{Action: action, Resource: aws.ToString(r.EvalResourceName)}
			if want[p] {
				sim.Results = append(sim.Results, facts.SimulationResult{Action: p.Action, Resource: p.Resource, Decision: string(r.EvalDecision)})
			}
		}
		if !out.IsTruncated || out.Marker == nil {
			break
		}
		in.Marker = out.Marker
	}
	return sim, nil
}

// DecodePolicyDocument returns a policy document as JSON text. IAM returns
// documents URL-encoded (RFC 3986); some implementations return them plain.
// A document that already looks like JSON is never decoded, because a '%' in
// a plain document is literal.
func DecodePolicyDocument(doc string) string {
	t := strings.TrimSpace(doc)
	if t == "" || strings.HasPrefix(t, "{") {
		return doc
	}
	if d, err := url.PathUnescape(t); err == nil {
		return d
	}
	if d, err := url.QueryUnescape(t); err == nil {
		return d
	}
	return doc
}
