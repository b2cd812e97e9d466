package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/internal/testutil"
)

var discard = slog.New(slog.NewJSONHandler(io.Discard, nil))

func mustRef(t *testing.T, s string) secrets.Ref {
	t.Helper()
	r, err := secrets.ParseRef(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testKey returns a 44-byte key that looks random, as openssl rand
// -base64 32 writes one, different for each n.
func testKey(n int) secrets.Secret {
	return secrets.NewSecret(fmt.Sprintf("Zx9%03dQw2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz+Xc/Vb=", n))
}

// TestVaultRingKeepsIDs checks the ids a ring read from Vault gets. In a
// ring written before ids, each is derived from its key, so a key keeps
// its id when a rotation moves it from current to previous and a token
// it signed still verifies; an expired previous key is left out; a
// previous key whose derived id is the current one's is dropped, and
// said so. A ring with ids uses them as stored.
func TestVaultRingKeepsIDs(t *testing.T) {
	now := time.Now()
	a, b := testKey(1), testKey(2)
	before, dropped := vaultRing(secrets.Keys{Current: a, CurrentID: secrets.DeriveKeyID(a),
		IDsDerived: true}, now)
	if dropped || before.Validate() != nil || len(before.Previous) != 0 {
		t.Fatalf("one key: %+v dropped=%v", before.Previous, dropped)
	}
	signer, err := edge.NewSigner(before)
	if err != nil {
		t.Fatal(err)
	}
	token, _ := signer.Issue("demo", now, time.Hour)

	after, dropped := vaultRing(secrets.Keys{Current: b, CurrentID: secrets.DeriveKeyID(b),
		Previous: a, PreviousID: secrets.DeriveKeyID(a), PreviousUntil: now.Add(time.Hour),
		IDsDerived: true}, now)
	if dropped || len(after.Previous) != 1 || after.Previous[0].ID != before.Current.ID {
		t.Fatalf("after rotation: %+v, previous id want %d", after, before.Current.ID)
	}
	if err := signer.SetKeys(after); err != nil {
		t.Fatal(err)
	}
	if _, err := signer.Verify(token, now); err != nil {
		t.Errorf("a token of the previous key: %v", err)
	}

	expired, _ := vaultRing(secrets.Keys{Current: b, CurrentID: 2, Previous: a, PreviousID: 1,
		PreviousUntil: now.Add(-time.Second)}, now)
	if len(expired.Previous) != 0 {
		t.Errorf("an expired previous key is kept")
	}

	x, y := collidingKeys(t)
	ring, dropped := vaultRing(secrets.Keys{Current: x, CurrentID: secrets.DeriveKeyID(x),
		Previous: y, PreviousID: secrets.DeriveKeyID(y), PreviousUntil: now.Add(time.Hour),
		IDsDerived: true}, now)
	if !dropped || len(ring.Previous) != 0 || ring.Validate() != nil {
		t.Errorf("colliding derived ids: dropped=%v ring %+v", dropped, ring.Previous)
	}

	stored, dropped := vaultRing(secrets.Keys{Current: x, CurrentID: 40, Next: a, NextID: 41,
		Previous: y, PreviousID: 39, PreviousUntil: now.Add(time.Hour)}, now)
	if dropped || stored.Current.ID != 40 || stored.Next.ID != 41 ||
		len(stored.Previous) != 1 || stored.Previous[0].ID != 39 || stored.Validate() != nil {
		t.Errorf("stored ids: %+v", stored)
	}
}

// collidingKeys finds two test keys with the same derived id.
func collidingKeys(t *testing.T) (secrets.Secret, secrets.Secret) {
	seen := map[byte]secrets.Secret{}
	for n := range 1000 {
		k := testKey(n)
		if o, ok := seen[secrets.DeriveKeyID(k)]; ok {
			return k, o
		}
		seen[secrets.DeriveKeyID(k)] = k
	}
	t.Fatal("no two keys with one id among 1000")
	return secrets.Secret{}, secrets.Secret{}
}

// putRing writes a ring's fields into the dev source, as a new version
// of its secret: fields the ring lacks are emptied.
func putRing(t *testing.T, d *secrets.Dev, ref secrets.Ref, k secrets.Keys) {
	t.Helper()
	f := k.Fields()
	for _, name := range []string{secrets.FieldCurrent, secrets.FieldCurrentID,
		secrets.FieldNext, secrets.FieldNextID, secrets.FieldPrevious,
		secrets.FieldPreviousID, secrets.FieldPreviousUntil} {
		r, err := ref.WithField(name)
		if err != nil {
			t.Fatal(err)
		}
		d.Put(r, f[name])
	}
}

// TestVaultRingAcrossRotation has two edges read a ring in Vault's form,
// one before a rotation and one after it: each verifies the tokens the
// other signs, the old ring through its next key, the new one through
// its previous key; two rotations on, the first key no longer verifies.
func TestVaultRingAcrossRotation(t *testing.T) {
	ctx := context.Background()
	d := secrets.NewDev(discard)
	ref := mustRef(t, devSessionKeys)
	d.Put(ref, testKey(1))
	k, err := secrets.LoadKeys(ctx, d, ref)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	r := secrets.Rotation{Now: now, Grace: time.Hour, NextOnly: true}
	if k, err = k.Rotate(r, now); err != nil {
		t.Fatal(err)
	}
	putRing(t, d, ref, k)
	oldRing, err := loadSessionKeys(ctx, d, ref, discard)
	if err != nil || oldRing.Current.ID != secrets.DeriveKeyID(testKey(1)) {
		t.Fatalf("ring with a next key: %+v, %v", oldRing, err)
	}
	r.NextOnly, r.Now = false, now.Add(time.Minute)
	if k, err = k.Rotate(r, now); err != nil {
		t.Fatal(err)
	}
	putRing(t, d, ref, k)
	newRing, err := loadSessionKeys(ctx, d, ref, discard)
	if err != nil {
		t.Fatal(err)
	}
	oldEdge, _ := edge.NewSigner(oldRing)
	newEdge, _ := edge.NewSigner(newRing)
	fromOld, _ := oldEdge.Issue("demo", now, 4*time.Hour)
	fromNew, _ := newEdge.Issue("demo", now, 4*time.Hour)
	if _, err := oldEdge.Verify(fromNew, now); err != nil {
		t.Errorf("the edge with the old ring refuses the new one's token: %v", err)
	}
	if _, err := newEdge.Verify(fromOld, now); err != nil {
		t.Errorf("the edge with the new ring refuses the old one's token: %v", err)
	}
	r.Now = now.Add(2 * time.Hour)
	if k, err = k.Rotate(r, now); err != nil {
		t.Fatal(err)
	}
	putRing(t, d, ref, k)
	later, _ := loadSessionKeys(ctx, d, ref, discard)
	laterEdge, _ := edge.NewSigner(later)
	if _, err := laterEdge.Verify(fromOld, now); err != edge.ErrTokenSignature {
		t.Errorf("two rotations on, the first key still verifies: %v", err)
	}
	if _, err := laterEdge.Verify(fromNew, now); err != nil {
		t.Errorf("one rotation on, the second key no longer verifies: %v", err)
	}
}

// TestLoadSessionKeys reads a key ring from each kind of source, and
// checks that a missing or malformed one is an error that shows no key.
func TestLoadSessionKeys(t *testing.T) {
	dir := t.TempDir()
	ringFile := filepath.Join(dir, "ring.json")
	if err := os.WriteFile(ringFile, []byte(testKey(1).Reveal()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := runKeys([]string{"rotate", "--file", ringFile}, io.Discard); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"RAW_KEY": testKey(3).Reveal(), "SHORT_KEY": "s3cr3t-short"}
	src := &secrets.Local{Env: func(k string) string { return env[k] }, Log: discard}
	dev := secrets.NewDev(discard)
	cases := []struct {
		name  string
		src   secrets.Source
		ref   string
		prev  int
		wantE error
	}{
		{"file, a rotated ring", src, "file://" + ringFile, 1, nil},
		{"env, one raw key", src, "env://RAW_KEY", 0, nil},
		{"vault, generated in memory", dev, devSessionKeys, 0, nil},
		{"missing file", src, "file://" + filepath.Join(dir, "none"), 0, secrets.ErrNotFound},
		{"unset variable", src, "env://NO_SUCH_KEY", 0, secrets.ErrNotFound},
		{"short key", src, "env://SHORT_KEY", 0, errAny},
		{"vault without a vault", src, devSessionKeys, 0, secrets.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			keys, err := loadSessionKeys(context.Background(), c.src, mustRef(t, c.ref), discard)
			switch {
			case c.wantE == nil && err != nil:
				t.Fatalf("error %v", err)
			case c.wantE == nil && len(keys.Previous) != c.prev:
				t.Errorf("%d previous keys, want %d", len(keys.Previous), c.prev)
			case c.wantE == errAny && err == nil,
				c.wantE != nil && c.wantE != errAny && !errors.Is(err, c.wantE):
				t.Errorf("error %v, want %v", err, c.wantE)
			}
			if err != nil && strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("the error shows the value: %v", err)
			}
		})
	}
}

// errAny stands for any error in a table.
var errAny = errors.New("any error")

// TestReloadWatch changes a secret under a watch: the new value is
// applied once, a value that cannot be read or is refused leaves the one
// in use, with a warning that shows no value.
func TestReloadWatch(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.key")
	if err := os.WriteFile(file, []byte(testKey(1).Reveal()), 0o600); err != nil {
		t.Fatal(err)
	}
	ref := mustRef(t, "file://"+file)
	src := secrets.Local{Log: discard}
	first, err := loadSessionKeys(context.Background(), src, ref, discard)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var applied []edge.Keys
	logs := &testutil.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := reload[edge.Keys]{what: "session_keys", same: sameKeys,
		load: func(ctx context.Context) (edge.Keys, error) {
			return loadSessionKeys(ctx, src, ref, log)
		},
		apply: func(k edge.Keys) error {
			mu.Lock()
			defer mu.Unlock()
			applied = append(applied, k)
			return nil
		}}
	go r.watch(ctx, first, 10*time.Millisecond, log)
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(applied) }

	if err := runKeys([]string{"rotate", "--file", file}, io.Discard); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return count() == 1 })
	time.Sleep(50 * time.Millisecond) // more ticks, the same file
	if count() != 1 {
		t.Errorf("the same ring applied %d times", count())
	}
	raw, _ := os.ReadFile(file)
	if err := os.WriteFile(file, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(logs.String(), "secret_not_reloaded") })
	if count() != 1 || strings.Contains(logs.String(), testKey(1).Reveal()) ||
		strings.Contains(logs.String(), string(raw)) {
		t.Errorf("a broken file: %d applied, logs %s", count(), logs.String())
	}
}

