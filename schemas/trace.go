package schemas

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/nats-io/nats.go"
)

// HeaderRequestID carries the edge's request id from stage to stage, so
// that every log line and security event about a request names the id
// the visitor was shown.
const HeaderRequestID = "iglowly-request-id"

// Trace is what ties a message to the visitor's request: the W3C trace
// context and the edge's request id, each in a header of its own.
type Trace struct {
	// Parent is the traceparent, or "".
	Parent string
	// RequestID is the edge's request id, or "".
	RequestID string
}

// TraceOf reads the trace headers of a message. A traceparent that is
// not a valid one, and a request id that is not 1 to 64 ASCII letters,
// digits, '-' or '_', are left out, so nothing else can reach a log line
// through them.
func TraceOf(h nats.Header) Trace {
	t := Trace{Parent: h.Get(HeaderTraceparent), RequestID: h.Get(HeaderRequestID)}
	if !validTrace(t.Parent) {
		t.Parent = ""
	}
	if !label(t.RequestID, 64) {
		t.RequestID = ""
	}
	return t
}

// Child returns the trace of a message sent on for t's: a new span of
// the same trace (see ChildTrace), the same request id.
func (t Trace) Child() Trace {
	return Trace{Parent: ChildTrace(t.Parent), RequestID: t.RequestID}
}

// notSampled ends every traceparent the pipeline writes. iGlowly records
// no spans, so it never claims a trace was sampled; a sampled flag would
// also make every NATS server on the way build per-message tracing state
// (nats-server checks "traceparent" for account-level message tracing),
// and a visitor could set it from outside.
const notSampled = "-00"

// NewTrace returns a fresh W3C traceparent ("00-<trace>-<span>-00").
func NewTrace() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "00-" + hex.EncodeToString(b[:16]) + "-" +
		hex.EncodeToString(b[16:]) + notSampled
}

// ChildTrace returns a traceparent for a new span in the same trace as
// parent, not sampled whatever parent's flags, or a fresh trace when
// parent is not a valid traceparent.
func ChildTrace(parent string) string {
	if !validTrace(parent) {
		return NewTrace()
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return parent[:36] + hex.EncodeToString(b[:]) + notSampled
}

// TraceID returns the trace id of a valid traceparent, or "".
func TraceID(tp string) string {
	if !validTrace(tp) {
		return ""
	}
	return tp[3:35]
}

func validTrace(tp string) bool {
	if len(tp) != 55 || tp[:3] != "00-" || tp[35] != '-' || tp[52] != '-' {
		return false
	}
	for i, c := range []byte(tp) {
		if i == 2 || i == 35 || i == 52 {
			continue
		}
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return tp[3:35] != "00000000000000000000000000000000"
}
