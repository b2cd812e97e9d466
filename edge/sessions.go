package edge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
)

// sessionRecord is a session's metadata in the "sessions" bucket. It
// holds no chat content.
type sessionRecord struct {
	Clinic  string `json:"clinic"`
	Origin  string `json:"origin"`
	Created int64  `json:"created"`
}

// sessions keeps session metadata in JetStream KV: memory storage, each
// key with an idle TTL that a chat renews, and the token's own expiry as
// the hard limit.
//
// A session read from the bucket is trusted for sessionCacheTTL, so a
// conversation costs one read a second rather than one a message. Every
// edge watches the bucket and forgets a session the moment any edge ends
// it; while that watch is down, nothing is trusted without a read.
//
// A renewal is a write conditional on the key's last revision, so it can
// never bring back a session that another edge ended or that expired in
// the meantime: such a write fails, the key is read again, and a missing
// key ends the request as an expired session.
type sessions struct {
	kv       jetstream.KeyValue
	js       jetstream.JetStream
	idle     time.Duration
	mu       sync.Mutex
	known    map[string]*sessionState
	watching atomic.Bool
}

// sessionState is what this edge knows of one session.
type sessionState struct {
	rec sessionRecord
	// rev is the key's last revision as this edge saw it.
	rev uint64
	// renewed is when this edge last renewed the key's idle TTL; a busy
	// session renews at most every idle/10.
	renewed time.Time
	// trustedUntil is when rec must be read again; zero while the bucket
	// is not watched.
	trustedUntil time.Time
}

// sessionCacheTTL is how long an edge trusts a session it read, or a
// tenth of the idle timeout if that is shorter. An ended session is
// forgotten at once through the watch; this bounds only what a lost
// deletion notice could let through.
const sessionCacheTTL = time.Second

func newSessions(kv jetstream.KeyValue, js jetstream.JetStream, idle time.Duration) *sessions {
	return &sessions{kv: kv, js: js, idle: idle, known: map[string]*sessionState{}}
}

// learn records what a read or a write of the key showed.
func (s *sessions) learn(id string, rec sessionRecord, rev uint64, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.known[id]
	if st == nil {
		st = &sessionState{}
		s.known[id] = st
	}
	st.rec, st.rev = rec, rev
	st.trustedUntil = time.Time{}
	if s.watching.Load() {
		st.trustedUntil = now.Add(min(sessionCacheTTL, s.idle/10))
	}
}

func (s *sessions) forget(id string) {
	s.mu.Lock()
	delete(s.known, id)
	s.mu.Unlock()
}

// distrustAll makes every session be read again before it is used.
func (s *sessions) distrustAll() {
	s.mu.Lock()
	for _, st := range s.known {
		st.trustedUntil = time.Time{}
	}
	s.mu.Unlock()
}

