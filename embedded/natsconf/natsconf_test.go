package natsconf

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"golang.org/x/crypto/bcrypt"

	"github.com/iglowly/assistant/embedded"
)

// TestValidateNamesEveryProblem gives flags with one problem each, then
// all of them at once, and checks that the error names each.
func TestValidateNamesEveryProblem(t *testing.T) {
	ok := []string{"--name", "n1", "--insecure-no-tls"}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--insecure-no-tls"}, "--name"},
		{[]string{"--name", "has space", "--insecure-no-tls"}, "--name"},
		{[]string{"--name", "n1"}, "client TLS is required"},
		{[]string{"--name", "n1", "--tls-cert", "/c.pem"}, "--tls-cert and --tls-key go together"},
		{[]string{"--name", "n1", "--tls-cert", "c.pem", "--tls-key", "/k.pem"}, "absolute path"},
		{[]string{"--name", "n1", "--tls-cert", "/c", "--tls-key", "/k", "--tls-verify"},
			"--tls-verify needs --tls-ca"},
		{append(ok, "--tls-cert", "/c", "--tls-key", "/k"), "choose one"},
		{append(ok, "--listen", "nowhere"), "--listen"},
		{append(ok, "--listen", "0.0.0.0:99999"), "port from 1 to 65535"},
		{append(ok, "--http", "0.0.0.0:4222"), "both use port 4222"},
		{append(ok, "--routes", "a:6222"), "at least two nodes"},
		{append(ok, "--routes", "a:6222,a:6222"), "twice"},
		{append(ok, "--routes", "a:6222,b"), "entry 2"},
		{append(ok, "--routes", "a:6222,b:6222", "--cluster-listen", "x:4222"), "both use port"},
		{append(ok, "--routes", "a:1,b:1", "--route-password", "env:lower"), "--route-password"},
		{append(ok, "--routes", "a:1,b:1", "--route-url-env", "1X"), "--route-url-env"},
		{[]string{"--name", "n1", "--routes", "a:1,b:1", "--tls-cert", "/c", "--tls-key", "/k"},
			"route TLS is required"},
		{append(ok, "--route-tls-cert", "/c", "--route-tls-key", "/k", "--route-tls-ca", "/a"),
			"without --routes"},
		{append(ok, "--store-dir", "data"), "--store-dir"},
		{append(ok, "--js-max-file", "lots"), "--js-max-file"},
		{append(ok, "--js-cipher", "rot13"), "--js-cipher"},
		{append(ok, "--store-dir", `/a"b`), "quotes"},
		{append(ok, "--passwords", ""), "--passwords"},
	}
	var all []string
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			_, err := Load(c.args)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %q", err, c.want)
			}
		})
		all = append(all, c.want)
	}
	if _, err := Load(ok); err != nil {
		t.Fatalf("the base flags are refused: %v", err)
	}
	_, err := Load([]string{"--name", "a b", "--listen", "x", "--store-dir", "d",
		"--js-cipher", "rot13", "--tls-cert", "/c"})
	for _, want := range []string{"--name", "--listen", "--store-dir", "--js-cipher",
		"go together"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("with every problem at once, %q is missing from %v", want, err)
		}
	}
}

// permView is a permission set in a comparable form, order aside.
type permView struct {
	PubAllow, PubDeny, SubAllow, SubDeny []string
	Responses                            string
}

func viewOf(p *server.Permissions) permView {
	var v permView
	sorted := func(s []string) []string {
		if len(s) == 0 {
			return nil
		}
		return slices.Sorted(slices.Values(s))
	}
	if p == nil {
		return v
	}
	if p.Publish != nil {
		v.PubAllow, v.PubDeny = sorted(p.Publish.Allow), sorted(p.Publish.Deny)
	}
	if p.Subscribe != nil {
		v.SubAllow, v.SubDeny = sorted(p.Subscribe.Allow), sorted(p.Subscribe.Deny)
	}
	if p.Response != nil {
		v.Responses = fmt.Sprintf("%d %s", p.Response.MaxMsgs, p.Response.Expires)
	}
	return v
}

