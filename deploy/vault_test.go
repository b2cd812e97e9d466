package deploy

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/embedded"
)

// vaultAddr is where every iglowly service reaches Vault: the compose
// service vault, over TLS.
const vaultAddr = "https://vault:8200"

// checkVaultClient checks a replica's Vault settings, as its loader read
// them: Vault over TLS with the demo's CA, AppRole with the role id and
// secret id of its own role (one per replica, named after user), each a
// file that gen-secrets.sh writes, and no secret id or token in the
// environment.
func checkVaultClient(t *testing.T, vc secrets.Config, user, secretsDir string) {
	t.Helper()
	if vc.Addr != vaultAddr || vc.Auth != secrets.AuthAppRole {
		t.Errorf("Vault %q with %q, want %s with approle", vc.Addr, vc.Auth, vaultAddr)
	}
	if want := filepath.Join(secretsDir, "tls", "ca.pem"); vc.CAFile != want {
		t.Errorf("Vault CA %q, want the mounted tls/ca.pem of gen-secrets.sh", vc.CAFile)
	}
	approle := filepath.Join(secretsDir, "vault", "approle")
	if want := filepath.Join(approle, user+".role-id"); vc.RoleIDFile != want {
		t.Errorf("role id file %q, want %s's own %s", vc.RoleIDFile, user, want)
	}
	if want := filepath.Join(approle, user+".secret-id"); vc.SecretIDFile != want {
		t.Errorf("secret id file %q, want %s's own %s", vc.SecretIDFile, user, want)
	}
	if vc.RoleID != "" || !vc.SecretID.IsZero() || !vc.Token.IsZero() || vc.TokenFile != "" {
		t.Error("a role id, secret id or token given otherwise than by the two files")
	}
}

// checkVaultRefs fails on any secret a component reads otherwise than
// from Vault: a file (a key file or file://) or a variable.
func checkVaultRefs(t *testing.T, refs map[string]secrets.Ref) {
	t.Helper()
	for name, r := range refs {
		if r.Scheme() != secrets.SchemeVault {
			t.Errorf("%s is read from %s, want a vault:// reference", name, r.Scheme())
		}
	}
}

// vaultConfig is the part of Vault's server configuration that
// deploy/vault/vault.json sets.
type vaultConfig struct {
	Storage struct {
		File *struct {
			Path string `json:"path"`
		} `json:"file"`
	} `json:"storage"`
	Listener []struct {
		TCP *struct {
			Address       string `json:"address"`
			TLSCertFile   string `json:"tls_cert_file"`
			TLSKeyFile    string `json:"tls_key_file"`
			TLSMinVersion string `json:"tls_min_version"`
			TLSDisable    any    `json:"tls_disable"`
		} `json:"tcp"`
	} `json:"listener"`
	APIAddr  string `json:"api_addr"`
	UI       bool   `json:"ui"`
	LogLevel string `json:"log_level"`
}

// TestComposeVault checks the vault service: a server, not dev mode,
// with its configuration from this repository, file storage on a named
// volume, and TLS with the certificate gen-secrets.sh issues for vault.
func TestComposeVault(t *testing.T) {
	c := loadCompose(t)
	secretsDir := genSecrets(t)
	s := c.Services["vault"]
	if s == nil {
		t.Fatal("no vault service")
	}
	if !strings.HasPrefix(s.Image, "hashicorp/vault:") {
		t.Errorf("image %q, want hashicorp/vault", s.Image)
	}
	checkNotDev(t, s)
	if !slices.Equal(s.Command, []string{"server"}) || len(s.Entrypoint) > 0 {
		t.Errorf("runs %q %q, want the image's entrypoint with server", s.Entrypoint, s.Command)
	}
	raw, err := os.ReadFile(c.hostPath(t, s, secretsDir, "/vault/config/vault.json"))
	if err != nil {
		t.Fatalf("vault.json is not mounted from this repository: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	var vc vaultConfig
	if err := dec.Decode(&vc); err != nil {
		t.Fatalf("vault.json: %v", err)
	}
	if vc.Storage.File == nil {
		t.Fatal("vault.json has no file storage")
	}
	dataVolume(t, c, s, vc.Storage.File.Path+"/")
	if len(vc.Listener) != 1 || vc.Listener[0].TCP == nil {
		t.Fatal("vault.json wants one tcp listener")
	}
	l := vc.Listener[0].TCP
	if l.TLSDisable != nil || l.TLSMinVersion != "tls12" || l.Address != "0.0.0.0:8200" {
		t.Errorf("listener %+v, want TLS 1.2 or later on 8200", *l)
	}
	if vc.APIAddr != vaultAddr {
		t.Errorf("api_addr %q, want %s", vc.APIAddr, vaultAddr)
	}
	checkVaultCert(t, c.hostPath(t, s, secretsDir, l.TLSCertFile),
		c.hostPath(t, s, secretsDir, l.TLSKeyFile), filepath.Join(secretsDir, "tls", "ca.pem"))
	for _, p := range s.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			t.Errorf("publishes %q beyond the host's loopback", p)
		}
	}
}

