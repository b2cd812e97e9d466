package edge

import (
	"bytes"
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// Limits bound what one session, one client address and one clinic may
// ask of all the edges together. Zero fields take the defaults of the
// config package.
type Limits struct {
	// SessionChats bounds the chats of one session; default
	// config.DefaultSessionRate.
	SessionChats config.Rate
	// AddressChats bounds the chats from one client address; default
	// config.DefaultAddressRate.
	AddressChats config.Rate
	// AddressSessions bounds the sessions opened from one client address;
	// default config.DefaultAddressSessionRate.
	AddressSessions config.Rate
	// DailyChats is the daily chat budget of a clinic whose configuration
	// sets none; default config.DefaultDailyChats.
	DailyChats int
}

// DefaultLimits returns the limits an edge has when its Config sets
// none.
func DefaultLimits() Limits {
	var l Limits
	l.defaults()
	return l
}

func (l *Limits) defaults() {
	for _, r := range []struct {
		rate *config.Rate
		def  config.Rate
	}{
		{&l.SessionChats, config.DefaultSessionRate},
		{&l.AddressChats, config.DefaultAddressRate},
		{&l.AddressSessions, config.DefaultAddressSessionRate},
	} {
		if r.rate.IsZero() {
			*r.rate = r.def
		}
	}
	if l.DailyChats == 0 {
		l.DailyChats = config.DefaultDailyChats
	}
}

func (l Limits) validate() error {
	var errs []error
	for _, r := range []config.Rate{l.SessionChats, l.AddressChats, l.AddressSessions} {
		if err := r.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("limit %s: %w", r, err))
		}
	}
	if l.DailyChats < 1 || l.DailyChats > config.MaxDailyChats {
		errs = append(errs, fmt.Errorf("daily chats %d: want 1 to %d",
			l.DailyChats, config.MaxDailyChats))
	}
	return errors.Join(errs...)
}

// limitTimeout bounds the limiter's round trips for one request.
const limitTimeout = 2 * time.Second

// limiter keeps the limits in the JetStream KV bucket "limits" (memory
// storage, a TTL per key), shared by every edge: a rate key per session
// and per hashed client address, and a daily count per clinic.
type limiter struct {
	kv      jetstream.KeyValue
	js      jetstream.JetStream
	subject string
	lim     Limits
	addrKey atomic.Pointer[[]byte]
	proxies []netip.Prefix
	log     *slog.Logger
	now     func() time.Time

	rates    sync.Map // key -> *rateState
	budgetMu sync.Mutex
	budgets  map[string]*budgetState // by clinic id
}

func newLimiter(ctx context.Context, js jetstream.JetStream, cfg Config,
	log *slog.Logger) (*limiter, error) {
	if err := cfg.Limits.validate(); err != nil {
		return nil, err
	}
	if err := checkAddressKey(cfg.AddressKey, cfg.SigningKeys); err != nil {
		return nil, err
	}
	kv, err := js.KeyValue(ctx, embedded.BucketLimits)
	if err != nil {
		return nil, fmt.Errorf("binding limits bucket: %w", err)
	}
	l := &limiter{kv: kv, js: js, subject: "$KV." + kv.Bucket() + ".",
		lim: cfg.Limits, proxies: cfg.TrustedProxies,
		log: log, now: time.Now, budgets: map[string]*budgetState{}}
	l.setAddressKey(cfg.AddressKey)
	return l, nil
}

// minAddressKey is the shortest address key accepted, in bytes.
const minAddressKey = 32

// checkAddressKey checks the key of the client address hashes: at least
// 32 bytes, and none of the signing keys, so that a signing key leaked
// through one does not give away the other. Errors never show a key.
func checkAddressKey(key []byte, signing Keys) error {
	if len(key) < minAddressKey {
		return fmt.Errorf("address key must be at least %d bytes", minAddressKey)
	}
	for _, k := range signing.All() {
		if hmac.Equal(key, k.Key) {
			return errors.New("address key must not be a session signing key")
		}
	}
	return nil
}

// setAddressKey makes a copy of key the one addresses are hashed with.
func (l *limiter) setAddressKey(key []byte) {
	k := append([]byte(nil), key...)
	l.addrKey.Store(&k)
}

// hashAddr returns the limits key of the request's client address.
func (l *limiter) hashAddr(r *http.Request) string {
	return addressHash(*l.addrKey.Load(), clientAddr(r, l.proxies))
}

