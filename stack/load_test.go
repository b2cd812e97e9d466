package stack_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
)

// The limits of TestLimitsUnderLoad: the abuser's address may chat ten
// times at once, then once a second, and open five sessions at once,
// then one a second; a visitor never reaches either.
var (
	loadAddressChats    = config.Rate{N: 10, Per: 10 * time.Second}
	loadAddressSessions = config.Rate{N: 5, Per: 5 * time.Second}
	loadSessionChats    = config.Rate{N: 20, Per: 20 * time.Second}
)

const (
	// abuseFor is how long the abuser hammers.
	abuseFor = 2 * time.Second
	// abusers is how many requests the abuser has in flight at once.
	abusers = 6
	// visitors is how many legitimate visitors chat meanwhile, each from
	// an address of its own; each sends visitorChats chats, one every
	// visitorPace, fewer than an address's burst.
	visitors     = 4
	visitorChats = 6
	visitorPace  = 300 * time.Millisecond
)

// TestLimitsUnderLoad runs two edges on one NATS. From one address an
// abuser opens sessions and chats as fast as it can, over both edges,
// while visitors from other addresses chat at a human pace over both.
// The edges keep the rates in one shared bucket with conditional writes
// (no leases: only the daily budget has those), so the abuser's chats
// and sessions, over both edges together, never exceed the burst plus
// one per interval elapsed between its first and last success. Every
// refusal is 429 with Retry-After; every visitor's chat is served.
func TestLimitsUnderLoad(t *testing.T) {
	ts := startEdgeStack(t, nil, edge.Config{Limits: edge.Limits{
		AddressChats: loadAddressChats, AddressSessions: loadAddressSessions,
		SessionChats: loadSessionChats}})
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	origin := ts.origin("demo")

	var wg sync.WaitGroup
	abuse := &abuseLog{}
	visits := make([]error, visitors)
	for v := range visitors {
		wg.Go(func() { visits[v] = visit(edges, origin, v) })
	}
	client := pooledClientFrom("127.0.0.66")
	stop := time.Now().Add(abuseFor)
	for range abusers {
		wg.Go(func() { abuse.hammer(client, edges, origin, stop) })
	}
	wg.Wait()

	for v, err := range visits {
		if err != nil {
			t.Errorf("visitor %d: %v", v, err)
		}
	}
	abuse.check(t)
}

// visit opens a session from an address of the visitor's own and sends
// visitorChats chats, alternating the edges: every one must be served.
func visit(edges []string, origin string, v int) error {
	c := clientFrom(fmt.Sprintf("127.0.0.%d", 11+v), nil)
	token, err := tryRequest(c, edges[v%2], "POST", "/v1/sessions",
		h("application/json", origin, ""), `{"clinic":"demo"}`, 201)
	if err != nil {
		return fmt.Errorf("opening a session: %w", err)
	}
	for i := range visitorChats {
		time.Sleep(visitorPace)
		_, err := tryRequest(c, edges[(v+i)%2], "POST", "/v1/chat",
			h("application/json", origin, token), `{"message":"Wanneer zijn jullie open?"}`, 200)
		if err != nil {
			return fmt.Errorf("chat %d: %w", i, err)
		}
	}
	return nil
}

// tryRequest sends a request and, if it is answered with want, returns
// the token of the body if it has one; otherwise an error that names the
// status and code. It does not touch t, so any goroutine may call it.
func tryRequest(c *http.Client, base, method, path string, headers map[string]string,
	body string, want int) (string, error) {
	r, err := send(c, base, method, path, headers, body)
	if err != nil {
		return "", err
	}
	if r.status != want {
		return "", fmt.Errorf("%d %s, want %d", r.status, r.errorCode(), want)
	}
	token, _ := r.body["token"].(string)
	return token, nil
}

// abuseLog records what the abuser got.
type abuseLog struct {
	mu     sync.Mutex
	tokens []string
	// chats and sessions are the abuser's successes, each with the time
	// its request was sent and its answer read.
	chats, sessions []span
	refused         int
	problems        []string
}

// span is the time from sending a request to reading its answer.
type span struct{ sent, answered time.Time }

