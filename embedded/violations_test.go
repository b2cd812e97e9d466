package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

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
	if st := s.Violations(); st.Filed != 2 || st.Dropped != 0 || st.Unfiled != 0 {
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
// no clinic is counted, not filed under some clinic, and that the
// events of other users are not taken for violations.
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
	deadline := time.Now().Add(5 * time.Second)
	for s.Violations().Unfiled < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := s.Violations(); st != (ViolationStats{Unfiled: 2}) {
		t.Fatalf("stats %+v, want 2 unfiled", st)
	}
	got := waitEvents(t, js, "demo", start, 1)
	if len(got) != 1 || got[0].Kind != schemas.SecEventRejected {
		t.Errorf("demo's events %+v, want only the response's own", got)
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
			violation{Edge, "demo", "publish_denied"}, true},
		{"subscribe", `127.0.0.1:4222 - cid:9 - "$G/user:edge" - Subscription ` +
			`Violation - Subject "iglowly.clinic-9.chat.respond", SID 4`, nil,
			violation{Edge, "clinic-9", "subscribe_denied"}, true},
		{"queue", `pipe - cid:2 - "$G/user:sanitiser" - Subscription Violation - ` +
			`Subject "iglowly.abc.x", Queue: "q", SID 1`, nil,
			violation{Sanitiser, "abc", "subscribe_denied"}, true},
		{"reply", `pipe - cid:2 - "$G/user:edge" - Publish Violation - Reply %q`,
			[]any{[]byte("iglowly.demo.chat.sanitise")},
			violation{Edge, "demo", "reply_denied"}, true},
		{"wildcard clinic", `pipe - cid:7 - "$G/user:edge"` + pub,
			[]any{"iglowly.*.chat.infer"}, violation{Edge, "", "publish_denied"}, true},
		{"no clinic", `pipe - cid:7 - "$G/user:edge"` + pub,
			[]any{"$KV.clinics.demo"}, violation{Edge, "", "publish_denied"}, true},
		{"unknown user", `pipe - cid:7 - "$G/user:mallory"` + pub,
			[]any{"iglowly.demo.x"}, violation{"unknown", "demo", "publish_denied"}, true},
		{"spoofed name", `pipe - cid:7 - "v1:go:x\" - \"$G/user:sanitiser\" - ` +
			`Publish Violation - Subject \"iglowly.fake.x" - "$G/user:edge"` + pub,
			[]any{"iglowly.demo.chat.infer"},
			violation{Edge, "demo", "publish_denied"}, true},
		{"no user", `pipe - cid:7` + pub, []any{"iglowly.demo.x"},
			violation{"unknown", "demo", "publish_denied"}, true},
		{"nkey", `pipe - cid:7 - "$G/nkey:UABC"` + pub, []any{"iglowly.demo.x"},
			violation{"unknown", "demo", "publish_denied"}, true},
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
	s, err := Start(Options{StoreDir: t.TempDir()})
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
