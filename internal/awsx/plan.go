package awsx

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// run wires the fetches together. Each part starts as soon as what it needs
// has arrived; with the service known from the flags, the longest chain is
// four round trips: service → task definition / subnets → role, VPC, logs,
// secrets → policy documents, KMS keys, simulation.
func (st *gathering) run(ctx context.Context) {
	var wg sync.WaitGroup
	part := func(fn func()) {
		wg.Add(1)
		go func() { defer wg.Done(); fn() }()
	}
	defer wg.Wait()
	req := st.req
	cluster := clusterName(req.Cluster)

	// Wave 1: who we are, the service, its task lists, account-wide lookups.
	part(func() {
		out, err := st.g.R.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		st.settle(facts.KeyCaller, "sts:GetCallerIdentity", err, func(f *facts.Facts) {
			f.Caller = &facts.Caller{ARN: aws.ToString(out.Arn), Account: aws.ToString(out.Account), UserID: aws.ToString(out.UserId)}
			f.Target.Account = f.Caller.Account
		})
	})
	named := spawn(func() (*facts.Task, error) { return st.resolveNamedTask(ctx, cluster) })
	serviceName := spawn(func() (string, error) {
		if req.Service != "" {
			return req.Service, nil
		}
		t, err := named.get(ctx)
		if err != nil {
			return "", err
		}
		if t == nil || !strings.HasPrefix(t.Group, "service:") {
			return "", errSkipped // a standalone task: no service to look at
		}
		return strings.TrimPrefix(t.Group, "service:"), nil
	})
	service := spawn(func() (*facts.Service, error) {
		name, err := serviceName.get(ctx)
		if err != nil {
			return nil, err
		}
		svc, err := st.fetchService(ctx, cluster, name)
		if err != nil {
			if IsInputError(err) {
				st.stop(err)
			}
			return nil, err
		}
		return svc, nil
	})
	part(func() {
		svc, err := service.get(ctx)
		st.settle(facts.KeyService, "ecs:DescribeServices", err, func(f *facts.Facts) {
			f.Service = svc
			f.Target.Service = svc.Name
			f.Target.ClusterARN = svc.ClusterARN
		})
	})
	listed := func(status ecstypes.DesiredStatus) *future[[]string] {
		return spawn(func() ([]string, error) {
			name, err := serviceName.get(ctx)
			if err != nil {
				return nil, err
			}
			return st.listTaskARNs(ctx, cluster, lastSegment(name), status)
		})
	}
	stopped, running := listed(ecstypes.DesiredStatusStopped), listed(ecstypes.DesiredStatusRunning)
	account := spawn(func() (*accountPolicies, error) { return st.listAccountPolicies(ctx) })
	part(func() {
		pl, err := st.fetchS3PrefixList(ctx)
		st.settle(facts.KeyPrefixLists, "ec2:DescribeManagedPrefixLists", err, func(f *facts.Facts) { f.Network.PrefixLists = pl })
	})

	// Wave 2: the tasks, the task definition, the service's subnets.
	tasks := spawn(func() ([]facts.Task, error) {
		return st.gatherTasks(ctx, cluster, named, serviceName, service, stopped, running)
	})
	// chosen is the task the per-task steps look at, picked once here.
	chosen := spawn(func() (*facts.Task, error) {
		ts, err := tasks.get(ctx)
		if err != nil {
			return nil, st.upstream("ecs:DescribeTasks", err)
		}
		arn := facts.ChooseTask(ts, req.Task)
		for i := range ts {
			if ts[i].ARN == arn {
				return &ts[i], nil
			}
		}
		return nil, errSkipped
	})
	part(func() {
		ts, err := tasks.get(ctx)
		t, _ := chosen.get(ctx)
		st.settle(facts.KeyTasks, "ecs:DescribeTasks", err, func(f *facts.Facts) {
			f.Tasks = ts
			if t != nil {
				f.ChosenTaskARN = t.ARN
			}
		})
	})
	td := spawn(func() (*facts.TaskDefinition, error) {
		arn := ""
		if t, err := named.get(ctx); err == nil && t != nil {
			arn = t.TaskDefinitionARN
		} else if svc, err := service.get(ctx); err == nil {
			arn = svc.TaskDefinition
		} else {
			return nil, st.upstream("ecs:DescribeServices", err)
		}
		out, err := st.fetchTaskDefinition(ctx, arn)
		return out, st.upstream("ecs:DescribeTaskDefinition", err)
	})
	part(func() {
		t, err := td.get(ctx)
		st.settle(facts.KeyTaskDefinition, "ecs:DescribeTaskDefinition", err, func(f *facts.Facts) { f.TaskDefinition = t })
	})
	vpcID := spawn(func() (string, error) { return st.resolveVPC(ctx, service, named) })
	st.gatherNetwork(ctx, part, vpcID, chosen)
	st.gatherIAM(ctx, part, td, account)
	st.gatherReferences(ctx, part, td, chosen)
}

