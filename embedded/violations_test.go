package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/schemas"
)

// TestViolationsFiled makes the edge's user publish on an infer subject
// and subscribe to another stage's subject on a real embedded server:
// each refusal becomes one permission violation event of the clinic the
// subject names, with the user and what was refused, and nothing of the
// message (its body, headers or the subject's other tokens) reaches the
// security stream.
func TestViolationsFiled(t *testing.T) {
	s, js := violationServer(t)
	start := time.Now().Add(-time.Second)
	refused := make(chan error, 8)
	edge, err := s.Connect(Edge, nats.ErrorHandler(
		func(_ *nats.Conn, _ *nats.Subscription, err error) { refused <- err }))
	if err != nil {
		t.Fatal(err)
	}
	defer edge.Close()
	const marker = "MARKER7733"
	msg := &nats.Msg{Subject: "iglowly.demo.chat.infer",
		Header: nats.Header{"ce-id": {marker + "-header"}},
		Data:   []byte(marker + " jan@example.be")}
	if err := edge.PublishMsg(msg); err != nil {
		t.Fatal(err)
	}
	if _, err := edge.SubscribeSync("iglowly.demo-2.chat.respond"); err != nil {
		t.Fatal(err)
	}
	_ = edge.Flush()
	for range 2 {
		if err := waitErr(t, refused); !errors.Is(err, nats.ErrPermissionViolation) {
			t.Fatalf("client error %v, want a permission violation", err)
		}
	}

	demo := waitEvents(t, js, "demo", start, 1)
	demo2 := waitEvents(t, js, "demo-2", start, 1)
	want := func(got StoredSecurityEvent, code string) {
		t.Helper()
		if got.Kind != schemas.SecPermissionViolation || got.Component != Edge ||
			got.Code != code || got.RequestID != "" || len(got.Counts) != 0 {
			t.Errorf("event %+v, want the edge's %s", got.SecurityEvent, code)
		}
	}
	want(demo[0], "publish_denied")
	want(demo2[0], "subscribe_denied")
	if st := s.Violations(); st.Filed != 2 || st.Dropped != 0 || st.System != 0 {
		t.Errorf("stats %+v, want 2 filed", st)
	}
	for _, raw := range securityStream(t, js) {
		for _, leak := range []string{marker, "jan@", "chat", "infer", "respond"} {
			if strings.Contains(raw, leak) {
				t.Errorf("security stream holds %q: %s", leak, raw)
			}
		}
	}
}

