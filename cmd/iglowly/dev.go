package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/iglowly/assistant/config/secrets"
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
	log.Warn("dev_mode", "message", "DEVELOPMENT MODE: nothing is protected and "+
		"state is temporary; never use in production")
	ecfg := edge.Config{Limits: edge.DefaultLimits()}
	if err := devEdgeSecrets(ctx, &ecfg, log); err != nil {
		return err
	}
	st, err := stack.Start(ctx, stack.Options{HTTPAddr: *httpAddr,
		NATSListen: *natsListen, Logger: log, HTTPS: *https, Edge: ecfg,
		EdgeReplicas: 1})
	if err != nil {
		return err
	}
	if cert := st.Certificate(); cert != nil {
		log.Warn("dev_certificate", "message",
			"self-signed certificate: check its fingerprint before trusting it in a browser",
			"sha256", edge.Fingerprint(cert), "not_after", cert.Leaf.NotAfter)
	}
	attrs := []any{"open", st.URL() + "/demo", "metrics", st.MetricsURL() + "/metrics"}
	if url := st.NATS().ClientURL(); url != "" {
		attrs = append(attrs, "nats", url)
	}
	log.Info("ready", attrs...)
	<-ctx.Done()
	log.Info("stopping")
	return st.Close()
}

// The references the dev edge reads, the Vault paths production reads
// (docs/vault.md); the dev source makes up their values in memory.
const (
	devSessionKeys = "vault://iglowly/edge/session-keys#current"
	devAddressKey  = "vault://iglowly/edge/address-key#key"
)

// devEdgeSecrets sets the edge's signing and address keys from a dev
// secrets source, which logs, once, that every secret is generated in
// memory. No Vault, file or network is involved.
func devEdgeSecrets(ctx context.Context, cfg *edge.Config, log *slog.Logger) error {
	src := secrets.NewDev(log)
	keysRef, err := secrets.ParseRef(devSessionKeys)
	if err != nil {
		return err
	}
	addrRef, err := secrets.ParseRef(devAddressKey)
	if err != nil {
		return err
	}
	if cfg.SigningKeys, err = loadSessionKeys(ctx, src, keysRef, log); err != nil {
		return fmt.Errorf("dev session keys: %w", err)
	}
	addr, err := loadAddressKey(ctx, src, addrRef)
	if err != nil {
		return fmt.Errorf("dev address key: %w", err)
	}
	cfg.AddressKey = addr.Bytes()
	return nil
}
