package workflow

import (
	"strings"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Need is one AWS service the task must reach at start-up, and why.
type Need struct {
	Service string // short endpoint name: ecr.api, ecr.dkr, s3, logs, secretsmanager, ssm; "internet" for other registries
	Why     string // "pull image 123.dkr.ecr...", "send logs to /ecs/app", ...
}

// serviceTitles are the names users know the services by.
var serviceTitles = map[string]string{
	"ecr.api":        "ECR API",
	"ecr.dkr":        "ECR Docker registry",
	"s3":             "S3 (ECR image layers)",
	"logs":           "CloudWatch Logs",
	"secretsmanager": "Secrets Manager",
	"ssm":            "SSM Parameter Store",
	"kms":            "KMS",
	"internet":       "the internet",
}

// ServiceTitle is the display name of a short service name.
func ServiceTitle(s string) string {
	if t, ok := serviceTitles[s]; ok {
		return t
	}
	return s
}

// RequiredServices derives from the task definition which AWS services the
// task must reach over the network before its containers can start. The
// order is the order in which ECS needs them.
func RequiredServices(td *facts.TaskDefinition, region string) []Need {
	if td == nil {
		return nil
	}
	var needs []Need
	seen := map[string]bool{}
	add := func(svc, why string) {
		if !seen[svc] {
			seen[svc] = true
			needs = append(needs, Need{Service: svc, Why: why})
		}
	}
	for _, c := range td.Containers {
		img := facts.ParseImage(c.Image)
		switch {
		case img.ECR && img.Region == region:
			// Authentication goes to the ECR API, the manifest to the
			// registry endpoint, and the layers come from S3.
			add("ecr.api", "authenticate to ECR for "+c.Image)
			add("ecr.dkr", "pull the image manifest of "+c.Image)
			add("s3", "download the image layers of "+c.Image+" (ECR stores them in S3)")
		case c.Image != "":
			add("internet", "pull "+c.Image+" from "+registryName(img))
		}
		if c.RepositoryCredentials != "" {
			add("secretsmanager", "read the registry credentials of "+c.Name)
		}
	}
	for _, c := range td.Containers {
		for _, s := range c.Secrets {
			if facts.ClassifyValueFrom(s.ValueFrom) == facts.RefSecret {
				add("secretsmanager", "read secret "+s.Name+" of "+c.Name)
			} else {
				add("ssm", "read parameter "+s.Name+" of "+c.Name)
			}
		}
		if len(c.EnvironmentFiles) > 0 {
			add("s3", "download the environment files of "+c.Name)
		}
		if c.Log != nil && c.Log.Driver == "awslogs" {
			if r := c.Log.Options["awslogs-region"]; r != "" && !strings.EqualFold(r, region) {
				// The VPC's logs endpoint serves its own region only.
				add("internet", "send "+c.Name+"'s logs to "+c.Log.Options["awslogs-group"]+" in "+r)
			} else {
				add("logs", "send "+c.Name+"'s logs to "+c.Log.Options["awslogs-group"])
			}
		}
	}
	return needs
}

func registryName(img facts.Image) string {
	if img.Registry == "" {
		return "Docker Hub"
	}
	return img.Registry
}

// NeedsExecutionRole reports whether ECS needs an execution role to start
// the task: for private ECR images, awslogs, secrets and registry credentials.
func NeedsExecutionRole(td *facts.TaskDefinition, region string) bool {
	return len(RequiredPermissions(&facts.Facts{TaskDefinition: td, Target: facts.Target{Region: region}})) > 0
}

// RequiredPermissions lists every action the execution role must allow, on
// the exact resource ECS will use. Resources the facts do not know yet
// (a secret's full ARN before DescribeSecret) use the reference as written.
func RequiredPermissions(f *facts.Facts) []facts.Permission {
	td := f.TaskDefinition
	if td == nil {
		return nil
	}
	region, account := f.Target.Region, accountOf(f)
	var out []facts.Permission
	seen := map[facts.Permission]bool{}
	add := func(action, resource string) {
		p := facts.Permission{Action: action, Resource: resource}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	secret := func(ref string) {
		arn := facts.SecretID(ref)
		s := f.Secret(ref)
		if s != nil && s.ARN != "" {
			arn = s.ARN
		}
		add("secretsmanager:GetSecretValue", arn)
		if s != nil && s.KMSKeyID != "" {
			if k := f.KMSKey(s.KMSKeyID); k != nil && k.Manager == "CUSTOMER" && k.ARN != "" {
				add("kms:Decrypt", k.ARN)
			}
		}
	}
	for _, c := range td.Containers {
		img := facts.ParseImage(c.Image)
		if img.ECR {
			add("ecr:GetAuthorizationToken", "*")
			for _, a := range []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"} {
				add(a, img.ECRRepositoryARN())
			}
		}
		if c.RepositoryCredentials != "" {
			secret(c.RepositoryCredentials)
		}
	}
	for _, c := range td.Containers {
		if c.Log != nil && c.Log.Driver == "awslogs" {
			groupARN := logGroupARN(f, c)
			if strings.EqualFold(c.Log.Options["awslogs-create-group"], "true") {
				add("logs:CreateLogGroup", groupARN)
			}
			stream := groupARN + ":log-stream:" + streamPattern(c, f.ChosenTask())
			add("logs:CreateLogStream", stream)
			add("logs:PutLogEvents", stream)
		}
		for _, s := range c.Secrets {
			if facts.ClassifyValueFrom(s.ValueFrom) == facts.RefSecret {
				secret(s.ValueFrom)
				continue
			}
			arn := s.ValueFrom
			p := f.Parameter(s.ValueFrom)
			if p != nil && p.ARN != "" {
				arn = p.ARN
			} else if !strings.HasPrefix(arn, "arn:") {
				arn = facts.ParameterARN(region, account, arn)
			}
			add("ssm:GetParameters", arn)
			if p != nil && p.Type == "SecureString" && p.KeyID != "" {
				if k := f.KMSKey(p.KeyID); k != nil && k.Manager == "CUSTOMER" && k.ARN != "" {
					add("kms:Decrypt", k.ARN)
				}
			}
		}
		for _, ef := range c.EnvironmentFiles {
			add("s3:GetObject", ef)
			if bucket := bucketARN(ef); bucket != "" {
				add("s3:GetBucketLocation", bucket)
			}
		}
	}
	return out
}

// logGroupARN is the ARN of the awslogs group a container writes to, in
// the awslogs-region it names (else the task's).
func logGroupARN(f *facts.Facts, c facts.ContainerDefinition) string {
	region := c.Log.Options["awslogs-region"]
	if region == "" {
		region = f.Target.Region
	}
	return "arn:" + facts.Partition(f.Target.Region) + ":logs:" + region + ":" + accountOf(f) + ":log-group:" + c.Log.Options["awslogs-group"]
}

// streamPattern is the log stream a container's task writes: prefix/name/id.
// The id is unknown ahead of time, so a representative one stands in; any
// policy that allows the prefix allows it.
func streamPattern(c facts.ContainerDefinition, task *facts.Task) string {
	prefix := ""
	if c.Log != nil {
		prefix = c.Log.Options["awslogs-stream-prefix"]
	}
	if prefix == "" {
		return noPrefixStream
	}
	id := sampleTaskID
	if task != nil && task.ID != "" {
		id = task.ID // the stream the diagnosed task really writes
	}
	return prefix + "/" + c.Name + "/" + id
}

// The stand-ins streamPattern uses for the unknown task id and, without a
// stream prefix, for the whole stream name (grantResource widens them).
const (
	sampleTaskID   = "0123456789abcdef0123456789abcdef"
	noPrefixStream = "ecs-task"
)

func bucketARN(objectARN string) string {
	// arn:aws:s3:::bucket/key
	rest, ok := strings.CutPrefix(objectARN, "arn:aws:s3:::")
	if !ok {
		return ""
	}
	b, _, _ := strings.Cut(rest, "/")
	return "arn:aws:s3:::" + b
}

func accountOf(f *facts.Facts) string {
	if f.Target.Account != "" {
		return f.Target.Account
	}
	if f.Caller != nil {
		return f.Caller.Account
	}
	if f.TaskDefinition != nil {
		return facts.ARNAccount(f.TaskDefinition.ARN)
	}
	return ""
}