// checkUsers checks that o has exactly one user per component with
// exactly embedded.Permissions.
func checkUsers(t *testing.T, o *server.Options) map[string]*server.User {
	t.Helper()
	users := make(map[string]*server.User)
	for _, u := range o.Users {
		users[u.Username] = u
	}
	if got := slices.Sorted(maps.Keys(users)); !slices.Equal(got,
		slices.Sorted(slices.Values(embedded.Components))) {
		t.Fatalf("users %q, want exactly the components", got)
	}
	for _, c := range embedded.Components {
		got, want := viewOf(users[c].Permissions), viewOf(embedded.Permissions(c))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: permissions\n%+v\nwant embedded.Permissions\n%+v", c, got, want)
		}
	}
	return users
}

// TestRenderedConfigLoads parses a cluster node's configuration with
// nats-server and checks every part: users and permissions, secrets from
// the environment, JetStream, the cluster and both TLS blocks.
func TestRenderedConfigLoads(t *testing.T) {
	setEnv(t)
	t.Setenv("NATS_ROUTE_PASSWORD", "route-secret")
	for i := 1; i <= 3; i++ {
		t.Setenv(fmt.Sprintf("NATS_ROUTE_%d", i),
			fmt.Sprintf("nats-route://route:route-secret@n%d:6222", i))
	}
	ca := newAuthority(t, "ca")
	crt := ca.issue(t, "n2")
	o := parse(t, writeConfig(t, load(t, "--name", "n2",
		"--routes", "n1:6222,n2:6222,n3:6222", "--tls-cert", crt.Cert, "--tls-key", crt.Key,
		"--tls-ca", ca.CA, "--tls-verify", "--route-tls-cert", crt.Cert,
		"--route-tls-key", crt.Key, "--route-tls-ca", ca.CA)))
	users := checkUsers(t, o)
	for _, c := range embedded.Components {
		if users[c].Password != password(c) {
			t.Errorf("%s: the password is not $%s", c, PasswordVar(c))
		}
	}
	if o.ServerName != "n2" || o.Port != 4222 || o.HTTPHost != "127.0.0.1" || o.HTTPPort != 8222 {
		t.Errorf("name %q port %d monitor %s:%d", o.ServerName, o.Port, o.HTTPHost, o.HTTPPort)
	}
	if !o.JetStream || o.StoreDir != "/data/jetstream" || o.JetStreamKey != testKey ||
		o.JetStreamCipher != server.ChaCha {
		t.Error("jetstream is not on in /data/jetstream, encrypted with $JETSTREAM_KEY")
	}
	if o.TLSConfig == nil || o.TLSConfig.ClientAuth != tls.RequireAndVerifyClientCert ||
		o.TLSConfig.ClientCAs == nil {
		t.Error("client TLS is not mutual")
	}
	c := o.Cluster
	if c.Name != "iglowly" || c.Port != 6222 || c.Username != "route" ||
		c.Password != "route-secret" || c.TLSConfig == nil {
		t.Errorf("cluster %q port %d user %q, TLS %v", c.Name, c.Port, c.Username, c.TLSConfig != nil)
	}
	var hosts []string
	for _, r := range o.Routes {
		hosts = append(hosts, r.Host)
	}
	if !slices.Equal(hosts, []string{"n1:6222", "n2:6222", "n3:6222"}) {
		t.Errorf("routes %q", hosts)
	}
}

