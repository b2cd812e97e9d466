// Package stack runs the whole assistant in one process: an embedded NATS
// server with JetStream and one user per component, the three workers,
// the edge and the demo clinics. It backs "iglowly dev" and the
// end-to-end tests; in production each part runs as its own process.
package stack

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/workers/inference"
	"github.com/iglowly/assistant/workers/response"
	"github.com/iglowly/assistant/workers/sanitiser"
)

// Options configures a stack.
type Options struct {
	// HTTPAddr is where the edge listens; default 127.0.0.1:8080. Use
	// port 0 for any free port.
	HTTPAddr string
	// MetricsAddr is where the edge serves its metrics, on a listener
	// of their own; default 127.0.0.1:0, any free loopback port.
	MetricsAddr string
	// NATSListen, if set, also serves NATS on this TCP address, so
	// components in other processes can join.
	NATSListen string
	// StoreDir is the JetStream folder; default a new temporary folder,
	// removed by Close.
	StoreDir string
	// Logger receives every component's logs; default JSON on stderr.
	Logger *slog.Logger
	// Models chooses the model per clinic; default the local model.
	Models inference.Models
	// Edge overrides edge settings; the signing and address keys are
	// generated unless set. Limits left all zero are
	// LooseLimits; HSTSMaxAge left zero is five minutes, since a year of
	// HSTS for localhost would hold every local server to HTTPS.
	Edge edge.Config
	// HTTPS serves the edge over HTTPS only, with a self-signed
	// certificate generated at start for 127.0.0.1, ::1 and localhost.
	HTTPS bool
	// Concurrency per worker; default 256.
	Concurrency int
	// EdgeReplicas is how many edges may run, each as a NATS user of its
	// own (edge-1, edge-2…) whose reply inboxes no other edge may read:
	// Start serves the first, NewEdge each other. 1 is one edge as the
	// user edge; default 2.
	EdgeReplicas int
}

// Stack is a running assistant.
type Stack struct {
	ns      *embedded.Server
	conns   []*nats.Conn
	http    *http.Server
	ln      net.Listener
	url     string
	metrics *http.Server
	mURL    string
	tempDir string
	cancel  context.CancelFunc
	ctx     context.Context
	opts    Options
	edges   atomic.Int32
	// stopped are closed once the workers stopped by cancel have sent
	// their last writes, which Close waits for before closing the
	// connections.
	stopped []<-chan struct{}
	key     []byte
	addrKey []byte
	cert    *tls.Certificate
	// Clinics are the clinics the stack was started with.
	Clinics []*config.Clinic
}

// Start starts everything and returns once the edge accepts requests.
func Start(ctx context.Context, opts Options) (st *Stack, err error) {
	opts.defaults()
	st = &Stack{}
	ctx, st.cancel = context.WithCancel(ctx)
	st.ctx, st.opts = ctx, opts
	st.key = make([]byte, 32)
	_, _ = rand.Read(st.key)
	st.addrKey = make([]byte, 32)
	_, _ = rand.Read(st.addrKey)
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	if err := st.startNATS(opts); err != nil {
		return st, err
	}
	if st.ln, err = net.Listen("tcp", opts.HTTPAddr); err != nil {
		return st, fmt.Errorf("listening on %s: %w", opts.HTTPAddr, err)
	}
	st.url = "http://" + st.ln.Addr().String()
	if opts.HTTPS {
		st.url = "https://" + st.ln.Addr().String()
		if st.cert, err = edge.SelfSigned(devHosts, devCertValidity); err != nil {
			return st, err
		}
	}
	if err := st.provision(ctx); err != nil {
		return st, err
	}
	handler, err := st.startComponents(ctx, opts)
	if err != nil {
		return st, err
	}
	if err := st.serveMetrics(handler); err != nil {
		return st, err
	}
	st.serve(handler)
	return st, nil
}

// devHosts are the names of the dev certificate; devCertValidity is how
// long it is valid.
var devHosts = []string{"localhost", "127.0.0.1", "::1"}

const devCertValidity = 30 * 24 * time.Hour

