package deploy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// relayClient is the folder of the security relay's client certificate
// under tls/clients/: one certificate for the service, which logs in as
// both its users.
const relayClient = "relay"

// clientNames are the folders of tls/clients/ that gen-secrets.sh
// writes: one per NATS client service of docker-compose.yml, each
// replica of a component (edge-1, ...), admin and the relay.
func clientNames() []string { return append(composeUsers(), relayClient) }

// clientName is the folder of tls/clients/ that holds the certificate a
// NATS user logs in with: the user's own, or the relay's for either of
// the relay's users.
func clientName(user string) string {
	if slices.Contains(relayUsers, user) {
		return relayClient
	}
	return user
}

// clientCN is the common name of client name's certificate: its
// service's NATS user, for the relay its user in the application
// account.
func clientCN(name string) string {
	if name == relayClient {
		return embedded.RelayUser
	}
	return name
}

// clientFiles are the certificate and key of client name in a folder
// of gen-secrets.sh.
func clientFiles(secretsDir, name string) (cert, key string) {
	dir := filepath.Join(secretsDir, "tls", "clients", name)
	return filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
}

// clientCert is the option that shows user's client certificate of a
// folder of gen-secrets.sh.
func clientCert(secretsDir, user string) nats.Option {
	return nats.ClientCert(clientFiles(secretsDir, clientName(user)))
}

// checkClientFiles checks one client's folder: a certificate of the CA
// for client authentication only, so that it cannot serve as a node,
// named after its NATS user, with its own EC P-256 key, readable by
// the image's unprivileged user as a compose secret. keys collects the
// public keys seen so far, so that no two certificates share one.
func checkClientFiles(t *testing.T, dir, name string, keys map[string]string) {
	t.Helper()
	certFile, keyFile := clientFiles(dir, name)
	cert := readCert(t, certFile)
	roots := certPool(t, filepath.Join(dir, "tls", "ca.pem"))
	checkClientCert(t, cert, roots, clientCN(name))
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Errorf("%s: client-key.pem is not the key of client.pem: %v", name, err)
	} else if k, ok := pair.PrivateKey.(*ecdsa.PrivateKey); !ok || k.Curve != elliptic.P256() {
		t.Errorf("%s: the key is not EC P-256", name)
	}
	pub := string(cert.RawSubjectPublicKeyInfo)
	if other, dup := keys[pub]; dup {
		t.Errorf("clients/%s has the key of %s", name, other)
	}
	keys[pub] = "clients/" + name
	checkMode(t, filepath.Join(dir, "tls", "clients"), 0o700)
	checkMode(t, filepath.Dir(certFile), 0o700)
	checkMode(t, certFile, 0o644)
	checkMode(t, keyFile, 0o644)
}

// checkClientCert checks that a client certificate chains to roots for
// client authentication, and for nothing else: no server, no CA, no
// name but its common name cn.
func checkClientCert(t *testing.T, cert *x509.Certificate, roots *x509.CertPool, cn string) {
	t.Helper()
	if cert.Subject.CommonName != cn {
		t.Errorf("CN %q, want its NATS user %q", cert.Subject.CommonName, cn)
	}
	client := []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	if !slices.Equal(cert.ExtKeyUsage, client) || len(cert.UnknownExtKeyUsage) > 0 {
		t.Errorf("%s: usages %v, want client authentication only", cn, cert.ExtKeyUsage)
	}
	if cert.IsCA || cert.KeyUsage&x509.KeyUsageCertSign != 0 {
		t.Errorf("%s may sign certificates", cn)
	}
	if len(cert.DNSNames)+len(cert.IPAddresses)+len(cert.URIs) > 0 {
		t.Errorf("%s holds host names or addresses", cn)
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: client}); err != nil {
		t.Errorf("%s does not authenticate a client: %v", cn, err)
	}
	for _, name := range certNames {
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: name,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err == nil {
			t.Errorf("%s serves as node %s", cn, name)
		}
	}
	if time.Until(cert.NotAfter) < 365*24*time.Hour || time.Now().Before(cert.NotBefore) {
		t.Errorf("%s is valid from %v to %v, want now for over a year",
			cn, cert.NotBefore, cert.NotAfter)
	}
}

