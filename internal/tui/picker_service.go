package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
)

// servicePicker lists a cluster's services, unhealthy ones first. Rows
// arrive batch by batch; each batch merges in while the cursor stays on the
// service it was on.
type servicePicker struct {
	picker
	cluster string
	byARN   map[string]backend.ServiceSummary
	// itemOf caches each service's row, so a batch only renders its own.
	itemOf    map[string]*pickItem
	rows      []backend.ServiceSummary
	unhealthy int
	load      *load
	loading   bool
	loaded    bool
	err       error
}

func newServicePicker(c *common, cluster string) *servicePicker {
	return &servicePicker{picker: newPicker(c, targetService, serviceColumns), cluster: cluster,
		byARN: map[string]backend.ServiceSummary{}, itemOf: map[string]*pickItem{}}
}

// serviceColumns: a mark, the name, tasks running/desired, the rollout
// state, the last event's age, and on wide terminals the event itself.
func serviceColumns(width int) []column {
	if width >= 110 {
		return []column{{"", 1}, {"SERVICE", 36}, {"TASKS", 9}, {"ROLLOUT", 11}, {"EVENT", 5}, {"LAST EVENT", 0}}
	}
	return []column{{"", 1}, {"SERVICE", 0}, {"TASKS", 9}, {"ROLLOUT", 11}, {"EVENT", 5}}
}

func (p *servicePicker) begin(l *load) {
	p.load.stop()
	p.load, p.loading, p.err = l, true, nil
	p.byARN = map[string]backend.ServiceSummary{}
	p.itemOf = map[string]*pickItem{}
}

func (p *servicePicker) stop() {
	p.load.stop()
	p.loading = false
}

func (p *servicePicker) receive(msg serviceRowsMsg) tea.Cmd {
	if msg.stream.load != p.load {
		return nil // a listing the user has left
	}
	for _, r := range msg.rows {
		key := serviceKey(r)
		p.byARN[key] = r
		p.itemOf[key] = p.item(r)
	}
	if len(msg.rows) > 0 {
		p.merge()
	}
	if !msg.done {
		return msg.stream.next()
	}
	p.loading, p.err = false, msg.err
	p.loaded = msg.err == nil
	return nil
}

// merge sorts what has arrived (unhealthy first, then by name) and shows it.
func (p *servicePicker) merge() {
	p.rows = p.rows[:0]
	for _, r := range p.byARN {
		p.rows = append(p.rows, r)
	}
	backend.SortServices(p.rows)
	p.unhealthy = 0
	items := make([]*pickItem, 0, len(p.rows))
	for _, r := range p.rows {
		if r.Unhealthy {
			p.unhealthy++
		}
		items = append(items, p.itemOf[serviceKey(r)])
	}
	p.setItems(items)
}

// rebuild renders every row again (after a restyle).
func (p *servicePicker) rebuild() {
	for _, r := range p.rows {
		p.itemOf[serviceKey(r)] = p.item(r)
	}
	p.merge()
}

func serviceKey(r backend.ServiceSummary) string {
	if r.ARN != "" {
		return r.ARN
	}
	return r.Name
}

func (p *servicePicker) item(s backend.ServiceSummary) *pickItem {
	st := p.c.styles
	mark := st.Good.Render("✓")
	tasks := fmt.Sprintf("%d/%d", s.Running, s.Desired)
	if s.Unhealthy {
		mark = st.Bad.Render("✗")
		tasks = st.Bad.Render(tasks)
	}
	rollout := s.Rollout
	if rollout == "FAILED" {
		rollout = st.Bad.Render(rollout)
	}
	event := strings.TrimPrefix(s.LastEvent, "(service "+s.Name+") ")
	return &pickItem{
		key:    s.Name,
		cells:  []string{mark, s.Name, tasks, rollout, age(p.c.now(), s.LastEventAt), st.Faint.Render(event)},
		search: itemSearch(s.Name),
	}
}

func (p *servicePicker) handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd) {
	if !p.filtering {
		switch {
		case key.Matches(k, p.c.keys.Refresh):
			if p.loading {
				return false, nil
			}
			return true, m.startServices()
		case key.Matches(k, p.c.keys.Back) && p.filter.Value() == "":
			return true, m.backFromServices()
		}
	}
	return p.picker.handleKey(m, k)
}

func (p *servicePicker) View() string {
	st := p.c.styles
	var status string
	switch {
	case p.err != nil:
		status = st.Bad.Render("✗ " + firstLine(p.err.Error()))
	case p.loading:
		status = p.c.spin + st.Faint.Render(fmt.Sprintf(" %d so far", len(p.rows)))
	case p.filter.Value() != "":
		status = st.Faint.Render(fmt.Sprintf("%d of %d", p.shown, len(p.rows)))
	case p.loaded && len(p.rows) == 0:
		status = st.Faint.Render("no services in this cluster")
	default:
		status = st.Faint.Render(plural(len(p.rows), "service", "services"))
		if p.unhealthy > 0 {
			status += st.Bad.Render(fmt.Sprintf(" · %d unhealthy", p.unhealthy))
		}
	}
	return p.view("Services in "+p.cluster, status)
}

func (p *servicePicker) actions() []action {
	busy := ""
	if p.loading {
		busy = "the services are still loading"
	}
	out := p.baseActions(p.pane.selected() != nil, "no service to open", busy)
	if !p.filtering {
		out = append(out, act(p.c.keys.Back).as("clusters"))
	}
	return out
}
