package awsx

import (
	"context"
	"fmt"
)

// Approval is a user's confirmation of one exact change: the fix it belongs
// to and the operations that change needs. Only code that has shown the user
// the change and received "y" (or --yes) creates one.
type Approval struct {
	FixID      string
	Operations map[string]bool
	// DryRunOnly admits the operations only with DryRun set: AWS checks
	// them and changes nothing.
	DryRunOnly bool
}

type approvalKey struct{}

// WithApproval returns a context under which the listed mutating operations
// (IAM action names, e.g. "ec2:CreateVpcEndpoint") may run.
func WithApproval(ctx context.Context, fixID string, operations ...string) context.Context {
	a := &Approval{FixID: fixID, Operations: map[string]bool{}}
	for _, op := range operations {
		a.Operations[op] = true
	}
	return context.WithValue(ctx, approvalKey{}, a)
}

// WithDryRunApproval returns a context under which the listed operations
// may be sent only as DryRun requests (EC2 answers DryRunOperation when the
// real call would have succeeded, and changes nothing).
func WithDryRunApproval(ctx context.Context, fixID string, operations ...string) context.Context {
	a := &Approval{FixID: fixID, Operations: map[string]bool{}, DryRunOnly: true}
	for _, op := range operations {
		a.Operations[op] = true
	}
	return context.WithValue(ctx, approvalKey{}, a)
}

// ApprovalFrom returns the approval the context carries, or nil.
func ApprovalFrom(ctx context.Context) *Approval {
	a, _ := ctx.Value(approvalKey{}).(*Approval)
	return a
}

// RefusedError is returned, before anything is sent, for a call that would
// change AWS without the user's approval of that exact operation.
type RefusedError struct {
	Operation string
	Reason    string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("ecsdoctor refused to call %s: %s", e.Operation, e.Reason)
}
