package awsx

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/change"
)

// Outcomes of one call of a plan.
const (
	OutcomeApplied   = "applied"
	OutcomeInPlace   = "already in place"
	OutcomeDryRunOK  = "dry run: AWS says it would succeed"
	OutcomeWouldCall = "dry run: would call (this API has no DryRun)"
	// OutcomeAfterNewGroup is a dry run's call that needs the id of a
	// group the plan creates first, so AWS cannot be asked yet.
	OutcomeAfterNewGroup = "dry run: runs after the new group exists"
	OutcomeFailed        = "failed"
	OutcomeNotAttempted  = "not attempted (an earlier call failed)"
)

// CallRecord is what happened to one action of a plan: for the user, and
// for the audit log.
type CallRecord struct {
	Operation string `json:"operation"`
	Describe  string `json:"describe"`
	Params    any    `json:"params,omitempty"` // the SDK input as sent
	Outcome   string `json:"outcome"`
	Error     string `json:"error,omitempty"`
	// Resource is what the call created or changed (an id or ARN).
	Resource string `json:"resource,omitempty"`
	// Undo is the AWS CLI command that reverses the call, when it changed something.
	Undo string `json:"undo,omitempty"`
}

// Applier executes change plans. Every call goes through the guard: the
// context must carry the user's approval of the plan's operations.
type Applier struct {
	W      *Writers
	R      *Readers
	Region string
}

// applyState carries values an action produces for the ones after it (the
// id of a security group just created, a task definition just registered).
type applyState struct {
	dryRun     bool
	newGroupID string
	newTaskDef string
}

// Apply runs the plan's actions in order. Each first checks whether its
// change is already in place (then it does nothing), so applying a plan
// twice changes nothing the second time. It stops at the first failure;
// the records say what was applied before it and what was not attempted,
// so nothing half-applied goes unreported.
func (a *Applier) Apply(ctx context.Context, plan *change.Plan, dryRun bool) ([]CallRecord, error) {
	st := &applyState{dryRun: dryRun}
	var records []CallRecord
	for i, act := range plan.Actions {
		rec := CallRecord{Operation: act.Operation(), Describe: act.Describe()}
		err := a.do(ctx, st, act, &rec)
		if err != nil {
			rec.Outcome = OutcomeFailed
			rec.Error = Explain(rec.Operation, err)
			records = append(records, rec)
			for _, rest := range plan.Actions[i+1:] {
				records = append(records, CallRecord{Operation: rest.Operation(), Describe: rest.Describe(), Outcome: OutcomeNotAttempted})
			}
			return records, &ApplyError{Operation: rec.Operation, Message: rec.Error, Err: err}
		}
		records = append(records, rec)
	}
	return records, nil
}

// ApplyError is AWS refusing (or failing) a change.
type ApplyError struct {
	Operation string
	Message   string
	Err       error
}

func (e *ApplyError) Error() string { return e.Message }
func (e *ApplyError) Unwrap() error { return e.Err }

func (a *Applier) do(ctx context.Context, st *applyState, act change.Action, rec *CallRecord) error {
	switch x := act.(type) {
	case change.CreateSecurityGroup:
		return a.createSecurityGroup(ctx, st, x, rec)
	case change.AuthorizeIngress:
		x.GroupID, x.SourceGroup = st.group(x.GroupID), st.group(x.SourceGroup)
		return a.authorizeIngress(ctx, st, x, rec)
	case change.AuthorizeEgress:
		x.GroupID, x.DestGroup = st.group(x.GroupID), st.group(x.DestGroup)
		return a.authorizeEgress(ctx, st, x, rec)
	case change.CreateInterfaceEndpoint:
		for i, g := range x.Groups {
			x.Groups[i] = st.group(g)
		}
		return a.createInterfaceEndpoint(ctx, st, x, rec)
	case change.CreateGatewayEndpoint:
		return a.createGatewayEndpoint(ctx, st, x, rec)
	case change.ModifyEndpoint:
		return a.modifyEndpoint(ctx, st, x, rec)
	case change.EnableVPCAttribute:
		return a.enableVPCAttribute(ctx, st, x, rec)
	case change.AttachRolePolicy:
		return a.attachRolePolicy(ctx, st, x, rec)
	case change.PutRolePolicy:
		return a.putRolePolicy(ctx, st, x, rec)
	case change.CreateLogGroup:
		return a.createLogGroup(ctx, st, x, rec)
	case change.UpdateServiceNetwork:
		return a.updateServiceNetwork(ctx, st, x, rec)
	case change.RegisterHealthCheckRevision:
		return a.registerHealthCheckRevision(ctx, st, x, rec)
	case change.UpdateServiceTaskDefinition:
		return a.updateServiceTaskDefinition(ctx, st, x, rec)
	case change.ForceNewDeployment:
		return a.forceNewDeployment(ctx, st, x, rec)
	}
	return fmt.Errorf("ecsdoctor cannot apply %T", act)
}

// group substitutes the id of the group created earlier in the plan.
func (st *applyState) group(id string) string {
	if id == change.NewGroupRef && st.newGroupID != "" {
		return st.newGroupID
	}
	return id
}

// Whether an API takes a DryRun flag, for send.
const (
	hasDryRun = true
	noDryRun  = false
)

// send makes one plan call the way the run asks. In a dry run an API with
// a DryRun flag is asked (AWS checks permissions and parameters and
// answers DryRunOperation); one without is not called at all. It reports
// whether the change was really made, so the caller records what it
// created and how to undo it.
func (st *applyState) send(rec *CallRecord, params any, dryRunFlag bool, call func() error) (applied bool, err error) {
	rec.Params = params
	switch {
	case st.dryRun && !dryRunFlag:
		rec.Outcome = OutcomeWouldCall
		return false, nil
	case st.dryRun:
		err := dryRunResult(call(), rec)
		return err == nil && rec.Outcome == OutcomeApplied, err
	}
	if err := call(); err != nil {
		return false, err
	}
	rec.Outcome = OutcomeApplied
	return true, nil
}

// dryRunResult turns EC2's answer to a DryRun request into an outcome:
// DryRunOperation means the real call would have succeeded.
func dryRunResult(err error, rec *CallRecord) error {
	if ErrorCode(err) == "DryRunOperation" {
		rec.Outcome = OutcomeDryRunOK
		return nil
	}
	if err == nil {
		// An implementation that ignores DryRun really ran the call.
		rec.Outcome = OutcomeApplied
		return nil
	}
	return err
}

// Explain turns a refused change into a sentence with the permission or
// limit involved.
func Explain(op string, err error) string {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused.Error()
	}
	code := ErrorCode(err)
	switch {
	case IsAccessDenied(err):
		return fmt.Sprintf("AWS denied %s: the identity running ecsdoctor needs the permission %s (docs/iam/fix-policy.json lists what fixes use)", op, op)
	case strings.Contains(code, "LimitExceeded") || strings.Contains(code, "QuotaExceeded") || code == "VpcEndpointLimitExceeded" || code == "RulesPerSecurityGroupLimitExceeded":
		return fmt.Sprintf("AWS refused %s: an account limit was reached (%s); raise the quota in Service Quotas or remove unused resources", op, code)
	case code != "":
		return fmt.Sprintf("AWS refused %s: %s: %s", op, code, rootCause(err))
	}
	return fmt.Sprintf("%s failed: %s", op, rootCause(err))
}
