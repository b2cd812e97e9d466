package main

import (
	"context"
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
		"--app-user", "x", "--nats-log", "logs/nats.log", "extra"}, env)
	for _, want := range []string{"--nats-user has no use", "TLS is required",
		"IGLOWLY_RELAY_SYSTEM_PASSWORD is not set", "are the same user",
		`--nats-log "logs/nats.log": want an absolute path`, `unexpected argument "extra"`} {
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

// TestRelayCommand runs "iglowly security relay" against a server from
// the generated configuration, logging to a file: a refused login of an
// unknown user is one auth_failed event of "unknown" in the SECURITY
// stream; the edge's publish on an infer subject, refused and logged to
// the file, is one permission_violation event of the clinic it named;
// the relay's own refusal is filed as nothing; the relay's log shows no
// password.
func TestRelayCommand(t *testing.T) {
	const pw = "test-password-0123456789abcdef-relay"
	natsLog := filepath.Join(t.TempDir(), "nats.log")
	s := relayServer(t, pw, natsLog)
	admin, err := nats.Connect(s.ClientURL(), nats.UserInfo(embedded.Admin, pw),
		nats.CustomInboxPrefix(embedded.InboxPrefix(embedded.Admin)))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := embedded.Provision(ctx, admin, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	env := mapEnv(map[string]string{"IGLOWLY_RELAY_APP_PASSWORD": pw,
		"IGLOWLY_RELAY_SYSTEM_PASSWORD": pw})
	relayCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- runRelay(relayCtx, []string{"--nats", s.ClientURL(), "--nats-insecure",
			"--nats-log", natsLog}, env, slog.New(slog.NewJSONHandler(logs, nil)))
	}()
	for !strings.Contains(logs.String(), "security_relay_started") {
		select {
		case err := <-done:
			t.Fatalf("the relay stopped: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if nc, err := nats.Connect(s.ClientURL(), nats.UserInfo("mallory", "guess"),
		nats.NoReconnect()); err == nil {
		nc.Close()
		t.Fatal("an unknown user logged in")
	}
	js, err := jetstream.New(admin)
	if err != nil {
		t.Fatal(err)
	}
	var events []embedded.StoredSecurityEvent
	for len(events) == 0 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		events, err = embedded.ReadSecurityEvents(ctx, js, config.SystemClinic,
			time.Now().Add(-time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
	}
	violations := provokeViolations(t, ctx, s, js, pw)
	stop()
	if err := <-done; err != nil {
		t.Fatalf("the relay stopped with %v", err)
	}
	events, _ = embedded.ReadSecurityEvents(ctx, js, config.SystemClinic,
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
	if strings.Contains(logs.String(), pw) || !strings.Contains(logs.String(), `"filed":2`) {
		t.Errorf("the log shows a password, or not the two events filed: %s", logs.String())
	}
}

// provokeViolations makes the relay's user and then the edge publish
// where they may not, and returns the events of the clinic named once
// the edge's is filed.
func provokeViolations(t *testing.T, ctx context.Context, s *server.Server,
	js jetstream.JetStream, pw string) []embedded.StoredSecurityEvent {
	t.Helper()
	for _, u := range []string{embedded.RelayUser, embedded.Edge} {
		nc, err := nats.Connect(s.ClientURL(), nats.UserInfo(u, pw),
			nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
		if err != nil {
			t.Fatal(err)
		}
		_ = nc.Publish("iglowly.demo.chat.infer", []byte("bypass"))
		_ = nc.Flush()
		nc.Close()
	}
	for ctx.Err() == nil {
		events, err := embedded.ReadSecurityEvents(ctx, js, "demo",
			time.Now().Add(-time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) > 0 {
			return events
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no event of the edge's violation")
	return nil
}
