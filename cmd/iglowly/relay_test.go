package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// mapEnv is an environment of its own for a test.
func mapEnv(m map[string]string) config.Env {
	return func(k string) string { return m[k] }
}

// TestRelayRefusesBadFlags checks that every problem is named at once,
// and never a password.
func TestRelayRefusesBadFlags(t *testing.T) {
	const secret = "planted-relay-password-31f0"
	env := mapEnv(map[string]string{"IGLOWLY_RELAY_APP_PASSWORD": secret})
	_, err := loadRelay([]string{"--nats-user", "edge", "--system-user", "x",
		"--app-user", "x", "--nats-log", "logs/nats.log", "--positions", "positions.json",
		"extra"}, env)
	for _, want := range []string{"--nats-user has no use", "TLS is required",
		"IGLOWLY_RELAY_SYSTEM_PASSWORD is not set", "are the same user",
		`--nats-log "logs/nats.log": want an absolute path`,
		`--positions "positions.json": want an absolute path`, `unexpected argument "extra"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q is not named in %v", want, err)
		}
	}
	if err != nil && strings.Contains(err.Error(), secret) {
		t.Error("the error shows a password")
	}
	c, err := loadRelay([]string{"--nats-insecure"}, mapEnv(map[string]string{
		"IGLOWLY_RELAY_APP_PASSWORD": secret, "IGLOWLY_RELAY_SYSTEM_PASSWORD": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if c.System.User != embedded.RelaySystemUser || c.App.User != embedded.RelayUser {
		t.Errorf("users %q and %q, want the defaults", c.System.User, c.App.User)
	}
}

// TestRelayPositionsFlag checks where --positions comes from, the flag
// before IGLOWLY_RELAY_POSITIONS, and that it must be an absolute path.
func TestRelayPositionsFlag(t *testing.T) {
	const pw = "planted-relay-password-31f0"
	for _, c := range []struct {
		name, env string
		args      []string
		want, err string
	}{
		{"none", "", nil, "", ""},
		{"flag", "", []string{"--positions", "/var/lib/relay/positions.json"},
			"/var/lib/relay/positions.json", ""},
		{"env", "/data/positions.json", nil, "/data/positions.json", ""},
		{"flag over env", "/data/positions.json", []string{"--positions", "/p.json"},
			"/p.json", ""},
		{"relative flag", "", []string{"--positions", "./positions.json"}, "",
			`--positions "./positions.json": want an absolute path`},
		{"relative env", "positions.json", nil, "",
			`--positions "positions.json": want an absolute path`},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := mapEnv(map[string]string{"IGLOWLY_RELAY_APP_PASSWORD": pw,
				"IGLOWLY_RELAY_SYSTEM_PASSWORD": pw, "IGLOWLY_RELAY_POSITIONS": c.env})
			rc, err := loadRelay(append([]string{"--nats-insecure"}, c.args...), env)
			switch {
			case c.err != "":
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("error %v, want %q", err, c.err)
				}
			case err != nil:
				t.Errorf("error %v", err)
			case rc.Positions != c.want:
				t.Errorf("positions %q, want %q", rc.Positions, c.want)
			}
		})
	}
}

// relayServer starts a server from what nats-config writes with
// --security-relay, every user's password being pw, logging to logFile
// (with --log-file) unless it is "".
func relayServer(t *testing.T, pw, logFile string) *server.Server {
	t.Helper()
	users := append(slices.Clone(embedded.Components), embedded.RelayUser,
		embedded.RelaySystemUser)
	for _, u := range users {
		t.Setenv(natsconf.PasswordVar(u), pw)
	}
	t.Setenv("JETSTREAM_KEY", "test-jetstream-key-0123456789abcdefghij")
	args := []string{"--name", "r", "--insecure-no-tls", "--security-relay"}
	if logFile != "" {
		args = append(args, "--log-file", logFile)
	}
	c, err := natsconf.Load(args)
	if err != nil {
		t.Fatal(err)
	}
	text, err := natsconf.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.conf")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	o := &server.Options{}
	if err := o.ProcessConfigFile(path); err != nil {
		t.Fatal(err)
	}
	o.Host, o.Port, o.HTTPPort, o.StoreDir = "127.0.0.1", server.RANDOM_PORT, 0, t.TempDir()
	o.NoSigs, o.NoLog = true, logFile == ""
	s, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	// As nats-server's main does: the log goes to the file.
	s.ConfigureLogger()
	s.Start()
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("the server did not start")
	}
	return s
}

// relayBed is a server from the generated configuration, logging to a
// file and provisioned, for the relay's tests.
type relayBed struct {
	s       *server.Server
	pw      string
	natsLog string
	js      jetstream.JetStream
	env     config.Env
}

// newRelayBed starts a relayBed, stopped at the end of the test.
func newRelayBed(t *testing.T, ctx context.Context) *relayBed {
	t.Helper()
	b := &relayBed{pw: "test-password-0123456789abcdef-relay",
		natsLog: filepath.Join(t.TempDir(), "nats.log")}
	b.s = relayServer(t, b.pw, b.natsLog)
	admin, err := nats.Connect(b.s.ClientURL(), nats.UserInfo(embedded.Admin, b.pw),
		nats.CustomInboxPrefix(embedded.InboxPrefix(embedded.Admin)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	if err := embedded.Provision(ctx, admin, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	if b.js, err = jetstream.New(admin); err != nil {
		t.Fatal(err)
	}
	b.env = mapEnv(map[string]string{"IGLOWLY_RELAY_APP_PASSWORD": b.pw,
		"IGLOWLY_RELAY_SYSTEM_PASSWORD": b.pw})
	return b
}

// startRelay runs "iglowly security relay" against the server with
// --nats-log and args, and waits for it to have started. The returned
// function stops it and fails the test if it ended with an error.
func (b *relayBed) startRelay(t *testing.T, ctx context.Context,
	args ...string) (*syncBuffer, func()) {
	t.Helper()
	logs := &syncBuffer{}
	args = append([]string{"--nats", b.s.ClientURL(), "--nats-insecure",
		"--nats-log", b.natsLog}, args...)
	relayCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- runRelay(relayCtx, args, b.env, slog.New(slog.NewJSONHandler(logs, nil)))
	}()
	stopped := false
	stop := func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the relay stopped with %v", err)
		}
	}
	t.Cleanup(stop)
	for !strings.Contains(logs.String(), "security_relay_started") {
		select {
		case err := <-done:
			stopped = true
			t.Fatalf("the relay stopped: %v\n%s", err, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	return logs, stop
}

// publishAs makes user publish on an infer subject of demo, which it may
// not: the server refuses and logs it.
func (b *relayBed) publishAs(t *testing.T, user string) {
	t.Helper()
	nc, err := nats.Connect(b.s.ClientURL(), nats.UserInfo(user, b.pw),
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.Publish("iglowly.demo.chat.infer", []byte("bypass"))
	_ = nc.Flush()
}

// waitForEvents waits until clinic has at least n security events, and
// returns them.
func (b *relayBed) waitForEvents(t *testing.T, ctx context.Context, clinic string,
	n int) []embedded.StoredSecurityEvent {
	t.Helper()
	for {
		events, err := embedded.ReadSecurityEvents(ctx, b.js, clinic,
			time.Now().Add(-time.Hour), 10)
		switch {
		case err == nil && len(events) >= n:
			return events
		case ctx.Err() != nil:
			t.Fatalf("%d events of %s, want %d (%v)", len(events), clinic, n, err)
		case err != nil:
			t.Fatal(err)
		}
		// Each read is a consumer of the stream, which has a limit.
		time.Sleep(100 * time.Millisecond)
	}
}

// waitForLogged waits until the server's log file holds n lines of
// refused publishes.
func (b *relayBed) waitForLogged(t *testing.T, ctx context.Context, n int) {
	t.Helper()
	for {
		raw, err := os.ReadFile(b.natsLog)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Count(string(raw), "Publish Violation")
		if got == n {
			return
		}
		if got > n || ctx.Err() != nil {
			t.Fatalf("%d refused publishes in the server's log, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRelayCommand runs "iglowly security relay" against a server from
// the generated configuration, logging to a file: a refused login of an
// unknown user is one auth_failed event of "unknown" in the SECURITY
// stream; the edge's publish on an infer subject, refused and logged to
// the file, is one permission_violation event of the clinic it named;
// the relay's own refusal is filed as nothing; the relay's log shows no
// password.
func TestRelayCommand(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b := newRelayBed(t, ctx)
	logs, stop := b.startRelay(t, ctx)
	if nc, err := nats.Connect(b.s.ClientURL(), nats.UserInfo("mallory", "guess"),
		nats.NoReconnect()); err == nil {
		nc.Close()
		t.Fatal("an unknown user logged in")
	}
	b.waitForEvents(t, ctx, config.SystemClinic, 1)
	// The relay's own refusal first: had it been filed, it would be the
	// first event of demo.
	b.publishAs(t, embedded.RelayUser)
	b.publishAs(t, embedded.Edge)
	violations := b.waitForEvents(t, ctx, "demo", 1)
	stop()
	events, _ := embedded.ReadSecurityEvents(ctx, b.js, config.SystemClinic,
		time.Now().Add(-time.Hour), 10)
	if len(events) != 1 || events[0].Component != "unknown" ||
		events[0].Code != "nats_login_failed" {
		t.Fatalf("events %+v, want one nats_login_failed of unknown", events)
	}
	if len(violations) != 1 || violations[0].Component != embedded.Edge ||
		violations[0].Code != "publish_denied" ||
		violations[0].Kind != "permission_violation" {
		t.Fatalf("events of demo %+v, want one publish_denied of the edge", violations)
	}
	if strings.Contains(logs.String(), b.pw) || !strings.Contains(logs.String(), `"filed":2`) {
		t.Errorf("the log shows a password, or not the two events filed: %s", logs.String())
	}
}

// TestRelayResumes stops the relay, has the edge publish where it may
// not while it is down, and starts it again with the same --positions
// file: the violation logged meanwhile is filed, once, and the one filed
// before the stop is not filed again.
func TestRelayResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := newRelayBed(t, ctx)
	positions := filepath.Join(t.TempDir(), "relay", "positions.json")
	if err := os.Mkdir(filepath.Dir(positions), 0o700); err != nil {
		t.Fatal(err)
	}
	logs, stop := b.startRelay(t, ctx, "--positions", positions)
	b.publishAs(t, embedded.Edge)
	b.waitForEvents(t, ctx, "demo", 1)
	stop()
	if !strings.Contains(logs.String(), `"filed":1`) {
		t.Fatalf("the first relay did not file one event: %s", logs.String())
	}
	checkPositionsFile(t, positions, b.natsLog)

	b.publishAs(t, embedded.Edge)
	b.waitForLogged(t, ctx, 2)
	logs, stop = b.startRelay(t, ctx, "--positions", positions)
	if !strings.Contains(logs.String(), `"positions":1`) {
		t.Errorf("the relay did not start from the saved position: %s", logs.String())
	}
	b.waitForEvents(t, ctx, "demo", 2)
	stop()
	if !strings.Contains(logs.String(), `"filed":1`) {
		t.Errorf("the restarted relay did not file exactly one event: %s", logs.String())
	}
	// It read at least the line it filed, from the saved position on.
	if n := stoppedLogLines(t, logs.String()); n < 1 {
		t.Errorf("the restarted relay says it read %d log lines", n)
	}
	if events := b.waitForEvents(t, ctx, "demo", 2); len(events) != 2 {
		t.Errorf("%d events of demo, want 2", len(events))
	}
}

// stoppedLogLines returns the log lines that the relay's stop line says
// it read.
func stoppedLogLines(t *testing.T, logs string) int {
	t.Helper()
	for _, line := range strings.Split(logs, "\n") {
		var l struct {
			Msg      string `json:"msg"`
			LogLines *int   `json:"log_lines"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "security_relay_stopped" &&
			l.LogLines != nil {
			return *l.LogLines
		}
	}
	t.Fatalf("no stop line with log_lines: %s", logs)
	return 0
}

