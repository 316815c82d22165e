// Package scenario describes an AWS world declaratively: a VPC with its
// subnets, routes, endpoints and security groups, IAM roles and policies,
// secrets, log groups, images, databases and ECS services, plus the history
// (events, stopped tasks, log lines) that happened there.
//
// One scenario file feeds three consumers: the moto test builder (which
// creates the world through the real AWS API), the demo account simulator,
// and snapshots (a diagnosis written back out as a scenario).
//
// Resources refer to each other by Name. Strings may carry placeholders that
// resolve once real ids exist: {{account}}, {{region}}, {{ecr}} (the account's
// ECR registry host), {{secret:NAME}}, {{param:NAME}}, {{db:NAME}} (endpoint
// address), {{role:NAME}}, {{policy:NAME}}, {{endpoint:NAME}}, {{sg:NAME}},
// {{subnet:NAME}}, {{vpc:NAME}}, {{rtb:NAME}}, {{nat:NAME}}, {{kms:NAME}},
// {{cluster}}, {{service}}, {{task}} (the task's id) and {{ip}} (its address).
// Within a service's history, {{deployment}} is the service's deployment id
// (ecs-svc/...) and {{task:N}} the id of its Nth history task, so that an
// event or a stop reason can name the task or deployment it is about.
package scenario

