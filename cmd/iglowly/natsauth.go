package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/big"
	"strings"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// natsAuthConfig holds the settings of "iglowly nats-auth", which keeps
// the NATS passwords, the route password and the JetStream key in Vault
// (making each once) and writes the secrets file that the nodes'
// configurations include.
type natsAuthConfig struct {
	// Nodes is the configuration whose users and routes the file is for:
	// --replicas, --security-relay and --routes, as given to nats-config.
	Nodes *natsconf.Config
	// Mount and Prefix are where the secrets live, from --vault-path
	// (env IGLOWLY_NATS_AUTH_VAULT_PATH, default iglowly/nats): each
	// user's password at <prefix>/users/<user>#password, the route
	// password and the JetStream key at <prefix>/server.
	Mount, Prefix string
	// Out is the file to write, mode 0600; required.
	Out string
	// Vault is how to reach Vault, with the --vault-* flags; required.
	Vault secrets.Config
}

// loadNATSAuth parses and validates the flags, naming every problem.
func loadNATSAuth(args []string, env config.Env) (*natsAuthConfig, error) {
	fs := flag.NewFlagSet("nats-auth", flag.ContinueOnError)
	var c natsAuthConfig
	c.Vault.Register(fs, env)
	replicas := fs.String("replicas", "", "replicas per component, as for nats-config")
	relay := fs.Bool("security-relay", false, "the users of iglowly security relay too")
	routes := fs.String("routes", "", "host:port of every cluster node, as for nats-config")
	cost := fs.Int("bcrypt-cost", natsconf.DefaultBcryptCost, "cost of the password hashes")
	path := fs.String("vault-path", envOr(env, "IGLOWLY_NATS_AUTH_VAULT_PATH", "iglowly/nats"),
		"KV v2 mount and folder of the NATS secrets")
	fs.StringVar(&c.Out, "out", "", "secrets file to write (mode 0600)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	errs := []error{c.Vault.Validate()}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("nats-auth: unexpected argument %q", fs.Arg(0)))
	}
	if !c.Vault.Enabled() {
		errs = append(errs, errors.New("nats-auth: set --vault-addr: the secrets live in Vault"))
	}
	if c.Out == "" || c.Out == "-" {
		errs = append(errs, errors.New("nats-auth: set --out to a file: the secrets "+
			"never go to standard output"))
	}
	var ok bool
	if c.Mount, c.Prefix, ok = strings.Cut(*path, "/"); !ok || c.Prefix == "" {
		errs = append(errs, fmt.Errorf("nats-auth: --vault-path %q: want mount/folder", *path))
	} else if _, err := c.ref("server", "x"); err != nil {
		errs = append(errs, fmt.Errorf("nats-auth: --vault-path %q: %w", *path, err))
	}
	nodes, err := authNodes(*replicas, *routes, *relay, *cost)
	errs = append(errs, err)
	c.Nodes = nodes
	return &c, errors.Join(errs...)
}

// authNodes is the configuration of the nodes that the secrets file is
// for: the users of replicas (and the relay's with relay) and the routes,
// as nats-config writes them, with password hashes of cost.
func authNodes(replicas, routes string, relay bool, cost int) (*natsconf.Config, error) {
	args := []string{"--name", "nats-auth", "--secrets-file", "auth.conf",
		"--insecure-no-tls", "--routes", routes}
	if replicas != "" {
		args = append(args, "--replicas", replicas)
	}
	if relay {
		args = append(args, "--security-relay")
	}
	nodes, err := natsconf.Load(args)
	if cost < 4 || cost > 31 {
		return nodes, errors.Join(err,
			fmt.Errorf("nats-auth: --bcrypt-cost %d: want 4 to 31", cost))
	}
	if nodes != nil {
		nodes.BcryptCost = cost
	}
	return nodes, err
}

// ref is the reference of a field of the secret at <prefix>/<path>.
func (c *natsAuthConfig) ref(path, field string) (secrets.Ref, error) {
	return secrets.ParseRef("vault://" + c.Mount + "/" + c.Prefix + "/" + path + "#" + field)
}

// runNATSAuth runs "iglowly nats-auth": it reads, or makes once, every
// secret of the nodes in Vault and writes the secrets file.
func runNATSAuth(ctx context.Context, args []string, env config.Env,
	log *slog.Logger) error {
	c, err := loadNATSAuth(args, env)
	if err != nil {
		return err
	}
	src, err := secrets.Open(ctx, c.Vault, env, log)
	if err != nil {
		return fmt.Errorf("opening secrets: %w", err)
	}
	defer src.Close()
	s, made, err := keepNATSSecrets(ctx, src, c)
	if err != nil {
		return err
	}
	text, err := natsconf.RenderAuth(c.Nodes, s)
	if err != nil {
		return err
	}
	if err := writeSecretFile(c.Out, text); err != nil {
		return fmt.Errorf("nats-auth: %w", err)
	}
	log.Info("nats_auth_written", "file", c.Out, "users", len(s.Passwords),
		"made", made)
	return nil
}

// keepNATSSecrets reads every secret of the nodes from Vault, making
// those that do not exist yet; made names the ones it made.
func keepNATSSecrets(ctx context.Context, src *secrets.Client,
	c *natsAuthConfig) (natsconf.AuthSecrets, []string, error) {
	s := natsconf.AuthSecrets{Passwords: map[string]secrets.Secret{}}
	var made []string
	for _, user := range c.Nodes.UserNames() {
		v, err := c.ensure(ctx, src, "users/"+user, &made, "password")
		if err != nil {
			return s, nil, err
		}
		s.Passwords[user] = v[0]
	}
	v, err := c.ensure(ctx, src, "server", &made, "route_password", "jetstream_key")
	if err != nil {
		return s, nil, err
	}
	s.RoutePassword, s.JetStreamKey = v[0], v[1]
	return s, made, nil
}

func (c *natsAuthConfig) ensure(ctx context.Context, src *secrets.Client, path string,
	made *[]string, fields ...string) ([]secrets.Secret, error) {
	ref, err := c.ref(path, fields[0])
	if err != nil {
		return nil, err
	}
	v, fresh, err := src.Ensure(ctx, ref, fields, newNATSSecret)
	if fresh {
		*made = append(*made, c.Prefix+"/"+path)
	}
	return v, err
}

// natsSecretLetters are what a made secret is drawn from: safe in a route
// URL, in the secrets file's quotes and in nats-server's parser.
const natsSecretLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newNATSSecret returns 48 random letters and digits, about 285 bits.
func newNATSSecret() (secrets.Secret, error) {
	b := make([]byte, 48)
	n := big.NewInt(int64(len(natsSecretLetters)))
	for i := range b {
		k, err := rand.Int(rand.Reader, n)
		if err != nil {
			return secrets.Secret{}, err
		}
		b[i] = natsSecretLetters[k.Int64()]
	}
	return secrets.NewSecret(string(b)), nil
}
