package vaulttest

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iglowly/assistant/config/secrets"
)

const ringPath = "edge/session-keys"

// admin opens a client with the rotating admin role of docs/vault.md.
func (e *env) admin(log *logBuf) *secrets.Client {
	return e.open(e.config(e.role("iglowly-admin", "iglowly-keys,iglowly-storage",
		time.Hour, 24*time.Hour)), log.logger())
}

// stored reads the ring's latest data and version as root.
func (e *env) stored() (map[string]any, int) {
	e.t.Helper()
	s, err := e.root.KVv2("iglowly").Get(context.Background(), ringPath)
	must(e.t, err)
	return s.Data, s.VersionMetadata.Version
}

// TestWriteCAS writes a secret with check-and-set: the write on the
// version read succeeds; one on a stale version, or creating one that
// exists, fails with ErrConflict and changes nothing; a read-only role
// is denied the write, and a role without the path the read.
func TestWriteCAS(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var logs logBuf
	admin := e.admin(&logs)
	r := ref(t, "vault://iglowly/"+ringPath+"#current")
	v, err := admin.ReadVersion(ctx, r)
	if err != nil || v.Number != 1 || v.Fields["current"].Reveal() != values[ringPath]["current"] ||
		time.Since(v.Created) > time.Minute {
		t.Fatalf("read: version %d, %v", v.Number, err)
	}
	v.Fields["note"] = secrets.NewSecret("rotated by the test")
	n, err := admin.WriteCAS(ctx, r, v.Fields, v.Number)
	if err != nil || n != 2 {
		t.Fatalf("write on version 1: version %d, %v", n, err)
	}
	for _, stale := range []int{1, 0} {
		_, err := admin.WriteCAS(ctx, r, map[string]secrets.Secret{
			"current": secrets.NewSecret("lost-" + marker)}, stale)
		if !errors.Is(err, secrets.ErrConflict) ||
			!strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("write on version %d: %v, want a conflict", stale, err)
		}
	}
	if data, ver := e.stored(); ver != 2 || data["note"] != "rotated by the test" ||
		data["current"] != values[ringPath]["current"] {
		t.Fatalf("after the conflicts: version %d", ver)
	}

	fresh := ref(t, "vault://iglowly/edge/admin-pepper#current")
	must(t, e.root.KVv2("iglowly").DeleteMetadata(ctx, "edge/admin-pepper"))
	if v, err := admin.ReadVersion(ctx, fresh); err != nil || v.Number != 0 || len(v.Fields) != 0 {
		t.Fatalf("a secret that does not exist: %+v, %v", v, err)
	}
	if n, err := admin.WriteCAS(ctx, fresh, map[string]secrets.Secret{
		"current": secrets.NewSecret("x")}, 0); err != nil || n != 1 {
		t.Fatalf("creating it: %d, %v", n, err)
	}

	edgeRole := e.open(e.config(e.role("iglowly-edge", "iglowly-edge", time.Hour,
		24*time.Hour)), logs.logger())
	ev, err := edgeRole.ReadVersion(ctx, r)
	if err != nil {
		t.Fatalf("the edge reads its ring: %v", err)
	}
	_, err = edgeRole.WriteCAS(ctx, r, map[string]secrets.Secret{
		"current": secrets.NewSecret("edge-" + marker)}, ev.Number)
	if !errors.Is(err, secrets.ErrDenied) {
		t.Errorf("the edge wrote its ring: %v", err)
	}
	inf := e.open(e.config(e.role("iglowly-inference", "iglowly-inference", time.Hour,
		24*time.Hour)), logs.logger())
	if _, err := inf.ReadVersion(ctx, r); !errors.Is(err, secrets.ErrDenied) {
		t.Errorf("inference read the ring: %v", err)
	}
	if _, ver := e.stored(); ver != 2 {
		t.Errorf("a denied write changed the ring: version %d", ver)
	}
	noMarker(t, "the logs", logs.String())
}

// TestRotateKeysInVault rotates a ring written before ids and next
// keys: a next key is published first, then rotations move next to
// current and current to previous with their ids, keep other fields, and
// the edge's role reads exactly that. Rotating too soon is refused and
// changes nothing.
func TestRotateKeysInVault(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var logs logBuf
	admin := e.admin(&logs)
	r := ref(t, "vault://iglowly/"+ringPath+"#current")
	now := time.Now()
	rot := secrets.Rotation{Now: now, Grace: 5 * time.Hour, Settle: time.Minute}

	// The seeded ring's previous key verifies until 2099.
	if _, err := admin.RotateKeys(ctx, r, rot); !errors.Is(err, secrets.ErrTooSoon) {
		t.Fatalf("rotating within the previous key's grace: %v", err)
	}
	first := "first-" + marker + strings.Repeat("0123456789abcdef", 2)
	e.put(ringPath, map[string]any{"current": first, "note": "kept"})
	edgeCfg := e.config(e.role("iglowly-edge", "iglowly-edge", time.Hour, 24*time.Hour))
	edgeRead := func() secrets.Keys {
		c, err := secrets.Open(ctx, edgeCfg, nil, logs.logger())
		must(t, err)
		defer c.Close()
		k, err := secrets.LoadKeys(ctx, c, r)
		must(t, err)
		return k
	}
	legacy := edgeRead()

	rot.NextOnly = true
	res, err := admin.RotateKeys(ctx, r, rot)
	published := edgeRead()
	if err != nil || !res.Written || published.Current != legacy.Current ||
		published.CurrentID != legacy.CurrentID || published.Next.IsZero() ||
		published.IDsDerived {
		t.Fatalf("publishing a next key: %+v, %v", published, err)
	}
	rot.NextOnly = false
	if _, err := admin.RotateKeys(ctx, r, rot); !errors.Is(err, secrets.ErrTooSoon) {
		t.Fatalf("rotating before the next key settled: %v", err)
	}
	if _, ver := e.stored(); ver != res.Version {
		t.Fatalf("a refused rotation wrote version %d", ver)
	}

	rot.Force = true
	prev := published
	for i := 0; i < 2; i++ {
		if _, err := admin.RotateKeys(ctx, r, rot); err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
		k := edgeRead()
		if k.Current != prev.Next || k.CurrentID != prev.NextID ||
			k.Previous != prev.Current || k.PreviousID != prev.CurrentID ||
			k.Next.IsZero() || k.NextID == k.CurrentID || k.NextID == k.PreviousID ||
			k.Next == prev.Next || k.Next == prev.Current {
			t.Fatalf("rotation %d: ids %d/%d/%d after %d/%d", i, k.PreviousID, k.CurrentID,
				k.NextID, prev.CurrentID, prev.NextID)
		}
		if d := time.Until(k.PreviousUntil); d < 4*time.Hour || d > 5*time.Hour {
			t.Errorf("rotation %d: the previous key verifies for %v", i, d)
		}
		prev = k
	}
	data, _ := e.stored()
	if data["note"] != "kept" || data["current_id"] == nil || data["next_id"] == nil {
		t.Errorf("fields after the rotations: note %v, ids %v %v", data["note"],
			data["current_id"], data["next_id"])
	}
	noMarker(t, "the logs", logs.String())
	if strings.Contains(logs.String(), prev.Next.Reveal()) {
		t.Fatal("a new key was logged")
	}
}

