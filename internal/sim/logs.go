package sim

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// logsAPI is the account's CloudWatch Logs endpoint (awsx.LogsReader and
// LogsWriter). Streams are written by running tasks (rules_app.go).
type logsAPI struct{ a *Account }

func (a *Account) logGroupARN(name string) string {
	return a.arn("logs", a.region, "log-group:"+name)
}

func (x *logsAPI) DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "logs:DescribeLogGroups", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	prefix := aws.ToString(in.LogGroupNamePrefix)
	pattern := strings.ToLower(aws.ToString(in.LogGroupNamePattern))
	if prefix != "" && pattern != "" {
		return nil, apiError("InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	var list []logstypes.LogGroup
	// AWS lists groups in name order.
	for _, name := range sortedKeys(a.groups.byID) {
		g := a.groups.get(name)
		if !strings.HasPrefix(name, prefix) || (pattern != "" && !strings.Contains(strings.ToLower(name), pattern)) {
			continue
		}
		var stored int64
		for _, st := range g.streams.list() {
			for _, e := range st.events {
				stored += int64(len(e.msg)) + 26
			}
		}
		list = append(list, logstypes.LogGroup{
			LogGroupName: aws.String(name), Arn: aws.String(a.logGroupARN(name) + ":*"), LogGroupArn: aws.String(a.logGroupARN(name)),
			CreationTime: aws.Int64(g.created.UnixMilli()), StoredBytes: aws.Int64(stored), MetricFilterCount: aws.Int32(0),
			LogGroupClass: logstypes.LogGroupClassStandard,
		})
	}
	if l := aws.ToInt32(in.Limit); l > 50 {
		return nil, apiError("InvalidParameterException", "1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50", l)
	}
	items, next, err := page(a, "DescribeLogGroups", list, in.NextToken, aws.ToInt32(in.Limit), 50, "InvalidParameterException")
	if err != nil {
		return nil, err
	}
	return &cloudwatchlogs.DescribeLogGroupsOutput{LogGroups: items, NextToken: next}, nil
}

var logToken = regexp.MustCompile(`^([fb])/(\d+)$`)

// GetLogEvents reads a stream a page at a time, from its head or (the
// default) its tail. Tokens are "f/N" and "b/N" positions, as AWS's
// look, and the forward token of the last page repeats, which is how a
// reader knows it has reached the end.
func (x *logsAPI) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	a := x.a
	if err := a.enter(ctx, "logs:GetLogEvents", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	name := aws.ToString(in.LogGroupName)
	if name == "" {
		name = strings.TrimSuffix(lastColonName(aws.ToString(in.LogGroupIdentifier)), ":*")
	}
	g := a.groups.get(name)
	if g == nil {
		return nil, apiError("ResourceNotFoundException", "The specified log group does not exist.")
	}
	st := g.streams.get(aws.ToString(in.LogStreamName))
	if st == nil {
		return nil, apiError("ResourceNotFoundException", "The specified log stream does not exist.")
	}
	var events []logEvent
	for _, e := range st.events {
		ms := e.at.UnixMilli()
		if (in.StartTime != nil && ms < *in.StartTime) || (in.EndTime != nil && ms >= *in.EndTime) {
			continue
		}
		events = append(events, e)
	}
	limit := int(aws.ToInt32(in.Limit))
	if limit <= 0 || limit > 10000 {
		limit = 10000
	}
	if a.opts.PageSize > 0 && a.opts.PageSize < limit {
		limit = a.opts.PageSize
	}
	var from, to int
	switch tok := aws.ToString(in.NextToken); {
	case tok != "":
		m := logToken.FindStringSubmatch(tok)
		if m == nil {
			return nil, apiError("InvalidParameterException", "The specified nextToken is invalid.")
		}
		n, _ := strconv.Atoi(m[2])
		n = min(n, len(events))
		if m[1] == "f" {
			from, to = n, min(n+limit, len(events))
		} else {
			from, to = max(n-limit, 0), n
		}
	case aws.ToBool(in.StartFromHead):
		from, to = 0, min(limit, len(events))
	default:
		from, to = max(len(events)-limit, 0), len(events)
	}
	out := &cloudwatchlogs.GetLogEventsOutput{
		NextForwardToken:  aws.String(fmt.Sprintf("f/%d", to)),
		NextBackwardToken: aws.String(fmt.Sprintf("b/%d", from)),
		Events:            []logstypes.OutputLogEvent{},
	}
	for _, e := range events[from:to] {
		out.Events = append(out.Events, logstypes.OutputLogEvent{
			Message: aws.String(e.msg), Timestamp: aws.Int64(e.at.UnixMilli()), IngestionTime: aws.Int64(e.at.UnixMilli() + 312),
		})
	}
	return out, nil
}

// lastColonName takes a group name out of a group ARN.
func lastColonName(s string) string {
	if !strings.HasPrefix(s, "arn:") {
		return s
	}
	_, after, ok := strings.Cut(s, ":log-group:")
	if !ok {
		return s
	}
	return after
}

var groupName = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,512}$`)

func (x *logsAPI) CreateLogGroup(ctx context.Context, in *cloudwatchlogs.CreateLogGroupInput, _ ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error) {
	a := x.a
	if err := a.enter(ctx, "logs:CreateLogGroup", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	name := aws.ToString(in.LogGroupName)
	if !groupName.MatchString(name) {
		return nil, apiError("InvalidParameterException", "1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", name)
	}
	if a.groups.get(name) != nil {
		return nil, apiError("ResourceAlreadyExistsException", "The specified log group already exists")
	}
	a.groups.put(name, &logGroup{name: name, created: a.clock})
	return &cloudwatchlogs.CreateLogGroupOutput{}, nil
}
