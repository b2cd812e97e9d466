package vaulttest

import (
	"context"
	"crypto/tls"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	kv "github.com/hashicorp/vault-plugin-secrets-kv"
	"github.com/hashicorp/vault/api"
	credapprole "github.com/hashicorp/vault/builtin/credential/approle"
	"github.com/hashicorp/vault/builtin/logical/transit"
	vaulthttp "github.com/hashicorp/vault/http"
	"github.com/hashicorp/vault/sdk/helper/roottoken"
	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/vault"

	"github.com/iglowly/assistant/config/secrets"
)

// TestMain lets the test binary act as the fake vault CLI of
// fakecli_test.go, for deploy/vault/init.sh.
func TestMain(m *testing.M) {
	if os.Getenv(fakeCLIEnv) == "1" {
		os.Exit(fakeVaultCLI(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	code := m.Run()
	if binaryPath != "" {
		_ = os.RemoveAll(filepath.Dir(binaryPath))
	}
	os.Exit(code)
}

const deployDir = "../../../deploy"

// composeVault is a new Vault core, uninitialised and sealed as the
// compose demo's is on its first start, served over TLS with the
// certificate gen-secrets.sh issues for Vault, and the folder that
// gen-secrets.sh wrote.
type composeVault struct {
	core    *vault.Core
	addr    string // https://localhost:port
	secrets string
}

func startComposeVault(t *testing.T) *composeVault {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "secrets")
	if out, err := exec.Command("bash", filepath.Join(deployDir, "gen-secrets.sh"),
		dir).CombinedOutput(); err != nil {
		t.Fatalf("gen-secrets.sh: %v\n%s", err, out)
	}
	core := vault.TestCoreWithConfig(t, &vault.CoreConfig{
		Logger:             hclog.NewNullLogger(),
		LogicalBackends:    map[string]logical.Factory{"kv": kv.Factory, "transit": transit.Factory},
		CredentialBackends: map[string]logical.Factory{"approle": credapprole.Factory},
	})
	own := filepath.Join(dir, "tls", "vault")
	cert, err := tls.LoadX509KeyPair(filepath.Join(own, "server.pem"),
		filepath.Join(own, "server-key.pem"))
	must(t, err)
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	ln := tls.NewListener(raw, &tls.Config{Certificates: []tls.Certificate{cert},
		MinVersion: tls.VersionTLS12})
	t.Cleanup(func() { ln.Close() })
	_, port, _ := net.SplitHostPort(raw.Addr().String())
	addr := "https://localhost:" + port
	vaulthttp.TestServerWithListener(t, ln, addr, core)
	return &composeVault{core: core, addr: addr, secrets: dir}
}

// runInit runs deploy/vault/init.sh and fails the test if it fails.
func (v *composeVault) runInit(t *testing.T, env ...string) string {
	t.Helper()
	out, err := v.tryInit(t, env...)
	if err != nil {
		t.Fatalf("init.sh: %v\n%s", err, out)
	}
	return out
}

// tryInit runs deploy/vault/init.sh as the vault-init job does, with
// the fake vault CLI first on PATH, the folders compose mounts and the
// variables of env, and returns what it printed.
func (v *composeVault) tryInit(t *testing.T, env ...string) (string, error) {
	t.Helper()
	out, err := v.initCmd(t, nil, env...).CombinedOutput()
	return string(out), err
}

// initCmd is the command that runs deploy/vault/init.sh with args, as
// tryInit does.
func (v *composeVault) initCmd(t *testing.T, args []string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	must(t, err)
	bin := filepath.Join(t.TempDir(), "bin")
	must(t, os.Mkdir(bin, 0o755))
	// Under -race the runtime waits a second at exit unless told not to.
	wrapper := "#!/bin/sh\nGORACE=atexit_sleep_ms=0 " + fakeCLIEnv + "=1 exec '" + exe +
		"' \"$@\"\n"
	must(t, os.WriteFile(filepath.Join(bin, "vault"), []byte(wrapper), 0o755))
	cmd := exec.Command("sh", append([]string{filepath.Join(deployDir, "vault", "init.sh")},
		args...)...)
	cmd.Env = append([]string{
		"PATH=" + bin + ":" + os.Getenv("PATH"),
		"VAULT_ADDR=" + v.addr,
		"VAULT_CACERT=" + filepath.Join(v.secrets, "tls", "ca.pem"),
		"INIT_DIR=" + filepath.Join(v.secrets, "vault", "init"),
		"APPROLE_DIR=" + filepath.Join(v.secrets, "vault", "approle"),
		"MODEL_KEYS_DIR=" + filepath.Join(v.secrets, "vault", "model-keys"),
		"WAIT_SECONDS=20",
	}, env...)
	return cmd
}

// client is a client of the compose Vault without a token.
func (v *composeVault) client(t *testing.T) *api.Client {
	t.Helper()
	cfg := api.DefaultConfig()
	cfg.Address = v.addr
	must(t, cfg.ConfigureTLS(&api.TLSConfig{CACert: filepath.Join(v.secrets, "tls", "ca.pem")}))
	c, err := api.NewClient(cfg)
	must(t, err)
	c.ClearToken()
	return c
}

// ownRoot makes the test a root token of its own from the unseal key
// init.sh kept, through the generate-root flow as an operator would,
// and revokes it at the end of the test.
func (v *composeVault) ownRoot(t *testing.T) *api.Client {
	t.Helper()
	key, err := os.ReadFile(filepath.Join(v.secrets, "vault", "init", "unseal-key"))
	must(t, err)
	c := v.client(t)
	st, err := c.Sys().GenerateRootInit("", "")
	must(t, err)
	done, err := c.Sys().GenerateRootUpdate(strings.TrimSpace(string(key)), st.Nonce)
	must(t, err)
	tok, err := roottoken.DecodeToken(done.EncodedToken, st.OTP, st.OTPLength)
	must(t, err)
	c.SetToken(tok)
	t.Cleanup(func() { _ = c.Auth().Token().RevokeSelf("") })
	return c
}

// noOtherRoot fails the test if a root token lives in Vault besides
// own's: every token's accessor is listed and looked up.
func noOtherRoot(t *testing.T, own *api.Client, when string) {
	t.Helper()
	self, err := own.Auth().Token().LookupSelf()
	must(t, err)
	mine, _ := self.Data["accessor"].(string)
	list, err := own.Logical().List("auth/token/accessors")
	must(t, err)
	keys, _ := list.Data["keys"].([]any)
	seen := false
	for _, k := range keys {
		a, _ := k.(string)
		s, err := own.Auth().Token().LookupAccessor(a)
		must(t, err)
		policies, _ := s.Data["policies"].([]any)
		switch {
		case a == mine:
			seen = true
		case slices.Contains(policies, any("root")):
			t.Errorf("%s, a root token lives besides the test's own", when)
		}
	}
	if !seen {
		t.Fatalf("%s, the listed accessors miss the test's own token", when)
	}
}

// login opens a secrets client as a compose service does: the role id
// of role (its own replica's), the secret id of user, Vault's CA.
func (v *composeVault) login(role, user string) (*secrets.Client, error) {
	approle := filepath.Join(v.secrets, "vault", "approle")
	return secrets.Open(context.Background(), secrets.Config{
		Addr: v.addr, CAFile: filepath.Join(v.secrets, "tls", "ca.pem"),
		Auth: secrets.AuthAppRole, AppRoleMount: "approle",
		RoleIDFile:   filepath.Join(approle, role+".role-id"),
		SecretIDFile: filepath.Join(approle, user+".secret-id"),
		TransitMount: "transit", Timeout: 2 * time.Second, Refresh: time.Minute,
		MaxAge: time.Hour,
	}, nil, nil)
}

// TestComposeVaultInit runs the compose demo's vault-init script against
// a new real Vault core: it initialises and unseals it, and sets up
// engines, policies, AppRoles and keys, keeping the unseal key only and
// leaving no root token alive; running it again changes nothing, and
// after Vault is sealed again it unseals it. Each replica then logs in
// with its component's role id and its own secret id, reads what its
// policy allows and is denied the rest, and no replica's secret id logs
// in with another component's role.
func TestComposeVaultInit(t *testing.T) {
	t.Parallel() // each has a Vault core of its own
	v := startComposeVault(t)
	modelKey := "sk-compose-" + marker + "-0123456789"
	must(t, os.WriteFile(filepath.Join(v.secrets, "vault", "model-keys", "openai"),
		[]byte(modelKey), 0o600))
	out := v.runInit(t)
	if !strings.Contains(out, "initialised Vault") || !strings.Contains(out, "Vault is ready") ||
		!strings.Contains(out, "revoked the root token") {
		t.Fatalf("first run:\n%s", out)
	}
	checkInitFiles(t, v, out)
	own := v.ownRoot(t)
	noOtherRoot(t, own, "after the first run")
	versions := kvVersions(t, own)
	again := v.runInit(t)
	if strings.Contains(again, "made") || strings.Contains(again, "registered") ||
		strings.Contains(again, "initialised") || !strings.Contains(again, "Vault is ready") {
		t.Errorf("a second run changed Vault:\n%s", again)
	}
	checkInitFiles(t, v, again)
	noOtherRoot(t, own, "after a second run")
	must(t, own.Sys().Seal())
	if again := v.runInit(t); !strings.Contains(again, "unsealed Vault") {
		t.Errorf("a run over a sealed Vault:\n%s", again)
	}
	noOtherRoot(t, own, "after a run over a sealed Vault")
	if after := kvVersions(t, own); after != versions {
		t.Errorf("secret versions %s after the runs, %s before", after, versions)
	}
	want := writeNATSPasswords(t, own)
	maps.Copy(want, checkNATSAuth(t, v))
	want[refModelKey] = modelKey
	checkReplicaLogins(t, v, want)
}

// TestComposeVaultInitOldRootToken runs init.sh over a Vault whose root
// token an older version of it kept in vault/init/root-token: the token
// is used once, revoked and its file removed; a file whose token Vault
// no longer takes is removed too, and the run makes a token of its own.
func TestComposeVaultInitOldRootToken(t *testing.T) {
	t.Parallel() // each has a Vault core of its own
	v := startComposeVault(t)
	v.runInit(t)
	own := v.ownRoot(t)
	old, err := own.Auth().Token().CreateOrphan(&api.TokenCreateRequest{
		Policies: []string{"root"}})
	must(t, err)
	file := filepath.Join(v.secrets, "vault", "init", "root-token")
	must(t, os.WriteFile(file, []byte(old.Auth.ClientToken), 0o600))
	out := v.runInit(t)
	if !strings.Contains(out, "using the root token of "+file) ||
		!strings.Contains(out, "removed "+file) || strings.Contains(out, "generated") {
		t.Errorf("a run with an old root token:\n%s", out)
	}
	if _, err := own.Auth().Token().LookupAccessor(old.Auth.Accessor); err == nil {
		t.Error("the old root token is still valid")
	}
	checkInitFiles(t, v, out)
	noOtherRoot(t, own, "after a run with an old root token")
	must(t, os.WriteFile(file, []byte(old.Auth.ClientToken), 0o600))
	out = v.runInit(t)
	if !strings.Contains(out, "no longer takes") || !strings.Contains(out, "generated") {
		t.Errorf("a run with a revoked old root token:\n%s", out)
	}
	checkInitFiles(t, v, out)
	noOtherRoot(t, own, "after a run with a revoked old root token")
	if strings.Contains(out, old.Auth.ClientToken) {
		t.Error("the output shows the old root token")
	}
}

// TestComposeVaultInitFailure makes init.sh fail once it holds a root
// token, on its first run and on a later one: each failed run revokes
// its token all the same, a later run cancels a root token generation
// left unfinished, and a run without the fault completes. A root-token
// file left from another Vault is removed on the first run.
func TestComposeVaultInitFailure(t *testing.T) {
	t.Parallel() // each has a Vault core of its own
	v := startComposeVault(t)
	must(t, os.WriteFile(filepath.Join(v.secrets, "vault", "init", "root-token"),
		[]byte("hvs.a-token-of-another-vault"), 0o600))
	bad := t.TempDir()
	must(t, os.WriteFile(filepath.Join(bad, "iglowly-broken.hcl"),
		[]byte(`path "iglowly/data/x" { capabilities = `), 0o600))
	out, err := v.tryInit(t, "POLICY_DIR="+bad)
	if err == nil || !strings.Contains(out, "initialised Vault") ||
		!strings.Contains(out, "revoked the root token") {
		t.Fatalf("a first run with a broken policy: %v\n%s", err, out)
	}
	checkInitFiles(t, v, out)
	own := v.ownRoot(t)
	noOtherRoot(t, own, "after a failed first run")
	_, err = own.Sys().GenerateRootInit("", "")
	must(t, err)
	out, err = v.tryInit(t, "POLICY_DIR="+bad)
	if err == nil || !strings.Contains(out, "cancelled a root token generation") ||
		!strings.Contains(out, "generated") || !strings.Contains(out, "revoked the root token") {
		t.Fatalf("a later run with a broken policy: %v\n%s", err, out)
	}
	noOtherRoot(t, own, "after a failed later run")
	if out := v.runInit(t); !strings.Contains(out, "Vault is ready") {
		t.Errorf("a run without the broken policy:\n%s", out)
	}
	noOtherRoot(t, own, "after the run without the broken policy")
}

// checkInitFiles checks what init.sh keeps: the unseal key alone,
// readable by its owner only, shown nowhere in its output.
func checkInitFiles(t *testing.T, v *composeVault, out string) {
	t.Helper()
	dir := filepath.Join(v.secrets, "vault", "init")
	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 1 || entries[0].Name() != "unseal-key" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("vault/init holds %q, want unseal-key alone", names)
	}
	fi, err := os.Stat(filepath.Join(dir, "unseal-key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("unseal-key: %v, want mode 0600", err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "unseal-key"))
	if len(raw) < 20 || strings.Contains(out, strings.TrimSpace(string(raw))) {
		t.Error("unseal-key is empty or shown in the output")
	}
	ids, _ := filepath.Glob(filepath.Join(v.secrets, "vault", "approle", "*"))
	for _, f := range ids {
		raw, _ := os.ReadFile(f)
		if strings.Contains(out, string(raw)) {
			t.Errorf("the output shows %s", filepath.Base(f))
		}
	}
	noMarker(t, "the output", out)
}

// kvVersions sums up the current version of each secret init.sh makes.
func kvVersions(t *testing.T, root *api.Client) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"edge/session-keys", "edge/admin-pepper", "edge/address-key",
		"inference/model-keys"} {
		s, err := root.KVv2("iglowly").Get(context.Background(), p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		b.WriteString(p + "@" + s.VersionMetadata.CreatedTime.String() + " ")
	}
	return b.String()
}
