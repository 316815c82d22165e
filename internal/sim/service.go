package sim

import (
	"sort"
	"strconv"
	"time"
)

// The virtual ECS service scheduler. A service wants desiredCount tasks of
// its PRIMARY deployment (task definition and network configuration).
// Whenever something changes (a task starts, fails, turns healthy or stops,
// a deployment begins) reconcile looks at the service and decides what the
// scheduler does next: replace old tasks, retire a drained deployment, plan
// the next launch, declare the rollout complete or the service steady.

const (
	// retryInterval is how soon a service below its desired count tries
	// again after a failure (at Speed 1).
	retryInterval = 20 * time.Second
	// pastRetryInterval is the same while the account lives through its
	// past: ECS backs off over minutes when tasks keep failing, and the
	// stopped tasks a learner first sees are a few minutes apart.
	pastRetryInterval = 5 * time.Minute
	// keepStopped is how long ECS goes on describing a stopped task.
	keepStopped = time.Hour
)

func (svc *service) primary() *deployment {
	if len(svc.deployments) == 0 {
		return nil
	}
	return svc.deployments[0]
}

// retryDelay is the scheduler's back-off after a failure.
func (a *Account) retryDelay() time.Duration {
	if a.clock.Before(a.built) {
		return pastRetryInterval
	}
	return a.scaled(retryInterval)
}

// serviceTasks lists a service's tasks, newest first.
func (a *Account) serviceTasks(svc *service) []*task {
	var out []*task
	for _, t := range svc.cluster.tasks.list() {
		if t.svc == svc {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].created.After(out[j].created) })
	return out
}

// live lists a deployment's tasks the scheduler still wants running.
func (a *Account) live(svc *service, dep *deployment) []*task {
	var out []*task
	for _, t := range a.serviceTasks(svc) {
		if t.dep == dep && t.desired == "RUNNING" {
			out = append(out, t)
		}
	}
	return out
}

// healthy reports whether a task counts as up: running, and healthy if it
// has a health check.
func (t *task) healthy() bool {
	if t.lastStatus != "RUNNING" || t.desired != "RUNNING" {
		return false
	}
	return t.health == "HEALTHY" || !t.hasHealthCheck()
}

func (t *task) hasHealthCheck() bool {
	for _, c := range t.containers {
		if c.hasHealthCheck {
			return true
		}
	}
	return false
}

// startDeployment begins a new PRIMARY deployment; the previous one becomes
// ACTIVE and is drained as the new one's tasks become healthy.
func (a *Account) startDeployment(svc *service, td string, net netConfig) *deployment {
	n := 0
	for _, d := range svc.deployments {
		if d.status == "PRIMARY" {
			d.status, d.updated = "ACTIVE", a.clock
		}
		n++
	}
	d := &deployment{status: "PRIMARY", taskDef: td, net: net, desired: svc.desired, rollout: "IN_PROGRESS", created: a.clock, updated: a.clock}
	d.id = "ecs-svc/" + a.digits(19, "deployment", svc.owner.sc.Name, svc.arn, strconv.Itoa(n))
	d.reason = rolloutReason(d.rollout, d.id)
	svc.deployments = append([]*deployment{d}, svc.deployments...)
	svc.failStreak, svc.throttled, svc.steady = 0, false, false
	a.requestLaunch(svc, a.clock)
	a.reconcile(svc)
	return d
}

// requestLaunch plans the scheduler's next attempt at t, unless one is
// planned sooner.
func (a *Account) requestLaunch(svc *service, t time.Time) {
	if a.opts.Replay {
		return // a snapshot's scheduler is still
	}
	if !svc.launchAt.IsZero() && !svc.launchAt.After(t) {
		return
	}
	svc.launchAt = t
	svc.launchGen++
	gen := svc.launchGen
	a.at(t, func() {
		if svc.launchGen != gen {
			return // replaced by a sooner plan
		}
		svc.launchAt = time.Time{}
		a.launch(svc)
	})
}

// launch starts as many tasks as the PRIMARY deployment lacks.
func (a *Account) launch(svc *service) {
	dep := svc.primary()
	if dep == nil {
		return
	}
	need := int(svc.desired) - len(a.live(svc, dep))
	if need <= 0 {
		return
	}
	td := a.taskDefs.get(dep.taskDef)
	if td == nil || len(dep.net.subnets) == 0 {
		return // nothing the simulator can place (ECS refuses such services up front)
	}
	// ECS assumes the task's roles before it creates anything.
	if arn := a.unassumableRole(td); arn != "" {
		a.event(svc, evCannotAssume(svc.name, arn))
		a.noteFailure(svc, dep, true, false)
		a.reconcile(svc)
		return
	}
	var ids []string
	for i := 0; i < need; i++ {
		ids = append(ids, a.launchTask(svc, dep, td).id)
	}
	a.event(svc, evStarted(svc.name, ids))
	a.reconcile(svc)
}

