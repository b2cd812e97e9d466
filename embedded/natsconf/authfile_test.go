package natsconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
)

// authSecrets are test secrets for every user of c.
func authSecrets(c *Config) AuthSecrets {
	s := AuthSecrets{Passwords: map[string]secrets.Secret{},
		RoutePassword: secrets.NewSecret("route-password-0123456789abcdefghijkl"),
		JetStreamKey:  secrets.NewSecret(testKey)}
	for _, u := range c.UserNames() {
		s.Passwords[u] = secrets.NewSecret(password(u))
	}
	return s
}

// TestSecretsFile starts a real server from a configuration that
// includes the secrets file RenderAuth wrote: every user logs in with
// its password, the JetStream key is the file's, and the environment,
// holding wrong values under the same names, is not read. Neither file
// holds a user's password in clear.
func TestSecretsFile(t *testing.T) {
	c := load(t, "--name", "n1", "--insecure-no-tls", "--security-relay",
		"--replicas", "edge=2", "--secrets-file", "secrets/auth.conf")
	c.BcryptCost = 4 // the lowest: the cost is TestHashedPasswords's, and race-slow
	s := authSecrets(c)
	for _, u := range c.UserNames() {
		t.Setenv(PasswordVar(u), "wrong-password-from-the-environment-0123")
	}
	t.Setenv("JETSTREAM_KEY", "wrong-key-from-the-environment-0123456789")
	dir := t.TempDir()
	conf, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := RenderAuth(c, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(conf), "\ninclude \"secrets/auth.conf\"\n") {
		t.Error("the configuration does not include the secrets file")
	}
	for _, u := range c.UserNames() {
		pw := s.Passwords[u].Reveal()
		if strings.Contains(string(conf), pw) || strings.Contains(string(auth), pw) {
			t.Errorf("%s's password is written in clear", u)
		}
	}
	must(t, os.Mkdir(filepath.Join(dir, "secrets"), 0o700))
	must(t, os.WriteFile(filepath.Join(dir, "n1.conf"), conf, 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "secrets", "auth.conf"), auth, 0o600))
	opts := parse(t, filepath.Join(dir, "n1.conf"))
	if opts.JetStreamKey != testKey {
		t.Error("the JetStream key is not the secrets file's")
	}
	n := start(t, opts, "", nil)
	for _, u := range c.UserNames() {
		dial(t, n, u)
	}
	wrong := "wrong-password-from-the-environment-0123"
	if nc, err := tryDialPassword(n, embedded.Admin, wrong); err == nil {
		nc.Close()
		t.Error("the environment's password logs in")
	}
}

// TestSecretsFileRefused checks the flags that go with --secrets-file
// and what RenderAuth refuses, naming the secret but never its value.
func TestSecretsFileRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--secrets-file", "/etc/nats-auth/auth.conf"},
		{"--secrets-file", "a b.conf"},
		{"--secrets-file", "auth.conf", "--passwords", t.TempDir()},
		{"--secrets-file", "auth.conf", "--js-key", "file:/k"},
	} {
		_, err := Load(append([]string{"--name", "n", "--insecure-no-tls"}, args...))
		if err == nil || !strings.Contains(err.Error(), "--secrets-file") {
			t.Errorf("%q: %v", args, err)
		}
	}
	c := load(t, "--name", "n", "--insecure-no-tls", "--secrets-file", "auth.conf",
		"--routes", "a:6222,b:6222")
	c.BcryptCost = 4
	bad := map[string]func(s *AuthSecrets){
		"edge's password is missing": func(s *AuthSecrets) {
			delete(s.Passwords, embedded.Edge)
		},
		"admin's password is shorter": func(s *AuthSecrets) {
			s.Passwords[embedded.Admin] = secrets.NewSecret("short-pw-x")
		},
		"the route password holds": func(s *AuthSecrets) {
			s.RoutePassword = secrets.NewSecret(strings.Repeat("p@ss", 10))
		},
		"the JetStream key is missing": func(s *AuthSecrets) { s.JetStreamKey = secrets.Secret{} },
	}
	for want, mod := range bad {
		s := authSecrets(c)
		mod(&s)
		_, err := RenderAuth(c, s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("RenderAuth: %v, want %q", err, want)
			continue
		}
		if strings.Contains(err.Error(), "short-pw-x") || strings.Contains(err.Error(), "p@ss") {
			t.Errorf("the error shows the value: %v", err)
		}
	}
	if _, err := RenderAuth(load(t, "--name", "n", "--insecure-no-tls"), authSecrets(c)); err == nil {
		t.Error("RenderAuth without --secrets-file")
	}
}

// tryDialPassword is tryDial with another password.
func tryDialPassword(n *node, user, pw string) (*nats.Conn, error) {
	return tryDial(n, user, nats.UserInfo(user, pw))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLogFile checks that --log-file makes nats-server log to that file,
// rotated at 10 MB with three old files kept, and that a relative path
// is refused.
func TestLogFile(t *testing.T) {
	setEnv(t)
	path := filepath.Join(t.TempDir(), "nats.log")
	o := parse(t, writeConfig(t, load(t, "--name", "n", "--insecure-no-tls",
		"--log-file", path)))
	if o.LogFile != path || o.LogSizeLimit != 10<<20 || o.LogMaxFiles != 3 {
		t.Errorf("log file %q, limit %d, kept %d", o.LogFile, o.LogSizeLimit, o.LogMaxFiles)
	}
	if _, err := Load([]string{"--name", "n", "--insecure-no-tls", "--log-file",
		"nats.log"}); err == nil || !strings.Contains(err.Error(), "--log-file") {
		t.Errorf("a relative log file: %v", err)
	}
}
