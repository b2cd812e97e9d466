package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// relayConfig holds the settings of "iglowly security relay", which
// files the server's advisories of refused logins as security events.
type relayConfig struct {
	// System is how the relay reaches the system account: --nats (env
	// IGLOWLY_NATS_URL, default nats://127.0.0.1:4222), the TLS flags of
	// the components, and --system-user (env IGLOWLY_RELAY_SYSTEM_USER,
	// default embedded.RelaySystemUser) with the password of
	// IGLOWLY_RELAY_SYSTEM_PASSWORD, which has no flag and no default.
	System config.NATS
	// App is the same server in the application account, as --app-user
	// (env IGLOWLY_RELAY_APP_USER, default embedded.RelayUser) with the
	// password of IGLOWLY_RELAY_APP_PASSWORD, which has no flag and no
	// default.
	App config.NATS
}

// loadRelay parses the flags of "iglowly security relay" and validates
// them, naming every problem.
func loadRelay(args []string, env config.Env) (*relayConfig, error) {
	fs := flag.NewFlagSet("security relay", flag.ContinueOnError)
	var c relayConfig
	c.System.Register(fs, env)
	sysUser := fs.String("system-user", envOr(env, "IGLOWLY_RELAY_SYSTEM_USER",
		embedded.RelaySystemUser), "NATS user in the system account")
	appUser := fs.String("app-user", envOr(env, "IGLOWLY_RELAY_APP_USER",
		embedded.RelayUser), "NATS user in the application account")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var errs []error
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "nats-user" || f.Name == "nats-creds" {
			errs = append(errs, fmt.Errorf("security relay: --%s has no use "+
				"here: set --system-user and --app-user", f.Name))
		}
	})
	c.App = c.System
	c.System.User, c.System.CredsFile = *sysUser, ""
	c.System.Password = envOr(env, "IGLOWLY_RELAY_SYSTEM_PASSWORD", "")
	c.App.User, c.App.CredsFile = *appUser, ""
	c.App.Password = envOr(env, "IGLOWLY_RELAY_APP_PASSWORD", "")
	errs = append(errs, c.System.Validate())
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("security relay: unexpected argument %q", fs.Arg(0)))
	}
	if c.System.Password == "" {
		errs = append(errs, errors.New("IGLOWLY_RELAY_SYSTEM_PASSWORD is not set"))
	}
	if c.App.Password == "" {
		errs = append(errs, errors.New("IGLOWLY_RELAY_APP_PASSWORD is not set"))
	}
	if c.App.User == c.System.User {
		errs = append(errs, errors.New("--system-user and --app-user are the same user"))
	}
	return &c, errors.Join(errs...)
}

// envOr reads a variable of env, def if it is unset or empty.
func envOr(env config.Env, name, def string) string {
	if v := env(name); v != "" {
		return v
	}
	return def
}

// LogValue shows the settings with the passwords masked.
func (c *relayConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("system", c.System), slog.Any("app", c.App))
}

// runRelay runs "iglowly security relay" until ctx ends.
func runRelay(ctx context.Context, args []string, env config.Env,
	log *slog.Logger) error {
	c, err := loadRelay(args, env)
	if err != nil {
		return err
	}
	log.Info("security_relay_config", "config", c)
	sys, err := relayConnect(&c.System, "iglowly-relay-system", log)
	if err != nil {
		return fmt.Errorf("system account: %w", err)
	}
	defer sys.Close()
	app, err := relayConnect(&c.App, "iglowly-relay", log)
	if err != nil {
		return fmt.Errorf("application account: %w", err)
	}
	defer app.Close()
	r, err := embedded.StartRelay(sys, app)
	if err != nil {
		return err
	}
	log.Info("security_relay_started")
	<-ctx.Done()
	r.Close()
	s := r.Stats()
	log.Info("security_relay_stopped", "filed", s.Filed, "limited", s.Limited,
		"dropped", s.Dropped)
	return nil
}

// relayConnect connects as the user of n, reconnecting forever and
// logging connection trouble without content.
func relayConnect(n *config.NATS, name string, log *slog.Logger) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name(name),
		nats.UserInfo(n.User, n.Password),
		nats.MaxReconnects(-1),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Error("nats_error", "error", err)
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("nats_disconnected", "error", err)
		}),
	}
	if n.Insecure {
		log.Warn("nats_insecure", "message", "NATS WITHOUT TLS: passwords cross "+
			"the network in clear; for local testing only")
	}
	if n.CAFile != "" {
		opts = append(opts, nats.RootCAs(n.CAFile))
	}
	if n.CertFile != "" {
		opts = append(opts, nats.ClientCert(n.CertFile, n.KeyFile))
	}
	nc, err := nats.Connect(n.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to nats: %w", err)
	}
	return nc, nil
}
