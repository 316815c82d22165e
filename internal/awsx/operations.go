package awsx

import (
	"context"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
)

// iamPrefix maps the SDK's service ids to the prefixes IAM uses in action
// names, so that every message and every approval speaks IAM's language
// ("ec2:CreateVpcEndpoint"), the one a user puts in a policy.
var iamPrefix = map[string]string{
	"EC2":                         "ec2",
	"ECS":                         "ecs",
	"IAM":                         "iam",
	"CloudWatch Logs":             "logs",
	"Secrets Manager":             "secretsmanager",
	"SSM":                         "ssm",
	"KMS":                         "kms",
	"ECR":                         "ecr",
	"STS":                         "sts",
	"RDS":                         "rds",
	"Elastic Load Balancing v2":   "elasticloadbalancing",
	"ServiceDiscovery":            "servicediscovery",
	"Resource Groups Tagging API": "tag",
}

// OperationName is the IAM action name of the call in flight, e.g.
// "ec2:DescribeVpcEndpoints".
func OperationName(ctx context.Context) string {
	svc := awsmiddleware.GetServiceID(ctx)
	prefix, ok := iamPrefix[svc]
	if !ok {
		prefix = strings.ToLower(strings.ReplaceAll(svc, " ", ""))
	}
	return prefix + ":" + awsmiddleware.GetOperationName(ctx)
}

// readOnlyVerbs are the operation prefixes that never change anything.
var readOnlyVerbs = []string{"Describe", "List", "Get", "Simulate", "Lookup"}

// valueReaders are read-only by name but hand back secret material; the
// diagnosis must never see a secret, so no approval unlocks them.
var valueReaders = map[string]bool{
	"secretsmanager:GetSecretValue":      true,
	"secretsmanager:BatchGetSecretValue": true,
	"ssm:GetParameter":                   true,
	"ssm:GetParameters":                  true,
	"ssm:GetParametersByPath":            true,
	"ssm:GetParameterHistory":            true,
	"ecr:GetAuthorizationToken":          true,
	"kms:Decrypt":                        true,
}

// IsReadOnly reports whether an operation (IAM action name) only reads.
func IsReadOnly(op string) bool {
	if valueReaders[op] {
		return false
	}
	_, name, ok := strings.Cut(op, ":")
	if !ok {
		return false
	}
	for _, v := range readOnlyVerbs {
		if strings.HasPrefix(name, v) {
			return true
		}
	}
	return false
}

// IsSecretReader reports whether an operation returns secret values.
func IsSecretReader(op string) bool { return valueReaders[op] }
