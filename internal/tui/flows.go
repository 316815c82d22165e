package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

// The loads the screens start, and the moves between screens.

func (m *Model) startClusters() tea.Cmd {
	l := newLoad(m.ctx, m.opts.callTimeout())
	m.clusters.begin(l)
	return tea.Batch(clustersCmd(l, m.src), m.startSpinner())
}

// startServices lists the picker's cluster. The whole listing may take many
// pages, so it gets several call timeouts; the backend bounds each call.
func (m *Model) startServices() tea.Cmd {
	l := newLoad(m.ctx, 4*m.opts.callTimeout())
	m.services.begin(l)
	return tea.Batch(servicesCmd(l, m.src, m.services.cluster), m.startSpinner())
}

// startDiagnosis (re-)diagnoses the workflow's target, cancelling a
// diagnosis still running. A refresh keeps the current diagnosis on screen
// until the new one is complete, so a live view does not flicker back to
// spinners every few seconds.
func (m *Model) startDiagnosis(refresh bool) tea.Cmd {
	return m.runDiagnosis(refresh, 0)
}

// settingsMaxAge is how long an automatic refresh reuses what surrounds the
// service (network, IAM, the resources its task definition names): a
// redeployment changes the service and its tasks, which every refresh
// re-reads, while re-reading the rest every few seconds would spend the
// account's IAM and EC2 request rate on answers that do not change. A
// manual refresh (r) and every fix read everything afresh.
const settingsMaxAge = time.Minute

// runDiagnosis starts a diagnosis that reuses settings answers at most
// reuse old; every diagnosis keeps its answers for the ticks after it.
func (m *Model) runDiagnosis(refresh bool, reuse time.Duration) tea.Cmd {
	wf := m.wf
	if wf.stream != nil {
		wf.stream.load.stop()
	}
	l := newLoad(awsx.WithCachedReads(m.ctx, reuse), 4*m.opts.callTimeout())
	s, cmd := diagnoseCmd(l, m.src, wf.target, refresh)
	wf.begin(s)
	return tea.Batch(cmd, m.startSpinner())
}

func (m *Model) receiveDiagnosis(msg diagnosisMsg) tea.Cmd {
	wf := m.wf
	if wf == nil || msg.stream != wf.stream {
		return nil // an answer for a service or refresh the user has left
	}
	if !msg.final {
		if msg.d != nil {
			wf.apply(msg.d, false)
			m.rebuildLayers()
		}
		return msg.stream.next()
	}
	wf.stream = nil
	if err := m.classify("the diagnosis", msg.err); err != nil {
		wf.fail(err, msg.stream.refresh)
		if msg.stream.refresh {
			m.flash = "refresh failed: " + firstLine(err.Error())
		}
		return tea.Batch(m.scheduleRefresh(), m.afterCall(err))
	}
	wf.apply(msg.d, true)
	wf.refreshedAt = m.opts.now()
	m.rebuildLayers()
	return tea.Batch(m.scheduleRefresh(), m.afterCall(nil))
}

func (m *Model) rebuildLayers() {
	for _, l := range m.stack {
		l.rebuild(m)
	}
}

// scheduleRefresh arms the --refresh timer. Each arming gets a new
// generation, so only the newest timer's tick re-diagnoses.
func (m *Model) scheduleRefresh() tea.Cmd {
	m.wf.refreshGen++
	if m.opts.Refresh <= 0 {
		return nil
	}
	return refreshTick(m.opts.Refresh, m.wf.refreshGen)
}

func (m *Model) onRefreshTick(msg refreshTickMsg) tea.Cmd {
	if m.screen != screenWorkflow || m.wf == nil || msg.gen != m.wf.refreshGen || m.wf.running() {
		return nil
	}
	return m.runDiagnosis(m.wf.complete, settingsMaxAge)
}

func (m *Model) openCluster(name string) tea.Cmd {
	m.opts.Cluster = name
	if m.services.cluster != name || m.services.err != nil || (!m.services.loading && !m.services.loaded) {
		m.services.stop()
		m.services = newServicePicker(m.c, name)
		m.screen = screenServices
		m.layout()
		return m.startServices()
	}
	m.screen = screenServices
	return nil
}

func (m *Model) openService(name string) tea.Cmd {
	m.leaveWorkflow()
	m.opts.Service = name
	m.wf = newWorkflowView(m.c, awsx.Request{Cluster: m.services.cluster, Service: name})
	m.screen = screenWorkflow
	m.layout()
	return m.startDiagnosis(false)
}

// leaveWorkflow stops the workflow's diagnosis, its refresh timer and its
// drill-downs.
func (m *Model) leaveWorkflow() {
	for len(m.stack) > 0 {
		m.pop()
	}
	if m.wf != nil {
		if m.wf.stream != nil {
			m.wf.stream.load.stop()
			m.wf.stream = nil
		}
		m.wf.refreshGen++
	}
}

// backFromWorkflow goes to the service picker of the workflow's cluster
// (listing it if the UI started on the workflow).
func (m *Model) backFromWorkflow() tea.Cmd {
	cluster := m.wf.target.Cluster
	m.leaveWorkflow()
	return m.openCluster(cluster)
}

func (m *Model) backFromServices() tea.Cmd {
	m.services.stop()
	m.screen = screenClusters
	if !m.clusters.loaded && !m.clusters.loading {
		return m.startClusters()
	}
	return nil
}

// open pushes the drill-down (or log viewer) a row's target names.
func (m *Model) open(t target) tea.Cmd {
	switch t.kind {
	case targetCluster:
		return m.openCluster(t.id)
	case targetService:
		return m.openService(t.id)
	case targetLog:
		lv := newLogViewer(m.c, t.id, t.sub, m.wf.logLines(t.id, t.sub))
		m.push(lv)
		return tea.Batch(lv.start(m), m.startSpinner())
	}
	if d := newDrill(m.c, t); d != nil {
		m.push(d)
		d.rebuild(m)
	}
	return nil
}
