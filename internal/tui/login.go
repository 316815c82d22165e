package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ecsdoctor/ecsdoctor/internal/awsx"
)

// An expired SSO session is the most common way a working setup stops
// working overnight. The UI names the command that renews it, runs it on
// the terminal when the user presses L, and then tries again what failed,
// so the user never has to quit, log in and find their place again.

// loginPrompt is an SSO session waiting to be renewed.
type loginPrompt struct {
	argv []string // aws sso login [--profile NAME]
	// switchTo is a switch of account that failed for want of a session:
	// after the login it is tried again, rather than the current account's
	// calls (which were fine).
	switchTo *switchTarget
	// failed says why the last L did not renew the session.
	failed string
}

// classify turns an SDK failure into the sentence the CLI prints for it
// (an expired SSO session, no credentials, AWS unreachable): the backend
// returns the SDK's own errors for listings, and only an *awsx.AccessError
// carries the login command.
func (m *Model) classify(op string, err error) error {
	return classifyFor(op, err, m.opts.Profile)
}

func classifyFor(op string, err error, profile string) error {
	if err == nil || awsx.IsAccessError(err) || errors.Is(err, context.Canceled) {
		return err
	}
	if ae := awsx.Classify(op, err, profile); ae != nil {
		return ae
	}
	return err
}

// afterCall notes how a call of the current account ended: a failure for
// want of an SSO session offers L; a success shows the session works again
// (the user logged in elsewhere and pressed r), so the offer goes, and an
// Identity that failed with it is asked again, for the header.
func (m *Model) afterCall(err error) tea.Cmd {
	if err != nil {
		if argv, ok := awsx.SSOLoginCommand(err); ok && m.login == nil {
			m.setLogin(&loginPrompt{argv: argv})
		}
		return nil
	}
	if m.login == nil || m.login.switchTo != nil {
		return nil
	}
	m.setLogin(nil)
	if m.identityErr != nil && m.identityDone {
		return m.askIdentity()
	}
	return nil
}

func (m *Model) setLogin(p *loginPrompt) {
	m.login = p
	m.layout() // the banner takes a line, or gives it back
}

func (m *Model) askIdentity() tea.Cmd {
	m.identityDone = false
	return identityCmd(m.ctx, m.src, m.opts.callTimeout(), m.srcGen)
}

// loginAction is L as the screens offer it: first in the footer while a
// session needs renewing, hidden (but explaining itself) otherwise.
func (m *Model) loginAction() action {
	a := act(m.c.keys.Login).as("sso login")
	if m.login == nil {
		return a.unless(true, "no AWS SSO session needs renewing; L runs `aws sso login` when one has expired").hide()
	}
	return a
}

// startLogin gives the terminal to the login command.
func (m *Model) startLogin() tea.Cmd {
	p := m.login
	return m.runLogin(p.argv, func(err error) tea.Msg { return loginDoneMsg{prompt: p, err: err} })
}

// receiveLogin takes the terminal back: on success it tries again what
// failed; on failure the prompt stays, saying why.
func (m *Model) receiveLogin(msg loginDoneMsg) tea.Cmd {
	p := msg.prompt
	if p != m.login {
		return nil
	}
	if msg.err != nil {
		p.failed = loginFailure(p.argv, msg.err)
		m.flash = p.failed
		return nil
	}
	m.setLogin(nil)
	if p.switchTo != nil {
		return m.startSwitch(*p.switchTo)
	}
	m.flash = "signed in: trying again"
	return m.retry()
}

// loginFailure is why the login command did not renew the session.
func loginFailure(argv []string, err error) string {
	cmd := strings.Join(argv, " ")
	if errors.Is(err, exec.ErrNotFound) {
		return argv[0] + " is not on PATH: install the AWS CLI v2, or run `" + cmd + "` in another terminal and press r"
	}
	return "`" + cmd + "` failed (" + firstLine(err.Error()) + "): L tries again"
}

// retry asks again for what the current screen shows, and who the
// credentials belong to if that failed too.
func (m *Model) retry() tea.Cmd {
	var cmds []tea.Cmd
	if m.identityErr != nil && m.identityDone {
		cmds = append(cmds, m.askIdentity())
	}
	switch m.screen {
	case screenClusters:
		if !m.clusters.loading {
			cmds = append(cmds, m.startClusters())
		}
	case screenServices:
		if !m.services.loading {
			cmds = append(cmds, m.startServices())
		}
	case screenWorkflow:
		if !m.wf.running() {
			// A diagnosis already on screen stays there until the new one
			// is complete.
			cmds = append(cmds, m.startDiagnosis(m.wf.d != nil && m.wf.complete))
		}
	}
	return tea.Batch(cmds...)
}

// bannerHeight is the line the login prompt takes above the footer.
func (m *Model) bannerHeight() int {
	if m.login == nil {
		return 0
	}
	return 1
}

// bannerView says what expired, the exact command L runs, and what
// happens after it.
func (m *Model) bannerView(width int) string {
	st := m.c.styles
	p := m.login
	cmd := "`" + strings.Join(p.argv, " ") + "`"
	what, then := "AWS SSO session expired", "then retries"
	if p.switchTo != nil {
		what = "SSO session of profile " + p.switchTo.profile + " expired"
		then = "then opens it in " + p.switchTo.region
	}
	text := st.Bad.Render("✗ "+what) + " · " + st.Key.Render(m.c.keys.Login.Help().Key) + " runs " + st.Bold.Render(cmd) + ", " + then
	if p.failed != "" {
		text = st.Bad.Render("✗ " + p.failed)
	}
	return fit(" "+text, width)
}

// execInTerminal runs argv on the terminal: Bubble Tea leaves the
// alternate screen and raw mode for it, and restores both after.
func execInTerminal(argv []string, done tea.ExecCallback) tea.Cmd {
	return tea.Exec(&announcedCmd{Cmd: exec.Command(argv[0], argv[1:]...)}, done)
}

// announcedCmd says what it runs before running it: a moment ago the
// terminal was ecsdoctor, and aws sso login prints only a URL and a code.
type announcedCmd struct{ *exec.Cmd }

func (c *announcedCmd) SetStdin(r io.Reader) {
	if c.Stdin == nil {
		c.Stdin = r
	}
}

func (c *announcedCmd) SetStdout(w io.Writer) {
	if c.Stdout == nil {
		c.Stdout = w
	}
}

func (c *announcedCmd) SetStderr(w io.Writer) {
	if c.Stderr == nil {
		c.Stderr = w
	}
}

func (c *announcedCmd) Run() error {
	if c.Stdout != nil {
		fmt.Fprintf(c.Stdout, "ecsdoctor: running `%s`; ecsdoctor comes back when it finishes.\n", strings.Join(c.Args, " "))
	}
	return c.Cmd.Run()
}
