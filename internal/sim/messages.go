package sim

import (
	"fmt"
	"strings"
)

// The texts AWS writes, in one place. Stop reasons follow the ECS agent's
// wording and the seed documents (see /work/shared/notes/stop-reasons.md);
// a learner should recognise every one from the console.

const (
	stopTaskFailedToStart = "TaskFailedToStart"
	stopScheduler         = "ServiceSchedulerInitiated"
	stopEssentialExited   = "EssentialContainerExited"
)

// denial is IAM's explanation at the end of an AccessDenied message.
func denial(decision, action string) string {
	if decision == explicitDeny {
		return "with an explicit deny in an identity-based policy"
	}
	return "because no identity-based policy allows the " + action + " action"
}

func assumedRole(account, roleName, taskID string) string {
	return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + taskID
}

// ---- task start-up ----

func msgNoAddresses(subnetID string, publicIP bool) string {
	with := ""
	if publicIP {
		with = " with public IP assignment enabled"
	}
	return fmt.Sprintf("Unexpected EC2 error while attempting to Create Network Interface%s in subnet '%s': InsufficientFreeAddressesInSubnet", with, subnetID)
}

func msgRegistryAuthNetwork(region, cause string) string {
	return "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry auth from Amazon ECR: " +
		"There is a connection issue between the task and Amazon ECR. Check your task network configuration. " +
		`RequestError: send request failed caused by: Post "https://api.ecr.` + region + `.amazonaws.com/": ` + cause
}

func msgRegistryAuthDenied(principal, decision, requestID string) string {
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: " +
		"unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: User: " + principal +
		" is not authorized to perform: ecr:GetAuthorizationToken on resource: * " + denial(decision, "ecr:GetAuthorizationToken") +
		" status code: 400, request id: " + requestID
}

const asmPrefix = "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secret from asm: "

func msgSecretNetwork(secretARN string) string {
	return asmPrefix + "There is a connection issue between the task and AWS Secrets Manager. Check your task network configuration. " +
		"failed to fetch secret " + secretARN + " from secrets manager: operation error Secrets Manager: GetSecretValue, " +
		"https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded"
}

func msgSecretDenied(secretARN, principal, decision, requestID string) string {
	return asmPrefix + "service call has been retried 1 time(s): failed to fetch secret " + secretARN +
		" from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: " +
		requestID + ", api error AccessDeniedException: User: " + principal + " is not authorized to perform: secretsmanager:GetSecretValue " +
		denial(decision, "secretsmanager:GetSecretValue")
}

func msgSecretNotFound(secretARN, requestID string) string {
	return asmPrefix + "ResourceNotFoundException: The task can't retrieve the secret with ARN '" + secretARN +
		"' from AWS Secrets Manager. Check whether the secret exists in the specified Region. failed to fetch secret " + secretARN +
		" from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: " +
		requestID + ", ResourceNotFoundException: Secrets Manager can't find the specified secret."
}

func msgSecretKMS(secretARN, requestID string) string {
	return asmPrefix + "service call has been retried 1 time(s): failed to fetch secret " + secretARN +
		" from secrets manager: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 400, RequestID: " +
		requestID + ", api error AccessDeniedException: Access to KMS is not allowed"
}

const ssmPrefix = "ResourceInitializationError: unable to pull secrets or registry auth: unable to retrieve secrets from ssm: "

func msgParameterNetwork(region, cause string) string {
	return ssmPrefix + "The task cannot pull secrets from AWS Systems Manager Parameter Store. Check your network connection. " +
		`service call has been retried 1 time(s): RequestError: send request failed caused by: Post "https://ssm.` + region + `.amazonaws.com/": ` + cause
}

func msgParameterDenied(paramARN, principal, decision, requestID string) string {
	return ssmPrefix + "service call has been retried 1 time(s): AccessDeniedException: User: " + principal +
		" is not authorized to perform: ssm:GetParameters on resource: " + paramARN + " " + denial(decision, "ssm:GetParameters") +
		" status code: 400, request id: " + requestID
}

func msgParameterMissing(name string) string {
	return ssmPrefix + "service call has been retried 1 time(s): invalid parameters: " + name
}

func msgParameterKMS(requestID string) string {
	return ssmPrefix + "service call has been retried 1 time(s): AccessDeniedException: The ciphertext refers to a customer master key " +
		"that does not exist, does not exist in this region, or you are not allowed to access. status code: 400, request id: " + requestID
}

const loggerPrefix = "ResourceInitializationError: failed to validate logger args: "

func msgLogsNetwork() string {
	return loggerPrefix + "The task cannot find the Amazon CloudWatch log group defined in the task definition. " +
		"There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. signal: killed"
}

