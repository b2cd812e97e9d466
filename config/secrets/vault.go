package secrets

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/vault/api"
	"github.com/hashicorp/vault/api/auth/approle"
)

// Client is the production Source and Transit: it resolves vault://
// references through Vault's KV v2 engines, file:// and env:// ones
// locally, and encrypts through Vault's transit engine. It stays logged in
// (renewing its token, logging in again at the token's max TTL) until
// Close. Make one with Open.
type Client struct {
	cfg   Config
	log   *slog.Logger
	local Local
	vault *api.Client // nil without a Vault address

	cache cache

	tokenUntil atomic.Int64 // unix nanoseconds when the token expires; 0: never
	logins     atomic.Int64
	renewals   atomic.Int64

	stop context.CancelFunc
	done chan struct{}
}

// Status tells how the client's Vault session stands, for health checks,
// metrics and tests. It holds no secret.
type Status struct {
	// Logins counts successful logins, the first one included.
	Logins int64
	// Renewals counts successful token renewals.
	Renewals int64
	// TokenExpires is when the current token expires; zero if it never
	// does or there is no Vault.
	TokenExpires time.Time
}

// Open logs in to Vault as cfg says and returns a Client that stays logged
// in until Close. A Vault that cannot be reached, or refuses the login, is
// an error naming the address, never the token or secret id. Without an
// address the Client resolves only file:// and env:// references. env
// reads environment variables for env:// references; nil means os.Getenv.
func Open(ctx context.Context, cfg Config, env func(string) string,
	log *slog.Logger) (*Client, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, log: log, local: Local{Env: env, Log: log}, done: make(chan struct{})}
	c.cache.entries = map[string]*entry{}
	if !cfg.Enabled() {
		close(c.done)
		c.stop = func() {}
		return c, nil
	}
	var err error
	if c.vault, err = newAPIClient(cfg); err != nil {
		return nil, err
	}
	lctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	s, err := c.login(lctx)
	cancel()
	if err != nil {
		return nil, err
	}
	wctx, stop := context.WithCancel(context.Background())
	c.stop = stop
	go c.stayLoggedIn(wctx, s)
	return c, nil
}

// newAPIClient builds a Vault API client from cfg alone: it ignores the
// VAULT_* environment variables that the API reads on its own (address,
// TLS, token, namespace), so that only IGLOWLY_* settings count.
func newAPIClient(cfg Config) (*api.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	ac := &api.Config{
		Address: strings.TrimSuffix(cfg.Addr, "/"),
		HttpClient: &http.Client{Transport: tr, CheckRedirect: func(*http.Request,
			[]*http.Request) error {
			return http.ErrUseLastResponse
		}},
		Timeout:      cfg.Timeout,
		MaxRetries:   1,
		MinRetryWait: 200 * time.Millisecond,
		MaxRetryWait: time.Second,
	}
	if cfg.CAFile != "" {
		if err := ac.ConfigureTLS(&api.TLSConfig{CACert: cfg.CAFile}); err != nil {
			return nil, fmt.Errorf("vault at %s: reading the CA file: %w", cfg.Addr, err)
		}
	}
	vc, err := api.NewClient(ac)
	if err != nil {
		return nil, fmt.Errorf("vault at %s: %w", cfg.Addr, err)
	}
	vc.ClearToken()
	vc.ClearNamespace()
	return vc, nil
}

// Close stops renewing the token and, for an AppRole login, revokes it.
func (c *Client) Close() error {
	c.stop()
	<-c.done
	if c.vault == nil || c.cfg.Auth != AuthAppRole {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.Timeout)
	defer cancel()
	if err := c.vault.Auth().Token().RevokeSelfWithContext(ctx, ""); err != nil {
		return c.classify(err, "revoking the vault token")
	}
	return nil
}

// Status returns the state of the Vault session.
func (c *Client) Status() Status {
	st := Status{Logins: c.logins.Load(), Renewals: c.renewals.Load()}
	if n := c.tokenUntil.Load(); n != 0 {
		st.TokenExpires = time.Unix(0, n)
	}
	return st
}

