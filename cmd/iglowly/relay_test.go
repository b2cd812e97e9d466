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
		"--app-user", "x", "extra"}, env)
	for _, want := range []string{"--nats-user has no use", "TLS is required",
		"IGLOWLY_RELAY_SYSTEM_PASSWORD is not set", "are the same user",
		`unexpected argument "extra"`} {
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
// --security-relay, every user's password being pw.
func relayServer(t *testing.T, pw string) *server.Server {
	t.Helper()
	users := append(slices.Clone(embedded.Components), embedded.RelayUser,
		embedded.RelaySystemUser)
	for _, u := range users {
		t.Setenv(natsconf.PasswordVar(u), pw)
	}
	t.Setenv("JETSTREAM_KEY", "test-jetstream-key-0123456789abcdefghij")
	c, err := natsconf.Load([]string{"--name", "r", "--insecure-no-tls", "--security-relay"})
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
	o.NoSigs, o.NoLog = true, true
	s, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("the server did not start")
	}
	return s
}

// TestRelayCommand runs "iglowly security relay" against a server from
// the generated configuration: a refused login of an unknown user is
// one auth_failed event of "unknown" in the SECURITY stream, and the
// relay's log shows no password.
func TestRelayCommand(t *testing.T) {
	const pw = "test-password-0123456789abcdef-relay"
	s := relayServer(t, pw)
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
		done <- runRelay(relayCtx, []string{"--nats", s.ClientURL(), "--nats-insecure"},
			env, slog.New(slog.NewJSONHandler(logs, nil)))
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
	if strings.Contains(logs.String(), pw) || !strings.Contains(logs.String(), `"filed":1`) {
		t.Errorf("the log shows a password, or not the one event filed: %s", logs.String())
	}
}
