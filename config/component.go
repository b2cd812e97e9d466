// Package config holds the settings of each component, loaded from flags
// and IGLOWLY_* environment variables and validated all at once, and the
// clinic configuration: its type, the demo clinics, and a store that
// follows the "clinics" bucket.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
)

// NATS says how a component reaches NATS in production.
type NATS struct {
	// URL is the server URL list; env IGLOWLY_NATS_URL.
	URL string
	// User and Password authenticate the component; env IGLOWLY_NATS_USER,
	// IGLOWLY_NATS_PASSWORD. Password is secret.
	User     string
	Password string
	// CredsFile is a NATS credentials file, instead of user and password;
	// env IGLOWLY_NATS_CREDS.
	CredsFile string
	// CAFile, CertFile and KeyFile configure TLS; env IGLOWLY_NATS_CA,
	// IGLOWLY_NATS_CERT, IGLOWLY_NATS_KEY.
	CAFile, CertFile, KeyFile string
}

// Env reads an environment variable; tests pass their own.
type Env func(string) string

func (e Env) or(name, def string) string {
	if e != nil {
		if v := e(name); v != "" {
			return v
		}
	}
	return def
}

func (e Env) duration(name string, def time.Duration) time.Duration {
	if v := e.or(name, ""); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func (e Env) int(name string, def int) int {
	if v := e.or(name, ""); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// Register adds the NATS flags to fs, with defaults from env.
func (n *NATS) Register(fs *flag.FlagSet, env Env) {
	fs.StringVar(&n.URL, "nats", env.or("IGLOWLY_NATS_URL", nats.DefaultURL), "NATS server URL(s)")
	fs.StringVar(&n.User, "nats-user", env.or("IGLOWLY_NATS_USER", ""), "NATS user")
	n.Password = env.or("IGLOWLY_NATS_PASSWORD", "")
	fs.StringVar(&n.CredsFile, "nats-creds", env.or("IGLOWLY_NATS_CREDS", ""), "NATS credentials file")
	fs.StringVar(&n.CAFile, "nats-ca", env.or("IGLOWLY_NATS_CA", ""), "CA file for NATS TLS")
	fs.StringVar(&n.CertFile, "nats-cert", env.or("IGLOWLY_NATS_CERT", ""), "client certificate for NATS TLS")
	fs.StringVar(&n.KeyFile, "nats-key", env.or("IGLOWLY_NATS_KEY", ""), "client key for NATS TLS")
}

// Validate names every problem of the NATS settings.
func (n *NATS) Validate() error {
	var errs []error
	if n.URL == "" {
		errs = append(errs, errors.New("nats: URL is empty"))
	}
	if n.CredsFile == "" && n.User == "" {
		errs = append(errs, errors.New("nats: set a user (and IGLOWLY_NATS_PASSWORD) or a creds file"))
	}
	if (n.CertFile == "") != (n.KeyFile == "") {
		errs = append(errs, errors.New("nats: TLS certificate and key go together"))
	}
	for _, f := range []string{n.CredsFile, n.CAFile, n.CertFile, n.KeyFile} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			errs = append(errs, fmt.Errorf("nats: %w", err))
		}
	}
	return errors.Join(errs...)
}

// LogValue shows the settings with secrets masked.
func (n NATS) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", n.URL), slog.String("user", n.User),
		slog.Bool("password_set", n.Password != ""), slog.String("creds", n.CredsFile),
		slog.Bool("tls", n.CAFile != "" || n.CertFile != ""))
}

// Connect connects as component, with the component's own inbox prefix,
// reconnecting forever and logging connection trouble without content.
func (n *NATS) Connect(component string, log *slog.Logger) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name("iglowly-" + component),
		nats.CustomInboxPrefix("_INBOX." + component),
		nats.MaxReconnects(-1),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Error("nats_error", "error", err)
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("nats_disconnected", "error", err)
		}),
	}
	if n.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(n.CredsFile))
	} else {
		opts = append(opts, nats.UserInfo(n.User, n.Password))
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

// Edge holds the settings of "iglowly edge".
type Edge struct {
	NATS NATS
	// HTTPAddr is the listen address; env IGLOWLY_HTTP, default :8080.
	HTTPAddr string
	// SessionKeyFile holds the session signing key (at least 32 bytes);
	// env IGLOWLY_SESSION_KEY_FILE.
	SessionKeyFile string
	// SessionIdle, default 30 min; env IGLOWLY_SESSION_IDLE.
	SessionIdle time.Duration
	// SessionMax, default 4 h; env IGLOWLY_SESSION_MAX.
	SessionMax time.Duration
	// AnswerTimeout, default 30 s; env IGLOWLY_ANSWER_TIMEOUT.
	AnswerTimeout time.Duration
}

// LoadEdge parses the edge's flags and environment and validates them.
func LoadEdge(args []string, env Env) (*Edge, error) {
	c := &Edge{}
	fs := flag.NewFlagSet("edge", flag.ContinueOnError)
	c.NATS.Register(fs, env)
	fs.StringVar(&c.HTTPAddr, "http", env.or("IGLOWLY_HTTP", ":8080"), "HTTP listen address")
	fs.StringVar(&c.SessionKeyFile, "session-key-file", env.or("IGLOWLY_SESSION_KEY_FILE", ""),
		"file holding the session signing key")
	fs.DurationVar(&c.SessionIdle, "session-idle", env.duration("IGLOWLY_SESSION_IDLE", 30*time.Minute),
		"session idle timeout")
	fs.DurationVar(&c.SessionMax, "session-max", env.duration("IGLOWLY_SESSION_MAX", 4*time.Hour),
		"session hard lifetime")
	fs.DurationVar(&c.AnswerTimeout, "answer-timeout", env.duration("IGLOWLY_ANSWER_TIMEOUT", 30*time.Second),
		"longest wait for an answer")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	errs := []error{c.NATS.Validate()}
	if c.SessionKeyFile == "" {
		errs = append(errs, errors.New("session key file is required"))
	}
	if c.SessionIdle < time.Minute || c.SessionMax < c.SessionIdle {
		errs = append(errs, errors.New("session idle must be >= 1m and <= session max"))
	}
	if c.AnswerTimeout < time.Second {
		errs = append(errs, errors.New("answer timeout must be >= 1s"))
	}
	return c, errors.Join(errs...)
}

// Worker holds the settings of "iglowly worker <stage>".
type Worker struct {
	NATS NATS
	// Stage is "sanitiser", "inference" or "response".
	Stage string
	// Concurrency is the most messages handled at once; env
	// IGLOWLY_CONCURRENCY, default 256.
	Concurrency int
}

// LoadWorker parses a worker's flags and environment and validates them.
func LoadWorker(stage string, args []string, env Env) (*Worker, error) {
	c := &Worker{Stage: stage}
	fs := flag.NewFlagSet("worker "+stage, flag.ContinueOnError)
	c.NATS.Register(fs, env)
	fs.IntVar(&c.Concurrency, "concurrency", env.int("IGLOWLY_CONCURRENCY", 256),
		"most messages handled at once")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	errs := []error{c.NATS.Validate()}
	switch stage {
	case "sanitiser", "inference", "response":
	default:
		errs = append(errs, fmt.Errorf("unknown worker %q: want sanitiser, inference or response", stage))
	}
	if c.Concurrency < 1 || c.Concurrency > 65536 {
		errs = append(errs, errors.New("concurrency must be in [1, 65536]"))
	}
	return c, errors.Join(errs...)
}
