package edge

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

func TestGCRA(t *testing.T) {
	five := config.Rate{N: 5, Per: 15 * time.Second} // one every 3 s
	one := config.Rate{N: 1, Per: 2 * time.Second}
	const s = int64(time.Second)
	cases := []struct {
		name     string
		tat, now int64
		rate     config.Rate
		next     int64
		wait     time.Duration
	}{
		{"empty key", 0, 100 * s, five, 103 * s, 0},
		{"key in the past", 50 * s, 100 * s, five, 103 * s, 0},
		{"fifth of a burst", 112 * s, 100 * s, five, 115 * s, 0},
		{"sixth of a burst", 115 * s, 100 * s, five, 115 * s, 3 * time.Second},
		{"sixth a second later", 115 * s, 101 * s, five, 115 * s, 2 * time.Second},
		{"refilled by one", 115 * s, 103 * s, five, 118 * s, 0},
		{"burst of one, first", 0, 100 * s, one, 102 * s, 0},
		{"burst of one, second", 102 * s, 100 * s, one, 102 * s, 2 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next, wait := gcra(c.tat, c.now, c.rate)
			if next != c.next || wait != c.wait {
				t.Errorf("gcra = %v, %v; want %v, %v", time.Duration(next),
					wait, time.Duration(c.next), c.wait)
			}
		})
	}
}

func TestTTLFor(t *testing.T) {
	for d, want := range map[time.Duration]time.Duration{
		-time.Second: time.Second, 0: time.Second, time.Millisecond: time.Second,
		time.Second: time.Second, 1001 * time.Millisecond: 2 * time.Second,
		90 * time.Minute: 90 * time.Minute,
	} {
		if got := ttlFor(d); got != want {
			t.Errorf("ttlFor(%v) = %v, want %v", d, got, want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct", "203.0.113.7:5555", nil, "203.0.113.7"},
		{"direct ignores a forged header", "203.0.113.7:5555", []string{"198.51.100.1"},
			"203.0.113.7"},
		{"behind a proxy", "10.0.0.2:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"behind two proxies", "10.0.0.2:80", []string{"198.51.100.1, 10.1.1.1"},
			"198.51.100.1"},
		{"a forged first hop is skipped", "10.0.0.2:80",
			[]string{"192.0.2.66, 198.51.100.1"}, "198.51.100.1"},
		{"headers joined in order", "10.0.0.2:80",
			[]string{"192.0.2.66", "198.51.100.1"}, "198.51.100.1"},
		{"a bad hop ends at the last good one", "10.0.0.2:80",
			[]string{"198.51.100.1, nonsense, 10.1.1.1"}, "10.1.1.1"},
		{"no header", "10.0.0.2:80", nil, "10.0.0.2"},
		{"mapped IPv4", "[::ffff:203.0.113.7]:1", nil, "203.0.113.7"},
		{"IPv6 behind an IPv6 proxy", "[fd00::1]:80", []string{"2001:db8::5"},
			"2001:db8::5"},
		{"no address", "@", nil, "invalid IP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/chat", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, proxies).String(); got != c.want {
				t.Errorf("clientAddr = %s, want %s", got, c.want)
			}
		})
	}
}

func TestAddressHash(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	h := func(a string) string { return addressHash(key, netip.MustParseAddr(a)) }
	if h("2001:db8:1:2::1") != h("2001:db8:1:2:ffff::9") {
		t.Error("two addresses of one /64 count apart")
	}
	if h("2001:db8:1:2::1") == h("2001:db8:1:3::1") {
		t.Error("two /64 networks count together")
	}
	if h("192.0.2.1") == h("192.0.2.2") {
		t.Error("two IPv4 addresses count together")
	}
	other := addressHash([]byte(strings.Repeat("x", 32)), netip.MustParseAddr("192.0.2.1"))
	if other == h("192.0.2.1") {
		t.Error("the hash does not depend on the key")
	}
	got := h("192.0.2.1")
	if len(got) != 32 || strings.Contains(got, "c0000201") {
		t.Errorf("hash %q is not 16 bytes of hex, or shows the address", got)
	}
}

