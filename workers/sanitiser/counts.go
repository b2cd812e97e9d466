package sanitiser

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/iglowly/assistant/schemas"
)

// CountEvery is how often the sanitiser adds what it counted to the
// clinics' counters: one JetStream write per counter and period rather
// than one per question, which in a cluster is one replicated write.
const CountEvery = time.Second

// tally is the questions counted since the last flush, per counter
// subject.
type tally struct {
	mu      sync.Mutex
	pending map[string]int64
}

func (t *tally) add(subject string) {
	t.mu.Lock()
	if t.pending == nil {
		t.pending = map[string]int64{}
	}
	t.pending[subject]++
	t.mu.Unlock()
}

func (t *tally) take() map[string]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.pending
	t.pending = nil
	return p
}

// FlushCounts adds every question counted so far to its counter, and
// returns once the server has them, or at once with an error while NATS
// is unreachable. A count is sent once, never retried: a retry could
// count a question twice.
func (w *Worker) FlushCounts() error {
	var errs []error
	for subject, n := range w.counts.take() {
		if err := w.nc.PublishMsg(schemas.IncrMsg(subject, n)); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if !w.nc.IsConnected() {
		// Kept in the connection's reconnect buffer, sent if it comes
		// back before the process ends.
		return errors.New("counts not confirmed: not connected to NATS")
	}
	return w.nc.FlushTimeout(time.Second)
}

// flushCounts flushes the counts every period until ctx ends, then a last
// time, and closes w.flushed.
func (w *Worker) flushCounts(ctx context.Context, every time.Duration) {
	defer close(w.flushed)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-ctx.Done():
			w.logFlush(w.FlushCounts())
			return
		}
		w.logFlush(w.FlushCounts())
	}
}

func (w *Worker) logFlush(err error) {
	if err != nil {
		w.log.Warn("count_failed", "error", err)
	}
}

// Stopped is closed once the worker served by Serve has stopped and sent
// its last counts; close its connection only after.
func (w *Worker) Stopped() <-chan struct{} { return w.flushed }
