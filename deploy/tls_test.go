package deploy

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// certNames are the host names every node certificate must hold: each
// node's compose name, since a node that dials an address it learnt
// from the cluster checks it against the first name of its routes, and
// localhost.
var certNames = append(slices.Clone(nodes), "localhost")

// nodeCerts are the certificates gen-secrets.sh writes for each node,
// by file name, with the only key usages each may have: the client
// port's certificate cannot authenticate a client, so it cannot log in
// as a route.
var nodeCerts = map[string][]x509.ExtKeyUsage{
	"server": {x509.ExtKeyUsageServerAuth},
	"route":  {x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, rest := pem.Decode(raw)
	if b == nil || b.Type != "CERTIFICATE" || len(bytes.TrimSpace(rest)) > 0 {
		t.Fatalf("%s is not one PEM certificate", path)
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cert
}

func certPool(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(readCert(t, path))
	return pool
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), want)
	}
}

// TestGenSecretsTLS checks the certificate authority, the node
// certificates and the client certificates that gen-secrets.sh writes:
// what each may do, the names it holds, its key, and the files' modes.
func TestGenSecretsTLS(t *testing.T) {
	dir := freshSecrets(t)
	checkAuthority(t, filepath.Join(dir, "tls"))
	keys := make(map[string]string)
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			checkNodeTLS(t, dir, node, keys)
		})
	}
	for _, name := range clientNames() {
		t.Run("client "+name, func(t *testing.T) {
			checkClientFiles(t, dir, name, keys)
		})
	}
	entries, err := os.ReadDir(filepath.Join(dir, "tls", "clients"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if want := slices.Sorted(slices.Values(clientNames())); !slices.Equal(got, want) {
		t.Errorf("tls/clients/ holds %q, want one folder per NATS client %q", got, want)
	}
}

// checkAuthority checks that tls/ca.pem is a CA that can sign only end
// certificates, with its key beside it and readable by its owner only.
func checkAuthority(t *testing.T, dir string) {
	t.Helper()
	ca := readCert(t, filepath.Join(dir, "ca.pem"))
	if !ca.IsCA || !ca.BasicConstraintsValid || ca.MaxPathLen != 0 || !ca.MaxPathLenZero {
		t.Error("ca.pem is not a CA limited to signing end certificates")
	}
	if ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Error("ca.pem may not sign certificates")
	}
	if err := ca.CheckSignatureFrom(ca); err != nil {
		t.Errorf("ca.pem is not self-signed: %v", err)
	}
	if _, err := tls.LoadX509KeyPair(filepath.Join(dir, "ca.pem"),
		filepath.Join(dir, "ca-key.pem")); err != nil {
		t.Errorf("ca-key.pem is not the key of ca.pem: %v", err)
	}
	checkMode(t, dir, 0o700)
	checkMode(t, filepath.Join(dir, "ca.pem"), 0o644)
	checkMode(t, filepath.Join(dir, "ca-key.pem"), 0o600)
}

// checkNodeTLS checks one node's folder. keys collects the public keys
// seen so far, so that no two certificates share one.
func checkNodeTLS(t *testing.T, dir, node string, keys map[string]string) {
	t.Helper()
	own := filepath.Join(dir, "tls", node)
	checkMode(t, own, 0o700)
	ca, _ := os.ReadFile(filepath.Join(dir, "tls", "ca.pem"))
	mine, err := os.ReadFile(filepath.Join(own, "ca.pem"))
	if err != nil || !bytes.Equal(mine, ca) {
		t.Errorf("%s/ca.pem is not tls/ca.pem (%v)", node, err)
	}
	roots := certPool(t, filepath.Join(dir, "tls", "ca.pem"))
	for name, usages := range nodeCerts {
		certFile := filepath.Join(own, name+".pem")
		cert := readCert(t, certFile)
		checkCert(t, cert, roots, usages)
		keyFile := filepath.Join(own, name+"-key.pem")
		if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
			t.Errorf("%s-key.pem is not the key of %s.pem: %v", name, name, err)
		}
		pub := string(cert.RawSubjectPublicKeyInfo)
		if other, dup := keys[pub]; dup {
			t.Errorf("%s/%s.pem has the key of %s", node, name, other)
		}
		keys[pub] = node + "/" + name
		checkMode(t, certFile, 0o644)
		checkMode(t, keyFile, 0o600)
	}
}

