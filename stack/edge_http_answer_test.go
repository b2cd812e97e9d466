package stack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/workers/inference"
)

// TestAnswerFailures runs the real pipeline with models that never
// answer or fail, and checks that the edge says so with 503, the code
// and Retry-After, as JSON even when events were asked for, since
// nothing was streamed yet.
func TestAnswerFailures(t *testing.T) {
	cases := []struct {
		name   string
		models inference.Models
		cfg    edge.Config
		code   string
	}{
		{"no answer in time", neverAnswers,
			edge.Config{AnswerTimeout: 300 * time.Millisecond}, "timeout"},
		{"a stage sends a failure", failsAtOnce, edge.Config{}, "answer_failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := startEdgeStack(t, c.models, c.cfg)
			origin := ts.origin("demo")
			token := ts.session(t, "demo", origin)
			headers := h("application/json", origin, token)
			for _, accept := range []string{"", "text/event-stream"} {
				headers["Accept"] = accept
				r := ts.do(t, "POST", "/v1/chat", headers,
					`{"message":"Hoeveel kost botox?"}`)
				if r.status != 503 || r.errorCode() != c.code {
					t.Fatalf("Accept %q: %d %s, want 503 %s", accept, r.status, r.raw,
						c.code)
				}
				if got := r.header.Get("Retry-After"); got != "2" {
					t.Errorf("Accept %q: Retry-After %q, want 2", accept, got)
				}
				ct := r.header.Get("Content-Type")
				if !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Accept %q: content type %q", accept, ct)
				}
				if strings.Contains(r.raw, "botox") {
					t.Errorf("the error echoes the message: %s", r.raw)
				}
			}
		})
	}
}

// TestSSEErrorAfterStreamStarted lets the model stream one sentence,
// then fail: the edge has already sent 200 and a chunk, so it ends the
// stream with an error event that carries the code and the request id.
func TestSSEErrorAfterStreamStarted(t *testing.T) {
	g := newAnswerGate()
	ts := startEdgeStack(t, heldModel(g, true), edge.Config{})
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	s := ts.openSSE(t, token, origin, `{"message":"Wanneer zijn jullie open?"}`)
	if s.resp.StatusCode != 200 {
		t.Fatalf("status %d", s.resp.StatusCode)
	}
	ev, ok := s.next(t)
	if !ok || ev.Name != "chunk" || ev.Data["text"] != heldFirstSentence {
		t.Fatalf("first event %q %v, want the first sentence", ev.Name, ev.Data)
	}
	<-g.reached
	g.pass <- struct{}{}
	ev, ok = s.next(t)
	if !ok || ev.Name != "error" {
		t.Fatalf("event after the failure: %q (ok %v), want error", ev.Name, ok)
	}
	code, message, id := sseError(ev)
	if code != "answer_failed" || message == "" {
		t.Errorf("error event %v, want answer_failed with a message", ev.Data)
	}
	if id == "" || id != s.resp.Header.Get("X-Request-Id") {
		t.Errorf("request id %q, header %q", id, s.resp.Header.Get("X-Request-Id"))
	}
	if ev, ok := s.next(t); ok {
		t.Errorf("event %q after the error", ev.Name)
	}
}
