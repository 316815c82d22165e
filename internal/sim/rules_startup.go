package sim

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// The start-up rules: what the ECS agent does between PENDING and RUNNING,
// in its order, each step against the world as it is at that moment.
//
//	(b) before anything: ECS must be able to assume the task's roles
//	(c) registry auth: a path to ecr.api, and ecr:GetAuthorizationToken
//	(d) secrets: a path to Secrets Manager / SSM, permission, the secret
//	    itself, and kms:Decrypt for a customer managed key
//	(e) logs: a path to CloudWatch Logs, the log group (or permission to
//	    create it), logs:CreateLogStream
//	(f) image pull: a path to the registry (ecr.dkr) and, for ECR, to S3
//	    where the layers are; permission; the tag must exist
//
// (a), the network interface, happens in launchTask; (g) and (h), health
// checks and the application, in rules_app.go. The first rule that fails
// decides the stop reason, as it does in ECS.

// failure is how a task's start-up ends when a rule says no.
type failure struct {
	code         string        // the stop code
	reason       string        // the stoppedReason, as AWS words it
	onContainers bool          // CannotPullContainerError also shows on the containers
	takes        time.Duration // how long the step tries before the agent gives up
}

const (
	timeoutTakes = 30 * time.Second // a connection nothing answers
	pullTakes    = 60 * time.Second // a pull retries before it gives up
	quickTakes   = 5 * time.Second  // an answer, even a "no", comes fast
)

// needsExecutionRole: ECS uses the execution role to pull private ECR
// images, for awslogs and to fetch secrets.
func needsExecutionRole(def ecstypes.TaskDefinition) bool {
	for _, c := range def.ContainerDefinitions {
		if facts.ParseImage(aws.ToString(c.Image)).ECR || len(c.Secrets) > 0 || c.RepositoryCredentials != nil {
			return true
		}
		if c.LogConfiguration != nil && c.LogConfiguration.LogDriver == ecstypes.LogDriverAwslogs {
			return true
		}
	}
	return false
}

// unassumableRole is rule (b): the ARN of a role ECS cannot assume (it
// does not exist, or does not trust ecs-tasks.amazonaws.com), or "".
func (a *Account) unassumableRole(td *taskDef) string {
	check := func(arn string) bool {
		r := a.roleByARN(arn)
		return r != nil && trusts(r.trust, "ecs-tasks.amazonaws.com")
	}
	if arn := aws.ToString(td.def.ExecutionRoleArn); arn != "" && needsExecutionRole(td.def) && !check(arn) {
		return arn
	}
	if arn := aws.ToString(td.def.TaskRoleArn); arn != "" && !check(arn) {
		return arn
	}
	return ""
}

// starting is what the rules of one task need at hand.
type starting struct {
	t         *task
	net       taskNet
	role      string // execution role ARN, "" if none
	roleName  string
	principal string // the assumed-role ARN AWS names in AccessDenied messages
	requestID string
}

func (a *Account) startupFailure(t *task) *failure {
	s := &starting{t: t, role: aws.ToString(t.td.def.ExecutionRoleArn), requestID: a.uuid("request", t.id)}
	s.roleName = s.role[strings.LastIndexByte(s.role, '/')+1:]
	s.principal = assumedRole(a.account, s.roleName, t.id)
	s.net = taskNet{vpc: a.vpcs.get(t.subnet.vpc), subnet: t.subnet, ip: t.ip(), publicIP: t.eni.publicIP, groups: t.net.groups}
	// Secrets come before registry auth: when both are out of reach, AWS
	// reports the secret (seed 002, challenge 1: no endpoint at all, and the
	// stop reason names Secrets Manager, not ECR).
	for _, rule := range []func(*starting) *failure{a.ruleSecrets, a.ruleRegistryAuth, a.ruleLogs, a.rulePull} {
		if f := rule(s); f != nil {
			return f
		}
	}
	return nil
}

// may asks the simulator's IAM evaluator about the execution role.
func (a *Account) may(s *starting, action, resource string) string {
	r := a.roleByARN(s.role)
	if r == nil {
		return implicitDeny
	}
	d, _ := a.roleDecision(r, action, resource)
	return d
}

// (c) registry auth.
func (a *Account) ruleRegistryAuth(s *starting) *failure {
	if s.role == "" {
		return nil // no credentials at all: the pull says so (rulePull)
	}
	for _, c := range s.t.td.def.ContainerDefinitions {
		img := facts.ParseImage(aws.ToString(c.Image))
		if !img.ECR {
			continue
		}
		if p := a.reachECR(s.net, "ecr.api", img); !p.ok {
			return &failure{code: stopTaskFailedToStart, reason: msgRegistryAuthNetwork(img.Region, p.cause), takes: timeoutTakes}
		}
		if d := a.may(s, "ecr:GetAuthorizationToken", "*"); d != allowed {
			return &failure{code: stopTaskFailedToStart, reason: msgRegistryAuthDenied(s.principal, d, s.requestID), takes: quickTakes}
		}
		return nil // one token serves every ECR image of the task
	}
	return nil
}

