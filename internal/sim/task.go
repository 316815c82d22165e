package sim

import (
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// A task's life, as Fargate lives it:
//
//	PROVISIONING  the scheduler asked for it; its network interface is made
//	PENDING       the agent fetches registry auth and secrets, checks the
//	              log driver and pulls the images (rules_startup.go)
//	RUNNING       the containers run; health checks and the app begin
//	              (rules_app.go)
//	STOPPING / DEPROVISIONING  on the way out
//	STOPPED       with a stop code and reason; kept for an hour
//
// Durations are AWS-like and scaled by Options.Speed.
const (
	provisionTime   = 10 * time.Second
	pullTime        = 20 * time.Second
	deprovisionTime = 10 * time.Second
	healthKillGrace = 30 * time.Second // ECS's stopTimeout before SIGKILL
)

// launchTask creates one task of a deployment in the next subnet (ECS
// spreads a service's tasks over its subnets' zones).
func (a *Account) launchTask(svc *service, dep *deployment, td *taskDef) *task {
	sn := a.subnets.get(dep.net.subnets[svc.launches%len(dep.net.subnets)])
	svc.launches++
	id := a.hexID(32, "task", svc.owner.sc.Name, svc.arn, strconv.Itoa(svc.launches))
	t := &task{
		id: id, arn: a.arn("ecs", a.region, "task/"+svc.cluster.name+"/"+id), cluster: svc.cluster, svc: svc, dep: dep, td: td,
		net: dep.net, subnet: sn, lastStatus: "PROVISIONING", desired: "RUNNING", health: "UNKNOWN",
		created: a.clock, version: 1,
	}
	t.attachment = a.uuid("attachment", id)
	for _, c := range td.def.ContainerDefinitions {
		cs := &containerState{
			name: aws.ToString(c.Name), image: aws.ToString(c.Image), lastStatus: "PENDING",
			arn:            a.arn("ecs", a.region, "container/"+svc.cluster.name+"/"+id+"/"+a.uuid("container", id, aws.ToString(c.Name))),
			hasHealthCheck: c.HealthCheck != nil && len(c.HealthCheck.Command) > 0 && c.HealthCheck.Command[0] != "NONE",
		}
		if cs.hasHealthCheck {
			cs.health = "UNKNOWN"
		}
		t.containers = append(t.containers, cs)
	}
	svc.cluster.tasks.put(id, t)

	// (a) The task's network interface needs a free address in the subnet.
	ip, err := allocIP(sn, id)
	if err != nil {
		f := &failure{code: stopTaskFailedToStart, reason: msgNoAddresses(sn.id, dep.net.publicIP), takes: 5 * time.Second}
		a.after(f.takes, func() { a.failTask(t, f) })
		return t
	}
	eni := &networkInterface{
		id: a.ec2ID("eni", "task", id), owner: svc.owner.sc.Name, vpc: sn.vpc, subnet: sn.id, az: sn.az, ip: ip,
		kind: "interface", requester: "578734482556", groups: cloneStrings(dep.net.groups), attachment: t.attachment,
		desc: a.arn("ecs", a.region, "attachment/"+t.attachment),
	}
	if dep.net.publicIP {
		eni.publicIP = publicIP("task", id)
	}
	eni.mac = macOf(eni.id)
	a.enis.put(eni.id, eni)
	t.eni = eni
	a.after(provisionTime, func() { a.taskPending(t) })
	return t
}

// ip is the task's private address, "" before it has one.
func (t *task) ip() string {
	if t.eni == nil {
		return ""
	}
	return t.eni.ip
}

// taskPending is where the agent takes over: the start-up rules decide how
// this task ends, against the world as it is now.
func (a *Account) taskPending(t *task) {
	if t.desired != "RUNNING" {
		return
	}
	t.lastStatus, t.connected = "PENDING", a.clock
	t.version++
	if f := a.startupFailure(t); f != nil {
		a.after(f.takes, func() { a.failTask(t, f) })
		return
	}
	t.pullStarted = a.clock
	a.after(pullTime, func() { a.taskRunning(t) })
}

// failTask stops a task that could not start.
func (a *Account) failTask(t *task, f *failure) {
	if t.desired != "RUNNING" {
		return
	}
	t.desired, t.lastStatus, t.stopping = "STOPPED", "DEPROVISIONING", a.clock
	t.stopCode, t.stopReason = f.code, f.reason
	t.version++
	for _, c := range t.containers {
		c.lastStatus = "STOPPED"
		if f.onContainers {
			c.reason = f.reason
		}
	}
	a.noteFailure(t.svc, t.dep, true, true)
	a.after(deprovisionTime, func() { a.taskStopped(t) })
	a.reconcile(t.svc)
}

// taskRunning starts the containers.
func (a *Account) taskRunning(t *task) {
	if t.desired != "RUNNING" {
		return
	}
	t.lastStatus, t.started, t.pullStopped = "RUNNING", a.clock, a.clock
	t.version++
	for i, c := range t.containers {
		c.lastStatus = "RUNNING"
		c.runtimeID = t.id + "-" + strconv.Itoa(1000000000+int(hashOf(t.id, c.name)[0])*1000+i)
		c.digest = a.imageDigest(c.image)
	}
	a.planHealth(t)
	if !t.hasHealthCheck() {
		a.noteSuccess(t.svc)
	}
	a.startApp(t)
	a.reconcile(t.svc)
}

// markHealthy is the first passing health check.
func (a *Account) markHealthy(t *task) {
	if t.lastStatus != "RUNNING" || t.desired != "RUNNING" {
		return
	}
	t.health = "HEALTHY"
	t.version++
	for _, c := range t.containers {
		if c.hasHealthCheck {
			c.health = "HEALTHY"
		}
	}
	a.noteSuccess(t.svc)
	a.reconcile(t.svc)
}

// markUnhealthy is the last failing health check: ECS replaces the task.
func (a *Account) markUnhealthy(t *task, container string) {
	if t.lastStatus != "RUNNING" || t.desired != "RUNNING" {
		return
	}
	t.health = "UNHEALTHY"
	for _, c := range t.containers {
		if c.name == container {
			c.health = "UNHEALTHY"
		}
	}
	a.event(t.svc, evUnhealthy(t.svc.name, t.id))
	killed := int32(137) // SIGKILL after the stop timeout
	a.stopTask(t, stopScheduler, msgHealthCheckStop, &killed, healthKillGrace)
	a.noteFailure(t.svc, t.dep, false, true)
	a.reconcile(t.svc)
}

// stopTask stops a running task: the containers get grace to exit, then
// the task is deprovisioned.
func (a *Account) stopTask(t *task, code, reason string, exit *int32, grace time.Duration) {
	if t.desired != "RUNNING" {
		return
	}
	t.desired, t.stopping = "STOPPED", a.clock
	t.stopCode, t.stopReason = code, reason
	if t.lastStatus == "RUNNING" {
		t.lastStatus = "STOPPING"
	}
	t.version++
	a.after(grace, func() {
		for _, c := range t.containers {
			if c.lastStatus == "RUNNING" {
				c.exit = exit
			}
			c.lastStatus = "STOPPED"
		}
		t.lastStatus, t.execStopped = "DEPROVISIONING", a.clock
		t.version++
		a.after(deprovisionTime, func() { a.taskStopped(t) })
	})
}

// taskStopped is the end: the network interface goes, and ECS keeps the
// task describable for an hour.
func (a *Account) taskStopped(t *task) {
	if t.lastStatus == "STOPPED" {
		return
	}
	t.lastStatus, t.stopped = "STOPPED", a.clock
	if t.execStopped.IsZero() {
		t.execStopped = a.clock
	}
	t.version++
	if t.eni != nil {
		releaseIP(t.subnet, t.eni.ip)
		a.enis.del(t.eni.id)
	}
	if t.app != nil {
		t.app.stopped = true
	}
	a.at(a.clock.Add(keepStopped), func() { t.cluster.tasks.del(t.id) })
	a.reconcile(t.svc)
}