// login logs in once and records the token's lifetime. Its errors name
// the address and the method, never a credential.
func (c *Client) login(ctx context.Context) (*api.Secret, error) {
	var s *api.Secret
	var err error
	if c.cfg.Auth == AuthAppRole {
		s, err = c.loginAppRole(ctx)
	} else {
		s, err = c.loginToken(ctx)
	}
	if err != nil {
		return nil, err
	}
	ttl, _ := s.TokenTTL()
	c.setTokenTTL(ttl)
	c.logins.Add(1)
	policies, _ := s.TokenPolicies()
	c.log.Info("vault_logged_in", "addr", c.cfg.Addr, "auth", c.cfg.Auth,
		"ttl", ttl, "policies", policies)
	return s, nil
}

func (c *Client) setTokenTTL(ttl time.Duration) {
	if ttl <= 0 {
		c.tokenUntil.Store(0)
		return
	}
	c.tokenUntil.Store(time.Now().Add(ttl).UnixNano())
}

func (c *Client) loginAppRole(ctx context.Context) (*api.Secret, error) {
	what := "approle login"
	roleID := c.cfg.RoleID
	if c.cfg.RoleIDFile != "" {
		s, err := c.local.readFile(Ref{scheme: SchemeFile, path: c.cfg.RoleIDFile})
		if err != nil {
			return nil, fmt.Errorf("%s: reading the role id file: %w", what, err)
		}
		roleID = s.Reveal()
	}
	sid := &approle.SecretID{FromFile: c.cfg.SecretIDFile}
	if c.cfg.SecretIDFile == "" {
		sid = &approle.SecretID{FromString: c.cfg.SecretID.Reveal()}
	}
	auth, err := approle.NewAppRoleAuth(roleID, sid, approle.WithMountPath(c.cfg.AppRoleMount))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: role id or secret id missing", what, ErrInvalid)
	}
	s, err := c.vault.Auth().Login(ctx, auth)
	if err != nil {
		return nil, c.classify(err, what)
	}
	if s == nil || s.Auth == nil {
		return nil, fmt.Errorf("%s: vault returned no token", what)
	}
	return s, nil
}

// loginToken sets the token, read again from its file if it has one, and
// looks it up to learn its lifetime.
func (c *Client) loginToken(ctx context.Context) (*api.Secret, error) {
	what := "token lookup"
	tok := c.cfg.Token
	if c.cfg.TokenFile != "" {
		s, err := c.local.readFile(Ref{scheme: SchemeFile, path: c.cfg.TokenFile})
		if err != nil {
			return nil, fmt.Errorf("%s: reading the token file: %w", what, err)
		}
		tok = s
	}
	c.vault.SetToken(tok.Reveal())
	s, err := c.vault.Auth().Token().LookupSelfWithContext(ctx)
	if err != nil {
		err = c.classify(err, what)
		if errors.Is(err, ErrDenied) {
			err = fmt.Errorf("%s: %w: vault at %s refused the token (expired, revoked "+
				"or mistyped)", what, ErrDenied, c.cfg.Addr)
		}
		return nil, err
	}
	ttl, _ := s.TokenTTL()
	renewable, _ := s.TokenIsRenewable()
	s.Auth = &api.SecretAuth{ClientToken: tok.Reveal(), Renewable: renewable,
		LeaseDuration: int(ttl / time.Second)}
	return s, nil
}

// stayLoggedIn renews the token while it can and logs in again when the
// watcher gives up (at the token's max TTL, or after failed renewals),
// until ctx ends.
func (c *Client) stayLoggedIn(ctx context.Context, s *api.Secret) {
	defer close(c.done)
	for {
		err := c.watch(ctx, s)
		if ctx.Err() != nil {
			return
		}
		c.log.Info("vault_token_at_end", "addr", c.cfg.Addr, "renewal_error", err != nil)
		if s = c.loginAgain(ctx); s == nil {
			return
		}
	}
}

