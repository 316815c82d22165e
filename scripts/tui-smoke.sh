#!/usr/bin/env bash
# tui-smoke.sh: run the real ecsdoctor binary in a tmux pane on the demo
# account, press keys as a person would, and check what the pane shows.
#
#   scripts/tui-smoke.sh BINARY [ARGS...]      (ARGS default: demo)
#   scripts/tui-smoke.sh ./ecsdoctor demo no-endpoints
#
# It checks: the seven steps are listed; the step selected on arrival
# failed and its finding is shown; ? opens the help and esc closes it; q
# quits cleanly (exit 0, alternate screen left); ctrl+c does too.
# Set EXPECT_FINDING to a text the failing step's findings must contain.
# Needs tmux. Exit status 0 when every check passed.
set -euo pipefail

if [[ $# -lt 1 ]]; then
	echo "usage: $0 BINARY [ARGS...]" >&2
	exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
ARGS=("$@")
[[ ${#ARGS[@]} -eq 0 ]] && ARGS=(demo)
command -v tmux >/dev/null || { echo "tui-smoke: tmux is not installed" >&2; exit 2; }
[[ -x $BIN ]] || { echo "tui-smoke: $BIN is not an executable" >&2; exit 2; }

WIDTH=120 HEIGHT=35 TIMEOUT=${TIMEOUT:-15}
SESSION="ecsdoctor-smoke-$$"
FAILED=0
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT

pane() { tmux capture-pane -p -t "$SESSION"; }

fail() {
	echo "FAIL: $*" >&2
	echo "----- pane -----" >&2
	pane >&2 || true
	echo "----------------" >&2
	FAILED=1
}

pass() { echo "ok: $*"; }

# wait_for TEXT: poll the pane until it shows TEXT (fixed string).
wait_for() {
	local deadline=$((SECONDS + TIMEOUT))
	while ((SECONDS < deadline)); do
		pane | grep -qF -- "$1" && return 0
		sleep 0.2
	done
	return 1
}

# wait_gone TEXT: poll until the pane no longer shows TEXT.
wait_gone() {
	local deadline=$((SECONDS + TIMEOUT))
	while ((SECONDS < deadline)); do
		pane | grep -qF -- "$1" || return 0
		sleep 0.2
	done
	return 1
}

expect() { if wait_for "$1"; then pass "$2"; else fail "$2: the pane never showed \"$1\""; fi; }

send() { tmux send-keys -t "$SESSION" "$@"; }

# start runs the binary in a fresh pane. The pane outlives it, printing
# the exit status, so the checks can read how it ended.
start() {
	tmux kill-session -t "$SESSION" 2>/dev/null || true
	local cmd
	cmd=$(printf '%q ' "$BIN" "${ARGS[@]}")
	tmux new-session -d -s "$SESSION" -x "$WIDTH" -y "$HEIGHT" \
		"env TERM=xterm-256color $cmd; echo \"ecsdoctor exited with status \$?\"; sleep 600"
}

# open_workflow gets from wherever the binary opens to a service's
# workflow: a picker opens its first row (unhealthy services sort first).
open_workflow() {
	local deadline=$((SECONDS + TIMEOUT))
	while ((SECONDS < deadline)); do
		local p
		p=$(pane)
		if grep -qF "Steps" <<<"$p"; then
			return 0
		elif grep -qE "^ (Clusters|Services in )" <<<"$p" && grep -qE "^› " <<<"$p"; then
			send Enter
			sleep 0.5
		fi
		sleep 0.2
	done
	return 1
}

# --- run 1: the workflow, help, q -------------------------------------
start
if ! open_workflow; then
	fail "the workflow screen never appeared"
	exit 1
fi
# The diagnosis is complete when the header says when it was refreshed.
expect "refreshed " "the diagnosis completed"

for step in "1 Service events" "2 Stopped tasks" "3 Stop reason" "4 Logs" \
	"5 Endpoints & path" "6 IAM execution role" "7 Security groups"; do
	expect "$step" "the rail lists \"$step\""
done

screen=$(pane)
# Arrival selects the first failing step: its rail line starts with "› ✗".
if grep -qE "^› ✗ [1-7] " <<<"$screen"; then
	pass "the selected step failed ($(grep -oE '^› ✗ [1-7] [A-Za-z &]+' <<<"$screen" | head -1 | sed 's/^› ✗ //;s/ *$//'))"
else
	fail "the step selected on arrival is not a failing one"
fi
# Its findings are in the strip under the "Findings" rule: a ✗ line.
if sed -n '/ Findings /,$p' <<<"$screen" | grep -qE "^. ✗ "; then
	pass "the failing step's finding is shown: $(sed -n '/ Findings /,$p' <<<"$screen" | grep -E '^. ✗ ' | head -1 | cut -c5-70)"
else
	fail "no error finding in the findings strip"
fi
if [[ -n ${EXPECT_FINDING:-} ]]; then
	expect "$EXPECT_FINDING" "the finding names \"$EXPECT_FINDING\""
fi

send "?"
expect "quit, always" "? opens the help"
expect "next step" "the help lists the step keys"
send Escape
if wait_gone "quit, always"; then pass "esc closes the help"; else fail "esc did not close the help"; fi

send q
expect "ecsdoctor exited with status 0" "q quits with status 0"
if [[ $(tmux display-message -p -t "$SESSION" '#{alternate_on}') == 0 ]]; then
	pass "the terminal left the alternate screen"
else
	fail "the alternate screen is still on after quitting"
fi

# --- run 2: ctrl+c quits from anywhere --------------------------------
start
if open_workflow; then
	send "?"
	wait_for "quit, always" || true
	send C-c
	expect "ecsdoctor exited with status 0" "ctrl+c quits with status 0"
else
	fail "the workflow screen never appeared (second run)"
fi

if ((FAILED)); then
	echo "tui-smoke: FAILED" >&2
	exit 1
fi
echo "tui-smoke: all checks passed"
