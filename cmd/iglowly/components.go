package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/workers/inference"
	"github.com/iglowly/assistant/workers/response"
	"github.com/iglowly/assistant/workers/sanitiser"
)

// runEdge serves the edge until ctx ends.
func runEdge(ctx context.Context, args []string, log *slog.Logger) error {
	cfg, err := config.LoadEdge(args, os.Getenv)
	if err != nil {
		return fmt.Errorf("edge config: %w", err)
	}
	log = log.With("component", embedded.Edge)
	log.Info("starting", "nats", cfg.NATS, "http", cfg.HTTPAddr,
		"https", cfg.TLSCertFile != "", "session_rate", cfg.SessionRate.String(),
		"address_rate", cfg.AddressRate.String(),
		"address_session_rate", cfg.AddressSessionRate.String(),
		"daily_chats", cfg.DailyChats, "trusted_proxies", cfg.TrustedProxies.String())
	keys, keyFile, err := readKeys(cfg.SessionKeyFile)
	if err != nil {
		return fmt.Errorf("reading session key ring: %w", err)
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
	srv, err := edge.New(ctx, edge.Config{
		SessionIdle: cfg.SessionIdle, SessionMaxLifetime: cfg.SessionMax,
		AnswerTimeout: cfg.AnswerTimeout, BodyReadTimeout: cfg.BodyReadTimeout,
		SigningKeys: keys, TrustedProxies: cfg.TrustedProxies,
		Limits: edge.Limits{SessionChats: cfg.SessionRate, AddressChats: cfg.AddressRate,
			AddressSessions: cfg.AddressSessionRate, DailyChats: cfg.DailyChats},
	}, nc, clinics, log)
	if err != nil {
		return err
	}
	go watchKeys(ctx, cfg.SessionKeyFile, keyFile, keyReloadEvery, srv.SetSigningKeys, log)
	hs := edge.NewHTTPServer(cfg.HTTPAddr, srv, log)
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	return serveEdge(hs, cfg, log)
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
	cfg, err := config.LoadWorker(stage, args, os.Getenv)
	if err != nil {
		return fmt.Errorf("worker config: %w", err)
	}
	log = log.With("component", stage)
	log.Info("starting", "nats", cfg.NATS, "concurrency", cfg.Concurrency)
	nc, err := cfg.NATS.Connect(stage, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	if stage == embedded.Sanitiser {
		_, err = sanitiser.New(nc, log).Serve(ctx, cfg.Concurrency)
	} else {
		var clinics *config.ClinicStore
		clinics, err = config.WatchClinics(ctx, nc, embedded.BucketClinics, log)
		if err == nil && stage == embedded.Inference {
			_, err = inference.New(nc, log, clinics, inference.LocalModels{}).
				Serve(ctx, cfg.Concurrency)
		} else if err == nil {
			_, err = response.New(nc, log, clinics).Serve(ctx, cfg.Concurrency)
		}
	}
	if err != nil {
		return err
	}
	log.Info("ready")
	<-ctx.Done()
	return nil
}

// runProvision creates the buckets and stores clinics from JSON files.
func runProvision(ctx context.Context, args []string, log *slog.Logger) error {
	var n config.NATS
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	n.Register(fs, os.Getenv)
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
	if err := n.Validate(); err != nil {
		return err
	}
	nc, err := n.Connect(embedded.Admin, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := embedded.Provision(ctx, nc, embedded.SessionLimits{Replicas: p.Replicas}); err != nil {
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

type stringList []string

// String shows the values given, for the flag package.
func (s *stringList) String() string { return fmt.Sprint(*s) }

// Set adds one value of the flag.
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
