package facts

import "time"

// Logs is the CloudWatch Logs side of the task: its awslogs groups and the
// chosen task's own streams with their latest events.
type Logs struct {
	Groups  []LogGroup  `json:"groups,omitempty"`
	Streams []LogStream `json:"streams,omitempty"`
}

// LogGroup is an awslogs log group a container writes to.
type LogGroup struct {
	Name  string `json:"name"`
	ARN   string `json:"arn,omitempty"`
	Found bool   `json:"found"`
}

// LogStream is one container's stream for the chosen task.
type LogStream struct {
	Group     string     `json:"group"`
	Name      string     `json:"name"`
	Container string     `json:"container"`
	Found     bool       `json:"found"`
	Events    []LogEvent `json:"events,omitempty"` // oldest first
}

// LogEvent is one log line.
type LogEvent struct {
	Time    *time.Time `json:"time,omitempty"`
	Message string     `json:"message"`
}