// noteFailure counts a task that failed to start (or failed its health
// checks) against the deployment, lets the circuit breaker trip, and says
// the scheduler is struggling after a few start failures in a row.
func (a *Account) noteFailure(svc *service, dep *deployment, startFailure, counted bool) {
	if counted {
		dep.failed++
		dep.updated = a.clock
	}
	if dep != svc.primary() {
		return
	}
	svc.failStreak++
	// ECS says it is struggling after a few start failures in a row, and
	// says it again now and then while the failures go on.
	if startFailure && (svc.failStreak == 3 || (svc.throttled && svc.failStreak%10 == 3)) {
		svc.throttled = true
		a.event(svc, evThrottled(svc.name))
	}
	if svc.breaker && dep.rollout == "IN_PROGRESS" && dep.failed >= breakerThreshold(svc.desired) {
		dep.rollout, dep.reason, dep.updated = "FAILED", rolloutReason("FAILED", dep.id), a.clock
		a.event(svc, evFailed(svc.name, dep.id))
	}
}

// noteSuccess ends a streak of failures.
func (a *Account) noteSuccess(svc *service) {
	svc.failStreak, svc.throttled = 0, false
}

// breakerThreshold is how many failed tasks trip the deployment circuit
// breaker: half the desired count, at least 3 and at most 200.
func breakerThreshold(desired int32) int32 {
	n := (desired + 1) / 2
	return min(max(n, 3), 200)
}

// reconcile decides what the scheduler does next for a service.
func (a *Account) reconcile(svc *service) {
	dep := svc.primary()
	if dep == nil {
		return
	}
	tasks := a.serviceTasks(svc)

	// Replace the old deployments' running tasks by the new one's healthy
	// ones, keeping at least desiredCount up (minimumHealthyPercent 100).
	healthyNew := 0
	var oldRunning []*task
	for _, t := range tasks {
		switch {
		case t.dep == dep && t.healthy():
			healthyNew++
		case t.dep != dep && t.desired == "RUNNING" && t.lastStatus == "RUNNING":
			oldRunning = append(oldRunning, t)
		}
	}
	if excess := healthyNew + len(oldRunning) - int(svc.desired); excess > 0 && len(oldRunning) > 0 {
		// Unhealthy ones first, then the oldest.
		sort.SliceStable(oldRunning, func(i, j int) bool {
			if oldRunning[i].healthy() != oldRunning[j].healthy() {
				return !oldRunning[i].healthy()
			}
			return oldRunning[i].created.Before(oldRunning[j].created)
		})
		a.stopForScaling(svc, dep, oldRunning[:min(excess, len(oldRunning))])
	}

	// Scale in: stop the PRIMARY's extra tasks, pending ones first.
	live := a.live(svc, dep)
	if extra := len(live) - int(svc.desired); extra > 0 {
		sort.SliceStable(live, func(i, j int) bool { return live[i].lastStatus != "RUNNING" && live[j].lastStatus == "RUNNING" })
		a.stopForScaling(svc, dep, live[:extra])
		live = live[extra:]
	}

	// Retire old deployments that have nothing left running.
	kept := svc.deployments[:1]
	for _, d := range svc.deployments[1:] {
		busy := false
		for _, t := range tasks {
			if t.dep == d && t.lastStatus != "STOPPED" {
				busy = true
			}
		}
		if busy {
			kept = append(kept, d)
		}
	}
	svc.deployments = kept

	// Too few tasks: plan the next attempt, later after failures.
	if len(live) < int(svc.desired) {
		wait := time.Duration(0)
		if svc.failStreak > 0 {
			wait = a.retryDelay()
		}
		a.requestLaunch(svc, a.clock.Add(wait))
	}

	// Rollout and steady state.
	pending := 0
	for _, t := range live {
		if t.lastStatus != "RUNNING" {
			pending++
		}
	}
	stable := len(svc.deployments) == 1 && healthyNew == int(svc.desired) && len(live) == int(svc.desired) && pending == 0
	switch {
	case stable && dep.rollout == "IN_PROGRESS":
		dep.rollout, dep.reason, dep.updated = "COMPLETED", rolloutReason("COMPLETED", dep.id), a.clock
		a.event(svc, evSteady(svc.name))
		a.event(svc, evCompleted(svc.name, dep.id))
		svc.steady = true
	case stable && !svc.steady:
		a.event(svc, evSteady(svc.name))
		svc.steady = true
	case !stable:
		svc.steady = false
	}
}

// stopForScaling stops tasks the scheduler no longer needs.
func (a *Account) stopForScaling(svc *service, dep *deployment, tasks []*task) {
	if len(tasks) == 0 {
		return
	}
	var ids []string
	for _, t := range tasks {
		var exit int32 // a clean exit on SIGTERM
		a.stopTask(t, stopScheduler, msgScaling(dep.id), &exit, 5*time.Second)
		ids = append(ids, t.id)
	}
	a.event(svc, evStopped(svc.name, ids))
}

// event adds a service event; ECS keeps the newest 100.
func (a *Account) event(svc *service, msg string) {
	ev := serviceEvent{id: a.uuid("event", svc.owner.sc.Name, svc.arn, msg), msg: msg, at: a.clock}
	svc.events = append([]serviceEvent{ev}, svc.events...)
	if len(svc.events) > 100 {
		svc.events = svc.events[:100]
	}
}
