package deploy

import (
	"crypto/rand"
	"flag"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// relayUsers are the NATS users of the security relay, which the nodes'
// configurations hold beside the components' (--security-relay).
var relayUsers = []string{embedded.RelayUser, embedded.RelaySystemUser}

// natsUsers are every NATS user of the compose nodes.
func natsUsers() []string { return append(composeUsers(), relayUsers...) }

// natsVaults holds, for each folder of gen-secrets.sh that a test uses,
// the NATS secrets that the nats-auth job would make in Vault for it.
// Vault cannot run in this module (config/secrets/vaulttest runs the job
// against a real core), so the tests here make the secrets as the job
// does and write the nodes' secrets file with the job's own renderer.
var natsVaults sync.Map

// natsSecrets returns the NATS secrets in clear of a secrets folder, by
// the names of the variables of the nodes' configurations: each user's
// <USER>_NATS_PASSWORD, NATS_ROUTE_PASSWORD and JETSTREAM_KEY.
func natsSecrets(t *testing.T, secretsDir string) map[string]string {
	t.Helper()
	made := map[string]string{"NATS_ROUTE_PASSWORD": randomLetters(t),
		"JETSTREAM_KEY": randomLetters(t)}
	for _, u := range natsUsers() {
		made[passwordVar(u)] = randomLetters(t)
	}
	v, _ := natsVaults.LoadOrStore(secretsDir, made)
	return v.(map[string]string)
}

// natsPassword is the password in clear of one NATS user.
func natsPassword(t *testing.T, secretsDir, user string) string {
	t.Helper()
	return natsSecrets(t, secretsDir)[passwordVar(user)]
}

func randomLetters(t *testing.T) string {
	t.Helper()
	s, err := randomSecret()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeAuthFile writes the secrets file that a node's configuration
// (text, as in deploy/nats) includes, as nats-auth writes it, where the
// include points from the folder of confPath. The hashes use the lowest
// bcrypt cost, to keep the tests quick.
func writeAuthFile(t *testing.T, text []byte, confPath, secretsDir string) {
	t.Helper()
	c, err := natsconf.Load(natsconf.HeaderArgs(text))
	if err != nil {
		t.Fatal(err)
	}
	if c.SecretsFile == "" {
		t.Fatal("the configuration includes no secrets file")
	}
	c.BcryptCost = 4
	plain := natsSecrets(t, secretsDir)
	s := natsconf.AuthSecrets{Passwords: map[string]secrets.Secret{},
		RoutePassword: secrets.NewSecret(plain["NATS_ROUTE_PASSWORD"]),
		JetStreamKey:  secrets.NewSecret(plain["JETSTREAM_KEY"])}
	for _, u := range c.UserNames() {
		s.Passwords[u] = secrets.NewSecret(plain[passwordVar(u)])
	}
	auth, err := natsconf.RenderAuth(c, s)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(filepath.Dir(confPath), c.SecretsFile)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, auth, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestComposeNATSAuth checks the nats-auth job: the iglowly image as a
// one-shot job after vault-init, logged in to Vault with its own AppRole,
// writing the file that every node's configuration includes onto the
// volume each node mounts there (read-only), with the users and routes
// of the configurations. Its flags are the binary's; it runs against a
// real Vault core in config/secrets/vaulttest.
func TestComposeNATSAuth(t *testing.T) {
	c := loadCompose(t)
	s := c.Services["nats-auth"]
	if s == nil || len(s.Command) == 0 || s.Command[0] != "nats-auth" {
		t.Fatal("no nats-auth service running iglowly nats-auth")
	}
	if s.Image != iglowlyImage || s.Restart != "no" || !s.ReadOnly {
		t.Errorf("image %q restart %q read-only %v, want the iglowly image, a one-shot "+
			"job, a read-only root", s.Image, s.Restart, s.ReadOnly)
	}
	checkFlags(t, []string{"nats-auth"}, s.Command[1:])
	done := dependency{"service_completed_successfully"}
	if want := map[string]dependency{"vault-init": done}; !maps.Equal(s.DependsOn, want) {
		t.Errorf("depends_on %v, want vault-init only", s.DependsOn)
	}
	secretsDir := genSecrets(t)
	vc := checkJobVault(t, c, s, secretsDir)
	checkVaultClient(t, vc, "natsauth", secretsDir)
	out := flagValue(s.Command, "--out")
	vol := volumeAt(t, s, path.Dir(out))
	for _, node := range nodes {
		n := c.Services[node]
		raw, err := os.ReadFile(filepath.Join("nats", node+".conf"))
		if err != nil {
			t.Fatal(err)
		}
		args := natsconf.HeaderArgs(raw)
		include := path.Join(path.Dir(n.Command[2]), flagValue(args, "--secrets-file"))
		if want := vol + ":" + path.Dir(include) + ":ro"; !slices.Contains(n.Volumes, want) {
			t.Errorf("%s does not mount %s, where its configuration includes %s from",
				node, want, include)
		}
		if path.Base(include) != path.Base(out) {
			t.Errorf("%s includes %s, nats-auth writes %s", node, include, out)
		}
		for _, f := range []string{"--replicas", "--routes"} {
			if flagValue(args, f) != flagValue(s.Command, f) {
				t.Errorf("nats-auth %s %q, %s is written with %q", f,
					flagValue(s.Command, f), node, flagValue(args, f))
			}
		}
		if slices.Contains(args, "--security-relay") !=
			slices.Contains(s.Command, "--security-relay") {
			t.Errorf("nats-auth and %s differ on --security-relay", node)
		}
		if !maps.Equal(n.DependsOn, map[string]dependency{"nats-auth": done}) {
			t.Errorf("%s depends_on %v, want nats-auth done", node, n.DependsOn)
		}
	}
	for name, other := range c.Services {
		if name == "nats-auth" || slices.Contains(nodes, name) {
			continue
		}
		for _, v := range other.Volumes {
			if strings.HasPrefix(v, vol+":") {
				t.Errorf("%s mounts the nats-auth volume", name)
			}
		}
	}
}

// checkRelayPositions checks the relay's --positions file: on a declared
// named volume that no other service mounts, mounted writable on a
// folder that the image's unprivileged user owns, which a new volume
// takes as its owner.
func checkRelayPositions(t *testing.T, c *composeFile, s *service) {
	t.Helper()
	file := flagValue(s.Command, "--positions")
	if file == "" {
		t.Fatal("the relay keeps no --positions file")
	}
	dir := path.Dir(file)
	vol := volumeAt(t, s, dir)
	if _, ok := c.Volumes[vol]; !ok {
		t.Errorf("volume %s is not declared", vol)
	}
	if !slices.Contains(s.Volumes, vol+":"+dir) {
		t.Errorf("the relay does not mount %s writable at %s", vol, dir)
	}
	if !userOwned(t, dir) {
		t.Errorf("%s is not a folder of the image's user: a new volume there is root's", dir)
	}
	for name, other := range c.Services {
		for _, v := range other.Volumes {
			if other != s && strings.HasPrefix(v, vol+":") {
				t.Errorf("%s mounts the relay's %s volume", name, vol)
			}
		}
	}
}

// userOwned reports whether dir, in the iglowly image, belongs to its
// unprivileged user, 65532: a folder that the Dockerfile's last stage
// copies with that owner.
func userOwned(t *testing.T, dir string) bool {
	t.Helper()
	ins, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	owned := false
	for _, in := range ins {
		f := strings.Fields(in.Args)
		switch {
		case in.Cmd == "FROM":
			owned = false // a new stage
		case in.Cmd == "COPY" && slices.Contains(f, "--chown=65532:65532") &&
			f[len(f)-1] == dir:
			owned = true
		}
	}
	return owned
}

// flagValue returns the value that follows flag in args, "" if none.
func flagValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

// volumeAt returns the named volume a service mounts at dir.
func volumeAt(t *testing.T, s *service, dir string) string {
	t.Helper()
	for _, v := range s.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		dst, _, _ = strings.Cut(dst, ":")
		if dst == dir && !strings.HasPrefix(src, ".") {
			return src
		}
	}
	t.Fatalf("no named volume at %s", dir)
	return ""
}

// checkJobVault loads the Vault settings of a job's environment, its
// paths mapped to this host, as the binary does at start.
func checkJobVault(t *testing.T, c *composeFile, s *service, secretsDir string) secrets.Config {
	t.Helper()
	env := s.env(t, secretsDir)
	var vc secrets.Config
	vc.Register(flag.NewFlagSet("job", flag.ContinueOnError), func(k string) string {
		return c.hostPath(t, s, secretsDir, env[k])
	})
	if err := vc.Validate(); err != nil || !vc.Enabled() {
		t.Fatalf("Vault settings: %v", err)
	}
	return vc
}

// natsSecretLetters are the letters of the secrets the tests make.
const natsSecretLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomSecret returns 40 random letters, like the secrets nats-auth
// makes.
func randomSecret() (string, error) {
	b := make([]byte, 40)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = natsSecretLetters[int(b[i])%len(natsSecretLetters)]
	}
	return string(b), nil
}

// TestComposeRelay checks the security relay's service: "iglowly security
// relay" with flags the binary knows, mutual TLS to every node with the
// demo's CA and its own client certificate, its two users' passwords by
// reference to where nats-auth makes them, its own AppRole, no env
// file, and a start after provisioning.
func TestComposeRelay(t *testing.T) {
	c := loadCompose(t)
	var s *service
	for _, svc := range c.Services {
		if svc.job() == "security relay" {
			if s != nil {
				t.Fatal("two security relays: each would file every refused login")
			}
			s = svc
		}
	}
	if s == nil {
		t.Fatal("no service runs iglowly security relay")
	}
	checkFlags(t, []string{"security", "relay"}, s.Command[2:])
	checkRelayPositions(t, c, s)
	secretsDir := genSecrets(t)
	env := s.env(t, secretsDir)
	checkNoInsecure(t, s, env)
	want := map[string]string{
		"IGLOWLY_RELAY_SYSTEM_PASSWORD_REF": passwordRef(embedded.RelaySystemUser),
		"IGLOWLY_RELAY_APP_PASSWORD_REF":    passwordRef(embedded.RelayUser),
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s %q, want %s", k, env[k], v)
		}
	}
	if len(s.EnvFile) > 0 {
		t.Errorf("env_file %q: its passwords are in Vault", s.EnvFile)
	}
	var nc config.NATS
	mapped := func(k string) string { return c.hostPath(t, s, secretsDir, env[k]) }
	nc.Register(flag.NewFlagSet("relay", flag.ContinueOnError), mapped)
	checkNATSTLS(t, nc, secretsDir)
	// As the relay logs in to the application account.
	nc.User, nc.PasswordRef = embedded.RelayUser, passwordRef(embedded.RelayUser)
	if err := nc.Validate(); err != nil {
		t.Errorf("its NATS settings: %v", err)
	}
	checkNATSCert(t, "security-relay", env, nc, embedded.RelayUser, secretsDir, sharing{})
	checkVaultClient(t, checkJobVault(t, c, s, secretsDir), "relay", secretsDir)
	checkDependsOn(t, s, "relay")
}
