// Package config holds the settings of each component, loaded from flags
// and IGLOWLY_* environment variables and validated all at once, and the
// clinic configuration: its type, the demo clinics, and a store that
// follows the "clinics" bucket.
package config

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config/secrets"
)

// NATS says how a component reaches NATS in production.
type NATS struct {
	// URL is the server URL, or a comma-separated list of cluster nodes;
	// env IGLOWLY_NATS_URL, default nats://127.0.0.1:4222.
	URL string
	// User and Password authenticate the component; env IGLOWLY_NATS_USER,
	// IGLOWLY_NATS_PASSWORD, no default (a user or CredsFile is
	// required). The user names the replica too: the component's name
	// when it runs one replica, <component>-<n> (edge-2) for replica n of
	// several, each with reply inboxes of its own. Password is secret and
	// has no flag.
	User     string
	Password string
	// PasswordRef is the secret reference of the password instead of
	// Password: vault://mount/path#field, file:///abs/path or env://NAME,
	// read once at start by LoadPassword; flag --nats-password-ref, env
	// IGLOWLY_NATS_PASSWORD_REF, no default. A reference is no secret.
	PasswordRef string
	// CredsFile is a NATS credentials file, instead of user and password;
	// env IGLOWLY_NATS_CREDS, default none.
	CredsFile string
	// CAFile, CertFile and KeyFile are PEM files that configure TLS; env
	// IGLOWLY_NATS_CA, IGLOWLY_NATS_CERT, IGLOWLY_NATS_KEY, default none
	// (no TLS). CertFile and KeyFile go together.
	CAFile, CertFile, KeyFile string
	// Insecure lets the component connect without TLS, for local testing
	// only (against "iglowly dev --nats-listen" or the compose demo); env
	// IGLOWLY_NATS_INSECURE (true or false), default false: without it a
	// component refuses to start unless TLS is set.
	Insecure bool

	envErr error
	// pwSource and pwRef read the password again at each connection
	// when LoadPassword read it from a reference.
	pwSource secrets.Source
	pwRef    secrets.Ref
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

// envReader reads typed values from an Env and keeps a problem for each
// value that does not parse, so that a load reports them together with
// its other problems instead of using the default silently. A problem
// names the variable, never its value, which may be a secret.
type envReader struct {
	env  Env
	errs []error
}

// duration reads a Go duration such as 30m or 90s; def if unset.
func (r *envReader) duration(name string, def time.Duration) time.Duration {
	v := r.env.or(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s is not a duration with a unit (s, m or h)", name))
		return def
	}
	return d
}

// int reads a decimal integer; def if unset.
func (r *envReader) int(name string, def int) int {
	v := r.env.or(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s is not a whole number", name))
		return def
	}
	return n
}

// bool reads true or false (or 1, 0, t, f); def if unset.
func (r *envReader) bool(name string, def bool) bool {
	v := r.env.or(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s is not true or false", name))
		return def
	}
	return b
}

// err joins the problems found so far; nil if there are none.
func (r *envReader) err() error { return errors.Join(r.errs...) }

// Register adds the NATS flags to fs, with defaults from env.
func (n *NATS) Register(fs *flag.FlagSet, env Env) {
	fs.StringVar(&n.URL, "nats", env.or("IGLOWLY_NATS_URL", nats.DefaultURL), "NATS server URL(s)")
	fs.StringVar(&n.User, "nats-user", env.or("IGLOWLY_NATS_USER", ""),
		"NATS user: the component's name, or <component>-<n> for replica n of several")
	n.Password = env.or("IGLOWLY_NATS_PASSWORD", "")
	fs.StringVar(&n.PasswordRef, "nats-password-ref",
		env.or("IGLOWLY_NATS_PASSWORD_REF", ""),
		"secret reference of the NATS password: vault://mount/path#field, file://, env://")
	fs.StringVar(&n.CredsFile, "nats-creds", env.or("IGLOWLY_NATS_CREDS", ""), "NATS credentials file")
	fs.StringVar(&n.CAFile, "nats-ca", env.or("IGLOWLY_NATS_CA", ""), "CA file for NATS TLS")
	fs.StringVar(&n.CertFile, "nats-cert", env.or("IGLOWLY_NATS_CERT", ""),
		"client certificate for NATS TLS")
	fs.StringVar(&n.KeyFile, "nats-key", env.or("IGLOWLY_NATS_KEY", ""), "client key for NATS TLS")
	r := &envReader{env: env}
	fs.BoolVar(&n.Insecure, "nats-insecure", r.bool("IGLOWLY_NATS_INSECURE", false),
		"connect to NATS without TLS, for local testing only")
	n.envErr = r.err()
}

// usesTLS reports whether the settings ask for TLS: a CA, a client
// certificate, or tls:// URLs only.
func (n *NATS) usesTLS() bool {
	if n.CAFile != "" || n.CertFile != "" {
		return true
	}
	for _, u := range strings.Split(n.URL, ",") {
		if !strings.HasPrefix(strings.TrimSpace(u), "tls://") {
			return false
		}
	}
	return n.URL != ""
}

// errNoTLS is the refusal of a production component without TLS.
var errNoTLS = errors.New("nats: TLS is required: set --nats-ca (with --nats-cert " +
	"and --nats-key for mutual TLS) or tls:// URLs; --nats-insecure connects " +
	"in clear, for local testing only")

// Validate names every problem of the NATS settings.
func (n *NATS) Validate() error {
	errs := []error{n.envErr}
	if n.URL == "" {
		errs = append(errs, errors.New("nats: URL is empty"))
	}
	if !n.Insecure && !n.usesTLS() {
		errs = append(errs, errNoTLS)
	}
	if n.CredsFile == "" && n.User == "" {
		errs = append(errs, errors.New("nats: set a user (and IGLOWLY_NATS_PASSWORD) "+
			"or a creds file"))
	}
	if (n.CertFile == "") != (n.KeyFile == "") {
		errs = append(errs, errors.New("nats: TLS certificate and key go together"))
	}
	errs = append(errs, n.validatePasswordRef())
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

// validatePasswordRef checks the password's reference, if there is one.
func (n *NATS) validatePasswordRef() error {
	if n.PasswordRef == "" {
		return nil
	}
	if n.Password != "" {
		return errors.New("nats: set IGLOWLY_NATS_PASSWORD or --nats-password-ref, " +
			"not both")
	}
	if n.CredsFile != "" {
		return errors.New("nats: a creds file needs no password reference")
	}
	if _, err := secrets.ParseRef(n.PasswordRef); err != nil {
		return fmt.Errorf("nats: --nats-password-ref: %w", err)
	}
	return nil
}

// LoadPassword reads the password that PasswordRef names from src
// before Connect; without a reference it does nothing. An empty secret
// is an error: no user logs in without a password. Connect then reads it
// again from src at each reconnection, so that a password changed in
// Vault (and on the servers, which drop the connections it no longer
// admits) is used once src serves it, without a restart; src must stay
// open as long as the connection.
func (n *NATS) LoadPassword(ctx context.Context, src secrets.Source) error {
	if n.PasswordRef == "" {
		return nil
	}
	ref, err := secrets.ParseRef(n.PasswordRef)
	if err != nil {
		return fmt.Errorf("nats password: %w", err)
	}
	pw, err := src.Get(ctx, ref)
	if err != nil {
		return fmt.Errorf("reading the nats password: %w", err)
	}
	if pw.IsZero() {
		return fmt.Errorf("reading the nats password: %s is empty", ref)
	}
	n.Password = pw.Reveal()
	n.pwSource, n.pwRef = src, ref
	return nil
}

// Login is the option that logs in with n's credentials: the creds file,
// or the user with the password, read again from its reference at each
// reconnection when LoadPassword read it from one.
func (n *NATS) Login(log *slog.Logger) nats.Option {
	switch {
	case n.CredsFile != "":
		return nats.UserCredentials(n.CredsFile)
	case n.pwSource != nil:
		return nats.UserInfoHandler(n.userInfo(log))
	}
	return nats.UserInfo(n.User, n.Password)
}

// passwordTimeout bounds the read of the password at a reconnection.
const passwordTimeout = 5 * time.Second

// userInfo returns the login of a (re)connection: the password read
// again from its reference, or the one read last if that fails.
func (n *NATS) userInfo(log *slog.Logger) func() (string, string) {
	var mu sync.Mutex
	last := n.Password
	return func() (string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), passwordTimeout)
		defer cancel()
		pw, err := n.pwSource.Get(ctx, n.pwRef)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			log.Warn("nats_password_not_reloaded", "ref", n.pwRef, "error", err)
		case !pw.IsZero() && pw.Reveal() != last:
			last = pw.Reveal()
			log.Info("nats_password_reloaded", "ref", n.pwRef)
		}
		return n.User, last
	}
}

