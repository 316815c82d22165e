package facts

import "time"

// Facts is everything one diagnosis read. The gatherer fills it part by part;
// Fetches says, per part, whether it has arrived, failed or does not apply, so
// that a partly filled value can already be analysed (the TUI does so while
// the rest is still loading).
type Facts struct {
	Target         Target          `json:"target"`
	Caller         *Caller         `json:"caller,omitempty"`
	Service        *Service        `json:"service,omitempty"`
	TaskDefinition *TaskDefinition `json:"taskDefinition,omitempty"`
	// Tasks are the service's recently stopped and running tasks (or the one
	// named with --task), newest first.
	Tasks []Task `json:"tasks,omitempty"`
	// ChosenTaskARN is the task the per-task steps look at: --task, else the
	// latest failed stopped task, else the latest running one.
	ChosenTaskARN string `json:"chosenTaskArn,omitempty"`

	Network    Network     `json:"network"`
	IAM        IAM         `json:"iam"`
	Secrets    []Secret    `json:"secrets,omitempty"`
	Parameters []Parameter `json:"parameters,omitempty"`
	KMSKeys    []KMSKey    `json:"kmsKeys,omitempty"`
	Logs       Logs        `json:"logs"`
	Images     []Image     `json:"images,omitempty"`
	Databases  []Database  `json:"databases,omitempty"`

	Fetches map[Key]Fetch `json:"fetches,omitempty"`
	// APICalls counts the AWS requests made to gather these facts.
	APICalls int `json:"apiCalls"`
}

// Target names what is diagnosed.
type Target struct {
	Account    string `json:"account,omitempty"`
	Region     string `json:"region,omitempty"`
	Profile    string `json:"profile,omitempty"`
	Cluster    string `json:"cluster,omitempty"`
	ClusterARN string `json:"clusterArn,omitempty"`
	Service    string `json:"service,omitempty"`
	// Task is the task ARN when the user named one with --task.
	Task string `json:"task,omitempty"`
}

// Caller is the identity the diagnosis ran as (sts:GetCallerIdentity).
type Caller struct {
	ARN     string `json:"arn"`
	Account string `json:"account"`
	UserID  string `json:"userId,omitempty"`
}

// Service is an ECS service as DescribeServices returns it.
type Service struct {
	Name                          string          `json:"name"`
	ARN                           string          `json:"arn"`
	ClusterARN                    string          `json:"clusterArn,omitempty"`
	Status                        string          `json:"status"`
	DesiredCount                  int32           `json:"desiredCount"`
	RunningCount                  int32           `json:"runningCount"`
	PendingCount                  int32           `json:"pendingCount"`
	LaunchType                    string          `json:"launchType,omitempty"`
	CapacityProviders             []string        `json:"capacityProviders,omitempty"`
	PlatformVersion               string          `json:"platformVersion,omitempty"`
	TaskDefinition                string          `json:"taskDefinition"`
	Deployments                   []Deployment    `json:"deployments,omitempty"`
	Events                        []ServiceEvent  `json:"events,omitempty"` // newest first
	Network                       *AwsVpcConfig   `json:"network,omitempty"`
	LoadBalancers                 []LoadBalancer  `json:"loadBalancers,omitempty"`
	HealthCheckGracePeriodSeconds int32           `json:"healthCheckGracePeriodSeconds,omitempty"`
	CircuitBreaker                *CircuitBreaker `json:"circuitBreaker,omitempty"`
	ServiceRegistries             []string        `json:"serviceRegistries,omitempty"`
	EnableExecuteCommand          bool            `json:"enableExecuteCommand,omitempty"`
	CreatedAt                     *time.Time      `json:"createdAt,omitempty"`
}

// Deployment is one of a service's deployments (PRIMARY, ACTIVE, INACTIVE).
type Deployment struct {
	ID                 string        `json:"id"`
	Status             string        `json:"status"`
	RolloutState       string        `json:"rolloutState,omitempty"`
	RolloutStateReason string        `json:"rolloutStateReason,omitempty"`
	TaskDefinition     string        `json:"taskDefinition,omitempty"`
	DesiredCount       int32         `json:"desiredCount"`
	RunningCount       int32         `json:"runningCount"`
	PendingCount       int32         `json:"pendingCount"`
	FailedTasks        int32         `json:"failedTasks"`
	LaunchType         string        `json:"launchType,omitempty"`
	Network            *AwsVpcConfig `json:"network,omitempty"`
	CreatedAt          *time.Time    `json:"createdAt,omitempty"`
	UpdatedAt          *time.Time    `json:"updatedAt,omitempty"`
}

