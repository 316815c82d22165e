package facts

import "time"

// IAM is what the diagnosis knows of the task execution role and of the
// account's managed policies.
type IAM struct {
	// ExecutionRole is nil when the task definition names none, or when the
	// named role does not exist (then ExecutionRoleNotFound is true).
	ExecutionRole         *Role `json:"executionRole,omitempty"`
	ExecutionRoleNotFound bool  `json:"executionRoleNotFound,omitempty"`
	// Policies are the documents of the managed policies the role attaches
	// and of its permissions boundary.
	Policies []ManagedPolicy `json:"policies,omitempty"`
	// UnattachedPolicies are customer managed policies attached to nothing,
	// newest first, with their documents.
	UnattachedPolicies []ManagedPolicy `json:"unattachedPolicies,omitempty"`
	// UnattachedPoliciesTruncated is true when more unattached policies exist
	// than were read.
	UnattachedPoliciesTruncated bool `json:"unattachedPoliciesTruncated,omitempty"`
	// Simulation is what iam:SimulatePrincipalPolicy said, when it could run.
	Simulation *Simulation `json:"simulation,omitempty"`
}

// Role is an IAM role with its policies. Documents are JSON text, already
// URL-decoded.
type Role struct {
	Name                string         `json:"name"`
	ARN                 string         `json:"arn"`
	TrustPolicy         string         `json:"trustPolicy,omitempty"`
	AttachedPolicies    []string       `json:"attachedPolicies,omitempty"` // policy ARNs
	InlinePolicies      []InlinePolicy `json:"inlinePolicies,omitempty"`
	PermissionsBoundary string         `json:"permissionsBoundary,omitempty"` // policy ARN
}

// InlinePolicy is a policy embedded in a role.
type InlinePolicy struct {
	Name     string `json:"name"`
	Document string `json:"document"`
}

// ManagedPolicy is a managed policy with its default version's document.
type ManagedPolicy struct {
	ARN             string     `json:"arn"`
	Name            string     `json:"name"`
	DefaultVersion  string     `json:"defaultVersion,omitempty"`
	AttachmentCount int32      `json:"attachmentCount"`
	AWSManaged      bool       `json:"awsManaged,omitempty"`
	Document        string     `json:"document,omitempty"`
	CreatedAt       *time.Time `json:"createdAt,omitempty"`
	UpdatedAt       *time.Time `json:"updatedAt,omitempty"`
}

// Simulation holds iam:SimulatePrincipalPolicy results for the execution role.
type Simulation struct {
	Results []SimulationResult `json:"results"`
}

// SimulationResult is the simulator's decision for one action on one resource.
type SimulationResult struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	Decision string `json:"decision"` // allowed, explicitDeny, implicitDeny
}

// Permission is one IAM action on one resource ARN.
type Permission struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
}
