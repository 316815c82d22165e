package awsx

import (
	"context"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Identity returns who the credentials belong to.
func Identity(ctx context.Context, r *Readers) (facts.Caller, error) {
	out, err := r.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return facts.Caller{}, err
	}
	return facts.Caller{ARN: aws.ToString(out.Arn), Account: aws.ToString(out.Account), UserID: aws.ToString(out.UserId)}, nil
}

// ListClusters lists every cluster with its counts (DescribeClusters in
// batches of 100, the API's limit), sorted by name.
func ListClusters(ctx context.Context, r *Readers) ([]facts.ClusterSummary, error) {
	var arns []string
	p := ecs.NewListClustersPaginator(r.ECS, &ecs.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		arns = append(arns, page.ClusterArns...)
	}
	var out []facts.ClusterSummary
	for _, batch := range chunk(arns, 100) {
		d, err := r.ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: batch})
		if err != nil {
			return nil, err
		}
		for _, c := range d.Clusters {
			out = append(out, facts.ClusterSummary{
				Name: aws.ToString(c.ClusterName), ARN: aws.ToString(c.ClusterArn), Status: aws.ToString(c.Status),
				ActiveServices: c.ActiveServicesCount, RunningTasks: c.RunningTasksCount, PendingTasks: c.PendingTasksCount,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ListServices lists a cluster's services. Rows go to onRows as each
// DescribeServices batch (10 services, the API's limit) arrives, with at
// most four batches in flight, so a list of a thousand services shows its
// first rows after two round trips instead of after all of them. Each call
// gets its own timeout.
func ListServices(ctx context.Context, r *Readers, cluster string, timeout time.Duration, onRows func([]facts.ServiceSummary)) error {
	p := ecs.NewListServicesPaginator(r.ECS, &ecs.ListServicesInput{Cluster: aws.String(cluster), MaxResults: aws.Int32(100)})
	eg, gctx := errgroup.WithContext(ctx)
	eg.SetLimit(4)
	for p.HasMorePages() {
		pctx, cancel := context.WithTimeout(gctx, timeout)
		page, err := p.NextPage(pctx)
		cancel()
		if err != nil {
			eg.Wait()
			return err
		}
		for _, batch := range chunk(page.ServiceArns, 10) {
			eg.Go(func() error {
				dctx, cancel := context.WithTimeout(gctx, timeout)
				defer cancel()
				out, err := r.ECS.DescribeServices(dctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: batch})
				if err != nil {
					return err
				}
				rows := make([]facts.ServiceSummary, 0, len(out.Services))
				for _, s := range out.Services {
					rows = append(rows, summarizeService(s))
				}
				onRows(rows)
				return nil
			})
		}
	}
	return eg.Wait()
}

func summarizeService(s ecstypes.Service) facts.ServiceSummary {
	row := facts.ServiceSummary{Name: aws.ToString(s.ServiceName), ARN: aws.ToString(s.ServiceArn), Desired: s.DesiredCount, Running: s.RunningCount, Pending: s.PendingCount}
	for _, d := range s.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" {
			row.Rollout = string(d.RolloutState)
		}
	}
	if len(s.Events) > 0 {
		row.LastEvent = aws.ToString(s.Events[0].Message)
		row.LastEventAt = s.Events[0].CreatedAt
	}
	row.Unhealthy = (row.Desired > 0 && row.Running == 0) || row.Rollout == "FAILED"
	return row
}

// ReadLogStream reads a log stream: the latest lines when token is empty,
// or the lines after token (to follow it). A missing stream is an empty page.
func ReadLogStream(ctx context.Context, r *Readers, group, stream, token string, limit int32) (facts.LogPage, error) {
	in := &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), Limit: aws.Int32(limit)}
	if token != "" {
		in.NextToken = aws.String(token)
		in.StartFromHead = aws.Bool(true)
	} else {
		in.StartFromHead = aws.Bool(false)
	}
	out, err := r.Logs.GetLogEvents(ctx, in)
	if err != nil {
		if IsNotFound(err) {
			return facts.LogPage{NextToken: token}, nil
		}
		return facts.LogPage{}, err
	}
	return facts.LogPage{Events: convertLogEvents(out.Events), NextToken: aws.ToString(out.NextForwardToken)}, nil
}