// LooseLimits are the limits of a stack whose Options.Edge sets none:
// every chat goes through the limiter, but the bursts of the test suites
// and benchmarks from one address never reach them. "iglowly dev" asks
// for the production defaults instead.
var LooseLimits = edge.Limits{
	SessionChats:    config.Rate{N: config.MaxRateBurst, Per: time.Second},
	AddressChats:    config.Rate{N: config.MaxRateBurst, Per: time.Second},
	AddressSessions: config.Rate{N: config.MaxRateBurst, Per: time.Second},
	DailyChats:      config.MaxDailyChats,
}

// serve serves the edge on the stack's listener, over HTTPS if asked.
func (st *Stack) serve(handler http.Handler) {
	st.http = edge.NewHTTPServer("", handler, st.opts.Logger)
	if st.cert == nil {
		go func() { _ = st.http.Serve(st.ln) }()
		return
	}
	cert := st.cert
	st.http.TLSConfig = edge.TLSConfig(
		func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return cert, nil })
	go func() { _ = st.http.ServeTLS(st.ln, "", "") }()
}

// serveMetrics serves the edge's metrics on a listener of their own.
func (st *Stack) serveMetrics(e *edge.Server) error {
	ln, err := net.Listen("tcp", st.opts.MetricsAddr)
	if err != nil {
		return fmt.Errorf("listening for metrics on %s: %w", st.opts.MetricsAddr, err)
	}
	st.mURL = "http://" + ln.Addr().String()
	st.metrics = edge.NewMetricsServer("", e, st.opts.Logger)
	go func() { _ = st.metrics.Serve(ln) }()
	return nil
}

func (o *Options) defaults() {
	if o.HTTPAddr == "" {
		o.HTTPAddr = "127.0.0.1:8080"
	}
	if o.MetricsAddr == "" {
		o.MetricsAddr = "127.0.0.1:0"
	}
	if o.EdgeReplicas == 0 {
		o.EdgeReplicas = 2
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if o.Models == nil {
		o.Models = inference.LocalModels{}
	}
	if o.Edge.Limits == (edge.Limits{}) {
		o.Edge.Limits = LooseLimits
	}
	if o.Edge.HSTSMaxAge == 0 {
		o.Edge.HSTSMaxAge = 5 * time.Minute
	}
}

func (st *Stack) startNATS(opts Options) error {
	dir := opts.StoreDir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "iglowly-dev-"); err != nil {
			return fmt.Errorf("creating store dir: %w", err)
		}
		st.tempDir = dir
	}
	ns, err := embedded.Start(embedded.Options{StoreDir: dir, Listen: opts.NATSListen,
		Replicas: embedded.Replicas{embedded.Edge: opts.EdgeReplicas}})
	if err != nil {
		return err
	}
	st.ns = ns
	return nil
}

// connect opens a connection as a NATS user: a component's, or one
// replica's.
func (st *Stack) connect(user string) (*nats.Conn, error) {
	nc, err := st.ns.ConnectUser(user)
	if err != nil {
		return nil, err
	}
	st.conns = append(st.conns, nc)
	return nc, nil
}

// provision creates the buckets and stores the demo clinics: "demo" for
// pages at 127.0.0.1 and "demo-2" for pages at localhost.
func (st *Stack) provision(ctx context.Context) error {
	nc, err := st.connect(embedded.Admin)
	if err != nil {
		return err
	}
	if err := embedded.Provision(ctx, nc, embedded.SessionLimits{}); err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(st.ln.Addr().String())
	scheme := "http://"
	if st.cert != nil {
		scheme = "https://"
	}
	st.Clinics, err = config.DemoClinics(scheme+"127.0.0.1:"+port,
		scheme+"localhost:"+port)
	if err != nil {
		return err
	}
	for _, c := range st.Clinics {
		if err := embedded.PutClinic(ctx, nc, c); err != nil {
			return err
		}
	}
	return nil
}

