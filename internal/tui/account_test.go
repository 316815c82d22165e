package tui

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/color"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
	"github.com/ecsdoctor/ecsdoctor/internal/facts"
	"github.com/ecsdoctor/ecsdoctor/internal/report"
)

// switchRecorder is Options.Switch over demo accounts: it records what it
// was asked to open, and opens another demo account that says it is
// account 210987654321, or fails with fail.
type switchRecorder struct {
	mu   sync.Mutex
	asks []switchTarget
	fail func(profile string) error
	to   *demoSource
}

func (r *switchRecorder) open(_ context.Context, profile, region string) (Source, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asks = append(r.asks, switchTarget{profile, region})
	if r.fail != nil {
		if err := r.fail(profile); err != nil {
			return nil, err
		}
	}
	return r.to, nil
}

func (r *switchRecorder) calls() []switchTarget {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.asks)
}

func switchingOptions(t *testing.T) (Options, *switchRecorder) {
	to := newDemoSource(t)
	to.account = "210987654321"
	r := &switchRecorder{to: to}
	return Options{
		Cluster: "demo", Profile: "default", Region: "us-east-1",
		Profiles: func() ([]string, error) { return []string{"default", "dev", "prod"}, nil },
		Switch:   r.open,
	}, r
}

// P lists the profiles (the current one first), then the regions (the
// current one first); enter on a region opens that account: its identity
// in the header, the cluster picker with the cursor on the cluster the
// user was in.
func TestSwitchProfileAndRegion(t *testing.T) {
	opts, rec := switchingOptions(t)
	s := startSession(t, newDemoSource(t), opts, 120, 35)
	frame := plainFrame(s.settle())
	if !strings.Contains(lastLine(frame), "P profile") {
		t.Errorf("the service picker's footer lacks P: %q", lastLine(frame))
	}
	frame = plainFrame(s.press("P"))
	for _, want := range []string{"Switch profile", "› default", "current", "dev", "prod", "demo › services › profile"} {
		if !strings.Contains(frame, want) {
			t.Errorf("the profile list lacks %q:\n%s", want, frame)
		}
	}
	frame = plainFrame(s.press("down", "enter"))
	if !strings.Contains(frame, "Region for dev") || !strings.Contains(frame, "› us-east-1") || !strings.Contains(frame, "eu-west-1") {
		t.Fatalf("the region list:\n%s", frame)
	}
	s.press("/")
	s.typeText("eu-west-1")
	frame = plainFrame(s.press("enter", "enter"))
	if got := rec.calls(); !slices.Equal(got, []switchTarget{{"dev", "eu-west-1"}}) {
		t.Fatalf("Switch was asked for %v", got)
	}
	for _, want := range []string{"account 210987654321 · eu-west-1 · profile dev", " clusters\n", "› demo", "switched to dev in eu-west-1 (account 210987654321)"} {
		if !strings.Contains(frame, want) {
			t.Errorf("after the switch the screen lacks %q:\n%s", want, frame)
		}
	}
	// The new account is the one asked from now on.
	s.press("enter")
	if frame = plainFrame(s.settle()); !strings.Contains(frame, "Services in demo") {
		t.Errorf("enter on the new account's cluster:\n%s", frame)
	}
}

// A switch that fails (an unknown profile, no credentials) leaves the UI
// where it was, and says why in the footer.
func TestSwitchFailureStays(t *testing.T) {
	opts, rec := switchingOptions(t)
	rec.fail = func(profile string) error {
		return &awsx.InputError{Message: "unknown AWS profile \"" + profile + "\": it is not in ~/.aws/config or ~/.aws/credentials"}
	}
	s := startSession(t, newDemoSource(t), opts, 120, 35)
	before := plainFrame(s.settle())
	frame := plainFrame(s.press("P", "down", "down", "enter", "enter"))
	if !strings.Contains(lastLine(frame), `not switched to prod in us-east-1: unknown AWS profile "prod"`) {
		t.Errorf("the failure is not explained: %q", lastLine(frame))
	}
	if head := strings.SplitN(frame, "\n", 3); head[0]+head[1] != strings.Join(strings.SplitN(before, "\n", 3)[:2], "") {
		t.Errorf("the header changed:\n%s", frame)
	}
	if !strings.Contains(frame, "Services in demo") || s.m.switcher != nil {
		t.Errorf("the UI left the service picker:\n%s", frame)
	}
}