// writeExpiredClient replaces client name's certificate by one that the
// folder's CA signed for its key but that expired yesterday.
func writeExpiredClient(dir, name string) error {
	ca, err := tls.LoadX509KeyPair(filepath.Join(dir, "tls", "ca.pem"),
		filepath.Join(dir, "tls", "ca-key.pem"))
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(ca.Certificate[0])
	if err != nil {
		return err
	}
	certFile, keyFile := clientFiles(dir, name)
	own, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:   pkix.Name{CommonName: clientCN(name)},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	pub := own.PrivateKey.(*ecdsa.PrivateKey).Public()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, pub, ca.PrivateKey)
	if err != nil {
		return err
	}
	return os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE",
		Bytes: der}), 0o644)
}

// checkNATSCert checks the client certificate that a service loaded for
// NATS (nc, its paths mapped to this host): the compose secrets
// nats_cert and nats_key, from its own folder of tls/clients/, a pair
// that loads, named after user, and held by no other service.
func checkNATSCert(t *testing.T, service string, env map[string]string, nc config.NATS,
	user, secretsDir string, shared sharing) {
	t.Helper()
	for k, want := range map[string]string{"IGLOWLY_NATS_CERT": "/run/secrets/nats_cert",
		"IGLOWLY_NATS_KEY": "/run/secrets/nats_key"} {
		if env[k] != want {
			t.Errorf("%s %q, want %s", k, env[k], want)
		}
	}
	name := clientName(user)
	cert, key := clientFiles(secretsDir, name)
	if nc.CertFile != cert || nc.KeyFile != key {
		t.Errorf("NATS certificate %q and key %q, want tls/clients/%s/ of gen-secrets.sh",
			nc.CertFile, nc.KeyFile, name)
	}
	pair, err := tls.LoadX509KeyPair(nc.CertFile, nc.KeyFile)
	if err != nil {
		t.Fatalf("its NATS certificate and key: %v", err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := clientCN(name); leaf.Subject.CommonName != want {
		t.Errorf("its NATS certificate is %q's, want %q's", leaf.Subject.CommonName, want)
	}
	shared.claim(t, service, "its NATS certificate", nc.CertFile)
	shared.claim(t, service, "its NATS key", nc.KeyFile)
}

// TestComposeClientKeys checks that no service mounts a client
// certificate or key of another service: each mounts, as compose
// secrets, those of its own folder of tls/clients/ only, and no service
// mounts that folder, or one above it, as a volume.
func TestComposeClientKeys(t *testing.T) {
	c := loadCompose(t)
	const clients = "./deploy/secrets/tls/clients/"
	mounted := make(map[string]string)
	for _, name := range slices.Sorted(maps.Keys(c.Services)) {
		s := c.Services[name]
		own := ""
		switch {
		case s.job() == "security relay":
			own = relayClient
		case s.component() != "":
			own = s.Environment["IGLOWLY_NATS_USER"]
		}
		for _, sec := range s.Secrets {
			folder, ok := strings.CutPrefix(c.Secrets[sec.Source].File, clients)
			if !ok {
				continue
			}
			folder, _, _ = strings.Cut(folder, "/")
			if folder != own {
				t.Errorf("%s mounts %s of tls/clients/%s", name, sec.Source, folder)
			}
			mounted[folder] = name
		}
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			src = strings.TrimSuffix(src, "/")
			if strings.HasPrefix(clients, src+"/") || strings.HasPrefix(src, clients) {
				t.Errorf("%s mounts %s, which holds client keys", name, src)
			}
		}
	}
	for _, n := range clientNames() {
		if mounted[n] == "" {
			t.Errorf("no service mounts the certificate of tls/clients/%s", n)
		}
	}
}
