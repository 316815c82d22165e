// Package change describes changes to AWS as data: a Plan is the AWS API
// calls a fix makes, in order. The workflow builds plans, the UI shows them
// (in words and as AWS CLI commands rendered from the same values), and
// awsx executes them; none of them needs to know about the others.
package change

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Plan is the exact change a fix makes: AWS API calls in order. The CLI
// commands a user sees are rendered from the same actions that are applied,
// so what is shown is what happens.
type Plan struct {
	Region  string
	Actions []Action
}

// Action is one AWS API call of a plan.
type Action interface {
	// Operation is the IAM action name, e.g. "ec2:CreateVpcEndpoint".
	Operation() string
	// CLI is the equivalent AWS CLI command.
	CLI(region string) string
	// Describe says in words what the call changes.
	Describe() string
}

// Operations lists the operations of a plan (what an approval must cover).
func (p *Plan) Operations() []string {
	var ops []string
	seen := map[string]bool{}
	for _, a := range p.Actions {
		if !seen[a.Operation()] {
			seen[a.Operation()] = true
			ops = append(ops, a.Operation())
		}
	}
	return ops
}

// CLI renders every action as an AWS CLI command.
func (p *Plan) CLI() []string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, a.CLI(p.Region))
	}
	return out
}

// NewGroupRef stands for the id of a security group a plan creates in an
// earlier action; the applier substitutes the real id.
const NewGroupRef = "$ENDPOINT_SG"

// CreateSecurityGroup creates a security group.
type CreateSecurityGroup struct {
	VPCID, Name, Description string
}

func (a CreateSecurityGroup) Operation() string { return "ec2:CreateSecurityGroup" }
func (a CreateSecurityGroup) Describe() string {
	return fmt.Sprintf("create security group %s in %s", a.Name, a.VPCID)
}
func (a CreateSecurityGroup) CLI(region string) string {
	return fmt.Sprintf("%s=$(aws ec2 create-security-group --region %s --vpc-id %s --group-name %s --description %s --query GroupId --output text)",
		strings.TrimPrefix(NewGroupRef, "$"), region, a.VPCID, a.Name, ShellQuote(a.Description))
}

// AuthorizeIngress adds an inbound rule for one TCP port from a group or CIDR.
type AuthorizeIngress struct {
	GroupID     string
	Port        int32
	SourceGroup string
	CIDR        string
	Description string
}

func (a AuthorizeIngress) Operation() string { return "ec2:AuthorizeSecurityGroupIngress" }
func (a AuthorizeIngress) Describe() string {
	return fmt.Sprintf("allow inbound TCP %d to %s from %s", a.Port, a.GroupID, First(a.SourceGroup, a.CIDR))
}
func (a AuthorizeIngress) CLI(region string) string {
	return fmt.Sprintf("aws ec2 authorize-security-group-ingress --region %s --group-id %s --ip-permissions %s",
		region, a.GroupID, ShellQuote(permissionJSON(a.Port, a.SourceGroup, a.CIDR, "", a.Description)))
}

// AuthorizeEgress adds an outbound rule for one TCP port to a CIDR, prefix
// list or group.
type AuthorizeEgress struct {
	GroupID     string
	Port        int32
	CIDR        string
	PrefixList  string
	DestGroup   string
	Description string
}

func (a AuthorizeEgress) Operation() string { return "ec2:AuthorizeSecurityGroupEgress" }
func (a AuthorizeEgress) Describe() string {
	return fmt.Sprintf("allow outbound TCP %d from %s to %s", a.Port, a.GroupID, First(a.CIDR, a.PrefixList, a.DestGroup))
}
func (a AuthorizeEgress) CLI(region string) string {
	return fmt.Sprintf("aws ec2 authorize-security-group-egress --region %s --group-id %s --ip-permissions %s",
		region, a.GroupID, ShellQuote(permissionJSON(a.Port, a.DestGroup, a.CIDR, a.PrefixList, a.Description)))
}

// CreateInterfaceEndpoint creates an interface VPC endpoint with private DNS.
type CreateInterfaceEndpoint struct {
	VPCID       string
	ServiceName string // com.amazonaws.<region>.<service>
	Subnets     []string
	Groups      []string
}

func (a CreateInterfaceEndpoint) Operation() string { return "ec2:CreateVpcEndpoint" }
func (a CreateInterfaceEndpoint) Describe() string {
	return fmt.Sprintf("create an interface endpoint for %s in %s (subnets %s, security groups %s, private DNS on)",
		a.ServiceName, a.VPCID, strings.Join(a.Subnets, ", "), strings.Join(a.Groups, ", "))
}
func (a CreateInterfaceEndpoint) CLI(region string) string {
	return fmt.Sprintf("aws ec2 create-vpc-endpoint --region %s --vpc-id %s --vpc-endpoint-type Interface --service-name %s --subnet-ids %s --security-group-ids %s --private-dns-enabled",
		region, a.VPCID, a.ServiceName, strings.Join(a.Subnets, " "), strings.Join(a.Groups, " "))
}

