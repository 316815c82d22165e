package facts

// Key names one part of the facts that is fetched as a unit.
type Key string

// The parts of Facts, each fetched (or failing) on its own.
const (
	KeyCaller            Key = "caller"
	KeyService           Key = "service"
	KeyTasks             Key = "tasks"
	KeyTaskDefinition    Key = "taskDefinition"
	KeyVPC               Key = "vpc"
	KeySubnets           Key = "subnets"
	KeyRouteTables       Key = "routeTables"
	KeyNATGateways       Key = "natGateways"
	KeyInternetGateways  Key = "internetGateways"
	KeyEndpoints         Key = "endpoints"
	KeySecurityGroups    Key = "securityGroups"
	KeyNetworkACLs       Key = "networkAcls"
	KeyPrefixLists       Key = "prefixLists"
	KeyNetworkInterfaces Key = "networkInterfaces"
	KeyRole              Key = "role"
	KeyRolePolicies      Key = "rolePolicies"
	KeyAccountPolicies   Key = "accountPolicies"
	KeySimulation        Key = "simulation"
	KeySecrets           Key = "secrets"
	KeyParameters        Key = "parameters"
	KeyKMSKeys           Key = "kmsKeys"
	KeyLogGroups         Key = "logGroups"
	KeyLogEvents         Key = "logEvents"
	KeyImages            Key = "images"
	KeyDatabases         Key = "databases"
)

// FetchState says where a part of the facts stands.
type FetchState string

const (
	// FetchPending: not arrived yet (only seen while a diagnosis streams in).
	FetchPending FetchState = "pending"
	// FetchDone: arrived; the part holds what AWS said.
	FetchDone FetchState = "done"
	// FetchFailed: AWS refused or could not answer; Error says why.
	FetchFailed FetchState = "failed"
	// FetchSkipped: does not apply to this task (e.g. no secrets referenced).
	FetchSkipped FetchState = "skipped"
)

// Fetch is the state of one part of the facts.
type Fetch struct {
	State FetchState  `json:"state"`
	Error *FetchError `json:"error,omitempty"`
}

// FetchError says which call failed, and how, in words a user can act on.
type FetchError struct {
	// Operation is the failing call as IAM names it, e.g. "ec2:DescribeVpcEndpoints".
	Operation string `json:"operation"`
	// Code is AWS's error code, or Timeout / Unreachable.
	Code string `json:"code"`
	// Message is one sentence: what failed, and what to try.
	Message string `json:"message"`
}

// State reports the fetch state of a part; parts never mentioned are pending.
func (f *Facts) State(k Key) FetchState {
	if f == nil || f.Fetches == nil {
		return FetchPending
	}
	st, ok := f.Fetches[k]
	if !ok {
		return FetchPending
	}
	return st.State
}

// Err returns the error of a failed part, or nil.
func (f *Facts) Err(k Key) *FetchError {
	if f == nil || f.Fetches == nil {
		return nil
	}
	return f.Fetches[k].Error
}
