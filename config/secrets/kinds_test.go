package secrets

import (
	"context"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// key returns n bytes of key material starting with b, with 16 or more
// distinct bytes when n >= 16.
func key(b byte, n int) string {
	k := make([]byte, n)
	for i := range k {
		k[i] = b + byte(i%20)
	}
	return string(k)
}

func TestLoadKeys(t *testing.T) {
	ctx := context.Background()
	ref, _ := ParseRef("vault://kv/edge/session-keys#current")
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name   string
		fields map[string]string
		err    error
		prev   bool
	}{
		{"current only", map[string]string{"current": key('a', 32)}, nil, false},
		{"base64 text", map[string]string{"current": base64.StdEncoding.EncodeToString(
			[]byte(key(0, 32)))}, nil, false},
		{"raw bytes", map[string]string{"current": key(0x80, 32)}, nil, false},
		{"too long", map[string]string{"current": key('a', maxKeyBytes+1)}, ErrInvalid, false},
		{"not random", map[string]string{"current": strings.Repeat(canary, 3)}, ErrInvalid, false},
		{"with previous", map[string]string{"current": key('a', 32), "previous": key('b', 48),
			"previous_until": until.Format(time.RFC3339)}, nil, true},
		{"short key", map[string]string{"current": key('a', 31)}, ErrInvalid, false},
		{"previous without until", map[string]string{"current": key('a', 32),
			"previous": key('b', 32)}, ErrInvalid, false},
		{"bad until", map[string]string{"current": key('a', 32), "previous": key('b', 32),
			"previous_until": "tomorrow"}, ErrInvalid, false},
		{"short previous", map[string]string{"current": key('a', 32), "previous": key('b', 8),
			"previous_until": until.Format(time.RFC3339)}, ErrInvalid, false},
		{"no current", map[string]string{"previous": key('b', 32)}, ErrNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDev(slog.New(slog.DiscardHandler))
			for f, v := range tt.fields {
				r, _ := ref.WithField(f)
				d.Put(r, NewSecret(v))
			}
			if _, ok := tt.fields["current"]; !ok {
				d.Put(ref, Secret{})
			}
			k, err := LoadKeys(ctx, d, ref)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				if strings.Contains(err.Error(), canary) {
					t.Fatalf("error shows the value: %v", err)
				}
				return
			}
			if k.Current.Reveal() != tt.fields["current"] {
				t.Fatal("current key changed")
			}
			if tt.prev != !k.Previous.IsZero() || (tt.prev && !k.PreviousUntil.Equal(until)) {
				t.Fatalf("previous %v until %v", !k.Previous.IsZero(), k.PreviousUntil)
			}
		})
	}
}

func TestKeysVerifying(t *testing.T) {
	now := time.Now()
	k := Keys{Current: NewSecret("c"), Previous: NewSecret("p"), PreviousUntil: now.Add(time.Minute)}
	if v := k.Verifying(now); len(v) != 2 || v[0].Reveal() != "c" || v[1].Reveal() != "p" {
		t.Fatalf("before the deadline: %d keys", len(v))
	}
	if v := k.Verifying(now.Add(time.Minute)); len(v) != 1 || v[0].Reveal() != "c" {
		t.Fatalf("at the deadline: %d keys", len(v))
	}
	if v := (Keys{Current: NewSecret("c")}).Verifying(now); len(v) != 1 {
		t.Fatalf("without previous: %d keys", len(v))
	}
}

func TestLoadKeysRefs(t *testing.T) {
	ctx := context.Background()
	d := NewDev(slog.New(slog.DiscardHandler))
	other, _ := ParseRef("vault://kv/edge/session-keys#key")
	if _, err := LoadKeys(ctx, d, other); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), `"current"`) {
		t.Fatalf("a ref to another field: %v", err)
	}
	envRef, _ := ParseRef("env://IGLOWLY_SESSION_KEY")
	d.local.Env = envMap{"IGLOWLY_SESSION_KEY": key('z', 32)}.get
	k, err := LoadKeys(ctx, d, envRef)
	if err != nil || k.Current.Reveal() != key('z', 32) || !k.Previous.IsZero() {
		t.Fatalf("env key ring: %v", err)
	}
}

func TestLoadJetStreamKeyAndAPIKey(t *testing.T) {
	ctx := context.Background()
	d := NewDev(slog.New(slog.DiscardHandler))
	js, _ := ParseRef("vault://kv/nats/jetstream#key")
	s, err := LoadJetStreamKey(ctx, d, js)
	if err != nil || s.Len() != generatedLen {
		t.Fatalf("generated jetstream key: %d bytes, %v", s.Len(), err)
	}
	letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	for v, ok := range map[string]bool{letters: true, letters[1:]: false,
		letters[:39] + "1": false, letters[:39] + "=": false, strings.Repeat("ab", 30): false} {
		d.Put(js, NewSecret(v))
		_, err := LoadJetStreamKey(ctx, d, js)
		if (err == nil) != ok {
			t.Errorf("jetstream key of %d bytes: %v", len(v), err)
		}
		if err != nil && strings.Contains(err.Error(), v) {
			t.Errorf("error shows the key: %v", err)
		}
	}
	api, _ := ParseRef("vault://kv/inference/model-keys#openai")
	for v, ok := range map[string]bool{"sk-abc_123.XYZ": true, "": false, "sk abc": false,
		"sk-abc\n": false, "sk-é": false, strings.Repeat("k", maxAPIKey+1): false} {
		d.Put(api, NewSecret(v))
		_, err := LoadAPIKey(ctx, d, api)
		if (err == nil) != ok {
			t.Errorf("api key of %d bytes: %v", len(v), err)
		}
		if err != nil && v != "" && strings.Contains(err.Error(), v) {
			t.Errorf("error shows the key: %v", err)
		}
	}
}

func TestParseProviderRefs(t *testing.T) {
	m, err := ParseProviderRefs(" openai=vault://kv/inference/model-keys#openai , " +
		"mistral=env://MISTRAL_KEY")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(Providers(m), ","); got != "mistral,openai" {
		t.Fatalf("providers %q", got)
	}
	if m["mistral"].String() != "env://MISTRAL_KEY" || m["openai"].Field() != "openai" {
		t.Fatalf("refs %v", m)
	}
	if m, err := ParseProviderRefs(""); err != nil || len(m) != 0 {
		t.Fatalf("empty: %v %v", m, err)
	}
	for _, bad := range []string{"openai", "OpenAI=env://K", "=env://K", "a=env://K,a=env://L",
		"a=vault://kv/x", "a=" + canary, "a=env://K,"} {
		_, err := ParseProviderRefs(bad)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), canary) {
			t.Errorf("error shows input: %v", err)
		}
	}
}