// TestRotateKeysAtOnce runs rotations at the same time: each one either
// writes a version or fails with ErrConflict, and the versions written
// form one unbroken chain, so no key was lost to a race.
func TestRotateKeysAtOnce(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	var logs logBuf
	admin := e.admin(&logs)
	r := ref(t, "vault://iglowly/"+ringPath+"#current")
	_, start := e.stored()
	rot := secrets.Rotation{Now: time.Now(), Grace: time.Hour, Force: true}
	var mu sync.Mutex
	var done []secrets.Rotated
	conflicts := 0
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			res, err := admin.RotateKeys(ctx, r, rot)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				done = append(done, res)
			case errors.Is(err, secrets.ErrConflict):
				conflicts++
			default:
				t.Errorf("rotation: %v", err)
			}
		})
	}
	wg.Wait()
	_, end := e.stored()
	if end != start+len(done) || len(done)+conflicts != 6 || len(done) == 0 {
		t.Fatalf("%d written, %d conflicts, versions %d to %d", len(done), conflicts, start, end)
	}
	sort.Slice(done, func(i, j int) bool { return done[i].Version < done[j].Version })
	for i := 1; i < len(done); i++ {
		a, b := done[i-1].After, done[i].After
		if b.Current != a.Next || b.Previous != a.Current || done[i].Before != a {
			t.Fatalf("version %d does not follow version %d", done[i].Version,
				done[i-1].Version)
		}
	}
	t.Logf("%d rotations written, %d refused by check-and-set", len(done), conflicts)
	noMarker(t, "the logs", logs.String())
}

// TestKeysRotateCommand runs "iglowly keys rotate --vault-ref" as an
// operator would, logged in with the admin AppRole: it publishes a next
// key, refuses to rotate before it settled, rotates with --force, and
// the edge's role is denied; nothing it prints shows a key.
func TestKeysRotateCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the iglowly binary")
	}
	bin := iglowlyBinary(t)
	e := start(t)
	e.put(ringPath, map[string]any{
		"current": "cmd-" + marker + strings.Repeat("QWERTYUIOPASDFGH", 2)})
	policies := map[string]string{"iglowly-admin": "iglowly-keys,iglowly-storage",
		"iglowly-edge": "iglowly-edge"}
	run := func(role string, args ...string) (string, error) {
		roleID, secretID := e.role(role, policies[role], time.Hour, 24*time.Hour)
		cmd := exec.Command(bin, append([]string{"keys", "rotate",
			"--vault-ref", "vault://iglowly/" + ringPath}, args...)...)
		cmd.Env = []string{"IGLOWLY_VAULT_ADDR=" + e.Addr, "IGLOWLY_VAULT_ROLE_ID=" + roleID,
			"IGLOWLY_VAULT_SECRET_ID=" + secretID}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		noMarker(t, "the output", out.String())
		if strings.Contains(out.String(), secretID) {
			t.Errorf("the output shows the secret id: %s", out.String())
		}
		return out.String(), err
	}
	if out, err := run("iglowly-admin", "--next-only"); err != nil ||
		!strings.Contains(out, "published as next") {
		t.Fatalf("--next-only: %v\n%s", err, out)
	}
	if out, err := run("iglowly-admin"); err == nil || !strings.Contains(out, "too soon") {
		t.Fatalf("a rotation before the next key settled: %v\n%s", err, out)
	}
	_, before := e.stored()
	if out, err := run("iglowly-admin", "--force", "--grace", "2h"); err != nil ||
		!strings.Contains(out, "now signs") {
		t.Fatalf("--force: %v\n%s", err, out)
	}
	if out, err := run("iglowly-edge", "--force"); err == nil ||
		!strings.Contains(out, "permission denied") {
		t.Fatalf("the edge's role rotated: %v\n%s", err, out)
	}
	data, after := e.stored()
	if after != before+1 || data["previous_until"] == nil {
		t.Fatalf("versions %d to %d", before, after)
	}
}
