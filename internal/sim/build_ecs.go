package sim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

func (a *Account) buildTaskDefinitions(w *world) error {
	for _, td := range w.sc.World.TaskDefinitions {
		def := ecstypes.TaskDefinition{
			Family:                  aws.String(w.qualify("family", td.Family)),
			NetworkMode:             ecstypes.NetworkMode(orDefault(td.NetworkMode, "awsvpc")),
			Cpu:                     aws.String(orDefault(td.CPU, "256")),
			Memory:                  aws.String(orDefault(td.Memory, "512")),
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.Compatibility(orDefault(td.LaunchType, "FARGATE"))},
		}
		if td.ExecutionRole != "" {
			def.ExecutionRoleArn = aws.String(a.roleARN(w, td.ExecutionRole))
		}
		if td.TaskRole != "" {
			def.TaskRoleArn = aws.String(a.roleARN(w, td.TaskRole))
		}
		for _, c := range td.Containers {
			def.ContainerDefinitions = append(def.ContainerDefinitions, a.containerDefinition(w, c))
		}
		x := a.register(def)
		w.ids["taskdef:"+td.Family] = x.arn
	}
	return nil
}

// roleARN is the ARN of a role named in the scenario (a Name of its roles,
// or a role it lacks on purpose, or an ARN).
func (a *Account) roleARN(w *world, name string) string {
	if strings.HasPrefix(name, "arn:") {
		return name
	}
	if arn, ok := w.ids["role:"+name]; ok {
		return arn
	}
	return a.arn("iam", "", "role/"+w.qualify("role", name))
}

// containerDefinition converts the scenario's container, resolving
// placeholders and, in the demo account, the renamed repositories, log
// groups and parameters it refers to.
func (a *Account) containerDefinition(w *world, c facts.ContainerDefinition) ecstypes.ContainerDefinition {
	r := func(s string) string { return a.resolve(w, s) }
	d := ecstypes.ContainerDefinition{
		Name:       aws.String(c.Name),
		Image:      aws.String(a.demoImage(w, r(c.Image))),
		Essential:  aws.Bool(c.Essential),
		Cpu:        c.CPU,
		EntryPoint: c.EntryPoint,
		Command:    c.Command,
	}
	if c.Memory != 0 {
		d.Memory = aws.Int32(c.Memory)
	}
	if c.MemoryReservation != 0 {
		d.MemoryReservation = aws.Int32(c.MemoryReservation)
	}
	for _, e := range c.Environment {
		d.Environment = append(d.Environment, ecstypes.KeyValuePair{Name: aws.String(e.Name), Value: aws.String(r(e.Value))})
	}
	for _, f := range c.EnvironmentFiles {
		d.EnvironmentFiles = append(d.EnvironmentFiles, ecstypes.EnvironmentFile{Type: ecstypes.EnvironmentFileTypeS3, Value: aws.String(r(f))})
	}
	for _, s := range c.Secrets {
		from := r(s.ValueFrom)
		if !strings.HasPrefix(from, "arn:") {
			from = w.qualify("param", from)
		}
		d.Secrets = append(d.Secrets, ecstypes.Secret{Name: aws.String(s.Name), ValueFrom: aws.String(from)})
	}
	if c.RepositoryCredentials != "" {
		d.RepositoryCredentials = &ecstypes.RepositoryCredentials{CredentialsParameter: aws.String(r(c.RepositoryCredentials))}
	}
	if c.Log != nil {
		opts := map[string]string{}
		for k, v := range c.Log.Options {
			opts[k] = r(v)
		}
		if g, ok := opts["awslogs-group"]; ok {
			opts["awslogs-group"] = w.qualify("loggroup", g)
		}
		d.LogConfiguration = &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriver(c.Log.Driver), Options: opts}
	}
	if h := c.HealthCheck; h != nil {
		// ECS fills in its defaults when it registers a health check.
		d.HealthCheck = &ecstypes.HealthCheck{
			Command: h.Command, Interval: aws.Int32(orInt(h.Interval, 30)), Timeout: aws.Int32(orInt(h.Timeout, 5)),
			Retries: aws.Int32(orInt(h.Retries, 3)), StartPeriod: aws.Int32(h.StartPeriod),
		}
	}
	for _, p := range c.PortMappings {
		pm := ecstypes.PortMapping{ContainerPort: aws.Int32(p.ContainerPort), Protocol: ecstypes.TransportProtocol(orDefault(p.Protocol, "tcp"))}
		// On awsvpc the host port is the container port.
		pm.HostPort = aws.Int32(p.ContainerPort)
		d.PortMappings = append(d.PortMappings, pm)
	}
	return d
}

func orInt(v, def int32) int32 {
	if v == 0 {
		return def
	}
	return v
}

// demoImage points an image of the account's registry at its repository's
// name in the account.
func (a *Account) demoImage(w *world, ref string) string {
	img := facts.ParseImage(ref)
	if !img.ECR || img.RegistryID != a.account || img.Region != a.region {
		return ref
	}
	q := w.qualify("repo", img.Repository)
	if q == img.Repository {
		return ref
	}
	out := img.Registry + "/" + q
	if img.Tag != "" {
		out += ":" + img.Tag
	}
	if img.Digest != "" {
		out += "@" + img.Digest
	}
	return out
}

