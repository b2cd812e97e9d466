package stack_test

import (
	"net/http/httptest"
	"testing"
	"time"
)

// TestSessionEndedOnAnotherEdge runs two edges on one NATS. Both have
// just served a session, so both remember it; the visitor ends it on one
// edge, and the other refuses it at once, well before its memory of the
// session would lapse (1 s).
func TestSessionEndedOnAnotherEdge(t *testing.T) {
	ts := start(t)
	other := secondEdge(t, ts)

	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	auth := h("application/json", origin, token)
	for _, base := range []string{ts.URL(), other.URL} {
		if r := doAt(t, base, "POST", "/v1/chat", auth, `{"message":"hi"}`); r.status != 200 {
			t.Fatalf("chat on %s: %d %s", base, r.status, r.raw)
		}
	}
	if r := doAt(t, other.URL, "DELETE", "/v1/sessions/current", auth, ""); r.status != 204 {
		t.Fatalf("ending the session on the second edge: %d %s", r.status, r.raw)
	}
	ended := time.Now()
	for {
		r := doAt(t, ts.URL(), "POST", "/v1/chat", auth, `{"message":"hi"}`)
		if r.status == 401 && r.errorCode() == "session_expired" {
			break
		}
		if r.status != 200 {
			t.Fatalf("chat after the end: %d %s", r.status, r.raw)
		}
		if since := time.Since(ended); since > 300*time.Millisecond {
			t.Fatalf("the first edge still accepted the ended session %v later", since)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("refused %v after the end", time.Since(ended).Round(time.Millisecond))
}

// TestSessionsWorkOnEveryEdge checks that a session opened on one edge is
// served by another, as behind a load balancer without affinity.
func TestSessionsWorkOnEveryEdge(t *testing.T) {
	ts := start(t)
	other := secondEdge(t, ts)
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	r := doAt(t, other.URL, "POST", "/v1/chat", h("application/json", origin, token),
		`{"message":"Hoeveel kost botox?"}`)
	if r.status != 200 {
		t.Fatalf("chat on the second edge: %d %s", r.status, r.raw)
	}
	// A forged token, signed with another key, is refused there too.
	r = doAt(t, other.URL, "POST", "/v1/chat", h("application/json", origin, forge(token)),
		`{"message":"hi"}`)
	if r.status != 401 {
		t.Errorf("forged token on the second edge: %d", r.status)
	}
}

// secondEdge serves one more edge of ts's stack, as a second replica.
func secondEdge(t *testing.T, ts *testStack) *httptest.Server {
	t.Helper()
	h, err := ts.NewEdge()
	if err != nil {
		t.Fatalf("second edge: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
