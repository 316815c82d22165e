package kb

// Resource initialisation: before any container starts, ECS fetches secrets
// and parameters, validates the log configuration, mounts volumes and
// downloads environment files, all with the task execution role and over the
// task's own network interface.
var stopInitPatterns = []pattern{
	{
		name: "asm-connection-issue",
		id:   IDStopSecretsNetwork,
		any:  []string{"connection issue between the task and aws secrets manager", "unable to retrieve secret from asm"},
		re: rx(`connection issue between the task and aws secrets manager|` +
			`unable to retrieve secret from asm.*(timeout|timed out|deadline exceeded|canceled|send request failed|requesterror|dial tcp|connection)`),
		fixed:     map[string]string{"service": "secretsmanager"},
		overrides: []string{IDStopRegistryAuthNetwork, IDStopImagePullNetwork},
		title:     "Cannot reach Secrets Manager",
		explanation: "The task definition injects a Secrets Manager secret, and ECS could not connect to Secrets Manager from the task's subnets to read it, so the task never started. " +
			"In a private subnet that needs a secretsmanager interface endpoint (with private DNS, and a security group that allows inbound 443 from the task) or a NAT gateway.",
		next: "Check for a com.amazonaws.<region>.secretsmanager endpoint in the task subnets' VPC, its security group's inbound 443 rule, and the task security group's outbound 443.",
		ref:  "seed 002 challenge 1; resource-initialization-error.html",
	},
	{
		name: "ssm-connection-issue",
		id:   IDStopSecretsNetwork,
		any: []string{"cannot pull secrets from aws systems manager", "connection issue between the task and aws systems manager",
			"unable to retrieve secrets from ssm"},
		re: rx(`cannot pull secrets from aws systems manager|connection issue between the task and aws systems manager|` +
			`unable to retrieve secrets from ssm.*(timeout|timed out|deadline exceeded|canceled|send request failed|requesterror|dial tcp|connection)`),
		fixed:     map[string]string{"service": "ssm"},
		overrides: []string{IDStopRegistryAuthNetwork, IDStopImagePullNetwork},
		title:     "Cannot reach SSM Parameter Store",
		explanation: "The task definition injects an SSM Parameter Store parameter, and ECS could not connect to SSM from the task's subnets to read it. " +
			"In a private subnet that needs an ssm interface endpoint (with private DNS, and a security group that allows inbound 443 from the task) or a NAT gateway.",
		next: "Check for a com.amazonaws.<region>.ssm endpoint in the task subnets' VPC, its security group's inbound 443 rule, and the task security group's outbound 443.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:      "secrets-not-authorized",
		id:        IDStopSecretsAccessDenied,
		any:       []string{"not authorized to perform"},
		re:        rx(`not authorized to perform:? (secretsmanager|ssm|kms):`),
		attrs:     actionAttrs,
		overrides: []string{IDStopSecretsNetwork},
		title:     "Execution role may not read the secret",
		explanation: "The network path worked, but IAM refused: the task execution role has no policy allowing this action on the secret or parameter. " +
			"A common cause is a policy that was created but never attached to the role; a customer managed KMS key also needs kms:Decrypt.",
		next: "Attach a policy to the execution role allowing the named action on the exact secret or parameter ARN (aws iam list-attached-role-policies shows what is attached).",
		ref:  "seed 002 challenge 3; resource-initialization-error.html",
	},
	{
		name:      "kms-access-not-allowed",
		id:        IDStopSecretsAccessDenied,
		any:       []string{"access to kms is not allowed", "ciphertext refers to a customer master key"},
		fixed:     map[string]string{"action": "kms:Decrypt"},
		overrides: []string{IDStopSecretsNetwork},
		title:     "Execution role may not decrypt the secret",
		explanation: "The secret is encrypted with a customer managed KMS key and the execution role may not use that key to decrypt it. " +
			"Both the role's IAM policy and the key policy must allow kms:Decrypt.",
		next: "Grant kms:Decrypt on the key ARN to the execution role and check the key policy allows the account's IAM policies.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:      "asm-secret-not-found",
		id:        IDStopSecretNotFound,
		any:       []string{"can't retrieve the secret with arn", "cannot retrieve the secret with arn", "can't find the specified secret", "resourcenotfoundexception"},
		re:        rx(`retrieve the secret with arn|can't find the specified secret|resourcenotfoundexception.*secret`),
		overrides: []string{IDStopSecretsNetwork},
		title:     "Secret does not exist",
		explanation: "Secrets Manager has no secret with the ARN the task definition names, in that region. " +
			"The ARN is mistyped, points at another region or account, is missing the random 6-character suffix, or the secret was deleted.",
		next: "Compare the secret ARN in the task definition with aws secretsmanager describe-secret --secret-id <arn> in the task's region.",
		ref:  "resource-not-found-error.html",
	},
	{
		name:        "asm-json-key-missing",
		id:          IDStopSecretNotFound,
		any:         []string{"did not contain json key"},
		overrides:   []string{IDStopSecretsNetwork},
		title:       "Secret has no such JSON key",
		explanation: "The secret exists, but the valueFrom in the task definition asks for a JSON key the secret's value does not contain.",
		next:        "Check the key name after the secret ARN in valueFrom (arn:...:secret:name:KEY::) against the keys stored in the secret.",
		ref:         "resource-initialization-error.html",
	},
	{
		name:      "ssm-invalid-parameters",
		id:        IDStopSecretNotFound,
		any:       []string{"invalid parameters", "invalid ssm parameters", "parameternotfound"},
		re:        rx(`(ssm|parameter).*(invalid (ssm )?parameters|parameternotfound)|parameternotfound`),
		overrides: []string{IDStopSecretsNetwork},
		title:     "SSM parameter does not exist",
		explanation: "SSM Parameter Store has no parameter with the name or ARN the task definition names, in that region. " +
			"Parameter names are case-sensitive and must match exactly, including the leading slash.",
		next: "Compare valueFrom in the task definition with aws ssm get-parameters --names <name> in the task's region.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:  "logger-args-invalid",
		id:    IDStopLogsInit,
		any:   []string{"failed to validate logger args", "cannot find the amazon cloudwatch log group"},
		attrs: actionAttrs,
		title: "Log group missing or CloudWatch Logs unreachable",
		explanation: "Before starting the container, ECS checks the awslogs log group and creates a log stream in it. " +
			"Either the log group named in the task definition does not exist, or the task's subnets cannot reach CloudWatch Logs (no logs interface endpoint or NAT), or the execution role may not write to it.",
		next: "Check the log group exists in the task's region, that the subnets have a logs endpoint or NAT route, and that the execution role allows logs:CreateLogStream and logs:PutLogEvents.",
		ref:  "seed 002 challenge 2; resource-initialization-error.html",
	},
	{
		name:  "logging-driver-init",
		id:    IDStopLogsInit,
		any:   []string{"failed to initialize logging driver", "failed to create cloudwatch log stream", "specified log group does not exist"},
		attrs: actionAttrs,
		title: "Logging driver could not start",
		explanation: "The awslogs log driver could not create its log stream, so the container was never started. " +
			"Usually the log group does not exist (and awslogs-create-group is not set), or the role lacks logs:CreateLogStream.",
		next: "Create the log group named in the task definition's logConfiguration, or set awslogs-create-group to true and allow logs:CreateLogGroup.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:  "efs-utils-failed",
		id:    IDStopEFSMount,
		any:   []string{"failed to invoke efs utils", "efs utils command", "mount.nfs4"},
		title: "EFS volume could not be mounted",
		explanation: "ECS could not mount the EFS file system the task definition names. " +
			"Common causes: no mount target in the task's Availability Zone, the mount target's security group does not allow NFS (TCP 2049) from the task, or the access point, IAM authorization or path is wrong.",
		next: "Check the file system has a mount target in every task subnet's AZ and that its security group allows inbound TCP 2049 from the task security group.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:  "efs-dns-resolve",
		id:    IDStopEFSMount,
		any:   []string{"failed to resolve"},
		re:    rx(`failed to resolve "?fs-[0-9a-f]+\.efs\.`),
		title: "EFS file system name does not resolve",
		explanation: "The task could not resolve the EFS file system's DNS name. " +
			"Either there is no mount target in the task's Availability Zone yet, or the VPC has DNS resolution or DNS hostnames turned off.",
		next: "Check the file system id, its mount targets per AZ, and that enableDnsSupport and enableDnsHostnames are on for the VPC.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:  "env-files-download",
		id:    IDStopEnvFiles,
		any:   []string{"failed to download env files"},
		attrs: actionAttrs,
		title: "Environment files could not be downloaded",
		explanation: "The task definition lists environmentFiles in S3 and ECS could not fetch them. " +
			"The execution role needs s3:GetObject on each file (and s3:GetBucketLocation on the bucket), the subnets need a path to S3, and the value must be a full S3 object ARN.",
		next: "Check the environmentFiles ARNs exist, the execution role's S3 permissions, and the S3 gateway endpoint or NAT route.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:     "secrets-or-registry-auth",
		id:       IDStopResourceInit,
		any:      []string{"unable to pull secrets or registry auth"},
		fallback: true,
		title:    "Could not fetch secrets or the registry login",
		explanation: "Before starting containers, ECS fetches the ECR login token and any secrets or parameters, and one of those calls failed. " +
			"Usually the task's subnets cannot reach ECR, Secrets Manager or SSM (missing endpoint, endpoint security group, NAT), less often the execution role lacks permission.",
		next: "Check the endpoints (ecr.api, ecr.dkr, s3, secretsmanager, ssm) or NAT route for the task subnets, their security groups on 443, and the execution role's permissions.",
		ref:  "seed 002 challenge 5; resource-initialization-error.html",
	},
	{
		name:     "resource-initialization",
		id:       IDStopResourceInit,
		any:      []string{"resourceinitializationerror"},
		fallback: true,
		title:    "Task resources could not be prepared",
		explanation: "ECS failed while preparing what the task needs before its containers start (secrets, registry login, logs, volumes). " +
			"Any of these can fail because the VPC has DNS resolution disabled, the subnets have no path to the AWS service, or the execution role lacks permission.",
		next: "Read the rest of the message for the resource involved, then check the VPC's DNS settings, the subnets' endpoints or NAT, and the execution role.",
		ref:  "resource-initialization-error.html",
	},
}