// ValidateAs names every problem of the NATS settings of a replica of
// component: those of Validate, and a user that is not one of the
// component's.
func (n *NATS) ValidateAs(component string) error {
	_, err := n.Replica(component)
	return errors.Join(n.Validate(), err)
}

// Replica returns the replica of component that the NATS user names: 0
// for a component's only replica (the user is the component's name, or
// none is set, with a creds file), n for <component>-<n>. Each replica
// has its own reply inboxes, which no other replica may read.
func (n *NATS) Replica(component string) (int, error) {
	if n.User == "" {
		return 0, nil
	}
	comp, replica, ok := ParseNATSUser(n.User)
	if !ok || comp != component {
		return 0, fmt.Errorf("nats: user %q is not %s's: want %s, or %s-<n> "+
			"for replica n of several (1 to %d)", n.User, component, component,
			component, MaxComponentReplicas)
	}
	return replica, nil
}

// MaxComponentReplicas is the most replicas of one component that have
// NATS users of their own.
const MaxComponentReplicas = 99

// NATSUser returns the NATS user of a replica of component: the
// component's name for its only replica (replica 0), <component>-<n> for
// replica n of several.
func NATSUser(component string, replica int) string {
	if replica == 0 {
		return component
	}
	return component + "-" + strconv.Itoa(replica)
}

