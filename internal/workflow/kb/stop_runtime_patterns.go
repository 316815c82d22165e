package kb

// Runtime and placement: the task got past initialisation but a container
// could not start or stay up, or ECS could not give the task a network
// interface. Also the deliberate stops, so they are not reported as unknown.
var stopRuntimePatterns = []pattern{
	{
		name:  "oom-container-killed",
		id:    IDStopOOM,
		any:   []string{"outofmemoryerror", "killed due to memory usage"},
		re:    rx(`outofmemoryerror: container killed|killed due to memory usage`),
		title: "Container ran out of memory",
		explanation: "The container used more memory than its limit (the task or container memory in the task definition), so the kernel killed it, which shows as exit code 137. " +
			"Either the limit is too low for the app or the app leaks memory.",
		next: "Raise the memory in the task definition, or cap the app's own heap (for example NODE_OPTIONS=--max-old-space-size or -Xmx) below the container limit.",
		ref:  "out-of-memory.html",
	},
	{
		name:  "essential-container-exited",
		id:    IDStopEssentialExited,
		any:   []string{"essential container in task exited"},
		title: "Essential container exited",
		explanation: "A container marked essential stopped, so ECS stopped the whole task. " +
			"The container's exit code and its logs say why: 137 means it was killed (often out of memory), 139 a crash, 126 or 127 a bad entrypoint, 1 an application error.",
		next: "Look at each container's exit code and reason in the stopped task, then at its last log lines.",
		ref:  "stopped-task-error-codes.html",
	},
	{
		name:  "container-health-check-failed",
		id:    IDStopHealthCheck,
		any:   []string{"failed container health checks"},
		title: "Container health check failed",
		explanation: "The container's own healthCheck command in the task definition kept failing, so ECS marked the task unhealthy and replaced it. " +
			"A common cause is a check that calls a tool the image does not have (curl is not in alpine or slim images), or a start period shorter than the app's startup.",
		next: "Run the health check command inside the image (docker run --rm <image> sh -c '<command>') and check healthCheck.startPeriod.",
		ref:  "seed 002 challenge 8",
	},
	{
		name:  "elb-health-check-failed",
		id:    IDStopELBHealthCheck,
		any:   []string{"failed elb health checks"},
		attrs: targetGroupAttrs,
		title: "Load balancer health check failed",
		explanation: "The load balancer's target group health check could not get a healthy answer from the task, so ECS replaced the task. " +
			"Usually the task security group does not allow the load balancer's security group on the container port, the health check path or port is wrong, or the app needs longer than the grace period to start.",
		next: "Check the target group's health check path and port, the task security group's inbound rule from the load balancer, and the service's healthCheckGracePeriodSeconds.",
		ref:  "service-unhealthy-event-messages.html",
	},
	// The bare documented message means a full subnet; when EC2's own error
	// code follows it (AuthFailure, RequestLimitExceeded, ...), that code is
	// the cause, and only InsufficientFreeAddressesInSubnet means no free IPs.
	{
		name:  "subnet-eni-ec2-error",
		id:    IDStopSubnetNoIPs,
		any:   []string{"create network interface", "insufficientfreeaddressesinsubnet", "insufficient free addresses", "no free ip"},
		re:    rx(`insufficientfreeaddressesinsubnet|insufficient free addresses|no free ip|unexpected ec2 error while attempting to create network interface( with public ip assignment enabled)? in subnet '[^']*'[\s.]*$`),
		attrs: subnetAttrs,
		title: "Subnet has no free IP addresses",
		explanation: "Every awsvpc task gets its own network interface with a private IP from the subnet, and EC2 could not create one because the subnet has run out of addresses. " +
			"Small subnets (/26, /27) fill up quickly with tasks, endpoints and load balancer nodes.",
		next: "Check AvailableIpAddressCount of the subnet (aws ec2 describe-subnets) and add larger subnets to the service's network configuration.",
		ref:  "failed-to-start-error.html",
	},
	{
		name:  "eni-provisioning-timeout",
		id:    IDStopENITimeout,
		any:   []string{"waiting for network interface provisioning"},
		title: "Network interface took too long to create",
		explanation: "ECS gave up waiting for the task's network interface to be created. " +
			"This is usually a transient EC2 problem rather than a misconfiguration.",
		next: "Let the service retry; if it keeps happening, check the subnets' free IPs and the account's network interface quota.",
		ref:  "failed-to-start-error.html",
	},
	{
		name:        "task-or-vcpu-quota",
		id:          IDStopTaskQuota,
		any:         []string{"reached the limit on the number of", "vcpu limit"},
		re:          rx(`reached the limit on the number of (tasks|vcpus)|vcpu limit`),
		title:       "Account task or vCPU quota reached",
		explanation: "The account already runs as many tasks or Fargate vCPUs as its service quota allows in this region, so ECS refused to start more.",
		next:        "Check the Fargate and ECS quotas in Service Quotas for the region and request an increase, or stop unused tasks.",
		ref:         "failed-to-start-error.html",
	},
	{
		name:  "container-runtime-timeout",
		id:    IDStopContainerRuntime,
		any:   []string{"containerruntimetimeouterror", "dockertimeouterror", "could not transition to"},
		re:    rx(`containerruntimetimeouterror|dockertimeouterror|could not transition to \w+; timed out`),
		title: "Container did not start in time",
		explanation: "The container runtime did not bring the container to the running state within its timeout. " +
			"On Fargate this is most often a slow or blocked image pull, secret fetch or log setup because of the network path; on EC2 an overloaded instance or Docker daemon.",
		next: "Check the network path to ECR, S3, Secrets Manager and CloudWatch Logs, and on EC2 the instance's load and ECS_CONTAINER_START_TIMEOUT.",
		ref:  "stopped-task-error-codes.html",
	},
	{
		name:  "container-executable-not-found",
		id:    IDStopContainerStart,
		any:   []string{"executable file not found", "no such file or directory"},
		re:    rx(`executable file not found|\bexec:? [^ ]+: (stat [^ ]+: )?no such file or directory`),
		title: "Container command not found",
		explanation: "The runtime could not find the program named in the entryPoint or command (or the image's ENTRYPOINT/CMD). " +
			"It is misspelled, not in the image, not on PATH, or a script with Windows line endings or a missing interpreter.",
		next: "Run the image locally with the same entryPoint and command, and check the path inside the image.",
		ref:  "cannot-start-container.html",
	},
	{
		name:        "container-permission-denied",
		id:          IDStopContainerStart,
		any:         []string{"permission denied"},
		re:          rx(`\bexec:? [^ ]+: permission denied|(starting container process|cannotstartcontainererror).*permission denied`),
		title:       "Container command not executable",
		explanation: "The runtime found the entrypoint or command but may not execute it, usually because the file lacks the executable bit or the image's USER cannot read it.",
		next:        "Add chmod +x for the entrypoint in the Dockerfile, or run it through its interpreter (sh script.sh).",
		ref:         "cannot-start-container.html",
	},
	{
		name:      "exec-format-error",
		id:        IDStopImagePlatform,
		any:       []string{"exec format error"},
		attrs:     imageAttrs,
		overrides: []string{IDStopContainerStart},
		title:     "Image built for another CPU architecture",
		explanation: "The container's program is compiled for a different CPU architecture than the task runs on, typically an arm64 image (built on an Apple silicon Mac) on an x86_64 task. " +
			"The pull succeeds because the image has only that one variant, and the start fails.",
		next: "Rebuild with docker buildx build --platform linux/amd64 (or linux/arm64), or set runtimePlatform.cpuArchitecture to match the image.",
		ref:  "cannot-start-container.html",
	},
	{
		name:     "cannot-start-container",
		id:       IDStopContainerStart,
		any:      []string{"cannotstartcontainererror"},
		fallback: true,
		title:    "Container could not be started",
		explanation: "The image was pulled but the container runtime refused to start the container. " +
			"The rest of the message names the cause: a bad entrypoint or command, a volume or mount problem, or a container memory limit the host cannot meet.",
		next: "Read the detail after CannotStartContainerError and check the container's entryPoint, command, mounts and memory in the task definition.",
		ref:  "cannot-start-container.html",
	},
	{
		name:        "cannot-create-volume",
		id:          IDStopContainerStart,
		any:         []string{"cannotcreatevolumeerror"},
		fallback:    true,
		title:       "Volume could not be created",
		explanation: "The container runtime could not create a volume the task definition declares, for example with a Docker volume plugin that is not installed or a bad driver option.",
		next:        "Check the task definition's volumes (driver, driverOpts, scope) against what the host supports.",
		ref:         "stopped-task-error-codes.html",
	},
	{
		name:        "scaling-activity",
		id:          IDStopBenign,
		any:         []string{"scaling activity initiated by"},
		title:       "Stopped by a scaling or deployment action",
		explanation: "The service scheduler stopped this task on purpose: a deployment replaced it or the desired count went down. This is not a failure.",
		next:        "Look at a task that stopped for another reason, or at the running tasks.",
		ref:         "stopped-task-error-codes.html",
	},
	{
		name:        "user-stopped",
		id:          IDStopBenign,
		any:         []string{"task stopped by user", "stopped by user"},
		title:       "Stopped by a user or automation",
		explanation: "Someone or some automation called StopTask for this task. This is not a failure of the task itself.",
		next:        "Look at a task that stopped for another reason, or check CloudTrail for who called StopTask.",
		ref:         "stopped-task-error-codes.html",
	},
	{
		name:        "spot-interruption",
		id:          IDStopBenign,
		any:         []string{"spot task was interrupted", "spot interruption", "spotinterruption"},
		title:       "Fargate Spot capacity reclaimed",
		explanation: "AWS took back the Fargate Spot capacity this task ran on, with a two-minute warning. The service starts a replacement; this is expected with Spot.",
		next:        "If interruptions hurt, add a FARGATE (on-demand) capacity provider with a base count.",
		ref:         "stopped-task-error-codes.html",
	},
	{
		name:        "infrastructure-maintenance",
		id:          IDStopBenign,
		any:         []string{"performing maintenance on the underlying infrastructure", "task retirement", "scheduled for retirement"},
		title:       "Stopped for AWS maintenance",
		explanation: "AWS retired the infrastructure under this task (for example a Fargate platform update) and the service replaces the task. This is not a failure.",
		next:        "Look at a task that stopped for another reason, or at the running tasks.",
		ref:         "stopped-task-error-codes.html",
	},
}
