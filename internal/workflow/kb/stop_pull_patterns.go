package kb

// Image pull failures (CannotPullContainerError and the Fargate wordings
// that replace it). The registry is reached twice: ECR's API for the login
// token and manifest, then S3 for the image layers, so a pull can fail on
// either path.
var stopPullPatterns = []pattern{
	{
		name:      "ecr-registry-auth-connection",
		id:        IDStopRegistryAuthNetwork,
		any:       []string{"cannot pull registry auth from amazon ecr"},
		overrides: []string{IDStopImagePullNetwork},
		title:     "Cannot reach ECR to get the registry login",
		explanation: "Before pulling the image, ECS asks the ECR API (api.ecr.<region>.amazonaws.com) for a login token on the task's behalf, and that call never got through. " +
			"Usually the task's subnets have no path to ECR (no ecr.api VPC endpoint, no NAT gateway route, no public IP with an internet gateway route), or the endpoint's security group does not allow inbound 443 from the task.",
		next: "Give the subnets a path to ECR: interface endpoints for ecr.api and ecr.dkr plus the S3 gateway endpoint, or a NAT gateway, or assignPublicIp=ENABLED in a public subnet.",
		ref:  "seed 000; resource-initialization-error.html",
	},
	{
		name:      "ecr-registry-auth-retrieval",
		id:        IDStopRegistryAuthNetwork,
		any:       []string{"unable to retrieve ecr registry auth"},
		re:        rx(`unable to retrieve ecr registry auth.*(timeout|timed out|retried|send request failed|requesterror|deadline exceeded|connection|canceled)`),
		overrides: []string{IDStopImagePullNetwork},
		title:     "Cannot reach ECR to get the registry login",
		explanation: "ECS tried several times to call the ECR API for a login token and every call timed out or failed to connect. " +
			"This is a network path problem from the task's subnets to api.ecr.<region>.amazonaws.com, not a permission problem.",
		next: "Check the subnets' route tables for a NAT gateway or internet gateway route, or an ecr.api interface endpoint whose security group allows inbound 443 from the task.",
		ref:  "resource-initialization-error.html",
	},
	{
		name:  "ecr-connection-issue",
		id:    IDStopImagePullNetwork,
		any:   []string{"connection issue between the task and amazon ecr"},
		title: "Cannot reach ECR to pull the image",
		explanation: "The task could not open a connection to Amazon ECR to download the image. " +
			"Private subnets need either VPC endpoints (ecr.api, ecr.dkr and the S3 gateway endpoint for the layers) or a NAT gateway; public subnets need assignPublicIp enabled.",
		next: "Check the task subnets' route tables and VPC endpoints, and that the task security group allows outbound 443.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:  "cannot-pull-check-network",
		id:    IDStopImagePullNetwork,
		any:   []string{"can't pull the image. check your network", "cannot pull the image. check your network"},
		title: "Cannot reach the registry to pull the image",
		explanation: "ECS could not connect to the image registry from the task's network. " +
			"For ECR this usually means the subnets lack endpoints for ecr.api, ecr.dkr and S3, or a NAT gateway, or a public IP.",
		next: "Check the task subnets' routes, VPC endpoints and the task security group's outbound 443 rule.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name: "pull-network-timeout",
		id:   IDStopImagePullNetwork,
		any: []string{"i/o timeout", "request canceled", "context canceled", "deadline exceeded",
			"tls handshake timeout", "connection refused", "connection reset", "no such host", "network is unreachable"},
		re: rx(`(cannotpullcontainer|pull image|pulling image|ref pull|failed to resolve ref|manifest has been retried|failed to do request).*` +
			`(i/o timeout|request canceled|context canceled|deadline exceeded|tls handshake timeout|connection refused|connection reset|no such host|network is unreachable)`),
		title: "Image pull timed out",
		explanation: "The image pull started but the connection to the registry never completed (timeout, cancelled request or refused connection). " +
			"There is no working route from the task's subnets to the registry, or a security group or network ACL drops the traffic.",
		next: "Check the subnets' default route (NAT or internet gateway) or the ECR and S3 endpoints, and the task security group's outbound 443.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:  "pull-s3-layer-status",
		id:    IDStopImagePullNetwork,
		any:   []string{"httpreaderseeker"},
		re:    rx(`httpreaderseeker.*(failed open|unexpected status)`),
		title: "Image layers could not be downloaded from S3",
		explanation: "ECR stores image layers in Amazon S3, and the layer download was refused or cut off. " +
			"In a private subnet this usually means the S3 gateway endpoint is missing, is not on the subnet's route table, or its policy blocks the ECR layer bucket.",
		next: "Check that the S3 gateway endpoint is associated with the task subnets' route tables and that the task security group allows outbound 443 to the S3 prefix list.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:  "pull-nil-pointer-panic",
		id:    IDStopImagePullNetwork,
		any:   []string{"pull command failed"},
		re:    rx(`pull command failed.*(panic|nil pointer)`),
		title: "Image pull crashed while reaching S3",
		explanation: "The pull process crashed, which AWS documents as a sign that the image layers in S3 could not be reached. " +
			"The task security group must allow outbound 443 to S3, and an S3 gateway endpoint needs a route in the subnet's route table.",
		next: "Check the S3 gateway endpoint's route table associations and the task security group's outbound rules.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:      "resolve-ref-not-found",
		id:        IDStopImageNotFound,
		any:       []string{"failed to resolve ref", "failed to resolve reference"},
		re:        rx(`failed to resolve (ref|reference) .*not found`),
		attrs:     imageAttrs,
		overrides: []string{IDStopImagePullDenied},
		title:     "Image tag or digest not found",
		explanation: "The registry answered, but it has no image with this tag or digest. " +
			"Usually the tag was never pushed, was pushed to another repository or region, or was deleted by a lifecycle policy.",
		next: "List the repository's tags (aws ecr describe-images) and compare them with the image in the task definition.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:      "manifest-unknown",
		id:        IDStopImageNotFound,
		any:       []string{"manifest unknown", "requested image not found"},
		attrs:     imageAttrs,
		overrides: []string{IDStopImagePullDenied},
		title:     "Image tag or digest not found",
		explanation: "The registry has the repository but no image with this tag or digest. " +
			"The tag was probably never pushed, or a lifecycle policy expired it.",
		next: "List the repository's tags (aws ecr describe-images) and fix the image reference in the task definition.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:      "repository-not-found",
		id:        IDStopImageNotFound,
		any:       []string{"does not exist in the registry", "repository not found", "name unknown"},
		re:        rx(`repository with name '[^']*' does not exist|repository not found|name unknown`),
		attrs:     imageAttrs,
		overrides: []string{IDStopImagePullDenied},
		title:     "Image repository does not exist",
		explanation: "The registry has no repository with this name in this account and region. " +
			"Usually a typo in the image URI, the wrong account id or region, or the repository was never created.",
		next: "Compare the image URI in the task definition with aws ecr describe-repositories in the same account and region.",
		ref:  "ecs-agent error_messages.go",
	},
	{
		name:      "ecr-not-authorized",
		id:        IDStopImagePullDenied,
		any:       []string{"not authorized to perform: ecr:", "not authorized to perform ecr:"},
		attrs:     imageActionAttrs,
		overrides: []string{IDStopRegistryAuthNetwork, IDStopImagePullNetwork},
		title:     "Execution role may not pull from ECR",
		explanation: "ECR refused the pull because the role ECS uses to pull (the task execution role on Fargate) lacks an ECR permission. " +
			"Pulling needs ecr:GetAuthorizationToken on * and ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer and ecr:BatchGetImage on the repository.",
		next: "Attach AmazonECSTaskExecutionRolePolicy to the execution role, or grant the named action, and check the repository policy does not deny it.",
		ref:  "ecs-agent error_messages.go",
	},
	{
		name:  "pull-access-denied",
		id:    IDStopImagePullDenied,
		any:   []string{"pull access denied", "requested access to the resource is denied"},
		attrs: imageAttrs,
		title: "Registry refused the image pull",
		explanation: "The registry denied access to the image. With ECR this most often means the repository does not exist (a typo in the URI) or the execution role cannot pull from it; " +
			"with a private Docker Hub image it means no repositoryCredentials were given.",
		next: "Check that the repository exists in the account and region of the image URI, and that the execution role has the ECR pull permissions.",
		ref:  "ecs-agent error_messages.go",
	},
	{
		name:        "cannot-pull-check-role",
		id:          IDStopImagePullDenied,
		any:         []string{"has permissions to pull images", "has the permissions to pull images"},
		attrs:       imageAttrs,
		title:       "Image missing or execution role may not pull it",
		explanation: "ECS could not pull the image and AWS points at two causes: the image does not exist, or the execution role lacks permission to pull from the registry.",
		next:        "Confirm the image and tag exist (aws ecr describe-images), then check the execution role for ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.",
		ref:         "task_cannot_pull_image.html; ecs-agent error_messages.go",
	},
	{
		name:      "image-platform-mismatch",
		id:        IDStopImagePlatform,
		any:       []string{"does not contain descriptor matching platform", "no matching manifest for"},
		attrs:     imageAttrs,
		overrides: []string{IDStopImageNotFound},
		title:     "Image built for another CPU architecture",
		explanation: "The image has no variant for the platform the task runs on, for example an arm64-only image (built on an Apple silicon Mac) on an x86_64 task. " +
			"The task's runtimePlatform and the image's architecture must agree.",
		next: "Rebuild with docker buildx build --platform linux/amd64 (or linux/arm64), or set runtimePlatform.cpuArchitecture to match the image.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:      "registry-rate-limit",
		id:        IDStopRateLimited,
		any:       []string{"toomanyrequests", "pull rate limit", "too many requests"},
		overrides: []string{IDStopImagePullNetwork},
		title:     "Registry rate limit reached",
		explanation: "The registry (usually Docker Hub, which limits anonymous and free pulls per IP) refused more pulls. " +
			"Tasks behind one NAT gateway share its IP, so they share the limit.",
		next: "Copy the image into ECR (or use an ECR pull-through cache) and point the task definition at it, or add Docker Hub credentials.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:      "no-space-left",
		id:        IDStopDiskFull,
		any:       []string{"no space left on device"},
		overrides: []string{IDStopImagePullNetwork},
		title:     "Disk full while pulling or starting",
		explanation: "The image or its extracted layers did not fit on the disk. " +
			"On EC2 the instance's Docker volume is full of old images; on Fargate the image is larger than the task's ephemeral storage.",
		next: "On EC2, clean unused images or enlarge the volume; on Fargate, raise ephemeralStorage in the task definition or slim the image.",
		ref:  "task_cannot_pull_image.html",
	},
	{
		name:     "cannot-pull-container",
		id:       IDStopImagePullFailed,
		any:      []string{"cannotpullcontainer"},
		fallback: true,
		title:    "Image could not be pulled",
		explanation: "ECS could not download the container image. The detail in the message does not match a known cause; " +
			"the usual ones are no network path to the registry, a missing image or tag, or missing pull permissions.",
		next: "Check that the image exists, that the execution role can pull it, and that the subnets can reach the registry.",
		ref:  "task_cannot_pull_image.html",
	},
}
