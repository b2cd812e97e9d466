package vaulttest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// natsAuthUsers are the NATS users of the compose demo with the relay.
var natsAuthUsers = []string{"edge-1", "edge-2", "sanitiser-1", "sanitiser-2",
	"inference-1", "inference-2", "response-1", "response-2", "admin",
	"security-relay", "security-relay-system"}

// TestNATSAuthCommand runs "iglowly nats-auth" as the compose job does,
// logged in with a create-only AppRole: the first run makes every NATS
// user's password, the route password and the JetStream key in Vault and
// writes the nodes' secrets file, mode 0600, with bcrypt hashes of the
// passwords; a second run makes nothing and writes the same secrets; what
// it prints shows none of them.
func TestNATSAuthCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the iglowly binary")
	}
	bin := iglowlyBinary(t)
	e := start(t)
	must(t, e.root.Sys().PutPolicy("test-natsauth", createOnly))
	out := filepath.Join(t.TempDir(), "auth.conf")
	run := func() string {
		roleID, secretID := e.role("test-natsauth", "test-natsauth", time.Hour, 24*time.Hour)
		cmd := exec.Command(bin, "nats-auth", "--replicas",
			"edge=2,sanitiser=2,inference=2,response=2", "--security-relay",
			"--routes", "nats-1:6222,nats-2:6222,nats-3:6222", "--bcrypt-cost", "4",
			"--out", out)
		cmd.Env = []string{"IGLOWLY_VAULT_ADDR=" + e.Addr, "IGLOWLY_VAULT_ROLE_ID=" + roleID,
			"IGLOWLY_VAULT_SECRET_ID=" + secretID}
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		if err := cmd.Run(); err != nil {
			t.Fatalf("nats-auth: %v\n%s", err, buf.String())
		}
		return buf.String()
	}
	first := run()
	for _, u := range natsAuthUsers {
		if !strings.Contains(first, "nats/users/"+u) {
			t.Errorf("the first run did not say it made %s's password:\n%s", u, first)
		}
	}
	vals := checkAuthFile(t, e, out)
	second := run()
	if strings.Contains(second, "nats/users") || strings.Contains(second, "nats/server") {
		t.Errorf("the second run made secrets:\n%s", second)
	}
	if again := checkAuthFile(t, e, out); again != vals {
		t.Error("the second run wrote other secrets")
	}
	for _, v := range strings.Fields(vals) {
		if strings.Contains(first+second, v) {
			t.Errorf("the output shows a secret")
		}
	}
}

var authLine = regexp.MustCompile(`^([A-Z0-9_]+): "([^"]*)"$`)

// checkAuthFile checks the secrets file against what Vault holds and
// returns Vault's values, space-separated.
func checkAuthFile(t *testing.T, e *env, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	must(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("the secrets file has mode %v", fi.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	must(t, err)
	vars := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if m := authLine.FindStringSubmatch(line); m != nil {
			vars[m[1]] = m[2]
		}
	}
	ctx := context.Background()
	var all []string
	read := func(p, field string) string {
		s, err := e.root.KVv2("iglowly").Get(ctx, p)
		must(t, err)
		v, _ := s.Data[field].(string)
		if len(v) < 40 {
			t.Fatalf("%s#%s holds %d characters", p, field, len(v))
		}
		all = append(all, v)
		return v
	}
	for _, u := range natsAuthUsers {
		pw := read("nats/users/"+u, "password")
		name := strings.ToUpper(strings.ReplaceAll(u, "-", "_")) + "_NATS_PASSWORD"
		if bcrypt.CompareHashAndPassword([]byte(vars[name]), []byte(pw)) != nil {
			t.Errorf("%s is not the hash of %s's password in Vault", name, u)
		}
	}
	route := read("nats/server", "route_password")
	if bcrypt.CompareHashAndPassword([]byte(vars["NATS_ROUTE_PASSWORD"]), []byte(route)) != nil {
		t.Error("NATS_ROUTE_PASSWORD is not the hash of the route password")
	}
	if vars["NATS_ROUTE_2"] != "nats-route://route:"+route+"@nats-2:6222" {
		t.Error("NATS_ROUTE_2 is not the route URL with the route password")
	}
	if vars["JETSTREAM_KEY"] != read("nats/server", "jetstream_key") {
		t.Error("JETSTREAM_KEY is not the key in Vault")
	}
	if want := len(natsAuthUsers) + 1 + 3 + 1; len(vars) != want {
		t.Errorf("the file defines %d variables, want %d", len(vars), want)
	}
	return strings.Join(all, " ")
}
