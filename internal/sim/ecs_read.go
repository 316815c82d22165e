package sim

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ecsAPI is the account's ECS endpoint (awsx.ECSReader and ECSWriter).
type ecsAPI struct{ a *Account }

// lastPart is the name at the end of an ARN (or the name itself).
func lastPart(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// cluster finds a cluster by name or ARN; ECS's default is "default".
func (a *Account) cluster(ref *string) (*cluster, error) {
	name := lastPart(aws.ToString(ref))
	if name == "" {
		name = "default"
	}
	if c := a.clusters.get(name); c != nil && (!strings.HasPrefix(aws.ToString(ref), "arn:") || aws.ToString(ref) == c.arn) {
		return c, nil
	}
	return nil, apiError("ClusterNotFoundException", "Cluster not found.")
}

func (a *Account) serviceIn(c *cluster, ref string) *service {
	svc := c.services.get(lastPart(ref))
	if svc == nil || (strings.HasPrefix(ref, "arn:") && ref != svc.arn) {
		return nil
	}
	return svc
}

func (x *ecsAPI) ListClusters(ctx context.Context, in *ecs.ListClustersInput, _ ...func(*ecs.Options)) (*ecs.ListClustersOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:ListClusters", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	var arns []string
	for _, c := range a.clusters.list() {
		arns = append(arns, c.arn)
	}
	items, next, err := page(a, "ListClusters", arns, in.NextToken, aws.ToInt32(in.MaxResults), 100, "InvalidParameterException")
	if err != nil {
		return nil, err
	}
	return &ecs.ListClustersOutput{ClusterArns: items, NextToken: next}, nil
}

func (x *ecsAPI) DescribeClusters(ctx context.Context, in *ecs.DescribeClustersInput, _ ...func(*ecs.Options)) (*ecs.DescribeClustersOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:DescribeClusters", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{"default"}
	}
	out := &ecs.DescribeClustersOutput{}
	for _, ref := range refs {
		c, err := a.cluster(aws.String(ref))
		if err != nil {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = a.arn("ecs", a.region, "cluster/"+ref)
			}
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: aws.String(arn), Reason: aws.String("MISSING")})
			continue
		}
		out.Clusters = append(out.Clusters, a.renderCluster(c))
	}
	return out, nil
}

func (x *ecsAPI) ListServices(ctx context.Context, in *ecs.ListServicesInput, _ ...func(*ecs.Options)) (*ecs.ListServicesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:ListServices", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	var arns []string
	for _, s := range c.services.list() {
		if in.LaunchType == "" || string(in.LaunchType) == s.launchType {
			arns = append(arns, s.arn)
		}
	}
	items, next, err := page(a, "ListServices", arns, in.NextToken, aws.ToInt32(in.MaxResults), 10, "InvalidParameterException")
	if err != nil {
		return nil, err
	}
	return &ecs.ListServicesOutput{ServiceArns: items, NextToken: next}, nil
}

func (x *ecsAPI) DescribeServices(ctx context.Context, in *ecs.DescribeServicesInput, _ ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:DescribeServices", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Services) == 0 || len(in.Services) > 10 {
		return nil, apiError("InvalidParameterException", "Services must contain between 1 and 10 items.")
	}
	out := &ecs.DescribeServicesOutput{}
	for _, ref := range in.Services {
		svc := a.serviceIn(c, ref)
		if svc == nil {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = a.arn("ecs", a.region, "service/"+c.name+"/"+ref)
			}
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: aws.String(arn), Reason: aws.String("MISSING")})
			continue
		}
		out.Services = append(out.Services, a.renderService(svc))
	}
	return out, nil
}

func (x *ecsAPI) ListTasks(ctx context.Context, in *ecs.ListTasksInput, _ ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:ListTasks", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	var svc *service
	if in.ServiceName != nil {
		if svc = a.serviceIn(c, aws.ToString(in.ServiceName)); svc == nil {
			return nil, apiError("ServiceNotFoundException", "Service not found.")
		}
	}
	// ECS lists tasks the scheduler wants RUNNING unless asked otherwise.
	want := string(in.DesiredStatus)
	if want == "" {
		want = "RUNNING"
	}
	var arns []string
	for _, t := range newestFirst(c.tasks.list()) {
		switch {
		case svc != nil && t.svc != svc,
			t.desired != want,
			in.Family != nil && t.td.family != aws.ToString(in.Family),
			in.StartedBy != nil && t.dep.id != aws.ToString(in.StartedBy),
			in.LaunchType != "" && string(in.LaunchType) != t.svc.launchType:
			continue
		}
		arns = append(arns, t.arn)
	}
	items, next, err := page(a, "ListTasks", arns, in.NextToken, aws.ToInt32(in.MaxResults), 100, "InvalidParameterException")
	if err != nil {
		return nil, err
	}
	return &ecs.ListTasksOutput{TaskArns: items, NextToken: next}, nil
}

func (x *ecsAPI) DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, _ ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:DescribeTasks", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if len(in.Tasks) == 0 || len(in.Tasks) > 100 {
		return nil, apiError("InvalidParameterException", "Tasks must contain between 1 and 100 items.")
	}
	out := &ecs.DescribeTasksOutput{}
	for _, ref := range in.Tasks {
		t := c.tasks.get(lastPart(ref))
		if t == nil || (strings.HasPrefix(ref, "arn:") && ref != t.arn) {
			arn := ref
			if !strings.HasPrefix(ref, "arn:") {
				arn = a.arn("ecs", a.region, "task/"+c.name+"/"+ref)
			}
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: aws.String(arn), Reason: aws.String("MISSING")})
			continue
		}
		out.Tasks = append(out.Tasks, a.renderTask(t))
	}
	return out, nil
}

func (x *ecsAPI) DescribeTaskDefinition(ctx context.Context, in *ecs.DescribeTaskDefinitionInput, _ ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error) {
	a := x.a
	if err := a.enter(ctx, "ecs:DescribeTaskDefinition", in); err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	td := a.findTaskDef(aws.ToString(in.TaskDefinition))
	if td == nil {
		return nil, apiError("ClientException", "Unable to describe task definition.")
	}
	def := deepCopy(td.def)
	return &ecs.DescribeTaskDefinitionOutput{TaskDefinition: &def}, nil
}

// findTaskDef resolves an ARN, family:revision, or a family (its latest
// ACTIVE revision), as ECS does.
func (a *Account) findTaskDef(ref string) *taskDef {
	if strings.HasPrefix(ref, "arn:") {
		return a.taskDefs.get(ref)
	}
	family, rev, hasRev := strings.Cut(lastPart(ref), ":")
	var best *taskDef
	for _, x := range a.taskDefs.list() {
		if x.family != family {
			continue
		}
		if hasRev {
			if strconv.Itoa(int(x.revision)) == rev {
				return x
			}
			continue
		}
		if best == nil || x.revision > best.revision {
			best = x
		}
	}
	return best
}
