package sim

import (
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// replayHistory shows each service's History as it was captured (a
// snapshot): its deployment's rollout, its events, its tasks with their
// stop codes, reasons and container states, and the chosen task's log
// lines. Nothing is decided by the rules; the scheduler stays still.
func (a *Account) replayHistory() {
	a.advance(a.built)
	for _, w := range a.worlds {
		for _, p := range w.past {
			dep := a.startDeployment(p.svc, p.td, p.net)
			h := p.spec.History
			if h == nil {
				continue
			}
			// The deployment predates everything its history shows.
			oldest := 0
			for _, e := range h.Events {
				oldest = max(oldest, e.AgoSeconds)
			}
			for _, t := range h.Tasks {
				oldest = max(oldest, t.AgoSeconds+60)
			}
			dep.created = a.ago(oldest + 60)
			p.svc.created = dep.created.Add(-time.Minute)
			if h.Rollout != "" {
				dep.rollout, dep.reason = h.Rollout, h.RolloutReason
			}
			dep.failed = h.FailedTasks
			p.svc.events = nil
			for _, e := range h.Events {
				p.svc.events = append(p.svc.events, serviceEvent{id: a.uuid("event", w.sc.Name, p.svc.arn, strconv.Itoa(len(p.svc.events))), msg: e.Message, at: a.ago(e.AgoSeconds)})
			}
			for i, ht := range h.Tasks {
				a.replayTask(w, p, dep, i, ht)
			}
		}
		w.past = nil
	}
}

func (a *Account) ago(seconds int) time.Time {
	return a.built.Add(-time.Duration(seconds) * time.Second)
}

// replayTask recreates one captured task.
func (a *Account) replayTask(w *world, p plannedPast, dep *deployment, i int, ht scenario.Task) {
	svc := p.svc
	td := a.taskDefs.get(p.td)
	if td == nil || len(dep.net.subnets) == 0 {
		return
	}
	sn := a.subnets.get(dep.net.subnets[0])
	if ht.Subnet != "" {
		if id, ok := w.ids["subnet:"+ht.Subnet]; ok {
			sn = a.subnets.get(id)
		}
	}
	if sn == nil {
		return
	}
	id := a.hexID(32, "replayed-task", w.sc.Name, svc.arn, strconv.Itoa(i))
	at := a.ago(ht.AgoSeconds)
	t := &task{
		id: id, arn: a.arn("ecs", a.region, "task/"+svc.cluster.name+"/"+id), cluster: svc.cluster, svc: svc, dep: dep, td: td,
		net: dep.net, subnet: sn, lastStatus: ht.LastStatus, desired: ht.LastStatus, health: orDefault(ht.HealthStatus, "UNKNOWN"),
		stopCode: ht.StopCode, stopReason: ht.StoppedReason, created: at.Add(-time.Minute), started: at.Add(-30 * time.Second), version: 1,
	}
	if ht.LastStatus == "STOPPED" {
		t.stopping, t.stopped, t.execStopped = at, at, at
	} else {
		t.desired = "RUNNING"
	}
	t.attachment = a.uuid("attachment", id)
	byName := map[string]scenario.TaskContainer{}
	for _, c := range ht.Containers {
		byName[c.Name] = c
	}
	for _, c := range td.def.ContainerDefinitions {
		name := aws.ToString(c.Name)
		hc := byName[name]
		t.containers = append(t.containers, &containerState{
			name: name, image: aws.ToString(c.Image), lastStatus: orDefault(hc.LastStatus, ht.LastStatus), reason: hc.Reason,
			exit: hc.ExitCode, health: hc.HealthStatus, hasHealthCheck: c.HealthCheck != nil,
			arn: a.arn("ecs", a.region, "container/"+svc.cluster.name+"/"+id+"/"+a.uuid("container", id, name)),
		})
	}
	if ip, err := allocIP(sn, id); err == nil {
		eni := &networkInterface{id: a.ec2ID("eni", "task", id), owner: w.sc.Name, vpc: sn.vpc, subnet: sn.id, az: sn.az, ip: ip, kind: "interface", groups: cloneStrings(dep.net.groups), attachment: t.attachment}
		t.eni = eni
		if ht.LastStatus != "STOPPED" {
			a.enis.put(eni.id, eni)
		} else {
			releaseIP(sn, ip) // a stopped task's interface is gone; its address stays in the record
		}
	}
	svc.cluster.tasks.put(id, t)
	a.replayLogs(t, ht.Logs, at)
}

// replayLogs writes captured log lines into the task's own stream.
func (a *Account) replayLogs(t *task, lines []string, at time.Time) {
	if len(lines) == 0 {
		return
	}
	c, ok := appContainer(t.td.def)
	if !ok || c.LogConfiguration == nil {
		return
	}
	g := a.groups.get(c.LogConfiguration.Options["awslogs-group"])
	if g == nil {
		return
	}
	name := streamName(c, t.id)
	st := &logStream{name: name, created: at}
	for i, l := range lines {
		st.events = append(st.events, logEvent{at: at.Add(time.Duration(i-len(lines)) * time.Second), msg: l})
	}
	g.streams.put(name, st)
}
