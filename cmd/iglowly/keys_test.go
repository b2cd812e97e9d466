package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/edge"
)

// rotate runs "iglowly keys rotate" with args and the environment env.
func rotate(env map[string]string, args ...string) (string, error) {
	var out bytes.Buffer
	err := keysMain(context.Background(), append([]string{"rotate"}, args...),
		func(k string) string { return env[k] }, &out, discard)
	return out.String(), err
}

// readRing reads the key ring file, or fails the test.
func readRing(t *testing.T, file string) edge.Keys {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := edge.ParseKeys(raw)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

// settle makes the file look written one reload period ago, as if every
// edge had read it.
func settle(t *testing.T, file string) {
	t.Helper()
	old := time.Now().Add(-keyReloadEvery - time.Second)
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
}

// TestKeysRotate rotates a key file of the earlier raw form twice: the
// first rotation publishes a next key and says that the ring had none;
// a second one at once is refused, as edges may not have read the next
// key yet, and changes nothing; once they have, the next key signs, and
// the tokens of the first key still verify. The file stays readable by
// its owner only, and the output shows ids, never a key.
func TestKeysRotate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.key")
	if err := os.WriteFile(file, []byte(strings.Repeat("k", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	signer, _ := edge.NewSigner(readRing(t, file))
	tok, _ := signer.Issue("demo", time.Now(), time.Hour)
	out, err := rotate(nil, "--file", file, "--grace", "2h")
	first := readRing(t, file)
	if err != nil || first.Current.ID != 2 || first.Next.ID != 3 ||
		!strings.Contains(out, "had no next key") {
		t.Fatalf("first rotation: %v, ring %d/%d, output %q", err, first.Current.ID,
			first.Next.ID, out)
	}
	raw, _ := os.ReadFile(file)
	if _, err := rotate(nil, "--file", file); !errors.Is(err, secrets.ErrTooSoon) {
		t.Fatalf("a rotation before the next key settled: %v", err)
	}
	if again, _ := os.ReadFile(file); !bytes.Equal(again, raw) {
		t.Fatal("a refused rotation changed the file")
	}
	settle(t, file)
	out, err = rotate(nil, "--file", file, "--grace", "2h")
	ring := readRing(t, file)
	if err != nil || ring.Current.ID != 3 || !bytes.Equal(ring.Current.Key, first.Next.Key) ||
		ring.Next.ID != 4 || len(ring.Previous) != 2 || strings.Contains(out, "had no next") {
		t.Fatalf("second rotation: %v, ring %+v, output %q", err, ring.Current.ID, out)
	}
	if err := signer.SetKeys(ring); err != nil {
		t.Fatal(err)
	}
	if _, err := signer.Verify(tok, time.Now()); err != nil {
		t.Errorf("a token of the first key no longer verifies: %v", err)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	for _, k := range ring.All() {
		if strings.Contains(out, string(k.Key)) {
			t.Errorf("the output shows a key: %q", out)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %d entries", len(entries))
	}
}

// TestKeysRotateNextOnly publishes a next key first, so that the first
// rotation of a ring written without one has no gap: an edge with the
// ring before the rotation verifies the tokens of one with the ring
// after it. --force rotates at once.
func TestKeysRotateNextOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.key")
	if err := os.WriteFile(file, []byte(testKey(1).Reveal()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := rotate(nil, "--file", file, "--next-only")
	before := readRing(t, file)
	if err != nil || before.Current.ID != 1 || before.Next.ID != 2 ||
		!strings.Contains(out, "published as next") {
		t.Fatalf("next only: %v, %q", err, out)
	}
	if out, _ := rotate(nil, "--file", file, "--next-only"); !strings.Contains(out,
		"nothing written") || readRing(t, file).Next.ID != 2 {
		t.Errorf("next only again: %q", out)
	}
	if _, err := rotate(nil, "--file", file, "--force"); err != nil {
		t.Fatalf("forced: %v", err)
	}
	after := readRing(t, file)
	oldEdge, _ := edge.NewSigner(before)
	newEdge, _ := edge.NewSigner(after)
	tok, _ := newEdge.Issue("demo", time.Now(), time.Hour)
	if _, err := oldEdge.Verify(tok, time.Now()); err != nil || after.Current.ID != 2 {
		t.Errorf("the old ring refuses a token of the new one: %v", err)
	}
}

// TestKeysFlags checks that bad settings are refused, each named, before
// anything is read or written, and that an unreachable Vault is an
// error that shows no token.
func TestKeysFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.key")
	vault := "vault://iglowly/edge/session-keys"
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"nothing", nil, nil, "one of --file and --vault-ref"},
		{"both", nil, []string{"--file", file, "--vault-ref", vault}, "one of --file"},
		{"no grace", nil, []string{"--file", file, "--grace", "0s"}, "--grace"},
		{"long grace", nil, []string{"--file", file, "--grace", "2200h"}, "--grace"},
		{"arguments", nil, []string{"--file", file, "extra"}, "unexpected arguments"},
		{"vault without address", nil, []string{"--vault-ref", vault}, "--vault-addr"},
		{"vault ref from the edge's variable", map[string]string{
			"IGLOWLY_SESSION_KEYS": vault + "#current"}, nil, "--vault-addr"},
		{"file ref as vault ref", vaultEnv("http://127.0.0.1:1"),
			[]string{"--vault-ref", "file:///etc/keys"}, "must be a vault:// reference"},
		{"bad vault ref", vaultEnv("http://127.0.0.1:1"),
			[]string{"--vault-ref", "vault://iglowly"}, "mount and a path"},
		{"vault down", vaultEnv("http://127.0.0.1:1"), []string{"--vault-ref", vault},
			"vault unreachable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := rotate(c.env, c.args...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one that says %q", err, c.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused command wrote the ring")
	}
	if _, err := rotate(nil, "--file", file); err == nil {
		t.Error("a missing ring file was accepted")
	}
	err := keysMain(context.Background(), []string{"list"}, os.Getenv, os.Stdout, discard)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("unknown subcommand: %v", err)
	}
}

// vaultEnv is the environment of a token login to Vault at addr.
func vaultEnv(addr string) map[string]string {
	return map[string]string{"IGLOWLY_VAULT_ADDR": addr, "IGLOWLY_VAULT_AUTH": "token",
		"IGLOWLY_VAULT_TOKEN": "hvs.s3cr3t-token", "IGLOWLY_VAULT_TIMEOUT": "1s"}
}