func msgLogGroupMissing() string {
	return loggerPrefix + "create stream has been retried 1 times: failed to create Cloudwatch log stream: " +
		"ResourceNotFoundException: The specified log group does not exist. : exit status 1"
}

func msgLogsDenied(what, action, resource, principal, decision string) string {
	return loggerPrefix + "create " + what + " has been retried 1 times: failed to create Cloudwatch log " + what +
		": AccessDeniedException: User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource +
		" " + denial(decision, action) + " : exit status 1"
}

func msgPullNetworkECR(image, repoURI, manifestURL, cause string) string {
	return "CannotPullContainerError: The task cannot pull '" + image + "' from the Amazon ECR repository '" + repoURI +
		"'. There is a connection issue between the task and Amazon ECR. Check your task network configuration. : failed to resolve ref " +
		image + `: failed to do request: Head "` + manifestURL + `": ` + cause
}

func msgPullLayers(layerURL, cause string) string {
	return "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: " +
		`failed to do request: Get "` + layerURL + `": ` + cause
}

func msgPullNotFound(image string) string {
	return "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + image + ": " + image + ": not found"
}

func msgPullDenied(image, registry, tag string) string {
	return "CannotPullContainerError: The task can't pull the image. Check that the role has the permissions to pull images from the registry. " +
		"pull image manifest has been retried 1 time(s): failed to resolve ref " + image + ": pulling from host " + registry +
		" failed with status code [manifests " + tag + "]: 403 Forbidden"
}

func msgPullNoCredentials(image string) string {
	return "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + image +
		": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials"
}

func msgPullNetworkOther(ref, manifestURL, cause string) string {
	return "CannotPullContainerError: The task can't pull the image. Check your network configuration. " +
		"pull image manifest has been retried 1 time(s): failed to resolve ref " + ref + `: failed to do request: Head "` + manifestURL + `": ` + cause
}

const msgHealthCheckStop = "Task failed container health checks"

// msgEssentialExited is the stoppedReason when an essential container exits.
const msgEssentialExited = "Essential container in task exited"

func msgScaling(deploymentID string) string {
	return "Scaling activity initiated by (deployment " + deploymentID + ")"
}

// dialTimeout and lookupFailure are the network errors at the end of the
// texts above: a connection that nothing answers, or a name that does not
// resolve because the VPC's DNS is off.
func dialTimeout(ip string) string { return "dial tcp " + ip + ":443: i/o timeout" }

func lookupFailure(host string) string { return "dial tcp: lookup " + host + ": no such host" }

// ---- service events ----

func evStarted(svc string, taskIDs []string) string {
	var b strings.Builder
	for _, id := range taskIDs {
		b.WriteString(" (task " + id + ")")
	}
	return fmt.Sprintf("(service %s) has started %d tasks:%s.", svc, len(taskIDs), b.String())
}

func evStopped(svc string, taskIDs []string) string {
	var b strings.Builder
	for _, id := range taskIDs {
		b.WriteString(" (task " + id + ")")
	}
	return fmt.Sprintf("(service %s) has stopped %d running tasks:%s.", svc, len(taskIDs), b.String())
}

func evSteady(svc string) string { return "(service " + svc + ") has reached a steady state." }

func evCompleted(svc, dep string) string {
	return "(service " + svc + ") (deployment " + dep + ") deployment completed."
}

func evFailed(svc, dep string) string {
	return "(service " + svc + ") (deployment " + dep + ") deployment failed: tasks failed to start."
}

func evThrottled(svc string) string {
	return "(service " + svc + ") is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
}

func evUnhealthy(svc, taskID string) string {
	return "(service " + svc + ") (task " + taskID + ") failed container health checks."
}

func evCannotAssume(svc, roleARN string) string {
	return "(service " + svc + ") failed to launch a task with (error ECS was unable to assume the role '" + roleARN +
		"' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.)."
}

// ---- deployments ----

func rolloutReason(state, dep string) string {
	switch state {
	case "COMPLETED":
		return "ECS deployment " + dep + " completed."
	case "IN_PROGRESS":
		return "ECS deployment " + dep + " in progress."
	case "FAILED":
		return "ECS deployment circuit breaker: tasks failed to start."
	}
	return ""
}

// ---- application log lines ----

func logTimeout(ip string, port int32) string {
	return fmt.Sprintf("Error: connect ETIMEDOUT %s:%d", ip, port)
}

func logNoEncryption(taskIP, user, db string) string {
	return fmt.Sprintf(`error: no pg_hba.conf entry for host "%s", user "%s", database "%s", no encryption`, taskIP, user, db)
}

const logInsecureTransport = "Error: Connections using insecure transport are prohibited while --require_secure_transport=ON."