// checkNotDev fails if a service may run Vault in dev mode: -dev in its
// command or entrypoint, or a VAULT_DEV_ variable.
func checkNotDev(t *testing.T, s *service) {
	t.Helper()
	for _, a := range append(slices.Clone(s.Entrypoint), s.Command...) {
		if strings.HasPrefix(strings.TrimLeft(a, "-"), "dev") && strings.HasPrefix(a, "-") {
			t.Errorf("runs Vault with %q: dev mode keeps everything in memory, unsealed", a)
		}
	}
	for k := range s.Environment {
		if strings.HasPrefix(k, "VAULT_DEV_") {
			t.Errorf("sets %s, a dev-mode setting", k)
		}
	}
	if len(s.EnvFile) > 0 {
		t.Errorf("env_file %q: Vault needs none", s.EnvFile)
	}
}

// checkVaultCert checks Vault's certificate: signed by the demo's CA
// for the name vault (and localhost, for the CLI in its container),
// for servers only, with its key.
func checkVaultCert(t *testing.T, certFile, keyFile, caFile string) {
	t.Helper()
	if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
		t.Fatalf("Vault's certificate and key: %v", err)
	}
	cert := readCert(t, certFile)
	roots := certPool(t, caFile)
	server := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	for _, name := range []string{"vault", "localhost", "127.0.0.1"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: roots,
			KeyUsages: server}); err != nil {
			t.Errorf("Vault's certificate does not verify for %s: %v", name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "nats-1", Roots: roots,
		KeyUsages: server}); err == nil {
		t.Error("Vault's certificate verifies for nats-1 too")
	}
	if !slices.Equal(cert.ExtKeyUsage, server) || cert.IsCA {
		t.Errorf("Vault's certificate: usages %v, want server authentication only",
			cert.ExtKeyUsage)
	}
}

// TestGenSecretsVaultTLS checks what gen-secrets.sh writes for Vault:
// its CA and a certificate of its own, readable by the image's
// unprivileged user in a folder that only the two hold.
func TestGenSecretsVaultTLS(t *testing.T) {
	dir := filepath.Join(genSecrets(t), "tls")
	own := filepath.Join(dir, "vault")
	checkVaultCert(t, filepath.Join(own, "server.pem"), filepath.Join(own, "server-key.pem"),
		filepath.Join(dir, "ca.pem"))
	ca, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	mine, err := os.ReadFile(filepath.Join(own, "ca.pem"))
	if err != nil || string(mine) != string(ca) {
		t.Errorf("tls/vault/ca.pem is not tls/ca.pem (%v)", err)
	}
	entries, _ := os.ReadDir(own)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		checkMode(t, filepath.Join(own, e.Name()), 0o644)
	}
	if want := []string{"ca.pem", "server-key.pem", "server.pem"}; !slices.Equal(names, want) {
		t.Errorf("tls/vault holds %q, want %q", names, want)
	}
	checkMode(t, own, 0o755)
	checkMode(t, dir, 0o700)
	for _, node := range nodes {
		a := readCert(t, filepath.Join(own, "server.pem")).RawSubjectPublicKeyInfo
		b := readCert(t, filepath.Join(dir, node, "server.pem")).RawSubjectPublicKeyInfo
		if string(a) == string(b) {
			t.Errorf("Vault's certificate has the key of %s's", node)
		}
	}
}