// SetAddressKey replaces the key that hashes client addresses, as a
// rotation of the address key does. Every edge must use the same key:
// while they differ, an address counts separately on each.
func (s *Server) SetAddressKey(key []byte) error {
	if err := checkAddressKey(key, *s.signer.keys.Load()); err != nil {
		return err
	}
	s.limits.setAddressKey(key)
	return nil
}

// run gives back idle leases and forgets passed rate keys every second
// until ctx ends, and then gives back every lease.
func (l *limiter) run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
			l.releaseIdle(sctx, l.now(), true)
			cancel()
			return
		case now := <-t.C:
			l.releaseIdle(ctx, now, false)
			l.forgetPassed(now)
		}
	}
}

// forgetPassed forgets the rate keys whose bucket is full again, which
// the bucket expires too.
func (l *limiter) forgetPassed(now time.Time) {
	l.rates.Range(func(k, v any) bool {
		st := v.(*rateState)
		if st.mu.TryLock() {
			if st.tat <= now.UnixNano() {
				l.rates.Delete(k)
			}
			st.mu.Unlock()
		}
		return true
	})
}

// admitSession spends one session opening of the request's address.
func (l *limiter) admitSession(r *http.Request) *apiError {
	ctx, cancel := context.WithTimeout(r.Context(), limitTimeout)
	defer cancel()
	key := "open." + l.hashAddr(r)
	if wait := l.peek(key, l.lim.AddressSessions, l.now().UnixNano()); wait > 0 {
		return rateLimited(wait)
	}
	wait, err := l.take(ctx, key, l.lim.AddressSessions)
	return l.refusal(r, wait, err)
}

// admitChat spends one request of the address's and the session's rate
// and one chat of the clinic's daily budget, or none of them: a request
// refused by one limit gives back what the others had spent. Refusals
// this edge can tell from what it knows cost no round trip. It returns
// the budget to refund the chat to if it never reaches the pipeline.
func (l *limiter) admitChat(r *http.Request, g Grant,
	c *config.Clinic) (*budgetState, *apiError) {
	ctx, cancel := context.WithTimeout(r.Context(), limitTimeout)
	defer cancel()
	addr := "chat." + l.hashAddr(r)
	sess := "session." + g.SessionID
	now := l.now()
	if wait := max(l.peek(addr, l.lim.AddressChats, now.UnixNano()),
		l.peek(sess, l.lim.SessionChats, now.UnixNano())); wait > 0 {
		return nil, rateLimited(wait)
	}
	if wait := l.peekBudget(c, now); wait > 0 {
		return nil, budgetExhausted(wait)
	}
	if e := l.takeBoth(ctx, r, addr, sess); e != nil {
		return nil, e
	}
	b, wait, err := l.charge(ctx, c, now)
	if err != nil || wait > 0 {
		l.giveBack(ctx, sess, l.lim.SessionChats)
		l.giveBack(ctx, addr, l.lim.AddressChats)
	}
	if wait > 0 {
		return nil, budgetExhausted(wait)
	}
	return b, l.refusal(r, 0, err)
}

// takeBoth takes one request of the address's and of the session's rate
// at once, one round trip in time for the two, or gives back the one
// that passed if the other refuses.
func (l *limiter) takeBoth(ctx context.Context, r *http.Request, addr, sess string) *apiError {
	var sessWait time.Duration
	var sessErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		sessWait, sessErr = l.take(ctx, sess, l.lim.SessionChats)
	}()
	addrWait, addrErr := l.take(ctx, addr, l.lim.AddressChats)
	<-done
	addrOK, sessOK := addrErr == nil && addrWait == 0, sessErr == nil && sessWait == 0
	switch {
	case addrOK && sessOK:
		return nil
	case addrOK:
		l.giveBack(ctx, addr, l.lim.AddressChats)
	case sessOK:
		l.giveBack(ctx, sess, l.lim.SessionChats)
	}
	return l.refusal(r, max(addrWait, sessWait), errors.Join(addrErr, sessErr))
}

// giveBack gives back one request of key's rate, logging a failure: the
// refused request then counts against the rate after all.
func (l *limiter) giveBack(ctx context.Context, key string, r config.Rate) {
	if err := l.give(ctx, key, r); err != nil {
		l.log.Warn("limit_give_back_failed", "request_id", requestID(ctx), "error", err)
	}
}

