package sim

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// iamAPI is the account's IAM endpoint (awsx.IAMReader and IAMWriter).
// IAM returns policy documents URL-encoded (RFC 3986), as here.
type iamAPI struct{ a *Account }

// urlEncode percent-encodes everything but RFC 3986's unreserved
// characters, as IAM encodes documents.
func urlEncode(s string) string {
	const hexdigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdigits[c>>4])
		b.WriteByte(hexdigits[c&15])
	}
	return b.String()
}

func (a *Account) roleByARN(arn string) *role {
	if arn == "" {
		return nil
	}
	r := a.roles.get(lastPart(arn))
	if r == nil || (strings.HasPrefix(arn, "arn:") && r.arn != arn) {
		return nil
	}
	return r
}

func noSuchRole(name string) error {
	return apiError("NoSuchEntity", "The role with name %s cannot be found.", name)
}

// rolePolicies gathers the documents that grant a role its permissions.
func (a *Account) rolePolicies(r *role) (identity []sourcedPolicy, boundary *sourcedPolicy) {
	for _, arn := range r.attached {
		p := a.policies.get(arn)
		if p == nil {
			continue
		}
		if doc, err := parsePolicy(p.doc); err == nil {
			kind := "user-managed"
			if p.awsManaged {
				kind = "aws-managed"
			}
			identity = append(identity, sourcedPolicy{id: p.name, kind: kind, doc: doc})
		}
	}
	for _, ip := range r.inline {
		if doc, err := parsePolicy(ip.doc); err == nil {
			identity = append(identity, sourcedPolicy{id: ip.name, kind: "role", doc: doc})
		}
	}
	if p := a.policies.get(r.boundary); p != nil {
		if doc, err := parsePolicy(p.doc); err == nil {
			boundary = &sourcedPolicy{id: p.name, kind: "user-managed", doc: doc}
		}
	}
	return identity, boundary
}

// roleDecision decides whether the role may do action on resource.
func (a *Account) roleDecision(r *role, action, resource string) (string, []sourcedPolicy) {
	identity, boundary := a.rolePolicies(r)
	return evaluate(identity, boundary, action, resource)
}

// attachments counts the roles a managed policy is attached to.
func (a *Account) attachments(arn string) int32 {
	var n int32
	for _, r := range a.roles.list() {
		if contains(r.attached, arn) {
			n++
		}
	}
	return n
}

func (a *Account) renderPolicy(p *managedPolicy) iamtypes.Policy {
	out := iamtypes.Policy{
		Arn: aws.String(p.arn), PolicyName: aws.String(p.name), PolicyId: aws.String(p.id), Path: aws.String(p.path),
		DefaultVersionId: aws.String("v" + itoa(int32(p.version))), AttachmentCount: aws.Int32(a.attachments(p.arn)),
		PermissionsBoundaryUsageCount: aws.Int32(0), IsAttachable: true, CreateDate: timePtr(p.created), UpdateDate: timePtr(p.updated),
	}
	if p.desc != "" {
		out.Description = aws.String(p.desc)
	}
	return out
}

func (x *iamAPI) GetRole(ctx context.Context, in *iam.GetRoleInput, _ ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:GetRole", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	r := a.roles.get(aws.ToString(in.RoleName))
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	out := &iamtypes.Role{
		Arn: aws.String(r.arn), RoleName: aws.String(r.name), RoleId: aws.String(r.id), Path: aws.String(r.path),
		CreateDate: timePtr(r.created), AssumeRolePolicyDocument: aws.String(urlEncode(r.trust)), MaxSessionDuration: aws.Int32(3600),
		RoleLastUsed: &iamtypes.RoleLastUsed{},
	}
	if r.boundary != "" {
		out.PermissionsBoundary = &iamtypes.AttachedPermissionsBoundary{
			PermissionsBoundaryArn: aws.String(r.boundary), PermissionsBoundaryType: iamtypes.PermissionsBoundaryAttachmentTypePolicy,
		}
	}
	return &iam.GetRoleOutput{Role: out}, nil
}

func (x *iamAPI) ListAttachedRolePolicies(ctx context.Context, in *iam.ListAttachedRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:ListAttachedRolePolicies", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	r := a.roles.get(aws.ToString(in.RoleName))
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	var list []iamtypes.AttachedPolicy
	for _, arn := range r.attached {
		p := a.policies.get(arn)
		if p == nil || !strings.HasPrefix(p.path, orDefault(aws.ToString(in.PathPrefix), "/")) {
			continue
		}
		list = append(list, iamtypes.AttachedPolicy{PolicyArn: aws.String(arn), PolicyName: aws.String(p.name)})
	}
	items, next, err := page(a, "ListAttachedRolePolicies", list, in.Marker, aws.ToInt32(in.MaxItems), 100, "InvalidInput")
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: items, Marker: next, IsTruncated: next != nil}, nil
}

