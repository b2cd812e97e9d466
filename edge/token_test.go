package edge

import (
	"strings"
	"testing"
	"time"
)

func TestTokenRoundTrip(t *testing.T) {
	s, err := NewSigner(1, []byte(strings.Repeat("k", 32)))
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
	s, _ := NewSigner(1, []byte(strings.Repeat("k", 32)))
	other, _ := NewSigner(1, []byte(strings.Repeat("o", 32)))
	otherKeyID, _ := NewSigner(2, []byte(strings.Repeat("k", 32)))
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
		"truncated mac":    {"v1." + payload + "." + mac[:10], ErrTokenSignature},
		"oversize":         {tok + strings.Repeat("A", 300), ErrTokenMalformed},
		"swapped parts":    {"v1." + mac + "." + payload, ErrTokenMalformed},
		"short payload":    {"v1.AAAA." + mac, ErrTokenMalformed},
		"trailing garbage": {tok + ".x", ErrTokenMalformed},
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
	if _, err := NewSigner(1, []byte("short")); err == nil {
		t.Error("short key accepted")
	}
}

func FuzzVerify(f *testing.F) {
	s, _ := NewSigner(1, []byte(strings.Repeat("k", 32)))
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
