package secrets

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var ringRef, _ = ParseRef("vault://kv/edge/session-keys#current")

// ringOf reads a ring from fields given as plain strings.
func ringOf(t *testing.T, f map[string]string) (Keys, error) {
	t.Helper()
	m := map[string]Secret{}
	for k, v := range f {
		m[k] = NewSecret(v)
	}
	return KeysFromFields(ringRef, m)
}

// TestKeyRingIDs reads rings with stored ids, and rings written before
// ids: their ids are derived as edges derived them, so that tokens
// signed before an upgrade still name their key.
func TestKeyRingIDs(t *testing.T) {
	until := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	a, b, c := key('a', 32), key('b', 32), key('c', 32)
	k, err := ringOf(t, map[string]string{"current": a, "current_id": "7", "next": b,
		"next_id": "8", "previous": c, "previous_id": "255", "previous_until": until})
	if err != nil || k.CurrentID != 7 || k.NextID != 8 || k.PreviousID != 255 ||
		k.Next.Reveal() != b || k.IDsDerived {
		t.Fatalf("ring with ids: %+v, %v", k, err)
	}
	if len(k.Verifying(time.Now())) != 3 {
		t.Error("the next key does not verify")
	}
	back, err := KeysFromFields(ringRef, k.Fields())
	if err != nil || back != k {
		t.Errorf("Fields round trip: %+v, %v", back, err)
	}

	old, err := ringOf(t, map[string]string{"current": a, "previous": c,
		"previous_until": until})
	if err != nil || !old.IDsDerived || old.CurrentID != DeriveKeyID(NewSecret(a)) ||
		old.PreviousID != DeriveKeyID(NewSecret(c)) {
		t.Fatalf("ring without ids: %+v, %v", old, err)
	}
	// The ids edges derived before ids were stored, for two keys.
	for v, id := range map[string]byte{"Zx9001Qw2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz+Xc/Vb=": 104,
		"Zx9002Qw2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz+Xc/Vb=": 111} {
		if got := DeriveKeyID(NewSecret(v)); got != id {
			t.Errorf("derived id %d, edges before gave it %d", got, id)
		}
	}

	for name, f := range map[string]map[string]string{
		"next without ids":     {"current": a, "next": b},
		"next without next_id": {"current": a, "current_id": "1", "next": b},
		"next_id without next": {"current": a, "current_id": "1", "next_id": "2"},
		"previous_id alone": {"current": a, "previous": c, "previous_id": "3",
			"previous_until": until},
		"previous without id": {"current": a, "current_id": "1", "previous": c,
			"previous_until": until},
		"id 0":            {"current": a, "current_id": "0"},
		"id 256":          {"current": a, "current_id": "256"},
		"id not a number": {"current": a, "current_id": "one"},
		"same ids":        {"current": a, "current_id": "4", "next": b, "next_id": "4"},
		"previous id of next": {"current": a, "current_id": "4", "next": b, "next_id": "5",
			"previous": c, "previous_id": "5", "previous_until": until},
		"short next": {"current": a, "current_id": "1", "next": "short", "next_id": "2"},
	} {
		if _, err := ringOf(t, f); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		} else if strings.Contains(err.Error(), a) || strings.Contains(err.Error(), b) {
			t.Errorf("%s: the error shows a key", name)
		}
	}
}

// TestKeyRingRotate rotates a ring twice and checks every field, then
// the refusals: too soon for the previous key's sessions or for the next
// key to have reached every component, unless forced.
func TestKeyRingRotate(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	r := Rotation{Now: now, Grace: 5 * time.Hour, Settle: time.Minute}
	k, err := Keys{}.Rotate(r, time.Time{})
	if err != nil || k.CurrentID != 1 || k.NextID != 2 || k.Current.Len() < MinKeyBytes ||
		k.Next.Len() < MinKeyBytes || k.Current == k.Next || !k.Previous.IsZero() {
		t.Fatalf("a new ring: %+v, %v", k, err)
	}
	written := now
	for i := 0; i < 2; i++ {
		r.Now = written.Add(6 * time.Hour)
		before := k
		if k, err = k.Rotate(r, written); err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
		if k.Current != before.Next || k.CurrentID != before.NextID ||
			k.Previous != before.Current || k.PreviousID != before.CurrentID ||
			!k.PreviousUntil.Equal(r.Now.Add(r.Grace)) {
			t.Errorf("rotation %d: %+v from %+v", i, k, before)
		}
		if k.NextID == k.CurrentID || k.NextID == k.PreviousID || k.NextID == 0 ||
			k.Next == before.Next || k.Next == before.Current {
			t.Errorf("rotation %d: next key %d is not new", i, k.NextID)
		}
		if _, err := KeysFromFields(ringRef, k.Fields()); err != nil {
			t.Errorf("rotation %d: the ring written does not load: %v", i, err)
		}
		written = r.Now
	}

	soon := r
	soon.Now = k.PreviousUntil.Add(-time.Second)
	if _, err := k.Rotate(soon, written); !errors.Is(err, ErrTooSoon) {
		t.Errorf("within the previous key's grace: %v", err)
	}
	soon.Force = true
	if f, err := k.Rotate(soon, written); err != nil || f.Current != k.Next {
		t.Errorf("forced: %v", err)
	}
	fresh := Keys{Current: k.Current, CurrentID: k.CurrentID, Next: k.Next, NextID: k.NextID}
	settle := Rotation{Now: written.Add(59 * time.Second), Grace: time.Hour, Settle: time.Minute}
	if _, err := fresh.Rotate(settle, written); !errors.Is(err, ErrTooSoon) {
		t.Errorf("before the next key settled: %v", err)
	}
	settle.Now = written.Add(time.Minute)
	if _, err := fresh.Rotate(settle, written); err != nil {
		t.Errorf("once it settled: %v", err)
	}
	if _, err := fresh.Rotate(Rotation{Now: now, Grace: 0}, written); !errors.Is(err, ErrInvalid) {
		t.Errorf("no grace: %v", err)
	}
}