// resolveNamedTask describes the task named with --task; an unknown task is
// bad input.
func (st *gathering) resolveNamedTask(ctx context.Context, cluster string) (*facts.Task, error) {
	if st.req.Task == "" {
		return nil, nil
	}
	ts, missing, err := st.describeTasks(ctx, cluster, []string{st.req.Task})
	if err != nil {
		if ErrorCode(err) == "ClusterNotFoundException" {
			err = &InputError{Message: fmt.Sprintf("unknown cluster %q in %s", cluster, st.g.R.Region)}
			st.stop(err)
		}
		return nil, err
	}
	if len(ts) == 0 || len(missing) > 0 {
		err := &InputError{Message: fmt.Sprintf("unknown task %q in cluster %q: ECS keeps stopped tasks for about an hour; list them with `aws ecs list-tasks --cluster %s --desired-status STOPPED`", st.req.Task, cluster, cluster)}
		st.stop(err)
		return nil, err
	}
	return &ts[0], nil
}

// gatherTasks describes the service's stopped and running tasks (and the
// named one), keeping only tasks the service started.
func (st *gathering) gatherTasks(ctx context.Context, cluster string, named *future[*facts.Task], serviceName *future[string], service *future[*facts.Service], stopped, running *future[[]string]) ([]facts.Task, error) {
	nt, err := named.get(ctx)
	if err != nil {
		return nil, err
	}
	name, err := serviceName.get(ctx)
	if err != nil {
		if nt != nil {
			return []facts.Task{*nt}, nil
		}
		return nil, err
	}
	a, err := stopped.get(ctx)
	if err != nil {
		return nil, err
	}
	b, err := running.get(ctx)
	if err != nil {
		return nil, err
	}
	all, _, err := st.describeTasks(ctx, cluster, append(a, b...))
	if err != nil {
		return nil, err
	}
	var deployments []string
	if svc, err := service.get(ctx); err == nil {
		for _, d := range svc.Deployments {
			deployments = append(deployments, d.ID)
		}
	}
	var out []facts.Task
	for _, t := range serviceTasks(all, lastSegment(name), deployments) {
		if nt == nil || t.ARN != nt.ARN {
			out = append(out, t)
		}
	}
	if nt != nil {
		out = append([]facts.Task{*nt}, out...)
	}
	return out, nil
}

// resolveVPC finds the VPC from the subnets the service (or the named task)
// runs in.
func (st *gathering) resolveVPC(ctx context.Context, service *future[*facts.Service], named *future[*facts.Task]) (string, error) {
	var subnets []string
	if svc, err := service.get(ctx); err == nil {
		if nc := svc.PrimaryNetwork(); nc != nil {
			subnets = append(subnets, nc.Subnets...)
		}
	}
	if t, err := named.get(ctx); err == nil && t != nil && t.ENI != nil {
		subnets = append(subnets, t.ENI.SubnetID)
	}
	if len(subnets) == 0 {
		if _, err := service.get(ctx); err != nil {
			return "", st.upstream("ecs:DescribeServices", err)
		}
		return "", errSkipped // not awsvpc: no task network to evaluate
	}
	sn, err := st.fetchSubnetsByID(ctx, dedupe(subnets))
	if err != nil {
		return "", st.upstream("ec2:DescribeSubnets", err)
	}
	for _, s := range sn {
		if s.VPCID != "" {
			return s.VPCID, nil
		}
	}
	return "", &upstreamError{fe: &facts.FetchError{Operation: "ec2:DescribeSubnets", Code: "NotFound", Message: "none of the service's subnets could be found"}}
}
