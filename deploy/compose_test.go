package deploy

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"gopkg.in/yaml.v3"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
)

// iglowlyImage is the image docker-compose.yml builds from the Dockerfile.
const iglowlyImage = "iglowly/assistant:local"

// composeFile is the part of the compose format docker-compose.yml uses.
// Decoding is strict: a misspelt service key fails the test.
type composeFile struct {
	Name       string                   `yaml:"name"`
	Services   map[string]*service      `yaml:"services"`
	Secrets    map[string]composeSecret `yaml:"secrets"`
	Volumes    map[string]any           `yaml:"volumes"`
	Extensions map[string]any           `yaml:",inline"`
}

type composeSecret struct {
	File string `yaml:"file"`
}

type service struct {
	Image           string                `yaml:"image"`
	Build           string                `yaml:"build"`
	Command         []string              `yaml:"command"`
	Entrypoint      []string              `yaml:"entrypoint"`
	Profiles        []string              `yaml:"profiles"`
	Environment     map[string]string     `yaml:"environment"`
	EnvFile         []string              `yaml:"env_file"`
	Volumes         []string              `yaml:"volumes"`
	Secrets         []serviceSecret       `yaml:"secrets"`
	Ports           []string              `yaml:"ports"`
	DependsOn       map[string]dependency `yaml:"depends_on"`
	Deploy          deploy                `yaml:"deploy"`
	Healthcheck     *healthcheck          `yaml:"healthcheck"`
	Restart         string                `yaml:"restart"`
	ReadOnly        bool                  `yaml:"read_only"`
	CapAdd          []string              `yaml:"cap_add"`
	GroupAdd        []string              `yaml:"group_add"`
	StopGracePeriod string                `yaml:"stop_grace_period"`
}

// serviceSecret is a compose secret a service mounts at
// /run/secrets/<Target>: "name", or {source: name, target: other}.
type serviceSecret struct {
	Source, Target string
}

func (s *serviceSecret) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		s.Source, s.Target = n.Value, n.Value
		return nil
	}
	var long struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	}
	if err := n.Decode(&long); err != nil {
		return err
	}
	s.Source, s.Target = long.Source, cmp.Or(long.Target, long.Source)
	return nil
}

type deploy struct {
	Replicas *int `yaml:"replicas"`
}

type dependency struct {
	Condition string `yaml:"condition"`
}

type healthcheck struct {
	Test        []string `yaml:"test"`
	Interval    string   `yaml:"interval"`
	Timeout     string   `yaml:"timeout"`
	Retries     int      `yaml:"retries"`
	StartPeriod string   `yaml:"start_period"`
}

func loadCompose(t *testing.T) *composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var c composeFile
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for k := range c.Extensions {
		if !strings.HasPrefix(k, "x-") {
			t.Errorf("unknown top-level key %q", k)
		}
	}
	return &c
}

// replicas is how many containers a service runs.
func (s *service) replicas() int {
	if s.Deploy.Replicas == nil {
		return 1
	}
	return *s.Deploy.Replicas
}

// component is the component a service runs, from its iglowly
// subcommand, or "" if the command is not one of them.
func (s *service) component() string {
	switch {
	case len(s.Command) >= 1 && s.Command[0] == "edge":
		return embedded.Edge
	case len(s.Command) >= 2 && s.Command[0] == "worker":
		return s.Command[1]
	case len(s.Command) > 0 && s.Command[0] == "provision":
		return embedded.Admin
	}
	return ""
}

// job is the one-shot or auxiliary iglowly command a service runs that
// is no NATS component: nats-auth, security relay; "" otherwise.
func (s *service) job() string {
	switch {
	case len(s.Command) >= 1 && s.Command[0] == "nats-auth":
		return "nats-auth"
	case len(s.Command) >= 2 && s.Command[0] == "security" && s.Command[1] == "relay":
		return "security relay"
	}
	return ""
}

// passwordRef is the reference of a NATS user's password in Vault, where
// nats-auth makes it.
func passwordRef(user string) string {
	return "vault://iglowly/nats/users/" + user + "#password"
}

// env is a service's environment as its container sees it: env files
// (read from the generated secrets folder) overridden by environment.
func (s *service) env(t *testing.T, secrets string) map[string]string {
	t.Helper()
	env := make(map[string]string)
	for _, f := range s.EnvFile {
		maps.Copy(env, readEnvFile(t, secretPath(t, secrets, f)))
	}
	maps.Copy(env, s.Environment)
	return env
}

