package vaulttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

// The values written into Vault. Each carries a marker, so that a test
// can search logs and errors for any of them.
var values = map[string]map[string]any{
	"edge/session-keys": {
		"current":        "sk-current-MARKER-" + strings.Repeat("0123456789abcdef", 2),
		"previous":       "sk-previous-MARKER-" + strings.Repeat("fedcba9876543210", 2),
		"previous_until": "2099-01-02T03:04:05Z",
	},
	"edge/admin-pepper":    {"current": "pepper-MARKER-" + strings.Repeat("ABCDEFGHIJKLMNOP", 2)},
	"inference/model-keys": {"openai": "sk-openai-MARKER-1", "anthropic": "sk-ant-MARKER-2"},
	"nats/jetstream":       {"key": "MARKERjetstreamKEYabcdefghijklmnopqrstuvwxyzABCD"},
	"edge/nats":            {"password": "edgeMARKERpasswordabcdefghijklmnopqrstuvwx"},
}

// marker is in every value above and in no name.
const marker = "MARKER"

// env is a Vault core in this process with iGlowly's engines, policies
// and roles, behind a TCP proxy that a test can cut to make Vault
// unreachable.
type env struct {
	t     *testing.T
	root  *api.Client // root token, straight to Vault
	proxy *proxy
	Addr  string // the proxy's URL: what clients under test use
}

// start runs a Vault core: KV v2 at iglowly (not secret/, which the test
// core mounts as KV v1), transit with the iglowly-storage key, AppRole,
// the policies of docs/vault.md, and the secrets above.
func start(t *testing.T) *env {
	t.Helper()
	core, _, rootToken := vault.TestCoreUnsealedWithConfig(t, &vault.CoreConfig{
		Logger:             hclog.NewNullLogger(),
		LogicalBackends:    map[string]logical.Factory{"kv": kv.Factory, "transit": transit.Factory},
		CredentialBackends: map[string]logical.Factory{"approle": credapprole.Factory},
	})
	ln, addr := vaulthttp.TestServer(t, core)
	t.Cleanup(func() { ln.Close() })
	root, err := api.NewClient(&api.Config{Address: addr})
	if err != nil {
		t.Fatal(err)
	}
	root.SetToken(rootToken)
	e := &env{t: t, root: root, proxy: newProxy(t, ln.Addr().String())}
	e.Addr = "http://" + e.proxy.addr
	e.mount()
	for name, policy := range docPolicies(t) {
		must(t, root.Sys().PutPolicy(name, policy))
	}
	for path, data := range values {
		e.put(path, data)
	}
	return e
}

func (e *env) mount() {
	t := e.t
	must(t, e.root.Sys().Mount("iglowly", &api.MountInput{Type: "kv",
		Options: map[string]string{"version": "2"}}))
	must(t, e.root.Sys().Mount("transit", &api.MountInput{Type: "transit"}))
	must(t, e.root.Sys().EnableAuthWithOptions("approle", &api.EnableAuthOptions{Type: "approle"}))
	for _, k := range []string{"iglowly-storage", "other-key"} {
		_, err := e.root.Logical().Write("transit/keys/"+k, map[string]any{"type": "aes256-gcm96"})
		must(t, err)
	}
}

// put writes a KV v2 secret, retrying while the new mount finishes its
// upgrade to version 2.
func (e *env) put(path string, data map[string]any) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := e.root.KVv2("iglowly").Put(context.Background(), path, data)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("writing %s: %v", path, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// role creates an AppRole with the given policies and token TTLs, and
// returns its role id and a secret id.
func (e *env) role(name, policies string, ttl, maxTTL time.Duration) (roleID, secretID string) {
	e.t.Helper()
	_, err := e.root.Logical().Write("auth/approle/role/"+name, map[string]any{
		"token_policies": policies, "token_ttl": ttl.String(), "token_max_ttl": maxTTL.String(),
		"secret_id_num_uses": 0, "secret_id_ttl": 0,
	})
	must(e.t, err)
	s, err := e.root.Logical().Read("auth/approle/role/" + name + "/role-id")
	must(e.t, err)
	roleID = s.Data["role_id"].(string)
	s, err = e.root.Logical().Write("auth/approle/role/"+name+"/secret-id", nil)
	must(e.t, err)
	return roleID, s.Data["secret_id"].(string)
}

// config returns the settings of a component that logs in with AppRole.
func (e *env) config(roleID, secretID string) secrets.Config {
	return secrets.Config{
		Addr: e.Addr, Auth: secrets.AuthAppRole, AppRoleMount: "approle",
		RoleID: roleID, SecretID: secrets.NewSecret(secretID), TransitMount: "transit",
		Timeout: 2 * time.Second, Refresh: time.Minute, MaxAge: time.Hour,
	}
}

// open opens a client for the role and closes it at the end of the test.
func (e *env) open(cfg secrets.Config, log *slog.Logger) *secrets.Client {
	e.t.Helper()
	c, err := secrets.Open(context.Background(), cfg, nil, log)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	return c
}

// docPolicy matches one "vault policy write NAME - <<'EOF' ... EOF" block.
var docPolicy = regexp.MustCompile(`(?ms)^vault policy write (\S+) - <<'EOF'\n(.*?)^EOF$`)

// docPolicies returns the policies that docs/vault.md tells operators to
// write, so that the tests prove what the documentation says.
func docPolicies(t *testing.T) map[string]string {
	b, err := os.ReadFile("../../../docs/vault.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range docPolicy.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2]
	}
	for _, want := range []string{"iglowly-edge", "iglowly-inference", "iglowly-nats",
		"iglowly-keys", "iglowly-storage", "iglowly-sanitiser", "iglowly-response"} {
		if out[want] == "" {
			t.Fatalf("docs/vault.md has no policy %s", want)
		}
	}
	return out
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ref parses a reference or fails the test.
func ref(t *testing.T, s string) secrets.Ref {
	t.Helper()
	r, err := secrets.ParseRef(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// logBuf collects a client's JSON log lines, safely across goroutines.
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuf) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// iglowlyBinary builds the iglowly binary of this repository once per
// test binary and returns its path; the tests that run it share it.
func iglowlyBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "iglowly-vaulttest-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "iglowly")
		build := exec.Command("go", "build", "-o", binaryPath, "./cmd/iglowly")
		build.Dir = "../../.."
		if out, err := build.CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("building iglowly: %w\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// noMarker fails the test if s holds any value written into Vault.
func noMarker(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, marker) {
		t.Errorf("%s shows a secret value: %s", what, s)
	}
}

// eventually polls cond every 20 ms until it holds or limit passes.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// proxy forwards TCP connections to Vault until stopped; stopping closes
// the listener and every open connection, so that Vault is unreachable
// exactly as if it had stopped. It can start again on the same address.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target, addr: "127.0.0.1:0", conns: map[net.Conn]struct{}{}}
	p.start()
	t.Cleanup(p.stop)
	return p
}

// start listens on p.addr (a free port the first time) and forwards.
func (p *proxy) start() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go p.accept(ln)
}

func (p *proxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c, up) {
			return
		}
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

// track records an open pair; false if the proxy stopped meanwhile.
func (p *proxy) track(c ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		for _, x := range c {
			x.Close()
		}
		return false
	}
	for _, x := range c {
		p.conns[x] = struct{}{}
	}
	return true
}

func (p *proxy) pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// stop closes the listener and every connection.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}
