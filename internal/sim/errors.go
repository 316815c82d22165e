package sim

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

// apiError is an error as the SDK surfaces one from AWS: a code (the
// thing programs test, e.g. "InvalidGroup.NotFound") and AWS's message.
func apiError(code, format string, args ...any) error {
	return &smithy.GenericAPIError{Code: code, Message: fmt.Sprintf(format, args...), Fault: smithy.FaultClient}
}

// errDryRun is EC2's answer to a DryRun request that would have worked.
func errDryRun() error {
	return apiError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
}

// enter is the first thing every API method does, in the order a real
// client would: count the call, refuse it unless it is a read or approved
// (the one rule of awsx.Admit, shared with the SDK middleware; a dry-run
// approval admits only DryRun requests), and give
// up if the caller has. On success the account is locked and brought up to
// the present; the caller must call a.mu.Unlock (usually deferred).
func (a *Account) enter(ctx context.Context, op string, input any) error {
	awsx.CountCall(ctx, op)
	if err := awsx.Admit(ctx, op, input); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	a.mu.Lock()
	a.advance(a.opts.Now())
	return nil
}