// CreateGatewayEndpoint creates the S3 gateway endpoint on route tables.
type CreateGatewayEndpoint struct {
	VPCID       string
	ServiceName string
	RouteTables []string
}

func (a CreateGatewayEndpoint) Operation() string { return "ec2:CreateVpcEndpoint" }
func (a CreateGatewayEndpoint) Describe() string {
	return fmt.Sprintf("create a gateway endpoint for %s in %s on route tables %s", a.ServiceName, a.VPCID, strings.Join(a.RouteTables, ", "))
}
func (a CreateGatewayEndpoint) CLI(region string) string {
	return fmt.Sprintf("aws ec2 create-vpc-endpoint --region %s --vpc-id %s --vpc-endpoint-type Gateway --service-name %s --route-table-ids %s",
		region, a.VPCID, a.ServiceName, strings.Join(a.RouteTables, " "))
}

// ModifyEndpoint adds route tables or security groups to an endpoint, or
// turns its private DNS on.
type ModifyEndpoint struct {
	EndpointID       string
	AddRouteTables   []string
	AddGroups        []string
	EnablePrivateDNS bool
}

func (a ModifyEndpoint) Operation() string { return "ec2:ModifyVpcEndpoint" }
func (a ModifyEndpoint) Describe() string {
	var parts []string
	if len(a.AddRouteTables) > 0 {
		parts = append(parts, "add route tables "+strings.Join(a.AddRouteTables, ", "))
	}
	if len(a.AddGroups) > 0 {
		parts = append(parts, "add security groups "+strings.Join(a.AddGroups, ", "))
	}
	if a.EnablePrivateDNS {
		parts = append(parts, "turn on private DNS")
	}
	return a.EndpointID + ": " + strings.Join(parts, "; ")
}
func (a ModifyEndpoint) CLI(region string) string {
	cmd := fmt.Sprintf("aws ec2 modify-vpc-endpoint --region %s --vpc-endpoint-id %s", region, a.EndpointID)
	if len(a.AddRouteTables) > 0 {
		cmd += " --add-route-table-ids " + strings.Join(a.AddRouteTables, " ")
	}
	if len(a.AddGroups) > 0 {
		cmd += " --add-security-group-ids " + strings.Join(a.AddGroups, " ")
	}
	if a.EnablePrivateDNS {
		cmd += " --private-dns-enabled"
	}
	return cmd
}

// AttachRolePolicy attaches a managed policy to a role.
type AttachRolePolicy struct {
	RoleName, PolicyARN string
}

func (a AttachRolePolicy) Operation() string { return "iam:AttachRolePolicy" }
func (a AttachRolePolicy) Describe() string {
	return fmt.Sprintf("attach %s to role %s", a.PolicyARN, a.RoleName)
}
func (a AttachRolePolicy) CLI(string) string {
	return fmt.Sprintf("aws iam attach-role-policy --role-name %s --policy-arn %s", a.RoleName, a.PolicyARN)
}

// PutRolePolicy adds (or replaces, by name) an inline policy of a role.
type PutRolePolicy struct {
	RoleName, PolicyName string
	Document             PolicyDocument
}

func (a PutRolePolicy) Operation() string { return "iam:PutRolePolicy" }
func (a PutRolePolicy) Describe() string {
	return fmt.Sprintf("add inline policy %s to role %s", a.PolicyName, a.RoleName)
}
func (a PutRolePolicy) CLI(string) string {
	return fmt.Sprintf("aws iam put-role-policy --role-name %s --policy-name %s --policy-document %s", a.RoleName, a.PolicyName, ShellQuote(a.Document.JSON()))
}

// CreateLogGroup creates a CloudWatch Logs group.
type CreateLogGroup struct{ Name string }

func (a CreateLogGroup) Operation() string { return "logs:CreateLogGroup" }
func (a CreateLogGroup) Describe() string  { return "create log group " + a.Name }
func (a CreateLogGroup) CLI(region string) string {
	return fmt.Sprintf("aws logs create-log-group --region %s --log-group-name %s", region, ShellQuote(a.Name))
}

// EnableVPCAttribute turns on enableDnsSupport or enableDnsHostnames.
type EnableVPCAttribute struct {
	VPCID     string
	Attribute string // enableDnsSupport or enableDnsHostnames
}

