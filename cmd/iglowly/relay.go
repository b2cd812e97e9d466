package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/logtail"
)

// relayConfig holds the settings of "iglowly security relay", which
// files the server's advisories of refused logins as security events.
type relayConfig struct {
	// System is how the relay reaches the system account: --nats (env
	// IGLOWLY_NATS_URL, default nats://127.0.0.1:4222), the TLS flags of
	// the components, and --system-user (env IGLOWLY_RELAY_SYSTEM_USER,
	// default embedded.RelaySystemUser) with the password of
	// IGLOWLY_RELAY_SYSTEM_PASSWORD, which has no flag, or the one that
	// --system-password-ref names (env IGLOWLY_RELAY_SYSTEM_PASSWORD_REF).
	System config.NATS
	// App is the same server in the application account, as --app-user
	// (env IGLOWLY_RELAY_APP_USER, default embedded.RelayUser) with the
	// password of IGLOWLY_RELAY_APP_PASSWORD, or the one that
	// --app-password-ref names (env IGLOWLY_RELAY_APP_PASSWORD_REF).
	App config.NATS
	// Vault is where vault:// password references are read, with the
	// --vault-* flags of the components; default none.
	Vault secrets.Config
	// Logs are the servers' log files, --nats-log (repeatable, env
	// IGLOWLY_RELAY_NATS_LOGS, comma-separated), whose permission
	// violations the relay files too; default none.
	Logs []string
	// Positions is the positions file, --positions (env
	// IGLOWLY_RELAY_POSITIONS), an absolute path: how far the relay read
	// each of Logs, saved every positionsEvery and at stop, so that after
	// a restart it reads on from there. Default none: each log is read
	// from its end at start.
	Positions string
}

// positionsEvery is how often the relay saves its positions file.
const positionsEvery = 5 * time.Second

// relayFlags are the relay's own flags, beside those of config.NATS and
// secrets.Config.
type relayFlags struct {
	sysUser, appUser, sysRef, appRef *string
}

// registerRelay adds the relay's own flags to fs, with defaults from
// env; --nats-log appends to c.Logs, replacing what the environment set.
func registerRelay(fs *flag.FlagSet, c *relayConfig, env config.Env) relayFlags {
	f := relayFlags{
		sysUser: fs.String("system-user", envOr(env, "IGLOWLY_RELAY_SYSTEM_USER",
			embedded.RelaySystemUser), "NATS user in the system account"),
		appUser: fs.String("app-user", envOr(env, "IGLOWLY_RELAY_APP_USER",
			embedded.RelayUser), "NATS user in the application account"),
		sysRef: fs.String("system-password-ref", envOr(env,
			"IGLOWLY_RELAY_SYSTEM_PASSWORD_REF", ""),
			"secret reference of the system user's password"),
		appRef: fs.String("app-password-ref", envOr(env, "IGLOWLY_RELAY_APP_PASSWORD_REF",
			""), "secret reference of the application user's password"),
	}
	if v := envOr(env, "IGLOWLY_RELAY_NATS_LOGS", ""); v != "" {
		c.Logs = strings.Split(v, ",")
	}
	fs.StringVar(&c.Positions, "positions", envOr(env, "IGLOWLY_RELAY_POSITIONS", ""),
		"file where the relay keeps how far it read each --nats-log, to read on from there "+
			"after a restart")
	fromEnv := len(c.Logs) > 0
	fs.Func("nats-log", "a NATS server's log file to read permission violations from "+
		"(repeatable)", func(v string) error {
		if fromEnv {
			c.Logs, fromEnv = nil, false
		}
		c.Logs = append(c.Logs, v)
		return nil
	})
	return f
}

