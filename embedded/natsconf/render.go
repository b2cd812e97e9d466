package natsconf

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// resolved holds what Render read from files: secrets written inline
// and the password hashes.
type resolved struct {
	key, route secretValue
	hashes     map[string]string
}

// inline reports whether the configuration will hold a secret in clear.
func (r *resolved) inline() bool { return r.key != "" || r.route != "" }

// Render validates c, reads the files it refers to and returns the
// configuration text. Errors name every problem, never a secret.
func Render(c *Config) ([]byte, error) {
	text, _, err := render(c)
	return text, err
}

func render(c *Config) ([]byte, *resolved, error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	r, err := c.resolve()
	if err != nil {
		return nil, nil, err
	}
	w := &writer{}
	c.writeHeader(w)
	c.writeServer(w)
	c.writeJetStream(w, r)
	c.writeCluster(w, r)
	if err := writeAccounts(w, c, r); err != nil {
		return nil, nil, err
	}
	return []byte(w.b.String()), r, nil
}

// resolve reads the secret files and hashes the component passwords.
func (c *Config) resolve() (*resolved, error) {
	r := &resolved{hashes: make(map[string]string)}
	var errs []error
	var err error
	if c.Key.File != "" {
		if r.key, err = readSecret(c.Key.File); err != nil {
			errs = append(errs, fmt.Errorf("--js-key: %w", err))
		}
	}
	if len(c.Routes) > 0 && c.RoutePassword.File != "" {
		if r.route, err = readSecret(c.RoutePassword.File); err != nil {
			errs = append(errs, fmt.Errorf("--route-password: %w", err))
		}
	}
	if c.Passwords != "env" {
		for _, user := range c.userNames() {
			h, err := hashPassword(filepath.Join(c.Passwords, user+".password"), c.BcryptCost)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s password: %w", user, err))
			}
			r.hashes[user] = h
		}
	}
	return r, errors.Join(errs...)
}

func hashPassword(path string, cost int) (string, error) {
	pw, err := readSecret(path)
	if err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), cost)
	if err != nil {
		return "", fmt.Errorf("hashing: %w", err)
	}
	return string(h), nil
}

// PasswordVar is the server's environment variable that holds a user's
// password when passwords come from the environment: EDGE_NATS_PASSWORD
// for the edge, EDGE_2_NATS_PASSWORD for edge-2.
func PasswordVar(user string) string {
	return strings.ToUpper(strings.ReplaceAll(user, "-", "_")) + "_NATS_PASSWORD"
}

// writer builds the configuration text, two spaces per level.
type writer struct {
	b     strings.Builder
	depth int
}

func (w *writer) line(format string, a ...any) {
	if format == "" {
		w.b.WriteString("\n")
		return
	}
	w.b.WriteString(strings.Repeat("  ", w.depth))
	fmt.Fprintf(&w.b, format, a...)
	w.b.WriteString("\n")
}

func (w *writer) open(name string) {
	if name == "" {
		w.line("{")
	} else {
		w.line("%s {", name)
	}
	w.depth++
}

func (w *writer) close() { w.depth--; w.line("}") }

// comment writes each line of text as a comment.
func (w *writer) comment(text string) {
	for l := range strings.SplitSeq(text, "\n") {
		if l == "" {
			w.line("#")
		} else {
			w.line("# %s", l)
		}
	}
}

// q quotes a value that Validate has checked for quotes, backslashes and
// control characters.
func q(s string) string { return `"` + s + `"` }

// secret is the configuration value of a secret: a $VAR reference,
// unquoted so that nats-server resolves it, or the value read.
func secret(ref Secret, v secretValue) string {
	if ref.Env != "" {
		return "$" + ref.Env
	}
	return q(string(v))
}

func (c *Config) writeHeader(w *writer) {
	w.comment(c.Name + ".conf: the NATS server configuration of node " + c.Name +
		" of the iGlowly\nAssistant, written by \"iglowly nats-config\". " +
		"Do not edit it: change the\nflags and write it again.\n" +
		"  " + Command(c.args) + "\n" +
		"Its users and their permissions are embedded.Permissions of the code, the\n" +
		"same that \"iglowly dev\" applies.")
	vars := c.envVars()
	switch {
	case c.SecretsFile != "":
		w.comment("\nSecrets come from " + c.SecretsFile + ", beside this folder, which\n" +
			"\"iglowly nats-auth\" writes from Vault and nats-server reads at start:")
	case len(vars) > 0:
		w.comment("\nSecrets come from nats-server's environment at start; a $VAR reference\n" +
			"must stay unquoted, nats-server resolves it only then:")
	}
	for _, v := range vars {
		w.comment("  " + v)
	}
	w.line("")
	if c.SecretsFile != "" {
		w.line("include %s", q(c.SecretsFile))
		w.line("")
	}
}

