// Package natsconf writes the configuration of a production NATS server
// or cluster node for the iGlowly Assistant: one user per replica of each
// component with exactly the permissions of embedded.User.Permissions, in
// an application account with JetStream beside the system account (with
// --security-relay, the users of "iglowly security relay" too), TLS
// for clients and between the nodes, the cluster routes and their
// credentials, and JetStream with encryption at rest. "iglowly
// nats-config" is its command; deploy/nats holds what it writes for the
// compose stack.
//
// Component users log in with passwords, stored in the configuration as
// bcrypt hashes (or, for the compose demo, as references to the server's
// environment). Passwords rather than nkeys, because the components
// already log in with a user and a password that can come from Vault,
// while nkeys would need a seed file in every component's settings; a
// hash in the server's file keeps a leaked configuration from being a
// login.
package natsconf

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/iglowly/assistant/embedded"
)

// Config is what "iglowly nats-config" writes a node's configuration
// from. The zero value is not valid; Load fills the defaults.
type Config struct {
	// Name is the node's server_name, unique in the cluster; required.
	Name string
	// Listen is the host:port clients connect to; default 0.0.0.0:4222.
	Listen string
	// HTTP is the monitoring host:port (/healthz, /varz), "" for none;
	// default 127.0.0.1:8222, which only the node's own host reaches.
	HTTP string

	// Routes are the host:port of every node of the cluster, the same
	// list on each node (nats-server drops a route to itself); none for
	// a single server.
	Routes []string
	// ClusterName names the cluster; default iglowly.
	ClusterName string
	// ClusterListen is the host:port routes connect to; default
	// 0.0.0.0:6222.
	ClusterListen string
	// RoutePassword is the password of the route user that nodes log in
	// to each other with; default env:NATS_ROUTE_PASSWORD.
	RoutePassword Secret
	// RouteURLEnv prefixes the variables holding the route URLs when the
	// route password comes from the environment: route k of Routes
	// (from 1) is $<RouteURLEnv><k>, which must hold
	// nats-route://route:<password>@<host:port>; default NATS_ROUTE_.
	RouteURLEnv string

	// StoreDir is JetStream's folder; default /data/jetstream.
	StoreDir string
	// MaxMemory and MaxFile cap JetStream's memory and file storage, as
	// nats-server sizes (256MB, 1GB); defaults 256MB and 1GB.
	MaxMemory, MaxFile string
	// Key is the JetStream encryption key; default env:JETSTREAM_KEY.
	Key Secret
	// Cipher is chachapoly (the default) or aes.
	Cipher string

	// Passwords is "env" (each component's password is
	// $<COMPONENT>_NATS_PASSWORD in the server's environment) or a folder
	// holding <component>.password files, whose contents are written as
	// bcrypt hashes; default env.
	Passwords string
	// BcryptCost is the cost of the hashes, 4 to 31; default 11.
	BcryptCost int
	// Replicas is how many replicas of each component run, each with a
	// user and reply inboxes of its own (edge-1, edge-2…); default one
	// per component, whose user is the component's name.
	Replicas embedded.Replicas

	// LogFile is the server's log file, rotated at 10 MB with three old
	// files kept, for "iglowly security relay --nats-log" to read the
	// permission violations from (nats-server sends no advisory of
	// them); an absolute path on the server. Default none: the server
	// logs to its standard error.
	LogFile string

	// SecretsFile is a file that nats-server includes before the rest,
	// which defines every $VAR the configuration refers to (the file
	// "iglowly nats-auth" writes from Vault), instead of nats-server's
	// environment; a path relative to the configuration's own folder, as
	// nats-server reads includes. Default none.
	SecretsFile string

	// SecurityRelay adds the users of "iglowly security relay"
	// (embedded.RelayUser in the application account,
	// embedded.RelaySystemUser in the system account); default off.
	SecurityRelay bool

	// TLS secures client connections; Verify asks clients for a
	// certificate (mutual TLS).
	TLS TLS
	// RouteTLS secures the routes, always mutually.
	RouteTLS TLS
	// InsecureNoTLS allows a configuration without TLS, for a local demo
	// only: passwords and chat messages then cross the network in clear.
	InsecureNoTLS bool

	// Out is the file to write, "" or "-" for standard output.
	Out string

	// args are the flags the config was loaded from, for the header.
	args []string
	// replicasErr holds what --replicas could not parse.
	replicasErr error
}

