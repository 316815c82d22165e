// Package motoworld builds a scenario's world in moto_server through the
// real AWS SDK clients, so that the product's gatherer can be tested against
// real wire traffic. Only what moto cannot produce (service events, rollout
// state, stop codes, container state) goes through the harness's injection
// API; everything else is an ordinary AWS call.
package motoworld

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
	"github.com/ecsdoctor/ecsdoctor/internal/testenv/moto"
)

// World is a built scenario: the ids AWS gave its resources.
type World struct {
	Account string
	Region  string
	// IDs maps "kind:name" to the id AWS assigned: vpc, subnet, igw, nat,
	// rtb, sg, acl, endpoint, taskdef (by family) hold ids or ARNs as their
	// APIs name them; policy, role, secret, param, kms (key), cluster,
	// service and task:<service>/<index> hold ARNs; db holds the endpoint
	// address; prefixlist:s3 the region's S3 managed prefix list, once a
	// rule has used it.
	IDs map[string]string
	// Now is the instant the history's "seconds ago" count back from.
	Now time.Time

	sc          *scenario.Scenario
	deployments map[string]string // service name -> PRIMARY deployment id
	tasks       map[string][]task // service name -> its history tasks
}

// task is a history task as RunTask created it.
type task struct {
	arn, id, ip string
}

// Build creates sc's world in srv (which the caller has reset) and replays
// its history. Times in the history count back from the moment of the call.
func Build(ctx context.Context, srv *moto.Server, sc *scenario.Scenario) (*World, error) {
	w := &World{
		Region:      sc.Region,
		IDs:         map[string]string{},
		Now:         time.Now().UTC(),
		sc:          sc,
		deployments: map[string]string{},
		tasks:       map[string][]task{},
	}
	b := &builder{w: w, sc: sc, srv: srv, c: newClients(srv.Config(sc.Region))}
	steps := []struct {
		name string
		run  func(context.Context) error
	}{
		{"account", b.account},
		{"vpcs", b.vpcs},
		{"subnets", b.subnets},
		{"internet gateways", b.internetGateways},
		{"NAT gateways", b.natGateways},
		{"route tables", b.routeTables},
		{"security groups", b.securityGroups},
		{"network ACLs", b.networkACLs},
		{"endpoints", b.endpoints},
		{"KMS keys", b.kmsKeys},
		{"secrets", b.secrets},
		{"parameters", b.parameters},
		{"log groups", b.logGroups},
		{"repositories", b.repositories},
		{"databases", b.databases},
		{"policies", b.policies},
		{"roles", b.roles},
		{"task definitions", b.taskDefinitions},
		{"clusters", b.clusters},
		{"history", b.history},
		// Last: moto's RunTask fails while DNS hostnames are off (moto.md).
		// The harness patches that too; a world must not rely on the patch.
		{"VPC DNS", b.vpcDNS},
	}
	for _, s := range steps {
		if err := s.run(ctx); err != nil {
			return nil, fmt.Errorf("motoworld: %s: %s: %w", sc.Name, s.name, err)
		}
	}
	return w, nil
}

// Resolve replaces the placeholders of scenario.go in s. Bare {{cluster}},
// {{service}} and {{deployment}} mean the first cluster, its first service
// and that service's deployment id; {{task}} and {{ip}} only resolve in a
// task's own strings (see resolveIn).
func (w *World) Resolve(s string) string {
	return w.resolveIn("", nil, s)
}

// resolveIn resolves s in the context of a service (for {{service}},
// {{deployment}} and {{task:N}}, the id of its Nth history task) and of
// one of its tasks (for {{task}} and {{ip}}).
func (w *World) resolveIn(service string, t *task, s string) string {
	if service == "" {
		service = w.firstService()
	}
	return scenario.Resolve(s, func(kind, name string) (string, bool) {
		switch {
		case kind == "account" && name == "":
			return w.Account, true
		case kind == "region" && name == "":
			return w.Region, true
		case kind == "ecr" && name == "":
			return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com", w.Account, w.Region), true
		case kind == "cluster" && name == "" && len(w.sc.World.Clusters) > 0:
			return w.sc.World.Clusters[0].Name, true
		case kind == "service" && name == "" && service != "":
			return service, true
		case kind == "deployment" && name == "":
			id, ok := w.deployments[service]
			return id, ok
		case kind == "task" && name == "" && t != nil:
			return t.id, true
		case kind == "ip" && name == "" && t != nil:
			return t.ip, true
		case kind == "task" && isIndex(name):
			i, _ := strconv.Atoi(name)
			if tasks := w.tasks[service]; i < len(tasks) {
				return tasks[i].id, true
			}
			return "", false
		}
		id, ok := w.IDs[kind+":"+name]
		return id, ok
	})
}

func (w *World) firstService() string {
	for _, c := range w.sc.World.Clusters {
		for _, s := range c.Services {
			return s.Name
		}
	}
	return ""
}

func isIndex(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
