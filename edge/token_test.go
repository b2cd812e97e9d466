package edge

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/internal/testutil"
)

func TestTokenRoundTrip(t *testing.T) {
	s, err := newTestSigner(1, []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	tok, g := s.Issue("demo-2", now, time.Hour)
	got, err := s.Verify(tok, now.Add(59*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if got != g || got.Clinic != "demo-2" || len(got.SessionID) != 32 {
		t.Errorf("verified grant %+v, issued %+v", got, g)
	}
	if _, err := s.Verify(tok, now.Add(time.Hour)); err != ErrTokenExpired {
		t.Errorf("expired token: err = %v", err)
	}
	tok2, g2 := s.Issue("demo-2", now, time.Hour)
	if tok2 == tok || g2.SessionID == g.SessionID {
		t.Error("two sessions share a token or id")
	}
}

func TestTokenRefusesTampering(t *testing.T) {
	s, _ := newTestSigner(1, []byte(strings.Repeat("k", 32)))
	other, _ := newTestSigner(1, []byte(strings.Repeat("o", 32)))
	otherKeyID, _ := newTestSigner(2, []byte(strings.Repeat("k", 32)))
	now := time.Unix(1_800_000_000, 0)
	tok, _ := s.Issue("demo", now, time.Hour)
	payload, mac, _ := strings.Cut(strings.TrimPrefix(tok, "v1."), ".")
	forgedClinic, _ := other.Issue("demo-2", now, time.Hour)
	raw, _ := b64.DecodeString(payload)
	raw[5] ^= 1 // one bit of the session id
	flip := b64.EncodeToString(raw)
	cases := map[string]struct {
		token string
		want  error
	}{
		"empty":            {"", ErrTokenMalformed},
		"no version":       {strings.TrimPrefix(tok, "v1."), ErrTokenMalformed},
		"no mac":           {"v1." + payload, ErrTokenMalformed},
		"bad base64":       {"v1.!!!." + mac, ErrTokenMalformed},
		"flipped payload":  {"v1." + string(flip) + "." + mac, ErrTokenSignature},
		"other key":        {forgedClinic, ErrTokenSignature},
		"truncated mac":    {"v1." + payload + "." + mac[:8], ErrTokenSignature},
		"oversize":         {tok + strings.Repeat("A", 300), ErrTokenMalformed},
		"swapped parts":    {"v1." + mac + "." + payload, ErrTokenMalformed},
		"short payload":    {"v1.AAAA." + mac, ErrTokenMalformed},
		"trailing garbage": {tok + ".x", ErrTokenMalformed},
		// The same bytes, spelled with the last character's unused bits
		// set: a second spelling of a valid token.
		"mac spelled otherwise":     {"v1." + payload + "." + testutil.Respell(mac), ErrTokenMalformed},
		"payload spelled otherwise": {"v1." + testutil.Respell(payload) + "." + mac, ErrTokenMalformed},
	}
	for _, part := range []string{payload, mac} {
		a, _ := base64.RawURLEncoding.DecodeString(part)
		b, err := base64.RawURLEncoding.DecodeString(testutil.Respell(part))
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("testutil.Respell(%q) is not the same bytes: %v", part, err)
		}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Verify(c.token, now); err != c.want {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := otherKeyID.Verify(tok, now); err != ErrTokenSignature {
		t.Errorf("token of key 1 verified by key 2: %v", err)
	}
	if _, err := newTestSigner(1, []byte("short")); err == nil {
		t.Error("short key accepted")
	}
}

func FuzzVerify(f *testing.F) {
	s, _ := newTestSigner(1, []byte(strings.Repeat("k", 32)))
	now := time.Unix(1_800_000_000, 0)
	tok, _ := s.Issue("demo", now, time.Hour)
	f.Add(tok)
	f.Add("v1..")
	f.Add("v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA")
	f.Fuzz(func(t *testing.T, token string) {
		g, err := s.Verify(token, now)
		if err == nil && token != tok {
			t.Fatalf("forged token verified: %+v", g)
		}
	})
}

// newTestSigner returns a signer with one key.
func newTestSigner(id byte, key []byte) (*Signer, error) {
	return NewSigner(Keys{Current: SigningKey{ID: id, Key: key}})
}

// TestKeyRotation rotates the key ring: new tokens use the new key, and a
// token of the previous key verifies until the previous key's grace ends,
// then no more; a key dropped from the ring verifies nothing.
func TestKeyRotation(t *testing.T) {
	k1 := SigningKey{ID: 1, Key: []byte(strings.Repeat("1", 32))}
	k2 := SigningKey{ID: 2, Key: []byte(strings.Repeat("2", 32))}
	s, err := NewSigner(Keys{Current: k1})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	old, _ := s.Issue("demo", now, 4*time.Hour)

	grace := now.Add(time.Hour)
	k1.Until = grace
	if err := s.SetKeys(Keys{Current: k2, Previous: []SigningKey{k1}}); err != nil {
		t.Fatal(err)
	}
	fresh, _ := s.Issue("demo", now, 4*time.Hour)
	if raw, _ := b64.DecodeString(strings.Split(fresh, ".")[1]); raw[0] != 2 {
		t.Errorf("a new token names key %d, want 2", raw[0])
	}
	if _, err := s.Verify(old, grace.Add(-time.Second)); err != nil {
		t.Errorf("the previous key's token within the grace: %v", err)
	}
	if _, err := s.Verify(old, grace); err != ErrTokenSignature {
		t.Errorf("the previous key's token after the grace: %v", err)
	}
	if _, err := s.Verify(fresh, grace.Add(time.Hour)); err != nil {
		t.Errorf("the current key's token: %v", err)
	}
	if err := s.SetKeys(Keys{Current: k2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(old, now); err != ErrTokenSignature {
		t.Errorf("a token of a key no longer in the ring: %v", err)
	}
}

func TestKeysValidate(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	until := time.Unix(1_800_000_000, 0)
	for name, keys := range map[string]Keys{
		"short key": {Current: SigningKey{ID: 1, Key: []byte("short")}},
		"id 0":      {Current: SigningKey{ID: 0, Key: key}},
		"same id twice": {Current: SigningKey{ID: 1, Key: key},
			Previous: []SigningKey{{ID: 1, Key: key, Until: until}}},
		"previous without end": {Current: SigningKey{ID: 1, Key: key},
			Previous: []SigningKey{{ID: 2, Key: key}}},
	} {
		if keys.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
		s, _ := newTestSigner(1, key)
		if s.SetKeys(keys) == nil {
			t.Errorf("%s: SetKeys accepted", name)
		}
	}
}
