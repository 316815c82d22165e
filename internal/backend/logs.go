package backend

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// LogPage is a slice of a log stream and the token to continue from.
type LogPage struct {
	Events    []facts.LogEvent
	NextToken string // pass back to follow the stream
}

// TaskLogs reads a log stream: the latest lines when token is empty, or the
// lines after token (following). A missing stream is an empty page.
func (b *Backend) TaskLogs(ctx context.Context, group, stream, token string, limit int32) (LogPage, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout())
	defer cancel()
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), Limit: aws.Int32(limit)}
	if token != "" {
		in.NextToken = aws.String(token)
		in.StartFromHead = aws.Bool(true)
	}
	out, err := b.R.Logs.GetLogEvents(ctx, in)
	if err != nil {
		if awsx.IsNotFound(err) {
			return LogPage{NextToken: token}, nil
		}
		return LogPage{}, err
	}
	page := LogPage{NextToken: aws.ToString(out.NextForwardToken)}
	for _, e := range out.Events {
		ev := facts.LogEvent{Message: aws.ToString(e.Message)}
		if e.Timestamp != nil {
			t := time.UnixMilli(*e.Timestamp).UTC()
			ev.Time = &t
		}
		page.Events = append(page.Events, ev)
	}
	return page, nil
}