// TLS names the PEM files of one TLS block, as paths on the server.
type TLS struct {
	// Cert and Key are the node's certificate and private key.
	Cert, Key string
	// CA is the certificate authority that peer certificates must chain
	// to; required when Verify is set.
	CA string
	// Verify requires a certificate from the peer.
	Verify bool
}

func (t TLS) on() bool { return t.Cert != "" || t.Key != "" }

// DefaultBcryptCost is the bcrypt cost of component password hashes.
const DefaultBcryptCost = 11

// MinSecretLen is the shortest password, route password or key that the
// generator accepts from a file.
const MinSecretLen = 32

var (
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	envRE  = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	sizeRE = regexp.MustCompile(`^[1-9][0-9]{0,12}(K|KB|M|MB|G|GB|T|TB)?$`)
)

// Validate names every problem of c without touching any file.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !nameRE.MatchString(c.Name) {
		add("--name %q: want a server name of letters, digits, - and _", c.Name)
	}
	errs = append(errs, c.validateListeners()...)
	errs = append(errs, c.validateCluster()...)
	errs = append(errs, c.validateJetStream()...)
	errs = append(errs, c.validateTLS()...)
	if c.Passwords == "" {
		add("--passwords: want env or a folder of <component>.password files")
	}
	if c.BcryptCost < 4 || c.BcryptCost > 31 {
		add("bcrypt cost %d: want 4 to 31", c.BcryptCost)
	}
	errs = append(errs, c.validateReplicas())
	errs = append(errs, c.validateSecretsFile()...)
	if c.LogFile != "" && !filepath.IsAbs(c.LogFile) {
		add("--log-file %q: want an absolute path on the server", c.LogFile)
	}
	for _, f := range c.texts() {
		if !plainText(f[1]) {
			add("%s: quotes, backslashes and control characters are not allowed", f[0])
		}
	}
	return errors.Join(errs...)
}

// texts are the flags whose values are written inside quotes, and the
// values.
func (c *Config) texts() [][2]string {
	return [][2]string{
		{"--store-dir", c.StoreDir}, {"--passwords", c.Passwords},
		{"--tls-cert", c.TLS.Cert}, {"--tls-key", c.TLS.Key}, {"--tls-ca", c.TLS.CA},
		{"--route-tls-cert", c.RouteTLS.Cert}, {"--route-tls-key", c.RouteTLS.Key},
		{"--route-tls-ca", c.RouteTLS.CA}, {"--secrets-file", c.SecretsFile},
		{"--log-file", c.LogFile},
	}
}

// validateSecretsFile checks that a secrets file is a relative path and
// that every secret is a variable it can define.
func (c *Config) validateSecretsFile() []error {
	if c.SecretsFile == "" {
		return nil
	}
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if filepath.IsAbs(c.SecretsFile) || strings.ContainsAny(c.SecretsFile, " '") {
		add("--secrets-file %q: want a path relative to the configuration's folder, "+
			"without spaces or quotes (nats-server joins an include to that folder)",
			c.SecretsFile)
	}
	if c.Passwords != "env" {
		add("--secrets-file defines the passwords: it goes with --passwords env only")
	}
	if c.Key.File != "" || (len(c.Routes) > 0 && c.RoutePassword.File != "") {
		add("--secrets-file defines the JetStream key and the route password: " +
			"--js-key and --route-password must be env:NAME")
	}
	return errs
}

func plainText(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == '"' || r == '\\'
	})
}

func (c *Config) validateListeners() []error {
	var errs []error
	ports := make(map[int]string)
	check := func(flag, hp string, optional bool) {
		if hp == "" && optional {
			return
		}
		port, err := hostPort(hp)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", flag, hp, err))
			return
		}
		if other, dup := ports[port]; dup {
			errs = append(errs, fmt.Errorf("%s and %s both use port %d", other, flag, port))
		}
		ports[port] = flag
	}
	check("--listen", c.Listen, false)
	check("--http", c.HTTP, true)
	if len(c.Routes) > 0 {
		check("--cluster-listen", c.ClusterListen, false)
	}
	return errs
}

