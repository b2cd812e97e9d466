package secrets

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDevWarnsAndGenerates(t *testing.T) {
	var logs bytes.Buffer
	d := NewDev(slog.New(slog.NewJSONHandler(&logs, nil)))
	if !strings.Contains(logs.String(), `"level":"WARN"`) ||
		!strings.Contains(logs.String(), "never run this in production") {
		t.Fatalf("no loud warning: %s", logs.String())
	}
	ctx := context.Background()
	a, _ := ParseRef("vault://kv/a#x")
	b, _ := ParseRef("vault://kv/b#x")
	var wg sync.WaitGroup
	got := make([]Secret, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = d.Get(ctx, a)
		}()
	}
	wg.Wait()
	for _, s := range got[1:] {
		if s.Reveal() != got[0].Reveal() {
			t.Fatal("one ref gave different values")
		}
	}
	if v := got[0].Reveal(); len(v) != generatedLen || strings.Trim(v,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		t.Fatalf("generated value of %d bytes is not letters", len(v))
	}
	other, _ := d.Get(ctx, b)
	if other.Reveal() == got[0].Reveal() {
		t.Fatal("two refs share a value")
	}
	prev, _ := a.WithField(FieldPrevious)
	if _, err := d.Get(ctx, prev); !errors.Is(err, ErrNotFound) {
		t.Fatalf("dev generated a previous key: %v", err)
	}
	if strings.Contains(logs.String(), got[0].Reveal()) {
		t.Fatal("dev logged a value")
	}
}

func TestDevRotateKeys(t *testing.T) {
	ctx := context.Background()
	d := NewDev(slog.New(slog.DiscardHandler))
	ref, _ := ParseRef("vault://kv/edge/session-keys#current")
	k1, err := LoadKeys(ctx, d, ref)
	if err != nil || !k1.Previous.IsZero() {
		t.Fatalf("before rotation: %v", err)
	}
	if err := d.RotateKeys(ctx, ref, time.Hour); err != nil {
		t.Fatal(err)
	}
	k2, err := LoadKeys(ctx, d, ref)
	if err != nil {
		t.Fatal(err)
	}
	if k2.Current.Reveal() == k1.Current.Reveal() || k2.Previous.Reveal() != k1.Current.Reveal() {
		t.Fatal("rotation did not move current to previous")
	}
	if len(k2.Verifying(time.Now())) != 2 || len(k2.Verifying(time.Now().Add(2*time.Hour))) != 1 {
		t.Fatal("previous key verifies for the wrong time")
	}
	bad, _ := ParseRef("vault://kv/edge/session-keys#previous")
	if err := d.RotateKeys(ctx, bad, time.Hour); !errors.Is(err, ErrInvalid) {
		t.Fatalf("rotated a ref to previous: %v", err)
	}
}

func TestDevTransit(t *testing.T) {
	ctx := context.Background()
	d := NewDev(slog.New(slog.DiscardHandler))
	ct, err := d.Encrypt(ctx, "clinics", []byte(canary))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ct, canary) || !strings.HasPrefix(ct, devPrefix) {
		t.Fatalf("ciphertext %q", ct)
	}
	pt, err := d.Decrypt(ctx, "clinics", ct)
	if err != nil || string(pt) != canary {
		t.Fatalf("round trip: %q, %v", pt, err)
	}
	if _, err := d.Decrypt(ctx, "other", ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("decrypted with another key: %v", err)
	}
	flipped := []byte(ct)
	flipped[len(flipped)-3] ^= 1
	for _, c := range []string{string(flipped), "vault:v1:abc", "", devPrefix + "!!"} {
		if _, err := d.Decrypt(ctx, "clinics", c); !errors.Is(err, ErrDecrypt) {
			t.Errorf("decrypted %q: %v", c, err)
		}
	}
	if _, err := d.Encrypt(ctx, "bad/key", nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad key name: %v", err)
	}
	plain, wrapped, err := d.DataKey(ctx, "clinics")
	if err != nil || plain.Len() != 32 {
		t.Fatalf("data key: %v", err)
	}
	back, err := d.Decrypt(ctx, "clinics", wrapped)
	if err != nil || string(back) != plain.Reveal() {
		t.Fatalf("unwrapping the data key: %v", err)
	}
}
