package backend

import (
	"context"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/errgroup"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// ClusterSummary is one row of the cluster picker.
type ClusterSummary struct {
	Name           string
	ARN            string
	Status         string
	ActiveServices int32
	RunningTasks   int32
	PendingTasks   int32
}

// ServiceSummary is one row of the service picker.
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

func identity(ctx context.Context, r *awsx.Readers) (facts.Caller, error) {
	out, err := r.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return facts.Caller{}, err
	}
	return facts.Caller{ARN: aws.ToString(out.Arn), Account: aws.ToString(out.Account), UserID: aws.ToString(out.UserId)}, nil
}

// Clusters lists every cluster with its counts (DescribeClusters in batches
// of 100, the API's limit).
func (b *Backend) Clusters(ctx context.Context) ([]ClusterSummary, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout())
	defer cancel()
	var arns []string
	p := ecs.NewListClustersPaginator(b.R.ECS, &ecs.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		arns = append(arns, page.ClusterArns...)
	}
	var out []ClusterSummary
	for _, batch := range batches(arns, 100) {
		d, err := b.R.ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: batch})
		if err != nil {
			return nil, err
		}
		for _, c := range d.Clusters {
			out = append(out, ClusterSummary{
				Name: aws.ToString(c.ClusterName), ARN: aws.ToString(c.ClusterArn), Status: aws.ToString(c.Status),
				ActiveServices: c.ActiveServicesCount, RunningTasks: c.RunningTasksCount, PendingTasks: c.PendingTasksCount,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Services lists a cluster's services. Rows are handed to onRows as each
// DescribeServices batch (10 services, the API's limit) arrives, with at
// most four batches in flight, so a picker over a thousand services shows
// its first rows after two round trips instead of after all of them.
func (b *Backend) Services(ctx context.Context, cluster string, onRows func([]ServiceSummary)) error {
	p := ecs.NewListServicesPaginator(b.R.ECS, &ecs.ListServicesInput{Cluster: aws.String(cluster), MaxResults: aws.Int32(100)})
	eg, gctx := errgroup.WithContext(ctx)
	eg.SetLimit(4)
	for p.HasMorePages() {
		pctx, cancel := context.WithTimeout(gctx, b.timeout())
		page, err := p.NextPage(pctx)
		cancel()
		if err != nil {
			eg.Wait()
			return err
		}
		for _, batch := range batches(page.ServiceArns, 10) {
			eg.Go(func() error {
				dctx, cancel := context.WithTimeout(gctx, b.timeout())
				defer cancel()
				out, err := b.R.ECS.DescribeServices(dctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: batch})
				if err != nil {
					return err
				}
				rows := make([]ServiceSummary, 0, len(out.Services))
				for _, s := range out.Services {
					rows = append(rows, summarize(s))
				}
				onRows(rows)
				return nil
			})
		}
	}
	return eg.Wait()
}

func summarize(s ecstypes.Service) ServiceSummary {
	row := ServiceSummary{Name: aws.ToString(s.ServiceName), ARN: aws.ToString(s.ServiceArn), Desired: s.DesiredCount, Running: s.RunningCount, Pending: s.PendingCount}
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

// SortServices puts unhealthy services first, then by name.
func SortServices(rows []ServiceSummary) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Unhealthy != rows[j].Unhealthy {
			return rows[i].Unhealthy
		}
		return rows[i].Name < rows[j].Name
	})
}

func batches(xs []string, n int) [][]string {
	var out [][]string
	for len(xs) > n {
		out = append(out, xs[:n])
		xs = xs[n:]
	}
	if len(xs) > 0 {
		out = append(out, xs)
	}
	return out
}
