package facts

import (
	"regexp"
	"strings"
)

// Parsing of the AWS identifiers a task definition names. Both the gatherer
// (to know what to fetch) and the checks (to know what the task needs) use
// these, so they live with the facts.

var ecrHost = regexp.MustCompile(`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$`)

// ParseImage splits an image reference into registry, repository, tag and
// digest, and recognises private ECR registries.
func ParseImage(ref string) Image {
	img := Image{Ref: ref}
	rest := ref
	if i := strings.Index(rest, "@"); i >= 0 {
		img.Digest = rest[i+1:]
		rest = rest[:i]
	}
	// The registry is the first path element when it looks like a host.
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			img.Registry = first
			rest = rest[i+1:]
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		img.Tag = rest[i+1:]
		rest = rest[:i]
	}
	img.Repository = rest
	if img.Tag == "" && img.Digest == "" {
		img.Tag = "latest"
	}
	if m := ecrHost.FindStringSubmatch(img.Registry); m != nil {
		img.ECR = true
		img.RegistryID = m[1]
		img.Region = m[2]
	}
	return img
}

// ECRRepositoryARN is the IAM resource of an ECR image's repository.
func (img Image) ECRRepositoryARN() string {
	return "arn:" + partitionOf(img.Region) + ":ecr:" + img.Region + ":" + img.RegistryID + ":repository/" + img.Repository
}

// RefKind says where a container secret's valueFrom points.
type RefKind int

const (
	RefParameter RefKind = iota // SSM Parameter Store (an ARN, or a name in the task's region)
	RefSecret                   // Secrets Manager (an ARN)
)

// ClassifyValueFrom tells a Secrets Manager reference from an SSM one.
// ECS accepts a bare name only for SSM parameters.
func ClassifyValueFrom(valueFrom string) RefKind {
	if strings.HasPrefix(valueFrom, "arn:") && strings.Contains(valueFrom, ":secretsmanager:") {
		return RefSecret
	}
	return RefParameter
}

// SecretID strips the JSON key, version stage and version id a Secrets
// Manager valueFrom may carry after the secret ARN
// (arn:aws:secretsmanager:r:a:secret:NAME:json-key:stage:id).
func SecretID(valueFrom string) string {
	parts := strings.Split(valueFrom, ":")
	if len(parts) > 7 {
		return strings.Join(parts[:7], ":")
	}
	return valueFrom
}

// ParameterName returns the parameter name a valueFrom refers to. An ARN's
// resource "parameter/a/b" is the hierarchical name "/a/b"; "parameter/x" is
// "x" (AWS writes both "x" and "/x" that way, see ParameterNameCandidates).
func ParameterName(valueFrom string) string {
	if !strings.HasPrefix(valueFrom, "arn:") {
		return valueFrom
	}
	_, res, ok := strings.Cut(valueFrom, ":parameter")
	if !ok {
		return valueFrom
	}
	res = strings.TrimPrefix(res, "/")
	if strings.Contains(res, "/") {
		return "/" + res
	}
	return res
}

// ParameterNameCandidates lists the names a reference may mean.
func ParameterNameCandidates(valueFrom string) []string {
	n := ParameterName(valueFrom)
	if strings.HasPrefix(valueFrom, "arn:") && !strings.HasPrefix(n, "/") {
		return []string{n, "/" + n}
	}
	return []string{n}
}

// ParameterARN is the IAM resource of a parameter.
func ParameterARN(region, account, name string) string {
	return "arn:" + partitionOf(region) + ":ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(name, "/")
}

// ARNRegion returns the region field of an ARN, or "".
func ARNRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

// ARNAccount returns the account field of an ARN, or "".
func ARNAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// Partition returns the ARN partition of a region.
func Partition(region string) string { return partitionOf(region) }

var rdsHost = regexp.MustCompile(`(?i)\b([a-z][a-z0-9-]{0,62})\.(cluster-(?:ro-)?)?([a-z0-9]+)\.([a-z]{2}(?:-[a-z]+)+-\d)\.rds\.amazonaws\.com(?:\.cn)?\b(?::(\d+))?`)

// DatabaseRef is an RDS endpoint named in a container's environment.
type DatabaseRef struct {
	Host      string
	ID        string // instance or cluster identifier
	Cluster   bool
	Port      int32 // from the text, 0 when not given
	Container string
	Variable  string
}

// DatabaseRefs finds RDS endpoints in the environment of the containers.
func DatabaseRefs(td *TaskDefinition) []DatabaseRef {
	if td == nil {
		return nil
	}
	var out []DatabaseRef
	seen := map[string]bool{}
	for _, c := range td.Containers {
		for _, kv := range c.Environment {
			for _, m := range rdsHost.FindAllStringSubmatch(kv.Value, -1) {
				host := strings.ToLower(strings.TrimSuffix(m[0], ":"+m[5]))
				if seen[host] {
					continue
				}
				seen[host] = true
				ref := DatabaseRef{Host: host, ID: strings.ToLower(m[1]), Cluster: m[2] != "", Container: c.Name, Variable: kv.Name}
				if m[5] != "" {
					var p int32
					for _, d := range m[5] {
						p = p*10 + int32(d-'0')
					}
					ref.Port = p
				}
				out = append(out, ref)
			}
		}
	}
	return out
}

// LogStreamName is the awslogs stream of a container of a task:
// prefix/container/task-id. Empty when the driver is not awslogs or no
// prefix is set (then ECS names streams after the container id, which the
// diagnosis cannot know).
func LogStreamName(c ContainerDefinition, taskID string) string {
	if c.Log == nil || c.Log.Driver != "awslogs" {
		return ""
	}
	prefix := c.Log.Options["awslogs-stream-prefix"]
	if prefix == "" || taskID == "" {
		return ""
	}
	return prefix + "/" + c.Name + "/" + taskID
}
