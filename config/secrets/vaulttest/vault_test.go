package vaulttest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/config/secrets"
)

// TestAppRoleLoginAndReads logs in as each component with its AppRole and
// the policy of docs/vault.md, and reads every kind of secret it needs.
func TestAppRoleLoginAndReads(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var logs logBuf

	edge := e.open(e.config(e.role("iglowly-edge", "iglowly-edge", time.Hour, 24*time.Hour)),
		logs.logger())
	if st := edge.Status(); st.Logins != 1 || st.TokenExpires.Before(time.Now().Add(50*time.Minute)) {
		t.Fatalf("status after login: %+v", st)
	}
	sk := values["edge/session-keys"]
	keys, err := secrets.LoadKeys(ctx, edge, ref(t, "vault://iglowly/edge/session-keys#current"))
	if err != nil {
		t.Fatal(err)
	}
	until, _ := time.Parse(time.RFC3339, sk["previous_until"].(string))
	if keys.Current.Reveal() != sk["current"] || keys.Previous.Reveal() != sk["previous"] ||
		!keys.PreviousUntil.Equal(until) {
		t.Fatal("session keys differ from what Vault holds")
	}
	pepper, err := secrets.LoadKeys(ctx, edge, ref(t, "vault://iglowly/edge/admin-pepper#current"))
	if err != nil || pepper.Current.Reveal() != values["edge/admin-pepper"]["current"] ||
		!pepper.Previous.IsZero() {
		t.Fatalf("pepper: %v", err)
	}
	pw, err := edge.Get(ctx, ref(t, "vault://iglowly/edge/nats#password"))
	if err != nil || pw.Reveal() != values["edge/nats"]["password"] {
		t.Fatalf("nats password: %v", err)
	}

	inf := e.open(e.config(e.role("iglowly-inference", "iglowly-inference", time.Hour,
		24*time.Hour)), logs.logger())
	provs, err := secrets.ParseProviderRefs("openai=vault://iglowly/inference/model-keys#openai," +
		"anthropic=vault://iglowly/inference/model-keys#anthropic")
	if err != nil {
		t.Fatal(err)
	}
	for p, r := range provs {
		k, err := secrets.LoadAPIKey(ctx, inf, r)
		if err != nil || k.Reveal() != values["inference/model-keys"][p] {
			t.Fatalf("%s key: %v", p, err)
		}
	}

	nats := e.open(e.config(e.role("iglowly-nats", "iglowly-nats", time.Hour, 24*time.Hour)),
		logs.logger())
	js, err := secrets.LoadJetStreamKey(ctx, nats, ref(t, "vault://iglowly/nats/jetstream#key"))
	if err != nil || js.Reveal() != values["nats/jetstream"]["key"] {
		t.Fatalf("jetstream key: %v", err)
	}
	if _, err := nats.Get(ctx, ref(t, "vault://iglowly/edge/nats#password")); err != nil {
		t.Fatalf("the nats host reads component passwords: %v", err)
	}

	for _, r := range []string{"vault://iglowly/edge/nats#nofield",
		"vault://iglowly/edge/none#current"} {
		_, err := edge.Get(ctx, ref(t, r))
		if !errors.Is(err, secrets.ErrNotFound) && !errors.Is(err, secrets.ErrDenied) {
			t.Errorf("%s: %v", r, err)
		}
	}
	if _, err := edge.Get(ctx, ref(t, "vault://iglowly/edge/nats#nofield")); !errors.Is(err,
		secrets.ErrNotFound) {
		t.Errorf("missing field: %v", err)
	}
	noMarker(t, "the logs", logs.String())
	if !strings.Contains(logs.String(), `"msg":"vault_logged_in"`) {
		t.Errorf("no login logged: %s", logs.String())
	}
}

// TestPolicyDenies checks that each policy refuses what it does not name,
// with a clear error that shows no value, and that a policy change is not
// bridged by the cache.
func TestPolicyDenies(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var logs logBuf
	inf := e.open(e.config(e.role("iglowly-inference", "iglowly-inference", time.Hour,
		24*time.Hour)), logs.logger())
	edgeCfg := e.config(e.role("iglowly-edge", "iglowly-edge", time.Hour, 24*time.Hour))
	edgeCfg.Refresh = time.Second
	edgeCfg.MaxAge = time.Hour
	edge := e.open(edgeCfg, logs.logger())

	denied := []struct {
		c   *secrets.Client
		ref string
	}{
		{inf, "vault://iglowly/edge/session-keys#current"},
		{inf, "vault://iglowly/edge/admin-pepper#current"},
		{inf, "vault://iglowly/nats/jetstream#key"},
		{inf, "vault://iglowly/edge/nats#password"},
		{edge, "vault://iglowly/inference/model-keys#openai"},
		{edge, "vault://iglowly/nats/jetstream#key"},
	}
	for _, d := range denied {
		_, err := d.c.Get(ctx, ref(t, d.ref))
		if !errors.Is(err, secrets.ErrDenied) {
			t.Fatalf("%s: err = %v, want a denial", d.ref, err)
		}
		want := "secret " + d.ref + ": permission denied by vault's policy for this component"
		if err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	}
	if _, err := edge.Encrypt(ctx, "iglowly-storage", []byte("x")); !errors.Is(err, secrets.ErrDenied) {
		t.Errorf("edge used transit: %v", err)
	}
	if _, err := edge.RotateKeys(ctx, ref(t, "vault://iglowly/edge/session-keys#current"),
		secrets.Rotation{Now: time.Now(), Grace: time.Hour, Force: true}); !errors.Is(err,
		secrets.ErrDenied) {
		t.Errorf("edge rotated its own keys: %v", err)
	}

	// Take the pepper out of the edge's policy: after one refresh the
	// cached pepper is no longer served.
	pepper := ref(t, "vault://iglowly/edge/admin-pepper#current")
	if _, err := edge.Get(ctx, pepper); err != nil {
		t.Fatal(err)
	}
	must(t, e.root.Sys().PutPolicy("iglowly-edge",
		`path "iglowly/data/edge/session-keys" { capabilities = ["read"] }`))
	time.Sleep(edgeCfg.Refresh + 100*time.Millisecond)
	if _, err := edge.Get(ctx, pepper); !errors.Is(err, secrets.ErrDenied) {
		t.Fatalf("after the policy change: %v", err)
	}
	noMarker(t, "the logs", logs.String())
}

