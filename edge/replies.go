package edge

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nats-io/nats.go"
)

// replyBuffer holds the messages one request may have in flight: every
// chunk of a maximal answer plus its completion.
const replyBuffer = 66

// replies routes messages arriving on the edge's inboxes to the request
// waiting for them, over one wildcard subscription, so a request costs
// no subscription of its own.
type replies struct {
	prefix  string
	sub     *nats.Subscription
	next    atomic.Uint64
	dropped atomic.Uint64
	mu      sync.Mutex
	waiting map[string]chan *nats.Msg
}

func newReplies(nc *nats.Conn) (*replies, error) {
	r := &replies{prefix: nc.NewInbox() + ".", waiting: map[string]chan *nats.Msg{}}
	sub, err := nc.Subscribe(r.prefix+"*", r.dispatch)
	if err != nil {
		return nil, err
	}
	if err := sub.SetPendingLimits(1<<20, 256<<20); err != nil {
		return nil, err
	}
	r.sub = sub
	return r, nil
}

// open reserves an inbox and returns its subject, the channel its
// messages arrive on and a func that releases it.
func (r *replies) open() (string, <-chan *nats.Msg, func()) {
	token := strconv.FormatUint(r.next.Add(1), 36)
	ch := make(chan *nats.Msg, replyBuffer)
	r.mu.Lock()
	r.waiting[token] = ch
	r.mu.Unlock()
	return r.prefix + token, ch, func() {
		r.mu.Lock()
		delete(r.waiting, token)
		r.mu.Unlock()
	}
}

func (r *replies) dispatch(msg *nats.Msg) {
	token, ok := strings.CutPrefix(msg.Subject, r.prefix)
	if !ok {
		return
	}
	r.mu.Lock()
	ch := r.waiting[token]
	r.mu.Unlock()
	if ch == nil {
		return // late reply to a request that has ended
	}
	select {
	case ch <- msg:
	default:
		r.dropped.Add(1)
	}
}
