package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/workers/inference"
	"github.com/iglowly/assistant/workers/inference/providers"
	"github.com/iglowly/assistant/workers/response"
	"github.com/iglowly/assistant/workers/sanitiser"
)

// runEdge serves the edge until ctx ends.
func runEdge(ctx context.Context, args []string, log *slog.Logger) error {
	return edgeMain(ctx, args, os.Getenv, log)
}

// edgeMain is runEdge with the environment read through env.
func edgeMain(ctx context.Context, args []string, env config.Env, log *slog.Logger) error {
	cfg, err := config.LoadEdge(args, env)
	if err != nil {
		return fmt.Errorf("edge config: %w", err)
	}
	log = log.With("component", embedded.Edge)
	logEdgeStart(cfg, log)
	src, err := secrets.Open(ctx, cfg.Vault, env, log)
	if err != nil {
		return fmt.Errorf("opening secrets: %w", err)
	}
	defer src.Close()
	sec, err := loadEdgeSecrets(ctx, src, cfg, log)
	if err != nil {
		return err
	}
	if err := cfg.NATS.LoadPassword(ctx, src); err != nil {
		return err
	}
	nc, err := cfg.NATS.Connect(embedded.Edge, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	clinics, err := config.WatchClinics(ctx, nc, embedded.BucketClinics, log)
	if err != nil {
		return err
	}
	srv, err := edge.New(ctx, edgeConfig(cfg, sec), nc, clinics, log)
	if err != nil {
		return err
	}
	sec.watch(ctx, src, cfg, srv, log)
	if err := serveEdgeMetrics(ctx, cfg.MetricsAddr, srv, log); err != nil {
		return err
	}
	hs := edge.NewHTTPServer(cfg.HTTPAddr, srv, log)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	return serveEdge(hs, cfg, log)
}

// edgeConfig returns the settings of the edge server.
func edgeConfig(cfg *config.Edge, sec edgeSecrets) edge.Config {
	return edge.Config{
		SessionIdle: cfg.SessionIdle, SessionMaxLifetime: cfg.SessionMax,
		AnswerTimeout: cfg.AnswerTimeout, BodyReadTimeout: cfg.BodyReadTimeout,
		WriteTimeout: cfg.WriteTimeout, TrustedProxies: cfg.TrustedProxies,
		SigningKeys: sec.keys, AddressKey: sec.addrKey.Bytes(),
		Limits: edge.Limits{SessionChats: cfg.SessionRate, AddressChats: cfg.AddressRate,
			AddressSessions: cfg.AddressSessionRate, DailyChats: cfg.DailyChats},
	}
}

// logEdgeStart logs the edge's settings: secret references, never
// secrets.
func logEdgeStart(cfg *config.Edge, log *slog.Logger) {
	log.Info("starting", "nats", cfg.NATS, "http", cfg.HTTPAddr,
		"metrics", cfg.MetricsAddr, "write_timeout", cfg.WriteTimeout.String(),
		"https", cfg.TLSCertFile != "", "session_rate", cfg.SessionRate.String(),
		"address_rate", cfg.AddressRate.String(),
		"address_session_rate", cfg.AddressSessionRate.String(),
		"daily_chats", cfg.DailyChats, "trusted_proxies", cfg.TrustedProxies.String(),
		"session_keys", cfg.SessionKeysRef, "address_key", cfg.AddressKeyRef,
		"vault", cfg.Vault)
}

// edgeSecrets are the secrets the edge reads at start.
type edgeSecrets struct {
	keys    edge.Keys
	addrKey secrets.Secret
}

// loadEdgeSecrets reads the edge's secrets once, at start: any that
// cannot be read stops the edge.
func loadEdgeSecrets(ctx context.Context, src secrets.Source, cfg *config.Edge,
	log *slog.Logger) (edgeSecrets, error) {
	var s edgeSecrets
	var err error
	if s.keys, err = loadSessionKeys(ctx, src, cfg.SessionKeysRef, log); err != nil {
		return s, fmt.Errorf("reading session key ring: %w", err)
	}
	if s.addrKey, err = loadAddressKey(ctx, src, cfg.AddressKeyRef); err != nil {
		return s, fmt.Errorf("reading address key: %w", err)
	}
	return s, keysApart(s.keys, s.addrKey)
}

// keysApart refuses an address key that is one of the signing keys.
func keysApart(keys edge.Keys, addrKey secrets.Secret) error {
	for _, k := range keys.All() {
		if sameSecret(addrKey, secrets.NewSecret(string(k.Key))) {
			return errors.New("address key must not be a session signing key: " +
				"give it a secret of its own")
		}
	}
	return nil
}

// watch keeps the running edge's key ring and address key current until
// ctx ends. A new ring that holds the address key is refused, as a new
// address key that is a signing key is.
func (s edgeSecrets) watch(ctx context.Context, src secrets.Source, cfg *config.Edge,
	srv *edge.Server, log *slog.Logger) {
	var addrInUse atomic.Pointer[secrets.Secret]
	addrInUse.Store(&s.addrKey)
	keys := reload[edge.Keys]{what: "session_keys", same: sameKeys,
		load: func(ctx context.Context) (edge.Keys, error) {
			return loadSessionKeys(ctx, src, cfg.SessionKeysRef, log)
		},
		apply: func(k edge.Keys) error {
			if err := keysApart(k, *addrInUse.Load()); err != nil {
				return err
			}
			return srv.SetSigningKeys(k)
		}}
	addr := reload[secrets.Secret]{what: "address_key", same: sameSecret,
		load: func(ctx context.Context) (secrets.Secret, error) {
			return loadAddressKey(ctx, src, cfg.AddressKeyRef)
		},
		apply: func(k secrets.Secret) error {
			if err := srv.SetAddressKey(k.Bytes()); err != nil {
				return err
			}
			addrInUse.Store(&k)
			return nil
		}}
	go keys.watch(ctx, s.keys, keyReloadEvery, log)
	go addr.watch(ctx, s.addrKey, keyReloadEvery, log)
}

// serveEdge serves HTTPS if the edge has a certificate, else plain HTTP
// (for a proxy that terminates TLS), until the server is shut down.
func serveEdge(hs *http.Server, cfg *config.Edge, log *slog.Logger) error {
	var err error
	if cfg.TLSCertFile == "" {
		log.Info("ready", "http", cfg.HTTPAddr)
		err = hs.ListenAndServe()
	} else {
		certs, lerr := edge.LoadCertFiles(cfg.TLSCertFile, cfg.TLSKeyFile, log)
		if lerr != nil {
			return lerr
		}
		hs.TLSConfig = edge.TLSConfig(certs.GetCertificate)
		log.Info("ready", "https", cfg.HTTPAddr,
			"fingerprint", edge.Fingerprint(certs.Certificate()))
		err = hs.ListenAndServeTLS("", "")
	}
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runWorker serves one pipeline stage until ctx ends.
func runWorker(ctx context.Context, stage string, args []string, log *slog.Logger) error {
	return workerMain(ctx, stage, args, os.Getenv, log)
}

// workerMain is runWorker with the environment read through env.
func workerMain(ctx context.Context, stage string, args []string, env config.Env,
	log *slog.Logger) error {
	cfg, err := config.LoadWorker(stage, args, env)
	if err != nil {
		return fmt.Errorf("worker config: %w", err)
	}
	log = log.With("component", stage)
	log.Info("starting", "nats", cfg.NATS, "concurrency", cfg.Concurrency,
		"model_keys", secrets.Providers(cfg.ModelKeyRefs),
		"model_endpoints", cfg.ModelEndpointList(),
		"model_timeout", cfg.ModelTimeout.String(), "vault", cfg.Vault)
	src, err := secrets.Open(ctx, cfg.Vault, env, log)
	if err != nil {
		return fmt.Errorf("opening secrets: %w", err)
	}
	defer src.Close()
	keys, err := startModelKeys(ctx, src, cfg.ModelKeyRefs, log)
	if err != nil {
		return err
	}
	if err := cfg.NATS.LoadPassword(ctx, src); err != nil {
		return err
	}
	nc, err := cfg.NATS.Connect(stage, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	stopped, err := serveStage(ctx, stage, nc, cfg, keys, log)
	if err != nil {
		return err
	}
	log.Info("ready")
	<-ctx.Done()
	select {
	case <-stopped:
	case <-time.After(stopWait):
		log.Warn("stop_timeout", "waited", stopWait.String())
	}
	return nil
}

// stopWait bounds how long a stopping worker waits for its last writes.
const stopWait = 5 * time.Second

// serveStage starts the stage's service on nc. The channel is closed
// once the stage, stopped by ctx, has sent all it had to send.
func serveStage(ctx context.Context, stage string, nc *nats.Conn, cfg *config.Worker,
	keys *modelKeys, log *slog.Logger) (<-chan struct{}, error) {
	concurrency := cfg.Concurrency
	clinics, err := config.WatchClinics(ctx, nc, embedded.BucketClinics, log)
	if err != nil {
		return nil, err
	}
	if stage == embedded.Sanitiser {
		w := sanitiser.New(nc, log, clinics)
		_, err := w.Serve(ctx, concurrency)
		return w.Stopped(), err
	}
	done := make(chan struct{})
	close(done)
	if stage == embedded.Inference {
		return done, serveInference(ctx, nc, clinics, cfg, keys, log)
	}
	_, err = response.New(nc, log, clinics).Serve(ctx, concurrency)
	return done, err
}

// serveInference starts the inference worker with each clinic's model:
// the local one, or a hosted one reached with the provider's key in use.
// A clinic whose model names a provider without a key stops the worker
// at start, with an error naming the clinic and the provider; a clinic
// changed later to name one is reported when the change arrives
// (clinic_model_unusable), and its messages fail with model_failed.
func serveInference(ctx context.Context, nc *nats.Conn, clinics *config.ClinicStore,
	cfg *config.Worker, keys *modelKeys, log *slog.Logger) error {
	models, err := providers.New(providers.Config{BaseURLs: cfg.ModelEndpointURLs,
		ConnectTimeout: cfg.ModelConnectTimeout, Timeout: cfg.ModelTimeout}, keys)
	if err != nil {
		return err
	}
	if err := models.Check(clinics.All()); err != nil {
		return fmt.Errorf("checking the clinics' models: %w", err)
	}
	clinics.OnChange(func(c *config.Clinic) {
		if err := models.Check([]*config.Clinic{c}); err != nil {
			log.Error("clinic_model_unusable", "clinic", c.ID, "error", err)
		}
	})
	w := inference.New(nc, log, clinics, models)
	w.Timeout = cfg.ModelTimeout
	_, err = w.Serve(ctx, cfg.Concurrency)
	return err
}

// runProvision creates the buckets and stores clinics from JSON files.
func runProvision(ctx context.Context, args []string, log *slog.Logger) error {
	var n config.NATS
	var vault secrets.Config
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	n.Register(fs, os.Getenv)
	vault.Register(fs, os.Getenv)
	var files stringList
	fs.Var(&files, "clinic", "clinic JSON file to store (repeatable)")
	var p config.Provision
	p.Register(fs, os.Getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("provision: unexpected argument %q", fs.Arg(0))
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if err := errors.Join(n.ValidateAs(embedded.Admin), vault.Validate()); err != nil {
		return err
	}
	closeSecrets, err := provisionPassword(ctx, &n, vault, log)
	if err != nil {
		return err
	}
	defer closeSecrets()
	nc, err := n.Connect(embedded.Admin, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	err = provisionRetrying(ctx, log, func() error {
		return embedded.Provision(ctx, nc, embedded.SessionLimits{Replicas: p.Replicas})
	})
	if err != nil {
		return err
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("reading clinic: %w", err)
		}
		c, err := config.ParseClinic(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err := embedded.PutClinic(ctx, nc, c); err != nil {
			return err
		}
		log.Info("clinic_stored", "clinic", c.ID)
	}
	return nil
}

// provisionWait is how long provisioning waits for a cluster that is
// still forming: its meta leader places no replicated stream until it
// has heard from the other nodes.
const provisionWait = time.Minute

// provisionRetrying runs provision again, every second for up to
// provisionWait, while it fails because the JetStream cluster is not
// ready yet, and returns what the last attempt returned.
func provisionRetrying(ctx context.Context, log *slog.Logger, provision func() error) error {
	deadline := time.Now().Add(provisionWait)
	for {
		err := provision()
		if err == nil || !clusterForming(err) || time.Now().After(deadline) {
			return err
		}
		log.Warn("provision_retry", "error", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Second):
		}
	}
}

// jsClusterNoPeers is nats-server's error code for a stream it cannot
// place yet: "no suitable peers for placement".
const jsClusterNoPeers = 10005

// clusterForming reports whether err is one of a JetStream cluster that
// is not ready yet: no server answers the API, or the leader knows too
// few peers to place the replicas.
func clusterForming(err error) bool {
	var api *jetstream.APIError
	return errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.As(err, &api) && api.ErrorCode == jsClusterNoPeers
}

// provisionPassword reads the admin user's NATS password from its
// reference, through Vault when one is set; provisioning needs no other
// secret. The source stays open, for reconnections, until the returned
// function closes it.
func provisionPassword(ctx context.Context, n *config.NATS, vault secrets.Config,
	log *slog.Logger) (func(), error) {
	if n.PasswordRef == "" {
		return func() {}, nil
	}
	src, err := secrets.Open(ctx, vault, os.Getenv, log)
	if err != nil {
		return nil, fmt.Errorf("opening secrets: %w", err)
	}
	if err := n.LoadPassword(ctx, src); err != nil {
		src.Close()
		return nil, err
	}
	return func() { src.Close() }, nil
}

type stringList []string

// String shows the values given, for the flag package.
func (s *stringList) String() string { return fmt.Sprint(*s) }

// Set adds one value of the flag.
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
