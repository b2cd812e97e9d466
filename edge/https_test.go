package edge

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSelfSigned(t *testing.T) {
	cert, err := SelfSigned([]string{"localhost", "127.0.0.1", "::1"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		_, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: pool})
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := cert.Leaf.VerifyHostname("example.com"); err == nil {
		t.Error("the certificate is valid for a name it was not made for")
	}
	if left := time.Until(cert.Leaf.NotAfter); left > time.Hour || left < 59*time.Minute {
		t.Errorf("valid for %v more, want an hour", left)
	}
	if _, err := SelfSigned(nil, time.Hour); err == nil {
		t.Error("a certificate without a host")
	}
}

func TestFingerprint(t *testing.T) {
	cert, err := SelfSigned([]string{"localhost"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	fp := Fingerprint(cert)
	sum := sha256.Sum256(cert.Certificate[0])
	if len(fp) != 32*3-1 || strings.ReplaceAll(fp, ":", "") !=
		strings.ToUpper(hex.EncodeToString(sum[:])) {
		t.Errorf("fingerprint %q", fp)
	}
	if Fingerprint(nil) != "" || Fingerprint(&tls.Certificate{}) != "" {
		t.Error("a fingerprint of no certificate")
	}
}

// writePair writes a certificate and its key as PEM files in dir.
func writePair(t *testing.T, dir string, cert *tls.Certificate) (string, string) {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(cert.PrivateKey.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for f, b := range map[string]*pem.Block{
		certFile: {Type: "CERTIFICATE", Bytes: cert.Certificate[0]},
		keyFile:  {Type: "EC PRIVATE KEY", Bytes: der},
	} {
		if err := os.WriteFile(f, pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return certFile, keyFile
}

// TestCertFilesReload serves a certificate from files, then a renewed
// one once the files change and the next check is due, and keeps the
// renewed one serving when the files are then broken.
func TestCertFilesReload(t *testing.T) {
	dir := t.TempDir()
	first, _ := SelfSigned([]string{"localhost"}, time.Hour)
	certFile, keyFile := writePair(t, dir, first)
	var logs bytes.Buffer
	cf, err := LoadCertFiles(certFile, keyFile, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	get := func() string {
		c, err := cf.GetCertificate(nil)
		if err != nil {
			t.Fatal(err)
		}
		return Fingerprint(c)
	}
	if get() != Fingerprint(first) {
		t.Fatal("not the first certificate")
	}
	second, _ := SelfSigned([]string{"localhost"}, 2*time.Hour)
	writePair(t, dir, second)
	if get() != Fingerprint(first) {
		t.Error("reloaded before the check was due")
	}
	cf.checked = time.Time{}
	if get() != Fingerprint(second) {
		t.Error("the renewed certificate is not served")
	}
	if err := os.WriteFile(keyFile, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	cf.checked = time.Time{}
	if get() != Fingerprint(second) || !strings.Contains(logs.String(), "tls_reload_failed") {
		t.Error("a broken renewal replaced the certificate, or was not logged")
	}
	if strings.Contains(logs.String(), "not a key") {
		t.Error("the log quotes the key file")
	}
	if _, err := LoadCertFiles(certFile, keyFile, slog.Default()); err == nil {
		t.Error("loaded a broken key")
	}
}