// AwsVpcConfig is a service's or deployment's awsvpc network configuration.
type AwsVpcConfig struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups"`
	AssignPublicIP bool     `json:"assignPublicIp"`
}

// ServiceEvent is one entry of a service's event log.
type ServiceEvent struct {
	ID        string     `json:"id,omitempty"`
	CreatedAt *time.Time `json:"createdAt,omitempty"`
	Message   string     `json:"message"`
}

// LoadBalancer ties a service's container port to a target group.
type LoadBalancer struct {
	TargetGroupARN string `json:"targetGroupArn,omitempty"`
	ContainerName  string `json:"containerName,omitempty"`
	ContainerPort  int32  `json:"containerPort,omitempty"`
}

// CircuitBreaker is the deployment circuit breaker setting.
type CircuitBreaker struct {
	Enable   bool `json:"enable"`
	Rollback bool `json:"rollback"`
}

// TaskDefinition is the subset of a task definition the diagnosis reasons about.
type TaskDefinition struct {
	ARN                     string                `json:"arn"`
	Family                  string                `json:"family"`
	Revision                int32                 `json:"revision"`
	ExecutionRoleARN        string                `json:"executionRoleArn,omitempty"`
	TaskRoleARN             string                `json:"taskRoleArn,omitempty"`
	NetworkMode             string                `json:"networkMode,omitempty"`
	RequiresCompatibilities []string              `json:"requiresCompatibilities,omitempty"`
	CPU                     string                `json:"cpu,omitempty"`
	Memory                  string                `json:"memory,omitempty"`
	CPUArchitecture         string                `json:"cpuArchitecture,omitempty"`
	OSFamily                string                `json:"osFamily,omitempty"`
	Containers              []ContainerDefinition `json:"containers"`
	Volumes                 []Volume              `json:"volumes,omitempty"`
}

// ContainerDefinition is one container of a task definition.
type ContainerDefinition struct {
	Name                  string            `json:"name"`
	Image                 string            `json:"image"`
	Essential             bool              `json:"essential"`
	CPU                   int32             `json:"cpu,omitempty"`
	Memory                int32             `json:"memory,omitempty"`
	MemoryReservation     int32             `json:"memoryReservation,omitempty"`
	EntryPoint            []string          `json:"entryPoint,omitempty"`
	Command               []string          `json:"command,omitempty"`
	Environment           []KeyValue        `json:"environment,omitempty"`
	EnvironmentFiles      []string          `json:"environmentFiles,omitempty"` // S3 object ARNs
	Secrets               []SecretRef       `json:"secrets,omitempty"`
	RepositoryCredentials string            `json:"repositoryCredentials,omitempty"` // secret ARN
	Log                   *LogConfiguration `json:"log,omitempty"`
	HealthCheck           *HealthCheck      `json:"healthCheck,omitempty"`
	PortMappings          []PortMapping     `json:"portMappings,omitempty"`
}

// KeyValue is an environment variable.
type KeyValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SecretRef is a container secret: an environment variable filled from
// Secrets Manager or SSM Parameter Store at start-up.
type SecretRef struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

// LogConfiguration is a container's log driver and its options.
type LogConfiguration struct {
	Driver  string            `json:"driver"`
	Options map[string]string `json:"options,omitempty"`
}

// HealthCheck is a container health check. Seconds are as ECS stores them;
// zero means "ECS default" for Interval (30), Timeout (5) and Retries (3).
type HealthCheck struct {
	Command     []string `json:"command"`
	Interval    int32    `json:"interval,omitempty"`
	Timeout     int32    `json:"timeout,omitempty"`
	Retries     int32    `json:"retries,omitempty"`
	StartPeriod int32    `json:"startPeriod,omitempty"`
}

// PortMapping is a container port mapping.
type PortMapping struct {
	ContainerPort int32  `json:"containerPort"`
	HostPort      int32  `json:"hostPort,omitempty"`
	Protocol      string `json:"protocol,omitempty"`
}

// Volume is a task volume; only EFS volumes matter to the network checks.
type Volume struct {
	Name            string `json:"name"`
	EFSFileSystemID string `json:"efsFileSystemId,omitempty"`
}

