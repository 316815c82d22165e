package kb

// Finding ids the knowledge base can produce. All of them come from the
// finding catalogue in contract.md except the ones below, which the catalogue
// lacks and which name real, documented failures (the style follows the
// catalogue; attrs in brackets):
//
//	stop.resource-init     ResourceInitializationError whose detail names no known cause
//	stop.image-pull-failed CannotPullContainerError whose detail names no known cause
//	stop.efs-mount         an EFS volume could not be mounted
//	stop.env-files         environmentFiles could not be downloaded from S3 [action]
//	stop.disk-full         no space left on device while pulling or starting
//	stop.container-start   CannotStartContainerError / CannotCreateVolumeError
//	stop.container-runtime ContainerRuntimeTimeoutError / DockerTimeoutError
//	stop.eni-timeout       the task's network interface took too long to provision
//	stop.task-quota        the account reached its concurrent task or vCPU quota
//	stop.benign            the task was stopped on purpose (scaling, deployment, Spot, user)
//	service.event.launch-failed  "(service x) failed to launch a task with (error ...)" [role]
//	logs.exec-format       the image was built for another CPU architecture
//
// Attrs the catalogue does not list but that are filled when the text has
// them: targetGroup on stop.elb-health-check, action on stop.image-pull-denied
// and stop.logs-init, and reason (the verbatim text) on stop.unclassified.
const (
	IDServiceDeploymentFailed    = "service.deployment-failed"
	IDServiceEventHealthCheck    = "service.event.health-check"
	IDServiceEventELBHealthCheck = "service.event.elb-health-check"
	IDServiceEventPlacement      = "service.event.placement"
	IDServiceEventStartFailures  = "service.event.start-failures"
	IDServiceEventLaunchFailed   = "service.event.launch-failed"

	IDStopRegistryAuthNetwork = "stop.registry-auth-network"
	IDStopImagePullNetwork    = "stop.image-pull-network"
	IDStopImageNotFound       = "stop.image-not-found"
	IDStopImagePullDenied     = "stop.image-pull-denied"
	IDStopImagePlatform       = "stop.image-platform"
	IDStopImagePullFailed     = "stop.image-pull-failed"
	IDStopSecretsNetwork      = "stop.secrets-network"
	IDStopSecretsAccessDenied = "stop.secrets-access-denied"
	IDStopSecretNotFound      = "stop.secret-not-found"
	IDStopLogsInit            = "stop.logs-init"
	IDStopResourceInit        = "stop.resource-init"
	IDStopEFSMount            = "stop.efs-mount"
	IDStopEnvFiles            = "stop.env-files"
	IDStopHealthCheck         = "stop.health-check"
	IDStopELBHealthCheck      = "stop.elb-health-check"
	IDStopEssentialExited     = "stop.essential-exited"
	IDStopOOM                 = "stop.oom"
	IDStopSubnetNoIPs         = "stop.subnet-no-ips"
	IDStopENITimeout          = "stop.eni-timeout"
	IDStopTaskQuota           = "stop.task-quota"
	IDStopRateLimited         = "stop.rate-limited"
	IDStopDiskFull            = "stop.disk-full"
	IDStopContainerStart      = "stop.container-start"
	IDStopContainerRuntime    = "stop.container-runtime"
	IDStopBenign              = "stop.benign"
	IDStopUnclassified        = "stop.unclassified"

	IDLogsDBSSLRequired     = "logs.db-ssl-required"
	IDLogsDBAuthFailed      = "logs.db-auth-failed"
	IDLogsDNSFailure        = "logs.dns-failure"
	IDLogsConnectionRefused = "logs.connection-refused"
	IDLogsOutOfMemory       = "logs.out-of-memory"
	IDLogsExecFormat        = "logs.exec-format"
)

// knownIDs lets tests and callers reject a typo'd id before it reaches a
// report; it is never written after init.
var knownIDs = map[string]bool{
	IDServiceDeploymentFailed: true, IDServiceEventHealthCheck: true,
	IDServiceEventELBHealthCheck: true, IDServiceEventPlacement: true,
	IDServiceEventStartFailures: true, IDServiceEventLaunchFailed: true,
	IDStopRegistryAuthNetwork: true, IDStopImagePullNetwork: true,
	IDStopImageNotFound: true, IDStopImagePullDenied: true,
	IDStopImagePlatform: true, IDStopImagePullFailed: true,
	IDStopSecretsNetwork: true, IDStopSecretsAccessDenied: true,
	IDStopSecretNotFound: true, IDStopLogsInit: true, IDStopResourceInit: true,
	IDStopEFSMount: true, IDStopEnvFiles: true, IDStopHealthCheck: true,
	IDStopELBHealthCheck: true, IDStopEssentialExited: true, IDStopOOM: true,
	IDStopSubnetNoIPs: true, IDStopENITimeout: true, IDStopTaskQuota: true,
	IDStopRateLimited: true, IDStopDiskFull: true, IDStopContainerStart: true,
	IDStopContainerRuntime: true, IDStopBenign: true, IDStopUnclassified: true,
	IDLogsDBSSLRequired: true, IDLogsDBAuthFailed: true, IDLogsDNSFailure: true,
	IDLogsConnectionRefused: true, IDLogsOutOfMemory: true, IDLogsExecFormat: true,
}

// KnownID reports whether id is one the knowledge base can return.
func KnownID(id string) bool { return knownIDs[id] }
