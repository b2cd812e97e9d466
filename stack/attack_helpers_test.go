package stack_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
)

// attackRig is one stack under attack and what the attack table watches
// for side effects: the sanitise subjects, the sessions bucket and the
// limits bucket.
type attackRig struct {
	ts *testStack
	// signer holds the stack's own signing key, to mint tokens that are
	// well signed but wrong in another way.
	signer *edge.Signer
	key    []byte
	// origin and origin2 are the dev origins of demo and demo-2.
	origin, origin2 string
	// token and token2 are live sessions of demo and demo-2.
	token, token2 string
	// ended is a demo session ended with DELETE; idle one whose key
	// expired by its TTL; hard one whose hard lifetime is over.
	ended, idle, hard string
	sessions, limits  jetstream.KeyValue
	// watch is subscribed, as the sanitiser's user, to every clinic's
	// sanitise subject: a copy of every message that enters the pipeline.
	watch    *nats.Conn
	sanitise *nats.Subscription
}

// attackLimits are limits that no case reaches, with intervals so long
// that a rate key lives for the whole test, and a daily budget so small
// that every chat the limiter admits writes the budget's count (leases of
// one chat).
var attackLimits = edge.Limits{
	SessionChats:    config.Rate{N: 50, Per: time.Hour},
	AddressChats:    config.Rate{N: 50, Per: time.Hour},
	AddressSessions: config.Rate{N: 50, Per: time.Hour},
	DailyChats:      30,
}

// attackBodyBound is the body-read bound of the attack stack.
const attackBodyBound = 300 * time.Millisecond

// newAttackRig starts the stack with a signing key the test knows, opens
// the sessions the cases use, and proves that the side-effect checks see
// a chat that goes through.
func newAttackRig(t *testing.T) *attackRig {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	keys := edge.Keys{Current: edge.SigningKey{ID: 1, Key: key}}
	ts := startEdgeStack(t, nil, edge.Config{SigningKeys: keys,
		Limits: attackLimits, BodyReadTimeout: attackBodyBound})
	signer, err := edge.NewSigner(keys)
	if err != nil {
		t.Fatal(err)
	}
	rig := &attackRig{ts: ts, signer: signer, key: key, origin: ts.origin("demo"),
		origin2:  ts.origin("demo-2"),
		sessions: adminKV(t, ts, embedded.BucketSessions),
		limits:   adminKV(t, ts, embedded.BucketLimits)}
	rig.subscribe(t)
	rig.openSessions(t)
	rig.proveChecks(t)
	return rig
}