// checkCert checks that a node certificate chains to the CA for every
// name of certNames, for exactly the usages given, and for no other
// name or usage.
func checkCert(t *testing.T, cert *x509.Certificate, roots *x509.CertPool,
	usages []x509.ExtKeyUsage) {
	t.Helper()
	names := slices.Sorted(slices.Values(cert.DNSNames))
	if want := slices.Sorted(slices.Values(certNames)); !slices.Equal(names, want) {
		t.Errorf("%s names %q, want %q", cert.Subject, names, want)
	}
	if len(cert.IPAddresses)+len(cert.EmailAddresses)+len(cert.URIs) > 0 || cert.IsCA {
		t.Errorf("%s: addresses, URIs or a CA flag beyond its host names", cert.Subject)
	}
	if !slices.Equal(cert.ExtKeyUsage, usages) {
		t.Errorf("%s: usages %v, want %v", cert.Subject, cert.ExtKeyUsage, usages)
	}
	for _, name := range certNames {
		_, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, KeyUsages: usages})
		if err != nil {
			t.Errorf("%s does not verify for %s: %v", cert.Subject, name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "nats-4", Roots: roots,
		KeyUsages: usages}); err == nil {
		t.Errorf("%s verifies for nats-4 too", cert.Subject)
	}
	if !slices.Contains(usages, x509.ExtKeyUsageClientAuth) {
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err == nil {
			t.Errorf("%s authenticates a client", cert.Subject)
		}
	}
	if time.Until(cert.NotAfter) < 365*24*time.Hour || time.Now().Before(cert.NotBefore) {
		t.Errorf("%s is valid from %v to %v, want now for over a year",
			cert.Subject, cert.NotBefore, cert.NotAfter)
	}
}

// TestGenSecretsKeepsWhatExists runs gen-secrets.sh over folders with
// files missing or wrong: it writes only what is missing, never changes
// a file that exists, and refuses, changing nothing, what it cannot
// complete safely.
func TestGenSecretsKeepsWhatExists(t *testing.T) {
	foreign := otherSecrets(t)
	// writes is false where the folder is complete but for files that
	// are not needed any more: the run must then write nothing.
	cases := []struct {
		name       string
		mutate     func(dir string) error
		ok, writes bool
	}{
		{"a folder from before TLS", removing("tls"), true, true},
		{"a folder from before Vault", removing("vault", "tls/vault"), true, true},
		{"a secret id removed", removing("vault/approle/edge-2.secret-id"), true, true},
		{"Vault's certificate removed", removing("tls/vault/server.pem",
			"tls/vault/server-key.pem"), true, true},
		{"one node's certificates removed", removing("tls/nats-2"), true, true},
		{"the CA key removed, nothing to sign", removing("tls/ca-key.pem"), true, false},
		{"the CA key removed, a node to sign", removing("tls/ca-key.pem", "tls/nats-1"),
			false, false},
		{"Vault's certificate of another CA", func(dir string) error {
			return copyFiles(foreign, dir, "tls/vault/server.pem", "tls/vault/server-key.pem")
		}, false, false},
		{"the CA removed", removing("tls/ca.pem"), false, false},
		{"a certificate without its key", removing("tls/nats-3/route-key.pem"), false, false},
		{"a key without its certificate", removing("tls/nats-3/server.pem"), false, false},
		{"a certificate of another CA", func(dir string) error {
			return copyFiles(foreign, dir, "tls/nats-1/server.pem", "tls/nats-1/server-key.pem")
		}, false, false},
		{"a key that is not the certificate's", func(dir string) error {
			return copyFiles(foreign, dir, "tls/nats-2/route-key.pem")
		}, false, false},
		{"a folder from before client certificates", removing("tls/clients"), true, true},
		{"one client's certificate removed", removing("tls/clients/edge-2"), true, true},
		{"the CA key removed, a client to sign", removing("tls/ca-key.pem",
			"tls/clients/relay"), false, false},
		{"a client certificate without its key",
			removing("tls/clients/admin/client-key.pem"), false, false},
		{"a client key without its certificate",
			removing("tls/clients/sanitiser-1/client.pem"), false, false},
		{"a client certificate of another CA", func(dir string) error {
			return copyFiles(foreign, dir, "tls/clients/edge-1/client.pem",
				"tls/clients/edge-1/client-key.pem")
		}, false, false},
		{"a client key that is not the certificate's", func(dir string) error {
			return copyFiles(foreign, dir, "tls/clients/response-2/client-key.pem")
		}, false, false},
		{"an expired client certificate", func(dir string) error {
			return writeExpiredClient(dir, "inference-1")
		}, false, false},
		{"a node's certificate as a client's", func(dir string) error {
			return copyTo(dir, "tls/nats-1/server", "tls/clients/edge-1/client")
		}, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := genSecrets(t)
			full := snapshot(t, dir)
			if err := c.mutate(dir); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			out, err := runGenSecrets(dir)
			after := snapshot(t, dir)
			if (err == nil) != c.ok {
				t.Fatalf("gen-secrets.sh: %v, want ok=%v\n%s", err, c.ok, out)
			}
			if !c.writes {
				if diff := changed(before, after); len(diff) > 0 {
					t.Errorf("the run changed %q", diff)
				}
				return
			}
			checkOnlyAdded(t, before, after, full)
			checkAuthority(t, filepath.Join(dir, "tls"))
			keys := make(map[string]string)
			for _, node := range nodes {
				checkNodeTLS(t, dir, node, keys)
			}
			for _, name := range clientNames() {
				checkClientFiles(t, dir, name, keys)
			}
		})
	}
}