// watch renews the token of s until its watcher is done or ctx ends. A
// token without a TTL never expires and is not watched.
func (c *Client) watch(ctx context.Context, s *api.Secret) error {
	if s.Auth == nil || s.Auth.LeaseDuration <= 0 {
		<-ctx.Done()
		return nil
	}
	w, err := c.vault.NewLifetimeWatcher(&api.LifetimeWatcherInput{Secret: s})
	if err != nil {
		return err
	}
	go w.Start()
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.DoneCh():
			return err
		case r := <-w.RenewCh():
			ttl, _ := r.Secret.TokenTTL()
			c.setTokenTTL(ttl)
			c.renewals.Add(1)
			c.log.Debug("vault_token_renewed", "ttl", ttl)
		}
	}
}

// loginAgain logs in until it succeeds, backing off from 0.5 s to 30 s; it
// returns nil when ctx ends first.
func (c *Client) loginAgain(ctx context.Context) *api.Secret {
	wait := 500 * time.Millisecond
	for {
		lctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		s, err := c.login(lctx)
		cancel()
		if err == nil {
			return s
		}
		if ctx.Err() != nil {
			return nil
		}
		c.log.Error("vault_login_failed", "addr", c.cfg.Addr, "error", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// loggedIn reports whether the client holds a token that has not expired.
func (c *Client) loggedIn() bool {
	n := c.tokenUntil.Load()
	return n == 0 || time.Now().UnixNano() < n
}

// classify turns an error of the Vault API into one of ours: it keeps the
// kind (ErrDenied, ErrNotFound, ErrUnreachable) and the status, and drops
// Vault's own text except for short messages of a client error, which
// never carry secret values.
func (c *Client) classify(err error, what string) error {
	var re *api.ResponseError
	switch {
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", what, context.Canceled)
	case errors.As(err, &re):
		return c.classifyResponse(re, what)
	case errors.Is(err, api.ErrSecretNotFound):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case errors.Is(err, context.DeadlineExceeded), isNetErr(err):
		return fmt.Errorf("%s: %w: vault at %s: %s", what, ErrUnreachable, c.cfg.Addr,
			netCause(err))
	}
	return fmt.Errorf("%s: vault at %s: %w", what, c.cfg.Addr, err)
}

func (c *Client) classifyResponse(re *api.ResponseError, what string) error {
	switch code := re.StatusCode; {
	case code == http.StatusForbidden:
		return fmt.Errorf("%s: %w by vault's policy for this component", what, ErrDenied)
	case code == http.StatusNotFound:
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case code >= 500 || code == http.StatusTooManyRequests:
		return fmt.Errorf("%s: %w: vault at %s answered %d", what, ErrUnreachable,
			c.cfg.Addr, code)
	default:
		return fmt.Errorf("%s: vault at %s answered %d: %s", what, c.cfg.Addr, code,
			vaultMessage(re))
	}
}

// vaultMessage returns Vault's error messages, short, or "" for a body
// that was not Vault's JSON.
func vaultMessage(re *api.ResponseError) string {
	if re.RawError {
		return "(not a vault error body)"
	}
	msg := strings.Join(re.Errors, "; ")
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return msg
}

// isNetErr reports whether err is a transport failure: the request did
// not get an HTTP answer.
func isNetErr(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) || strings.Contains(err.Error(), "dial tcp") ||
		strings.Contains(err.Error(), "giving up after") ||
		errors.Is(err, os.ErrDeadlineExceeded)
}

// netCause returns the innermost text of a transport error, which names
// the address and the reason (connection refused, timeout) and no
// credential.
func netCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// The Client and Dev are complete sources and transits.
var (
	_ FieldsSource = (*Client)(nil)
	_ Transit      = (*Client)(nil)
	_ FieldsSource = (*Dev)(nil)
	_ Transit      = (*Dev)(nil)
)
