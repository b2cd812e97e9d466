package vaulttest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/vault/api"

	"github.com/iglowly/assistant/config/secrets"
)

// TestRenewalAndReloginAtMaxTTL uses a role whose tokens live 2 s and at
// most 5 s. The value read changes in Vault at each step, so each read
// proves that it reached Vault with a valid token: after 2 s (the token was
// renewed) and after 5 s (the client logged in again).
func TestRenewalAndReloginAtMaxTTL(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	cfg := e.config(e.role("iglowly-edge", "iglowly-edge", 2*time.Second, 5*time.Second))
	cfg.Refresh = time.Second
	cfg.MaxAge = time.Second
	var logs logBuf
	opened := time.Now()
	c := e.open(cfg, logs.logger())
	pw := ref(t, "vault://iglowly/edge/nats#password")

	// The first read has nothing cached; the second comes after more
	// than the refresh interval: both go to Vault.
	readsFromVault := func(v string) {
		t.Helper()
		e.put("edge/nats", map[string]any{"password": v})
		got, err := c.Get(ctx, pw)
		if err != nil || got.Reveal() != v {
			t.Fatalf("read %d bytes, %v; want the value just written", got.Len(), err)
		}
	}
	eventually(t, 10*time.Second, "a renewal", func() bool { return c.Status().Renewals >= 1 })
	time.Sleep(time.Until(opened.Add(2500 * time.Millisecond)))
	readsFromVault("renewed-value-" + strings.Repeat("x", 8))
	if c.Status().Logins != 1 {
		t.Fatalf("logged in again before the max TTL: %+v", c.Status())
	}

	eventually(t, 15*time.Second, "a second login", func() bool { return c.Status().Logins >= 2 })
	time.Sleep(time.Until(opened.Add(5500 * time.Millisecond)))
	readsFromVault("relogin-value-" + strings.Repeat("y", 8))
	if !strings.Contains(logs.String(), `"msg":"vault_token_at_end"`) {
		t.Errorf("the end of the token was not logged: %s", logs.String())
	}
}

// TestTokenFileReadAgainAtMaxTTL logs in with a token file, as a Vault
// Agent would keep it: a token of 2 s, at most 4 s, then a fresh one
// written into the file. When the first token reaches its max TTL the
// client reads the file again and carries on with the new token.
func TestTokenFileReadAgainAtMaxTTL(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	renewable := true
	token := func(ttl, maxTTL string) string {
		s, err := e.root.Auth().Token().Create(&api.TokenCreateRequest{
			Policies: []string{"iglowly-edge"}, TTL: ttl, ExplicitMaxTTL: maxTTL,
			NoParent: true, Renewable: &renewable})
		must(t, err)
		return s.Auth.ClientToken
	}
	file := filepath.Join(t.TempDir(), "token")
	first := token("2s", "4s")
	must(t, os.WriteFile(file, []byte(first+"\n"), 0o600))
	cfg := e.config("", "")
	cfg.Auth, cfg.RoleID, cfg.SecretID, cfg.TokenFile = secrets.AuthToken, "", secrets.Secret{}, file
	cfg.Refresh, cfg.MaxAge = time.Second, time.Second
	var logs logBuf
	opened := time.Now()
	c := e.open(cfg, logs.logger())
	must(t, os.WriteFile(file, []byte(token("1m", "1h")+"\n"), 0o600))

	eventually(t, 10*time.Second, "a renewal", func() bool { return c.Status().Renewals >= 1 })
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	eventually(t, 15*time.Second, "a second login", func() bool { return c.Status().Logins >= 2 })
	time.Sleep(time.Until(opened.Add(4500 * time.Millisecond)))
	e.put("edge/nats", map[string]any{"password": "after-the-first-token"})
	got, err := c.Get(ctx, ref(t, "vault://iglowly/edge/nats#password"))
	if err != nil || got.Reveal() != "after-the-first-token" {
		t.Fatalf("after the first token's max TTL: %v", err)
	}
	// Vault revokes a token at its max TTL from a timer of its own, which
	// a loaded machine runs late.
	eventually(t, 10*time.Second, "the first token's revocation", func() bool {
		_, err := e.root.Auth().Token().Lookup(first)
		return err != nil
	})
	if strings.Contains(logs.String(), first) {
		t.Fatal("the token was logged")
	}
}

// TestCacheServesWhileVaultStopped cuts Vault off: the cached secret keeps
// serving, with a warning that shows no value, until the max age; then
// reads fail with ErrUnreachable; when Vault is back they work again.
func TestCacheServesWhileVaultStopped(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	cfg := e.config(e.role("iglowly-edge", "iglowly-edge", time.Hour, 24*time.Hour))
	cfg.Refresh, cfg.MaxAge = time.Second, 3*time.Second
	var logs logBuf
	c := e.open(cfg, logs.logger())
	r := ref(t, "vault://iglowly/edge/session-keys#current")
	want := values["edge/session-keys"]["current"]
	read := time.Now()
	if s, err := c.Get(ctx, r); err != nil || s.Reveal() != want {
		t.Fatal(err)
	}

	e.proxy.stop()
	time.Sleep(cfg.Refresh + 100*time.Millisecond)
	k, err := secrets.LoadKeys(ctx, c, r)
	if err != nil || k.Current.Reveal() != want || k.Previous.IsZero() {
		t.Fatalf("with Vault stopped, before the max age: %v", err)
	}
	if !strings.Contains(logs.String(), `"msg":"vault_unreachable_serving_cache"`) ||
		!strings.Contains(logs.String(), e.Addr) {
		t.Fatalf("no warning: %s", logs.String())
	}
	noMarker(t, "the logs", logs.String())

	time.Sleep(time.Until(read.Add(cfg.MaxAge + 100*time.Millisecond)))
	_, err = c.Get(ctx, r)
	if !errors.Is(err, secrets.ErrUnreachable) || !strings.Contains(err.Error(), e.Addr) {
		t.Fatalf("after the max age: %v", err)
	}
	noMarker(t, "the error", err.Error())

	e.proxy.start()
	if s, err := c.Get(ctx, r); err != nil || s.Reveal() != want {
		t.Fatalf("with Vault back: %v", err)
	}
}
