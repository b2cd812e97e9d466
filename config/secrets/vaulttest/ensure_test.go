package vaulttest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iglowly/assistant/config/secrets"
)

// createOnly is a policy like the nats-auth job's: it may read and
// create secrets under nats/, never update or delete them.
const createOnly = `path "iglowly/data/nats/*" { capabilities = ["create", "read"] }`

// TestEnsure makes a secret that does not exist, with the generator's
// values, under a policy that may only create and read; a second call
// reads the same values and writes nothing; two callers racing to make
// one agree on a single version; a secret lacking a field, or deleted,
// is an error and stays as it was.
func TestEnsure(t *testing.T) {
	e := start(t)
	must(t, e.root.Sys().PutPolicy("test-create-only", createOnly))
	c := e.open(e.config(e.role("test-ensure", "test-create-only", time.Hour,
		24*time.Hour)), nil)
	ctx := context.Background()
	n := 0
	gen := func() (secrets.Secret, error) {
		n++
		return secrets.NewSecret(strings.Repeat("v", 30) + string(rune('a'+n))), nil
	}
	r := ref(t, "vault://iglowly/nats/users/edge-1#password")
	vals, made, err := c.Ensure(ctx, r, []string{"password", "other"}, gen)
	if err != nil || !made || len(vals) != 2 || vals[0].Reveal() == vals[1].Reveal() {
		t.Fatalf("making it: made %v, %d values, %v", made, len(vals), err)
	}
	stored, err := e.root.KVv2("iglowly").Get(ctx, "nats/users/edge-1")
	must(t, err)
	if stored.Data["password"] != vals[0].Reveal() || stored.VersionMetadata.Version != 1 {
		t.Fatalf("Vault holds %v at version %d", stored.Data, stored.VersionMetadata.Version)
	}
	again, made, err := c.Ensure(ctx, r, []string{"password"}, gen)
	if err != nil || made || again[0].Reveal() != vals[0].Reveal() {
		t.Fatalf("again: made %v, %v", made, err)
	}
	checkEnsureRace(t, e, c)
	checkEnsureRefusals(t, e, c, gen)
}

// checkEnsureRace lets eight callers make one secret at once.
func checkEnsureRace(t *testing.T, e *env, c *secrets.Client) {
	r := ref(t, "vault://iglowly/nats/server#route_password")
	var wg sync.WaitGroup
	got := make([]string, 8)
	var mu sync.Mutex
	madeBy := 0
	for i := range got {
		wg.Go(func() {
			v, made, err := c.Ensure(context.Background(), r, []string{"route_password"},
				func() (secrets.Secret, error) {
					return secrets.NewSecret("route-" + strings.Repeat("x", 30) +
						string(rune('a'+i))), nil
				})
			if err != nil {
				t.Errorf("caller %d: %v", i, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			got[i] = v[0].Reveal()
			if made {
				madeBy++
			}
		})
	}
	wg.Wait()
	for i, v := range got {
		if v != got[0] {
			t.Errorf("caller %d read another value than caller 0", i)
		}
	}
	s, err := e.root.KVv2("iglowly").Get(context.Background(), "nats/server")
	must(t, err)
	if madeBy != 1 || s.VersionMetadata.Version != 1 || s.Data["route_password"] != got[0] {
		t.Errorf("%d callers made it; version %d", madeBy, s.VersionMetadata.Version)
	}
}

// checkEnsureRefusals checks what Ensure leaves alone.
func checkEnsureRefusals(t *testing.T, e *env, c *secrets.Client,
	gen func() (secrets.Secret, error)) {
	ctx := context.Background()
	e.put("nats/users/admin", map[string]any{"note": "no password"})
	_, _, err := c.Ensure(ctx, ref(t, "vault://iglowly/nats/users/admin#password"),
		[]string{"password"}, gen)
	if !errors.Is(err, secrets.ErrNotFound) || !strings.Contains(err.Error(), `no field "password"`) {
		t.Errorf("a secret without the field: %v", err)
	}
	e.put("nats/users/relay", map[string]any{"password": "gone-" + marker})
	must(t, e.root.KVv2("iglowly").Delete(ctx, "nats/users/relay"))
	_, _, err = c.Ensure(ctx, ref(t, "vault://iglowly/nats/users/relay#password"),
		[]string{"password"}, gen)
	if !errors.Is(err, secrets.ErrNotFound) || !strings.Contains(err.Error(), "is deleted") ||
		strings.Contains(err.Error(), marker) {
		t.Errorf("a deleted secret: %v", err)
	}
	for _, p := range []string{"nats/users/admin", "nats/users/relay"} {
		m, err := e.root.KVv2("iglowly").GetMetadata(ctx, p)
		must(t, err)
		if m.CurrentVersion != 1 {
			t.Errorf("%s is at version %d after the refusals", p, m.CurrentVersion)
		}
	}
	_, _, err = c.Ensure(ctx, ref(t, "vault://iglowly/edge/nats#password"),
		[]string{"password"}, gen)
	if !errors.Is(err, secrets.ErrDenied) {
		t.Errorf("a secret outside the policy: %v", err)
	}
}
