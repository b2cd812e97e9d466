package edge

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
)

// budgetState is what this edge knows of one clinic's daily chat budget.
//
// The shared count, key "budget.<clinic>.<day>" of the "limits" bucket,
// is the number of chats every edge together has reserved that day. A
// clinic's chats all touch that one key, so an edge does not write it
// per chat: it reserves a lease of up to maxLease chats with one
// conditional write and spends them locally. A lease is at most a
// sixteenth of what remains, so near the end leases are of one chat and
// the count never passes the budget: there is no overshoot. What an edge
// holds and does not spend within leaseIdle goes back to the count, so
// the only chats a clinic can lose are those an edge held when it
// crashed, at most maxLease per edge and day.
type budgetState struct {
	mu sync.Mutex
	// key is the count's key, which names the clinic and its local day.
	key string
	// renews is the clinic's next local midnight, when a new day's count
	// starts.
	renews time.Time

	// used and rev are the shared count and its revision as last seen.
	used int64
	rev  uint64
	// held is what this edge reserved and has not spent; budget is the
	// clinic's budget when it was reserved.
	held   int64
	budget int64
	// lastUse is when this edge last spent a chat of the lease.
	lastUse time.Time
	// exhaustedAt is when this edge last read the count and found the
	// budget spent; it reads it again at most once a second after that.
	exhaustedAt time.Time
}

const (
	// maxLease is the most chats an edge reserves at once.
	maxLease = 16
	// leaseIdle is how long a lease may go unspent before what is left
	// of it is given back.
	leaseIdle = 2 * time.Second
	// exhaustedRecheck is how long a spent budget is believed without
	// reading the count again.
	exhaustedRecheck = time.Second
)

// charge spends one chat of the clinic's budget for today: the budget
// state to refund it to, or, if the budget is spent, how long until it
// renews at the clinic's midnight.
func (l *limiter) charge(ctx context.Context, c *config.Clinic,
	now time.Time) (*budgetState, time.Duration, error) {
	b := l.budgetFor(c, now)
	b.mu.Lock()
	defer b.mu.Unlock()
	budget := int64(c.ChatBudget(l.lim.DailyChats))
	if b.held > 0 && budget < b.budget {
		// The budget was lowered: what is held may no longer be there.
		if err := l.release(ctx, b, now); err != nil {
			return nil, 0, err
		}
	}
	if b.held == 0 {
		if err := l.reserve(ctx, b, budget, now); err != nil {
			return nil, 0, err
		}
		if b.held == 0 {
			return nil, b.renews.Sub(now), nil
		}
	}
	b.held--
	b.lastUse = now
	return b, 0, nil
}

// peekBudget returns how long until the clinic's budget renews if this
// edge knows it spent and holds none of it, without a round trip; 0
// otherwise.
func (l *limiter) peekBudget(c *config.Clinic, now time.Time) time.Duration {
	b := l.budgetFor(c, now)
	if !b.mu.TryLock() {
		return 0 // a reservation is under way; charge will tell
	}
	defer b.mu.Unlock()
	if b.held > 0 || b.used < int64(c.ChatBudget(l.lim.DailyChats)) ||
		now.Sub(b.exhaustedAt) >= exhaustedRecheck {
		return 0
	}
	return b.renews.Sub(now)
}

// refund gives back a chat that charge spent, for a request that never
// reached the pipeline.
func (l *limiter) refund(b *budgetState) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.held++
	b.mu.Unlock()
}

// budgetFor returns the state of the clinic's budget for its local day
// at now, starting a new one when the day changed.
func (l *limiter) budgetFor(c *config.Clinic, now time.Time) *budgetState {
	l.budgetMu.Lock()
	defer l.budgetMu.Unlock()
	local := now.In(c.Location())
	day := local.Format("2006-01-02")
	key := "budget." + c.ID + "." + day
	if b := l.budgets[c.ID]; b != nil && b.key == key {
		return b
	}
	y, m, d := local.Date()
	b := &budgetState{key: key,
		renews: time.Date(y, m, d+1, 0, 0, 0, 0, local.Location())}
	l.budgets[c.ID] = b
	return b
}

// reserve leases chats from the shared count, none if the budget is
// spent. The count's TTL outlives the day by an hour.
func (l *limiter) reserve(ctx context.Context, b *budgetState, budget int64,
	now time.Time) error {
	if b.used >= budget {
		if now.Sub(b.exhaustedAt) < exhaustedRecheck {
			return nil
		}
		// Spent when last seen: leases may have come back since.
		var err error
		if b.used, b.rev, err = l.read(ctx, b.key); err != nil {
			return err
		}
	}
	for attempt := range maxAttempts {
		remaining := budget - b.used
		if remaining <= 0 {
			b.exhaustedAt = now
			return nil
		}
		n := min(max(remaining/16, 1), maxLease)
		rev, err := l.write(ctx, b.key, b.used+n, b.rev, b.renews.Sub(now)+time.Hour)
		if err == nil {
			b.used, b.rev, b.held, b.budget = b.used+n, rev, n, budget
			return nil
		}
		if !conflict(err) {
			return err
		}
		backoff(ctx, attempt)
		if b.used, b.rev, err = l.read(ctx, b.key); err != nil {
			return err
		}
	}
	return errContended
}

// release gives back to the shared count what this edge holds.
func (l *limiter) release(ctx context.Context, b *budgetState, now time.Time) error {
	for attempt := range maxAttempts {
		if b.held == 0 || b.rev == 0 {
			b.held = 0 // nothing held, or the count expired with the day
			return nil
		}
		next := max(b.used-b.held, 0)
		rev, err := l.write(ctx, b.key, next, b.rev, b.renews.Sub(now)+time.Hour)
		if err == nil {
			b.used, b.rev, b.held = next, rev, 0
			return nil
		}
		if !conflict(err) {
			return err
		}
		backoff(ctx, attempt)
		if b.used, b.rev, err = l.read(ctx, b.key); err != nil {
			return err
		}
	}
	return errContended
}

// releaseIdle gives back the leases unspent for leaseIdle, and forgets
// the budgets of days that are over, or all of them when all is set
// (when the edge stops). A budget in use by a request is left alone.
func (l *limiter) releaseIdle(ctx context.Context, now time.Time, all bool) {
	l.budgetMu.Lock()
	states := make(map[string]*budgetState, len(l.budgets))
	for id, b := range l.budgets {
		if !now.Before(b.renews) {
			delete(l.budgets, id)
		}
		states[id] = b
	}
	l.budgetMu.Unlock()
	for id, b := range states {
		if !b.mu.TryLock() {
			continue
		}
		if b.held > 0 && (all || now.Sub(b.lastUse) >= leaseIdle) {
			err := l.release(ctx, b, now)
			if err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
				l.log.Warn("budget_release_failed", "clinic", id, "error", err)
			}
		}
		b.mu.Unlock()
	}
}
