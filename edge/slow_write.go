package edge

import (
	"context"
	"net/http"
	"time"
)

// DefaultWriteTimeout is the default of Config.WriteTimeout: the longest
// one write of a response may wait for the client to read. "iglowly edge"
// takes it from --write-timeout or IGLOWLY_WRITE_TIMEOUT.
const DefaultWriteTimeout = 10 * time.Second

// writeBounded is a handler that knows its write bound, so that
// NewHTTPServer gives its server the same one.
type writeBounded interface {
	writeTimeout() time.Duration
}

// deadlineWriter bounds each write of a response instead of the whole
// response, so that a long stream of events is never cut while a client
// that stops reading frees its request within the bound.
//
// Before each write or flush the connection's write deadline is set to
// write from now; after a flush, when nothing of the response is left in
// a buffer, to pause from now, the longest a request may go between two
// writes (its body, its answer and one write). A write that fails cancels
// the request's context, so the handler stops waiting for an answer that
// no one reads; if the deadline had passed, the write timed out.
//
// The pause deadline matters under HTTP/2, where a write deadline is a
// timer on the stream rather than a bound on blocked writes: the
// server's WriteTimeout would otherwise reset a stream that waits for
// its answer without writing.
type deadlineWriter struct {
	http.ResponseWriter
	rc           *http.ResponseController
	write, pause time.Duration
	cancel       context.CancelFunc
	deadline     time.Time
	// bounded is set while the deadline is the write bound of a write
	// whose data a flush has not sent yet.
	bounded  bool
	failed   bool
	timedOut bool
}

func newDeadlineWriter(w http.ResponseWriter, write, pause time.Duration,
	cancel context.CancelFunc) *deadlineWriter {
	return &deadlineWriter{ResponseWriter: w, rc: http.NewResponseController(w),
		write: write, pause: pause, cancel: cancel}
}

// boundWrites returns w with each write bounded, and the pause allowed
// before the first; cancel ends the request's context.
func (s *Server) boundWrites(w http.ResponseWriter,
	cancel context.CancelFunc) *deadlineWriter {
	dw := newDeadlineWriter(w, s.cfg.WriteTimeout, s.pauseTimeout(), cancel)
	dw.arm(dw.pause)
	return dw
}

// arm sets the write deadline to d from now. Only a writer without a
// connection, such as a test recorder, refuses it, and then no client
// can hold the request.
func (w *deadlineWriter) arm(d time.Duration) {
	w.bounded = d == w.write
	w.deadline = time.Now().Add(d)
	_ = w.rc.SetWriteDeadline(w.deadline)
}

// Write writes p within the write bound.
func (w *deadlineWriter) Write(p []byte) (int, error) {
	w.arm(w.write)
	n, err := w.ResponseWriter.Write(p)
	w.check(err)
	return n, err
}

// FlushError sends what is buffered within the write bound, then allows
// the pause until the next write. http.ResponseController calls it. A
// flush right after a write keeps the deadline that write set.
func (w *deadlineWriter) FlushError() error {
	if !w.bounded {
		w.arm(w.write)
	}
	err := w.rc.Flush()
	w.check(err)
	if err == nil {
		w.arm(w.pause)
	}
	return err
}

// check notes a failed write: the request's context ends, and a write
// that failed at or after its deadline timed out.
func (w *deadlineWriter) check(err error) {
	if err == nil || w.failed {
		return
	}
	w.failed = true
	w.timedOut = !time.Now().Before(w.deadline)
	w.cancel()
}

// Unwrap lets http.ResponseController reach the connection's writer for
// what deadlineWriter does not handle itself.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeTimeout is the edge's bound on one write, for NewHTTPServer.
func (s *Server) writeTimeout() time.Duration { return s.cfg.WriteTimeout }

// pauseTimeout is the longest a request may go without writing: it
// reads its body, waits for its answer, then writes.
func (s *Server) pauseTimeout() time.Duration {
	return s.cfg.BodyReadTimeout + s.cfg.AnswerTimeout + s.cfg.WriteTimeout
}

// logWriteTimeout logs, once per request and without anything of its
// content, that a client stopped reading and its request was ended.
func (s *Server) logWriteTimeout(r *http.Request, id string) {
	s.metrics.writeTimeouts.Add(1)
	s.log.Warn("client_write_timeout", "request_id", id, "route", routeOf(r),
		"write_timeout_ms", s.cfg.WriteTimeout.Milliseconds())
}
