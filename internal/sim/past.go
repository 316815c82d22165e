package sim

import (
	"strings"
	"time"

	"github.com/ecsdoctor/ecsdoctor/internal/scenario"
)

// A new account is not born empty: a learner should find it as AWS would
// look after the scheduler has been at work for a while. So each service's
// deployment starts some twenty minutes before the account's birth and the
// simulator plays that past through the very same scheduler and rules as
// the present, only at AWS's pace (minutes between retries). A failing
// service thus shows several stopped tasks a few minutes apart with the
// stop reason the rules produce; a healthy one shows running tasks and a
// steady state.
//
// The scenario's hand-written History is used only for the shape of that
// past, never for its outcome: how far back it reaches, and whether an
// older deployment was replaced (a task stopped by "Scaling activity").

// minPast is the shortest past a service is given.
const minPast = 20 * time.Minute

type plannedPast struct {
	spec     scenario.Service // as the scenario describes it (Replay shows its History)
	svc      *service
	td       string
	net      netConfig
	window   time.Duration // how long before the account's birth the deployment began
	replaced bool          // an older deployment ran first and was replaced
}

func planPast(svc *service, s scenario.Service, td string, net netConfig) plannedPast {
	p := plannedPast{spec: s, svc: svc, td: td, net: net, window: minPast}
	h := s.History
	if h == nil {
		return p
	}
	oldest := 0
	for _, e := range h.Events {
		oldest = max(oldest, e.AgoSeconds)
	}
	for _, t := range h.Tasks {
		oldest = max(oldest, t.AgoSeconds+90)
		if t.StopCode == stopScheduler && strings.Contains(strings.ToLower(t.StoppedReason), "scaling activity") {
			p.replaced = true
		}
	}
	p.window = max(p.window, time.Duration(oldest+60)*time.Second)
	return p
}

// replacedRun is how long the replaced deployment ran before the current one.
const replacedRun = 30 * time.Minute

// playPast runs every service's past up to the account's birth, then hands
// the scheduler over to the present's pace.
func (a *Account) playPast() {
	for _, w := range a.worlds {
		for _, p := range w.past {
			start := a.built.Add(-p.window)
			first := start
			if p.replaced {
				first = start.Add(-replacedRun)
				a.at(first, func() { a.startDeployment(p.svc, p.td, p.net) })
			}
			p.svc.created = first.Add(-time.Minute)
			a.at(start, func() { a.startDeployment(p.svc, p.td, p.net) })
		}
		w.past = nil
	}
	a.advance(a.built)
	// A service that was backing off retries soon, at the present's pace.
	for _, cl := range a.clusters.list() {
		for _, svc := range cl.services.list() {
			if !svc.launchAt.IsZero() {
				a.requestLaunch(svc, a.clock.Add(a.retryDelay()))
			}
		}
	}
}
