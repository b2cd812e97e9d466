package natsconf

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Load parses the flags of "iglowly nats-config" into a Config with the
// documented defaults and validates it, naming every problem.
func Load(args []string) (*Config, error) {
	c := &Config{
		RoutePassword: Secret{Env: "NATS_ROUTE_PASSWORD"},
		Key:           Secret{Env: "JETSTREAM_KEY"},
		BcryptCost:    DefaultBcryptCost,
	}
	fs := flag.NewFlagSet("nats-config", flag.ContinueOnError)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("nats-config: unexpected argument %q", fs.Arg(0))
	}
	c.args = withoutOut(args)
	return c, c.Validate()
}

func (c *Config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Name, "name", "", "server name of this node, unique in the cluster (required)")
	fs.StringVar(&c.Listen, "listen", "0.0.0.0:4222", "host:port for clients")
	fs.StringVar(&c.HTTP, "http", "127.0.0.1:8222", `monitoring host:port, "" for none`)
	fs.Func("routes", "host:port of every cluster node, this one included, comma-separated",
		func(v string) error {
			c.Routes = nil
			if v != "" {
				c.Routes = strings.Split(v, ",")
			}
			return nil
		})
	fs.StringVar(&c.ClusterName, "cluster-name", "iglowly", "cluster name")
	fs.StringVar(&c.ClusterListen, "cluster-listen", "0.0.0.0:6222", "host:port for routes")
	fs.Var(&c.RoutePassword, "route-password", "route user's password: env:NAME or file:PATH")
	fs.StringVar(&c.RouteURLEnv, "route-url-env", "NATS_ROUTE_",
		"with env: route k's URL is in this variable with k appended")
	fs.StringVar(&c.StoreDir, "store-dir", "/data/jetstream", "JetStream folder on the server")
	fs.StringVar(&c.MaxMemory, "js-max-memory", "256MB", "JetStream memory storage cap")
	fs.StringVar(&c.MaxFile, "js-max-file", "1GB", "JetStream file storage cap")
	fs.Var(&c.Key, "js-key", "JetStream encryption key: env:NAME or file:PATH")
	fs.StringVar(&c.Cipher, "js-cipher", "chachapoly", "JetStream cipher: chachapoly or aes")
	fs.StringVar(&c.Passwords, "passwords", "env",
		"env, or a folder of <user>.password files to write as bcrypt hashes")
	fs.Var(replicasFlag{c}, "replicas",
		"replicas per component, each its own user: edge=2,sanitiser=2 (edge-1, edge-2, ...)")
	fs.StringVar(&c.LogFile, "log-file", "",
		"the server's log file, for iglowly security relay --nats-log; absolute")
	fs.StringVar(&c.SecretsFile, "secrets-file", "",
		"file to include that defines the secrets, as iglowly nats-auth writes it, "+
			"relative to the configuration")
	fs.BoolVar(&c.SecurityRelay, "security-relay", false,
		"add the users of iglowly security relay, which files refused logins")
	registerTLS(fs, &c.TLS, "tls", "clients")
	fs.BoolVar(&c.TLS.Verify, "tls-verify", false, "require client certificates (mutual TLS)")
	registerTLS(fs, &c.RouteTLS, "route-tls", "routes, always mutual")
	fs.BoolVar(&c.InsecureNoTLS, "insecure-no-tls", false,
		"no TLS at all: passwords and messages in clear, for a local demo only")
	fs.StringVar(&c.Out, "out", "-", "file to write, - for standard output")
}

func registerTLS(fs *flag.FlagSet, t *TLS, prefix, what string) {
	fs.StringVar(&t.Cert, prefix+"-cert", "", "certificate PEM file on the server, for "+what)
	fs.StringVar(&t.Key, prefix+"-key", "", "private key PEM file on the server, for "+what)
	fs.StringVar(&t.CA, prefix+"-ca", "", "CA PEM file that peer certificates chain to, for "+what)
}

// withoutOut drops --out and its value: where a file was written is not
// part of what it holds.
func withoutOut(args []string) []string {
	var kept []string
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(args[i], "-")
		switch {
		case name == "out" && args[i] != name:
			i++
		case strings.HasPrefix(name, "out=") && args[i] != name:
		default:
			kept = append(kept, args[i])
		}
	}
	return kept
}

// Command is the command line that writes a configuration from args,
// each argument quoted for a POSIX shell where it needs it.
func Command(args []string) string {
	parts := []string{"iglowly", "nats-config"}
	for _, a := range args {
		if a == "" || strings.ContainsFunc(a, func(r rune) bool {
			return !urlSafe(r) && !strings.ContainsRune("/:,=+@%", r)
		}) {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// commandPrefix starts the header line that records the command.
const commandPrefix = "#   iglowly nats-config"

// HeaderArgs returns the flags that the header of a configuration
// records, which write the same configuration again; nil if there are
// none.
func HeaderArgs(text []byte) []string {
	for line := range strings.Lines(string(text)) {
		if !strings.HasPrefix(line, "#") {
			return nil
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), commandPrefix); ok {
			return shellWords(rest)
		}
	}
	return nil
}

// shellWords splits what Command wrote back into arguments: words
// apart by spaces, single quotes around those that need them, and \'
// for a quote inside.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord, quoted, escaped := false, false, false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\' && !quoted:
			escaped, inWord = true, true
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// Write renders c and writes it to c.Out, or to stdout for "" and "-".
// A file is replaced at once, so a failure leaves the old one whole. A
// configuration holding a secret read from a file is written with mode
// 0600, and never to stdout.
func Write(c *Config, stdout io.Writer) error {
	text, r, err := render(c)
	if err != nil {
		return err
	}
	if c.Out == "" || c.Out == "-" {
		if r.inline() {
			return errors.New("the configuration holds a secret read from a file: " +
				"write it with --out FILE (mode 0600), not to standard output")
		}
		_, err := stdout.Write(text)
		return err
	}
	mode := os.FileMode(0o644)
	if r.inline() || len(r.hashes) > 0 {
		mode = 0o600
	}
	return replaceFile(c.Out, text, mode)
}

func replaceFile(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing configuration: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing configuration: %w", err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("writing configuration: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing configuration: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing configuration: %w", err)
	}
	return nil
}