// Task is an ECS task as DescribeTasks returns it.
type Task struct {
	ARN               string      `json:"arn"`
	ID                string      `json:"id"`
	ClusterARN        string      `json:"clusterArn,omitempty"`
	TaskDefinitionARN string      `json:"taskDefinitionArn,omitempty"`
	Group             string      `json:"group,omitempty"`
	StartedBy         string      `json:"startedBy,omitempty"`
	LastStatus        string      `json:"lastStatus"`
	DesiredStatus     string      `json:"desiredStatus,omitempty"`
	HealthStatus      string      `json:"healthStatus,omitempty"`
	StopCode          string      `json:"stopCode,omitempty"`
	StoppedReason     string      `json:"stoppedReason,omitempty"`
	LaunchType        string      `json:"launchType,omitempty"`
	PlatformVersion   string      `json:"platformVersion,omitempty"`
	AvailabilityZone  string      `json:"availabilityZone,omitempty"`
	CreatedAt         *time.Time  `json:"createdAt,omitempty"`
	StartedAt         *time.Time  `json:"startedAt,omitempty"`
	StoppedAt         *time.Time  `json:"stoppedAt,omitempty"`
	Containers        []Container `json:"containers,omitempty"`
	ENI               *TaskENI    `json:"eni,omitempty"`
}

// Container is one container of a running or stopped task.
type Container struct {
	Name         string `json:"name"`
	Image        string `json:"image,omitempty"`
	ImageDigest  string `json:"imageDigest,omitempty"`
	LastStatus   string `json:"lastStatus,omitempty"`
	ExitCode     *int32 `json:"exitCode,omitempty"`
	Reason       string `json:"reason,omitempty"`
	HealthStatus string `json:"healthStatus,omitempty"`
}

// TaskENI is the awsvpc network interface attachment of a task.
type TaskENI struct {
	ID          string `json:"id,omitempty"`
	SubnetID    string `json:"subnetId,omitempty"`
	PrivateIPv4 string `json:"privateIpv4,omitempty"`
}

// Secret is a Secrets Manager secret a task definition references, as
// DescribeSecret returns it (never its value).
type Secret struct {
	Ref      string     `json:"ref"` // valueFrom as the task definition writes it
	ARN      string     `json:"arn,omitempty"`
	Name     string     `json:"name,omitempty"`
	KMSKeyID string     `json:"kmsKeyId,omitempty"`
	Found    bool       `json:"found"`
	Deleted  *time.Time `json:"deletedDate,omitempty"`
}

// Parameter is an SSM parameter a task definition references, as
// DescribeParameters returns it (never its value).
type Parameter struct {
	Ref   string `json:"ref"`
	Name  string `json:"name"`
	ARN   string `json:"arn,omitempty"`
	Type  string `json:"type,omitempty"`
	KeyID string `json:"keyId,omitempty"`
	Found bool   `json:"found"`
}

// KMSKey is a KMS key a secret or parameter is encrypted with.
type KMSKey struct {
	Ref     string `json:"ref"` // as the secret or parameter names it
	ARN     string `json:"arn,omitempty"`
	KeyID   string `json:"keyId,omitempty"`
	Manager string `json:"manager,omitempty"` // AWS or CUSTOMER
	State   string `json:"state,omitempty"`
	Found   bool   `json:"found"`
}

// Image is a container image reference, with what the registry says of it
// where the registry is ECR.
type Image struct {
	Ref        string `json:"ref"`
	Registry   string `json:"registry,omitempty"`
	Repository string `json:"repository"`
	Tag        string `json:"tag,omitempty"`
	Digest     string `json:"digest,omitempty"`
	// ECR images: the registry account and region parsed from the host.
	ECR        bool   `json:"ecr"`
	RegistryID string `json:"registryId,omitempty"`
	Region     string `json:"region,omitempty"`
	// Checked is true once ECR answered; then RepositoryFound/Found say what it said.
	Checked         bool   `json:"checked"`
	RepositoryFound bool   `json:"repositoryFound"`
	Found           bool   `json:"found"`
	CheckError      string `json:"checkError,omitempty"`
}

// Database is an RDS instance or cluster whose endpoint a container names.
type Database struct {
	ID             string   `json:"id"`
	ARN            string   `json:"arn,omitempty"`
	Engine         string   `json:"engine,omitempty"`
	Endpoint       string   `json:"endpoint"`
	Port           int32    `json:"port"`
	SecurityGroups []string `json:"securityGroups,omitempty"`
	VPCID          string   `json:"vpcId,omitempty"`
	Status         string   `json:"status,omitempty"`
	Cluster        bool     `json:"cluster,omitempty"`
	// ReferencedBy is the environment variable that named the endpoint.
	ReferencedBy string `json:"referencedBy,omitempty"`
	Found        bool   `json:"found"`
}