// passwordDir writes each component's password file.
func passwordDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, c := range embedded.Components {
		err := os.WriteFile(filepath.Join(dir, c+".password"), []byte(password(c)+"\n"), 0o600)
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestHashedPasswords checks that with a password folder the
// configuration holds bcrypt hashes and no password, that nats-server
// takes the right password and refuses a wrong one.
func TestHashedPasswords(t *testing.T) {
	setEnv(t)
	c := load(t, "--name", "hashed", "--insecure-no-tls", "--passwords", passwordDir(t))
	c.BcryptCost = bcrypt.MinCost
	path := writeConfig(t, c)
	raw, _ := os.ReadFile(path)
	o := parse(t, path)
	users := checkUsers(t, o)
	for _, comp := range embedded.Components {
		if bytes.Contains(raw, []byte(password(comp))) {
			t.Errorf("%s's password is in the configuration", comp)
		}
		if err := bcrypt.CompareHashAndPassword([]byte(users[comp].Password),
			[]byte(password(comp))); err != nil {
			t.Errorf("%s: %v", comp, err)
		}
	}
	n := start(t, o, "", nil)
	dial(t, n, embedded.Sanitiser)
	if nc, err := tryDial(n, embedded.Edge, nats.UserInfo(embedded.Edge, "wrong")); err == nil {
		nc.Close()
		t.Error("a wrong password logged in")
	}
}

// TestSecretsFromFiles checks that a key and a route password read from
// files are written only to a file of mode 0600, and that neither a
// refusal, an error nor a log line shows them.
func TestSecretsFromFiles(t *testing.T) {
	setEnv(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "js.key")
	route := filepath.Join(dir, "route.password")
	const keyText = "file-key-0123456789abcdefghijklmnopqrstu"
	const routeText = "file-route-0123456789abcdefghijklmnopqrs"
	_ = os.WriteFile(key, []byte(keyText+"\n"), 0o600)
	_ = os.WriteFile(route, []byte(routeText), 0o600)
	c := load(t, "--name", "n1", "--insecure-no-tls", "--routes", "n1:6222,n2:6222",
		"--js-key", "file:"+key, "--route-password", "file:"+route)
	var stdout, logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "nats", c.LogValue())
	err := Write(c, &stdout)
	if err == nil || stdout.Len() > 0 {
		t.Errorf("a secret went to standard output: %v", err)
	}
	c.Out = filepath.Join(dir, "n1.conf")
	if err := Write(c, &stdout); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(c.Out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	o := parse(t, c.Out)
	if o.JetStreamKey != keyText || o.Cluster.Password != routeText {
		t.Error("the secrets of the files are not the ones the server uses")
	}
	_ = os.WriteFile(key, []byte("tiny-k3y"), 0o600)
	_, err = Render(c)
	for _, shown := range []string{logs.String(), fmt.Sprint(err), fmt.Sprint(c)} {
		if strings.Contains(shown, keyText) || strings.Contains(shown, routeText) ||
			strings.Contains(shown, "tiny-k3y") {
			t.Errorf("a secret is shown: %s", shown)
		}
	}
	if err == nil || !strings.Contains(err.Error(), "shorter than") {
		t.Errorf("a short key: %v", err)
	}
}

// TestWriteFailureKeepsTheFile checks that a configuration that cannot
// be rendered leaves the file it would replace as it was.
func TestWriteFailureKeepsTheFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "n1.conf")
	_ = os.WriteFile(out, []byte("old"), 0o644)
	c := load(t, "--name", "n1", "--insecure-no-tls", "--passwords", t.TempDir(), "--out", out)
	err := Write(c, nil)
	if err == nil || !strings.Contains(err.Error(), "edge password") {
		t.Errorf("missing password files: %v", err)
	}
	if raw, _ := os.ReadFile(out); string(raw) != "old" {
		t.Errorf("the old file became %q", raw)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("%d files left behind, want the old one only", len(entries))
	}
}

// TestHeaderRecordsTheCommand checks that the command line in a
// configuration's header writes the same configuration again.
func TestHeaderRecordsTheCommand(t *testing.T) {
	args := []string{"--name", "n1", "--out", "x.conf", "--insecure-no-tls",
		"--store-dir", "/data/with space", "--routes=a:1,b:2", "-out=y.conf"}
	first, err := Render(load(t, args...))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Render(load(t, HeaderArgs(first)...))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Errorf("the header's command writes another configuration:\n%s", again)
	}
	if bytes.Contains(first, []byte("x.conf")) || bytes.Contains(first, []byte("y.conf")) {
		t.Error("the header records --out")
	}
}
