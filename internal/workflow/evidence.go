package workflow

import (
	"github.com/ecsdoctor/ecsdoctor/internal/iampolicy"
	"github.com/ecsdoctor/ecsdoctor/internal/netpath"
)

// Evidence is what the checks looked at, structured for the UI's evidence
// panes and drill-downs (the findings say what is wrong; evidence shows
// what was seen, including what is fine). It is not part of the JSON
// contract.
type Evidence struct {
	// Network is where the task's network interfaces live (nil when the
	// service has no awsvpc configuration).
	Network *TaskNetwork
	// Needs are the AWS services the task must reach, and why.
	Needs []Need
	// Paths is one entry per task subnet and needed service.
	Paths []PathEvidence
	// Databases is one entry per database the task names.
	Databases []PathEvidence
	// Permissions is one entry per permission the execution role needs.
	Permissions []PermissionEvidence
	// TrustDecision is how the role's trust policy treats ecs-tasks.
	TrustDecision string
}

// PathEvidence is the network path from one subnet to one service.
type PathEvidence struct {
	Service           string
	Why               string
	SubnetID          string
	Via               string // interface-endpoint, gateway-endpoint, nat-gateway, internet-gateway, unverified, local, none
	Reachable         bool
	Summary           string
	EndpointID        string
	RouteTableID      string
	NATGatewayID      string
	InternetGatewayID string
	Problems          []string // finding ids on this path
	Notes             []string
}

// PermissionEvidence is the verdict on one needed permission.
type PermissionEvidence struct {
	Action   string
	Resource string
	Decision string // allowed, implicitDeny, explicitDeny, conditional
	// Deciding are the statements that decided, for marking them in the
	// policy document view.
	Deciding []StatementRef
	// FromSimulator is true when iam:SimulatePrincipalPolicy decided.
	FromSimulator bool
}

// StatementRef points at one statement of one policy.
type StatementRef struct {
	Policy string // policy ARN, or inline:NAME
	Index  int    // position in the document's Statement list
	Sid    string
	Effect string
}

func pathEvidence(r netpath.Result, why string) PathEvidence {
	pe := PathEvidence{
		Service: r.Service, Why: why, SubnetID: r.SubnetID, Via: string(r.Via), Reachable: r.Reachable, Summary: r.Summary,
		EndpointID: r.EndpointID, RouteTableID: r.RouteTableID, NATGatewayID: r.NATGatewayID, InternetGatewayID: r.InternetGatewayID,
		Notes: r.Notes,
	}
	for _, p := range r.Problems {
		pe.Problems = append(pe.Problems, p.ID)
	}
	return pe
}

func statementRefs(refs []iampolicy.StatementRef) []StatementRef {
	out := make([]StatementRef, 0, len(refs))
	for _, r := range refs {
		out = append(out, StatementRef{Policy: r.Source, Index: r.Index, Sid: r.Sid, Effect: r.Effect})
	}
	return out
}

// collectEvidence gathers what the checks computed into the diagnosis.
func collectEvidence(c *checkContext) Evidence {
	ev := Evidence{Network: c.net, Needs: c.needs, Permissions: c.permissions, TrustDecision: c.trustDecision}
	why := map[string]string{}
	for _, n := range c.needs {
		why[n.Service] = n.Why
	}
	for _, r := range c.paths {
		ev.Paths = append(ev.Paths, pathEvidence(r, why[r.Service]))
	}
	for _, p := range c.dbPaths {
		ev.Databases = append(ev.Databases, pathEvidence(p.result, p.db.ID+" ("+p.db.Endpoint+")"))
	}
	return ev
}