// TestTransit encrypts and decrypts with the storage role, and checks that
// a ciphertext of another key, or a changed one, fails.
func TestTransit(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var logs logBuf
	defer func() { noMarker(t, "the logs", logs.String()) }()
	c := e.open(e.config(e.role("iglowly-admin", "iglowly-keys,iglowly-storage", time.Hour,
		24*time.Hour)), logs.logger())
	plain := []byte("clinic record " + marker)
	ct, err := c.Encrypt(ctx, "iglowly-storage", plain)
	if err != nil {
		t.Fatal(err)
	}
	noMarker(t, "the ciphertext", ct)
	if !strings.HasPrefix(ct, "vault:v1:") {
		t.Fatalf("ciphertext %q", ct)
	}
	back, err := c.Decrypt(ctx, "iglowly-storage", ct)
	if err != nil || string(back) != string(plain) {
		t.Fatalf("round trip: %q, %v", back, err)
	}

	// The same plaintext under another key, written by root: its
	// ciphertext must not decrypt with iglowly-storage.
	s, err := e.root.Logical().Write("transit/encrypt/other-key",
		map[string]any{"plaintext": "Y2xpbmlj"})
	must(t, err)
	other := s.Data["ciphertext"].(string)
	_, err = c.Decrypt(ctx, "iglowly-storage", other)
	if !errors.Is(err, secrets.ErrDecrypt) {
		t.Fatalf("another key's ciphertext: %v", err)
	}
	tampered := []byte(ct)
	tampered[len(tampered)-4] ^= 1
	for _, bad := range []string{string(tampered), "vault:v1:AAAA", "not-a-ciphertext"} {
		if _, err := c.Decrypt(ctx, "iglowly-storage", bad); !errors.Is(err, secrets.ErrDecrypt) {
			t.Errorf("decrypted %q: %v", bad, err)
		}
	}
	if _, err := c.Decrypt(ctx, "other-key", other); !errors.Is(err, secrets.ErrDenied) {
		t.Errorf("a key outside the policy: %v", err)
	}

	dk, wrapped, err := c.DataKey(ctx, "iglowly-storage")
	if err != nil || dk.Len() != 32 {
		t.Fatalf("data key: %v", err)
	}
	unwrapped, err := c.Decrypt(ctx, "iglowly-storage", wrapped)
	if err != nil || string(unwrapped) != dk.Reveal() {
		t.Fatalf("unwrapping the data key: %v", err)
	}
}

// TestLoginRefused gives a wrong secret id: the error says so and shows
// neither id.
func TestLoginRefused(t *testing.T) {
	e := start(t)
	roleID, _ := e.role("iglowly-edge", "iglowly-edge", time.Hour, 24*time.Hour)
	wrong := "00000000-" + marker + "-wrong"
	var logs logBuf
	_, err := secrets.Open(context.Background(), e.config(roleID, wrong), nil, logs.logger())
	if err == nil {
		t.Fatal("logged in with a wrong secret id")
	}
	noMarker(t, "the error", err.Error())
	if strings.Contains(err.Error(), roleID) || !strings.Contains(err.Error(), "approle login") ||
		!strings.Contains(err.Error(), e.Addr) {
		t.Fatalf("error %q", err)
	}
	t.Log(err)
}

// TestUnreachableAtStart opens against a stopped Vault: a clear error
// naming the address, and no credential in it.
func TestUnreachableAtStart(t *testing.T) {
	e := start(t)
	roleID, secretID := e.role("iglowly-edge", "iglowly-edge", time.Hour, 24*time.Hour)
	e.proxy.stop()
	var logs logBuf
	_, err := secrets.Open(context.Background(), e.config(roleID, secretID), nil, logs.logger())
	if !errors.Is(err, secrets.ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	want := fmt.Sprintf("vault at %s", e.Addr)
	if !strings.Contains(msg, want) || strings.Contains(msg, secretID) ||
		strings.Contains(msg, roleID) {
		t.Fatalf("error %q: want the address, no ids", msg)
	}
	t.Log(msg)
}