// secretPath maps a compose path under ./deploy/secrets/ to the folder
// gen-secrets.sh wrote.
func secretPath(t *testing.T, secrets, composePath string) string {
	t.Helper()
	rel, ok := strings.CutPrefix(composePath, "./deploy/secrets/")
	if !ok || !filepath.IsLocal(rel) {
		t.Fatalf("%q is not a path in ./deploy/secrets/", composePath)
	}
	return filepath.Join(secrets, rel)
}

// hostPath maps a path inside a service's container to this host,
// through its bind mounts and compose secrets; other paths stay. A
// mount from ./deploy/secrets/ maps into secrets, the folder
// gen-secrets.sh wrote.
func (c *composeFile) hostPath(t *testing.T, s *service, secrets, p string) string {
	t.Helper()
	for _, sec := range s.Secrets {
		if p == "/run/secrets/"+sec.Target {
			return secretPath(t, secrets, c.Secrets[sec.Source].File)
		}
	}
	for _, v := range s.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		dst, _, _ = strings.Cut(dst, ":")
		rest, ok := strings.CutPrefix(p, dst+"/")
		if p == dst {
			rest, ok = "", true // a file mounted as itself
		}
		switch {
		case !ok || !strings.HasPrefix(src, "./"):
		case strings.HasPrefix(src, "./deploy/secrets/"):
			return filepath.Join(secretPath(t, secrets, src), rest)
		default:
			return filepath.Join(repoRoot, src, rest)
		}
	}
	return p
}

// TestComposeNATSNodes checks every NATS service: the image, its own
// config mounted from this repository and loading with the files that
// compose mounts, its own data volume and TLS folder, and no port on
// the host.
func TestComposeNATSNodes(t *testing.T) {
	c := loadCompose(t)
	secrets := genSecrets(t)
	minor := strings.Split(server.VERSION, ".")[1]
	mounts := make(map[string]string)
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			s := c.Services[node]
			if s == nil {
				t.Fatalf("no service %s", node)
			}
			// The configs are tested with go.mod's nats-server; the image
			// must run the same minor release.
			if want := "nats:2." + minor + "-alpine"; s.Image != want {
				t.Errorf("image %q, want %q", s.Image, want)
			}
			conf := "/etc/nats/" + node + ".conf"
			if !slices.Equal(s.Command, []string{"nats-server", "--config", conf}) {
				t.Errorf("command %q, want nats-server --config %s", s.Command, conf)
			}
			if _, err := os.Stat(c.hostPath(t, s, "", conf)); err != nil {
				t.Errorf("config not mounted from this repository: %v", err)
			}
			o := loadNode(t, node, secrets)
			checkNodeExposure(t, s, o)
			checkNodeMounts(t, s, node)
			vol := dataVolume(t, c, s, o.StoreDir)
			if other, dup := mounts[vol]; dup {
				t.Errorf("%s shares volume %s with %s", node, vol, other)
			}
			mounts[vol] = node
			if len(s.EnvFile) > 0 {
				t.Errorf("env_file %q: the nodes' secrets come from nats-auth's file",
					s.EnvFile)
			}
			probe := "http://127.0.0.1:" + strconv.Itoa(o.HTTPPort) + "/healthz"
			if s.Healthcheck == nil || !slices.Contains(s.Healthcheck.Test, probe) {
				t.Errorf("healthcheck does not probe %s", probe)
			}
		})
	}
}

// checkNodeExposure checks that a node publishes no port on the host,
// and that its monitoring port, which has no authentication, listens on
// the container's loopback only.
func checkNodeExposure(t *testing.T, s *service, o *server.Options) {
	t.Helper()
	if len(s.Ports) > 0 {
		t.Errorf("publishes %q on the host; clients reach it on the compose network", s.Ports)
	}
	if o.HTTPHost != "127.0.0.1" || o.HTTPSPort != 0 {
		t.Errorf("monitoring on %q, want 127.0.0.1 only", o.HTTPHost)
	}
}

// checkNodeMounts checks that a node mounts from deploy/secrets/ only
// its own TLS folder, read-only: no node holds another's keys.
func checkNodeMounts(t *testing.T, s *service, node string) {
	t.Helper()
	var got []string
	for _, v := range s.Volumes {
		if strings.HasPrefix(v, "./deploy/secrets/") {
			got = append(got, v)
		}
	}
	want := []string{"./deploy/secrets/tls/" + node + ":/etc/nats-tls:ro"}
	if !slices.Equal(got, want) {
		t.Errorf("mounts %q from deploy/secrets, want only %q", got, want)
	}
}

