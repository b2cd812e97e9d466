package main

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
)

// testEnv is an environment a test changes while a component runs.
type testEnv struct {
	mu sync.Mutex
	m  map[string]string
}

func (e *testEnv) get(k string) string { e.mu.Lock(); defer e.mu.Unlock(); return e.m[k] }

func (e *testEnv) set(k, v string) { e.mu.Lock(); defer e.mu.Unlock(); e.m[k] = v }

// TestEdgeFromSecretReferences starts the edge with its key ring behind a
// file:// reference and its address key behind an env:// one: it serves
// tokens signed with the ring's key; a rotation of the file reaches it,
// and tokens of the previous key keep working; a new address key in the
// variable is taken up, a signing key there is refused; no key is logged.
func TestEdgeFromSecretReferences(t *testing.T) {
	dir := t.TempDir()
	ns := tcpNATS(t)
	httpAddr := freeAddr(t)
	origin := "http://" + httpAddr
	provision(t, ns, origin)
	ringFile := filepath.Join(dir, "ring.json")
	if err := os.WriteFile(ringFile, []byte(testKey(1).Reveal()), 0o600); err != nil {
		t.Fatal(err)
	}
	user, pw := ns.Credentials(embedded.Edge)
	env := &testEnv{m: map[string]string{"IGLOWLY_NATS_PASSWORD": pw,
		"IGLOWLY_NATS_INSECURE": "true", "EDGE_ADDRESS_KEY": testKey(2).Reveal()}}
	logs := &testutil.LogBuffer{}
	stop := startEdge(t, env, logs, "--http", httpAddr, "--nats", ns.ClientURL(),
		"--nats-user", user, "--session-keys", "file://"+ringFile,
		"--address-key", "env://EDGE_ADDRESS_KEY", "--address-session-rate", "1000/1m")

	base := "http://" + httpAddr
	first := waitForSession(t, base, origin)
	if id := tokenKeyID(t, first); id != 1 {
		t.Fatalf("token signed with key %d, want the file's key 1", id)
	}
	if err := runKeys([]string{"rotate", "--file", ringFile}, io.Discard); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return tokenKeyID(t, waitForSession(t, base, origin)) == 2 })
	if status := endSession(t, base, origin, first); status != http.StatusNoContent {
		t.Errorf("a token of the previous key: status %d, want 204", status)
	}
	if n := addressKeys(t, ns); n != 1 {
		t.Fatalf("%d hashed addresses in the limits bucket, want 1", n)
	}
	env.set("EDGE_ADDRESS_KEY", testKey(3).Reveal())
	waitFor(t, func() bool { return logged(logs.String(), "secret_reloaded", "address_key") })
	waitForSession(t, base, origin)
	if n := addressKeys(t, ns); n != 2 {
		t.Errorf("%d hashed addresses after a new address key, want 2", n)
	}
	raw, _ := os.ReadFile(ringFile)
	ring, err := edge.ParseKeys(raw)
	if err != nil {
		t.Fatal(err)
	}
	env.set("EDGE_ADDRESS_KEY", string(ring.Current.Key))
	waitFor(t, func() bool { return logged(logs.String(), "secret_not_reloaded", "address_key") })
	waitForSession(t, base, origin)
	if n := addressKeys(t, ns); n != 2 {
		t.Errorf("the signing key taken as the address key: %d hashed addresses", n)
	}
	if err := stop(); err != nil {
		t.Errorf("edge exit: %v", err)
	}
	for _, k := range []secrets.Secret{testKey(1), testKey(2), testKey(3)} {
		if strings.Contains(logs.String(), k.Reveal()) {
			t.Fatalf("a key is in the logs:\n%s", logs.String())
		}
	}
}

// startEdge runs edgeMain with env and a short reload interval; the
// function it returns stops it and gives its result, and runs at the
// end of the test if the test did not call it.
func startEdge(t *testing.T, env *testEnv, logs io.Writer, args ...string) func() error {
	t.Helper()
	old := keyReloadEvery
	keyReloadEvery = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- edgeMain(ctx, args, env.get, slog.New(slog.NewJSONHandler(logs, nil))) }()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() { cancel(); err = <-done; keyReloadEvery = old })
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// tokenKeyID returns the id of the key that signed a session token.
func tokenKeyID(t *testing.T, token string) byte {
	t.Helper()
	payload, _, _ := strings.Cut(strings.TrimPrefix(token, "v1."), ".")
	p, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || len(p) == 0 {
		t.Fatalf("token is not of the form v1.<payload>.<mac>")
	}
	return p[0]
}