// checkOnlyAdded checks that a run kept every file of before as it was
// and wrote exactly the paths of a full folder.
func checkOnlyAdded(t *testing.T, before, after, full map[string]fileState) {
	t.Helper()
	for p, st := range before {
		if after[p] != st {
			t.Errorf("changed %s, which existed", p)
		}
	}
	for p := range full {
		if _, ok := after[p]; !ok {
			t.Errorf("did not write %s", p)
		}
	}
	for p := range after {
		if _, ok := full[p]; !ok {
			t.Errorf("wrote %s, which a first run does not", p)
		}
	}
}

// TestGenSecretsAddsUsers runs gen-secrets.sh over a folder that lacks
// a replica's AppRole secret id, as one from before that replica
// existed: the replica gets a new secret id, and nothing else changes.
func TestGenSecretsAddsUsers(t *testing.T) {
	dir := genSecrets(t)
	id := filepath.Join("vault", "approle", "response-2.secret-id")
	old, err := os.ReadFile(filepath.Join(dir, id))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, id)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	if out, err := runGenSecrets(dir); err != nil {
		t.Fatalf("gen-secrets.sh: %v\n%s", err, out)
	}
	after := snapshot(t, dir)
	if diff := changed(before, after); !slices.Equal(diff, []string{id}) {
		t.Errorf("the run changed %q, want %s only", diff, id)
	}
	now, err := os.ReadFile(filepath.Join(dir, id))
	if err != nil || !lettersOnly.Match(now) || string(now) == string(old) {
		t.Errorf("response-2's new secret id: %v", err)
	}
	checkMode(t, filepath.Join(dir, id), 0o644)
}