// limitsNATS starts an embedded server with the buckets provisioned.
func limitsNATS(t testing.TB) *embedded.Server {
	t.Helper()
	ns, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	admin, err := ns.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := embedded.Provision(context.Background(), admin,
		embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	return ns
}

// newTestLimiter returns a limiter on a connection of its own as the
// edge's user, as one edge replica has.
func newTestLimiter(t testing.TB, ns *embedded.Server, lim Limits) *limiter {
	t.Helper()
	nc, err := ns.Connect(embedded.Edge)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	lim.defaults()
	l, err := newLimiter(context.Background(), js, Config{Limits: lim,
		AddressKey: []byte(strings.Repeat("a", 32))},
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func fromAddr(addr string) *http.Request {
	r := httptest.NewRequest("POST", "/v1/chat", nil)
	r.RemoteAddr = addr + ":40000"
	return r
}

func testClinic(id string, budget int) *config.Clinic {
	return &config.Clinic{ID: id, DailyChatBudget: budget, TimeZone: "Europe/Brussels"}
}

// TestRateHoldsAcrossEdges alternates one session's chats between two
// limiters: together they allow the burst once, and then both refuse
// with the wait of one interval.
func TestRateHoldsAcrossEdges(t *testing.T) {
	ns := limitsNATS(t)
	lim := Limits{SessionChats: config.Rate{N: 4, Per: time.Minute}}
	edges := []*limiter{newTestLimiter(t, ns, lim), newTestLimiter(t, ns, lim)}
	g := Grant{SessionID: strings.Repeat("ab", 16)}
	c := testClinic("clinic-a", 0)
	allowed := 0
	for i := range 10 {
		_, e := edges[i%2].admitChat(fromAddr("192.0.2.1"), g, c)
		switch {
		case e == nil:
			allowed++
		case e.Code != "rate_limited" || e.Status != 429:
			t.Fatalf("chat %d: %v", i, e)
		case e.RetryAfter != 15*time.Second:
			t.Errorf("chat %d: retry after %v, want 15s", i, e.RetryAfter)
		}
	}
	if allowed != 4 {
		t.Errorf("%d chats allowed, want the burst of 4", allowed)
	}
	other := Grant{SessionID: strings.Repeat("cd", 16)}
	if _, e := edges[1].admitChat(fromAddr("192.0.2.1"), other, c); e != nil {
		t.Errorf("another session: %v", e)
	}
}

// TestBudgetExactAcrossEdges spends a clinic's budget from two limiters
// at once, eight requests at a time each: exactly the budget is served,
// no more and, once idle leases are given back, no less. Another clinic
// is not touched.
func TestBudgetExactAcrossEdges(t *testing.T) {
	ns := limitsNATS(t)
	edges := []*limiter{newTestLimiter(t, ns, LooseTestLimits),
		newTestLimiter(t, ns, LooseTestLimits)}
	c := testClinic("clinic-a", 300)
	var served atomic.Int64
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := edges[w%2]
			for {
				b, wait, err := l.charge(context.Background(), c, time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				if wait > 0 {
					return
				}
				if b == nil {
					t.Error("no budget state for a charged chat")
				}
				served.Add(1)
			}
		}()
	}
	wg.Wait()
	if served.Load() != 300 {
		t.Fatalf("%d chats served, want the budget of 300", served.Load())
	}
	if _, wait, _ := edges[0].charge(context.Background(), testClinic("clinic-b", 300),
		time.Now()); wait != 0 {
		t.Error("another clinic's budget was spent too")
	}
}

// TestIdleLeaseGoesBack holds a lease on one limiter while the other
// spends the rest: the budget counts the lease as spent until it is given
// back, and then the other serves it, to the exact budget.
func TestIdleLeaseGoesBack(t *testing.T) {
	ns := limitsNATS(t)
	a, b := newTestLimiter(t, ns, LooseTestLimits), newTestLimiter(t, ns, LooseTestLimits)
	c := testClinic("clinic-a", 1000)
	ctx := context.Background()
	now := time.Now()
	if _, wait, err := a.charge(ctx, c, now); err != nil || wait > 0 {
		t.Fatalf("first chat: %v %v", wait, err)
	}
	spend := func(now time.Time) int {
		n := 0
		for {
			_, wait, err := b.charge(ctx, c, now)
			if err != nil {
				t.Fatal(err)
			}
			if wait > 0 {
				return n
			}
			n++
		}
	}
	first := spend(now)
	if first != 1000-maxLease {
		t.Fatalf("the other edge served %d, want %d", first, 1000-maxLease)
	}
	a.releaseIdle(ctx, now.Add(leaseIdle), false)
	if got := spend(now.Add(exhaustedRecheck / 2)); got != 0 {
		t.Fatalf("the other edge served %d while it believed the budget spent", got)
	}
	if got := spend(now.Add(exhaustedRecheck)); got != maxLease-1 {
		t.Fatalf("after the give-back the other edge served %d more, want %d",
			got, maxLease-1)
	}
}

// TestRefusedChatChangesNothing refuses a chat by its session's limit
// after its address passed: the address gets its request back and the
// budget is never charged, so the bucket holds the values it held after
// the last allowed chat.
func TestRefusedChatChangesNothing(t *testing.T) {
	ns := limitsNATS(t)
	lim := Limits{SessionChats: config.Rate{N: 1, Per: time.Minute},
		AddressChats: config.Rate{N: 100, Per: 100 * time.Second}}
	a, b := newTestLimiter(t, ns, lim), newTestLimiter(t, ns, lim)
	g := Grant{SessionID: strings.Repeat("ef", 16)}
	c := testClinic("clinic-a", 100)
	if _, e := a.admitChat(fromAddr("192.0.2.9"), g, c); e != nil {
		t.Fatal(e)
	}
	before := limitValues(t, a)
	// b has never seen the session, so it cannot refuse from memory: the
	// address is taken first and given back when the session refuses.
	_, e := b.admitChat(fromAddr("192.0.2.9"), g, c)
	if e == nil || e.Code != "rate_limited" {
		t.Fatalf("second chat of the session: %v", e)
	}
	after := limitValues(t, a)
	if len(before) != 2 {
		t.Fatalf("keys before: %v, want the address's and the session's", before)
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %s before, %s after the refusal", k, v, after[k])
		}
	}
	// The refused chat never reached the budget: the count is a's lease.
	key := a.budgets["clinic-a"].key
	if used, _, err := b.read(context.Background(), key); err != nil || used != leaseOf(100) {
		t.Errorf("budget count %d (%v), want a's lease of %d", used, err, leaseOf(100))
	}
}

func leaseOf(remaining int64) int64 { return min(max(remaining/16, 1), maxLease) }

// limitValues returns every key of the limits bucket with its value.
func limitValues(t *testing.T, l *limiter) map[string]string {
	t.Helper()
	out := map[string]string{}
	l.rates.Range(func(k, _ any) bool {
		v, _, err := l.read(context.Background(), k.(string))
		if err != nil {
			t.Fatal(err)
		}
		out[k.(string)] = time.Unix(0, v).String()
		return true
	})
	return out
}

// LooseTestLimits never limit by rate, for tests of the budget alone.
var LooseTestLimits = Limits{
	SessionChats:    config.Rate{N: config.MaxRateBurst, Per: time.Second},
	AddressChats:    config.Rate{N: config.MaxRateBurst, Per: time.Second},
	AddressSessions: config.Rate{N: config.MaxRateBurst, Per: time.Second},
}

// TestBudgetRenewsAtMidnight spends a budget of one just before the
// clinic's midnight: the next chat waits the second left, and one after
// midnight counts against the new day.
func TestBudgetRenewsAtMidnight(t *testing.T) {
	l := newTestLimiter(t, limitsNATS(t), LooseTestLimits)
	c := testClinic("clinic-a", 1)
	loc := c.Location()
	now := time.Now().In(loc)
	y, m, d := now.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	ctx := context.Background()
	if _, wait, err := l.charge(ctx, c, midnight.Add(-2*time.Second)); wait != 0 || err != nil {
		t.Fatalf("first chat: %v %v", wait, err)
	}
	if _, wait, _ := l.charge(ctx, c, midnight.Add(-time.Second)); wait != time.Second {
		t.Errorf("second chat waits %v, want the second to midnight", wait)
	}
	if _, wait, err := l.charge(ctx, c, midnight.Add(time.Second)); wait != 0 || err != nil {
		t.Errorf("chat after midnight: %v %v", wait, err)
	}
}

// TestBudgetLowered lowers a clinic's budget below what was spent while
// an edge holds a lease: the lease is not spent, the next chat refused.
func TestBudgetLowered(t *testing.T) {
	l := newTestLimiter(t, limitsNATS(t), LooseTestLimits)
	c := testClinic("clinic-a", 100)
	ctx := context.Background()
	for range 2 {
		if _, wait, err := l.charge(ctx, c, time.Now()); wait != 0 || err != nil {
			t.Fatalf("chat: %v %v", wait, err)
		}
	}
	lowered := testClinic("clinic-a", 2)
	if _, wait, err := l.charge(ctx, lowered, time.Now()); wait == 0 || err != nil {
		t.Errorf("chat past the lowered budget: %v %v", wait, err)
	}
	used, _, err := l.read(ctx, l.budgets["clinic-a"].key)
	if err != nil || used != 2 {
		t.Errorf("count %d (%v), want the 2 chats spent", used, err)
	}
}