// endSession ends the token's session and returns the status.
func endSession(t *testing.T, base, origin, token string) int {
	t.Helper()
	req, _ := http.NewRequest("DELETE", base+"/v1/sessions/current", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// logged reports whether a log line has the message msg about secret.
func logged(logs, msg, secret string) bool {
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, `"msg":"`+msg+`"`) &&
			strings.Contains(line, `"secret":"`+secret+`"`) {
			return true
		}
	}
	return false
}

// closedAddr returns a loopback host:port where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestComponentsFailAtStartOnSecrets checks that the edge and the
// inference worker stop at start, before they connect to NATS, when a
// secret cannot be had: Vault unreachable (the error names its address,
// not the token), a missing or unfit secret. No error shows a value.
func TestComponentsFailAtStartOnSecrets(t *testing.T) {
	dir := t.TempDir()
	ring := filepath.Join(dir, "ring")
	if err := os.WriteFile(ring, []byte(testKey(1).Reveal()), 0o600); err != nil {
		t.Fatal(err)
	}
	vault := "http://" + closedAddr(t)
	base := []string{"--nats", "nats://" + closedAddr(t)}
	viaVault := []string{"--vault-addr", vault, "--vault-auth", "token"}
	edgeRefs := []string{"--session-keys", "vault://iglowly/edge/session-keys#current",
		"--address-key", "vault://iglowly/edge/address-key#key"}
	env := map[string]string{"IGLOWLY_NATS_INSECURE": "true",
		"IGLOWLY_VAULT_TOKEN": "hvs.s3cr3t-token", "SAME_KEY": testKey(1).Reveal(),
		"SHORT_KEY": "s3cr3t-short", "ADDR_KEY": testKey(2).Reveal()}
	cases := []struct {
		name  string
		stage string // "" for the edge
		args  []string
		want  string
	}{
		{"edge, vault unreachable", "", join(viaVault, edgeRefs), vault},
		{"edge, no key ring file", "", []string{"--session-keys",
			"file://" + filepath.Join(dir, "none"), "--address-key", "env://ADDR_KEY"},
			"secret not found"},
		{"edge, address key is the signing key", "", []string{"--session-key-file", ring,
			"--address-key", "env://SAME_KEY"}, "address key must not be a session signing key"},
		{"edge, short address key", "", []string{"--session-key-file", ring,
			"--address-key", "env://SHORT_KEY"}, "address key env://SHORT_KEY"},
		{"inference, vault unreachable", "inference", join(viaVault,
			[]string{"--model-keys", "openai=vault://iglowly/inference/model-keys#openai"}),
			vault},
		{"inference, model key unset", "inference",
			[]string{"--model-keys", "openai=env://NO_SUCH_KEY"}, "model key openai"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &testEnv{m: env}
			user := c.stage
			if user == "" {
				user = "edge-2"
			}
			args := join(join(base, []string{"--nats-user", user}), c.args)
			var err error
			if c.stage == "" {
				err = edgeMain(context.Background(), args, e.get, discard)
			} else {
				err = workerMain(context.Background(), c.stage, args, e.get, discard)
			}
			t.Log(err)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "nats") {
				t.Errorf("the error shows a secret or comes from NATS: %v", err)
			}
		})
	}
}

func join(a, b []string) []string { return append(append([]string(nil), a...), b...) }

// addressKeys counts the session-opening keys of client addresses in the
// limits bucket: one per address and address key.
func addressKeys(t *testing.T, ns *embedded.Server) int {
	t.Helper()
	nc, err := ns.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	kv, err := js.KeyValue(ctx, embedded.BucketLimits)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := kv.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range keys {
		if strings.HasPrefix(k, "open.") {
			n++
		}
	}
	return n
}
