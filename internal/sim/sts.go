package sim

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// stsAPI tells who the demo's caller is: a learner in the account.
type stsAPI struct{ a *Account }

func (x *stsAPI) GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, _ ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	a := x.a
	if err := a.enter(ctx, "sts:GetCallerIdentity", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	return &sts.GetCallerIdentityOutput{
		Account: aws.String(a.account), Arn: aws.String(a.callerARN()),
		UserId: aws.String(a.iamUniqueIDOnce("AROA", "caller") + ":learner"),
	}, nil
}

// iamUniqueIDOnce is an IAM-style id that comes out the same on every call.
func (a *Account) iamUniqueIDOnce(prefix, name string) string {
	h := hashOf(prefix, a.account, name)
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	out := make([]byte, 17)
	for i := range out {
		out[i] = chars[int(h[i])%len(chars)]
	}
	return prefix + string(out)
}