// ParseNATSUser splits a NATS user name into its component and replica,
// the inverse of NATSUser; ok is false for a name of neither shape. A
// component name is lower-case letters; a replica number runs from 1 to
// MaxComponentReplicas, without leading zeros.
func ParseNATSUser(user string) (component string, replica int, ok bool) {
	component, num, numbered := strings.Cut(user, "-")
	if !lowerWord(component) {
		return "", 0, false
	}
	if !numbered {
		return component, 0, true
	}
	replica, err := strconv.Atoi(num)
	if err != nil || replica < 1 || replica > MaxComponentReplicas ||
		strconv.Itoa(replica) != num {
		return "", 0, false
	}
	return component, replica, true
}

func lowerWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// InboxPrefix returns the reply-inbox prefix of a replica of component:
// _INBOX.<component> for its only replica, _INBOX.<component>.<n> for
// replica n of several. A replica's subscribe permission is its prefix
// followed by ".>", so no replica reads another's inboxes.
func InboxPrefix(component string, replica int) string {
	if replica == 0 {
		return "_INBOX." + component
	}
	return "_INBOX." + component + "." + strconv.Itoa(replica)
}

// LogValue shows the settings with secrets masked.
func (n NATS) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", n.URL), slog.String("user", n.User),
		slog.Bool("password_set", n.Password != ""),
		slog.String("password_ref", n.PasswordRef), slog.String("creds", n.CredsFile),
		slog.Bool("tls", n.usesTLS()), slog.Bool("insecure", n.Insecure))
}

// Connect connects as component, with the inbox prefix of the replica
// its user names, reconnecting forever and logging connection trouble
// without content. A user of another component is refused before any
// connection is made.
func (n *NATS) Connect(component string, log *slog.Logger) (*nats.Conn, error) {
	replica, err := n.Replica(component)
	if err != nil {
		return nil, err
	}
	return n.ConnectNamed("iglowly-"+NATSUser(component, replica), log,
		nats.CustomInboxPrefix(InboxPrefix(component, replica)))
}