// envVars lists the variables the configuration refers to.
func (c *Config) envVars() []string {
	var vars []string
	if c.Passwords == "env" {
		for _, user := range c.userNames() {
			vars = append(vars, PasswordVar(user)+": the password of "+user)
		}
	}
	if len(c.Routes) > 0 && c.RoutePassword.Env != "" {
		vars = append(vars, c.RoutePassword.Env+": the password of the route user")
		for i, r := range c.Routes {
			vars = append(vars, fmt.Sprintf("%s%d: nats-route://route:<password>@%s",
				c.RouteURLEnv, i+1, r))
		}
	}
	if c.Key.Env != "" {
		vars = append(vars, c.Key.Env+": the JetStream encryption key")
	}
	return vars
}

func (c *Config) writeServer(w *writer) {
	w.line("server_name: %s", q(c.Name))
	w.line("listen: %s", q(c.Listen))
	if c.HTTP != "" {
		w.comment("Monitoring: /healthz, /varz, /connz. It has no authentication: never\n" +
			"expose it beyond the nodes' own network.")
		w.line("http: %s", q(c.HTTP))
	}
	w.line("max_payload: 1MB")
	if c.LogFile != "" {
		w.comment("The log, in a file that \"iglowly security relay --nats-log\" reads: the\n" +
			"permission violations have no advisory. It holds users, subjects and\n" +
			"client addresses of the components, never a message. Rotated at 10MB,\n" +
			"three old files kept.")
		w.line("log_file: %s", q(c.LogFile))
		w.line("logfile_size_limit: 10MB")
		w.line("logfile_max_num: 3")
	}
	w.line("")
	if c.InsecureNoTLS {
		w.comment("WARNING: no TLS (--insecure-no-tls). Passwords and chat messages cross\n" +
			"the network in clear: for a local demo on one host only, never for\n" +
			"production.")
		w.line("")
		return
	}
	w.comment("Every client connection uses TLS; a client that does not is refused.")
	writeTLS(w, c.TLS, false)
	w.line("")
}

func writeTLS(w *writer, t TLS, route bool) {
	w.open("tls")
	w.line("cert_file: %s", q(t.Cert))
	w.line("key_file: %s", q(t.Key))
	if t.CA != "" {
		w.line("ca_file: %s", q(t.CA))
	}
	if t.Verify || route {
		w.line("verify: true")
	}
	w.line("timeout: 2")
	w.close()
}

func (c *Config) writeJetStream(w *writer, r *resolved) {
	w.open("jetstream")
	w.line("store_dir: %s", q(c.StoreDir))
	w.line("max_memory_store: %s", c.MaxMemory)
	w.line("max_file_store: %s", c.MaxFile)
	w.comment("Every stream on file (the clinics bucket) is encrypted at rest. A\n" +
		"wrong or missing key does NOT stop the server: the streams it cannot\n" +
		"decrypt fail to load with the warning \"Error decrypting our stream\n" +
		"metafile\", clients see \"bucket not found\" and provisioning fails with\n" +
		"\"error creating store for stream\". After every start, check that the\n" +
		"clinics bucket loaded (nats kv info clinics, or the log). The files\n" +
		"stay on disk: a start with the right key brings the bucket back.")
	w.line("cipher: %s", c.Cipher)
	w.line("key: %s", secret(c.Key, r.key))
	w.close()
	w.line("")
}

func (c *Config) writeCluster(w *writer, r *resolved) {
	if len(c.Routes) == 0 {
		return
	}
	w.open("cluster")
	w.line("name: %s", q(c.ClusterName))
	w.line("listen: %s", q(c.ClusterListen))
	w.comment("Routes log in as the route user, so no component can join the\n" +
		"cluster as a route and read around its permissions.")
	w.open("authorization")
	w.line("user: route")
	w.line("password: %s", secret(c.RoutePassword, r.route))
	w.close()
	w.comment("Every node, this one included: nats-server drops a route to itself.")
	w.line("routes: [")
	w.depth++
	for i, host := range c.Routes {
		if c.RoutePassword.Env != "" {
			w.line("$%s%d", c.RouteURLEnv, i+1)
		} else {
			w.line("%s", q("nats-route://route:"+string(r.route)+"@"+host))
		}
	}
	w.depth--
	w.line("]")
	if c.RouteTLS.on() {
		w.comment("Nodes show each other a certificate of the CA, both ways: a node\n" +
			"with the route password but without such a certificate cannot join.")
		writeTLS(w, c.RouteTLS, true)
	}
	w.close()
	w.line("")
}