import (
	"encoding/json"
	"fmt"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Scenario is one world with a name, a lesson and what a diagnosis of it
// must find.
type Scenario struct {
	Name    string  `json:"name"`
	Title   string  `json:"title"`
	Lesson  *Lesson `json:"lesson,omitempty"`
	Account string  `json:"account,omitempty"` // default 123456789012
	Region  string  `json:"region,omitempty"`  // default us-east-1
	// Seed names the seed document challenge this scenario reproduces.
	Seed   string  `json:"seed,omitempty"`
	World  World   `json:"world"`
	Expect *Expect `json:"expect,omitempty"`
}

// Lesson is what a learner reads about the scenario.
type Lesson struct {
	WhatWentWrong string `json:"whatWentWrong"`
	WhereToLook   string `json:"whereToLook"`
	FixTeaches    string `json:"fixTeaches"`
	// AWSError is the error text exactly as AWS prints it.
	AWSError string `json:"awsError"`
}

// Expect is the oracle for tests: findings that must be present (with at
// least these attrs; values may carry placeholders), ids that must be absent,
// and whether no finding of severity error may appear.
type Expect struct {
	Findings []ExpectedFinding `json:"findings,omitempty"`
	Absent   []string          `json:"absent,omitempty"`
	NoErrors bool              `json:"noErrors,omitempty"`
	// Fixes are fix ids that must be offered.
	Fixes []string `json:"fixes,omitempty"`
}

// ExpectedFinding is a finding id with the attrs it must carry.
type ExpectedFinding struct {
	ID    string            `json:"id"`
	Attrs map[string]string `json:"attrs,omitempty"`
}

// World is every resource of the scenario.
type World struct {
	VPCs             []VPC             `json:"vpcs,omitempty"`
	Subnets          []Subnet          `json:"subnets,omitempty"`
	InternetGateways []InternetGateway `json:"internetGateways,omitempty"`
	NATGateways      []NATGateway      `json:"natGateways,omitempty"`
	RouteTables      []RouteTable      `json:"routeTables,omitempty"`
	SecurityGroups   []SecurityGroup   `json:"securityGroups,omitempty"`
	NetworkACLs      []NetworkACL      `json:"networkAcls,omitempty"`
	Endpoints        []Endpoint        `json:"endpoints,omitempty"`
	Policies         []Policy          `json:"policies,omitempty"`
	Roles            []Role            `json:"roles,omitempty"`
	KMSKeys          []KMSKey          `json:"kmsKeys,omitempty"`
	Secrets          []Secret          `json:"secrets,omitempty"`
	Parameters       []Parameter       `json:"parameters,omitempty"`
	LogGroups        []LogGroup        `json:"logGroups,omitempty"`
	Repositories     []Repository      `json:"repositories,omitempty"`
	Databases        []Database        `json:"databases,omitempty"`
	TaskDefinitions  []TaskDefinition  `json:"taskDefinitions,omitempty"`
	Clusters         []Cluster         `json:"clusters,omitempty"`
}

// VPC with its DNS attributes; both default to true.
type VPC struct {
	Name         string `json:"name"`
	CIDR         string `json:"cidr"`
	DNSSupport   *bool  `json:"dnsSupport,omitempty"`
	DNSHostnames *bool  `json:"dnsHostnames,omitempty"`
}

// Subnet in a VPC.
type Subnet struct {
	Name                string `json:"name"`
	VPC                 string `json:"vpc"`
	AZ                  string `json:"az"`
	CIDR                string `json:"cidr"`
	MapPublicIPOnLaunch bool   `json:"mapPublicIpOnLaunch,omitempty"`
}

// InternetGateway attached to a VPC.
type InternetGateway struct {
	Name string `json:"name"`
	VPC  string `json:"vpc"`
}

// NATGateway in a subnet; State defaults to available, Private to false.
type NATGateway struct {
	Name    string `json:"name"`
	Subnet  string `json:"subnet"`
	State   string `json:"state,omitempty"`
	Private bool   `json:"private,omitempty"`
}

// RouteTable; Main true means the VPC's main route table (which AWS creates
// with the VPC) gets these routes and associations.
type RouteTable struct {
	Name    string   `json:"name"`
	VPC     string   `json:"vpc"`
	Main    bool     `json:"main,omitempty"`
	Subnets []string `json:"subnets,omitempty"`
	Routes  []Route  `json:"routes,omitempty"`
}

// Route sends Destination (a CIDR) to Target: the Name of an internet
// gateway or NAT gateway of this world, or a literal id (tgw-..., pcx-...).
type Route struct {
	Destination string `json:"destination"`
	Target      string `json:"target"`
}

// SecurityGroup with rules. Egress nil means AWS's default (all traffic to
// 0.0.0.0/0); NoEgress removes that default without adding anything.
type SecurityGroup struct {
	Name string `json:"name"`
	// GroupName is the group's name in AWS when it differs from Name (a
	// snapshot names groups by id and keeps their AWS names here).
	GroupName   string `json:"groupName,omitempty"`
	VPC         string `json:"vpc"`
	Description string `json:"description,omitempty"`
	Ingress     []Rule `json:"ingress,omitempty"`
	Egress      []Rule `json:"egress,omitempty"`
	NoEgress    bool   `json:"noEgress,omitempty"`
}

// Rule is one security group permission. Protocol defaults to tcp; "-1" is
// all traffic. Port sets FromPort and ToPort at once. Groups are security
// group Names of this world ("self" is the group itself); PrefixLists may say
// "s3" for the region's S3 prefix list.
type Rule struct {
	Protocol    string   `json:"protocol,omitempty"`
	Port        int32    `json:"port,omitempty"`
	FromPort    int32    `json:"fromPort,omitempty"`
	ToPort      int32    `json:"toPort,omitempty"`
	CIDRs       []string `json:"cidrs,omitempty"`
	Groups      []string `json:"groups,omitempty"`
	PrefixLists []string `json:"prefixLists,omitempty"`
}

// NetworkACL; Default true means the VPC's default network ACL, whose
// entries are replaced by these.
type NetworkACL struct {
	Name    string      `json:"name"`
	VPC     string      `json:"vpc"`
	Default bool        `json:"default,omitempty"`
	Subnets []string    `json:"subnets,omitempty"`
	Entries []NACLEntry `json:"entries,omitempty"`
}

// NACLEntry is one network ACL rule. Protocol: "-1", "tcp", "udp" or a number.
type NACLEntry struct {
	Rule     int32  `json:"rule"`
	Egress   bool   `json:"egress,omitempty"`
	Protocol string `json:"protocol,omitempty"`
	Action   string `json:"action"`
	CIDR     string `json:"cidr"`
	FromPort int32  `json:"fromPort,omitempty"`
	ToPort   int32  `json:"toPort,omitempty"`
}

// Endpoint is a VPC endpoint. Service is the short name (ecr.api, ecr.dkr,
// s3, logs, secretsmanager, ssm, kms, ...). Type defaults to Interface, or to
// Gateway for s3. PrivateDNS defaults to true for interface endpoints.
type Endpoint struct {
	Name        string   `json:"name"`
	VPC         string   `json:"vpc"`
	Service     string   `json:"service"`
	Type        string   `json:"type,omitempty"`
	Subnets     []string `json:"subnets,omitempty"`
	Groups      []string `json:"groups,omitempty"`
	RouteTables []string `json:"routeTables,omitempty"`
	PrivateDNS  *bool    `json:"privateDns,omitempty"`
	State       string   `json:"state,omitempty"`
}

// Policy is a customer managed policy.
type Policy struct {
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
}

// AWSGroupName is the name the group has in AWS.
func (g SecurityGroup) AWSGroupName() string {
	if g.GroupName != "" {
		return g.GroupName
	}
	return g.Name
}

// Role is an IAM role. TrustService is shorthand for a trust policy letting
// that service principal assume the role; TrustPolicy overrides it.
// ManagedPolicies are AWS managed policy ARNs or Names of Policies here.
type Role struct {
	Name                string                     `json:"name"`
	TrustService        string                     `json:"trustService,omitempty"`
	TrustPolicy         json.RawMessage            `json:"trustPolicy,omitempty"`
	ManagedPolicies     []string                   `json:"managedPolicies,omitempty"`
	InlinePolicies      map[string]json.RawMessage `json:"inlinePolicies,omitempty"`
	PermissionsBoundary string                     `json:"permissionsBoundary,omitempty"`
}

// TrustDocument is the role's trust policy: TrustPolicy when given, else
// one letting the TrustService principal call sts:AssumeRole.
func (r Role) TrustDocument() (string, error) {
	if len(r.TrustPolicy) > 0 {
		return string(r.TrustPolicy), nil
	}
	if r.TrustService == "" {
		return "", fmt.Errorf("role %s has neither trustService nor trustPolicy", r.Name)
	}
	out, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]string{"Service": r.TrustService},
			"Action":    "sts:AssumeRole",
		}},
	})
	return string(out), err
}

