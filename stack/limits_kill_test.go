package stack_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// TestKillSwitchOnEveryEdge pauses the demo clinic while two edges serve
// it: within a second both refuse its chats, new sessions and session
// ends with 503 clinic_paused, and from then on nothing of the clinic
// reaches NATS: no message on its sanitise subject, no change in the
// limits or sessions bucket. The other clinic is served throughout, and
// lifting the switch serves the clinic again on both edges.
func TestKillSwitchOnEveryEdge(t *testing.T) {
	ts := start(t)
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	origin, origin2 := ts.origin("demo"), ts.origin("demo-2")
	c := clientFrom("127.0.0.1", nil)
	tokens := []string{sessionFrom(t, c, edges[0], "demo", origin),
		sessionFrom(t, c, edges[1], "demo", origin)}
	other := sessionFrom(t, c, edges[0], "demo-2", origin2)

	changeClinic(t, ts, edges, "demo", "(paused)", func(c *config.Clinic) { c.Paused = true })
	paused := time.Now()
	for i, base := range edges {
		for {
			r := chatFrom(t, c, base, tokens[i], origin, "hi")
			if r.status == 503 && r.errorCode() == "clinic_paused" {
				break
			}
			if r.status != 200 {
				t.Fatalf("chat at %s while pausing: %d %s", base, r.status, r.raw)
			}
			if time.Since(paused) > time.Second {
				t.Fatalf("%s still serves the paused clinic %v later", base,
					time.Since(paused))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	t.Logf("both edges paused within %v", time.Since(paused).Round(time.Millisecond))

	published := countSanitise(t, ts, "demo")
	limits := adminKV(t, ts, embedded.BucketLimits)
	sessions := adminKV(t, ts, embedded.BucketSessions)
	before := bucketState(t, limits, true) + "\n" + bucketState(t, sessions, true)
	for i, base := range edges {
		for _, r := range []reply{
			chatFrom(t, c, base, tokens[i], origin, "hi"),
			doFrom(t, c, base, "POST", "/v1/sessions", h("application/json", origin, ""),
				`{"clinic":"demo"}`),
			doFrom(t, c, base, "DELETE", "/v1/sessions/current",
				h("application/json", origin, tokens[i]), ""),
		} {
			if r.status != 503 || r.errorCode() != "clinic_paused" || retryAfter(t, r) < 1 {
				t.Errorf("paused clinic at %s: %d %s", base, r.status, r.raw)
			}
		}
	}
	if after := bucketState(t, limits, true) + "\n" +
		bucketState(t, sessions, true); after != before {
		t.Errorf("the paused clinic's requests changed a bucket:\n%s\n---\n%s", before, after)
	}
	if n := published.Load(); n != 0 {
		t.Errorf("%d messages of the paused clinic reached its sanitise subject", n)
	}
	for _, base := range edges {
		if r := chatFrom(t, c, base, other, origin2, "hi"); r.status != 200 {
			t.Errorf("the other clinic at %s: %d %s", base, r.status, r.raw)
		}
	}

	changeClinic(t, ts, edges, "demo", "(resumed)", func(c *config.Clinic) { c.Paused = false })
	for i, base := range edges {
		if r := chatFrom(t, c, base, tokens[i], origin, "hi"); r.status != 200 {
			t.Errorf("resumed clinic at %s: %d %s", base, r.status, r.raw)
		}
	}
	if published.Load() < 2 {
		t.Errorf("the count saw %d of the resumed clinic's chats, want 2",
			published.Load())
	}
}

// countSanitise counts, from now on, the messages published on a
// clinic's sanitise subject, seen as the sanitiser's user sees them.
func countSanitise(t *testing.T, ts *testStack, clinic string) *atomic.Int64 {
	t.Helper()
	nc, err := ts.NATS().Connect(embedded.Sanitiser)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	var n atomic.Int64
	if _, err := nc.Subscribe("iglowly."+clinic+".chat.sanitise", func(*nats.Msg) {
		n.Add(1)
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := nc.FlushWithContext(ctx); err != nil {
		t.Fatal(err)
	}
	return &n
}