// Without credentials the new source cannot say who it is: that fails the
// switch too, before anything of the current account is stopped.
func TestSwitchWithoutCredentialsStays(t *testing.T) {
	opts, rec := switchingOptions(t)
	failing := &failingIdentity{demoSource: rec.to, err: errors.New("operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found")}
	opts.Switch = func(ctx context.Context, profile, region string) (Source, error) { return failing, nil }
	s := startSession(t, newDemoSource(t), opts, 120, 35)
	s.settle()
	frame := plainFrame(s.press("P", "down", "enter", "enter"))
	if !strings.Contains(lastLine(frame), "not switched to dev in us-east-1: profile dev gave no usable AWS credentials") {
		t.Errorf("footer: %q", lastLine(frame))
	}
	if !strings.Contains(frame, "account 123456789012 · us-east-1 · profile default") {
		t.Errorf("the header changed:\n%s", frame)
	}
}

type failingIdentity struct {
	*demoSource
	err error
}

func (f *failingIdentity) Identity(context.Context) (facts.Caller, error) {
	return facts.Caller{}, f.err
}

// In the demo, P is shown disabled on the pickers and says why.
func TestSwitchUnavailableInDemo(t *testing.T) {
	s := startSession(t, newDemoSource(t), Options{Region: "us-east-1", Profile: "demo", Demo: true}, 120, 35)
	frame := plainFrame(s.settle())
	if !strings.Contains(lastLine(frame), "P profile") {
		t.Errorf("footer lacks the disabled P: %q", lastLine(frame))
	}
	frame = plainFrame(s.press("P"))
	if !strings.Contains(lastLine(frame), "P: the demo account has no profiles") || s.m.switcher != nil {
		t.Errorf("P in the demo: %q", lastLine(frame))
	}
}

// fakeLogin stands in for `aws sso login`: it goes through Bubble Tea's
// Exec (the terminal is handed over and back), records the command, and
// renews the session of the sources given, or fails.
type fakeLogin struct {
	mu    sync.Mutex
	argvs [][]string
	fail  error
	renew []*demoSource
}

func (f *fakeLogin) run(argv []string, done tea.ExecCallback) tea.Cmd {
	return tea.Exec(&fakeLoginCmd{f: f, argv: argv}, done)
}

func (f *fakeLogin) ran() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.argvs)
}

type fakeLoginCmd struct {
	f    *fakeLogin
	argv []string
	out  io.Writer
}

func (c *fakeLoginCmd) SetStdin(io.Reader)    {}
func (c *fakeLoginCmd) SetStdout(w io.Writer) { c.out = w }
func (c *fakeLoginCmd) SetStderr(io.Writer)   {}

func (c *fakeLoginCmd) Run() error {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	c.f.argvs = append(c.f.argvs, c.argv)
	if c.out != nil {
		io.WriteString(c.out, "fake login ran on the terminal\n")
	}
	if c.f.fail != nil {
		return c.f.fail
	}
	for _, s := range c.f.renew {
		s.ssoExpired.Store(false)
	}
	return nil
}

