package sim

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsdoctor/ecsdoctor/internal/facts"
)

// Once RUNNING, two more rules play out.
//
// (g) Health checks run inside the container with the image's own tools.
// A check whose program the image lacks (curl in node:18-alpine) fails
// every time: after startPeriod + interval × retries the container is
// UNHEALTHY and ECS replaces the task. A check that can run passes at its
// first interval.
//
// (h) The application writes to its awslogs stream. If its environment
// names one of the account's databases it connects at start and retries
// every appTick: a security group in the way gives "connect ETIMEDOUT"; a
// database that requires TLS, when the app does not ask for it, gives
// PostgreSQL's "no pg_hba.conf entry ... no encryption". The task keeps
// running either way: a web app that cannot reach its database still
// answers its health check.

const appTick = 30 * time.Second

// shellBuiltins need no program in the image.
var shellBuiltins = map[string]bool{"exit": true, "true": true, "false": true, "test": true, "[": true, "echo": true, "printf": true, ":": true, "cd": true}

// healthCheckTool is the program a health check runs, and whether it needs
// a shell.
func healthCheckTool(cmd []string) (tool string, shell bool) {
	if len(cmd) < 2 {
		return "", false
	}
	switch cmd[0] {
	case "CMD-SHELL":
		for _, w := range strings.Fields(strings.Join(cmd[1:], " ")) {
			if strings.Contains(w, "=") && !strings.HasPrefix(w, "-") {
				continue // VAR=value before the command
			}
			return path.Base(w), true
		}
	case "CMD":
		return path.Base(cmd[1]), false
	}
	return "", false
}

// imageOf finds the pushed image a container runs, if it is in the account.
func (a *Account) imageOf(ref string) *image {
	img := facts.ParseImage(ref)
	if !img.ECR || img.RegistryID != a.account || img.Region != a.region {
		return nil
	}
	return a.findImage(img)
}

func (a *Account) imageDigest(ref string) string {
	if im := a.imageOf(ref); im != nil {
		return im.digest
	}
	return digest("public-image", ref)
}

// healthCheckPasses is rule (g) for one container. An image the account
// knows nothing about (a public one, or one without a list of tools) is
// given the benefit of the doubt.
func (a *Account) healthCheckPasses(c ecstypes.ContainerDefinition) bool {
	hc := c.HealthCheck
	if hc == nil || len(hc.Command) == 0 || hc.Command[0] == "NONE" {
		return true
	}
	im := a.imageOf(aws.ToString(c.Image))
	if im == nil || len(im.tools) == 0 {
		return true
	}
	tool, shell := healthCheckTool(hc.Command)
	if shell && !contains(im.tools, "sh") && !contains(im.tools, "bash") {
		return false
	}
	return tool == "" || shellBuiltins[tool] || contains(im.tools, tool)
}

// planHealth schedules each health-checked container's verdict.
func (a *Account) planHealth(t *task) {
	var worst time.Duration = -1
	failing := ""
	var firstPass time.Duration
	for _, c := range t.td.def.ContainerDefinitions {
		hc := c.HealthCheck
		if hc == nil || len(hc.Command) == 0 || hc.Command[0] == "NONE" {
			continue
		}
		interval := time.Duration(orInt(aws.ToInt32(hc.Interval), 30)) * time.Second
		retries := time.Duration(orInt(aws.ToInt32(hc.Retries), 3))
		start := time.Duration(aws.ToInt32(hc.StartPeriod)) * time.Second
		if a.healthCheckPasses(c) {
			firstPass = max(firstPass, interval)
			continue
		}
		if d := start + interval*retries; failing == "" || d < worst {
			worst, failing = d, aws.ToString(c.Name)
		}
	}
	switch {
	case failing != "":
		a.after(worst, func() { a.markUnhealthy(t, failing) })
	case t.hasHealthCheck():
		a.after(firstPass, func() { a.markHealthy(t) })
	}
}

// appState is what a running task's application is doing.
type appState struct {
	stream    *logStream // its awslogs stream, nil when it has none (or may not write)
	db        *database
	host      string
	user      string
	dbName    string
	tls       bool
	connected bool
	health    string // the path its HTTP health check requests, if any
	stopped   bool
}

