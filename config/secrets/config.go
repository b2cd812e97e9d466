package secrets

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"time"
)

// The ways to log in to Vault.
const (
	// AuthAppRole logs in with a role id and a secret id, and logs in
	// again when the token reaches its max TTL.
	AuthAppRole = "approle"
	// AuthToken uses a token from a file or the environment; at its max
	// TTL the file is read again (a Vault Agent may have rewritten it).
	AuthToken = "token"
)

// Config says how to reach Vault. With Addr empty there is no Vault, and
// only file:// and env:// references resolve.
type Config struct {
	// Addr is Vault's URL, https unless the host is a loopback address;
	// flag --vault-addr, env IGLOWLY_VAULT_ADDR, default none.
	Addr string
	// CAFile is a PEM file of the CAs that sign Vault's certificate; flag
	// --vault-ca, env IGLOWLY_VAULT_CA, default the system's roots.
	CAFile string
	// Auth is "approle" or "token"; flag --vault-auth, env
	// IGLOWLY_VAULT_AUTH, default approle.
	Auth string
	// AppRoleMount is where the AppRole method is mounted; flag
	// --vault-approle-mount, env IGLOWLY_VAULT_APPROLE_MOUNT, default
	// approle.
	AppRoleMount string
	// RoleID, or RoleIDFile holding it, is the AppRole role id; flags
	// --vault-role-id and --vault-role-id-file, env IGLOWLY_VAULT_ROLE_ID
	// and IGLOWLY_VAULT_ROLE_ID_FILE, default none.
	RoleID, RoleIDFile string
	// SecretIDFile holds the AppRole secret id, read at each login; flag
	// --vault-secret-id-file, env IGLOWLY_VAULT_SECRET_ID_FILE.
	SecretIDFile string
	// SecretID is the AppRole secret id itself, from env
	// IGLOWLY_VAULT_SECRET_ID only: it has no flag.
	SecretID Secret
	// TokenFile holds the token, read at start and at its max TTL; flag
	// --vault-token-file, env IGLOWLY_VAULT_TOKEN_FILE.
	TokenFile string
	// Token is the token itself, from env IGLOWLY_VAULT_TOKEN only.
	Token Secret
	// TransitMount is where the transit engine is mounted; flag
	// --vault-transit-mount, env IGLOWLY_VAULT_TRANSIT_MOUNT, default
	// transit.
	TransitMount string
	// Timeout bounds each request to Vault, 100 ms to 5 min; flag
	// --vault-timeout, env IGLOWLY_VAULT_TIMEOUT, default 10 s.
	Timeout time.Duration
	// Refresh is how old a cached secret may get before a Get reads it
	// again, 1 s to 24 h; flag --vault-refresh, env IGLOWLY_VAULT_REFRESH,
	// default 1 min.
	Refresh time.Duration
	// MaxAge is the longest a cached secret is served after its last
	// successful read while Vault cannot be reached, at least Refresh;
	// a secret's own lease, when shorter, wins. Flag --vault-max-age, env
	// IGLOWLY_VAULT_MAX_AGE, default 1 h.
	MaxAge time.Duration

	envErrs []error
}

// Register adds the Vault flags to fs, with defaults from env (nil means
// os.Getenv). Secret ids and tokens come from env only; environment values
// that do not parse are reported by Validate.
func (c *Config) Register(fs *flag.FlagSet, env func(string) string) {
	if env == nil {
		env = os.Getenv
	}
	or := func(name, def string) string {
		if v := env(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "vault-addr", or("IGLOWLY_VAULT_ADDR", ""), "Vault URL")
	fs.StringVar(&c.CAFile, "vault-ca", or("IGLOWLY_VAULT_CA", ""), "CA file for Vault's TLS")
	fs.StringVar(&c.Auth, "vault-auth", or("IGLOWLY_VAULT_AUTH", AuthAppRole),
		"Vault login: approle or token")
	fs.StringVar(&c.AppRoleMount, "vault-approle-mount",
		or("IGLOWLY_VAULT_APPROLE_MOUNT", "approle"), "mount of Vault's AppRole method")
	fs.StringVar(&c.RoleID, "vault-role-id", or("IGLOWLY_VAULT_ROLE_ID", ""), "AppRole role id")
	fs.StringVar(&c.RoleIDFile, "vault-role-id-file", or("IGLOWLY_VAULT_ROLE_ID_FILE", ""),
		"file holding the AppRole role id")
	fs.StringVar(&c.SecretIDFile, "vault-secret-id-file", or("IGLOWLY_VAULT_SECRET_ID_FILE", ""),
		"file holding the AppRole secret id (or env IGLOWLY_VAULT_SECRET_ID)")
	c.SecretID = Secret{v: env("IGLOWLY_VAULT_SECRET_ID")}
	fs.StringVar(&c.TokenFile, "vault-token-file", or("IGLOWLY_VAULT_TOKEN_FILE", ""),
		"file holding the Vault token (or env IGLOWLY_VAULT_TOKEN)")
	c.Token = Secret{v: env("IGLOWLY_VAULT_TOKEN")}
	fs.StringVar(&c.TransitMount, "vault-transit-mount",
		or("IGLOWLY_VAULT_TRANSIT_MOUNT", "transit"), "mount of Vault's transit engine")
	c.envErrs = nil
	dur := func(p *time.Duration, flagName, envName string, def time.Duration, usage string) {
		if v := env(envName); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				c.envErrs = append(c.envErrs,
					fmt.Errorf("%s is not a duration with a unit (s, m or h)", envName))
			} else {
				def = d
			}
		}
		fs.DurationVar(p, flagName, def, usage)
	}
	dur(&c.Timeout, "vault-timeout", "IGLOWLY_VAULT_TIMEOUT", 10*time.Second,
		"longest Vault request")
	dur(&c.Refresh, "vault-refresh", "IGLOWLY_VAULT_REFRESH", time.Minute,
		"age at which a cached secret is read again")
	dur(&c.MaxAge, "vault-max-age", "IGLOWLY_VAULT_MAX_AGE", time.Hour,
		"longest a cached secret is served while Vault is unreachable")
}

