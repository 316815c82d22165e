package kb

import (
	"strconv"
	"strings"
)

// ExitCodeMeaning explains a container exit code in a few words. Codes above
// 128 are 128 plus the number of the signal that ended the process, which is
// how shells and container runtimes report a kill.
func ExitCodeMeaning(code int32) string {
	switch code {
	case 0:
		return "exited normally"
	case 1:
		return "application error: the program exited with a failure (its logs say why)"
	case 2:
		return "misuse of a shell command or bad arguments"
	case 126:
		return "entrypoint or command found but not executable (permissions or wrong format)"
	case 127:
		return "entrypoint or command not found in the image"
	case 130:
		return "interrupted (SIGINT)"
	case 134:
		return "aborted (SIGABRT), usually a crash in native code or a failed assertion"
	case 137:
		return "killed (SIGKILL), usually out of memory"
	case 139:
		return "segmentation fault (SIGSEGV): the program crashed"
	case 143:
		return "terminated (SIGTERM): asked to stop, usually by ECS"
	case 255:
		return "exited with status 255: a fatal error at startup (often an exec format error or an uncaught exception)"
	}
	if code > 128 && code < 160 {
		return "killed by signal " + strconv.Itoa(int(code-128))
	}
	return "exited with code " + strconv.Itoa(int(code)) + ": an application-specific failure"
}

// exitNext is the one next step that fits an exit code.
func exitNext(code int32) string {
	switch code {
	case 137:
		return "Check for OutOfMemoryError in the container reason and compare the task's memory with what the app uses; raise it or cap the app's heap."
	case 139, 134:
		return "Read the last log lines for the crash; check native libraries match the image's architecture and libc (alpine uses musl)."
	case 126, 127:
		return "Check the entryPoint and command in the task definition (and the image's ENTRYPOINT/CMD) against the files in the image."
	case 143:
		return "Look at the task's stop reason to see why ECS stopped it (health checks, deployment, scaling)."
	}
	return "Read the container's last log lines in CloudWatch Logs; the app usually prints why it exited."
}

func essentialExited(code int32) Match {
	meaning := ExitCodeMeaning(code)
	return Match{
		ID:      IDStopEssentialExited,
		Pattern: "container-exit-code",
		Attrs:   map[string]string{"exitCode": strconv.Itoa(int(code)), "meaning": meaning},
		Title:   "Container exited with code " + strconv.Itoa(int(code)),
		Explanation: "The container stopped with exit code " + strconv.Itoa(int(code)) + ": " + meaning + ". " +
			"If the container is essential, ECS stops the whole task when it exits.",
		Next:      exitNext(code),
		Reference: "stopped-task-error-codes.html",
	}
}

// BenignStopCode reports whether a stopped task was stopped on purpose
// rather than by a failure, so callers can skip it when they look for the
// task that shows what is wrong. ServiceSchedulerInitiated covers both
// kinds (a deployment replacing a task, and a task killed for failing
// health checks), so for it and for an empty code the reason decides.
func BenignStopCode(stopCode, stoppedReason string) bool {
	switch strings.ToLower(strings.TrimSpace(stopCode)) {
	case "userinitiated", "spotinterruption", "terminationnotice":
		return true
	case "taskfailedtostart", "essentialcontainerexited":
		return false
	}
	ms := matchAll(stopPatterns, stoppedReason)
	if len(ms) == 0 {
		// Replacement wordings vary ("... by (deployment ecs-svc/...)");
		// an otherwise unknown reason that names a deployment is one.
		return deploymentRE.MatchString(stoppedReason)
	}
	for _, m := range ms {
		if m.ID != IDStopBenign {
			return false
		}
	}
	return true
}

var deploymentRE = rx(`\bdeployment\b`)