func (x *iamAPI) ListRolePolicies(ctx context.Context, in *iam.ListRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:ListRolePolicies", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	r := a.roles.get(aws.ToString(in.RoleName))
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	var names []string
	for _, p := range r.inline {
		names = append(names, p.name)
	}
	items, next, err := page(a, "ListRolePolicies", names, in.Marker, aws.ToInt32(in.MaxItems), 100, "InvalidInput")
	if err != nil {
		return nil, err
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: items, Marker: next, IsTruncated: next != nil}, nil
}

func (x *iamAPI) GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput, _ ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:GetRolePolicy", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	r := a.roles.get(aws.ToString(in.RoleName))
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	for _, p := range r.inline {
		if p.name == aws.ToString(in.PolicyName) {
			return &iam.GetRolePolicyOutput{RoleName: aws.String(r.name), PolicyName: aws.String(p.name), PolicyDocument: aws.String(urlEncode(p.doc))}, nil
		}
	}
	return nil, apiError("NoSuchEntity", "The role policy with name %s cannot be found.", aws.ToString(in.PolicyName))
}

func (x *iamAPI) ListPolicies(ctx context.Context, in *iam.ListPoliciesInput, _ ...func(*iam.Options)) (*iam.ListPoliciesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:ListPolicies", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	var list []iamtypes.Policy
	for _, p := range a.policies.list() {
		switch {
		case in.Scope == iamtypes.PolicyScopeTypeAws && !p.awsManaged,
			in.Scope == iamtypes.PolicyScopeTypeLocal && p.awsManaged,
			in.OnlyAttached && a.attachments(p.arn) == 0,
			!strings.HasPrefix(p.path, orDefault(aws.ToString(in.PathPrefix), "/")):
			continue
		}
		list = append(list, a.renderPolicy(p))
	}
	items, next, err := page(a, "ListPolicies", list, in.Marker, aws.ToInt32(in.MaxItems), 100, "InvalidInput")
	if err != nil {
		return nil, err
	}
	return &iam.ListPoliciesOutput{Policies: items, Marker: next, IsTruncated: next != nil}, nil
}

func (x *iamAPI) GetPolicy(ctx context.Context, in *iam.GetPolicyInput, _ ...func(*iam.Options)) (*iam.GetPolicyOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:GetPolicy", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	p := a.policies.get(aws.ToString(in.PolicyArn))
	if p == nil {
		return nil, apiError("NoSuchEntity", "Policy %s was not found.", aws.ToString(in.PolicyArn))
	}
	out := a.renderPolicy(p)
	return &iam.GetPolicyOutput{Policy: &out}, nil
}

func (x *iamAPI) GetPolicyVersion(ctx context.Context, in *iam.GetPolicyVersionInput, _ ...func(*iam.Options)) (*iam.GetPolicyVersionOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:GetPolicyVersion", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	arn, version := aws.ToString(in.PolicyArn), aws.ToString(in.VersionId)
	p := a.policies.get(arn)
	if p == nil {
		return nil, apiError("NoSuchEntity", "Policy %s was not found.", arn)
	}
	// The simulator keeps one version of each policy, the default.
	if version != "v"+itoa(int32(p.version)) {
		return nil, apiError("NoSuchEntity", "Policy %s version %s does not exist or is not attachable.", arn, version)
	}
	return &iam.GetPolicyVersionOutput{PolicyVersion: &iamtypes.PolicyVersion{
		VersionId: aws.String(version), Document: aws.String(urlEncode(p.doc)), IsDefaultVersion: true, CreateDate: timePtr(p.updated),
	}}, nil
}