// dataVolume returns the named volume that holds storeDir.
func dataVolume(t *testing.T, c *composeFile, s *service, storeDir string) string {
	t.Helper()
	for _, v := range s.Volumes {
		src, dst, _ := strings.Cut(v, ":")
		if strings.HasPrefix(storeDir, dst+"/") && !strings.HasPrefix(src, ".") {
			if _, ok := c.Volumes[src]; !ok {
				t.Errorf("volume %s is not declared", src)
			}
			return src
		}
	}
	t.Errorf("store_dir %s is not on a named volume", storeDir)
	return ""
}

// TestComposeComponents checks every iglowly service: a real subcommand
// whose flags and environment the component's own loader accepts, and
// one service per replica, each with a NATS user, a password, a client
// certificate and a Vault secret id that no other service shares.
func TestComposeComponents(t *testing.T) {
	c := loadCompose(t)
	secrets := genSecrets(t)
	shared := sharing{}
	var users []string
	for _, name := range slices.Sorted(maps.Keys(c.Services)) {
		s := c.Services[name]
		if s.Image != iglowlyImage || len(s.Profiles) > 0 {
			continue // tools, which "up" does not start: TestComposeKeysTool
		}
		if s.job() != "" {
			continue // TestComposeNATSAuth, TestComposeRelay
		}
		t.Run(name, func(t *testing.T) {
			if s.Build != "." {
				t.Errorf("build %q, want . (the Dockerfile)", s.Build)
			}
			comp := s.component()
			if !slices.Contains(embedded.Components, comp) {
				t.Fatalf("command %q is not an iglowly component", s.Command)
			}
			if s.replicas() != 1 {
				t.Errorf("deploy.replicas %d: its copies would share one NATS user and "+
					"secret id; write a service per replica", s.replicas())
			}
			env := s.env(t, secrets)
			user := env["IGLOWLY_NATS_USER"]
			users = append(users, user)
			checkNoInsecure(t, s, env)
			nc, vc := checkLoads(t, s, comp, func(k string) string {
				return c.hostPath(t, s, secrets, env[k])
			})
			checkNATSTLS(t, nc, secrets)
			checkNATSCert(t, name, env, nc, user, secrets, shared)
			if want := passwordRef(user); nc.PasswordRef != want {
				t.Errorf("password reference %q, want %s", nc.PasswordRef, want)
			}
			if len(s.EnvFile) > 0 || env["IGLOWLY_NATS_PASSWORD"] != "" {
				t.Errorf("env_file %q or a NATS password inline: the password is in Vault",
					s.EnvFile)
			}
			shared.claim(t, name, "NATS user "+user, user)
			shared.claim(t, name, "a NATS password", nc.PasswordRef)
			checkVaultClient(t, vc, user, secrets)
			shared.claim(t, name, "its Vault secret id file", vc.SecretIDFile)
			shared.claim(t, name, "its Vault role id file", vc.RoleIDFile)
			checkDependsOn(t, s, comp)
		})
	}
	slices.Sort(users)
	if want := slices.Sorted(slices.Values(composeUsers())); !slices.Equal(users, want) {
		t.Errorf("services log in as %q, want one service per user %q", users, want)
	}
}

// sharing records which service holds what, to find two that share it.
type sharing map[string]string

// claim records that service holds value, described by what (never the
// value itself, which may be a secret), and fails if another service
// holds it too.
func (sh sharing) claim(t *testing.T, service, what, value string) {
	t.Helper()
	if value == "" {
		t.Errorf("no %s", what)
		return
	}
	if other, ok := sh[value]; ok && other != service {
		t.Errorf("%s shares %s with %s", service, what, other)
	}
	sh[value] = service
}

