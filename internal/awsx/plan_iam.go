package awsx

import (
	"context"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// gatherIAM reads the execution role and the policies that could matter:
// those attached to it, its boundary, and customer managed policies
// attached to nothing (the "created but never attached" mistake).
func (st *gathering) gatherIAM(ctx context.Context, part func(func()), td *future[*facts.TaskDefinition], account *future[*accountPolicies]) {
	role := spawn(func() (roleResult, error) {
		t, err := td.get(ctx)
		if err != nil {
			return roleResult{}, st.upstream("ecs:DescribeTaskDefinition", err)
		}
		if t.ExecutionRoleARN == "" {
			return roleResult{}, errSkipped
		}
		r, err := st.fetchRole(ctx, t.ExecutionRoleARN)
		return r, st.upstream("iam:GetRole", err)
	})
	part(func() {
		r, err := role.get(ctx)
		if err == nil && r.role != nil {
			// The role is published whole, with its inline documents, so
			// that nobody sees it half read.
			var inline []facts.InlinePolicy
			inline, err = st.fetchInlinePolicies(ctx, r.role.Name, r.inlineNames)
			full := *r.role
			full.InlinePolicies = inline
			r.role = &full
		}
		st.settle(facts.KeyRole, "iam:GetRolePolicy", err, func(f *facts.Facts) {
			f.IAM.ExecutionRole = r.role
			f.IAM.ExecutionRoleNotFound = r.notFound
		})
	})
	part(func() {
		r, err := role.get(ctx)
		if err == nil && r.role == nil {
			err = errSkipped
		}
		if err != nil {
			st.settle(facts.KeyRolePolicies, "iam:GetPolicyVersion", err, nil)
			return
		}
		known := map[string]facts.ManagedPolicy{}
		if ap, err := account.get(ctx); err == nil {
			known = ap.byARN
		}
		arns := append([]string(nil), r.role.AttachedPolicies...)
		if r.role.PermissionsBoundary != "" {
			arns = append(arns, r.role.PermissionsBoundary)
		}
		var want []facts.ManagedPolicy
		for _, arn := range dedupe(arns) {
			p, ok := known[arn]
			if !ok {
				p = facts.ManagedPolicy{ARN: arn, Name: lastSegment(arn)}
			}
			want = append(want, p)
		}
		docs, err := st.fetchPolicyDocuments(ctx, want)
		st.settle(facts.KeyRolePolicies, "iam:GetPolicyVersion", err, func(f *facts.Facts) { f.IAM.Policies = docs })
	})
	part(func() {
		ap, err := account.get(ctx)
		if err != nil {
			st.settle(facts.KeyAccountPolicies, "iam:ListPolicies", err, nil)
			return
		}
		max := st.g.MaxUnattachedPolicies
		if max <= 0 {
			max = 20
		}
		list := ap.unattached
		truncated := len(list) > max
		if truncated {
			list = list[:max]
		}
		docs, err := st.fetchPolicyDocuments(ctx, list)
		st.settle(facts.KeyAccountPolicies, "iam:GetPolicyVersion", err, func(f *facts.Facts) {
			f.IAM.UnattachedPolicies = docs
			f.IAM.UnattachedPoliciesTruncated = truncated
		})
	})
	st.simulateWhenReady(ctx, part, td)
}

// simulateWhenReady runs the policy simulator once the secrets, the
// parameters and the KMS keys are known, since those decide which resources
// the needed actions apply to. It needs only the role's ARN, which the task
// definition gives, so it does not wait for the role's own documents.
func (st *gathering) simulateWhenReady(ctx context.Context, part func(func()), td *future[*facts.TaskDefinition]) {
	part(func() {
		t, err := td.get(ctx)
		if err == nil && t.ExecutionRoleARN == "" {
			err = errSkipped
		}
		if err != nil || st.g.Needs == nil {
			st.settle(facts.KeySimulation, "iam:SimulatePrincipalPolicy", errSkippedOr(err), nil)
			return
		}
		// Needs reads the published facts, so wait for every part it reads,
		// the task definition included (its future resolves before it is
		// published, so the parts that follow it may settle first).
		if err := st.waitFor(ctx, facts.KeyTaskDefinition, facts.KeySecrets, facts.KeyParameters, facts.KeyKMSKeys, facts.KeyImages, facts.KeyTasks); err != nil {
			return
		}
		view := st.view()
		needs := st.g.Needs(&view)
		if len(needs) == 0 {
			st.skip(facts.KeySimulation)
			return
		}
		sim, err := st.simulate(ctx, t.ExecutionRoleARN, needs)
		if err != nil {
			// The evaluator covers for a simulator that is missing or denied;
			// record why it did not run, without stopping anything.
			st.record(facts.KeySimulation, facts.Fetch{State: facts.FetchFailed, Error: FetchError("iam:SimulatePrincipalPolicy", err)})
			return
		}
		st.set(facts.KeySimulation, func(f *facts.Facts) { f.IAM.Simulation = sim })
	})
}

func errSkippedOr(err error) error {
	if err == nil {
		return errSkipped
	}
	return err
}