// refusal maps a limiter's decision to the error shown: none, over the
// limit, or unavailable if the limits could not be checked.
func (l *limiter) refusal(r *http.Request, wait time.Duration, err error) *apiError {
	if err != nil {
		if !errors.Is(err, nats.ErrConnectionClosed) {
			l.log.Error("limits_unavailable", "request_id", requestID(r.Context()),
				"error", err)
		}
		return errUnavailable
	}
	if wait > 0 {
		return rateLimited(wait)
	}
	return nil
}

// limitSessions guards POST /v1/sessions: a request for a paused clinic
// is refused, and one from an address over its rate of new sessions,
// before anything reaches NATS. A request that the handler refuses
// anyway for its body, clinic or origin passes untouched, at no cost.
func (s *Server) limitSessions(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		clinic, e := s.peekClinic(w, r)
		switch {
		case e != nil:
			writeError(w, r, e)
		case clinic == nil:
			next(w, r)
		case clinic.Paused:
			writeError(w, r, errClinicPaused)
		default:
			if e := s.limits.admitSession(r); e != nil {
				writeError(w, r, e)
				return
			}
			next(w, r)
		}
	}
}

// limitChats guards POST /v1/chat: a chat for a paused clinic is
// refused, and one over its session's or its address's rate or its
// clinic's daily budget, before anything reaches NATS. A chat that the
// handler is bound to refuse, for its session or its body, passes to it
// untouched, at no cost; one it refuses anyway (4xx) gets its share of
// the budget back.
func (s *Server) limitChats(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g, clinic, ok := s.peekGrant(r)
		if !ok {
			next(w, r) // refused by the handler, without NATS
			return
		}
		// The signature holds: a refusal below is reported to the
		// token's clinic.
		setClinic(r, g.Clinic)
		if clinic.Paused {
			writeError(w, r, errClinicPaused)
			return
		}
		switch refused, e := s.chatRefused(w, r, g); {
		case e != nil:
			writeError(w, r, e)
			return
		case refused:
			next(w, r) // refused by the handler, at no cost
			return
		}
		if up, _ := s.pipe.state(); !up {
			// Nothing could answer: refused before it costs a limit.
			writeError(w, r, errUnavailable)
			return
		}
		b, e := s.limits.admitChat(r, g, clinic)
		if e != nil {
			writeError(w, r, e)
			return
		}
		next(w, r)
		if st := statusOf(r); st >= 400 && st < 500 {
			s.limits.refund(b)
		}
	}
}

// refusePaused guards DELETE /v1/sessions/current: a paused clinic's
// sessions are left to expire, since nothing of it may reach NATS.
func (s *Server) refusePaused(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, clinic, ok := s.peekGrant(r); ok && clinic.Paused {
			writeError(w, r, errClinicPaused)
			return
		}
		next(w, r)
	}
}

// peekGrant checks a request's token and origin as authenticate will,
// but without the session's record: the grant and clinic, or false.
func (s *Server) peekGrant(r *http.Request) (Grant, *config.Clinic, bool) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return Grant{}, nil, false
	}
	g, err := s.signer.Verify(token, time.Now())
	if err != nil {
		return Grant{}, nil, false
	}
	c, ok := s.clinics.Get(g.Clinic)
	if !ok || !c.AllowsOrigin(r.Header.Get("Origin")) {
		return Grant{}, nil, false
	}
	return g, c, true
}

// peekClinic reads a session request's body ahead of its handler and puts
// it back for it. It returns the clinic asked for if the body is valid,
// the clinic known and the origin one of the clinic's; nil otherwise, for
// the handler to refuse. A body that cannot be read is refused here with
// the handler's own error.
func (s *Server) peekClinic(w http.ResponseWriter,
	r *http.Request) (*config.Clinic, *apiError) {
	if checkMediaType(r.Header) != nil || r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, nil
	}
	body, e := readBody(w, r, s.cfg.MaxBodyBytes)
	if e != nil {
		return nil, e
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var req sessionRequest
	if !utf8.Valid(body) || schemas.DecodeStrict(body, &req) != nil ||
		!config.ValidClinicID(req.Clinic) {
		return nil, nil
	}
	c, ok := s.clinics.Get(req.Clinic)
	if !ok || !c.AllowsOrigin(r.Header.Get("Origin")) {
		return nil, nil
	}
	return c, nil
}

// statusOf returns the status the request was answered with, 0 if
// unknown.
func statusOf(r *http.Request) int {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return ri.rec.status
	}
	return 0
}