// watch follows deletions and purges in the bucket, whichever edge made
// them, and forgets those sessions, until ctx ends. If the watch cannot
// be set up or stops, nothing is trusted until the watch is back.
func (s *sessions) watch(ctx context.Context, log *slog.Logger) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		w, err := s.kv.WatchAll(ctx, jetstream.UpdatesOnly(), jetstream.MetaOnly())
		if err == nil {
			s.watching.Store(true)
			backoff = 100 * time.Millisecond
			for e := range w.Updates() {
				if e != nil && e.Operation() != jetstream.KeyValuePut {
					s.forget(e.Key())
				}
			}
			_ = w.Stop()
		}
		s.watching.Store(false)
		s.distrustAll()
		if ctx.Err() != nil {
			return
		}
		log.Warn("session_watch_lost", "error", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (s *sessions) create(ctx context.Context, g Grant, origin string) error {
	rec := sessionRecord{Clinic: g.Clinic, Origin: origin, Created: g.Issued.Unix()}
	raw, _ := json.Marshal(rec)
	rev, err := s.kv.Create(ctx, g.SessionID, raw, jetstream.KeyTTL(s.idle))
	if err != nil {
		return fmt.Errorf("storing session: %w", err)
	}
	now := time.Now()
	s.learn(g.SessionID, rec, rev, now)
	s.mu.Lock()
	s.known[g.SessionID].renewed = now
	s.mu.Unlock()
	return nil
}

var errNoSession = errors.New("session not found")

// lookup returns a live session's record and renews its idle TTL when
// due.
func (s *sessions) lookup(ctx context.Context, id string) (sessionRecord, error) {
	now := time.Now()
	rec, err := s.check(ctx, id, now)
	if err != nil {
		return rec, err
	}
	return rec, s.renew(ctx, id, now)
}

// check returns a live session's record, as this edge may still trust it
// or as the bucket has it, without renewing it.
func (s *sessions) check(ctx context.Context, id string, now time.Time) (sessionRecord, error) {
	s.mu.Lock()
	st, ok := s.known[id]
	var rec sessionRecord
	if ok && now.Before(st.trustedUntil) {
		rec = st.rec
	} else {
		ok = false
	}
	s.mu.Unlock()
	if ok {
		return rec, nil
	}
	return s.read(ctx, id, now)
}

// read fetches a session from the bucket and records it.
func (s *sessions) read(ctx context.Context, id string, now time.Time) (sessionRecord, error) {
	var rec sessionRecord
	e, err := s.kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		s.forget(id)
		return rec, errNoSession
	}
	if err != nil {
		return rec, fmt.Errorf("reading session: %w", err)
	}
	if err := json.Unmarshal(e.Value(), &rec); err != nil {
		return rec, fmt.Errorf("decoding session: %w", err)
	}
	s.learn(id, rec, e.Revision(), now)
	return rec, nil
}

// renew extends the session's idle TTL if this edge has not done so in
// the last tenth of it. The write expects the revision this edge last
// saw; if the key moved on (another edge renewed, ended or expired it),
// the key is read again and the renewal retried once.
func (s *sessions) renew(ctx context.Context, id string, now time.Time) error {
	s.mu.Lock()
	st := s.known[id]
	if st == nil || now.Sub(st.renewed) < s.idle/10 {
		s.mu.Unlock()
		return nil
	}
	st.renewed = now
	rec, rev := st.rec, st.rev
	s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		newRev, err := s.renewAt(ctx, id, rec, rev)
		if err == nil {
			s.learn(id, rec, newRev, now)
			return nil
		}
		if !wrongRevision(err) || attempt == 1 {
			return fmt.Errorf("renewing session: %w", err)
		}
		if rec, err = s.read(ctx, id, now); err != nil {
			return err
		}
		s.mu.Lock()
		if st := s.known[id]; st != nil {
			rev = st.rev
		}
		s.mu.Unlock()
	}
}

// renewAt rewrites the key with a fresh message TTL, only if its last
// revision is rev. Put in the KV API would drop the TTL, so it publishes
// on the key's subject.
func (s *sessions) renewAt(ctx context.Context, id string, rec sessionRecord,
	rev uint64) (uint64, error) {
	raw, _ := json.Marshal(rec)
	ack, err := s.js.Publish(ctx, "$KV."+bucketName(s.kv)+"."+id, raw,
		jetstream.WithMsgTTL(s.idle), jetstream.WithExpectLastSequencePerSubject(rev))
	if err != nil {
		return 0, err
	}
	return ack.Sequence, nil
}

// wrongRevision reports whether err is JetStream refusing a write because
// the subject's last sequence was not the expected one (10071, or 10164
// on replicated streams).
func wrongRevision(err error) bool {
	var api *jetstream.APIError
	if !errors.As(err, &api) {
		return false
	}
	return api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant
}

func (s *sessions) end(ctx context.Context, id string) error {
	s.forget(id)
	if err := s.kv.Purge(ctx, id); err != nil {
		return fmt.Errorf("ending session: %w", err)
	}
	return nil
}

// sweep forgets, every idle/2 or 30 s if sooner, the sessions this edge
// has neither renewed within the idle timeout nor may still trust, until
// ctx ends.
func (s *sessions) sweep(ctx context.Context) {
	t := time.NewTicker(min(s.idle/2, 30*time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.mu.Lock()
			for id, st := range s.known {
				if now.Sub(st.renewed) > s.idle && now.After(st.trustedUntil) {
					delete(s.known, id)
				}
			}
			s.mu.Unlock()
		}
	}
}

func bucketName(kv jetstream.KeyValue) string { return kv.Bucket() }

