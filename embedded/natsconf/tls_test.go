package natsconf

import (
	"bufio"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// tlsNode starts a single server whose configuration asks for TLS with
// the node certificate of ca, and mutual TLS if verify is set.
func tlsNode(t *testing.T, ca *authority, verify bool) *node {
	t.Helper()
	setEnv(t)
	crt := ca.issue(t, "node")
	args := []string{"--name", "tls", "--tls-cert", crt.Cert, "--tls-key", crt.Key}
	if verify {
		args = append(args, "--tls-ca", ca.CA, "--tls-verify")
	}
	return start(t, parse(t, writeConfig(t, load(t, args...))), "", nil)
}

// component connects the way a production component does, through
// config.NATS, with its TLS files.
func component(n *node, who, ca string, client pair) (*nats.Conn, error) {
	c := config.NATS{URL: n.ClientURL(), User: who, Password: password(who),
		CAFile: ca, CertFile: client.Cert, KeyFile: client.Key}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("component config: %w", err)
	}
	return c.Connect(who, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestTLSRequired proves that a server from a TLS configuration takes no
// client in clear, not even one with the right password, and takes a
// component that trusts its CA.
func TestTLSRequired(t *testing.T) {
	ca := newAuthority(t, "iglowly-test")
	n := tlsNode(t, ca, false)
	t.Run("plain client", func(t *testing.T) { plainLogin(t, n) })
	t.Run("unknown CA", func(t *testing.T) {
		_, err := tryDial(n, embedded.Edge)
		var unknown x509.UnknownAuthorityError
		if err == nil || !errors.As(err, &unknown) {
			t.Errorf("a client that does not trust the CA: %v, want an unknown authority", err)
		}
	})
	t.Run("component with the CA", func(t *testing.T) {
		nc, err := component(n, embedded.Edge, ca.CA, pair{})
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		if _, err := nc.TLSConnectionState(); err != nil {
			t.Errorf("connected without TLS: %v", err)
		}
	})
}

// plainLogin speaks the NATS protocol in clear with a valid password and
// expects the server to refuse it before any PONG.
func plainLogin(t *testing.T, n *node) {
	conn, err := net.Dial("tcp", n.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	info, err := r.ReadString('\n')
	if err != nil || !strings.Contains(info, `"tls_required":true`) {
		t.Fatalf("INFO %q (%v), want tls_required", info, err)
	}
	login := fmt.Sprintf("CONNECT {\"user\":%q,\"pass\":%q,\"verbose\":false}\r\nPING\r\n",
		embedded.Edge, password(embedded.Edge))
	if _, err := conn.Write([]byte(login)); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if strings.Contains(string(rest), "PONG") {
		t.Errorf("a client in clear logged in: %q", rest)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Error("the server kept a client in clear open")
	}
}

// TestMutualTLS proves that with --tls-verify the server refuses a
// client without a certificate, or with one from another authority,
// and takes a component with its certificate.
func TestMutualTLS(t *testing.T) {
	ca := newAuthority(t, "iglowly-test")
	n := tlsNode(t, ca, true)
	rogue := newAuthority(t, "rogue")
	cases := []struct {
		name   string
		client pair
		ok     bool
	}{
		{"no certificate", pair{}, false},
		{"another authority's certificate", rogue.issue(t, "edge"), false},
		{"its certificate", ca.issue(t, "edge"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nc, err := component(n, embedded.Edge, ca.CA, c.client)
			if nc != nil {
				nc.Close()
			}
			if (err == nil) != c.ok {
				t.Errorf("connect: %v, want ok=%v", err, c.ok)
			}
		})
	}
}

// TestRouteTLS starts two nodes whose routes use mutual TLS and shows
// that they form a cluster, while a node with the route password but
// without TLS, or with a certificate of another authority, cannot join.
func TestRouteTLS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a cluster")
	}
	setEnv(t)
	ca := newAuthority(t, "iglowly-test")
	ports := []int{freePort(t), freePort(t)}
	routes := fmt.Sprintf("127.0.0.1:%d,127.0.0.1:%d", ports[0], ports[1])
	t.Setenv("NATS_ROUTE_PASSWORD", "route-password-0123456789abcdef")
	for i, p := range ports {
		t.Setenv(fmt.Sprintf("NATS_ROUTE_%d", i+1),
			fmt.Sprintf("nats-route://route:route-password-0123456789abcdef@127.0.0.1:%d", p))
	}
	var nodes []*node
	for i, p := range ports {
		crt := ca.issue(t, fmt.Sprintf("n%d", i+1))
		c := load(t, "--name", fmt.Sprintf("n%d", i+1), "--routes", routes,
			"--cluster-listen", fmt.Sprintf("127.0.0.1:%d", p),
			"--tls-cert", crt.Cert, "--tls-key", crt.Key,
			"--route-tls-cert", crt.Cert, "--route-tls-key", crt.Key, "--route-tls-ca", ca.CA)
		nodes = append(nodes, start(t, parse(t, writeConfig(t, c)), "", nil))
	}
	waitFor(t, "the two nodes to route to each other", func() bool {
		return nodes[0].NumRoutes() > 0 && nodes[1].NumRoutes() > 0
	})
	target := fmt.Sprintf("nats-route://route:route-password-0123456789abcdef@127.0.0.1:%d", ports[0])
	cases := []struct {
		name  string
		crt   *pair
		joins bool
	}{
		{"no TLS", nil, false},
		{"another authority's certificate", ptr(newAuthority(t, "rogue").issue(t, "rogue")), false},
		// The control: the same node with a certificate of the cluster's
		// authority joins, so the refusals above are the certificates'.
		{"the cluster's certificate", ptr(ca.issue(t, "n3")), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := joins(t, target, c.crt, ca.CA); got != c.joins {
				t.Errorf("joined=%v, want %v", got, c.joins)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// joins starts a server that routes to target with the right password,
// crt as its route certificate (none for no TLS) and trusting the
// cluster's CA, so that only the cluster can refuse it, and reports
// whether it joined.
func joins(t *testing.T, target string, crt *pair, trust string) bool {
	o := &server.Options{ServerName: "newcomer", Host: "127.0.0.1", Port: server.RANDOM_PORT,
		Cluster: server.ClusterOpts{Name: "iglowly", Host: "127.0.0.1", Port: server.RANDOM_PORT},
		NoLog:   true, NoSigs: true}
	o.Routes = server.RoutesFromStr(target)
	if crt != nil {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: crt.Cert, KeyFile: crt.Key,
			CaFile: trust, Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		// A route is a client as well: it checks the cluster's
		// certificates against the same authority.
		tc.RootCAs = tc.ClientCAs
		o.Cluster.TLSConfig, o.Cluster.TLSTimeout = tc, 2
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
	for time.Now().Before(deadline) && s.NumRoutes() == 0 {
		time.Sleep(20 * time.Millisecond)
	}
	return s.NumRoutes() != 0
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
