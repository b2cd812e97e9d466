package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// TestSecurityEventsCommand lists a clinic's security events from a real
// server, connected as the admin tools are, over TCP.
func TestSecurityEventsCommand(t *testing.T) {
	s, _ := provisionedServer(t)
	ctx := context.Background()
	edge, err := s.Connect(embedded.Edge)
	if err != nil {
		t.Fatal(err)
	}
	defer edge.Close()
	for _, clinic := range []string{"demo", "demo-2", "demo"} {
		ev := schemas.SecurityEvent{Kind: schemas.SecAuthFailed, Component: "edge",
			Code: "invalid_token"}
		e, _ := schemas.NewEvent(schemas.TypeSecurityEvent, "/test", clinic, ev)
		if err := schemas.Publish(edge, schemas.SecuritySubject(clinic, ev.Kind), "",
			&e); err != nil {
			t.Fatal(err)
		}
	}
	_ = edge.Flush()
	user, password := s.Credentials(embedded.Admin)
	t.Setenv("IGLOWLY_NATS_PASSWORD", password)
	t.Setenv("IGLOWLY_NATS_INSECURE", "true") // the embedded server has no TLS
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	var out bytes.Buffer
	args := []string{"events", "--clinic", "demo", "--nats", s.ClientURL(), "--nats-user", user}
	for i := 0; i < 50 && strings.Count(out.String(), "\n") < 2; i++ {
		out.Reset()
		if err := runSecurity(ctx, args, &out, log); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d events listed: %s", len(lines), out.String())
	}
	var first embedded.StoredSecurityEvent
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.Clinic != "demo" ||
		first.Kind != schemas.SecAuthFailed || first.Code != "invalid_token" || first.Time.IsZero() {
		t.Errorf("first event %s (%v)", lines[0], err)
	}
	for _, bad := range [][]string{
		{"events", "--nats", s.ClientURL(), "--nats-user", user},
		{"events", "--clinic", "demo.>", "--nats", s.ClientURL(), "--nats-user", user},
		{"events", "--clinic", "demo", "--since", "-1h", "--nats", s.ClientURL(),
			"--nats-user", user},
	} {
		if err := runSecurity(ctx, bad, &out, log); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if err := runSecurity(ctx, []string{"list"}, &out, log); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("unknown subcommand: %v", err)
	}
}

// TestSecurityEventsSystem makes a client fail to log in to a real
// server over TCP, and lists the system pseudo-clinic's events as the
// admin tools do: the refused login is there, naming the user it
// claimed, and neither its password nor its address is.
func TestSecurityEventsSystem(t *testing.T) {
	s, _ := provisionedServer(t)
	ctx := context.Background()
	if nc, err := nats.Connect(s.ClientURL(),
		nats.UserInfo(embedded.Sanitiser, "GUESS-8812")); err == nil {
		nc.Close()
		t.Fatal("a wrong password logged in")
	}
	user, password := s.Credentials(embedded.Admin)
	t.Setenv("IGLOWLY_NATS_PASSWORD", password)
	t.Setenv("IGLOWLY_NATS_INSECURE", "true") // the embedded server has no TLS
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	var out bytes.Buffer
	args := []string{"events", "--clinic", "system", "--nats", s.ClientURL(),
		"--nats-user", user}
	for i := 0; i < 50 && out.Len() == 0; i++ {
		if err := runSecurity(ctx, args, &out, log); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var ev embedded.StoredSecurityEvent
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &ev) != nil ||
		ev.Clinic != "system" || ev.Kind != schemas.SecAuthFailed ||
		ev.Component != embedded.Sanitiser || ev.Code != "nats_login_failed" {
		t.Fatalf("system events %q, want the sanitiser's refused login", lines)
	}
	for _, leak := range []string{"GUESS", "8812", "127.0.0.1"} {
		if strings.Contains(out.String(), leak) {
			t.Errorf("system events hold %q: %s", leak, out.String())
		}
	}
}

// provisionedServer starts a real embedded server listening on TCP, as
// the admin tools reach one, with its buckets and streams made, and
// returns it with an admin connection; both end with the test.
func provisionedServer(t *testing.T) (*embedded.Server, *nats.Conn) {
	t.Helper()
	s := tcpNATS(t)
	admin, err := s.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	if err := embedded.Provision(context.Background(), admin,
		embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	return s, admin
}
