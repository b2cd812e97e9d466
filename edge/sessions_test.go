package edge

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
)

// newSessionStore starts a real server with the production buckets and
// returns a session store connected as the edge's user, and the bucket.
func newSessionStore(t *testing.T, idle time.Duration) (func() *sessions, jetstream.KeyValue) {
	t.Helper()
	srv, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	ctx := context.Background()
	admin, err := srv.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := embedded.Provision(ctx, admin, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	open := func() *sessions {
		nc, err := srv.Connect(embedded.Edge)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		js, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		kv, err := js.KeyValue(ctx, embedded.BucketSessions)
		if err != nil {
			t.Fatal(err)
		}
		return newSessions(kv, js, idle)
	}
	first := open()
	return open, first.kv
}

// trustBlindly makes s trust what it knows of id for a minute and renew
// it at the next lookup, as if the notice of a deletion had been lost.
func trustBlindly(s *sessions, id string) {
	s.watching.Store(true)
	s.mu.Lock()
	s.known[id].trustedUntil = time.Now().Add(time.Minute)
	s.known[id].renewed = time.Time{}
	s.mu.Unlock()
}

func testGrant(id string) Grant {
	return Grant{SessionID: id, Clinic: "demo", Issued: time.Now()}
}

// TestRenewalNeverRevivesAnEndedSession ends a session through one edge
// while another still trusts it: the other's renewal must fail as an
// expired session and leave the key gone.
func TestRenewalNeverRevivesAnEndedSession(t *testing.T) {
	open, kv := newSessionStore(t, time.Minute)
	ctx := context.Background()
	a, b := open(), open()
	if err := a.create(ctx, testGrant("s1"), "https://a.example"); err != nil {
		t.Fatal(err)
	}
	trustBlindly(a, "s1")
	if err := b.end(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.lookup(ctx, "s1"); !errors.Is(err, errNoSession) {
		t.Fatalf("lookup after another edge ended it: %v", err)
	}
	if _, err := kv.Get(ctx, "s1"); !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Errorf("the ended session's key is back: %v", err)
	}
}

// TestRenewalNeverRevivesAnExpiredSession lets a session's idle TTL run
// out on the server while an edge still trusts it.
func TestRenewalNeverRevivesAnExpiredSession(t *testing.T) {
	open, kv := newSessionStore(t, time.Second)
	ctx := context.Background()
	a := open()
	if err := a.create(ctx, testGrant("s2"), "https://a.example"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := kv.Get(ctx, "s2"); errors.Is(err, jetstream.ErrKeyNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the session never expired")
		}
		time.Sleep(100 * time.Millisecond)
	}
	trustBlindly(a, "s2")
	if _, err := a.lookup(ctx, "s2"); !errors.Is(err, errNoSession) {
		t.Fatalf("lookup after expiry: %v", err)
	}
	if _, err := kv.Get(ctx, "s2"); !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Errorf("the expired session's key is back: %v", err)
	}
}

// TestTwoEdgesRenewOneSession renews one session from two edges in turn:
// each finds the other's write, reads the key again and renews after it.
func TestTwoEdgesRenewOneSession(t *testing.T) {
	open, kv := newSessionStore(t, time.Minute)
	ctx := context.Background()
	a, b := open(), open()
	if err := a.create(ctx, testGrant("s3"), "https://a.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.lookup(ctx, "s3"); err != nil {
		t.Fatal(err)
	}
	first, _ := kv.Get(ctx, "s3")
	for i := 0; i < 4; i++ {
		for _, s := range []*sessions{a, b} {
			trustBlindly(s, "s3")
			rec, err := s.lookup(ctx, "s3")
			if err != nil || rec.Origin != "https://a.example" {
				t.Fatalf("round %d: %+v, %v", i, rec, err)
			}
		}
	}
	last, err := kv.Get(ctx, "s3")
	if err != nil {
		t.Fatal(err)
	}
	if last.Revision() < first.Revision()+8 {
		t.Errorf("revision %d after 8 renewals from %d", last.Revision(), first.Revision())
	}
}

func TestBearerToken(t *testing.T) {
	cases := []struct {
		header, token string
		ok            bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"BEARER abc", "abc", true},
		{"Bearer ", "", false},
		{"Bearer", "", false},
		{"Basic abc", "", false},
		{"Bearerabc", "", false},
		{"Bearer\tabc", "", false},
	}
	for _, c := range cases {
		token, ok := bearerToken(c.header)
		if token != c.token || ok != c.ok {
			t.Errorf("bearerToken(%q) = %q, %v; want %q, %v", c.header, token, ok, c.token, c.ok)
		}
	}
}
