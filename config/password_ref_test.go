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

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
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
	src, err := secrets.Open(context.Background(), secrets.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := n.LoadPassword(context.Background(), src); err != nil {
		t.Fatal(err)
	}
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
	if err := n.LoadPassword(context.Background(), src); err != nil {
		t.Fatal(err)
	}
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
	src, err := secrets.Open(context.Background(), secrets.Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := base
	n.PasswordRef = "env://IGLOWLY_TEST_UNSET_PASSWORD"
	err = n.LoadPassword(context.Background(), src)
	if !errors.Is(err, secrets.ErrNotFound) ||
		!strings.Contains(err.Error(), "IGLOWLY_TEST_UNSET_PASSWORD") {
		t.Errorf("an unset variable: %v", err)
	}
	if n.Password != "" {
		t.Error("a failed read set a password")
	}
}
