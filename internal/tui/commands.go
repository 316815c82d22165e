package tui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/backend"
	"github.com/ecsdoctor/ecsdoctor/internal/workflow"
)

// load is one AWS call (or stream of calls) the UI started: its context
// cancels it when the user leaves the screen that wanted it, or quits.
type load struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newLoad(parent context.Context, timeout time.Duration) *load {
	ctx, cancel := context.WithTimeout(parent, timeout)
	return &load{ctx: ctx, cancel: cancel}
}

func (l *load) stop() {
	if l != nil {
		l.cancel()
	}
}

func identityCmd(ctx context.Context, src Source, timeout time.Duration, gen int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		c, err := src.Identity(ctx)
		return identityMsg{gen: gen, caller: c, err: err}
	}
}

func clustersCmd(l *load, src Source) tea.Cmd {
	return func() tea.Msg {
		defer l.cancel()
		rows, err := src.Clusters(l.ctx)
		return clustersMsg{load: l, rows: rows, err: err}
	}
}

func logsCmd(l *load, src Source, group, stream, token string, limit int32, follow bool) tea.Cmd {
	return func() tea.Msg {
		defer l.cancel()
		page, err := src.TaskLogs(l.ctx, group, stream, token, limit)
		return logPageMsg{load: l, page: page, follow: follow, err: err}
	}
}

// serviceStream carries a service listing into the program batch by batch:
// Source.Services runs in its own goroutine, and each message re-arms the
// wait for the next, so Update never blocks and the first rows show while
// the rest of a thousand services are still being described.
type serviceStream struct {
	load *load
	rows chan []backend.ServiceSummary
	done chan error
}

func servicesCmd(l *load, src Source, cluster string) tea.Cmd {
	return func() tea.Msg {
		s := &serviceStream{load: l, rows: make(chan []backend.ServiceSummary, 16), done: make(chan error, 1)}
		go func() {
			err := src.Services(l.ctx, cluster, func(rows []backend.ServiceSummary) {
				select {
				case s.rows <- rows:
				case <-l.ctx.Done():
				}
			})
			s.done <- err
			l.cancel()
		}()
		return s.wait()
	}
}

func (s *serviceStream) next() tea.Cmd { return s.wait }

// wait returns the next batch, merged with any others already waiting, so a
// fast backend does not flood the program with messages.
func (s *serviceStream) wait() tea.Msg {
	select {
	case rows := <-s.rows:
		return serviceRowsMsg{stream: s, rows: s.drain(rows)}
	case err := <-s.done:
		// Services returned, so every onRows call has; what they sent is
		// still in the channel.
		return serviceRowsMsg{stream: s, rows: s.drain(nil), done: true, err: err}
	}
}

func (s *serviceStream) drain(rows []backend.ServiceSummary) []backend.ServiceSummary {
	for {
		select {
		case more := <-s.rows:
			rows = append(rows, more...)
		default:
			return rows
		}
	}
}

// diagnosisStream carries a streaming diagnosis into the program. Progress
// snapshots replace each other (only the newest matters), so the channel
// holds one and a slow screen skips intermediate ones.
type diagnosisStream struct {
	load    *load
	refresh bool // a re-diagnosis of what is on screen: show only the result
	mu      sync.Mutex
	latest  chan *workflow.Diagnosis
	done    chan diagnosisMsg
}

func diagnoseCmd(l *load, src Source, req awsx.Request, refresh bool) (*diagnosisStream, tea.Cmd) {
	s := &diagnosisStream{load: l, refresh: refresh, latest: make(chan *workflow.Diagnosis, 1), done: make(chan diagnosisMsg, 1)}
	return s, func() tea.Msg {
		go func() {
			var progress func(*workflow.Diagnosis)
			if !refresh {
				progress = s.offer
			}
			d, err := src.Diagnose(l.ctx, req, progress)
			s.done <- diagnosisMsg{stream: s, d: d, final: true, err: err}
			l.cancel()
		}()
		return s.wait()
	}
}

// offer replaces the waiting snapshot with a newer one; it never blocks the
// gatherer.
func (s *diagnosisStream) offer(d *workflow.Diagnosis) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.latest:
	default:
	}
	s.latest <- d
}

func (s *diagnosisStream) next() tea.Cmd { return s.wait }

func (s *diagnosisStream) wait() tea.Msg {
	select {
	case d := <-s.latest:
		return diagnosisMsg{stream: s, d: d}
	case m := <-s.done:
		return m
	}
}

func refreshTick(every time.Duration, gen int) tea.Cmd {
	return tea.Tick(every, func(time.Time) tea.Msg { return refreshTickMsg{gen: gen} })
}

// followInterval is how often F asks CloudWatch Logs for new lines.
const followInterval = 2 * time.Second

func followTick(lv *logViewer) tea.Cmd {
	return tea.Tick(followInterval, func(time.Time) tea.Msg { return followTickMsg{viewer: lv} })
}