// loadRelay parses the flags of "iglowly security relay" and validates
// them, naming every problem.
func loadRelay(args []string, env config.Env) (*relayConfig, error) {
	fs := flag.NewFlagSet("security relay", flag.ContinueOnError)
	var c relayConfig
	c.System.Register(fs, env)
	c.Vault.Register(fs, env)
	f := registerRelay(fs, &c, env)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var errs []error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "nats-user", "nats-creds", "nats-password-ref":
			errs = append(errs, fmt.Errorf("security relay: --%s has no use "+
				"here: set --system-user and --app-user, and their passwords", f.Name))
		}
	})
	c.System.CredsFile = ""
	c.App = c.System
	c.System.User, c.System.PasswordRef = *f.sysUser, *f.sysRef
	c.System.Password = envOr(env, "IGLOWLY_RELAY_SYSTEM_PASSWORD", "")
	c.App.User, c.App.PasswordRef = *f.appUser, *f.appRef
	c.App.Password = envOr(env, "IGLOWLY_RELAY_APP_PASSWORD", "")
	errs = append(errs, c.System.Validate(), c.Vault.Validate(), c.check(fs.Args()))
	return &c, errors.Join(errs...)
}

// check names the problems of the relay's own settings and of args left
// after the flags.
func (c *relayConfig) check(args []string) error {
	errs := []error{
		relayPassword(&c.System, "IGLOWLY_RELAY_SYSTEM_PASSWORD", "--system-password-ref"),
		relayPassword(&c.App, "IGLOWLY_RELAY_APP_PASSWORD", "--app-password-ref"),
	}
	if len(args) > 0 {
		errs = append(errs, fmt.Errorf("security relay: unexpected argument %q", args[0]))
	}
	if c.App.User == c.System.User {
		errs = append(errs, errors.New("--system-user and --app-user are the same user"))
	}
	for _, f := range c.Logs {
		if !filepath.IsAbs(f) {
			errs = append(errs, fmt.Errorf("--nats-log %q: want an absolute path", f))
		}
	}
	if c.Positions != "" && !filepath.IsAbs(c.Positions) {
		errs = append(errs, fmt.Errorf("--positions %q: want an absolute path", c.Positions))
	}
	return errors.Join(errs...)
}

// relayPassword checks that one of the relay's users has a password, in
// the variable name, or a reference to one, from flagName, not both.
func relayPassword(n *config.NATS, name, flagName string) error {
	switch {
	case n.Password == "" && n.PasswordRef == "":
		return fmt.Errorf("%s is not set, nor %s", name, flagName)
	case n.Password != "" && n.PasswordRef != "":
		return fmt.Errorf("set %s or %s, not both", name, flagName)
	case n.PasswordRef != "":
		if _, err := secrets.ParseRef(n.PasswordRef); err != nil {
			return fmt.Errorf("%s: %w", flagName, err)
		}
	}
	return nil
}

// loadRelayPasswords reads the passwords that references name, through
// Vault when one is set. The source stays open, for reconnections, until
// the returned function closes it.
func loadRelayPasswords(ctx context.Context, c *relayConfig, env config.Env,
	log *slog.Logger) (func(), error) {
	if c.System.PasswordRef == "" && c.App.PasswordRef == "" {
		return func() {}, nil
	}
	src, err := secrets.Open(ctx, c.Vault, env, log)
	if err != nil {
		return nil, fmt.Errorf("opening secrets: %w", err)
	}
	err = errors.Join(c.System.LoadPassword(ctx, src), c.App.LoadPassword(ctx, src))
	if err != nil {
		src.Close()
		return nil, err
	}
	return func() { src.Close() }, nil
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
	return slog.GroupValue(slog.Any("system", c.System), slog.Any("app", c.App),
		slog.Any("vault", c.Vault), slog.Int("logs", len(c.Logs)),
		slog.String("positions", c.Positions))
}