// reachECR reaches the ECR endpoints of the image's region: through the
// VPC in the account's region, over the internet for another region.
func (a *Account) reachECR(tn taskNet, svc string, img facts.Image) netPath {
	if img.Region == a.region {
		return a.reachService(tn, svc)
	}
	host := "api.ecr." + img.Region + ".amazonaws.com"
	if svc == "ecr.dkr" {
		host = img.Registry
	}
	return a.reachInternet(tn, host, serviceIPs[svc])
}

// (d) secrets: registry credentials first, then the containers' secrets.
func (a *Account) ruleSecrets(s *starting) *failure {
	for _, c := range s.t.td.def.ContainerDefinitions {
		if rc := c.RepositoryCredentials; rc != nil {
			if f := a.secretRule(s, aws.ToString(rc.CredentialsParameter)); f != nil {
				return f
			}
		}
	}
	for _, c := range s.t.td.def.ContainerDefinitions {
		for _, sec := range c.Secrets {
			from := aws.ToString(sec.ValueFrom)
			var f *failure
			if facts.ClassifyValueFrom(from) == facts.RefSecret {
				f = a.secretRule(s, from)
			} else {
				f = a.parameterRule(s, from)
			}
			if f != nil {
				return f
			}
		}
	}
	return nil
}

func (a *Account) secretRule(s *starting, valueFrom string) *failure {
	id := facts.SecretID(valueFrom)
	if p := a.reachService(s.net, "secretsmanager"); !p.ok {
		return &failure{code: stopTaskFailedToStart, reason: msgSecretNetwork(id), takes: timeoutTakes}
	}
	sec := a.findSecret(id)
	resource := id
	if sec != nil {
		resource = sec.arn
	}
	if d := a.may(s, "secretsmanager:GetSecretValue", resource); d != allowed {
		return &failure{code: stopTaskFailedToStart, reason: msgSecretDenied(id, s.principal, d, s.requestID), takes: quickTakes}
	}
	if sec == nil {
		return &failure{code: stopTaskFailedToStart, reason: msgSecretNotFound(id, s.requestID), takes: quickTakes}
	}
	if sec.kmsKey != "" && a.may(s, "kms:Decrypt", sec.kmsKey) != allowed {
		return &failure{code: stopTaskFailedToStart, reason: msgSecretKMS(id, s.requestID), takes: quickTakes}
	}
	return nil
}

func (a *Account) parameterRule(s *starting, valueFrom string) *failure {
	if p := a.reachService(s.net, "ssm"); !p.ok {
		return &failure{code: stopTaskFailedToStart, reason: msgParameterNetwork(a.region, p.cause), takes: timeoutTakes}
	}
	prm := a.findParameter(valueFrom)
	resource := valueFrom
	if prm != nil {
		resource = prm.arn
	} else if !strings.HasPrefix(resource, "arn:") {
		resource = facts.ParameterARN(a.region, a.account, valueFrom)
	}
	if d := a.may(s, "ssm:GetParameters", resource); d != allowed {
		return &failure{code: stopTaskFailedToStart, reason: msgParameterDenied(resource, s.principal, d, s.requestID), takes: quickTakes}
	}
	if prm == nil {
		return &failure{code: stopTaskFailedToStart, reason: msgParameterMissing(facts.ParameterName(valueFrom)), takes: quickTakes}
	}
	if prm.typ == "SecureString" && prm.keyID != "" && !strings.HasPrefix(prm.keyID, "alias/aws/") {
		if k := a.findKey(prm.keyID); k != nil && k.manager == "CUSTOMER" && a.may(s, "kms:Decrypt", k.arn) != allowed {
			return &failure{code: stopTaskFailedToStart, reason: msgParameterKMS(s.requestID), takes: quickTakes}
		}
	}
	return nil
}