// Enabled reports whether a Vault address is set.
func (c *Config) Enabled() bool { return c.Addr != "" }

// Validate names every problem of the Vault settings; without an address
// there is nothing to check.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	if !c.Enabled() {
		return errors.Join(errs...)
	}
	if err := checkAddr(c.Addr); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.validateAuth()...)
	for _, m := range []string{c.AppRoleMount, c.TransitMount} {
		if !isName(m) {
			errs = append(errs, errors.New("vault: a mount name is not one segment "+
				"of letters, digits, '.', '_' or '-'"))
		}
	}
	if c.Timeout < 100*time.Millisecond || c.Timeout > 5*time.Minute {
		errs = append(errs, errors.New("vault: timeout must be between 100ms and 5m"))
	}
	if c.Refresh < time.Second || c.Refresh > 24*time.Hour {
		errs = append(errs, errors.New("vault: refresh must be between 1s and 24h"))
	}
	if c.MaxAge < c.Refresh {
		errs = append(errs, errors.New("vault: max age must be at least the refresh interval"))
	}
	return errors.Join(errs...)
}

func (c *Config) validateAuth() []error {
	var errs []error
	switch c.Auth {
	case AuthAppRole:
		if (c.RoleID == "") == (c.RoleIDFile == "") {
			errs = append(errs,
				errors.New("vault: approle needs a role id or a role id file, not both"))
		}
		if (c.SecretIDFile == "") == c.SecretID.IsZero() {
			errs = append(errs, errors.New("vault: approle needs IGLOWLY_VAULT_SECRET_ID "+
				"or a secret id file, not both"))
		}
	case AuthToken:
		if (c.TokenFile == "") == c.Token.IsZero() {
			errs = append(errs, errors.New("vault: token auth needs IGLOWLY_VAULT_TOKEN "+
				"or a token file, not both"))
		}
	default:
		errs = append(errs, errors.New("vault: auth must be approle or token"))
	}
	for _, f := range []string{c.CAFile, c.RoleIDFile, c.SecretIDFile, c.TokenFile} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			errs = append(errs, fmt.Errorf("vault: %w", err))
		}
	}
	return errs
}

// checkAddr accepts an https URL, or http on a loopback host, with no
// path, query or credentials.
func checkAddr(addr string) error {
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" ||
		(u.Path != "" && u.Path != "/") {
		return errors.New("vault: address is not a URL such as https://vault.example:8200")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("vault: address must use https (http only on a loopback address)")
	}
	return errors.New("vault: address must start with https://")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Resolvable reports an error if ref cannot resolve with these settings:
// a vault reference without a Vault address.
func (c *Config) Resolvable(ref Ref) error {
	if ref.Scheme() == SchemeVault && !c.Enabled() {
		return fmt.Errorf("secret %s: %w: no Vault address is set (IGLOWLY_VAULT_ADDR)",
			ref, ErrInvalid)
	}
	return nil
}

// LogValue shows the settings with secrets masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("addr", c.Addr), slog.String("auth", c.Auth),
		slog.Bool("ca", c.CAFile != ""), slog.String("approle_mount", c.AppRoleMount),
		slog.String("role_id_file", c.RoleIDFile), slog.Bool("role_id_set", c.RoleID != ""),
		slog.String("secret_id_file", c.SecretIDFile),
		slog.Bool("secret_id_set", !c.SecretID.IsZero()),
		slog.String("token_file", c.TokenFile), slog.Bool("token_set", !c.Token.IsZero()),
		slog.String("transit_mount", c.TransitMount), slog.Duration("timeout", c.Timeout),
		slog.Duration("refresh", c.Refresh), slog.Duration("max_age", c.MaxAge))
}