// TestGenSecretsOldNATSFiles runs gen-secrets.sh over a folder that an
// older version wrote, with nats.env: it says that the file is no longer
// read, and changes nothing.
func TestGenSecretsOldNATSFiles(t *testing.T) {
	dir := genSecrets(t)
	if err := os.WriteFile(filepath.Join(dir, "nats.env"), []byte("JETSTREAM_KEY=x\n"),
		0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	out, err := runGenSecrets(dir)
	if err != nil || !strings.Contains(string(out), "no longer") {
		t.Fatalf("gen-secrets.sh: %v\n%s", err, out)
	}
	if diff := changed(before, snapshot(t, dir)); len(diff) > 0 {
		t.Errorf("the run changed %q", diff)
	}
}

func removing(paths ...string) func(string) error {
	return func(dir string) error {
		for _, p := range paths {
			if err := os.RemoveAll(filepath.Join(dir, p)); err != nil {
				return err
			}
		}
		return nil
	}
}

// copyTo copies a certificate and key of a folder of gen-secrets.sh
// (from.pem and from-key.pem) over another pair (to.pem, to-key.pem).
func copyTo(dir, from, to string) error {
	for _, suffix := range []string{".pem", "-key.pem"} {
		raw, err := os.ReadFile(filepath.Join(dir, from+suffix))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, to+suffix), raw, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func copyFiles(from, to string, paths ...string) error {
	for _, p := range paths {
		raw, err := os.ReadFile(filepath.Join(from, p))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, p), raw, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// TestNATSConfigTLS checks that every node's configuration, as
// nats-server loads it with the files compose mounts, serves clients
// with the node's own server certificate, asking each for a client
// certificate of the demo's CA, and routes with its route certificate,
// checking the other nodes' against the demo's CA.
func TestNATSConfigTLS(t *testing.T) {
	secrets := genSecrets(t)
	foreign := otherSecrets(t)
	for _, node := range nodes {
		t.Run(node, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("nats", node+".conf"))
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(natsconf.HeaderArgs(raw), "--insecure-no-tls") {
				t.Error("written with --insecure-no-tls")
			}
			o := loadNode(t, node, secrets)
			own := filepath.Join(secrets, "tls", node)
			if o.TLSConfig == nil || o.TLSTimeout <= 0 {
				t.Fatal("clients are served without TLS")
			}
			if o.TLSConfig.MinVersion < tls.VersionTLS12 {
				t.Errorf("clients may use TLS older than 1.2: %x", o.TLSConfig.MinVersion)
			}
			checkServes(t, "clients", o.TLSConfig, filepath.Join(own, "server.pem"))
			if o.TLSConfig.ClientAuth != tls.RequireAndVerifyClientCert {
				t.Errorf("clients: client auth %v, want a verified certificate",
					o.TLSConfig.ClientAuth)
			}
			checkTrustsClients(t, o.TLSConfig.ClientCAs, secrets, foreign)
			rt := o.Cluster.TLSConfig
			if rt == nil {
				t.Fatal("routes without TLS")
			}
			checkServes(t, "routes", rt, filepath.Join(own, "route.pem"))
			if rt.ClientAuth != tls.RequireAndVerifyClientCert {
				t.Errorf("routes: client auth %v, want a verified certificate", rt.ClientAuth)
			}
			checkTrusts(t, rt.ClientCAs, secrets, foreign)
		})
	}
}

// checkServes checks that a TLS configuration shows exactly the
// certificate of certFile.
func checkServes(t *testing.T, what string, tc *tls.Config, certFile string) {
	t.Helper()
	want := readCert(t, certFile)
	if len(tc.Certificates) != 1 || len(tc.Certificates[0].Certificate) == 0 ||
		!bytes.Equal(tc.Certificates[0].Certificate[0], want.Raw) {
		t.Errorf("%s: does not show %s", what, certFile)
	}
}

// checkTrusts checks that a pool takes the route certificates of the
// cluster and not those of another CA.
func checkTrusts(t *testing.T, pool *x509.CertPool, secrets, foreign string) {
	t.Helper()
	opts := x509.VerifyOptions{Roots: pool,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	for _, n := range nodes {
		route := readCert(t, filepath.Join(secrets, "tls", n, "route.pem"))
		if _, err := route.Verify(opts); err != nil {
			t.Errorf("routes refuse %s's route certificate: %v", n, err)
		}
	}
	rogue := readCert(t, filepath.Join(foreign, "tls", "nats-1", "route.pem"))
	if _, err := rogue.Verify(opts); err == nil {
		t.Error("routes take a route certificate of another CA")
	}
}

// checkTrustsClients checks that a pool takes the client certificate of
// every NATS client service and not one of another CA.
func checkTrustsClients(t *testing.T, pool *x509.CertPool, secrets, foreign string) {
	t.Helper()
	opts := x509.VerifyOptions{Roots: pool,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	for _, name := range clientNames() {
		cert, _ := clientFiles(secrets, name)
		if _, err := readCert(t, cert).Verify(opts); err != nil {
			t.Errorf("clients: refuses %s's certificate: %v", name, err)
		}
	}
	rogue, _ := clientFiles(foreign, "edge-1")
	if _, err := readCert(t, rogue).Verify(opts); err == nil {
		t.Error("clients: takes a client certificate of another CA")
	}
}

// checkClientTLS shows on the running cluster that a component
// connects over mutual TLS as config.NATS does with the CA and its
// client certificate, and that no client gets in otherwise: not in
// clear with the right password, not without trusting the CA, not
// under a name the certificates do not hold, and not with the right
// password but no certificate of the CA's for client authentication.
func checkClientTLS(t *testing.T, c *cluster) {
	user := "edge-1"
	cert, key := clientFiles(c.secrets, user)
	cfg := config.NATS{URL: c.urls(), User: user, Password: c.env[passwordVar(user)],
		CAFile: c.ca, CertFile: cert, KeyFile: key}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("a component's settings with the CA and its certificate: %v", err)
	}
	nc, err := cfg.Connect(embedded.Edge, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("a component with the CA and its certificate: %v", err)
	}
	defer nc.Close()
	if st, err := nc.TLSConnectionState(); err != nil || len(st.PeerCertificates) == 0 {
		t.Errorf("a component connected without TLS: %v", err)
	}
	for i := range c.servers {
		plainLogin(t, c, i)
	}
	port := c.servers[0].Addr().(*net.TCPAddr).Port
	local := fmt.Sprintf("tls://localhost:%d", port)
	var unknown x509.UnknownAuthorityError
	_, err = dialTLS(local, "", cfg.Password, cert)
	if !errors.As(err, &unknown) {
		t.Errorf("a client that does not trust the CA: %v, want an unknown authority", err)
	}
	var wrongName x509.HostnameError
	_, err = dialTLS(fmt.Sprintf("tls://127.0.0.1:%d", port), c.ca, cfg.Password, cert)
	if !errors.As(err, &wrongName) {
		t.Errorf("a client dialling a name the certificates lack: %v, want a host name error", err)
	}
	checkClientCerts(t, c, local)
}

// checkClientCerts dials a node as edge-1 with credentials that the
// node must refuse: the right password with no certificate or one it
// must not take, and edge-1's own certificate with a wrong password.
// The control, with the right password and its own certificate, gets
// in, so each refusal is that of the one credential that differs. The
// node refuses a certificate with a TLS alert, which the client may
// see only as a closed connection, so the refusals of certificates are
// told by their error only from that of the password.
func checkClientCerts(t *testing.T, c *cluster, url string) {
	t.Helper()
	foreign := otherSecrets(t)
	own, _ := clientFiles(c.secrets, "edge-1")
	other, _ := clientFiles(foreign, "edge-1")
	right := c.env[passwordVar("edge-1")]
	cases := []struct {
		name, password, cert string
		want                 error // nil: in; errRefused: any refusal but the password's
	}{
		{"the password, no certificate", right, "", errRefused},
		{"the password, its certificate of another CA", right, other, errRefused},
		{"the password, a node's certificate for its client port", right,
			filepath.Join(c.secrets, "tls", "nats-1", "server.pem"), errRefused},
		{"its certificate, a wrong password", "wrong" + right, own, nats.ErrAuthorization},
		{"the password and its certificate", right, own, nil},
	}
	for _, tc := range cases {
		_, err := dialTLS(url, c.ca, tc.password, tc.cert)
		switch {
		case tc.want == nil && err != nil:
			t.Errorf("%s: %v, want in", tc.name, err)
		case tc.want == errRefused && (err == nil || errors.Is(err, nats.ErrAuthorization)):
			t.Errorf("%s: %v, want refused by TLS", tc.name, err)
		case tc.want == nats.ErrAuthorization && !errors.Is(err, tc.want):
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// errRefused stands for a refusal of the connection before the password
// is checked.
var errRefused = errors.New("refused")

// dialTLS logs in to url as edge-1 with password, trusting ca ("": the
// system's roots) and showing the certificate certFile with the key
// beside it ("": none).
func dialTLS(url, ca, password, certFile string) (*nats.Conn, error) {
	opts := []nats.Option{nats.UserInfo("edge-1", password), nats.NoReconnect()}
	if ca != "" {
		opts = append(opts, nats.RootCAs(ca))
	}
	if certFile != "" {
		key := strings.TrimSuffix(certFile, ".pem") + "-key.pem"
		opts = append(opts, nats.ClientCert(certFile, key))
	}
	nc, err := nats.Connect(url, opts...)
	if err == nil {
		nc.Close()
	}
	return nc, err
}

// plainLogin logs in to a node in clear with the edge's right password,
// speaking the protocol by hand, and expects the node to close the
// connection without a PONG.
func plainLogin(t *testing.T, c *cluster, node int) {
	t.Helper()
	conn, err := net.Dial("tcp", c.servers[node].Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	info, err := r.ReadString('\n')
	if err != nil || !strings.Contains(info, `"tls_required":true`) {
		t.Fatalf("%s: INFO %q (%v), want tls_required", nodes[node], info, err)
	}
	login := fmt.Sprintf("CONNECT {\"user\":%q,\"pass\":%q,\"verbose\":false}\r\nPING\r\n",
		"edge-1", c.env[passwordVar("edge-1")])
	if _, err := conn.Write([]byte(login)); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if strings.Contains(string(rest), "PONG") {
		t.Errorf("%s took a client in clear", nodes[node])
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("%s kept a client in clear open", nodes[node])
	}
}

// checkRouteTLS starts servers that try to join the running cluster as
// a route, as a compromised host could: only one with both the route
// password and a route certificate of the CA joins. Each trusts the
// cluster's CA, so that only the cluster can refuse it.
func checkRouteTLS(t *testing.T, c *cluster) {
	foreign := otherSecrets(t)
	own := filepath.Join(c.secrets, "tls", "nats-1")
	password := c.env["NATS_ROUTE_PASSWORD"]
	cases := []struct {
		name, userinfo, cert string
		joins                bool
	}{
		{"route certificate, no password", "", own + "/route", false},
		{"route certificate, wrong password", "route:wrong", own + "/route", false},
		{"route password, no TLS", "route:" + password, "", false},
		{"route password, another CA's certificate", "route:" + password,
			filepath.Join(foreign, "tls", "nats-1", "route"), false},
		{"route password, the client port's certificate", "route:" + password,
			own + "/server", false},
		// The control: the refusals above are the credentials' alone.
		{"route password and route certificate", "route:" + password, own + "/route", true},
	}
	port := c.servers[0].ClusterAddr().Port
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := &url.URL{Scheme: "nats-route", Host: fmt.Sprintf("localhost:%d", port)}
			if user, pw, ok := strings.Cut(tc.userinfo, ":"); ok {
				u.User = url.UserPassword(user, pw)
			}
			name := fmt.Sprintf("newcomer-%d", i)
			if got := joins(t, c.servers[0], name, u, tc.cert, c.ca); got != tc.joins {
				t.Errorf("joined=%v, want %v", got, tc.joins)
			}
		})
	}
}

// joins starts a server named name that routes to target, showing the
// certificate cert (.pem and -key.pem; "" for no TLS) and trusting ca,
// and reports whether it joined: whether node, which listens at target,
// lists it among its routes. The newcomer's own count is no proof: it
// counts a route it solicited for a moment before the node refuses its
// credentials.
func joins(t *testing.T, node *server.Server, name string, target *url.URL,
	cert, ca string) bool {
	o := &server.Options{ServerName: name, Host: "127.0.0.1", Port: server.RANDOM_PORT,
		Cluster: server.ClusterOpts{Name: "iglowly", Host: "127.0.0.1",
			Port: server.RANDOM_PORT},
		Routes: []*url.URL{target}, NoLog: true, NoSigs: true}
	if cert != "" {
		pair, err := tls.LoadX509KeyPair(cert+".pem", cert+"-key.pem")
		if err != nil {
			t.Fatal(err)
		}
		pool := certPool(t, ca)
		o.Cluster.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pair},
			RootCAs: pool, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert,
			MinVersion: tls.VersionTLS12}
		o.Cluster.TLSTimeout = 2
	}
	s, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	defer func() { s.Shutdown(); s.WaitForShutdown() }()
	// Loopback refuses within milliseconds, and a route that is taken
	// forms in tens of them: a second is ample.
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		if routesTo(t, node, name) {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// routesTo reports whether node has a route to the server named name.
func routesTo(t *testing.T, node *server.Server, name string) bool {
	t.Helper()
	rz, err := node.Routez(nil)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(rz.Routes, func(r *server.RouteInfo) bool {
		return r.RemoteName == name
	})
}