func (a EnableVPCAttribute) Operation() string { return "ec2:ModifyVpcAttribute" }
func (a EnableVPCAttribute) Describe() string  { return "turn on " + a.Attribute + " for " + a.VPCID }
func (a EnableVPCAttribute) CLI(region string) string {
	flag := "--enable-dns-support"
	if a.Attribute == "enableDnsHostnames" {
		flag = "--enable-dns-hostnames"
	}
	return fmt.Sprintf("aws ec2 modify-vpc-attribute --region %s --vpc-id %s %s \"{\\\"Value\\\":true}\"", region, a.VPCID, flag)
}

// UpdateServiceNetwork sets a service's awsvpc configuration.
type UpdateServiceNetwork struct {
	Cluster, Service string
	Subnets, Groups  []string
	AssignPublicIP   bool
}

func (a UpdateServiceNetwork) Operation() string { return "ecs:UpdateService" }
func (a UpdateServiceNetwork) Describe() string {
	ip := "DISABLED"
	if a.AssignPublicIP {
		ip = "ENABLED"
	}
	return fmt.Sprintf("set service %s's network to subnets %s, security groups %s, assignPublicIp %s", a.Service, strings.Join(a.Subnets, ", "), strings.Join(a.Groups, ", "), ip)
}
func (a UpdateServiceNetwork) CLI(region string) string {
	ip := "DISABLED"
	if a.AssignPublicIP {
		ip = "ENABLED"
	}
	return fmt.Sprintf("aws ecs update-service --region %s --cluster %s --service %s --network-configuration \"awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=%s}\"",
		region, a.Cluster, a.Service, strings.Join(a.Subnets, ","), strings.Join(a.Groups, ","), ip)
}

// RegisterHealthCheckRevision registers a copy of a task definition whose
// container health check command is replaced, and nothing else.
type RegisterHealthCheckRevision struct {
	TaskDefinitionARN string
	Family            string
	Container         string
	Command           []string
}

func (a RegisterHealthCheckRevision) Operation() string { return "ecs:RegisterTaskDefinition" }
func (a RegisterHealthCheckRevision) Describe() string {
	return fmt.Sprintf("register a new revision of %s whose %s health check runs %s", a.Family, a.Container, strings.Join(a.Command, " "))
}
func (a RegisterHealthCheckRevision) CLI(region string) string {
	// The command is JSON inside a jq program inside a shell word: encode it
	// without HTML escaping (no \u003e for >) and quote the whole program,
	// since health check commands contain single quotes (node -e "...('x')").
	var cmdJSON strings.Builder
	enc := json.NewEncoder(&cmdJSON)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(a.Command)
	filter := fmt.Sprintf("(.containerDefinitions[] | select(.name==%q) | .healthCheck.command) = %s | del(.taskDefinitionArn,.revision,.status,.requiresAttributes,.compatibilities,.registeredAt,.registeredBy)",
		a.Container, strings.TrimSuffix(cmdJSON.String(), "\n"))
	return fmt.Sprintf("aws ecs describe-task-definition --region %s --task-definition %s --query taskDefinition > td.json && "+
		"jq %s td.json > td-new.json && "+
		"aws ecs register-task-definition --region %s --cli-input-json file://td-new.json",
		region, a.TaskDefinitionARN, ShellQuote(filter), region)
}

// UpdateServiceTaskDefinition points a service at a task definition.
type UpdateServiceTaskDefinition struct {
	Cluster, Service, Family string
}

func (a UpdateServiceTaskDefinition) Operation() string { return "ecs:UpdateService" }
func (a UpdateServiceTaskDefinition) Describe() string {
	return fmt.Sprintf("update service %s to the new revision of %s", a.Service, a.Family)
}
func (a UpdateServiceTaskDefinition) CLI(region string) string {
	return fmt.Sprintf("aws ecs update-service --region %s --cluster %s --service %s --task-definition %s", region, a.Cluster, a.Service, a.Family)
}

// ForceNewDeployment starts a new deployment of a service.
type ForceNewDeployment struct{ Cluster, Service string }

func (a ForceNewDeployment) Operation() string { return "ecs:UpdateService" }
func (a ForceNewDeployment) Describe() string {
	return "start a new deployment of " + a.Service + " so new tasks use the fixed setup"
}
func (a ForceNewDeployment) CLI(region string) string {
	return fmt.Sprintf("aws ecs update-service --region %s --cluster %s --service %s --force-new-deployment", region, a.Cluster, a.Service)
}

func permissionJSON(port int32, group, cidr, prefixList, desc string) string {
	p := map[string]any{"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
	switch {
	case group != "":
		p["UserIdGroupPairs"] = []map[string]string{{"GroupId": group, "Description": desc}}
	case prefixList != "":
		p["PrefixListIds"] = []map[string]string{{"PrefixListId": prefixList, "Description": desc}}
	default:
		p["IpRanges"] = []map[string]string{{"CidrIp": cidr, "Description": desc}}
	}
	b, _ := json.Marshal([]any{p})
	return string(b)
}

// shellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// First returns the first non-empty string.
func First(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
