package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// TestNATSConfigCommand writes a cluster node's configuration with the
// subcommand and loads it with nats-server's own parser.
func TestNATSConfigCommand(t *testing.T) {
	for _, c := range embedded.Components {
		t.Setenv(natsconf.PasswordVar(c), "pw")
	}
	for _, v := range []string{"JETSTREAM_KEY", "NATS_ROUTE_PASSWORD"} {
		t.Setenv(v, "secret")
	}
	t.Setenv("NATS_ROUTE_1", "nats-route://route:secret@a:6222")
	t.Setenv("NATS_ROUTE_2", "nats-route://route:secret@b:6222")
	out := filepath.Join(t.TempDir(), "a.conf")
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	err := run(context.Background(), []string{"nats-config", "--name", "a",
		"--routes", "a:6222,b:6222", "--insecure-no-tls", "--out", out}, log)
	if err != nil {
		t.Fatal(err)
	}
	o := &server.Options{}
	if err := o.ProcessConfigFile(out); err != nil {
		t.Fatalf("nats-server refuses what nats-config wrote: %v", err)
	}
	if o.ServerName != "a" || len(o.Users) != len(embedded.Components) || len(o.Routes) != 2 {
		t.Errorf("name %q, %d users, %d routes", o.ServerName, len(o.Users), len(o.Routes))
	}
	if !strings.Contains(logs.String(), "nats_config_written") {
		t.Errorf("no log line for the file written: %s", logs.String())
	}
}

// TestNATSConfigRefusesBadFlags checks that every problem is named and
// that nothing is written, to the file or to standard output.
func TestNATSConfigRefusesBadFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a.conf")
	var stdout bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&stdout, nil))
	err := runNATSConfig([]string{"--listen", "nowhere", "--js-cipher", "rot13",
		"--out", out}, &stdout, log)
	for _, want := range []string{"--name", "--listen", "--js-cipher", "client TLS is required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q is not named in %v", want, err)
		}
	}
	if _, statErr := os.Stat(out); statErr == nil || stdout.Len() > 0 {
		t.Error("a refused configuration was written")
	}
}

// TestComponentsRefuseNATSWithoutTLS checks that each production
// component stops at start, before it connects, when NATS has no TLS and
// --nats-insecure is not given: the configuration nats-config writes
// refuses clients in clear, and the components do not try.
func TestComponentsRefuseNATSWithoutTLS(t *testing.T) {
	t.Setenv("IGLOWLY_NATS_INSECURE", "")
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	for _, args := range [][]string{
		{"edge", "--nats-user", "edge", "--session-key-file", "k"},
		{"worker", "sanitiser", "--nats-user", "sanitiser"},
		{"provision", "--nats-user", "admin"},
		{"security", "events", "--clinic", "demo", "--nats-user", "admin"},
	} {
		err := run(context.Background(), args, log)
		if err == nil || !strings.Contains(err.Error(), "TLS is required") {
			t.Errorf("%s: %v, want the TLS requirement", args[0], err)
		}
	}
}