// startApp creates the app's log stream, writes its start-up lines and
// plans its first connection to the database.
func (a *Account) startApp(t *task) {
	c, ok := appContainer(t.td.def)
	if !ok {
		return
	}
	app := &appState{}
	t.app = app
	// The awslogs driver opens every container's stream; the app writes to
	// its own, if the role lets it put events there.
	for _, cd := range t.td.def.ContainerDefinitions {
		lc := cd.LogConfiguration
		if lc == nil || lc.LogDriver != ecstypes.LogDriverAwslogs {
			continue
		}
		g := a.groups.get(lc.Options["awslogs-group"])
		if g == nil {
			continue
		}
		name := streamName(cd, t.id)
		st := &logStream{name: name, created: a.clock}
		g.streams.put(name, st)
		if aws.ToString(cd.Name) != aws.ToString(c.Name) {
			continue
		}
		if r := a.roleByARN(aws.ToString(t.td.def.ExecutionRoleArn)); r != nil {
			if d, _ := a.roleDecision(r, "logs:PutLogEvents", a.logGroupARN(g.name)+":log-stream:"+name); d == allowed {
				app.stream = st
			}
		}
	}
	env := map[string]string{}
	for _, kv := range c.Environment {
		env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
	}
	app.db, app.host = a.databaseIn(env)
	if app.db != nil {
		app.user = firstOf(env, app.db.user, "DB_USER", "PGUSER", "DB_USERNAME", "DATABASE_USER")
		app.dbName = firstOf(env, "postgres", "DB_NAME", "PGDATABASE", "DB_DATABASE", "DATABASE_NAME")
		app.tls = asksForTLS(env)
	}
	if hc := c.HealthCheck; hc != nil && a.healthCheckPasses(c) {
		if m := healthURL.FindStringSubmatch(strings.Join(hc.Command, " ")); m != nil {
			app.health = m[1]
		}
	}
	port := int32(8080)
	if len(c.PortMappings) > 0 {
		port = aws.ToInt32(c.PortMappings[0].ContainerPort)
	}
	for _, line := range startupLines(a.imageOf(aws.ToString(c.Image)), aws.ToString(c.Image), port) {
		a.writeLog(app, line)
	}
	if app.db != nil {
		a.writeLog(app, fmt.Sprintf("Connecting to %s at %s:%d", engineTitle(app.db.engine), app.host, app.db.port))
	}
	a.after(2*time.Second, func() { a.appRound(t) })
}

var healthURL = regexp.MustCompile(`https?://(?:localhost|127\.0\.0\.1)(?::\d+)?(/[^\s'"\\)]*)`)

// appRound is one round of the app's life: try the database if it is not
// connected yet, answer the health check, and come back in a while.
func (a *Account) appRound(t *task) {
	app := t.app
	if app == nil || app.stopped || t.lastStatus != "RUNNING" {
		return
	}
	if db := app.db; db != nil && !app.connected {
		tn := taskNet{vpc: a.vpcs.get(t.subnet.vpc), subnet: t.subnet, ip: t.ip(), groups: t.net.groups}
		switch {
		case !a.reachDatabase(tn, db):
			// An app that cannot reach its database at start-up crashes
			// (an unhandled connect error), and ECS replaces it: a crash loop.
			a.writeLog(app, logTimeout(db.ip, db.port))
			a.writeLog(app, "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)")
			a.writeLog(app, "Node.js v18.20.4")
			exit := int32(1)
			a.stopTask(t, stopEssentialExited, msgEssentialExited, &exit, time.Second)
			a.noteFailure(t.svc, t.dep, false, true)
			a.reconcile(t.svc)
			return
		case db.requireSSL && !app.tls && db.engine == "postgres":
			a.writeLog(app, logNoEncryption(t.ip(), app.user, app.dbName))
		case db.requireSSL && !app.tls:
			a.writeLog(app, logInsecureTransport)
		default:
			app.connected = true
			a.writeLog(app, fmt.Sprintf("Connected to %s at %s:%d", engineTitle(db.engine), app.host, db.port))
		}
	}
	if app.health != "" {
		h := hashOf(t.id, a.clock.String()) // a plausible response time
		a.writeLog(app, fmt.Sprintf("GET %s 200 %d.%03d ms - 15", app.health, 1+int(h[0])%3, int(h[1])*3))
	}
	a.after(appTick, func() { a.appRound(t) })
}