// (e) logs: the awslogs driver checks its group before the container runs.
func (a *Account) ruleLogs(s *starting) *failure {
	for _, c := range s.t.td.def.ContainerDefinitions {
		lc := c.LogConfiguration
		if lc == nil || lc.LogDriver != ecstypes.LogDriverAwslogs {
			continue
		}
		group := lc.Options["awslogs-group"]
		region := orDefault(lc.Options["awslogs-region"], a.region)
		var p netPath
		if region == a.region {
			p = a.reachService(s.net, "logs")
		} else {
			p = a.reachInternet(s.net, "logs."+region+".amazonaws.com", serviceIPs["logs"])
		}
		if !p.ok {
			return &failure{code: stopTaskFailedToStart, reason: msgLogsNetwork(), takes: timeoutTakes}
		}
		groupARN := "arn:" + a.partition() + ":logs:" + region + ":" + a.account + ":log-group:" + group
		if region != a.region || a.groups.get(group) == nil {
			if !strings.EqualFold(lc.Options["awslogs-create-group"], "true") || region != a.region {
				return &failure{code: stopTaskFailedToStart, reason: msgLogGroupMissing(), takes: quickTakes}
			}
			if d := a.may(s, "logs:CreateLogGroup", groupARN); d != allowed {
				return &failure{code: stopTaskFailedToStart, reason: msgLogsDenied("group", "logs:CreateLogGroup", groupARN, s.principal, d), takes: quickTakes}
			}
			// The driver creates the group, as AWS's does.
			a.groups.put(group, &logGroup{name: group, created: a.clock})
		}
		streamARN := groupARN + ":log-stream:" + streamName(c, s.t.id)
		if d := a.may(s, "logs:CreateLogStream", streamARN); d != allowed {
			return &failure{code: stopTaskFailedToStart, reason: msgLogsDenied("stream", "logs:CreateLogStream", streamARN, s.principal, d), takes: quickTakes}
		}
	}
	return nil
}

// streamName is the awslogs stream of a container: prefix/container/task-id.
func streamName(c ecstypes.ContainerDefinition, taskID string) string {
	prefix := ""
	if c.LogConfiguration != nil {
		prefix = c.LogConfiguration.Options["awslogs-stream-prefix"]
	}
	if prefix == "" {
		return aws.ToString(c.Name) + "/" + taskID
	}
	return prefix + "/" + aws.ToString(c.Name) + "/" + taskID
}

// (f) image pull.
func (a *Account) rulePull(s *starting) *failure {
	for _, c := range s.t.td.def.ContainerDefinitions {
		ref := aws.ToString(c.Image)
		img := facts.ParseImage(ref)
		if !img.ECR {
			if f := a.publicPull(s, img); f != nil {
				return f
			}
			continue
		}
		fail := func(reason string, takes time.Duration) *failure {
			return &failure{code: stopTaskFailedToStart, reason: reason, onContainers: true, takes: takes}
		}
		if s.role == "" {
			return fail(msgPullNoCredentials(ref), quickTakes)
		}
		version := img.Tag
		if img.Digest != "" {
			version = img.Digest
		}
		manifestURL := "https://" + img.Registry + "/v2/" + img.Repository + "/manifests/" + version
		if p := a.reachECR(s.net, "ecr.dkr", img); !p.ok {
			return fail(msgPullNetworkECR(ref, img.Registry+"/"+img.Repository, manifestURL, p.cause), pullTakes)
		}
		for _, action := range []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"} {
			if a.may(s, action, img.ECRRepositoryARN()) != allowed {
				return fail(msgPullDenied(ref, img.Registry, version), quickTakes)
			}
		}
		found := a.findImage(img)
		if found == nil {
			return fail(msgPullNotFound(ref), quickTakes)
		}
		// The manifest came through ecr.dkr; the layers come from S3.
		if img.Region == a.region {
			if p := a.reachService(s.net, "s3"); !p.ok {
				return fail(msgPullLayers(a.layerURL(found), p.cause), pullTakes)
			}
		}
	}
	return nil
}

// layerURL is where ECR keeps an image's layer: a bucket of its own in S3.
func (a *Account) layerURL(img *image) string {
	h := hashOf("layer", img.digest)
	x := func(from, n int) string {
		const hexdigits = "0123456789abcdef"
		out := make([]byte, n)
		for i := range out {
			out[i] = hexdigits[h[(from+i)%32]%16]
		}
		return string(out)
	}
	uuid := func(from int) string {
		return x(from, 8) + "-" + x(from+8, 4) + "-4" + x(from+12, 3) + "-a" + x(from+15, 3) + "-" + x(from+18, 12)
	}
	return "https://prod-" + a.region + "-starport-layer-bucket.s3." + a.region + ".amazonaws.com/" +
		x(0, 6) + "-" + a.account + "-" + uuid(2) + "/" + uuid(7)
}

// publicPull: images from other registries need the internet.
func (a *Account) publicPull(s *starting, img facts.Image) *failure {
	host, repo := img.Registry, img.Repository
	if host == "" || host == "docker.io" || host == "index.docker.io" {
		host = "registry-1.docker.io"
		if !strings.Contains(repo, "/") {
			repo = "library/" + repo
		}
	}
	version := img.Tag
	if img.Digest != "" {
		version = img.Digest
	}
	ref := img.Ref
	if img.Registry == "" {
		ref = "docker.io/" + repo + ":" + img.Tag
	}
	if p := a.reachInternet(s.net, host, publicIP("registry", host)); !p.ok {
		return &failure{code: stopTaskFailedToStart, onContainers: true, takes: pullTakes,
			reason: msgPullNetworkOther(ref, "https://"+host+"/v2/"+repo+"/manifests/"+version, p.cause)}
	}
	return nil
}