// TestModelKeys reads the model keys at start, refuses a missing or
// malformed one by provider without its value, and follows a rotation.
func TestModelKeys(t *testing.T) {
	var mu sync.Mutex
	env := map[string]string{"OPENAI_KEY": "sk-first", "BAD_KEY": "has space s3cr3t"}
	getenv := func(k string) string { mu.Lock(); defer mu.Unlock(); return env[k] }
	src := secrets.Local{Env: getenv, Log: discard}
	refs := map[string]secrets.Ref{"openai": mustRef(t, "env://OPENAI_KEY")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	old := keyReloadEvery
	keyReloadEvery = 10 * time.Millisecond
	defer func() { keyReloadEvery = old }()
	keys, err := startModelKeys(ctx, src, refs, discard)
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := keys.Key("openai"); !ok || k.Reveal() != "sk-first" {
		t.Fatalf("openai key not read")
	}
	mu.Lock()
	env["OPENAI_KEY"] = "sk-second"
	mu.Unlock()
	waitFor(t, func() bool { k, _ := keys.Key("openai"); return k.Reveal() == "sk-second" })

	for name, ref := range map[string]string{"unset": "env://NONE", "bad": "env://BAD_KEY"} {
		_, err := startModelKeys(ctx, src, map[string]secrets.Ref{"mistral": mustRef(t, ref)},
			discard)
		if err == nil || !strings.Contains(err.Error(), "mistral") ||
			strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s key: %v, want an error naming mistral, not the value", name, err)
		}
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	// A generous bound: a worker starting under the race detector on a
	// loaded machine can take seconds; this waits, it does not time.
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
