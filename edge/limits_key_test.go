package edge

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
)

// TestCheckAddressKey checks which address keys an edge takes: 32 bytes
// or more, and never one of its signing keys. No error shows a key.
func TestCheckAddressKey(t *testing.T) {
	cur, prev := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	ring := Keys{Current: SigningKey{ID: 1, Key: cur},
		Previous: []SigningKey{{ID: 2, Key: prev, Until: time.Now().Add(time.Hour)}}}
	cases := []struct {
		name string
		key  []byte
		ok   bool
	}{
		{"none", nil, false},
		{"31 bytes", bytes.Repeat([]byte{3}, 31), false},
		{"the current signing key", cur, false},
		{"the previous signing key", prev, false},
		{"a key of its own", bytes.Repeat([]byte{3}, 32), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkAddressKey(c.key, ring)
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
			if err != nil && strings.Contains(err.Error(), "\x01") {
				t.Errorf("the error shows a key: %q", err)
			}
		})
	}
}

// TestLimiterHashesWithAddressKey checks that the limits bucket keys a
// client address by its HMAC under the address key, not under the
// signing key as it once was, that SetAddressKey switches to a new key
// and refuses a signing key, and that an edge without an address key
// does not start.
func TestLimiterHashesWithAddressKey(t *testing.T) {
	ns := limitsNATS(t)
	s, _, _ := newTestEdge(t, ns) // signing key 32 zero bytes, address key "a"*32
	addr := netip.MustParseAddr("192.0.2.7")
	opened := func(key []byte) bool {
		_, err := s.limits.kv.Get(context.Background(), "open."+addressHash(key, addr))
		return err == nil
	}
	if e := s.limits.admitSession(fromAddr(addr.String())); e != nil {
		t.Fatal(e)
	}
	addrKey, signKey := []byte(strings.Repeat("a", 32)), make([]byte, 32)
	if !opened(addrKey) || opened(signKey) {
		t.Fatalf("address hashed with the address key: %v, with the signing key: %v",
			opened(addrKey), opened(signKey))
	}

	if err := s.SetAddressKey(signKey); err == nil {
		t.Error("SetAddressKey took the signing key")
	}
	next := []byte(strings.Repeat("b", 32))
	if err := s.SetAddressKey(next); err != nil {
		t.Fatal(err)
	}
	if e := s.limits.admitSession(fromAddr(addr.String())); e != nil {
		t.Fatal(e)
	}
	if !opened(next) {
		t.Error("after SetAddressKey the address is not hashed with the new key")
	}

	nc, err := ns.Connect(embedded.Edge)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	_, err = newLimiter(context.Background(), js, Config{Limits: DefaultLimits(),
		SigningKeys: Keys{Current: SigningKey{ID: 1, Key: signKey}}},
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "address key") {
		t.Errorf("an edge without an address key: %v, want it refused", err)
	}
}
