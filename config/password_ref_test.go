package config_test

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
)

// TestPasswordRef logs in to a real embedded server with a password read
// from a file:// reference, and is refused when the file holds another.
func TestPasswordRef(t *testing.T) {
	ns, err := embedded.Start(embedded.Options{StoreDir: t.TempDir(),
		Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	user, pw := ns.Credentials(embedded.Response)
	file := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(file, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := config.Env(func(name string) string {
		return map[string]string{"IGLOWLY_NATS_URL": ns.ClientURL(),
			"IGLOWLY_NATS_USER": user, "IGLOWLY_NATS_INSECURE": "true",
			"IGLOWLY_NATS_PASSWORD_REF": "file://" + file}[name]
	})
	var n config.NATS
	n.Register(flag.NewFlagSet("t", flag.ContinueOnError), env)
	if err := n.ValidateAs(embedded.Response); err != nil {
		t.Fatal(err)
	}
	if n.Password != "" {
		t.Fatal("the password is set before LoadPassword")
	}
	loadPassword(t, &n)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	nc, err := n.Connect(embedded.Response, log)
	if err != nil {
		t.Fatalf("login with the password of the reference: %v", err)
	}
	nc.Close()
	if err := os.WriteFile(file, []byte(strings.ToUpper(pw)), 0o600); err != nil {
		t.Fatal(err)
	}
	n.Password = ""
	loadPassword(t, &n)
	if nc, err := n.Connect(embedded.Response, log); err == nil {
		nc.Close()
		t.Fatal("a wrong password from the reference logs in")
	}
}

// TestPasswordRefRefused checks the settings a password reference may
// not come with, and that a reference that does not resolve names the
// reference but no value.
func TestPasswordRefRefused(t *testing.T) {
	base := config.NATS{URL: "tls://n:4222", User: "edge"}
	cases := []struct {
		name string
		mod  func(n *config.NATS)
		want string
	}{
		{"with a password", func(n *config.NATS) {
			n.Password, n.PasswordRef = "pw-123", "env://NATS_PW"
		}, "not both"},
		{"with a creds file", func(n *config.NATS) {
			n.PasswordRef, n.CredsFile = "env://NATS_PW", "/dev/null"
		}, "creds file"},
		{"a value in place of a reference", func(n *config.NATS) {
			n.PasswordRef = "hunter2-secret"
		}, "--nats-password-ref"},
		{"a relative file", func(n *config.NATS) {
			n.PasswordRef = "file://pw.txt"
		}, "--nats-password-ref"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := base
			c.mod(&n)
			err := n.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate: %v, want %q", err, c.want)
			}
			if msg := err.Error(); strings.Contains(msg, "hunter2") ||
				strings.Contains(msg, "pw-123") {
				t.Errorf("the error shows the value: %v", err)
			}
		})
	}
	src := localSecrets(t)
	n := base
	n.PasswordRef = "env://IGLOWLY_TEST_UNSET_PASSWORD"
	err := n.LoadPassword(context.Background(), src)
	if !errors.Is(err, secrets.ErrNotFound) ||
		!strings.Contains(err.Error(), "IGLOWLY_TEST_UNSET_PASSWORD") {
		t.Errorf("an unset variable: %v", err)
	}
	if n.Password != "" {
		t.Error("a failed read set a password")
	}
}

// TestPasswordRotated rotates a component's password on the server,
// whose reload drops the connection that no longer logs in, and then in
// its reference, as an operator whose component reads a cached copy
// may see it: the component keeps reconnecting through the refusals,
// reads the reference again at each attempt and is back with the new
// password, without a restart.
func TestPasswordRotated(t *testing.T) {
	user := []*server.User{{Username: embedded.Response, Password: "old-password-0123456789abcdef"}}
	opts := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true,
		NoSigs: true, Users: user}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer s.Shutdown()
	if !s.ReadyForConnections(5 * time.Second) {
		t.Fatal("the server did not start")
	}
	file := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(file, []byte(user[0].Password), 0o600); err != nil {
		t.Fatal(err)
	}
	n := config.NATS{URL: s.ClientURL(), User: embedded.Response, PasswordRef: "file://" + file,
		Insecure: true}
	loadPassword(t, &n)
	var logs testutil.LogBuffer
	nc, err := n.Connect(embedded.Response, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// The server first: the old password is refused at two attempts in a
	// row, which would end the reconnecting of a client that gives up on
	// refused logins, before the reference holds the new one.
	const rotated = "new-password-0123456789abcdef"
	newOpts := opts.Clone()
	newOpts.Users = []*server.User{{Username: embedded.Response, Password: rotated}}
	if err := s.ReloadOptions(newOpts); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for strings.Count(logs.String(), "authorization violation") < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the old password was not refused twice:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := os.WriteFile(file, []byte(rotated), 0o600); err != nil {
		t.Fatal(err)
	}
	for nc.Stats().Reconnects == 0 || !nc.IsConnected() {
		if time.Now().After(deadline) {
			t.Fatalf("not back after the rotation: %v reconnects, status %v\n%s",
				nc.Stats().Reconnects, nc.Status(), logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := nc.Flush(); err != nil {
		t.Fatalf("after the rotation: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "nats_password_reloaded") || strings.Contains(out, rotated) {
		t.Errorf("the log does not say the password was read again, or shows it:\n%s", out)
	}
}

// localSecrets opens the secrets of file:// and env:// references only,
// closed when the test ends.
func localSecrets(t *testing.T) *secrets.Client {
	t.Helper()
	src, err := secrets.Open(context.Background(), secrets.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	return src
}

// loadPassword reads n's password through its reference.
func loadPassword(t *testing.T, n *config.NATS) {
	t.Helper()
	if err := n.LoadPassword(context.Background(), localSecrets(t)); err != nil {
		t.Fatal(err)
	}
}
