package edge

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
)

// rateState is what this edge knows of one rate key of the "limits"
// bucket. The key holds a theoretical arrival time (the generic cell rate
// algorithm): the moment the key's bucket is full again, in Unix
// nanoseconds. A request is allowed while that moment is at most the
// burst's tolerance ahead of now, and moves it one interval on.
//
// The moment only ever moves forward, and the key expires once it has
// passed, so a value this edge saw is never ahead of the truth: a
// refusal decided from it alone is right, and costs no round trip. An
// allowed request is a write conditional on the revision this edge saw;
// if another edge wrote since, the key is read again and the decision
// made anew.
type rateState struct {
	mu sync.Mutex
	// tat is the theoretical arrival time as last seen; 0 for none.
	tat int64
	// rev is the key's revision as last seen; 0 when no value is known.
	rev uint64
	// gone is when the key has surely expired, if this edge wrote it
	// last: from then on the key is created anew, without trying the
	// revision first.
	gone int64
}

// maxAttempts bounds the conditional writes of one decision: each
// failed one means another edge wrote the key in the meantime.
const maxAttempts = 16

var errContended = errors.New("limit key contended")

// expirySlack is how long after its TTL a key is surely gone: the
// server expires keys in passes, and its clock may be ahead or behind.
const expirySlack = time.Second

// backoff waits after the attempt-th conflict in a row, before the key
// is read again: not after the first, which only means that another edge
// wrote since this one looked, then a random time up to 50 µs doubled
// with each conflict (at most 25.6 ms), so that edges that keep writing
// one key stop colliding: with 25 µs and ten attempts, two edges
// spending the last chats of one budget lease by lease still ran out of
// attempts about once in six runs of TestBudgetExactAcrossEdges.
func backoff(ctx context.Context, attempt int) {
	if attempt == 0 {
		return
	}
	d := time.Duration(rand.Int64N(int64(50*time.Microsecond) << min(attempt, 9)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// gcra decides a request at now against a key whose theoretical arrival
// time is tat: either a positive wait, for which the request is refused,
// or the key's next theoretical arrival time.
func gcra(tat, now int64, r config.Rate) (next int64, wait time.Duration) {
	interval := int64(r.Interval())
	tolerance := interval * int64(r.N-1)
	base := max(tat, now)
	if base-now > tolerance {
		return tat, time.Duration(base - now - tolerance)
	}
	return base + interval, 0
}

// ttlFor rounds a key's remaining life up to the whole seconds that
// per-key TTLs take, at least one.
func ttlFor(d time.Duration) time.Duration {
	return max(time.Second, (d + time.Second - 1).Truncate(time.Second))
}

func (l *limiter) rateState(key string) *rateState {
	if v, ok := l.rates.Load(key); ok {
		return v.(*rateState)
	}
	v, _ := l.rates.LoadOrStore(key, &rateState{})
	return v.(*rateState)
}

// peek returns how long a request would wait by what this edge already
// knows of key, without a round trip; 0 if it knows of no reason to
// refuse.
func (l *limiter) peek(key string, r config.Rate, now int64) time.Duration {
	v, ok := l.rates.Load(key)
	if !ok {
		return 0
	}
	st := v.(*rateState)
	if !st.mu.TryLock() {
		return 0 // a decision is under way; take will tell
	}
	defer st.mu.Unlock()
	_, wait := gcra(st.tat, now, r)
	return wait
}

// take spends one request of key's rate: 0 if allowed, else the wait
// before a request would be, and then nothing is written.
func (l *limiter) take(ctx context.Context, key string, r config.Rate) (time.Duration, error) {
	st := l.rateState(key)
	st.mu.Lock()
	defer st.mu.Unlock()
	for attempt := range maxAttempts {
		now := l.now().UnixNano()
		if st.rev != 0 && st.gone != 0 && now >= st.gone {
			st.tat, st.rev = 0, 0
		}
		next, wait := gcra(st.tat, now, r)
		if wait > 0 {
			return wait, nil
		}
		rev, err := l.write(ctx, key, next, st.rev, time.Duration(next-now))
		if err == nil {
			st.tat, st.rev = next, rev
			st.gone = now + int64(ttlFor(time.Duration(next-now))+expirySlack)
			return 0, nil
		}
		if !conflict(err) {
			return 0, err
		}
		backoff(ctx, attempt)
		if err := l.loadRate(ctx, key, st); err != nil {
			return 0, err
		}
	}
	return 0, errContended
}

// give returns one request that take allowed, when a later limit refused
// the request after all, so that the refused request changes nothing.
func (l *limiter) give(ctx context.Context, key string, r config.Rate) error {
	st := l.rateState(key)
	st.mu.Lock()
	defer st.mu.Unlock()
	for attempt := range maxAttempts {
		if st.rev == 0 {
			return nil // expired meanwhile: nothing left to give back
		}
		now := l.now().UnixNano()
		next := st.tat - int64(r.Interval())
		rev, err := l.write(ctx, key, next, st.rev, time.Duration(next-now))
		if err == nil {
			st.tat, st.rev = next, rev
			st.gone = now + int64(ttlFor(time.Duration(next-now))+expirySlack)
			return nil
		}
		if !conflict(err) {
			return err
		}
		backoff(ctx, attempt)
		if err := l.loadRate(ctx, key, st); err != nil {
			return err
		}
	}
	return errContended
}

// loadRate reads key into st.
func (l *limiter) loadRate(ctx context.Context, key string, st *rateState) error {
	v, rev, err := l.read(ctx, key)
	if err != nil {
		return err
	}
	st.tat, st.rev, st.gone = v, rev, 0
	return nil
}

// read returns a key's number and revision; 0 and 0 for a key that does
// not exist, has expired or holds no number (which the next write
// replaces).
func (l *limiter) read(ctx context.Context, key string) (int64, uint64, error) {
	e, err := l.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	v, err := strconv.ParseInt(string(e.Value()), 10, 64)
	if err != nil {
		v = 0
	}
	return v, e.Revision(), nil
}

// write stores a number under key if the key's last revision is rev (0:
// if it has no value), with a TTL of life rounded up to whole seconds,
// and returns the new revision. The KV API's Update would drop the TTL,
// so a key with a value is written by publishing on its subject.
func (l *limiter) write(ctx context.Context, key string, v int64, rev uint64,
	life time.Duration) (uint64, error) {
	raw := strconv.AppendInt(make([]byte, 0, 20), v, 10)
	ttl := ttlFor(life)
	if rev == 0 {
		return l.kv.Create(ctx, key, raw, jetstream.KeyTTL(ttl))
	}
	ack, err := l.js.Publish(ctx, l.subject+key, raw, jetstream.WithMsgTTL(ttl),
		jetstream.WithExpectLastSequencePerSubject(rev))
	if err != nil {
		return 0, err
	}
	return ack.Sequence, nil
}

// conflict reports whether a conditional write failed because the key
// moved on since it was read.
func conflict(err error) bool {
	return errors.Is(err, jetstream.ErrKeyExists) || wrongRevision(err)
}
