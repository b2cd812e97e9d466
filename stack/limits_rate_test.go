package stack_test

import (
	"math"
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
)

// loose is a rate no test reaches.
var loose = config.Rate{N: 1000, Per: time.Second}

// TestAddressLimitAcrossEdges sends a burst from one client address,
// spread over three sessions and two edges: together the edges serve the
// address's burst of six once, and refuse the rest with 429 rate_limited
// and the wait for one more, while a session from another address is
// served by both.
func TestAddressLimitAcrossEdges(t *testing.T) {
	ts := startEdgeStack(t, nil, edge.Config{Limits: edge.Limits{
		AddressChats: config.Rate{N: 6, Per: time.Minute}, // one every 10 s
		SessionChats: loose, AddressSessions: loose}})
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	origin := ts.origin("demo")
	burst := clientFrom("127.0.0.1", nil)
	var tokens []string
	for i := range 3 {
		tokens = append(tokens, sessionFrom(t, burst, edges[i%2], "demo", origin))
	}
	first := time.Now()
	served := 0
	for i := range 12 {
		r := chatFrom(t, burst, edges[i%2], tokens[i%3], origin, "hi")
		switch {
		case r.status == 200:
			served++
		case r.status == 429 && r.errorCode() == "rate_limited":
			// The seventh chat may pass 10 s after the first, less what
			// has passed since.
			low := int(math.Ceil((10*time.Second - time.Since(first)).Seconds()))
			if got := retryAfter(t, r); got < low || got > 10 {
				t.Errorf("chat %d: Retry-After %d, want %d to 10", i, got, low)
			}
		default:
			t.Fatalf("chat %d: %d %s", i, r.status, r.raw)
		}
	}
	if served != 6 {
		t.Errorf("%d chats served from one address, want its burst of 6", served)
	}
	other := clientFrom("127.0.0.2", nil)
	token := sessionFrom(t, other, edges[1], "demo", origin)
	for _, base := range edges {
		if r := chatFrom(t, other, base, token, origin, "hi"); r.status != 200 {
			t.Errorf("another address at %s: %d %s", base, r.status, r.raw)
		}
	}
}

// TestSessionLimitAcrossEdges spends one session's burst over two edges,
// then sends more: each is refused with 429, and the refusals change
// nothing: the sessions bucket is untouched (no renewal), and the limits
// bucket holds the same values (an edge that had not seen the latest
// write may write the address's count and give it back, which moves its
// revision only). Another session from the same address is served.
func TestSessionLimitAcrossEdges(t *testing.T) {
	ts := startEdgeStack(t, nil, edge.Config{Limits: edge.Limits{
		SessionChats: config.Rate{N: 3, Per: time.Minute}, // one every 20 s
		AddressChats: config.Rate{N: 1000, Per: time.Hour}, AddressSessions: loose}})
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	origin := ts.origin("demo")
	c := clientFrom("127.0.0.1", nil)
	token := sessionFrom(t, c, edges[0], "demo", origin)
	for i := range 3 {
		if r := chatFrom(t, c, edges[i%2], token, origin, "hi"); r.status != 200 {
			t.Fatalf("chat %d of the burst: %d %s", i, r.status, r.raw)
		}
	}
	limits := adminKV(t, ts, embedded.BucketLimits)
	sessions := adminKV(t, ts, embedded.BucketSessions)
	before := bucketState(t, limits, false) + "\n" + bucketState(t, sessions, true)
	for i := range 6 {
		r := chatFrom(t, c, edges[i%2], token, origin, "hi")
		if r.status != 429 || r.errorCode() != "rate_limited" {
			t.Fatalf("chat %d past the burst: %d %s", i, r.status, r.raw)
		}
		if got := retryAfter(t, r); got < 1 || got > 20 {
			t.Errorf("Retry-After %d, want 1 to 20", got)
		}
	}
	after := bucketState(t, limits, false) + "\n" + bucketState(t, sessions, true)
	if after != before {
		t.Errorf("refused chats changed the buckets:\nbefore\n%s\nafter\n%s", before, after)
	}
	other := sessionFrom(t, c, edges[1], "demo", origin)
	if r := chatFrom(t, c, edges[0], other, origin, "hi"); r.status != 200 {
		t.Errorf("another session: %d %s", r.status, r.raw)
	}
}

// TestRetryAfterIsRight spends a session's burst of two (one a second
// after), gets 429 with Retry-After 1, and is served once that second
// has passed, on the other edge.
func TestRetryAfterIsRight(t *testing.T) {
	ts := startEdgeStack(t, nil, edge.Config{Limits: edge.Limits{
		SessionChats: config.Rate{N: 2, Per: 2 * time.Second},
		AddressChats: loose, AddressSessions: loose}})
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	origin := ts.origin("demo")
	c := clientFrom("127.0.0.1", nil)
	token := sessionFrom(t, c, edges[0], "demo", origin)
	for i := range 2 {
		if r := chatFrom(t, c, edges[i], token, origin, "hi"); r.status != 200 {
			t.Fatalf("chat %d: %d %s", i, r.status, r.raw)
		}
	}
	r := chatFrom(t, c, edges[0], token, origin, "hi")
	refused := time.Now()
	if r.status != 429 || r.header.Get("Retry-After") != "1" {
		t.Fatalf("third chat: %d, Retry-After %q, want 429 and 1",
			r.status, r.header.Get("Retry-After"))
	}
	time.Sleep(time.Until(refused.Add(time.Second)))
	if r := chatFrom(t, c, edges[1], token, origin, "hi"); r.status != 200 {
		t.Errorf("chat after Retry-After: %d %s", r.status, r.raw)
	}
}

// TestSessionOpeningLimit opens sessions from one address past its
// burst: 429, while another address opens one at once.
func TestSessionOpeningLimit(t *testing.T) {
	ts := startEdgeStack(t, nil, edge.Config{Limits: edge.Limits{
		AddressSessions: config.Rate{N: 3, Per: time.Minute},
		SessionChats:    loose, AddressChats: loose}})
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	origin := ts.origin("demo")
	c := clientFrom("127.0.0.1", nil)
	for i := range 3 {
		sessionFrom(t, c, edges[i%2], "demo", origin)
	}
	for _, base := range edges {
		r := doFrom(t, c, base, "POST", "/v1/sessions", h("application/json", origin, ""),
			`{"clinic":"demo"}`)
		if r.status != 429 || r.errorCode() != "rate_limited" || retryAfter(t, r) > 20 {
			t.Errorf("fourth session at %s: %d %s, Retry-After %s", base, r.status,
				r.raw, r.header.Get("Retry-After"))
		}
	}
	sessionFrom(t, clientFrom("127.0.0.2", nil), edges[1], "demo", origin)
}
