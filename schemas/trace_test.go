package schemas

import (
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/internal/testutil"
)

// TestTraceOf checks that a message's trace keeps a request id of the
// edge's alphabet and drops anything else, so that no text can reach a
// worker's log line through the header, and that the trace of the next
// message is a new span of the same trace with the same request id.
func TestTraceOf(t *testing.T) {
	parent := NewTrace()
	for id, keep := range map[string]bool{
		"Ba5zJP3YgYxR06xosRmcGG":   true,
		"req_1-2":                  true,
		"":                         false,
		"a b":                      false,
		"id\nforged_line":          false,
		"jan@example.be":           false,
		strings.Repeat("x", 65):    false,
		"éé":                       false,
		`{"msg":"request_failed"}`: false,
	} {
		h := nats.Header{}
		h.Set(HeaderTraceparent, parent)
		h.Set(HeaderRequestID, id)
		got := TraceOf(h)
		if want := map[bool]string{true: id, false: ""}[keep]; got.RequestID != want {
			t.Errorf("request id %q read as %q, want %q", id, got.RequestID, want)
		}
		if got.Parent != parent {
			t.Errorf("traceparent %q, want %q", got.Parent, parent)
		}
		child := got.Child()
		if child.RequestID != got.RequestID || TraceID(child.Parent) != TraceID(parent) ||
			child.Parent == parent {
			t.Errorf("child %+v of %+v", child, got)
		}
	}
}

// TestTraceOfDropsABadTraceparent checks that a traceparent that is not
// one, which a worker would otherwise log as it came, is read as none.
func TestTraceOfDropsABadTraceparent(t *testing.T) {
	for _, tp := range []string{"jan@example.be", "00-" + strings.Repeat("0", 32) + "-" +
		strings.Repeat("1", 16) + "-00", NewTrace() + "x"} {
		h := nats.Header{}
		h.Set(HeaderTraceparent, tp)
		if got := TraceOf(h).Parent; got != "" {
			t.Errorf("traceparent %q read as %q", tp, got)
		}
	}
}

// TestPublishLeavesOutEmptyHeaders checks that an extra header without a
// value is not sent at all, so a message of no request carries no empty
// request id.
func TestPublishLeavesOutEmptyHeaders(t *testing.T) {
	nc := testutil.InProcessNATS(t)
	sub, err := nc.SubscribeSync("t")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := NewEvent(TypeAnswerChunk, "/a", "demo", AnswerChunk{Text: "x"})
	if err := Publish(nc, "t", "", &e, HeaderRequestID, "", HeaderTraceparent,
		NewTrace()); err != nil {
		t.Fatal(err)
	}
	msg, err := sub.NextMsg(2e9)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := msg.Header[HeaderRequestID]; ok || msg.Header.Get(HeaderTraceparent) == "" {
		t.Errorf("headers %v", msg.Header)
	}
}

// FuzzTraceOf feeds the trace headers a forged event on NATS could
// carry: the traceparent read is empty or valid, the request id empty or
// a short label, so neither can carry text into a log line, and the next
// message's traceparent is always valid.
func FuzzTraceOf(f *testing.F) {
	f.Add(NewTrace(), "Ba5zJP3YgYxR06xosRmcGG")
	f.Add("00-zz", "a\nb")
	f.Fuzz(func(t *testing.T, parent, id string) {
		h := nats.Header{}
		h.Set(HeaderTraceparent, parent)
		h.Set(HeaderRequestID, id)
		tr := TraceOf(h)
		if tr.RequestID != "" && (tr.RequestID != id || !label(id, 64)) {
			t.Fatalf("request id %q read as %q", id, tr.RequestID)
		}
		if tr.Parent != "" && (tr.Parent != parent || !validTrace(parent)) {
			t.Fatalf("traceparent %q read as %q", parent, tr.Parent)
		}
		if c := tr.Child(); TraceID(c.Parent) == "" || c.RequestID != tr.RequestID {
			t.Fatalf("child %+v of %+v", c, tr)
		}
	})
}