// ConnectNamed connects with n's settings under the connection name
// name, with opts besides, reconnecting forever and logging connection
// trouble without content: Connect for a component, and tools that are
// no component (the security relay) directly.
func (n *NATS) ConnectNamed(name string, log *slog.Logger,
	opts ...nats.Option) (*nats.Conn, error) {
	opts = append(opts,
		nats.Name(name),
		n.Login(log),
		nats.MaxReconnects(-1),
		// A refused login does not end the reconnecting: the password
		// may be changing, and is read again at the next attempt.
		nats.IgnoreAuthErrorAbort(),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Error("nats_error", "error", err)
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("nats_disconnected", "error", err)
		}),
	)
	if !n.usesTLS() {
		log.Warn("nats_insecure", "message", "NATS WITHOUT TLS: passwords and chat "+
			"messages cross the network in clear; for local testing only")
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
	// NATS is how the edge connects to NATS.
	NATS NATS
	// HTTPAddr is the host:port to listen on; env IGLOWLY_HTTP, default
	// :8080.
	HTTPAddr string
	// SessionKeys is the secret reference of the session signing key
	// ring: vault://mount/path#current (with previous and previous_until
	// beside it), or a file:// or env:// reference to the key ring "iglowly
	// keys rotate" writes; env IGLOWLY_SESSION_KEYS, no default. It or
	// SessionKeyFile is required.
	SessionKeys string
	// SessionKeyFile is the file holding the session key ring, the same
	// as SessionKeys file:///abs/path; env IGLOWLY_SESSION_KEY_FILE, no
	// default. Deprecated: use SessionKeys.
	SessionKeyFile string
	// AddressKey is the secret reference of the key that hashes client
	// addresses for the limits, at least 32 random bytes, the same on
	// every edge and never a signing key; env IGLOWLY_ADDRESS_KEY, no
	// default. It or AddressKeyFile is required.
	AddressKey string
	// AddressKeyFile is the file holding the address key, the same as
	// AddressKey file:///abs/path; env IGLOWLY_ADDRESS_KEY_FILE.
	AddressKeyFile string
	// SessionKeysRef and AddressKeyRef are SessionKeys and AddressKey
	// (or their files) parsed, set by LoadEdge.
	SessionKeysRef, AddressKeyRef secrets.Ref
	// Vault says how to reach Vault for vault:// references; without an
	// address only file:// and env:// references resolve.
	Vault secrets.Config
	// SessionIdle is how long an unused session lives, at least 1 min and
	// at most SessionMax; env IGLOWLY_SESSION_IDLE as a Go duration
	// (30m), default 30 min.
	SessionIdle time.Duration
	// SessionMax is the hard lifetime of a session; env
	// IGLOWLY_SESSION_MAX as a Go duration (4h), default 4 h.
	SessionMax time.Duration
	// AnswerTimeout is the longest wait for an answer, at least 1 s; env
	// IGLOWLY_ANSWER_TIMEOUT as a Go duration (30s), default 30 s.
	AnswerTimeout time.Duration
	// BodyReadTimeout is how long a client has, after its headers, to
	// send a request body, 1 s to 5 min; env IGLOWLY_BODY_TIMEOUT as a Go
	// duration, default 10 s.
	BodyReadTimeout time.Duration
	// WriteTimeout bounds each write of a response, not the whole
	// response: a client that reads nothing for this long has its
	// request ended; 1 s to 5 min; env IGLOWLY_WRITE_TIMEOUT as a Go
	// duration, default 10 s.
	WriteTimeout time.Duration
	// MetricsAddr is the host:port of the metrics listener, apart from
	// HTTPAddr and meant for the operator's network only; env
	// IGLOWLY_METRICS_ADDR, default DefaultMetricsAddr (127.0.0.1:9464);
	// empty (the flag only) or "off" serves no metrics.
	MetricsAddr string
	// TLSCertFile and TLSKeyFile are the PEM certificate chain and key
	// the edge serves HTTPS with, read again when they change; env
	// IGLOWLY_TLS_CERT, IGLOWLY_TLS_KEY, default none (plain HTTP, for
	// a proxy that terminates TLS). They go together.
	TLSCertFile, TLSKeyFile string
	// SessionRate, AddressRate and AddressSessionRate bound the chats of
	// one session, the chats from one client address and the sessions
	// opened from one address, across every edge, as N/duration; env
	// IGLOWLY_SESSION_RATE, IGLOWLY_ADDRESS_RATE,
	// IGLOWLY_ADDRESS_SESSION_RATE, defaults DefaultSessionRate (5/15s),
	// DefaultAddressRate (30/30s), DefaultAddressSessionRate (10/1m).
	SessionRate, AddressRate, AddressSessionRate Rate
	// DailyChats is the daily chat budget of a clinic that sets none, 1
	// to MaxDailyChats; env IGLOWLY_DAILY_CHATS, default
	// DefaultDailyChats (2000).
	DailyChats int
	// TrustedProxies are the networks of the load balancers in front of
	// the edge, whose X-Forwarded-For names the client; env
	// IGLOWLY_TRUSTED_PROXIES, comma-separated CIDR, default none.
	TrustedProxies Prefixes
}