// runRelay runs "iglowly security relay" until ctx ends.
func runRelay(ctx context.Context, args []string, env config.Env,
	log *slog.Logger) error {
	c, err := loadRelay(args, env)
	if err != nil {
		return err
	}
	log.Info("security_relay_config", "config", c)
	closeSecrets, err := loadRelayPasswords(ctx, c, env, log)
	if err != nil {
		return err
	}
	defer closeSecrets()
	sys, err := c.System.ConnectNamed("iglowly-relay-system", log)
	if err != nil {
		return fmt.Errorf("system account: %w", err)
	}
	defer sys.Close()
	app, err := c.App.ConnectNamed("iglowly-relay", log)
	if err != nil {
		return fmt.Errorf("application account: %w", err)
	}
	defer app.Close()
	r, err := embedded.StartRelay(sys, app)
	if err != nil {
		return err
	}
	logs := followLogs(ctx, c, r.SeeLogLine, log)
	log.Info("security_relay_started", "logs", len(c.Logs), "positions", logs.loaded)
	logs.keepPositions(ctx)
	r.Close()
	logs.savePositions()
	s, read := r.Stats(), logs.stats()
	log.Info("security_relay_stopped", "filed", s.Filed, "limited", s.Limited,
		"dropped", s.Dropped, "log_lines", read.Lines, "log_lines_too_long", read.Long,
		"log_files_reopened", read.Reopened)
	return nil
}

// stats sums what the followers read.
func (l *relayLogs) stats() logtail.Stats {
	var sum logtail.Stats
	for _, t := range l.tail {
		s := t.Stats()
		sum.Lines += s.Lines
		sum.Long += s.Long
		sum.Reopened += s.Reopened
	}
	return sum
}

// relayLogs are the relay's followers of the servers' log files.
type relayLogs struct {
	file string // the positions file, "" for none
	log  *slog.Logger
	tail map[string]*logtail.Follower
	wg   sync.WaitGroup
	// loaded counts the logs that had a position in the positions file.
	loaded int
	// saved is what the positions file holds; failing whether saving it
	// failed last.
	saved   map[string]logtail.Position
	failing bool
}

// followLogs follows each of c.Logs, from its saved position in
// c.Positions if it has one, handing its lines to see until ctx ends.
func followLogs(ctx context.Context, c *relayConfig, see func(string),
	log *slog.Logger) *relayLogs {
	l := &relayLogs{file: c.Positions, log: log, tail: map[string]*logtail.Follower{}}
	saved := l.loadPositions()
	for _, f := range c.Logs {
		t := logtail.New(f, 250*time.Millisecond, see)
		t.OnError = func(err error) {
			log.Warn("nats_log_unreadable", "file", f, "error", err)
		}
		if p, ok := saved[f]; ok {
			t.StartFrom(p)
			l.loaded++
		}
		l.tail[f] = t
		l.wg.Go(func() { t.Run(ctx) })
	}
	return l
}

// loadPositions reads the positions file. A file that does not exist
// holds none; one that cannot be read, or is no positions file, is
// logged, without its content, and holds none either: each log is then
// read from its end, as at a first start.
func (l *relayLogs) loadPositions() map[string]logtail.Position {
	if l.file == "" {
		return nil
	}
	saved, err := logtail.ReadPositions(l.file)
	if err != nil {
		l.log.Warn("security_relay_positions_unreadable", "file", l.file, "error", err)
		return nil
	}
	l.saved = saved
	return saved
}

// keepPositions saves the positions every positionsEvery until ctx ends,
// then waits for the followers to stop.
func (l *relayLogs) keepPositions(ctx context.Context) {
	defer l.wg.Wait()
	if l.file == "" {
		<-ctx.Done()
		return
	}
	tick := time.NewTicker(positionsEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			l.savePositions()
		}
	}
}

// savePositions writes where each follower is to the positions file, if
// that changed; the logs no longer followed are left out. A failure is
// logged once until saving works again.
func (l *relayLogs) savePositions() {
	if l.file == "" {
		return
	}
	now := make(map[string]logtail.Position, len(l.tail))
	for f, t := range l.tail {
		if p, ok := t.Position(); ok {
			now[f] = p
		}
	}
	if l.saved != nil && maps.Equal(now, l.saved) {
		return
	}
	if err := logtail.WritePositions(l.file, now); err != nil {
		if !l.failing {
			l.log.Warn("security_relay_positions_not_saved", "file", l.file, "error", err)
		}
		l.failing = true
		return
	}
	l.saved, l.failing = now, false
}