// TestViolationsWithoutClinic checks that a refusal on a subject naming
// no clinic is filed on the system pseudo-clinic, not under some clinic,
// and that the events of other users are not taken for violations.
func TestViolationsWithoutClinic(t *testing.T) {
	s, js := violationServer(t)
	start := time.Now().Add(-time.Second)
	nc, err := s.Connect(Response,
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.Publish("$JS.API.STREAM.DELETE.SECURITY", nil)
	_ = nc.Publish("iglowly.*.chat.infer", nil)
	// Allowed: a security event of its own is no violation.
	e, _ := schemas.NewEvent(schemas.TypeSecurityEvent, "/test", "demo",
		schemas.SecurityEvent{Kind: schemas.SecEventRejected, Component: Response})
	if err := schemas.Publish(nc, schemas.SecuritySubject("demo",
		schemas.SecEventRejected), "", &e); err != nil {
		t.Fatal(err)
	}
	_ = nc.Flush()
	sys := waitEvents(t, js, config.SystemClinic, start, 2)
	for _, got := range sys {
		if got.Kind != schemas.SecPermissionViolation ||
			got.Component != Response || got.Code != "publish_denied" ||
			len(got.Counts) != 0 {
			t.Errorf("system event %+v, want the response's publish_denied",
				got.SecurityEvent)
		}
	}
	if st := s.Violations(); st != (ViolationStats{Filed: 2, System: 2}) {
		t.Errorf("stats %+v, want 2 filed on the system pseudo-clinic", st)
	}
	got := waitEvents(t, js, "demo", start, 1)
	if len(got) != 1 || got[0].Kind != schemas.SecEventRejected {
		t.Errorf("demo's events %+v, want only the response's own", got)
	}
	for _, raw := range securityStream(t, js) {
		if strings.Contains(raw, "DELETE") || strings.Contains(raw, "infer") {
			t.Errorf("security stream holds the refused subject: %s", raw)
		}
	}
}

// TestParseViolation reads the server's log lines, as nats-server
// 2.15.3 formats them, including a client that names its connection
// after another user to pass for it.
func TestParseViolation(t *testing.T) {
	users := map[string]bool{Edge: true, Sanitiser: true}
	const pub = ` - Publish Violation - Subject %q`
	cases := []struct {
		name, format string
		args         []any
		want         violation
		ok           bool
	}{
		{"publish", `pipe - cid:7 - "v1.56.0:go:iglowly-edge" - "$G/user:edge"` + pub,
			[]any{[]byte("iglowly.demo.chat.infer")},
			pv(Edge, "demo", "publish_denied"), true},
		{"subscribe", `127.0.0.1:4222 - cid:9 - "$G/user:edge" - Subscription ` +
			`Violation - Subject "iglowly.clinic-9.chat.respond", SID 4`, nil,
			pv(Edge, "clinic-9", "subscribe_denied"), true},
		{"queue", `pipe - cid:2 - "$G/user:sanitiser" - Subscription Violation - ` +
			`Subject "iglowly.abc.x", Queue: "q", SID 1`, nil,
			pv(Sanitiser, "abc", "subscribe_denied"), true},
		{"reply", `pipe - cid:2 - "$G/user:edge" - Publish Violation - Reply %q`,
			[]any{[]byte("iglowly.demo.chat.sanitise")},
			pv(Edge, "demo", "reply_denied"), true},
		{"wildcard clinic", `pipe - cid:7 - "$G/user:edge"` + pub,
			[]any{"iglowly.*.chat.infer"}, pv(Edge, "", "publish_denied"), true},
		{"no clinic", `pipe - cid:7 - "$G/user:edge"` + pub,
			[]any{"$KV.clinics.demo"}, pv(Edge, "", "publish_denied"), true},
		{"unknown user", `pipe - cid:7 - "$G/user:mallory"` + pub,
			[]any{"iglowly.demo.x"}, pv("unknown", "demo", "publish_denied"), true},
		{"spoofed name", `pipe - cid:7 - "v1:go:x\" - \"$G/user:sanitiser\" - ` +
			`Publish Violation - Subject \"iglowly.fake.x" - "$G/user:edge"` + pub,
			[]any{"iglowly.demo.chat.infer"},
			pv(Edge, "demo", "publish_denied"), true},
		{"no user", `pipe - cid:7` + pub, []any{"iglowly.demo.x"},
			pv("unknown", "demo", "publish_denied"), true},
		{"nkey", `pipe - cid:7 - "$G/nkey:UABC"` + pub, []any{"iglowly.demo.x"},
			pv("unknown", "demo", "publish_denied"), true},
		{"other error", `pipe - cid:7 - Maximum Payload Violation`, nil,
			violation{}, false},
		{"bad quoting", `pipe - cid:7 - "$G/user:edge" - Publish Violation - ` +
			`Subject iglowly.demo.x`, nil, violation{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseViolation(c.format, c.args, users)
			if ok != c.ok || got != c.want {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

// pv is the permission violation parseViolation reads.
func pv(user, clinic, code string) violation {
	return violation{user: user, clinic: clinic, code: code,
		kind: schemas.SecPermissionViolation}
}

// TestViolationsQueueFull checks that a flood of violations never
// blocks the server's logging: what the queue cannot hold is dropped
// and counted.
func TestViolationsQueueFull(t *testing.T) {
	v := newViolations(&server.Options{})
	line := `pipe - cid:7 - "$G/user:edge" - Publish Violation - Subject %q`
	for range violationQueue + 10 {
		v.Errorf(line, "iglowly.demo.chat.infer")
	}
	if len(v.queue) != violationQueue || v.dropped.Load() != 10 {
		t.Errorf("queued %d, dropped %d; want %d and 10", len(v.queue),
			v.dropped.Load(), violationQueue)
	}
	v.close()
	v.Errorf(line, "iglowly.demo.chat.infer")
	if v.dropped.Load() != 11 {
		t.Errorf("dropped %d after close, want 11", v.dropped.Load())
	}
}

// violationServer starts a server with its streams provisioned and
// returns it with the admin's JetStream.
func violationServer(t *testing.T) (*Server, jetstream.JetStream) {
	t.Helper()
	return securityServer(t, Options{StoreDir: t.TempDir()})
}

// loginServer is violationServer listening on loopback TCP: a refused
// login over an in-process pipe costs the client the server's 10 s
// write deadline, as neither side reads while the other writes.
func loginServer(t *testing.T) (*Server, jetstream.JetStream) {
	t.Helper()
	return securityServer(t, Options{StoreDir: t.TempDir(),
		Listen: testutil.FreeAddr(t)})
}

// securityServer starts a server with opts and its streams provisioned,
// and returns it with the admin's JetStream.
func securityServer(t *testing.T, opts Options) (*Server, jetstream.JetStream) {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	admin, err := s.Connect(Admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	if err := Provision(context.Background(), admin, SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(admin)
	if err != nil {
		t.Fatal(err)
	}
	return s, js
}

func waitErr(t *testing.T, errs chan error) error {
	t.Helper()
	select {
	case err := <-errs:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no error reached the client")
		return nil
	}
}

// waitEvents waits up to 5 s for n security events of clinic and
// returns them, failing if there are more.
func waitEvents(t *testing.T, js jetstream.JetStream, clinic string,
	since time.Time, n int) []StoredSecurityEvent {
	t.Helper()
	var got []StoredSecurityEvent
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < n && time.Now().Before(deadline) {
		var err error
		got, err = ReadSecurityEvents(context.Background(), js, clinic, since, 100)
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != n {
		t.Fatalf("%s has %d security events, want %d: %+v", clinic, len(got), n, got)
	}
	return got
}

// securityStream returns every message of the security stream as raw
// text: subject, headers and data.
func securityStream(t *testing.T, js jetstream.JetStream) []string {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, StreamSecurity)
	if err != nil {
		t.Fatal(err)
	}
	st := s.CachedInfo().State
	var out []string
	for seq := st.FirstSeq; st.Msgs > 0 && seq <= st.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := json.Marshal(m.Header)
		out = append(out, m.Subject+"\n"+string(h)+"\n"+string(m.Data))
	}
	if len(out) == 0 {
		t.Fatal("security stream is empty")
	}
	return out
}

// TestLoginFailedFiled makes a client log in as the edge with a wrong
// password, and another as a user that does not exist, on a real
// embedded server: each refusal becomes exactly one auth_failed event of
// the system pseudo-clinic, naming the edge for the first and "unknown"
// for the second, readable by the admin user, and nothing of the
// passwords or the claimed unknown name reaches the stream.
func TestLoginFailedFiled(t *testing.T) {
	s, js := loginServer(t)
	start := time.Now().Add(-time.Second)
	const pw = "PASSWORD4711-guess"
	login := func(user string) {
		t.Helper()
		nc, err := nats.Connect(s.ClientURL(), nats.UserInfo(user, pw))
		if err == nil {
			nc.Close()
			t.Fatalf("%s logged in with a wrong password", user)
		}
	}
	login(Edge)
	got := waitEvents(t, js, config.SystemClinic, start, 1)
	login("mallory-7355")
	got = waitEvents(t, js, config.SystemClinic, start, 2)
	for i, want := range []string{Edge, "unknown"} {
		e := got[i]
		if e.Kind != schemas.SecAuthFailed || e.Component != want ||
			e.Code != loginFailed || e.Clinic != config.SystemClinic ||
			len(e.Counts) != 0 || e.RequestID != "" {
			t.Errorf("event %d %+v, want %s's %s", i, e, want, loginFailed)
		}
	}
	if st := s.Violations(); st != (ViolationStats{Filed: 2, System: 2}) {
		t.Errorf("stats %+v, want 2 filed on the system pseudo-clinic", st)
	}
	for _, raw := range securityStream(t, js) {
		for _, leak := range []string{"PASSWORD", "4711", "guess", "mallory",
			"7355", "127.0.0.1", "cid:"} {
			if strings.Contains(raw, leak) {
				t.Errorf("security stream holds %q: %s", leak, raw)
			}
		}
	}
}

// TestLoginFailedLimited floods a real embedded server with bad logins
// at a frozen clock: the system pseudo-clinic takes a burst and counts
// the rest, the events filed carry that count as "suppressed" (those
// filed while the flood went on, or the first one after it), and the
// limit lets one more through once the clock moves on.
func TestLoginFailedLimited(t *testing.T) {
	s, js := loginServer(t)
	start := time.Now().Add(-time.Second)
	now := time.Now()
	var mu sync.Mutex
	s.violations.clock = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	login := func() {
		nc, err := nats.Connect(s.ClientURL(), nats.UserInfo(Edge, "wrong"))
		if err == nil {
			nc.Close()
			t.Fatal("logged in with a wrong password")
		}
	}
	for range systemBurst + 5 {
		login()
	}
	waitEvents(t, js, config.SystemClinic, start, systemBurst)
	if st := s.Violations(); st.Limited != 5 || st.System != systemBurst {
		t.Fatalf("stats %+v, want %d filed and 5 limited", st, systemBurst)
	}
	mu.Lock()
	now = now.Add(systemEvery)
	mu.Unlock()
	login()
	got := waitEvents(t, js, config.SystemClinic, start, systemBurst+1)
	suppressed := 0
	for _, e := range got {
		suppressed += e.Counts["suppressed"]
		if len(e.Counts) > 1 {
			t.Errorf("event %+v counts more than the suppressed", e)
		}
	}
	if suppressed != 5 {
		t.Errorf("events count %d suppressed, want 5", suppressed)
	}
}

// TestParseAuthError reads refused logins as nats-server 2.15.3 logs
// them: the client's prefix, then the error and the claimed identity.
func TestParseAuthError(t *testing.T) {
	users := map[string]bool{Edge: true}
	auth := server.ErrAuthentication
	const two = "127.0.0.1:52811 - cid:5 - %v - %s"
	login := func(user string) violation {
		return violation{user: user, clinic: config.SystemClinic,
			code: loginFailed, kind: schemas.SecAuthFailed}
	}
	cases := []struct {
		name, format string
		args         []any
		want         violation
		ok           bool
	}{
		{"known user", two, []any{auth, `User "edge"`}, login(Edge), true},
		{"unknown user", two, []any{auth, `User "mallory"`},
			login("unknown"), true},
		{"no identity", "pipe - cid:3 - authentication error", nil,
			login("unknown"), true},
		{"nkey", two, []any{auth, `Nkey "UABC"`}, login("unknown"), true},
		{"token", two, []any{auth, `Token "[REDACTED]"`}, login("unknown"), true},
		{"quoted spoof", two,
			[]any{auth, `User "x\" - authentication error - User \"edge"`},
			login("unknown"), true},
		{"not quoted", two, []any{auth, `User edge`}, login("unknown"), true},
		{"other error", two, []any{errors.New("authentication error"),
			`User "edge"`}, violation{}, false},
		{"other line", "pipe - cid:3 - %v - %s", []any{"x", "y"},
			violation{}, false},
		{"name in prefix", `pipe - cid:3 - "authentication error" - ` +
			`Slow Consumer Detected`, nil, violation{}, false},
		{"violation", `pipe - cid:7 - "$G/user:edge" - Publish Violation - ` +
			`Subject %q`, []any{"iglowly.demo.x"}, violation{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseAuthError(c.format, c.args, users)
			if ok != c.ok || got != c.want {
				t.Errorf("got %+v, %v; want %+v, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

// TestBucket checks the system pseudo-clinic's rate limit on its own:
// a burst, then one per interval, never more than the burst saved up.
func TestBucket(t *testing.T) {
	b := bucket{burst: 3, every: time.Second}
	t0 := time.Unix(1000, 0)
	took := func(at time.Time, n int) int {
		k := 0
		for range n {
			if b.take(at) {
				k++
			}
		}
		return k
	}
	if k := took(t0, 5); k != 3 {
		t.Errorf("burst let %d through, want 3", k)
	}
	if k := took(t0.Add(1500*time.Millisecond), 5); k != 1 {
		t.Errorf("after 1.5 s %d through, want 1", k)
	}
	if k := took(t0.Add(time.Hour), 10); k != 3 {
		t.Errorf("after an hour %d through, want the burst of 3", k)
	}
	if b.take(t0) {
		t.Error("a clock that went back gave a token")
	}
}