// hostPort checks a host:port with a port from 1 to 65535 and returns
// the port.
func hostPort(hp string) (int, error) {
	host, p, err := net.SplitHostPort(hp)
	if err != nil {
		return 0, errors.New("want host:port")
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 {
		return 0, errors.New("want a port from 1 to 65535")
	}
	if !plainText(host) || strings.ContainsAny(host, " ,/@") {
		return 0, errors.New("not a host name or address")
	}
	return port, nil
}

func (c *Config) validateCluster() []error {
	if len(c.Routes) == 0 {
		return nil
	}
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if len(c.Routes) < 2 {
		add("--routes: a cluster needs at least two nodes, and the list holds every node")
	}
	for i, r := range c.Routes {
		if _, err := hostPort(r); err != nil {
			add("--routes entry %d %q: %w", i+1, r, err)
		}
		if slices.Index(c.Routes, r) < i {
			add("--routes lists %q twice", r)
		}
	}
	if !nameRE.MatchString(c.ClusterName) {
		add("--cluster-name %q: want letters, digits, - and _", c.ClusterName)
	}
	if err := c.RoutePassword.check(); err != nil {
		add("--route-password: %w", err)
	}
	if c.RoutePassword.Env != "" && !envRE.MatchString(c.RouteURLEnv) {
		add("--route-url-env %q: want a variable name prefix such as NATS_ROUTE_", c.RouteURLEnv)
	}
	return errs
}

func (c *Config) validateJetStream() []error {
	var errs []error
	if !strings.HasPrefix(c.StoreDir, "/") {
		errs = append(errs, fmt.Errorf("--store-dir %q: want an absolute path", c.StoreDir))
	}
	for _, f := range [][2]string{{"--js-max-memory", c.MaxMemory}, {"--js-max-file", c.MaxFile}} {
		if !sizeRE.MatchString(f[1]) {
			errs = append(errs, fmt.Errorf("%s %q: want a size such as 256MB or 1GB", f[0], f[1]))
		}
	}
	if err := c.Key.check(); err != nil {
		errs = append(errs, fmt.Errorf("--js-key: %w", err))
	}
	if c.Cipher != "chachapoly" && c.Cipher != "aes" {
		errs = append(errs, fmt.Errorf("--js-cipher %q: want chachapoly or aes", c.Cipher))
	}
	return errs
}

func (c *Config) validateTLS() []error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	errs = append(errs, c.TLS.check("--tls")...)
	errs = append(errs, c.RouteTLS.check("--route-tls")...)
	if c.RouteTLS.on() && c.RouteTLS.CA == "" {
		add("--route-tls-ca is required: nodes check each other's certificates")
	}
	if len(c.Routes) == 0 && c.RouteTLS.on() {
		add("--route-tls-cert without --routes: a single server has no routes")
	}
	if c.InsecureNoTLS {
		if c.TLS.on() || c.RouteTLS.on() {
			add("--insecure-no-tls with TLS files: choose one")
		}
		return errs
	}
	if !c.TLS.on() {
		add("client TLS is required: set --tls-cert and --tls-key (and --tls-ca " +
			"with --tls-verify for mutual TLS), or --insecure-no-tls for a local demo only")
	}
	if len(c.Routes) > 0 && !c.RouteTLS.on() {
		add("route TLS is required on a cluster: set --route-tls-cert, --route-tls-key " +
			"and --route-tls-ca, or --insecure-no-tls for a local demo only")
	}
	return errs
}

// check names the problems of one TLS block, its flags starting with
// prefix.
func (t TLS) check(prefix string) []error {
	var errs []error
	if (t.Cert == "") != (t.Key == "") {
		errs = append(errs, fmt.Errorf("%s-cert and %s-key go together", prefix, prefix))
	}
	if t.Verify && t.CA == "" {
		errs = append(errs, fmt.Errorf("%s-verify needs %s-ca to check certificates against",
			prefix, prefix))
	}
	if t.CA != "" && !t.on() {
		errs = append(errs, fmt.Errorf("%s-ca without %s-cert and %s-key", prefix, prefix, prefix))
	}
	for _, f := range [][2]string{{"cert", t.Cert}, {"key", t.Key}, {"ca", t.CA}} {
		if f[1] != "" && !strings.HasPrefix(f[1], "/") {
			errs = append(errs, fmt.Errorf("%s-%s %q: want an absolute path on the server",
				prefix, f[0], f[1]))
		}
	}
	return errs
}

// LogValue shows the settings without any secret: references only.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", c.Name),
		slog.String("listen", c.Listen), slog.Int("routes", len(c.Routes)),
		slog.String("route_password", c.RoutePassword.String()),
		slog.String("js_key", c.Key.String()), slog.String("passwords", c.Passwords),
		slog.Bool("tls", c.TLS.on()), slog.Bool("mutual_tls", c.TLS.Verify),
		slog.Bool("route_tls", c.RouteTLS.on()), slog.Bool("insecure", c.InsecureNoTLS),
		slog.Bool("security_relay", c.SecurityRelay))
}