// An expired SSO session is shown with the exact command; L runs it on the
// terminal and then tries again what failed, wherever the UI is.
func TestSSOLoginRetries(t *testing.T) {
	cases := map[string]struct {
		opts Options
		want string // what the screen shows once the retry succeeded
	}{
		"clusters": {Options{Profile: "dev", Region: "us-east-1"}, "1 cluster"},
		"services": {Options{Profile: "dev", Region: "us-east-1", Cluster: "demo"}, "11 services"},
		"workflow": {Options{Profile: "dev", Region: "us-east-1", Cluster: "demo", Service: "no-endpoints"}, "has no running tasks"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			src := newDemoSource(t)
			src.ssoExpired.Store(true)
			login := &fakeLogin{renew: []*demoSource{src}}
			s := startSession(t, src, tc.opts, 120, 35, func(m *Model) { m.runLogin = login.run })
			frame := plainFrame(s.settle())
			for _, want := range []string{"AWS SSO session expired · L runs `aws sso login --profile dev`, then retries", "L sso login"} {
				if !strings.Contains(frame, want) {
					t.Errorf("the expired session is not explained (%q):\n%s", want, frame)
				}
			}
			if strings.Contains(frame, "account ") {
				t.Errorf("the header shows an account without an identity:\n%s", frame)
			}
			s.press("L")
			frame = plainFrame(s.waitFor("the retry", func(m *Model) bool { return m.login == nil && m.idle() && m.caller != nil }))
			if got := login.ran(); len(got) != 1 || !slices.Equal(got[0], []string{"aws", "sso", "login", "--profile", "dev"}) {
				t.Fatalf("the login ran %q", got)
			}
			if strings.Contains(frame, "SSO session expired") || !strings.Contains(frame, "account 123456789012") || !strings.Contains(frame, tc.want) {
				t.Errorf("after the login:\n%s", frame)
			}
			teatest.WaitFor(t, s.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("fake login ran on the terminal")) }, teatest.WithDuration(5*time.Second))
		})
	}
}

// A login that fails keeps the prompt, saying why; L tries again.
func TestSSOLoginFailureKeepsPrompt(t *testing.T) {
	src := newDemoSource(t)
	src.ssoExpired.Store(true)
	login := &fakeLogin{fail: errors.New("exit status 1"), renew: []*demoSource{src}}
	s := startSession(t, src, Options{Profile: "dev", Region: "us-east-1"}, 120, 35, func(m *Model) { m.runLogin = login.run })
	s.settle()
	s.press("L")
	frame := plainFrame(s.waitFor("the failure", func(m *Model) bool { return m.login != nil && m.login.failed != "" }))
	if !strings.Contains(frame, "`aws sso login --profile dev` failed (exit status 1): L tries again") {
		t.Errorf("the failure is not shown:\n%s", frame)
	}
	login.mu.Lock()
	login.fail = nil
	login.mu.Unlock()
	s.press("L")
	frame = plainFrame(s.waitFor("the retry", func(m *Model) bool { return m.login == nil && m.idle() && m.caller != nil }))
	if !strings.Contains(frame, "1 cluster") {
		t.Errorf("the second L did not retry:\n%s", frame)
	}
}

// A switch that fails for want of an SSO session offers L for that
// profile; after the login the switch itself is tried again.
func TestSwitchNeedsLogin(t *testing.T) {
	opts, rec := switchingOptions(t)
	rec.to.ssoExpired.Store(true)
	login := &fakeLogin{renew: []*demoSource{rec.to}}
	s := startSession(t, newDemoSource(t), opts, 120, 35, func(m *Model) { m.runLogin = login.run })
	s.settle()
	frame := plainFrame(s.press("P", "down", "down", "enter", "enter"))
	for _, want := range []string{"SSO session of profile prod expired · L runs `aws sso login --profile prod`, then opens it in us-east-1", "Services in demo", "profile default"} {
		if !strings.Contains(frame, want) {
			t.Errorf("lacks %q:\n%s", want, frame)
		}
	}
	s.press("L")
	frame = plainFrame(s.waitFor("the switch", func(m *Model) bool { return m.opts.Profile == "prod" && m.idle() }))
	if !strings.Contains(frame, "account 210987654321 · us-east-1 · profile prod") || strings.Contains(frame, "SSO session") {
		t.Errorf("after the login the switch did not happen:\n%s", frame)
	}
	if got := login.ran(); len(got) != 1 || !slices.Equal(got[0], []string{"aws", "sso", "login", "--profile", "prod"}) {
		t.Errorf("the login ran %q", got)
	}
}

