package facts

import "time"

// ClusterSummary is one row of a cluster list.
type ClusterSummary struct {
	Name           string
	ARN            string
	Status         string
	ActiveServices int32
	RunningTasks   int32
	PendingTasks   int32
}

// ServiceSummary is one row of a service list.
type ServiceSummary struct {
	Name        string
	ARN         string
	Desired     int32
	Running     int32
	Pending     int32
	Rollout     string // the PRIMARY deployment's rollout state
	LastEvent   string
	LastEventAt *time.Time
	Unhealthy   bool // no running task while some are wanted, or a failed rollout
}

// LogPage is a slice of a log stream and the token to continue from.
type LogPage struct {
	Events    []LogEvent
	NextToken string // pass back to follow the stream
}
