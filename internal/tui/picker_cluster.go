package tui

import (
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/backend"
)

// clusterPicker lists the region's clusters with their counts.
type clusterPicker struct {
	picker
	rows    []backend.ClusterSummary
	load    *load
	loading bool
	loaded  bool
	err     error
	// prefer is the cluster the cursor goes to when the list arrives: the
	// one the user was in before switching account.
	prefer string
}

func newClusterPicker(c *common) *clusterPicker {
	return &clusterPicker{picker: newPicker(c, targetCluster, clusterColumns)}
}

func clusterColumns(width int) []column {
	return []column{{"NAME", 0}, {"STATUS", 8}, {"SERVICES", 8}, {"RUNNING", 7}, {"PENDING", 7}}
}

func (p *clusterPicker) begin(l *load) {
	p.load.stop()
	p.load, p.loading, p.err = l, true, nil
}

func (p *clusterPicker) receive(msg clustersMsg) tea.Cmd {
	if msg.load != p.load {
		return nil
	}
	p.loading, p.loaded, p.err = false, msg.err == nil, msg.err
	if msg.err == nil {
		p.rows = msg.rows
		p.rebuild()
		if p.prefer != "" {
			p.selectKey(p.prefer)
			p.prefer = ""
		}
	}
	return nil
}

// rebuild renders the rows (after they arrive, or a restyle).
func (p *clusterPicker) rebuild() {
	st := p.c.styles
	items := make([]*pickItem, 0, len(p.rows))
	for _, c := range p.rows {
		pending := strconv.Itoa(int(c.PendingTasks))
		if c.PendingTasks > 0 {
			pending = st.Marked.Render(pending)
		}
		items = append(items, &pickItem{
			key:    c.Name,
			cells:  []string{c.Name, c.Status, strconv.Itoa(int(c.ActiveServices)), strconv.Itoa(int(c.RunningTasks)), pending},
			search: itemSearch(c.Name),
		})
	}
	p.setItems(items)
}

func (p *clusterPicker) handleKey(m *Model, k tea.KeyPressMsg) (bool, tea.Cmd) {
	if !p.filtering && key.Matches(k, p.c.keys.Refresh) {
		if p.loading {
			return false, nil
		}
		return true, m.startClusters()
	}
	if !p.filtering && key.Matches(k, p.c.keys.Back) && p.filter.Value() == "" {
		return false, nil
	}
	return p.picker.handleKey(m, k)
}

func (p *clusterPicker) View() string {
	st := p.c.styles
	status := ""
	switch {
	case p.loading:
		status = p.c.spin + st.Faint.Render(" listing clusters")
	case p.err != nil:
		status = st.Bad.Render("✗ " + firstLine(p.err.Error()))
	case p.filter.Value() != "":
		status = st.Faint.Render(fmt.Sprintf("%d of %d", p.shown, len(p.rows)))
	default:
		status = st.Faint.Render(plural(len(p.rows), "cluster", "clusters"))
	}
	if p.loaded && len(p.rows) == 0 {
		status = st.Faint.Render("no clusters in this region")
	}
	return p.view("Clusters", status)
}

func (p *clusterPicker) actions() []action {
	busy := ""
	if p.loading {
		busy = "the clusters are still loading"
	}
	out := p.baseActions(p.pane.selected() != nil, "no cluster to open", busy)
	if !p.filtering {
		out = append(out, act(p.c.keys.Back).unless(true, "this is the first screen").hide())
	}
	return out
}
