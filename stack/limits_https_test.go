package stack_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/stack"
)

// startHTTPS starts a stack that serves HTTPS only, with edge settings
// cfg, and returns it with a pool that trusts its certificate.
func startHTTPS(t *testing.T, cfg edge.Config) (*testStack, *x509.CertPool) {
	t.Helper()
	ts := &testStack{models: &recordingModels{}, logs: &logBuffer{}, dir: t.TempDir()}
	st, err := stack.Start(context.Background(), stack.Options{
		HTTPAddr: "127.0.0.1:0", StoreDir: ts.dir, HTTPS: true, Edge: cfg,
		Logger: slog.New(slog.NewJSONHandler(ts.logs, nil)), Models: ts.models,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.Stack = st
	t.Cleanup(func() { _ = st.Close() })
	pool := x509.NewCertPool()
	pool.AddCert(st.Certificate().Leaf)
	return ts, pool
}

// TestHTTPS serves a whole conversation over HTTPS (HTTP/2, TLS 1.2 or
// later) with the certificate whose fingerprint the stack gives, for
// each of its names; sends HSTS; and refuses plain HTTP on the TLS port
// without reaching the handler.
func TestHTTPS(t *testing.T) {
	ts, pool := startHTTPS(t, edge.Config{})
	if !strings.HasPrefix(ts.URL(), "https://") {
		t.Fatalf("URL %s", ts.URL())
	}
	c := clientFrom("127.0.0.1", pool)
	origin := ts.origin("demo")
	token := sessionFrom(t, c, ts.URL(), "demo", origin)
	r := chatFrom(t, c, ts.URL(), token, origin, "Hoeveel kost botox?")
	if r.status != 200 || r.body["answer"] == "" {
		t.Fatalf("chat over HTTPS: %d %s", r.status, r.raw)
	}
	if got := r.header.Get("Strict-Transport-Security"); got != "max-age=300" {
		t.Errorf("HSTS %q, want the dev stack's max-age=300", got)
	}

	resp, err := c.Get(ts.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	discard(resp)
	if resp.ProtoMajor != 2 || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("protocol %s, TLS version %x", resp.Proto, resp.TLS.Version)
	}
	sum := sha256.Sum256(resp.TLS.PeerCertificates[0].Raw)
	fp := edge.Fingerprint(ts.Certificate())
	if strings.ReplaceAll(fp, ":", "") != strings.ToUpper(hex.EncodeToString(sum[:])) {
		t.Errorf("fingerprint %s is not the served certificate's", fp)
	}
	leaf := ts.Certificate().Leaf
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := leaf.VerifyHostname(name); err != nil {
			t.Errorf("certificate for %s: %v", name, err)
		}
	}

	refusePlainHTTP(t, strings.TrimPrefix(ts.URL(), "https://"))
}

// refusePlainHTTP sends a plain HTTP request to the TLS port: it gets the
// server's own 400 that asks for HTTPS, never an answer of the edge.
func refusePlainHTTP(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("plain HTTP on the TLS port: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("X-Request-Id") != "" ||
		!strings.Contains(string(body), "HTTPS") {
		t.Errorf("plain HTTP on the TLS port: %d, request id %q: %s", resp.StatusCode,
			resp.Header.Get("X-Request-Id"), body)
	}
}
