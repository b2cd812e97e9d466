package edge

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// TLSConfig returns the edge's TLS settings, serving the certificates
// get returns: TLS 1.2 or later, with the standard library's cipher
// suites and curves. http.Server.ServeTLS adds HTTP/2.
func TLSConfig(get func(*tls.ClientHelloInfo) (*tls.Certificate, error)) *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: get}
}

// CertFiles serves the certificate of a PEM certificate chain and key
// file, read again when either file changes (a renewal), checked at most
// every certCheckEvery. A renewal that does not load leaves the last good
// certificate serving, with an error logged.
type CertFiles struct {
	certFile, keyFile string
	log               *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   string
	checked time.Time
}

// certCheckEvery is how often CertFiles looks for a renewed certificate.
const certCheckEvery = 30 * time.Second

// LoadCertFiles loads a certificate chain and its key from PEM files; an
// error names the step, never the key's content.
func LoadCertFiles(certFile, keyFile string, log *slog.Logger) (*CertFiles, error) {
	c := &CertFiles{certFile: certFile, keyFile: keyFile, log: log}
	stamp, err := c.stampNow()
	if err != nil {
		return nil, err
	}
	cert, err := loadPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	c.cert, c.stamp, c.checked = cert, stamp, time.Now()
	return c, nil
}

func loadPair(certFile, keyFile string) (*tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading TLS certificate and key: %w", err)
	}
	return &cert, nil
}

// stampNow describes both files' sizes and modification times.
func (c *CertFiles) stampNow() (string, error) {
	var b strings.Builder
	for _, f := range []string{c.certFile, c.keyFile} {
		fi, err := os.Stat(f)
		if err != nil {
			return "", fmt.Errorf("reading TLS file: %w", err)
		}
		fmt.Fprintf(&b, "%d.%d;", fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String(), nil
}

// Certificate returns the certificate served now.
func (c *CertFiles) Certificate() *tls.Certificate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cert
}

// GetCertificate returns the current certificate, for tls.Config, first
// loading a renewed one if the files changed.
func (c *CertFiles) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < certCheckEvery {
		return c.cert, nil
	}
	c.checked = time.Now()
	stamp, err := c.stampNow()
	if err != nil || stamp == c.stamp {
		return c.cert, nil
	}
	cert, err := loadPair(c.certFile, c.keyFile)
	if err != nil {
		// Half-written files: try again at the next check.
		c.log.Error("tls_reload_failed", "error", err)
		return c.cert, nil
	}
	c.cert, c.stamp = cert, stamp
	c.log.Info("tls_reloaded", "fingerprint", Fingerprint(cert))
	return c.cert, nil
}

// SelfSigned returns a new self-signed certificate for hosts (IP
// addresses or DNS names), valid for validity from now: for development
// only, since no browser trusts it without being told to.
func SelfSigned(hosts []string, validity time.Duration) (*tls.Certificate, error) {
	if len(hosts) == 0 {
		return nil, errors.New("self-signed certificate needs a host")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generating serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"iglowly dev"}},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(validity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("signing certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing certificate: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

// Fingerprint returns the SHA-256 fingerprint of a certificate's leaf as
// browsers and openssl show it: upper-case hex bytes joined by colons.
func Fingerprint(c *tls.Certificate) string {
	if c == nil || len(c.Certificate) == 0 {
		return ""
	}
	sum := sha256.Sum256(c.Certificate[0])
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