// TestComposeVaultInit checks the one-shot vault-init job: the vault
// image running deploy/vault/init.sh against the vault service over TLS,
// with the AppRole ids to register and a folder of its own for the
// unseal key, and every long-running iglowly service waiting for it.
func TestComposeVaultInit(t *testing.T) {
	c := loadCompose(t)
	secretsDir := genSecrets(t)
	s := c.Services["vault-init"]
	if s == nil {
		t.Fatal("no vault-init service")
	}
	if s.Image != c.Services["vault"].Image || s.Restart != "no" {
		t.Errorf("image %q restart %q, want vault's image, run once", s.Image, s.Restart)
	}
	checkNotDev(t, s)
	script := "/vault-init/init.sh"
	if !slices.Equal(s.Entrypoint, []string{"/bin/sh", script}) || len(s.Command) > 0 {
		t.Errorf("runs %q %q, want /bin/sh %s", s.Entrypoint, s.Command, script)
	}
	want := filepath.Join(repoRoot, "deploy", "vault", "init.sh")
	if got := c.hostPath(t, s, secretsDir, script); got != want {
		t.Errorf("%s is %s on the host, want deploy/vault/init.sh", script, got)
	}
	if s.Environment["VAULT_ADDR"] != vaultAddr ||
		c.hostPath(t, s, secretsDir, s.Environment["VAULT_CACERT"]) !=
			filepath.Join(secretsDir, "tls", "ca.pem") {
		t.Errorf("reaches Vault at %q with CA %q, want %s with tls/ca.pem",
			s.Environment["VAULT_ADDR"], s.Environment["VAULT_CACERT"], vaultAddr)
	}
	mounts := map[string]string{
		"/vault/approle":    filepath.Join(secretsDir, "vault", "approle"),
		"/vault/init":       filepath.Join(secretsDir, "vault", "init"),
		"/vault/model-keys": filepath.Join(secretsDir, "vault", "model-keys"),
	}
	for dst, host := range mounts {
		if got := c.hostPath(t, s, secretsDir, dst+"/x"); got != filepath.Join(host, "x") {
			t.Errorf("%s is %s on the host, want %s", dst, filepath.Dir(got), host)
		}
	}
	for _, v := range s.Volumes {
		if !strings.HasSuffix(v, ":ro") && !strings.HasSuffix(v, ":/vault/init") {
			t.Errorf("mounts %q writable: only /vault/init may be", v)
		}
	}
	if !maps.Equal(s.DependsOn, map[string]dependency{"vault": {"service_healthy"}}) {
		t.Errorf("depends_on %v, want vault healthy", s.DependsOn)
	}
}

// TestComposeVaultUnsealer checks the vault-unsealer service: the vault
// image running init.sh --watch for good against the vault service over
// TLS, after vault-init, with the folder of the unseal key read-only and
// nothing else of the secrets.
func TestComposeVaultUnsealer(t *testing.T) {
	c := loadCompose(t)
	secretsDir := genSecrets(t)
	s := c.Services["vault-unsealer"]
	if s == nil {
		t.Fatal("no vault-unsealer service")
	}
	if s.Image != c.Services["vault"].Image || s.Restart != "unless-stopped" || !s.ReadOnly {
		t.Errorf("image %q restart %q read-only %v, want vault's image, kept running, "+
			"a read-only root", s.Image, s.Restart, s.ReadOnly)
	}
	checkNotDev(t, s)
	if !slices.Equal(s.Entrypoint, []string{"/bin/sh", "/vault-init/init.sh", "--watch"}) ||
		len(s.Command) > 0 {
		t.Errorf("runs %q %q, want /bin/sh /vault-init/init.sh --watch", s.Entrypoint, s.Command)
	}
	if got := c.hostPath(t, s, secretsDir, "/vault-init/init.sh"); got !=
		filepath.Join(repoRoot, "deploy", "vault", "init.sh") {
		t.Errorf("its init.sh is %s on the host", got)
	}
	if s.Environment["VAULT_ADDR"] != vaultAddr || c.hostPath(t, s, secretsDir,
		s.Environment["VAULT_CACERT"]) != filepath.Join(secretsDir, "tls", "ca.pem") {
		t.Errorf("reaches Vault at %q, want %s with tls/ca.pem", s.Environment["VAULT_ADDR"],
			vaultAddr)
	}
	want := []string{"./deploy/vault:/vault-init:ro",
		"./deploy/secrets/tls/ca.pem:/vault/tls/ca.pem:ro",
		"./deploy/secrets/vault/init:/vault/init:ro"}
	if !slices.Equal(s.Volumes, want) {
		t.Errorf("mounts %q, want only %q", s.Volumes, want)
	}
	done := dependency{"service_completed_successfully"}
	if !maps.Equal(s.DependsOn, map[string]dependency{"vault-init": done}) {
		t.Errorf("depends_on %v, want vault-init done", s.DependsOn)
	}
}