// KMSKey is a customer managed key; Name becomes its alias (alias/NAME).
type KMSKey struct {
	Name string `json:"name"`
}

// Secret in Secrets Manager; KMSKey names a KMSKey here (empty: aws/secretsmanager).
// ARN, when set (snapshots), is the secret's ARN with AWS's random suffix.
type Secret struct {
	Name   string `json:"name"`
	KMSKey string `json:"kmsKey,omitempty"`
	ARN    string `json:"arn,omitempty"`
}

// Parameter in SSM Parameter Store; Type defaults to SecureString.
type Parameter struct {
	Name   string `json:"name"`
	Type   string `json:"type,omitempty"`
	KMSKey string `json:"kmsKey,omitempty"`
}

// LogGroup in CloudWatch Logs.
type LogGroup struct {
	Name string `json:"name"`
}

// Repository in ECR with its image tags.
type Repository struct {
	Name   string     `json:"name"`
	Images []ImageTag `json:"images,omitempty"`
}

// ImageTag is one pushed image. Base and Tools describe what is inside it
// (e.g. base alpine, tools [sh, node, wget]) for the simulator's rules.
type ImageTag struct {
	Tag      string   `json:"tag"`
	Base     string   `json:"base,omitempty"`
	Tools    []string `json:"tools,omitempty"`
	Platform string   `json:"platform,omitempty"` // default linux/amd64
}