type sessionRequest struct {
	Clinic string `json:"clinic"`
}

type sessionResponse struct {
	Token     string        `json:"token"`
	ExpiresAt time.Time     `json:"expires_at"`
	Clinic    clinicSummary `json:"clinic"`
}

type clinicSummary struct {
	Name      string   `json:"name"`
	Languages []string `json:"languages"`
	Greeting  string   `json:"greeting"`
}

// createSession handles POST /v1/sessions.
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var req sessionRequest
	if e := readJSON(w, r, s.cfg.MaxBodyBytes, &req); e != nil {
		writeError(w, r, e)
		return
	}
	if !config.ValidClinicID(req.Clinic) {
		writeError(w, r, errClinicID)
		return
	}
	clinic, ok := s.clinics.Get(req.Clinic)
	if !ok {
		writeError(w, r, errUnknownClinic)
		return
	}
	setClinic(r, clinic.ID)
	origin := r.Header.Get("Origin")
	if e := checkOrigin(clinic, origin); e != nil {
		writeError(w, r, e)
		return
	}
	token, g := s.signer.Issue(clinic.ID, time.Now(), s.cfg.SessionMaxLifetime)
	if err := s.sessions.create(r.Context(), g, origin); err != nil {
		s.log.Error("session_create_failed", "request_id", requestID(r.Context()),
			"error", err)
		writeError(w, r, errUnavailable)
		return
	}
	lang := clinic.Language("")
	writeJSON(w, http.StatusCreated, sessionResponse{
		Token:     token,
		ExpiresAt: g.Expires.UTC(),
		Clinic: clinicSummary{Name: clinic.Name, Languages: clinic.Languages,
			Greeting: clinic.Greeting.In(lang)},
	})
}

func checkOrigin(c *config.Clinic, origin string) *apiError {
	if origin == "" {
		return errOriginRequired
	}
	if !c.AllowsOrigin(origin) {
		return errOrigin
	}
	return nil
}

// authenticate checks the bearer token, the live session behind it and
// the request's origin, and returns the session's grant and clinic.
func (s *Server) authenticate(r *http.Request) (Grant, *config.Clinic, *apiError) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return Grant{}, nil, errMissingToken
	}
	token, ok := bearerToken(auth)
	if !ok {
		return Grant{}, nil, errInvalidToken
	}
	g, err := s.signer.Verify(token, time.Now())
	if err == nil || errors.Is(err, ErrTokenExpired) {
		setClinic(r, g.Clinic) // the signature holds: the clinic is the token's
	}
	switch {
	case errors.Is(err, ErrTokenExpired):
		return g, nil, errExpired
	case err != nil:
		return g, nil, errInvalidToken
	}
	clinic, ok := s.clinics.Get(g.Clinic)
	if !ok {
		return g, nil, errInvalidToken
	}
	origin := r.Header.Get("Origin")
	if e := checkOrigin(clinic, origin); e != nil {
		return g, nil, e
	}
	rec, err := s.sessions.lookup(r.Context(), g.SessionID)
	if errors.Is(err, errNoSession) {
		return g, nil, errExpired
	}
	if err != nil {
		s.log.Error("session_lookup_failed", "request_id", requestID(r.Context()),
			"error", err)
		return g, nil, errUnavailable
	}
	if rec.Clinic != g.Clinic || rec.Origin != origin {
		return g, nil, errOrigin
	}
	return g, clinic, nil
}

// bearerToken returns the token of an Authorization header of the Bearer
// scheme, whose name is matched without regard to case (RFC 9110).
func bearerToken(auth string) (string, bool) {
	const scheme = "Bearer "
	if len(auth) <= len(scheme) || !strings.EqualFold(auth[:len(scheme)], scheme) {
		return "", false
	}
	return auth[len(scheme):], true
}

// endSession handles DELETE /v1/sessions/current.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	g, _, e := s.authenticate(r)
	if e != nil {
		writeError(w, r, e)
		return
	}
	if err := s.sessions.end(r.Context(), g.SessionID); err != nil {
		s.log.Error("session_end_failed", "request_id", requestID(r.Context()),
			"error", err)
		writeError(w, r, errUnavailable)
		return
	}
	setRecord(r, "ok")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