// hammer sends requests from the abuser's address until stop: a new
// session on one edge every fourth request, chats on both edges with any
// of the sessions it has.
func (a *abuseLog) hammer(c *http.Client, edges []string, origin string, stop time.Time) {
	for i := 0; time.Now().Before(stop); i++ {
		token := a.anyToken()
		if token == "" || i%4 == 0 {
			a.record(c, edges[i/4%2], "/v1/sessions", h("application/json", origin, ""),
				`{"clinic":"demo"}`, &a.sessions)
			continue
		}
		a.record(c, edges[(i+1)%2], "/v1/chat", h("application/json", origin, token),
			`{"message":"hi"}`, &a.chats)
	}
}

func (a *abuseLog) anyToken() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.tokens) == 0 {
		return ""
	}
	return a.tokens[rand.IntN(len(a.tokens))]
}

// record sends one of the abuser's requests and notes its outcome: a
// success in wins, a refusal, or a problem (another status, or a 429
// without a right Retry-After).
func (a *abuseLog) record(c *http.Client, base, path string, headers map[string]string,
	body string, wins *[]span) {
	sent := time.Now()
	r, err := send(c, base, "POST", path, headers, body)
	answered := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case err != nil:
		a.problems = append(a.problems, fmt.Sprintf("%s: %v", path, err))
	case r.status == 200 || r.status == 201:
		*wins = append(*wins, span{sent, answered})
		if token, ok := r.body["token"].(string); ok {
			a.tokens = append(a.tokens, token)
		}
	case r.status == 429 && r.errorCode() == "rate_limited":
		a.refused++
		if p := checkRetryAfter(r); p != "" {
			a.problems = append(a.problems, path+": "+p)
		}
	default:
		a.problems = append(a.problems, fmt.Sprintf("%s: %d %s", path, r.status,
			r.errorCode()))
	}
}

// checkRetryAfter returns what is wrong with a 429's Retry-After, or "":
// it must be the whole seconds until one more request may pass, which
// under these limits is at least one and at most one interval.
func checkRetryAfter(r reply) string {
	var n int
	ra := r.header.Get("Retry-After")
	if _, err := fmt.Sscanf(ra, "%d", &n); err != nil {
		return fmt.Sprintf("Retry-After %q", ra)
	}
	most := int(max(loadAddressChats.Interval(), loadAddressSessions.Interval(),
		loadSessionChats.Interval()).Seconds())
	if n < 1 || n > most {
		return fmt.Sprintf("Retry-After %d, want 1 to %d", n, most)
	}
	return ""
}

// check asserts the abuser got what the limits allow: at least the
// burst, and no more than the burst and one per interval between its
// first success sent and its last answered.
func (a *abuseLog) check(t *testing.T) {
	t.Helper()
	for i, p := range a.problems {
		if i == 10 {
			t.Errorf("and %d more problems", len(a.problems)-i)
			break
		}
		t.Errorf("abuser: %s", p)
	}
	if a.refused == 0 {
		t.Errorf("the abuser was never refused")
	}
	checkWins(t, "chats", a.chats, loadAddressChats)
	checkWins(t, "sessions", a.sessions, loadAddressSessions)
	t.Logf("abuser: %d chats and %d sessions served, %d requests refused",
		len(a.chats), len(a.sessions), a.refused)
}

// checkWins checks the successes of one limit against its rate.
func checkWins(t *testing.T, what string, wins []span, r config.Rate) {
	t.Helper()
	if len(wins) < r.N {
		t.Errorf("the abuser got %d %s, fewer than the burst of %d", len(wins), what, r.N)
		return
	}
	first, last := wins[0].sent, wins[0].answered
	for _, w := range wins {
		first = minTime(first, w.sent)
		last = maxTime(last, w.answered)
	}
	allowed := r.N + int(last.Sub(first)/r.Interval())
	if len(wins) > allowed {
		t.Errorf("the abuser got %d %s in %v over two edges, the limit allows %d",
			len(wins), what, last.Sub(first).Round(time.Millisecond), allowed)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pooledClientFrom is clientFrom with enough idle connections kept for
// the abuser's concurrent requests.
func pooledClientFrom(ip string) *http.Client {
	c := clientFrom(ip, nil)
	c.Transport.(*http.Transport).MaxIdleConnsPerHost = 2 * abusers
	return c
}

// send sends a request with client c to the edge at base, as doFrom
// does, but returns a failure instead of ending the test, so that it can
// run on any goroutine.
func send(c *http.Client, base, method, path string, headers map[string]string,
	body string) (reply, error) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return reply{}, err
	}
	return readReplyErr(resp)
}

// readReplyErr reads and closes resp as readReply does, returning a
// failure instead of ending the test.
func readReplyErr(resp *http.Response) (reply, error) {
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r, nil
}