// checkLoads parses the service's arguments and environment with the
// component's config loader, as the binary does at start, and returns
// its NATS and Vault settings. env has the container's paths already
// mapped to this host.
func checkLoads(t *testing.T, s *service, comp string,
	env config.Env) (config.NATS, secrets.Config) {
	t.Helper()
	var nc config.NATS
	var vc secrets.Config
	switch comp {
	case embedded.Edge:
		cfg, err := config.LoadEdge(s.Command[1:], env)
		if err != nil {
			t.Fatalf("edge config: %v", err)
		}
		nc, vc = cfg.NATS, cfg.Vault
		checkVaultRefs(t, map[string]secrets.Ref{"IGLOWLY_SESSION_KEYS": cfg.SessionKeysRef,
			"IGLOWLY_ADDRESS_KEY": cfg.AddressKeyRef})
	case embedded.Admin:
		// Provision's own flags are checked against the binary in
		// TestComposeProvision; here only the NATS and Vault settings
		// from env.
		fs := flag.NewFlagSet("provision", flag.ContinueOnError)
		nc.Register(fs, env)
		vc.Register(fs, env)
		if err := errors.Join(nc.Validate(), vc.Validate()); err != nil {
			t.Fatalf("provision NATS config: %v", err)
		}
	default:
		cfg, err := config.LoadWorker(comp, s.Command[2:], env)
		if err != nil {
			t.Fatalf("worker config: %v", err)
		}
		nc, vc = cfg.NATS, cfg.Vault
		refs := make(map[string]secrets.Ref)
		for p, r := range cfg.ModelKeyRefs {
			refs["IGLOWLY_MODEL_KEYS "+p] = r
		}
		checkVaultRefs(t, refs)
	}
	if _, err := nc.Replica(comp); err != nil || nc.User == "" {
		t.Errorf("logs in as %q, want a user of %s's: %v", nc.User, comp, err)
	}
	return nc, vc
}

// natsURLs is IGLOWLY_NATS_URL of every iglowly service: TLS to each
// node.
func natsURLs() []string {
	var u []string
	for _, n := range nodes {
		u = append(u, "tls://"+n+":4222")
	}
	return u
}

// checkNoInsecure fails if a service may connect to NATS in clear:
// IGLOWLY_NATS_INSECURE in its environment or env files, set to any
// value, or --nats-insecure among its arguments.
func checkNoInsecure(t *testing.T, s *service, env map[string]string) {
	t.Helper()
	if v, ok := env["IGLOWLY_NATS_INSECURE"]; ok {
		t.Errorf("sets IGLOWLY_NATS_INSECURE=%q: NATS must be reached over TLS", v)
	}
	for _, a := range s.Command {
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); name == "nats-insecure" {
			t.Errorf("command has %q: NATS must be reached over TLS", a)
		}
	}
}

// checkNATSTLS checks the NATS settings a service loaded: tls:// URLs
// to all three nodes and the CA that gen-secrets.sh wrote, mounted.
func checkNATSTLS(t *testing.T, nc config.NATS, secrets string) {
	t.Helper()
	if nc.Insecure {
		t.Error("connects to NATS without TLS")
	}
	if got := strings.Split(nc.URL, ","); !slices.Equal(got, natsURLs()) {
		t.Errorf("NATS URL %q, want %q", nc.URL, strings.Join(natsURLs(), ","))
	}
	if want := filepath.Join(secrets, "tls", "ca.pem"); nc.CAFile != want {
		t.Errorf("NATS CA %q, want the mounted tls/ca.pem of gen-secrets.sh", nc.CAFile)
	}
}

// checkDependsOn checks that provisioning waits for the NATS nodes and
// vault-init, and every other service for provisioning and vault-init.
func checkDependsOn(t *testing.T, s *service, comp string) {
	t.Helper()
	done := dependency{"service_completed_successfully"}
	want := map[string]dependency{"provision": done, "vault-init": done}
	if comp == embedded.Admin {
		want = map[string]dependency{"vault-init": done}
		for _, n := range nodes {
			want[n] = dependency{"service_healthy"}
		}
	}
	if !maps.Equal(s.DependsOn, want) {
		t.Errorf("depends_on %v, want %v", s.DependsOn, want)
	}
}

var secretName = regexp.MustCompile(`(?i)pass|secret|token|creds|_key$`)

// mountsSecret reports whether p is the path of a compose secret that
// the service mounts: a file, as IGLOWLY_NATS_KEY names its key.
func (s *service) mountsSecret(p string) bool {
	for _, sec := range s.Secrets {
		if p == "/run/secrets/"+sec.Target {
			return true
		}
	}
	return false
}

