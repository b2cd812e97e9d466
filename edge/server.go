// Package edge is the assistant's only public HTTP surface: sessions,
// chat (JSON or server-sent events), the widget and demo page, health.
// It validates every request and turns a chat message into a CloudEvent
// on the clinic's sanitise subject, with a reply inbox of its own.
package edge

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/widget"
)

// Config configures the edge.
type Config struct {
	// SessionIdle ends a session after this long without a message;
	// default 30 min.
	SessionIdle time.Duration
	// SessionMaxLifetime ends a session this long after it started,
	// whatever happens; default 4 h.
	SessionMaxLifetime time.Duration
	// AnswerTimeout bounds the wait for an answer; default 30 s.
	AnswerTimeout time.Duration
	// MaxBodyBytes caps a request body, in bytes; default 128 KiB.
	MaxBodyBytes int64
	// BodyReadTimeout bounds the time from the end of a request's
	// headers to the end of its body; default DefaultBodyReadTimeout.
	// It is lifted once the body is in, so it never cuts a streamed
	// answer.
	BodyReadTimeout time.Duration
	// WriteTimeout bounds each write of a response, not the whole
	// response: a client that stops reading for this long has its
	// request ended, its answer dropped; default DefaultWriteTimeout.
	WriteTimeout time.Duration
	// SigningKeys sign and verify session tokens: the current key signs,
	// previous keys verify until their grace ends; SetSigningKeys
	// replaces them when they rotate. Secret.
	SigningKeys Keys
	// Limits bound sessions, client addresses and clinics across every
	// edge; zero fields take their defaults.
	Limits Limits
	// AddressKey keys the hash of client addresses in the limits bucket,
	// the same on every edge; at least 32 bytes and none of the signing
	// keys, required; SetAddressKey replaces it. Secret.
	AddressKey []byte
	// TrustedProxies are the networks of the proxies in front of the
	// edge, whose X-Forwarded-For names the client; default none.
	TrustedProxies []netip.Prefix
	// HSTSMaxAge is the max-age of Strict-Transport-Security, sent over
	// HTTPS only; default one year.
	HSTSMaxAge time.Duration
	// PipelineCheck is how often the edge asks whether every stage has a
	// worker; default DefaultPipelineCheck.
	PipelineCheck time.Duration
}