// L with nothing to renew says so.
func TestLoginWithoutExpiredSession(t *testing.T) {
	s := startSession(t, newDemoSource(t), Options{}, 120, 35, func(m *Model) {
		m.runLogin = func([]string, tea.ExecCallback) tea.Cmd { t.Error("L ran a command"); return nil }
	})
	s.settle()
	if frame := plainFrame(s.press("L")); !strings.Contains(lastLine(frame), "L: no AWS SSO session needs renewing") {
		t.Errorf("L: %q", lastLine(frame))
	}
}

// C copies the diagnosis as the Markdown report, through OSC 52.
func TestCopyReport(t *testing.T) {
	src := newDemoSource(t)
	s := startSession(t, src, workflowOptions("no-endpoints"), 120, 35)
	s.settle()
	frame := plainFrame(s.press("C"))
	if !strings.Contains(lastLine(frame), "copied the report of no-endpoints (Markdown") {
		t.Errorf("C: %q", lastLine(frame))
	}
	var md bytes.Buffer
	s.waitFor("the diagnosis", func(m *Model) bool { return report.WriteMarkdown(&md, m.wf.d) == nil })
	if !strings.Contains(md.String(), "## ecsdoctor: demo / no-endpoints") {
		t.Fatalf("unexpected report:\n%s", md.String())
	}
	osc52 := "\x1b]52;c;" + base64.StdEncoding.EncodeToString(md.Bytes())
	teatest.WaitFor(t, s.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(osc52)) }, teatest.WithDuration(5*time.Second))
}

// C says why it cannot copy before there is a diagnosis.
func TestCopyReportDisabled(t *testing.T) {
	s := startSession(t, newDemoSource(t), Options{Cluster: "demo"}, 120, 35)
	s.settle()
	if frame := plainFrame(s.press("C")); !strings.Contains(lastLine(frame), "C: open a service first") {
		t.Errorf("C on the picker: %q", lastLine(frame))
	}
	src := newDemoSource(t)
	src.block = make(chan struct{})
	defer close(src.block)
	s = startSession(t, src, workflowOptions("no-endpoints"), 120, 35)
	s.tm.Send(keyPress("C"))
	frame := plainFrame(s.waitFor("the key", func(m *Model) bool { return m.keysHandled >= 1 }))
	if !strings.Contains(lastLine(frame), "C: wait for the diagnosis to finish") {
		t.Errorf("C while diagnosing: %q", lastLine(frame))
	}
}

// A theme set in the configuration file holds whatever the terminal says
// its background is; auto follows it.
func TestThemeForced(t *testing.T) {
	dark, light := DefaultStyles(true).Title.GetForeground(), DefaultStyles(false).Title.GetForeground()
	black := tea.BackgroundColorMsg{Color: color.Black}
	white := tea.BackgroundColorMsg{Color: color.White}
	cases := []struct {
		theme string
		bg    tea.BackgroundColorMsg
		want  color.Color
	}{
		{ThemeLight, black, light},
		{ThemeDark, white, dark},
		{ThemeAuto, white, light},
		{"", black, dark},
		{"", white, light},
	}
	for _, tc := range cases {
		m := New(newDemoSource(t), Options{Theme: tc.theme})
		m.Update(tc.bg)
		if got := m.c.styles.Title.GetForeground(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("theme %q on %v: title colour %v, want %v", tc.theme, tc.bg.Color, got, tc.want)
		}
		m.cancel()
	}
}

// The previous account's Identity answering after a switch is dropped: the
// header must not show the account the UI has left.
func TestStaleIdentityDropped(t *testing.T) {
	m := New(newDemoSource(t), Options{})
	defer m.cancel()
	m.srcGen = 1
	m.Update(identityMsg{gen: 0, caller: facts.Caller{Account: "111111111111"}})
	if m.caller != nil || m.identityDone {
		t.Errorf("a stale identity was taken: %+v", m.caller)
	}
}