// LoadEdge parses the edge's flags and environment and validates them,
// naming every problem, unparsable environment values among them.
func LoadEdge(args []string, env Env) (*Edge, error) {
	c := &Edge{}
	fs := flag.NewFlagSet("edge", flag.ContinueOnError)
	envErr := c.register(fs, env)
	if err := fs.Parse(args); err != nil {
		return nil, errors.Join(err, envErr)
	}
	return c, errors.Join(envErr, c.validate())
}

// register adds the edge's flags to fs, with defaults from env, and
// returns the environment values that do not parse.
func (c *Edge) register(fs *flag.FlagSet, env Env) error {
	r := &envReader{env: env}
	c.NATS.Register(fs, env)
	fs.StringVar(&c.HTTPAddr, "http", env.or("IGLOWLY_HTTP", ":8080"), "HTTP listen address")
	c.registerSecrets(fs, env)
	fs.DurationVar(&c.SessionIdle, "session-idle",
		r.duration("IGLOWLY_SESSION_IDLE", 30*time.Minute), "session idle timeout")
	fs.DurationVar(&c.SessionMax, "session-max",
		r.duration("IGLOWLY_SESSION_MAX", 4*time.Hour), "session hard lifetime")
	fs.DurationVar(&c.AnswerTimeout, "answer-timeout",
		r.duration("IGLOWLY_ANSWER_TIMEOUT", 30*time.Second), "longest wait for an answer")
	fs.DurationVar(&c.BodyReadTimeout, "body-timeout",
		r.duration("IGLOWLY_BODY_TIMEOUT", 10*time.Second),
		"longest time to send a request body after its headers")
	c.registerEdgeListeners(fs, r)
	c.registerEdgeSecurity(fs, r)
	return r.err()
}

// validate names every problem of the parsed edge settings.
func (c *Edge) validate() error {
	errs := []error{c.NATS.ValidateAs("edge"), c.Vault.Validate()}
	var err error
	c.SessionKeysRef, err = refOrFile("session keys", c.SessionKeys, c.SessionKeyFile,
		"IGLOWLY_SESSION_KEYS", "IGLOWLY_SESSION_KEY_FILE", &c.Vault)
	errs = append(errs, err)
	c.AddressKeyRef, err = refOrFile("address key", c.AddressKey, c.AddressKeyFile,
		"IGLOWLY_ADDRESS_KEY", "IGLOWLY_ADDRESS_KEY_FILE", &c.Vault)
	errs = append(errs, err)
	if c.SessionKeysRef == c.AddressKeyRef && !c.SessionKeysRef.IsZero() {
		errs = append(errs, errors.New("address key: must be a secret of its own, "+
			"not the session keys"))
	}
	if c.SessionIdle < time.Minute || c.SessionMax < c.SessionIdle {
		errs = append(errs, errors.New("session idle must be >= 1m and <= session max"))
	}
	if c.AnswerTimeout < time.Second {
		errs = append(errs, errors.New("answer timeout must be >= 1s"))
	}
	if c.BodyReadTimeout < time.Second || c.BodyReadTimeout > 5*time.Minute {
		errs = append(errs, errors.New("body timeout must be between 1s and 5m"))
	}
	errs = append(errs, c.validateEdgeListeners(), c.validateEdgeSecurity())
	return errors.Join(errs...)
}

