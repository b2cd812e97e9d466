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
// A session read from the bucket is remembered for sessionCacheTTL, so a
// conversation costs one read a second rather than one a message. Every
// edge watches the bucket and forgets a session the moment any edge ends
// it; while that watch is down, nothing is remembered.
type sessions struct {
	kv   jetstream.KeyValue
	js   jetstream.JetStream
	idle time.Duration
	mu   sync.Mutex
	// touched remembers when this edge last renewed each session, so a
	// busy session renews at most every idle/10.
	touched map[string]time.Time
	// cache holds sessions read lately, while watching is true.
	cache    map[string]cachedSession
	watching atomic.Bool
}

// sessionCacheTTL is how long an edge trusts a session it read, or a
// tenth of the idle timeout if that is shorter. An
// ended session is forgotten at once through the watch; this bounds only
// what a lost deletion notice could let through.
const sessionCacheTTL = time.Second

type cachedSession struct {
	rec   sessionRecord
	until time.Time
}

func newSessions(kv jetstream.KeyValue, js jetstream.JetStream, idle time.Duration) *sessions {
	return &sessions{kv: kv, js: js, idle: idle,
		touched: map[string]time.Time{}, cache: map[string]cachedSession{}}
}

func (s *sessions) remember(id string, rec sessionRecord, now time.Time) {
	if !s.watching.Load() {
		return
	}
	s.mu.Lock()
	s.cache[id] = cachedSession{rec: rec, until: now.Add(min(sessionCacheTTL, s.idle/10))}
	s.mu.Unlock()
}

func (s *sessions) forget(id string) {
	s.mu.Lock()
	delete(s.cache, id)
	s.mu.Unlock()
}

// watch follows deletions and purges in the bucket, whichever edge made
// them, and evicts those sessions from the cache, until ctx ends. If the
// watch cannot be set up or stops, the cache is emptied and unused until
// the watch is back.
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
		s.mu.Lock()
		clear(s.cache)
		s.mu.Unlock()
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
	raw, _ := json.Marshal(sessionRecord{
		Clinic: g.Clinic, Origin: origin, Created: g.Issued.Unix(),
	})
	_, err := s.kv.Create(ctx, g.SessionID, raw, jetstream.KeyTTL(s.idle))
	if err != nil {
		return fmt.Errorf("storing session: %w", err)
	}
	now := time.Now()
	s.mu.Lock()
	s.touched[g.SessionID] = now
	s.mu.Unlock()
	s.remember(g.SessionID, sessionRecord{Clinic: g.Clinic, Origin: origin,
		Created: g.Issued.Unix()}, now)
	return nil
}

var errNoSession = errors.New("session not found")

// lookup returns a live session's record and renews its idle TTL when
// due.
func (s *sessions) lookup(ctx context.Context, id string) (sessionRecord, error) {
	now := time.Now()
	s.mu.Lock()
	c, ok := s.cache[id]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.rec, s.renew(ctx, id, c.rec)
	}
	var rec sessionRecord
	e, err := s.kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return rec, errNoSession
	}
	if err != nil {
		return rec, fmt.Errorf("reading session: %w", err)
	}
	if err := json.Unmarshal(e.Value(), &rec); err != nil {
		return rec, fmt.Errorf("decoding session: %w", err)
	}
	s.remember(id, rec, now)
	return rec, s.renew(ctx, id, rec)
}

func (s *sessions) renew(ctx context.Context, id string, rec sessionRecord) error {
	now := time.Now()
	s.mu.Lock()
	due := now.Sub(s.touched[id]) >= s.idle/10
	if due {
		s.touched[id] = now
	}
	s.mu.Unlock()
	if !due {
		return nil
	}
	// A put with a message TTL renews the key's idle expiry. Put in the
	// KV API would drop the TTL, so publish on the key's subject.
	raw, _ := json.Marshal(rec)
	_, err := s.js.Publish(ctx, "$KV."+bucketName(s.kv)+"."+id, raw,
		jetstream.WithMsgTTL(s.idle))
	if err != nil {
		return fmt.Errorf("renewing session: %w", err)
	}
	return nil
}

func (s *sessions) end(ctx context.Context, id string) error {
	s.mu.Lock()
	delete(s.touched, id)
	delete(s.cache, id)
	s.mu.Unlock()
	if err := s.kv.Purge(ctx, id); err != nil {
		return fmt.Errorf("ending session: %w", err)
	}
	return nil
}

// sweep forgets renewal times older than the idle timeout and lapsed
// cache entries, every idle/2 or 30 s if sooner, until ctx ends.
func (s *sessions) sweep(ctx context.Context) {
	t := time.NewTicker(min(s.idle/2, 30*time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			s.mu.Lock()
			for id, at := range s.touched {
				if now.Sub(at) > s.idle {
					delete(s.touched, id)
				}
			}
			for id, c := range s.cache {
				if now.After(c.until) {
					delete(s.cache, id)
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
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if auth == "" {
		return Grant{}, nil, errMissingToken
	}
	if !ok {
		return Grant{}, nil, errInvalidToken
	}
	g, err := s.signer.Verify(token, time.Now())
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