// register adds a revision of a family: the next number, whatever the
// previous ones' state, exactly as ECS numbers them.
func (a *Account) register(def ecstypes.TaskDefinition) *taskDef {
	family := aws.ToString(def.Family)
	var rev int32 = 1
	for _, x := range a.taskDefs.list() {
		if x.family == family && x.revision >= rev {
			rev = x.revision + 1
		}
	}
	arn := a.arn("ecs", a.region, fmt.Sprintf("task-definition/%s:%d", family, rev))
	def = deepCopy(def)
	def.Revision = rev
	def.TaskDefinitionArn = aws.String(arn)
	def.Status = ecstypes.TaskDefinitionStatusActive
	def.Compatibilities = []ecstypes.Compatibility{ecstypes.CompatibilityEc2, ecstypes.CompatibilityFargate}
	def.RequiresAttributes = requiredAttributes(def)
	def.RegisteredAt = aws.Time(a.clock)
	def.RegisteredBy = aws.String(a.callerARN())
	x := &taskDef{arn: arn, family: family, revision: rev, def: def}
	a.taskDefs.put(arn, x)
	return x
}

// requiredAttributes are the capabilities ECS records a task definition
// needs, derived from what it uses.
func requiredAttributes(def ecstypes.TaskDefinition) []ecstypes.Attribute {
	set := map[string]bool{"com.amazonaws.ecs.capability.docker-remote-api.1.18": true}
	if def.NetworkMode == ecstypes.NetworkModeAwsvpc {
		set["ecs.capability.task-eni"] = true
	}
	if def.TaskRoleArn != nil {
		set["com.amazonaws.ecs.capability.task-iam-role"] = true
	}
	for _, c := range def.ContainerDefinitions {
		if facts.ParseImage(aws.ToString(c.Image)).ECR {
			set["com.amazonaws.ecs.capability.ecr-auth"] = true
			if def.ExecutionRoleArn != nil {
				set["ecs.capability.execution-role-ecr-pull"] = true
			}
		}
		if lc := c.LogConfiguration; lc != nil && lc.LogDriver == ecstypes.LogDriverAwslogs {
			set["com.amazonaws.ecs.capability.logging-driver.awslogs"] = true
			set["ecs.capability.execution-role-awslogs"] = true
			set["com.amazonaws.ecs.capability.docker-remote-api.1.19"] = true
		}
		if len(c.Secrets) > 0 {
			set["ecs.capability.secrets.asm.environment-variables"] = true
			set["ecs.capability.secrets.ssm.environment-variables"] = true
		}
		if c.HealthCheck != nil {
			set["ecs.capability.container-health-check"] = true
			set["com.amazonaws.ecs.capability.docker-remote-api.1.24"] = true
		}
		if c.RepositoryCredentials != nil {
			set["com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager"] = true
		}
	}
	out := make([]ecstypes.Attribute, 0, len(set))
	for _, name := range sortedKeys(set) {
		out = append(out, ecstypes.Attribute{Name: aws.String(name)})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// buildServices creates the clusters and services. In the demo account all
// services go into one cluster and take their scenario's name.
func (a *Account) buildServices(w *world, clusterName string) error {
	first := true
	for _, c := range w.sc.World.Clusters {
		name := c.Name
		if clusterName != "" {
			name = clusterName
		}
		cl := a.clusters.get(name)
		if cl == nil {
			cl = &cluster{name: name, arn: a.arn("ecs", a.region, "cluster/"+name), created: a.clock}
			a.clusters.put(name, cl)
		}
		w.ids["cluster:"+c.Name] = cl.arn
		for _, s := range c.Services {
			svcName := s.Name
			if clusterName != "" {
				svcName = w.sc.Name
				if !first {
					svcName = w.sc.Name + "-" + s.Name
				}
			}
			first = false
			if cl.services.get(svcName) != nil {
				return fmt.Errorf("cluster %s already has a service %s", cl.name, svcName)
			}
			td, err := w.id("taskdef", s.TaskDefinition)
			if err != nil {
				return err
			}
			net, err := a.scenarioNetwork(w, s.Network)
			if err != nil {
				return fmt.Errorf("service %s: %w", s.Name, err)
			}
			svc := &service{
				owner: w, name: svcName, arn: a.arn("ecs", a.region, "service/"+cl.name+"/"+svcName), cluster: cl,
				desired: s.DesiredCount, launchType: orDefault(s.LaunchType, "FARGATE"), breaker: s.CircuitBreaker, rollback: s.CircuitBreaker,
			}
			cl.services.put(svcName, svc)
			w.services = append(w.services, svc)
			w.ids["service:"+s.Name] = svc.arn
			w.past = append(w.past, planPast(svc, s, td, net))
		}
	}
	return nil
}

func (a *Account) scenarioNetwork(w *world, n scenario.ServiceNetwork) (netConfig, error) {
	subnets, err := w.idList("subnet", n.Subnets)
	if err != nil {
		return netConfig{}, err
	}
	groups, err := w.idList("sg", n.SecurityGroups)
	if err != nil {
		return netConfig{}, err
	}
	return netConfig{subnets: subnets, groups: groups, publicIP: n.AssignPublicIP}, nil
}