// TestComposeNoInlineSecrets checks that secrets come only from the
// generated files, which neither git nor the image build sees.
func TestComposeNoInlineSecrets(t *testing.T) {
	c := loadCompose(t)
	secrets := genSecrets(t)
	for name, s := range c.Services {
		for k, v := range s.Environment {
			if secretName.MatchString(k) && !strings.HasSuffix(k, "_FILE") &&
				!strings.HasPrefix(v, "vault://") && !s.mountsSecret(v) {
				t.Errorf("%s: %s is set inline", name, k)
			}
		}
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if strings.HasPrefix(src, "./deploy/secrets/") {
				if _, err := os.Stat(secretPath(t, secrets, src)); err != nil {
					t.Errorf("%s: gen-secrets.sh does not write %s", name, src)
				}
			}
		}
		for _, a := range s.Command {
			if secretName.MatchString(a) {
				t.Errorf("%s: command argument %q looks like a secret", name, a)
			}
		}
		for _, f := range s.EnvFile {
			if _, err := os.Stat(secretPath(t, secrets, f)); err != nil {
				t.Errorf("%s: gen-secrets.sh does not write %s", name, f)
			}
		}
	}
	for name, sec := range c.Secrets {
		if _, err := os.Stat(secretPath(t, secrets, sec.File)); err != nil {
			t.Errorf("secret %s: gen-secrets.sh does not write %s", name, sec.File)
		}
	}
	ignore, err := os.ReadFile(".gitignore")
	if err != nil || !slices.Contains(strings.Fields(string(ignore)), "secrets/") {
		t.Errorf("deploy/.gitignore does not keep secrets/ out of git: %v", err)
	}
}

var flagLine = regexp.MustCompile(`(?m)^\s+-([a-z][a-z0-9-]*)`)

// TestComposeProvision checks the one-shot provisioning job: flags the
// binary knows, and clinic files mounted from this repository that parse.
func TestComposeProvision(t *testing.T) {
	c := loadCompose(t)
	s := c.Services["provision"]
	if s == nil || s.component() != embedded.Admin {
		t.Fatal("no provision service running iglowly provision")
	}
	if s.Restart != "no" {
		t.Errorf("restart %q, want no: it is a one-shot job", s.Restart)
	}
	var ids []string
	args := s.Command[1:]
	for i := 0; i < len(args); i++ {
		if args[i] != "--clinic" || i+1 == len(args) {
			continue
		}
		i++
		raw, err := os.ReadFile(c.hostPath(t, s, "", args[i]))
		if err != nil {
			t.Fatalf("clinic %s is not mounted from this repository: %v", args[i], err)
		}
		cl, err := config.ParseClinic(raw)
		if err != nil {
			t.Fatalf("clinic %s: %v", args[i], err)
		}
		ids = append(ids, cl.ID)
	}
	if !slices.Equal(ids, []string{"demo", "demo-2"}) {
		t.Errorf("provisions clinics %q, want demo and demo-2", ids)
	}
	checkProvisionFlags(t, args)
}

// checkProvisionFlags compares the flags of the provision command with
// those "iglowly provision -h" lists.
func checkProvisionFlags(t *testing.T, args []string) {
	checkFlags(t, []string{"provision"}, args)
}

// checkFlags compares the flags in args with those "iglowly <sub> -h"
// lists.
func checkFlags(t *testing.T, sub, args []string) {
	t.Helper()
	out, _ := exec.Command(iglowlyBinary(t), append(sub, "-h")...).CombinedOutput()
	known := make(map[string]bool)
	for _, m := range flagLine.FindAllStringSubmatch(string(out), -1) {
		known[m[1]] = true
	}
	if len(known) < 2 {
		t.Fatalf("%s -h lists no flags:\n%s", sub, out)
	}
	for _, a := range args {
		name, isFlag := strings.CutPrefix(strings.TrimPrefix(a, "-"), "-")
		if !isFlag && !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if !known[name] {
			t.Errorf("%s has no flag %q", sub, a)
		}
	}
}

// TestComposeConfigCLI runs "docker compose config -q" on a copy of the
// project with generated secrets, where the compose plugin is installed.
func TestComposeConfigCLI(t *testing.T) {
	if err := exec.Command("docker", "compose", "version").Run(); err != nil {
		t.Skip("the docker compose plugin is not installed")
	}
	dir := t.TempDir()
	entries, err := os.ReadDir(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "deploy" {
			continue
		}
		abs, _ := filepath.Abs(filepath.Join(repoRoot, e.Name()))
		if err := os.Symlink(abs, filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	natsDir, _ := filepath.Abs("nats")
	if err := os.MkdirAll(filepath.Join(dir, "deploy"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(natsDir, filepath.Join(dir, "deploy", "nats")); err != nil {
		t.Fatal(err)
	}
	gen := exec.Command("bash", "gen-secrets.sh", filepath.Join(dir, "deploy", "secrets"))
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("gen-secrets.sh: %v\n%s", err, out)
	}
	cmd := exec.Command("docker", "compose", "-f", "docker-compose.yml", "config", "-q")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker compose config: %v\n%s", err, out)
	}
}
