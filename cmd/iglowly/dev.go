package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/stack"
)

// runDev runs everything in one process until ctx ends.
func runDev(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	httpAddr := fs.String("http", "127.0.0.1:8080", "HTTP listen address")
	natsListen := fs.String("nats-listen", "", "also serve NATS on this TCP address")
	https := fs.Bool("https", false,
		"serve HTTPS only, with a self-signed certificate generated at start")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log.Warn("dev_mode", "message",
		"DEVELOPMENT MODE: secrets are generated in memory, state is temporary; never use in production")
	st, err := stack.Start(ctx, stack.Options{HTTPAddr: *httpAddr,
		NATSListen: *natsListen, Logger: log, HTTPS: *https,
		Edge: edge.Config{Limits: edge.DefaultLimits()}})
	if err != nil {
		return err
	}
	if cert := st.Certificate(); cert != nil {
		log.Warn("dev_certificate", "message",
			"self-signed certificate: check its fingerprint before trusting it in a browser",
			"sha256", edge.Fingerprint(cert), "not_after", cert.Leaf.NotAfter)
	}
	attrs := []any{"open", st.URL() + "/demo"}
	if url := st.NATS().ClientURL(); url != "" {
		attrs = append(attrs, "nats", url)
	}
	log.Info("ready", attrs...)
	<-ctx.Done()
	log.Info("stopping")
	return st.Close()
}
