package kb

// Service event messages, as the scheduler writes them:
// "(service NAME) ...". The table is ordered from cause to consequence so
// that a message naming both picks the cause.
var eventPatterns = []pattern{
	{
		name:  "event-target-unhealthy",
		id:    IDServiceEventELBHealthCheck,
		any:   []string{"is unhealthy in (target-group", "failed elb health checks"},
		attrs: targetGroupAttrs,
		title: "Tasks fail the load balancer health check",
		explanation: "The target group's health check gets no healthy answer from the service's tasks, so ECS keeps replacing them. " +
			"Usually the task security group does not allow the load balancer on the container port, the health check path or port is wrong, or the app starts slower than the grace period.",
		next: "Compare the target group's health check path, port and success codes with the app, and allow the load balancer's security group in the task security group.",
		ref:  "service-unhealthy-event-messages.html",
	},
	{
		name:  "event-container-health-check",
		id:    IDServiceEventHealthCheck,
		any:   []string{"failed container health checks"},
		title: "Tasks fail their container health check",
		explanation: "The healthCheck command in the task definition keeps failing inside the container, so ECS marks tasks unhealthy and replaces them. " +
			"Often the command calls a tool the image lacks (curl is not in node:alpine or slim images), or the start period is too short.",
		next: "Run the health check command inside the image and check the task definition's healthCheck.startPeriod.",
		ref:  "seed 002 challenge 8",
	},
	{
		name:        "event-task-quota",
		id:          IDServiceEventPlacement,
		any:         []string{"reached the limit on the number of"},
		title:       "Task or vCPU quota reached",
		explanation: "The scheduler could not place a task because the account already runs as many tasks or Fargate vCPUs as its quota allows in this region.",
		next:        "Check the ECS and Fargate quotas in Service Quotas and request an increase, or stop unused tasks.",
		ref:         "service-event-messages.html",
	},
	{
		name:  "event-no-container-instance",
		id:    IDServiceEventPlacement,
		any:   []string{"no container instance met all of its requirements"},
		title: "No container instance can take the task",
		explanation: "On the EC2 launch type, no registered container instance has enough free CPU, memory, ports or network interfaces, or matches the placement constraints. " +
			"The rest of the message names the closest instance and what it lacked.",
		next: "Check the cluster's registered instances and their free resources, or move the service to a capacity provider that scales out.",
		ref:  "service-event-messages.html",
	},
	{
		name:        "event-unable-to-place",
		id:          IDServiceEventPlacement,
		any:         []string{"unable to place a task"},
		title:       "Scheduler could not place a task",
		explanation: "The scheduler found nowhere to run a new task: no capacity in the cluster or capacity provider, or, on Fargate, no capacity available for the requested size at the moment.",
		next:        "Read the reason in the event and check the cluster's capacity providers and registered instances.",
		ref:         "service-event-messages.html",
	},
	{
		name:  "event-cannot-assume-role",
		id:    IDServiceEventLaunchFailed,
		any:   []string{"unable to assume the role"},
		attrs: firstGroup("role", rx(`unable to assume the role '([^']+)'`)),
		title: "ECS cannot assume the task's role",
		explanation: "ECS could not assume the task role or execution role the task definition names, so it could not launch the task. " +
			"The role does not exist, or its trust policy does not allow ecs-tasks.amazonaws.com to assume it.",
		next: "Check that the role exists and that its trust policy names the service principal ecs-tasks.amazonaws.com.",
		ref:  "service-event-messages.html",
	},
	{
		name:        "event-failed-to-launch",
		id:          IDServiceEventLaunchFailed,
		any:         []string{"failed to launch a task"},
		title:       "Scheduler failed to launch a task",
		explanation: "ECS rejected the request to launch a task for the service before it ran, for a reason given in the event (for example an invalid network configuration or a missing resource).",
		next:        "Read the error in the event text and fix the service or task definition setting it names.",
		ref:         "service-event-messages.html",
	},
	{
		name:  "event-unable-to-consistently-start",
		id:    IDServiceEventStartFailures,
		any:   []string{"unable to consistently start tasks"},
		title: "Service keeps failing to start tasks",
		explanation: "Task after task has stopped during startup, so the scheduler now waits longer between attempts. " +
			"The cause is in the stopped tasks' stop reasons, not in the service itself.",
		next: "Look at the stop reason of the latest stopped task; ecsdoctor classifies it in step 3.",
		ref:  "service-event-messages.html",
	},
	{
		name:        "event-deployment-failed",
		id:          IDServiceDeploymentFailed,
		any:         []string{"deployment failed"},
		title:       "Deployment failed",
		explanation: "The deployment circuit breaker (or a CloudWatch alarm) judged the new deployment a failure because its tasks did not start or stay healthy, and stopped it.",
		next:        "Find why the new tasks stopped (stop reason, health checks), fix that, then force a new deployment.",
		ref:         "seed 002 challenge 8; service-event-messages.html",
	},
	{
		name:        "event-rolling-back",
		id:          IDServiceDeploymentFailed,
		any:         []string{"rolling back to deployment", "rolled back"},
		re:          rx(`rolling back to deployment|deployment \S+ (has been |was )?rolled back`),
		title:       "Deployment rolled back",
		explanation: "The deployment circuit breaker gave up on the new deployment and is returning the service to the last deployment that worked.",
		next:        "Find why the new tasks stopped (stop reason, health checks), fix that, then deploy again.",
		ref:         "service-event-messages.html",
	},
}