// SimulatePrincipalPolicy evaluates each action on each resource with the
// simulator's own IAM evaluator: one result per action, with one
// resource-specific result per resource.
func (x *iamAPI) SimulatePrincipalPolicy(ctx context.Context, in *iam.SimulatePrincipalPolicyInput, _ ...func(*iam.Options)) (*iam.SimulatePrincipalPolicyOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:SimulatePrincipalPolicy", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	source := aws.ToString(in.PolicySourceArn)
	if !strings.Contains(source, ":role/") {
		return nil, apiError("InvalidInput", "Invalid ARN: %s. The simulator of this account knows roles only.", source)
	}
	r := a.roleByARN(source)
	if r == nil {
		return nil, noSuchRole(lastPart(source))
	}
	if len(in.ActionNames) == 0 {
		return nil, apiError("InvalidInput", "ActionNames must contain at least one action.")
	}
	resources := in.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	identity, boundary := a.rolePolicies(r)
	var results []iamtypes.EvaluationResult
	for _, action := range in.ActionNames {
		res := iamtypes.EvaluationResult{
			EvalActionName: aws.String(action), EvalResourceName: aws.String("*"),
			OrganizationsDecisionDetail: &iamtypes.OrganizationsDecisionDetail{AllowedByOrganizations: true},
			MissingContextValues:        []string{},
		}
		if len(resources) == 1 {
			res.EvalResourceName = aws.String(resources[0])
		}
		overall := allowed
		for _, resource := range resources {
			d, from := evaluate(identity, boundary, action, resource)
			rr := iamtypes.ResourceSpecificResult{
				EvalResourceName: aws.String(resource), EvalResourceDecision: iamtypes.PolicyEvaluationDecisionType(d),
				MatchedStatements: matched(from), MissingContextValues: []string{},
			}
			if boundary != nil {
				bd, _ := evaluate([]sourcedPolicy{*boundary}, nil, action, resource)
				rr.PermissionsBoundaryDecisionDetail = &iamtypes.PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: bd == allowed}
			}
			res.ResourceSpecificResults = append(res.ResourceSpecificResults, rr)
			switch {
			case d == explicitDeny:
				overall = explicitDeny
			case d == implicitDeny && overall == allowed:
				overall = implicitDeny
			}
		}
		res.EvalDecision = iamtypes.PolicyEvaluationDecisionType(overall)
		if len(resources) == 1 {
			res.MatchedStatements = res.ResourceSpecificResults[0].MatchedStatements
		}
		results = append(results, res)
	}
	items, next, err := page(a, "SimulatePrincipalPolicy", results, in.Marker, aws.ToInt32(in.MaxItems), 100, "InvalidInput")
	if err != nil {
		return nil, err
	}
	return &iam.SimulatePrincipalPolicyOutput{EvaluationResults: items, Marker: next, IsTruncated: next != nil}, nil
}

func matched(from []sourcedPolicy) []iamtypes.Statement {
	var out []iamtypes.Statement
	for _, p := range from {
		out = append(out, iamtypes.Statement{SourcePolicyId: aws.String(p.id), SourcePolicyType: iamtypes.PolicySourceType(p.kind)})
	}
	return out
}

// AttachRolePolicy attaches a managed policy; attaching it twice is not an
// error in IAM.
func (x *iamAPI) AttachRolePolicy(ctx context.Context, in *iam.AttachRolePolicyInput, _ ...func(*iam.Options)) (*iam.AttachRolePolicyOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:AttachRolePolicy", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	r := a.roles.get(aws.ToString(in.RoleName))
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	arn := aws.ToString(in.PolicyArn)
	p := a.policies.get(arn)
	if p == nil {
		return nil, apiError("NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
	}
	if contains(r.attached, arn) {
		return &iam.AttachRolePolicyOutput{}, nil
	}
	if len(r.attached) >= 10 {
		return nil, apiError("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10")
	}
	r.attached = append(r.attached, arn)
	return &iam.AttachRolePolicyOutput{}, nil
}

// PutRolePolicy adds an inline policy, or replaces the one of that name.
func (x *iamAPI) PutRolePolicy(ctx context.Context, in *iam.PutRolePolicyInput, _ ...func(*iam.Options)) (*iam.PutRolePolicyOutput, error) {
	a := x.a
	if err := a.enter(ctx, "iam:PutRolePolicy", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	r := a.roles.get(aws.ToString(in.RoleName))
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	name, doc := aws.ToString(in.PolicyName), aws.ToString(in.PolicyDocument)
	if name == "" {
		return nil, apiError("ValidationError", "1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if _, err := parsePolicy(doc); err != nil {
		return nil, apiError("MalformedPolicyDocument", "Syntax errors in policy.")
	}
	for i, p := range r.inline {
		if p.name == name {
			r.inline[i].doc = doc
			return &iam.PutRolePolicyOutput{}, nil
		}
	}
	r.inline = append(r.inline, inlinePolicy{name: name, doc: doc})
	return &iam.PutRolePolicyOutput{}, nil
}