// TestKeyRingIDsNeverCollide rotates a ring 600 times, through the wrap
// past 255: the three ids always differ, and no key is dropped for one.
func TestKeyRingIDsNeverCollide(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	k := Keys{Current: NewSecret(key('a', 32)), CurrentID: 254,
		Next: NewSecret(key('b', 32)), NextID: 255}
	var err error
	for i := 0; i < 600; i++ {
		now = now.Add(2 * time.Hour)
		before := k
		r := Rotation{Now: now, Grace: time.Hour}
		if k, err = k.Rotate(r, now.Add(-time.Hour)); err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
		if k.PreviousID != before.CurrentID || k.Previous != before.Current {
			t.Fatalf("rotation %d dropped the previous key", i)
		}
		if _, err := KeysFromFields(ringRef, k.Fields()); err != nil {
			t.Fatalf("rotation %d: %v", i, err)
		}
	}
}

// TestKeyRingNextOnly publishes a next key in a ring written before
// next keys and ids: the current key and its derived id stay, and a
// previous key whose derived id is the current one's is left out, as
// edges leave it out.
func TestKeyRingNextOnly(t *testing.T) {
	now := time.Now()
	r := Rotation{Now: now, Grace: time.Hour, NextOnly: true}
	old, _ := ringOf(t, map[string]string{"current": key('a', 32)})
	k, err := old.Rotate(r, now)
	if err != nil || k.Current != old.Current || k.CurrentID != old.CurrentID ||
		k.Next.IsZero() || k.NextID == k.CurrentID || k.IDsDerived {
		t.Fatalf("next only: %+v, %v", k, err)
	}
	if again, _ := k.Rotate(r, now); again != k {
		t.Error("next only replaced a next key")
	}
	x, y := collidingKeys(t)
	until := now.Add(time.Hour).UTC().Format(time.RFC3339)
	clash, _ := ringOf(t, map[string]string{"current": x, "previous": y,
		"previous_until": until})
	k, err = clash.Rotate(r, now)
	if err != nil || !k.Previous.IsZero() {
		t.Fatalf("colliding ids: %+v, %v", k, err)
	}
	if _, err := KeysFromFields(ringRef, k.Fields()); err != nil {
		t.Errorf("the ring written does not load: %v", err)
	}
}

// collidingKeys returns two keys whose derived ids are the same.
func collidingKeys(t *testing.T) (string, string) {
	seen := map[byte]string{}
	for n := byte(0); n < 200; n++ {
		k := key('!'+n%60, 32) + string(rune('A'+n%26)) + string(rune('a'+n/26))
		id := DeriveKeyID(NewSecret(k))
		if o, ok := seen[id]; ok {
			return k, o
		}
		seen[id] = k
	}
	t.Fatal("no two keys with one derived id")
	return "", ""
}

// TestDevKeyRing reads a ring from the dev source: it generates the
// current key only, never a next key or an id, so the ring is one of
// derived ids.
func TestDevKeyRing(t *testing.T) {
	d := NewDev(slog.New(slog.DiscardHandler))
	k, err := LoadKeys(context.Background(), d, ringRef)
	if err != nil || !k.Next.IsZero() || !k.IDsDerived || k.CurrentID != DeriveKeyID(k.Current) {
		t.Fatalf("dev ring: %+v, %v", k, err)
	}
}