// subscribe watches every sanitise subject with a plain (not queue)
// subscription of the sanitiser's user, so it gets a copy of each message
// while the sanitiser answers it.
func (rig *attackRig) subscribe(t *testing.T) {
	t.Helper()
	nc, err := rig.ts.NATS().Connect(embedded.Sanitiser,
		nats.PermissionErrOnSubscribe(true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	sub, err := nc.SubscribeSync("iglowly.*.chat.sanitise")
	if err == nil {
		err = nc.Flush()
	}
	if err != nil {
		t.Fatalf("watching the sanitise subjects: %v", err)
	}
	rig.watch, rig.sanitise = nc, sub
}

// openSessions opens the live sessions, ends one, lets one expire idle
// and mints one past its hard lifetime.
func (rig *attackRig) openSessions(t *testing.T) {
	t.Helper()
	ts := rig.ts
	rig.token = ts.session(t, "demo", rig.origin)
	rig.token2 = ts.session(t, "demo-2", rig.origin2)
	rig.ended = ts.session(t, "demo", rig.origin)
	r := ts.do(t, "DELETE", "/v1/sessions/current", h("", rig.origin, rig.ended), "")
	if r.status != 204 {
		t.Fatalf("ending a session: %d %s", r.status, r.raw)
	}
	rig.hard, _ = rig.signer.Issue("demo", time.Now().Add(-5*time.Hour), 4*time.Hour)
	rig.idle = rig.idleExpired(t)
}

// idleExpired stores a session as an edge does, with an idle TTL of one
// second, and waits until the server has expired it.
func (rig *attackRig) idleExpired(t *testing.T) string {
	t.Helper()
	token, g := rig.signer.Issue("demo", time.Now(), 4*time.Hour)
	rec, _ := json.Marshal(map[string]any{"clinic": "demo", "origin": rig.origin,
		"created": g.Issued.Unix()})
	ctx := context.Background()
	if _, err := rig.sessions.Create(ctx, g.SessionID, rec,
		jetstream.KeyTTL(time.Second)); err != nil {
		t.Fatalf("storing a session to expire: %v", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		_, err := rig.sessions.Get(ctx, g.SessionID)
		if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
			return token
		}
		if time.Now().After(deadline) {
			t.Fatalf("the session's key did not expire: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// proveChecks chats once with each live session: each chat must show as
// one message on the sanitise subjects and as changed limits, or the
// checks after each case could not see a side effect.
func (rig *attackRig) proveChecks(t *testing.T) {
	t.Helper()
	for _, s := range []struct{ token, origin string }{
		{rig.token, rig.origin}, {rig.token2, rig.origin2}} {
		before := rig.snapshot(t)
		if r := rig.ts.chat(t, s.token, s.origin, `{"message":"hi"}`); r.status != 200 {
			t.Fatalf("a good chat: %d %s", r.status, r.raw)
		}
		after := rig.snapshot(t)
		if after.sanitised != before.sanitised+1 {
			t.Fatalf("a good chat showed as %d messages on the sanitise subjects",
				after.sanitised-before.sanitised)
		}
		if problems := before.changes(after); len(problems) == 0 {
			t.Fatalf("a good chat changed nothing the checks see")
		}
	}
}

// sideEffects is what a refused request must leave as it was.
type sideEffects struct {
	// sanitised counts the messages seen on the sanitise subjects.
	sanitised int
	// sessions lists every key of the sessions bucket with its value and
	// revision.
	sessions string
	// limits maps every key of the limits bucket to its revision.
	limits map[string]uint64
}

// snapshot reads the side effects as they are now. Every message the
// server sent to the watching connection before the flush is counted.
func (rig *attackRig) snapshot(t *testing.T) sideEffects {
	t.Helper()
	if err := rig.watch.Flush(); err != nil {
		t.Fatal(err)
	}
	n, _, err := rig.sanitise.Pending()
	if err != nil {
		t.Fatal(err)
	}
	return sideEffects{sanitised: n,
		sessions: bucketState(t, rig.sessions, true),
		limits:   revisions(t, rig.limits)}
}

// revisions maps each key of a bucket to its revision.
func revisions(t *testing.T, kv jetstream.KeyValue) map[string]uint64 {
	t.Helper()
	ctx := context.Background()
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for k := range keys.Keys() {
		if e, err := kv.Get(ctx, k); err == nil {
			out[k] = e.Revision()
		}
	}
	return out
}

// changes lists what differs from before to after. A limits key may
// expire in between, which spends nothing; a new key or a new revision
// means a count moved.
func (before sideEffects) changes(after sideEffects) []string {
	var out []string
	if n := after.sanitised - before.sanitised; n != 0 {
		out = append(out, fmt.Sprintf("%d message(s) reached a sanitise subject", n))
	}
	if after.sessions != before.sessions {
		out = append(out, fmt.Sprintf("the sessions bucket changed:\nbefore\n%s\nafter\n%s",
			before.sessions, after.sessions))
	}
	var moved []string
	for k, rev := range after.limits {
		if old, ok := before.limits[k]; !ok || old != rev {
			moved = append(moved, limitKind(k))
		}
	}
	if len(moved) > 0 {
		sort.Strings(moved)
		out = append(out, "limit counts moved: "+strings.Join(moved, ", "))
	}
	return out
}

// limitKind names a limits key by its kind (session, chat, open, budget),
// without the hashed address or session id.
func limitKind(key string) string {
	kind, _, _ := strings.Cut(key, ".")
	return kind
}

// checkRefusal checks that r is a JSON error with status and code, and
// that its request id is the response's.
func checkRefusal(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.status != status || r.errorCode() != code {
		t.Errorf("got %d %q, want %d %s: %.300s", r.status, r.errorCode(), status,
			code, r.raw)
		return
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("content type %q", r.header.Get("Content-Type"))
	}
	e, _ := r.body["error"].(map[string]any)
	id, _ := e["request_id"].(string)
	if id == "" || id != r.header.Get("X-Request-Id") {
		t.Errorf("request id %q in the body, %q in the header", id,
			r.header.Get("X-Request-Id"))
	}
}

// sendRaw writes raw to a new connection to base and reads one response.
func sendRaw(t *testing.T, base, raw string) reply {
	t.Helper()
	r, _ := sendRawThen(t, base, raw)
	return r
}

// sendRawThen writes raw to a new connection to base, reads one
// response, and returns it with the reader of what follows on the
// connection.
func sendRawThen(t *testing.T, base, raw string) (reply, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(giveUp))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	return readReply(t, resp), br
}

// rawHead writes a request line and headers as they go on the wire,
// with a Host header and the blank line that ends them.
func rawHead(requestLine string, headers ...string) string {
	return requestLine + " HTTP/1.1\r\nHost: edge\r\n" +
		strings.Join(headers, "\r\n") + "\r\n\r\n"
}

// chunked encodes body as one chunk and the last chunk.
func chunked(body string) string {
	return fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)
}