func (c *Config) defaults() {
	if c.SessionIdle == 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.SessionMaxLifetime == 0 {
		c.SessionMaxLifetime = 4 * time.Hour
	}
	if c.AnswerTimeout == 0 {
		c.AnswerTimeout = 30 * time.Second
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 128 << 10
	}
	if c.BodyReadTimeout == 0 {
		c.BodyReadTimeout = DefaultBodyReadTimeout
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.HSTSMaxAge == 0 {
		c.HSTSMaxAge = 365 * 24 * time.Hour
	}
	if c.PipelineCheck == 0 {
		c.PipelineCheck = DefaultPipelineCheck
	}
	c.Limits.defaults()
}

// DefaultBodyReadTimeout is the default of Config.BodyReadTimeout: time
// enough for the largest body over a slow mobile link. "iglowly edge"
// takes it from --body-timeout or IGLOWLY_BODY_TIMEOUT.
const DefaultBodyReadTimeout = 10 * time.Second

// Timeouts of the edge's HTTP server. There is no server-wide
// ReadTimeout: it would also cancel answers that stream for longer, so a
// request body has a bound of its own, Config.BodyReadTimeout. Writing
// has a bound per write, Config.WriteTimeout, for the same reason.
const (
	// ReadHeaderTimeout bounds reading a request's headers.
	ReadHeaderTimeout = 5 * time.Second
	// IdleTimeout closes a kept-alive connection after this long without
	// a request.
	IdleTimeout = 2 * time.Minute
)

// NewHTTPServer returns the HTTP server that serves h at addr with the
// edge's timeouts, logging its own errors to log as warnings. Its
// WriteTimeout is the write bound of h if h is a Server or its
// MetricsHandler, else DefaultWriteTimeout: it bounds what net/http
// writes itself, such as the answer to a malformed request, while a
// Server bounds each of its own writes instead of the whole response.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	wt := DefaultWriteTimeout
	if b, ok := h.(writeBounded); ok {
		wt = b.writeTimeout()
	}
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		WriteTimeout:      wt,
		IdleTimeout:       IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// Server is the edge's HTTP handler.
type Server struct {
	ctx      context.Context
	cfg      Config
	nc       *nats.Conn
	log      *slog.Logger
	clinics  *config.ClinicStore
	signer   *Signer
	sessions *sessions
	replies  *replies
	metrics  *metrics
	limits   *limiter
	pipe     *pipeline
	hsts     string
	mux      *http.ServeMux
}

// New builds the edge on a NATS connection made as the edge's user,
// binding the sessions bucket. It runs until ctx ends.
func New(ctx context.Context, cfg Config, nc *nats.Conn, clinics *config.ClinicStore,
	log *slog.Logger) (*Server, error) {
	cfg.defaults()
	signer, err := NewSigner(cfg.SigningKeys)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("opening jetstream: %w", err)
	}
	kv, err := js.KeyValue(ctx, embedded.BucketSessions)
	if err != nil {
		return nil, fmt.Errorf("binding sessions bucket: %w", err)
	}
	lim, err := newLimiter(ctx, js, cfg, log)
	if err != nil {
		return nil, err
	}
	rep, err := newReplies(nc)
	if err != nil {
		return nil, fmt.Errorf("subscribing to reply inboxes: %w", err)
	}
	s := &Server{
		ctx: ctx, cfg: cfg, nc: nc, log: log, clinics: clinics, signer: signer,
		sessions: newSessions(kv, js, cfg.SessionIdle),
		replies:  rep,
		metrics:  newMetrics(),
		limits:   lim,
		pipe:     newPipeline(nc, log, cfg.PipelineCheck),
		hsts:     fmt.Sprintf("max-age=%d", int(cfg.HSTSMaxAge.Seconds())),
		mux:      http.NewServeMux(),
	}
	s.pipe.check()
	go s.pipe.run(ctx)
	go s.limits.run(ctx)
	go s.sessions.sweep(ctx)
	go s.sessions.watch(ctx, log)
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	api := func(h http.HandlerFunc) http.Handler { return s.cors(singleHeaders(h)) }
	s.mux.Handle("POST /v1/sessions", api(s.limitSessions(s.createSession)))
	s.mux.Handle("DELETE /v1/sessions/current", api(s.refusePaused(s.endSession)))
	s.mux.Handle("POST /v1/chat", api(s.limitChats(s.chat)))
	preflight := api(func(w http.ResponseWriter, r *http.Request) {
		setRecord(r, "preflight")
		w.WriteHeader(http.StatusNoContent)
	})
	for path, allow := range map[string]string{"/v1/sessions": "POST, OPTIONS",
		"/v1/sessions/current": "DELETE, OPTIONS", "/v1/chat": "POST, OPTIONS"} {
		s.mux.Handle("OPTIONS "+path, preflight)
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, r, errMethod)
		})
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	// Metrics have a listener of their own: see MetricsHandler.
	s.mux.Handle("GET /widget.js", widget.ScriptHandler())
	s.mux.Handle("GET /demo.css", widget.StyleHandler())
	s.mux.Handle("GET /demo", widget.DemoHandler(s.clinics.Get))
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, "/demo", http.StatusFound)
			return
		}
		writeError(w, r, errNotFound)
	})
}

