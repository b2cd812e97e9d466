package vaulttest

import (
	"context"
	"crypto/tls"
	"errors"
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
	"github.com/hashicorp/vault/sdk/logical"
	"github.com/hashicorp/vault/vault"

	"github.com/iglowly/assistant/config/secrets"
)

// TestMain lets the test binary act as the fake vault CLI of
// fakecli_test.go, for deploy/vault/init.sh.
func TestMain(m *testing.M) {
	if os.Getenv(fakeCLIEnv) == "1" {
		os.Exit(fakeVaultCLI(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
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

// runInit runs deploy/vault/init.sh as the vault-init job does, with
// the fake vault CLI first on PATH and the folders compose mounts.
func (v *composeVault) runInit(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	must(t, err)
	bin := filepath.Join(t.TempDir(), "bin")
	must(t, os.Mkdir(bin, 0o755))
	// Under -race the runtime waits a second at exit unless told not to.
	wrapper := "#!/bin/sh\nGORACE=atexit_sleep_ms=0 " + fakeCLIEnv + "=1 exec '" + exe +
		"' \"$@\"\n"
	must(t, os.WriteFile(filepath.Join(bin, "vault"), []byte(wrapper), 0o755))
	cmd := exec.Command("sh", filepath.Join(deployDir, "vault", "init.sh"))
	cmd.Env = []string{
		"PATH=" + bin + ":" + os.Getenv("PATH"),
		"VAULT_ADDR=" + v.addr,
		"VAULT_CACERT=" + filepath.Join(v.secrets, "tls", "ca.pem"),
		"INIT_DIR=" + filepath.Join(v.secrets, "vault", "init"),
		"APPROLE_DIR=" + filepath.Join(v.secrets, "vault", "approle"),
		"MODEL_KEYS_DIR=" + filepath.Join(v.secrets, "vault", "model-keys"),
		"WAIT_SECONDS=20",
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("init.sh: %v\n%s", err, out)
	}
	return string(out)
}

// root is a client with the root token init.sh kept.
func (v *composeVault) root(t *testing.T) *api.Client {
	t.Helper()
	tok, err := os.ReadFile(filepath.Join(v.secrets, "vault", "init", "root-token"))
	must(t, err)
	cfg := api.DefaultConfig()
	cfg.Address = v.addr
	must(t, cfg.ConfigureTLS(&api.TLSConfig{CACert: filepath.Join(v.secrets, "tls", "ca.pem")}))
	c, err := api.NewClient(cfg)
	must(t, err)
	c.SetToken(string(tok))
	return c
}

// login opens a secrets client as a compose service does: its
// component's role id, the secret id of replica user, Vault's CA.
func (v *composeVault) login(comp, user string) (*secrets.Client, error) {
	approle := filepath.Join(v.secrets, "vault", "approle")
	return secrets.Open(context.Background(), secrets.Config{
		Addr: v.addr, CAFile: filepath.Join(v.secrets, "tls", "ca.pem"),
		Auth: secrets.AuthAppRole, AppRoleMount: "approle",
		RoleIDFile:   filepath.Join(approle, comp+".role-id"),
		SecretIDFile: filepath.Join(approle, user+".secret-id"),
		TransitMount: "transit", Timeout: 2 * time.Second, Refresh: time.Minute,
		MaxAge: time.Hour,
	}, nil, nil)
}

// The references the compose services read, and one per secret that
// init.sh makes.
const (
	refSessionKeys = "vault://iglowly/edge/session-keys#current"
	refAddressKey  = "vault://iglowly/edge/address-key#key"
	refPepper      = "vault://iglowly/edge/admin-pepper#current"
	refModelKey    = "vault://iglowly/inference/model-keys#openai"
)

// canRead maps each compose AppRole to the references its policy lets
// it read; every other reference above must be denied to it.
var canRead = map[string][]string{
	"edge":      {refSessionKeys, refAddressKey, refPepper},
	"inference": {refModelKey},
	"sanitiser": nil,
	"response":  nil,
	"admin":     {refSessionKeys, refPepper},
}

// TestComposeVaultInit runs the compose demo's vault-init script against
// a new real Vault core: it initialises and unseals it, and sets up
// engines, policies, AppRoles and keys; running it again changes
// nothing, and after Vault is sealed again it unseals it. Each replica
// then logs in with its component's role id and its own secret id, reads
// what its policy allows and is denied the rest, and no replica's
// secret id logs in with another component's role.
func TestComposeVaultInit(t *testing.T) {
	v := startComposeVault(t)
	modelKey := "sk-compose-" + marker + "-0123456789"
	must(t, os.WriteFile(filepath.Join(v.secrets, "vault", "model-keys", "openai"),
		[]byte(modelKey), 0o600))
	out := v.runInit(t)
	if !strings.Contains(out, "initialised Vault") || !strings.Contains(out, "Vault is ready") {
		t.Fatalf("first run:\n%s", out)
	}
	checkInitFiles(t, v, out)
	root := v.root(t)
	versions := kvVersions(t, root)
	if again := v.runInit(t); strings.Contains(again, "made") ||
		strings.Contains(again, "registered") || strings.Contains(again, "initialised") {
		t.Errorf("a second run changed Vault:\n%s", again)
	}
	must(t, root.Sys().Seal())
	if again := v.runInit(t); !strings.Contains(again, "unsealed Vault") {
		t.Errorf("a run over a sealed Vault:\n%s", again)
	}
	if after := kvVersions(t, root); after != versions {
		t.Errorf("secret versions %s after the runs, %s before", after, versions)
	}
	checkReplicaLogins(t, v, modelKey)
}

// checkInitFiles checks what init.sh keeps: the unseal key and root
// token, readable by their owner only, shown nowhere in its output.
func checkInitFiles(t *testing.T, v *composeVault, out string) {
	t.Helper()
	dir := filepath.Join(v.secrets, "vault", "init")
	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 2 {
		t.Errorf("vault/init holds %d files, want unseal-key and root-token", len(entries))
	}
	for _, name := range []string{"unseal-key", "root-token"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want mode 0600", name, err)
			continue
		}
		raw, _ := os.ReadFile(filepath.Join(dir, name))
		if len(raw) < 20 || strings.Contains(out, string(raw)) {
			t.Errorf("%s is empty or shown in the output", name)
		}
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

// checkReplicaLogins logs in as every replica gen-secrets.sh wrote a
// secret id for and checks what each may read.
func checkReplicaLogins(t *testing.T, v *composeVault, modelKey string) {
	ids, _ := filepath.Glob(filepath.Join(v.secrets, "vault", "approle", "*.secret-id"))
	if len(ids) < 9 {
		t.Fatalf("%d secret ids, want one per replica", len(ids))
	}
	ctx := context.Background()
	for _, f := range ids {
		user := strings.TrimSuffix(filepath.Base(f), ".secret-id")
		comp, _, _ := strings.Cut(user, "-")
		t.Run(user, func(t *testing.T) {
			c, err := v.login(comp, user)
			if err != nil {
				t.Fatalf("login as %s: %v", user, err)
			}
			defer c.Close()
			checkReads(t, c, comp, modelKey)
			_, err = c.Encrypt(ctx, "iglowly-storage", []byte("x"))
			if (comp == "admin") != (err == nil) {
				t.Errorf("transit encrypt as %s: %v", user, err)
			}
		})
	}
	// Each secret id against another component's role, once: Vault
	// locks a role id out after 5 failed logins (user lockout, Vault
	// 1.13 and later), so each role takes only a few here.
	comps := slices.Sorted(maps.Keys(canRead))
	for i, f := range ids {
		user := strings.TrimSuffix(filepath.Base(f), ".secret-id")
		comp, _, _ := strings.Cut(user, "-")
		other := comps[(slices.Index(comps, comp)+1+i%2)%len(comps)]
		var refused *api.ResponseError
		if err := v.rawLogin(t, other, user); !errors.As(err, &refused) {
			t.Errorf("%s's secret id with %s's role: %v, want refused", user, other, err)
		}
	}
}

// rawLogin tries one AppRole login, without the retries of
// secrets.Open, with comp's role id and user's secret id.
func (v *composeVault) rawLogin(t *testing.T, comp, user string) error {
	t.Helper()
	approle := filepath.Join(v.secrets, "vault", "approle")
	roleID, err := os.ReadFile(filepath.Join(approle, comp+".role-id"))
	must(t, err)
	secretID, err := os.ReadFile(filepath.Join(approle, user+".secret-id"))
	must(t, err)
	c := v.root(t)
	c.ClearToken()
	c.SetMaxRetries(0) // Vault answers 500 to an invalid secret id
	_, err = c.Logical().Write("auth/approle/login", map[string]any{
		"role_id": string(roleID), "secret_id": string(secretID)})
	return err
}

// checkReads reads every reference as comp and checks it gets exactly
// what canRead allows, with the values init.sh made.
func checkReads(t *testing.T, c *secrets.Client, comp, modelKey string) {
	t.Helper()
	ctx := context.Background()
	allowed := map[string]bool{}
	for _, r := range canRead[comp] {
		allowed[r] = true
	}
	for _, r := range []string{refSessionKeys, refAddressKey, refPepper, refModelKey} {
		var got string
		var err error
		switch r {
		case refSessionKeys, refPepper:
			var k secrets.Keys
			k, err = secrets.LoadKeys(ctx, c, ref(t, r))
			if err == nil && (k.Next.IsZero() || k.CurrentID != 1 || k.NextID != 2) {
				t.Errorf("%s: ring without ids 1 and 2 or without a next key", r)
			}
			got = k.Current.Reveal()
		default:
			var s secrets.Secret
			s, err = c.Get(ctx, ref(t, r))
			got = s.Reveal()
		}
		switch {
		case !allowed[r] && !errors.Is(err, secrets.ErrDenied):
			t.Errorf("%s read %s: %v, want denied", comp, r, err)
		case allowed[r] && err != nil:
			t.Errorf("%s cannot read %s: %v", comp, r, err)
		case allowed[r] && r == refModelKey && got != modelKey:
			t.Errorf("%s is not the key of vault/model-keys/openai", r)
		case allowed[r] && r != refModelKey && len(got) < secrets.MinKeyBytes:
			t.Errorf("%s is %d bytes, want at least %d", r, len(got), secrets.MinKeyBytes)
		}
	}
}