func (st *Stack) startComponents(ctx context.Context, opts Options) (*edge.Server, error) {
	log := opts.Logger
	steps := []func() error{
		func() error {
			nc, clinics, err := st.connectWithClinics(ctx, embedded.Sanitiser, log)
			if err == nil {
				w := sanitiser.New(nc, log.With("component", "sanitiser"), clinics)
				if _, err = w.Serve(ctx, opts.Concurrency); err == nil {
					st.stopped = append(st.stopped, w.Stopped())
				}
			}
			return err
		},
		func() error {
			nc, clinics, err := st.connectWithClinics(ctx, embedded.Inference, log)
			if err == nil {
				_, err = inference.New(nc, log.With("component", "inference"),
					clinics, opts.Models).Serve(ctx, opts.Concurrency)
			}
			return err
		},
		func() error {
			nc, clinics, err := st.connectWithClinics(ctx, embedded.Response, log)
			if err == nil {
				_, err = response.New(nc, log.With("component", "response"),
					clinics).Serve(ctx, opts.Concurrency)
			}
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return st.newEdge(ctx, opts)
}

func (st *Stack) newEdge(ctx context.Context, opts Options) (*edge.Server, error) {
	user, err := st.nextEdgeUser()
	if err != nil {
		return nil, err
	}
	nc, clinics, err := st.connectWithClinics(ctx, user, opts.Logger)
	if err != nil {
		return nil, err
	}
	cfg := opts.Edge
	if len(cfg.SigningKeys.Current.Key) == 0 {
		cfg.SigningKeys = edge.Keys{Current: edge.SigningKey{ID: 1, Key: st.key}}
	}
	if len(cfg.AddressKey) == 0 {
		cfg.AddressKey = st.addrKey
	}
	return edge.New(ctx, cfg, nc, clinics, opts.Logger.With("component", "edge"))
}

// nextEdgeUser returns the NATS user of the next edge to start.
func (st *Stack) nextEdgeUser() (string, error) {
	var users []string
	for _, u := range st.ns.Users() {
		if u.Component == embedded.Edge {
			users = append(users, u.Name())
		}
	}
	n := int(st.edges.Add(1))
	if n > len(users) {
		return "", fmt.Errorf("stack: %d edges run, as many as Options.EdgeReplicas",
			len(users))
	}
	return users[n-1], nil
}

// NewEdge starts one more edge on the stack's NATS, as the next edge
// replica's user with its own connection and the same signing key, as a
// second replica behind a load balancer would be; the caller serves it.
// It stops with the stack.
func (st *Stack) NewEdge() (http.Handler, error) {
	return st.newEdge(st.ctx, st.opts)
}

func (st *Stack) connectWithClinics(ctx context.Context, component string,
	log *slog.Logger) (*nats.Conn, *config.ClinicStore, error) {
	nc, err := st.connect(component)
	if err != nil {
		return nil, nil, err
	}
	clinics, err := config.WatchClinics(ctx, nc, embedded.BucketClinics,
		log.With("component", component))
	return nc, clinics, err
}

// URL returns the edge's base URL, such as http://127.0.0.1:8080.
func (st *Stack) URL() string { return st.url }

// MetricsURL returns the base URL of the edge's metrics listener, such as
// http://127.0.0.1:9464: its metrics are at MetricsURL() + "/metrics".
func (st *Stack) MetricsURL() string { return st.mURL }

// Certificate returns the edge's self-signed certificate, nil unless
// Options.HTTPS is set.
func (st *Stack) Certificate() *tls.Certificate { return st.cert }

// NATS returns the embedded server, for tests that connect as a
// component's user.
func (st *Stack) NATS() *embedded.Server { return st.ns }

// Close stops everything and removes the temporary store folder.
func (st *Stack) Close() error {
	st.cancel()
	for _, stopped := range st.stopped {
		select {
		case <-stopped:
		case <-time.After(5 * time.Second):
		}
	}
	var errs []error
	if st.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, st.http.Shutdown(ctx))
		cancel()
	} else if st.ln != nil {
		_ = st.ln.Close()
	}
	if st.metrics != nil {
		_ = st.metrics.Close()
	}
	for _, nc := range st.conns {
		nc.Close()
	}
	if st.ns != nil {
		st.ns.Shutdown()
	}
	if st.tempDir != "" {
		errs = append(errs, os.RemoveAll(st.tempDir))
	}
	return errors.Join(errs...)
}
