package netpath

import "strings"

// serviceTitles are the names users know the services by.
var serviceTitles = map[string]string{
	"ecr.api":           "Amazon ECR API",
	"ecr.dkr":           "Amazon ECR Docker registry",
	"s3":                "Amazon S3",
	"logs":              "CloudWatch Logs",
	"secretsmanager":    "Secrets Manager",
	"ssm":               "SSM Parameter Store",
	"kms":               "AWS KMS",
	"sts":               "AWS STS",
	"ecs":               "Amazon ECS",
	"dynamodb":          "Amazon DynamoDB",
	"elasticfilesystem": "Amazon EFS",
}

// serviceTitle reads "CloudWatch Logs (logs)"; the short name is what
// endpoint service names and the catalogue's attrs use.
func serviceTitle(svc string) string {
	switch svc {
	case serviceInternet:
		return "the internet"
	case serviceDatabase:
		return "the database"
	}
	if t, ok := serviceTitles[svc]; ok {
		return t + " (" + svc + ")"
	}
	return svc
}

// isGatewayService reports whether the service can have a gateway endpoint.
func isGatewayService(svc string) bool { return svc == serviceS3 || svc == serviceDynamoDB }

// regionFromAZ derives the region from an availability zone name
// ("us-east-1a" -> "us-east-1"), for callers that pass no region.
func regionFromAZ(az string) string {
	r := strings.TrimRight(az, "abcdefghijklmnopqrstuvwxyz")
	if r == az || r == "" {
		return ""
	}
	return r
}

// normalizeService accepts a short name in any case, or a full endpoint
// service name ("com.amazonaws.us-east-1.logs").
func normalizeService(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, "com.amazonaws."); ok {
		if _, after, ok := strings.Cut(rest, "."); ok {
			return after
		}
	}
	return s
}

// endpointServiceName is the service name an endpoint for svc carries.
func (e *eval) endpointServiceName(svc string) string {
	region := e.region
	if region == "" {
		region = "<region>"
	}
	return "com.amazonaws." + region + "." + svc
}

// serviceMatches compares an endpoint's service name with the service,
// case-insensitively; with no region known, any region matches.
func (e *eval) serviceMatches(name, svc string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	if e.region != "" {
		return name == strings.ToLower("com.amazonaws."+e.region+"."+svc)
	}
	rest, ok := strings.CutPrefix(name, "com.amazonaws.")
	if !ok {
		return false
	}
	region, after, ok := strings.Cut(rest, ".")
	return ok && region != "" && after == svc
}

// defaultDNSName is the name the ECS agent and SDKs resolve for a service:
// the name an interface endpoint's private DNS takes over.
func (e *eval) defaultDNSName(svc string) string {
	region := e.region
	if region == "" {
		region = "<region>"
	}
	switch svc {
	case "ecr.api":
		return "api.ecr." + region + ".amazonaws.com"
	case "ecr.dkr":
		return "<account>.dkr.ecr." + region + ".amazonaws.com"
	}
	return svc + "." + region + ".amazonaws.com"
}
