package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNATSAuthRefused checks that "iglowly nats-auth" names each bad
// setting and writes nothing; config/secrets/vaulttest runs it against
// a real Vault core.
func TestNATSAuthRefused(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "auth.conf")
	vault := map[string]string{"IGLOWLY_VAULT_ADDR": "https://vault.example:8200",
		"IGLOWLY_VAULT_ROLE_ID": "r", "IGLOWLY_VAULT_SECRET_ID": "s3cret-id-value"}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no Vault", []string{"--out", out}, nil, "set --vault-addr"},
		{"no file", nil, vault, "set --out"},
		{"standard output", []string{"--out", "-"}, vault, "never go to standard output"},
		{"a path without folder", []string{"--out", out, "--vault-path", "iglowly"}, vault,
			"want mount/folder"},
		{"a bad path", []string{"--out", out, "--vault-path", "iglowly/data/nats"}, vault,
			"--vault-path"},
		{"a bad replica", []string{"--out", out, "--replicas", "edge=x"}, vault, "--replicas"},
		{"one route", []string{"--out", out, "--routes", "a:6222"}, vault, "--routes"},
		{"a cost", []string{"--out", out, "--bcrypt-cost", "40"}, vault, "--bcrypt-cost"},
		{"an argument", []string{"--out", out, "extra"}, vault, `unexpected argument "extra"`},
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := func(k string) string { return c.env[k] }
			err := runNATSAuth(context.Background(), c.args, env, log)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%v, want %q", err, c.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error shows the secret id: %v", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("wrote %s", entries[0].Name())
			}
		})
	}
}