// Database is an RDS instance.
type Database struct {
	Name           string   `json:"name"`
	Engine         string   `json:"engine,omitempty"` // default postgres
	Port           int32    `json:"port,omitempty"`   // default by engine
	Subnets        []string `json:"subnets,omitempty"`
	SecurityGroups []string `json:"securityGroups,omitempty"`
	RequireSSL     bool     `json:"requireSsl,omitempty"`
}

// TaskDefinition; roles are Names of Roles here. Containers use the facts
// shape, with placeholders in image, environment values and secret refs.
type TaskDefinition struct {
	Family        string                      `json:"family"`
	ExecutionRole string                      `json:"executionRole,omitempty"`
	TaskRole      string                      `json:"taskRole,omitempty"`
	NetworkMode   string                      `json:"networkMode,omitempty"` // default awsvpc
	CPU           string                      `json:"cpu,omitempty"`         // default 256
	Memory        string                      `json:"memory,omitempty"`      // default 512
	LaunchType    string                      `json:"launchType,omitempty"`  // default FARGATE
	Containers    []facts.ContainerDefinition `json:"containers"`
}

// Cluster with its services.
type Cluster struct {
	Name     string    `json:"name"`
	Services []Service `json:"services,omitempty"`
}

// Service runs a task definition (by family: its latest revision).
type Service struct {
	Name           string         `json:"name"`
	TaskDefinition string         `json:"taskDefinition"`
	DesiredCount   int32          `json:"desiredCount"`
	Network        ServiceNetwork `json:"network"`
	LaunchType     string         `json:"launchType,omitempty"` // default FARGATE
	CircuitBreaker bool           `json:"circuitBreaker,omitempty"`
	History        *History       `json:"history,omitempty"`
}

// ServiceNetwork is the awsvpc configuration, by Names.
type ServiceNetwork struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups"`
	AssignPublicIP bool     `json:"assignPublicIp,omitempty"`
}

// History is what happened to a service: what AWS would show after the
// scheduler tried to run it. Times are seconds before "now".
type History struct {
	RunningCount  int32   `json:"runningCount"`
	PendingCount  int32   `json:"pendingCount,omitempty"`
	Rollout       string  `json:"rollout,omitempty"` // IN_PROGRESS, COMPLETED, FAILED
	RolloutReason string  `json:"rolloutReason,omitempty"`
	FailedTasks   int32   `json:"failedTasks,omitempty"`
	Events        []Event `json:"events,omitempty"` // newest first
	Tasks         []Task  `json:"tasks,omitempty"`  // newest first
}

// Event is a service event message.
type Event struct {
	Message    string `json:"message"`
	AgoSeconds int    `json:"agoSeconds,omitempty"`
}

// Task is a task the service ran: stopped (with AWS's stop code and
// reasons) or still running. Subnet defaults to the service's first.
type Task struct {
	LastStatus    string          `json:"lastStatus"` // STOPPED or RUNNING
	StopCode      string          `json:"stopCode,omitempty"`
	StoppedReason string          `json:"stoppedReason,omitempty"`
	HealthStatus  string          `json:"healthStatus,omitempty"`
	Subnet        string          `json:"subnet,omitempty"`
	AgoSeconds    int             `json:"agoSeconds,omitempty"`
	Containers    []TaskContainer `json:"containers,omitempty"`
	// Logs are lines in the task's own awslogs stream (first container with awslogs).
	Logs []string `json:"logs,omitempty"`
}

// TaskContainer is the state of one container of a task.
type TaskContainer struct {
	Name         string `json:"name"`
	LastStatus   string `json:"lastStatus,omitempty"`
	Reason       string `json:"reason,omitempty"`
	ExitCode     *int32 `json:"exitCode,omitempty"`
	HealthStatus string `json:"healthStatus,omitempty"`
}
