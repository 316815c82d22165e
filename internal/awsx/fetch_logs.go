package awsx

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// awslogsGroups lists the log groups the containers write to.
func awslogsGroups(td *facts.TaskDefinition) []string {
	var groups []string
	for _, c := range td.Containers {
		if c.Log != nil && c.Log.Driver == "awslogs" {
			groups = append(groups, c.Log.Options["awslogs-group"])
		}
	}
	return dedupe(groups)
}

// awslogsRegions maps each awslogs group to the region its containers name
// in awslogs-region, when that is set: the driver writes there, not
// necessarily in the task's region.
func awslogsRegions(td *facts.TaskDefinition) map[string]string {
	out := map[string]string{}
	for _, c := range td.Containers {
		if c.Log != nil && c.Log.Driver == "awslogs" && c.Log.Options["awslogs-region"] != "" {
			out[c.Log.Options["awslogs-group"]] = c.Log.Options["awslogs-region"]
		}
	}
	return out
}

// inRegion makes a Logs call go to region (the client's own when empty).
func inRegion(region string) []func(*cloudwatchlogs.Options) {
	if region == "" {
		return nil
	}
	return []func(*cloudwatchlogs.Options){func(o *cloudwatchlogs.Options) { o.Region = region }}
}

// fetchLogGroups checks that each group of td exists, in the region its
// awslogs-region names. DescribeLogGroups filters by prefix, so an exact
// name is looked for among the (few) matches.
func (st *gathering) fetchLogGroups(ctx context.Context, td *facts.TaskDefinition) ([]facts.LogGroup, error) {
	names, regions := awslogsGroups(td), awslogsRegions(td)
	out := make([]facts.LogGroup, len(names))
	eg, gctx := errgroup.WithContext(ctx)
	for i, name := range names {
		eg.Go(func() error {
			g := facts.LogGroup{Name: name}
			p := cloudwatchlogs.NewDescribeLogGroupsPaginator(st.g.R.Logs, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name), Limit: aws.Int32(50)})
			opts := inRegion(regions[name])
			for pages := 0; p.HasMorePages() && !g.Found && pages < 5; pages++ {
				page, err := p.NextPage(gctx, opts...)
				if err != nil {
					return err
				}
				for _, lg := range page.LogGroups {
					if aws.ToString(lg.LogGroupName) == name {
						g.Found = true
						g.ARN = aws.ToString(lg.Arn)
					}
				}
			}
			out[i] = g
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// fetchLogStreams reads the latest events of the chosen task's own streams.
// A stream that does not exist is a fact (the container never started), not
// an error.
func (st *gathering) fetchLogStreams(ctx context.Context, td *facts.TaskDefinition, task *facts.Task) ([]facts.LogStream, error) {
	limit := st.g.LogEvents
	if limit <= 0 {
		limit = 200
	}
	var streams []facts.LogStream
	regions := awslogsRegions(td)
	for _, c := range td.Containers {
		if name := facts.LogStreamName(c, task.ID); name != "" {
			streams = append(streams, facts.LogStream{Group: c.Log.Options["awslogs-group"], Name: name, Container: c.Name})
		}
	}
	eg, gctx := errgroup.WithContext(ctx)
	for i := range streams {
		s := &streams[i]
		eg.Go(func() error {
			out, err := st.g.R.Logs.GetLogEvents(gctx, &cloudwatchlogs.GetLogEventsInput{
				LogGroupName: aws.String(s.Group), LogStreamName: aws.String(s.Name),
				Limit: aws.Int32(int32(limit)), StartFromHead: aws.Bool(false),
			}, inRegion(regions[s.Group])...)
			if err != nil {
				if IsNotFound(err) {
					return nil
				}
				return err
			}
			s.Found = true
			s.Events = convertLogEvents(out.Events)
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	return streams, nil
}

func convertLogEvents(events []cwltypes.OutputLogEvent) []facts.LogEvent {
	out := make([]facts.LogEvent, 0, len(events))
	for _, e := range events {
		ev := facts.LogEvent{Message: aws.ToString(e.Message)}
		if e.Timestamp != nil {
			t := time.UnixMilli(*e.Timestamp).UTC()
			ev.Time = &t
		}
		out = append(out, ev)
	}
	return out
}