// ready answers GET /readyz: the edge is ready while it is not stopping,
// its NATS connection is up, its reply inboxes are subscribed and every
// stage of the pipeline has a worker, the parts every chat needs.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	up, _ := s.pipe.state()
	if s.ctx.Err() != nil || s.nc.Status() != nats.CONNECTED || !s.replies.sub.IsValid() || !up {
		writeError(w, r, errUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// singleHeaders refuses a request that repeats a header the API reads
// once, since the parts of a system may each read another of the copies.
func singleHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, name := range []string{"Authorization", "Origin", "Content-Type"} {
			if len(r.Header.Values(name)) > 1 {
				writeError(w, r, errDuplicateHeader)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// cors answers the browser's cross-origin checks: an origin that some
// clinic allows may call the API; each endpoint then checks that the
// origin belongs to the clinic concerned. No cookies are ever used.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		h := w.Header()
		h.Add("Vary", "Origin")
		if origin != "" && s.anyClinicAllows(origin) {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", "POST, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
			h.Set("Access-Control-Max-Age", "600")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) anyClinicAllows(origin string) bool {
	for _, c := range s.clinics.All() {
		if c.AllowsOrigin(origin) {
			return true
		}
	}
	return false
}

// ServeHTTP serves a request with a request id, security headers, a
// bound on each write, panic recovery and one content-free access log
// line.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := nuid.Next()
	rec := &record{status: http.StatusOK}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	ctx = context.WithValue(ctx, ctxKey{}, &reqInfo{id: id, rec: rec})
	r = r.WithContext(ctx)
	securityHeaders(w.Header(), id, r.URL.Path)
	if r.TLS != nil {
		w.Header().Set("Strict-Transport-Security", s.hsts)
	}
	dw := s.boundWrites(w, cancel)
	sw := &statusWriter{ResponseWriter: dw, rec: rec}
	s.boundBody(w, r)
	s.metrics.inFlight.Add(1)
	defer func() {
		if p := recover(); p != nil {
			if errors.Is(asError(p), http.ErrAbortHandler) {
				panic(p)
			}
			s.log.Error("panic", "request_id", id)
			writeError(sw, r, newError(500, "internal", "An internal error occurred."))
		}
		if dw.timedOut {
			rec.outcome = "client_write_timeout"
			s.logWriteTimeout(r, id)
		}
		d := time.Since(start)
		s.metrics.inFlight.Add(-1)
		s.metrics.observe(routeOf(r), rec.status, d)
		s.log.Info("http_request", "request_id", id, "method", r.Method,
			"route", routeOf(r), "status", rec.status, "outcome", rec.outcome,
			"duration_ms", float64(d.Microseconds())/1000)
		s.reportRefusal(rec, id)
	}()
	if !cleanPath(r.URL.Path) {
		// The mux would redirect to the clean path, with an HTML body.
		writeError(sw, r, errNotFound)
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// reportRefusal sends the security event of a request refused for its
// token, origin or a limit, when the clinic it was for is known: the
// outcome code and the request id, nothing the client sent.
func (s *Server) reportRefusal(rec *record, id string) {
	var kind schemas.SecurityKind
	switch rec.status {
	case http.StatusUnauthorized, http.StatusForbidden:
		kind = schemas.SecAuthFailed
	case http.StatusTooManyRequests:
		kind = schemas.SecRateLimited
	default:
		return
	}
	if !config.ValidClinicID(rec.clinic) {
		return
	}
	ev := schemas.SecurityEvent{Kind: kind, Component: "edge", Code: rec.outcome,
		RequestID: id}
	if ev.Validate() != nil {
		ev.Code = ""
	}
	e, err := schemas.NewEvent(schemas.TypeSecurityEvent, Source, rec.clinic, ev)
	if err == nil {
		err = schemas.Publish(s.nc, schemas.SecuritySubject(rec.clinic, kind), "", &e)
	}
	if err != nil {
		s.log.Warn("security_report_failed", "request_id", id, "error", err)
	}
}

// boundBody gives a request with a body until BodyReadTimeout to send
// it. readJSON lifts the deadline once the body is in; a body that no
// handler reads stays bounded while the server discards it.
func (s *Server) boundBody(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength == 0 {
		return
	}
	// Only a writer without a connection, such as a test recorder,
	// cannot take a deadline, and then no connection is held.
	_ = http.NewResponseController(w).
		SetReadDeadline(time.Now().Add(s.cfg.BodyReadTimeout))
}

// cleanPath reports whether p is the path the mux would clean it to.
func cleanPath(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// securityHeaders sets the request id and the headers that keep the
// browser from sniffing, framing or passing on the referrer, and a
// Content-Security-Policy that lets a response load nothing: the demo
// page replaces it with its own, as strict on framing.
func securityHeaders(h http.Header, id, urlPath string) {
	h.Set("X-Request-Id", id)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", apiCSP)
	if !strings.HasPrefix(urlPath, "/demo") {
		h.Set("X-Frame-Options", "DENY")
	}
}

// apiCSP is the Content-Security-Policy of every response but the demo
// page's.
const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
	"form-action 'none'"

func asError(p any) error {
	err, _ := p.(error)
	return err
}

// routeOf names the route without anything a client chose.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

type ctxKey struct{}

type reqInfo struct {
	id  string
	rec *record
	// chat is the chat request the limits already read and validated,
	// so that the handler does not read it again; nil otherwise.
	chat *chatRequest
}

type record struct {
	status  int
	outcome string
	// clinic is the clinic the request was for, once known for sure (a
	// verified token, or a session request for a configured clinic).
	clinic string
}

func requestID(ctx context.Context) string {
	if ri, ok := ctx.Value(ctxKey{}).(*reqInfo); ok {
		return ri.id
	}
	return ""
}

// setClinic notes the clinic a request is for, for its security event.
func setClinic(r *http.Request, clinic string) {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		ri.rec.clinic = clinic
	}
}

// setRecord notes the request's outcome code for the access log.
func setRecord(r *http.Request, outcome string) {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		ri.rec.outcome = outcome
	}
}

type statusWriter struct {
	http.ResponseWriter
	rec   *record
	wrote bool
}

// WriteHeader notes the first status code for the access log and
// metrics, and sends it.
func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.rec.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
