package motoworld

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// writeLogs puts a task's log lines into its awslogs stream, named as the
// awslogs driver names it on Fargate: prefix/container/task-id. It writes
// nothing when the scenario lacks the log group: then the group's absence
// is the point of the scenario, and creating it would hide that.
func (b *builder) writeLogs(ctx context.Context, service string, td *scenario.TaskDefinition, t scenario.Task, tk task, tt times) error {
	if len(t.Logs) == 0 {
		return nil
	}
	container, group, prefix := "", "", ""
	for _, c := range td.Containers {
		if c.Log != nil && c.Log.Driver == "awslogs" {
			container = c.Name
			group = b.w.resolveIn(service, &tk, c.Log.Options["awslogs-group"])
			prefix = b.w.resolveIn(service, &tk, c.Log.Options["awslogs-stream-prefix"])
			break
		}
	}
	if container == "" {
		return fmt.Errorf("the task has log lines but no container logs with awslogs")
	}
	if !b.listsLogGroup(group) {
		return nil
	}
	stream := prefix + "/" + container + "/" + tk.id
	if _, err := b.c.logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
	}); err != nil {
		return err
	}
	// One line a second from the start, but never in the future.
	from := tt.started
	if from.IsZero() {
		from = tt.created
	}
	if last := from.Add(time.Duration(len(t.Logs)) * time.Second); last.After(b.w.Now) {
		from = b.w.Now.Add(-time.Duration(len(t.Logs)) * time.Second)
	}
	events := make([]types.InputLogEvent, len(t.Logs))
	for i, line := range t.Logs {
		events[i] = types.InputLogEvent{
			Message:   aws.String(b.w.resolveIn(service, &tk, line)),
			Timestamp: aws.Int64(from.Add(time.Duration(i) * time.Second).UnixMilli()),
		}
	}
	_, err := b.c.logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events,
	})
	return err
}

func (b *builder) listsLogGroup(name string) bool {
	for _, g := range b.sc.World.LogGroups {
		if g.Name == name {
			return true
		}
	}
	return false
}