// docPolicyBlock matches one "vault policy write NAME - <<'EOF' ... EOF"
// block of docs/vault.md.
var docPolicyBlock = regexp.MustCompile(`(?ms)^vault policy write (\S+) - <<'EOF'\n(.*?)^EOF$`)

// TestVaultPolicies checks that deploy/vault/policies/ holds exactly the
// policies of docs/vault.md, word for word: the ones that
// config/secrets/vaulttest proves against a real Vault.
func TestVaultPolicies(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "vault.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := make(map[string]string)
	for _, m := range docPolicyBlock.FindAllStringSubmatch(string(raw), -1) {
		doc[m[1]+".hcl"] = m[2]
	}
	if len(doc) < 6 {
		t.Fatalf("docs/vault.md has %d policies", len(doc))
	}
	files, _ := filepath.Glob(filepath.Join("vault", "policies", "*"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if want := slices.Sorted(maps.Keys(doc)); !slices.Equal(names, want) {
		t.Errorf("deploy/vault/policies holds %q, want docs/vault.md's %q", names, want)
	}
	for name, text := range doc {
		got, err := os.ReadFile(filepath.Join("vault", "policies", name))
		if err == nil && string(got) != text {
			t.Errorf("policies/%s differs from docs/vault.md\n%s", name,
				firstDifference([]byte(text), got))
		}
	}
	for _, c := range embedded.Components {
		if c != embedded.Admin && doc["iglowly-"+c+".hcl"] == "" {
			t.Errorf("docs/vault.md has no policy for %s", c)
		}
	}
}

// TestVaultInitScriptParses checks the syntax of deploy/vault/init.sh
// with a POSIX shell, as the image's busybox sh runs it.
func TestVaultInitScriptParses(t *testing.T) {
	sh, err := exec.LookPath("dash")
	if err != nil {
		sh = "sh"
	}
	out, err := exec.Command(sh, "-n", filepath.Join("vault", "init.sh")).CombinedOutput()
	if err != nil {
		t.Errorf("init.sh: %v\n%s", err, out)
	}
}

// TestComposeKeysTool checks the keys service, which an operator runs to
// rotate the key rings: "iglowly keys rotate" with flags the binary has,
// logged in with the admin AppRole, and not started by "up".
func TestComposeKeysTool(t *testing.T) {
	c := loadCompose(t)
	secretsDir := genSecrets(t)
	s := c.Services["keys"]
	if s == nil {
		t.Fatal("no keys service")
	}
	if !slices.Equal(s.Profiles, []string{"tools"}) || s.Restart != "no" {
		t.Errorf("profiles %q restart %q, want a tool that up does not start", s.Profiles, s.Restart)
	}
	args := append(slices.Clone(s.Entrypoint), s.Command...)
	if len(args) < 3 || args[0] != "/iglowly" || args[1] != "keys" || args[2] != "rotate" {
		t.Fatalf("runs %q, want /iglowly keys rotate", args)
	}
	checkFlags(t, []string{"keys", "rotate"}, args[3:])
	env := s.env(t, secretsDir)
	var vc secrets.Config
	vc.Register(flag.NewFlagSet("keys", flag.ContinueOnError), func(k string) string {
		return c.hostPath(t, s, secretsDir, env[k])
	})
	if err := vc.Validate(); err != nil {
		t.Fatalf("Vault settings: %v", err)
	}
	checkVaultClient(t, vc, embedded.Admin, secretsDir)
	if r, err := secrets.ParseRef(env["IGLOWLY_SESSION_KEYS"]); err != nil ||
		r.Scheme() != secrets.SchemeVault {
		t.Errorf("IGLOWLY_SESSION_KEYS %q, want the edges' vault:// ring",
			env["IGLOWLY_SESSION_KEYS"])
	}
	if env["IGLOWLY_SESSION_KEYS"] != c.Services["edge-1"].Environment["IGLOWLY_SESSION_KEYS"] {
		t.Error("rotates another ring than the edges read")
	}
}