// maxEvents bounds a stream, as a retention period would.
const maxEvents = 5000

func (a *Account) writeLog(app *appState, msg string) {
	if app.stream == nil {
		return
	}
	st := app.stream
	at := a.clock
	if n := len(st.events); n > 0 && !at.After(st.events[n-1].at) {
		at = st.events[n-1].at.Add(time.Millisecond) // keep lines in order
	}
	st.events = append(st.events, logEvent{at: at, msg: msg})
	if len(st.events) > maxEvents {
		st.events = st.events[len(st.events)-maxEvents:]
	}
}

// appContainer is the container the application runs in: the first
// essential one.
func appContainer(def ecstypes.TaskDefinition) (ecstypes.ContainerDefinition, bool) {
	for _, c := range def.ContainerDefinitions {
		if c.Essential == nil || *c.Essential {
			return c, true
		}
	}
	if len(def.ContainerDefinitions) > 0 {
		return def.ContainerDefinitions[0], true
	}
	return ecstypes.ContainerDefinition{}, false
}

// databaseIn finds a database of the account named in the environment.
func (a *Account) databaseIn(env map[string]string) (*database, string) {
	for _, name := range sortedKeys(env) {
		for _, db := range a.dbs.list() {
			if strings.Contains(strings.ToLower(env[name]), db.address) {
				return db, db.address
			}
		}
	}
	return nil, ""
}

func firstOf(env map[string]string, def string, names ...string) string {
	for _, n := range names {
		if v := env[n]; v != "" {
			return v
		}
	}
	return def
}

// asksForTLS: does the app's configuration ask its database driver for TLS?
func asksForTLS(env map[string]string) bool {
	for name, v := range env {
		lv := strings.ToLower(v)
		switch {
		case strings.Contains(lv, "sslmode=require"), strings.Contains(lv, "sslmode=verify"), strings.Contains(lv, "ssl=true"):
			return true
		case name == "PGSSLMODE" && (lv == "require" || strings.HasPrefix(lv, "verify")):
			return true
		case (name == "DB_SSL" || name == "DATABASE_SSL" || name == "DB_TLS") && (lv == "true" || lv == "1" || lv == "require"):
			return true
		}
	}
	return false
}

func engineTitle(engine string) string {
	switch engine {
	case "mysql":
		return "MySQL"
	case "mariadb":
		return "MariaDB"
	}
	return "PostgreSQL"
}

// startupLines are what an app of the image's kind prints when it starts.
func startupLines(im *image, ref string, port int32) []string {
	img := facts.ParseImage(ref)
	name := path.Base(img.Repository)
	version := strings.TrimPrefix(img.Tag, "v")
	base := ""
	if im != nil {
		base = im.base
	}
	switch {
	case strings.HasPrefix(base, "node"):
		return []string{"> " + name + "@" + version + " start", "> node src/index.js", fmt.Sprintf("Server listening on port %d", port)}
	case strings.Contains(base, "temurin"), strings.Contains(base, "java"), strings.Contains(base, "jdk"), strings.Contains(base, "jre"):
		return []string{fmt.Sprintf("Starting %s %s using Java 21", name, version), fmt.Sprintf("Tomcat started on port %d (http) with context path '/'", port), "Started Application in 4.81 seconds"}
	case strings.HasPrefix(base, "python"):
		return []string{fmt.Sprintf("Starting %s %s", name, version), fmt.Sprintf("Listening at: http://0.0.0.0:%d", port)}
	}
	return []string{fmt.Sprintf("%s %s starting", name, version), fmt.Sprintf("Server listening on port %d", port)}
}
