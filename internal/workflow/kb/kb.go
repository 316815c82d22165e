// Package kb is the knowledge base: it turns the texts AWS shows about a
// failing task (a stopped reason, a container reason and exit code, a service
// event, an application log line) into finding ids from the catalogue in
// contract.md, each with a plain-language explanation and a next step.
//
// Everything here is pure and read-only: the pattern tables are built once at
// package initialisation and never change, so every function is safe for
// concurrent use.
package kb

import (
	"regexp"
	"strings"
)

// Match is one classification of a text.
type Match struct {
	ID          string            // finding catalogue id, e.g. "stop.secrets-network"
	Pattern     string            // stable pattern name, unique per pattern
	Attrs       map[string]string // catalogue qualifiers taken from the text; nil when none
	Title       string            // short headline
	Explanation string            // 1-3 plain sentences: what it means, what usually causes it
	Next        string            // one sentence: what to check or do next
	Reference   string            // where the knowledge comes from
}

// ClassifyStopReason classifies a task's stoppedReason. A text can name more
// than one problem, so it returns every distinct finding, most specific
// first. A non-empty text no pattern knows yields one stop.unclassified
// match carrying the text verbatim; an empty text yields nil.
func ClassifyStopReason(stoppedReason string) []Match {
	if stoppedReason == "" {
		return nil
	}
	out := matchAll(stopPatterns, stoppedReason)
	if len(out) == 0 {
		out = []Match{unclassified(stoppedReason)}
	}
	return out
}

// ClassifyContainer classifies one container's reason and exit code. The
// reason uses the stop-reason patterns (AWS puts CannotPullContainerError,
// OutOfMemoryError and the like on the container); a non-zero exit code adds
// stop.essential-exited with the code and its meaning. Exit code 0 adds
// nothing, because init and sidecar containers exit 0 by design; the task's
// own stoppedReason already says when an essential container exited.
func ClassifyContainer(reason string, exitCode *int32) []Match {
	var out []Match
	if reason != "" {
		out = matchAll(stopPatterns, reason)
	}
	if exitCode != nil && *exitCode != 0 {
		out = mergeMatch(out, essentialExited(*exitCode))
	}
	if len(out) == 0 && reason != "" {
		out = []Match{unclassified(reason)}
	}
	return out
}

// ClassifyEvent classifies one service event message. Events that report
// normal progress (steady state, tasks started or stopped, targets
// registered) return false.
func ClassifyEvent(message string) (Match, bool) {
	if IsSteadyState(message) {
		return Match{}, false
	}
	return matchFirst(eventPatterns, message)
}

// ClassifyLogLine classifies one application log line. It runs on every
// line of a task's logs while the user types, so a line that mentions none
// of the known failures costs a few substring scans and no allocation.
func ClassifyLogLine(line string) (Match, bool) {
	return matchFirst(logPatterns, line)
}

var steadyStateRE = regexp.MustCompile(`(?i)has\s+reached\s+a\s+steady\s+state`)

// IsSteadyState reports whether a service event says the service is healthy
// ("(service x) has reached a steady state."), which is never a failure.
func IsSteadyState(eventMessage string) bool {
	return strings.Contains(strings.ToLower(eventMessage), "steady") &&
		steadyStateRE.MatchString(eventMessage)
}

func unclassified(text string) Match {
	return Match{
		ID:          IDStopUnclassified,
		Pattern:     "unclassified",
		Attrs:       map[string]string{"reason": text},
		Title:       "Stop reason not recognised",
		Explanation: "ecsdoctor does not know this message. It is shown exactly as AWS reported it; the other steps (network path, IAM, logs) still check the usual causes.",
		Next:        "Search the exact message in the ECS developer guide's stopped-task error pages and read the container's logs.",
		Reference:   "stopped-task-error-codes.html",
	}
}
