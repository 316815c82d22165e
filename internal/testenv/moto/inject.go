package moto

import (
	"context"
	"encoding/json"
	"time"
)

// The injection API sets on moto's ECS backend what moto never produces
// (moto.md, "What moto does not model"). Nil fields are left as they are.
// Account and Region default to moto's 123456789012 and us-east-1.

// ServicePatch changes a service as DescribeServices shows it.
type ServicePatch struct {
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	Cluster string `json:"cluster"` // name or ARN
	Service string `json:"service"` // name or ARN
	// RunningCount and PendingCount apply to the service and its PRIMARY deployment.
	RunningCount *int32     `json:"runningCount,omitempty"`
	PendingCount *int32     `json:"pendingCount,omitempty"`
	CreatedAt    *Timestamp `json:"createdAt,omitempty"`
	// Events replace the service's events; newest first, as AWS lists them.
	Events     []Event          `json:"events,omitempty"`
	Deployment *DeploymentPatch `json:"deployment,omitempty"`
}

// Event is a service event; an empty ID gets a fresh UUID.
type Event struct {
	ID        string     `json:"id,omitempty"`
	CreatedAt *Timestamp `json:"createdAt,omitempty"`
	Message   string     `json:"message"`
}

// DeploymentPatch changes the service's PRIMARY deployment.
type DeploymentPatch struct {
	ID                 string     `json:"id,omitempty"`
	Status             string     `json:"status,omitempty"`
	RolloutState       string     `json:"rolloutState,omitempty"`
	RolloutStateReason string     `json:"rolloutStateReason,omitempty"`
	FailedTasks        *int32     `json:"failedTasks,omitempty"`
	RunningCount       *int32     `json:"runningCount,omitempty"`
	PendingCount       *int32     `json:"pendingCount,omitempty"`
	DesiredCount       *int32     `json:"desiredCount,omitempty"`
	CreatedAt          *Timestamp `json:"createdAt,omitempty"`
	UpdatedAt          *Timestamp `json:"updatedAt,omitempty"`
}

// TaskPatch changes a task as DescribeTasks shows it.
type TaskPatch struct {
	Account       string           `json:"account,omitempty"`
	Region        string           `json:"region,omitempty"`
	Cluster       string           `json:"cluster"` // name or ARN
	Task          string           `json:"task"`    // ARN or id
	LastStatus    string           `json:"lastStatus,omitempty"`
	DesiredStatus string           `json:"desiredStatus,omitempty"`
	StopCode      string           `json:"stopCode,omitempty"`
	StoppedReason string           `json:"stoppedReason,omitempty"`
	HealthStatus  string           `json:"healthStatus,omitempty"`
	CreatedAt     *Timestamp       `json:"createdAt,omitempty"`
	StartedAt     *Timestamp       `json:"startedAt,omitempty"`
	StoppingAt    *Timestamp       `json:"stoppingAt,omitempty"`
	StoppedAt     *Timestamp       `json:"stoppedAt,omitempty"`
	Containers    []ContainerPatch `json:"containers,omitempty"`
}

// ContainerPatch changes one container of a task, found by name.
type ContainerPatch struct {
	Name         string `json:"name"`
	LastStatus   string `json:"lastStatus,omitempty"`
	Reason       string `json:"reason,omitempty"`
	ExitCode     *int32 `json:"exitCode,omitempty"`
	HealthStatus string `json:"healthStatus,omitempty"`
}

// Timestamp travels to the harness as epoch seconds, as ECS's JSON does.
// The zero Timestamp travels as null and clears the field: a task that
// never started has no startedAt.
type Timestamp time.Time

// At returns t as a *Timestamp for the patch fields.
func At(t time.Time) *Timestamp { ts := Timestamp(t); return &ts }

// MarshalJSON writes epoch seconds with microseconds, or null when zero.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(float64(time.Time(t).UnixMicro()) / 1e6)
}

// InjectService applies p (POST /_ecsdoctor/inject/service).
func (s *Server) InjectService(ctx context.Context, p ServicePatch) error {
	return s.postJSON(ctx, "/_ecsdoctor/inject/service", p)
}

// InjectTask applies p (POST /_ecsdoctor/inject/task).
func (s *Server) InjectTask(ctx context.Context, p TaskPatch) error {
	return s.postJSON(ctx, "/_ecsdoctor/inject/task", p)
}

func (s *Server) postJSON(ctx context.Context, path string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.post(ctx, path, body)
}