// checkPositionsFile fails the test unless the positions file is mode
// 0600 and holds one position, of natsLog, at the start of a line of
// it: numbers, no content of the log.
func checkPositionsFile(t *testing.T, file, natsLog string) {
	t.Helper()
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("positions file: %v, mode %v; want it, 0600", err, fi)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var ps map[string]map[string]int64
	if err := json.Unmarshal(raw, &ps); err != nil || len(ps) != 1 || len(ps[natsLog]) != 3 {
		t.Fatalf("positions %s (%v), want one of dev, ino and offset, of %s", raw, err, natsLog)
	}
	text, err := os.ReadFile(natsLog)
	if err != nil {
		t.Fatal(err)
	}
	off := ps[natsLog]["offset"]
	if off <= 0 || off > int64(len(text)) || text[off-1] != '\n' {
		t.Errorf("offset %d is not past a line of the log (%d bytes)", off, len(text))
	}
}

// TestRelayBadPositions starts the relay with a positions file that is
// not one, and one it cannot read (a folder): it logs that, without the
// file's content, starts from the log's end and files what comes after.
// A file that is not one is replaced at stop.
func TestRelayBadPositions(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := newRelayBed(t, ctx)
	const planted = "planted-log-content-7c1e"
	for i, c := range []struct {
		name  string
		make  func(path string) error
		saved bool
	}{
		{"not one", func(path string) error {
			return os.WriteFile(path, []byte(`{"`+planted+`": 1`), 0o600)
		}, true},
		{"a folder", func(path string) error { return os.Mkdir(path, 0o700) }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			positions := filepath.Join(t.TempDir(), "positions.json")
			if err := c.make(positions); err != nil {
				t.Fatal(err)
			}
			logs, stop := b.startRelay(t, ctx, "--positions", positions)
			b.publishAs(t, embedded.Edge)
			b.waitForEvents(t, ctx, "demo", i+1)
			stop()
			out := logs.String()
			if !strings.Contains(out, "security_relay_positions_unreadable") ||
				strings.Contains(out, planted) || !strings.Contains(out, `"filed":1`) {
				t.Errorf("the relay did not log the positions file, showed its content, "+
					"or filed not one event: %s", out)
			}
			if c.saved {
				checkPositionsFile(t, positions, b.natsLog)
			} else if !strings.Contains(out, "security_relay_positions_not_saved") {
				t.Errorf("the relay did not log that it could not save: %s", out)
			}
		})
	}
}
