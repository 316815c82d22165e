// Package iampolicy parses IAM policy documents and decides, the way IAM
// does, whether identity policies (and an optional permissions boundary)
// allow an action on a resource, and whether a role trust policy lets a
// service assume the role.
//
// It is deliberately conservative: whenever the outcome depends on something
// it cannot see (a Condition block, a policy variable in a Resource), it
// answers Conditional rather than Allowed, so a diagnosis never claims a
// permission is in place when it might not be. It only reads identity-based
// policies: SCPs, resource policies (secret policies, KMS key policies) and
// session policies are out of scope and left to the caller.
package iampolicy