// Worker holds the settings of "iglowly worker <stage>".
type Worker struct {
	// NATS is how the worker connects to NATS.
	NATS NATS
	// Stage is "sanitiser", "inference" or "response", from the command
	// line; no default.
	Stage string
	// Concurrency is the most messages one process handles at once, 1 to
	// 65536; env IGLOWLY_CONCURRENCY, default 256.
	Concurrency int
	// ModelKeys are the model providers' API keys of the inference
	// worker, as comma-separated provider=reference pairs such as
	// openai=vault://iglowly/inference/model-keys#openai; env
	// IGLOWLY_MODEL_KEYS, default none (the local model needs no key).
	// Other stages refuse it.
	ModelKeys string
	// ModelKeyRefs is ModelKeys parsed, by provider; set by LoadWorker.
	ModelKeyRefs map[string]secrets.Ref
	// ModelEndpoints replaces model providers' API base URLs, as
	// comma-separated provider=URL pairs such as
	// openai=https://api.example.eu/v1 for an OpenAI-compatible endpoint;
	// env IGLOWLY_MODEL_ENDPOINTS, default none (each provider's own).
	ModelEndpoints string
	// ModelEndpointURLs is ModelEndpoints parsed; set by LoadWorker.
	ModelEndpointURLs map[string]string
	// ModelConnectTimeout bounds connecting to a model provider, 100 ms
	// to 1 min; env IGLOWLY_MODEL_CONNECT_TIMEOUT, default 5 s.
	ModelConnectTimeout time.Duration
	// ModelTimeout bounds one model call, the streamed answer included,
	// 1 s to 10 min; env IGLOWLY_MODEL_TIMEOUT, default 25 s, below the
	// edge's default answer timeout (30 s), so a slow model is given up
	// before the visitor is.
	ModelTimeout time.Duration
	// Vault says how to reach Vault for vault:// references.
	Vault secrets.Config
}

// LoadWorker parses a worker's flags and environment and validates them,
// naming every problem, unparsable environment values among them.
func LoadWorker(stage string, args []string, env Env) (*Worker, error) {
	c := &Worker{Stage: stage}
	r := &envReader{env: env}
	fs := flag.NewFlagSet("worker "+stage, flag.ContinueOnError)
	c.NATS.Register(fs, env)
	fs.IntVar(&c.Concurrency, "concurrency", r.int("IGLOWLY_CONCURRENCY", 256),
		"most messages handled at once")
	fs.StringVar(&c.ModelKeys, "model-keys", env.or("IGLOWLY_MODEL_KEYS", ""),
		"inference: provider=reference pairs of the model API keys, comma-separated")
	c.registerModels(fs, r, env)
	c.Vault.Register(fs, env.orNone())
	if err := fs.Parse(args); err != nil {
		return nil, errors.Join(err, r.err())
	}
	errs := []error{r.err(), c.NATS.ValidateAs(stage), c.Vault.Validate(),
		c.parseModelKeys()}
	switch stage {
	case "sanitiser", "inference", "response":
	default:
		errs = append(errs, fmt.Errorf("unknown worker %q: want sanitiser, inference "+
			"or response", stage))
	}
	if c.Concurrency < 1 || c.Concurrency > 65536 {
		errs = append(errs, errors.New("concurrency must be in [1, 65536]"))
	}
	errs = append(errs, c.validateModels())
	return c, errors.Join(errs...)
}

// Provision holds the settings of "iglowly provision" besides its NATS
// connection and clinic files.
type Provision struct {
	// Replicas is how many servers of a cluster keep each bucket, so that
	// losing a node loses nothing: 1 on a single server, 3 on a
	// three-node cluster, at most server.StreamMaxReplicas (5); env
	// IGLOWLY_REPLICAS, default 1.
	Replicas int

	envErr error
}

// Register adds the provision flags to fs, with defaults from env; the
// environment values that do not parse are reported by Validate.
func (p *Provision) Register(fs *flag.FlagSet, env Env) {
	r := &envReader{env: env}
	fs.IntVar(&p.Replicas, "replicas", r.int("IGLOWLY_REPLICAS", 1),
		"servers that keep each bucket: 1, or 3 on a three-node cluster (env IGLOWLY_REPLICAS)")
	p.envErr = r.err()
}

// Validate names every problem of the provision settings.
func (p *Provision) Validate() error {
	errs := []error{p.envErr}
	if p.Replicas < 1 || p.Replicas > server.StreamMaxReplicas {
		errs = append(errs, fmt.Errorf("--replicas %d: want 1 to %d",
			p.Replicas, server.StreamMaxReplicas))
	}
	return errors.Join(errs...)
}

// registerSecrets adds the edge's secret references and the Vault flags
// to fs, with defaults from env.
func (c *Edge) registerSecrets(fs *flag.FlagSet, env Env) {
	fs.StringVar(&c.SessionKeys, "session-keys", env.or("IGLOWLY_SESSION_KEYS", ""),
		"secret reference of the session key ring (vault://, file:// or env://)")
	fs.StringVar(&c.SessionKeyFile, "session-key-file", env.or("IGLOWLY_SESSION_KEY_FILE", ""),
		"file holding the session key ring (deprecated: --session-keys file:///...)")
	fs.StringVar(&c.AddressKey, "address-key", env.or("IGLOWLY_ADDRESS_KEY", ""),
		"secret reference of the key that hashes client addresses")
	fs.StringVar(&c.AddressKeyFile, "address-key-file", env.or("IGLOWLY_ADDRESS_KEY_FILE", ""),
		"file holding the address key (or --address-key file:///...)")
	c.Vault.Register(fs, env.orNone())
}

// orNone returns e as a plain function, one that finds nothing when e is
// nil (secrets.Config.Register would read the process's environment).
func (e Env) orNone() func(string) string {
	if e == nil {
		return func(string) string { return "" }
	}
	return e
}

// refOrFile parses the reference of one secret, given either as a
// reference or as a file name, and checks that it can resolve with
// vault's settings. Errors name the setting, never its text.
func refOrFile(what, ref, file, refVar, fileVar string,
	vault *secrets.Config) (secrets.Ref, error) {
	switch {
	case ref != "" && file != "":
		return secrets.Ref{}, fmt.Errorf("%s: set %s or %s, not both", what, refVar, fileVar)
	case ref == "" && file == "":
		return secrets.Ref{}, fmt.Errorf("%s: %s (or %s) is required", what, refVar, fileVar)
	case file != "":
		abs, err := filepath.Abs(file)
		if err != nil {
			return secrets.Ref{}, fmt.Errorf("%s: %s: %w", what, fileVar, err)
		}
		ref = "file://" + abs
	}
	r, err := secrets.ParseRef(ref)
	if err != nil {
		return secrets.Ref{}, fmt.Errorf("%s (%s): %w", what, refVar, err)
	}
	if err := vault.Resolvable(r); err != nil {
		return secrets.Ref{}, fmt.Errorf("%s: %w", what, err)
	}
	return r, nil
}

// parseModelKeys parses ModelKeys into ModelKeyRefs, and checks that only
// the inference worker has them and that each can resolve.
func (c *Worker) parseModelKeys() error {
	refs, err := secrets.ParseProviderRefs(c.ModelKeys)
	if err != nil {
		return fmt.Errorf("IGLOWLY_MODEL_KEYS: %w", err)
	}
	if len(refs) > 0 && c.Stage != "inference" {
		return errors.New("model keys: only the inference worker uses them")
	}
	var errs []error
	for _, p := range secrets.Providers(refs) {
		if err := c.Vault.Resolvable(refs[p]); err != nil {
			errs = append(errs, fmt.Errorf("model key %s: %w", p, err))
		}
	}
	c.ModelKeyRefs = refs
	return errors.Join(errs...)
}
