package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// cluster is the three nodes of nats/*.conf running in this process.
type cluster struct {
	servers []*server.Server
	env     map[string]string // natsSecrets: the passwords and key in clear
	secrets string            // the folder gen-secrets.sh wrote
	ca      string            // its tls/ca.pem, which the components trust
	logs    string            // the folder of the nodes' log files
}

// startCluster starts every node from its config file, as loaded by
// nats-server with the TLS files gen-secrets.sh wrote, with only the
// addresses moved to free loopback ports and the store to a temporary
// folder. Routes keep their credentials, and dial localhost, a name
// the node certificates hold, instead of the nodes' compose names. Each
// node writes its log file, by the name of its configuration, into one
// temporary folder, as into the compose volume.
func startCluster(t *testing.T, secrets string) *cluster {
	t.Helper()
	c := &cluster{env: natsSecrets(t, secrets), secrets: secrets,
		ca: filepath.Join(secrets, "tls", "ca.pem"), logs: t.TempDir()}
	routePorts := make(map[string]int)
	for _, n := range nodes {
		routePorts[n] = freePort(t)
	}
	for _, n := range nodes {
		o := loadNode(t, n, secrets)
		o.Host, o.Port = "127.0.0.1", server.RANDOM_PORT
		o.HTTPHost, o.HTTPPort = "127.0.0.1", server.RANDOM_PORT
		o.Cluster.Host, o.Cluster.Port = "127.0.0.1", routePorts[o.ServerName]
		for _, r := range o.Routes {
			port, ok := routePorts[r.Hostname()]
			if !ok {
				t.Fatalf("%s routes to unknown node %q", n, r.Hostname())
			}
			r.Host = fmt.Sprintf("localhost:%d", port)
		}
		o.StoreDir = filepath.Join(t.TempDir(), n)
		o.NoSigs = true
		if o.LogFile != "" {
			o.LogFile = filepath.Join(c.logs, filepath.Base(o.LogFile))
		}
		s, err := server.NewServer(o)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		s.ConfigureLogger()
		s.Start()
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
		c.servers = append(c.servers, s)
	}
	for _, s := range c.servers {
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("%s did not accept clients", s.Name())
		}
	}
	return c
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

// urls is the client URL list of the cluster, like IGLOWLY_NATS_URL:
// tls:// to localhost, a name the node certificates hold.
func (c *cluster) urls() string {
	var u []string
	for i := range c.servers {
		u = append(u, c.url(i))
	}
	return strings.Join(u, ",")
}

// url is the client URL of one node.
func (c *cluster) url(node int) string {
	return fmt.Sprintf("tls://localhost:%d", c.servers[node].Addr().(*net.TCPAddr).Port)
}

// waitForMetaLeader waits until the JetStream cluster has elected a meta
// leader and every node follows it.
func (c *cluster) waitForMetaLeader(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		leaders, current := 0, 0
		for _, s := range c.servers {
			if s.JetStreamIsLeader() {
				leaders++
			}
			if s.JetStreamIsCurrent() {
				current++
			}
		}
		if leaders == 1 && current == len(c.servers) && c.peersOnline() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no JetStream meta leader within 15s")
}

// peersOnline reports whether the meta leader sees every other node as
// online and current: until it has their stats, it places no stream
// with more than one replica ("no suitable peers for placement").
func (c *cluster) peersOnline() bool {
	for _, s := range c.servers {
		if !s.JetStreamIsLeader() {
			continue
		}
		jsz, err := s.Jsz(nil)
		if err != nil || jsz.Meta == nil || len(jsz.Meta.Replicas) != len(c.servers)-1 {
			return false
		}
		for _, p := range jsz.Meta.Replicas {
			if p.Offline || !p.Current {
				return false
			}
		}
		return true
	}
	return false
}

// connect logs in to one node as a NATS user (a replica: edge-1) with
// its password and its own inboxes, over mutual TLS: it trusts the
// cluster's CA and shows the user's client certificate.
func (c *cluster) connect(t *testing.T, node int, user string, opts ...nats.Option) *nats.Conn {
	t.Helper()
	base := []nats.Option{
		nats.UserInfo(user, c.env[passwordVar(user)]),
		nats.CustomInboxPrefix(replicaUser(t, user).InboxPrefix()),
		nats.RootCAs(c.ca),
		clientCert(c.secrets, user),
	}
	nc, err := nats.Connect(c.url(node), append(base, opts...)...)
	if err != nil {
		t.Fatalf("connecting as %s: %v", user, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// TestClusterFromConfigs starts the three nodes from their config files
// and shows that they form one JetStream cluster, over TLS routes, that
// enforces the component permissions and takes clients and nodes over
// TLS only.
func TestClusterFromConfigs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node NATS cluster")
	}
	c := startCluster(t, genSecrets(t))
	c.waitForMetaLeader(t)
	for _, s := range c.servers {
		if s.NumRoutes() < len(c.servers)-1 {
			t.Errorf("%s has %d routes, want the other %d nodes", s.Name(), s.NumRoutes(),
				len(c.servers)-1)
		}
	}
	t.Run("healthz", func(t *testing.T) { checkHealthz(t, c) })
	t.Run("r3 bucket", func(t *testing.T) { checkReplicatedBucket(t, c) })
	t.Run("provision", func(t *testing.T) {
		nc := c.connect(t, 2, embedded.Admin)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// First with one copy, then scaled to three, as an operator who
		// grows a single server into a cluster would.
		for _, n := range []int{1, 3} {
			err := embedded.Provision(ctx, nc, embedded.SessionLimits{Replicas: n})
			if err != nil {
				t.Fatalf("admin cannot provision the cluster with %d replicas: %v", n, err)
			}
		}
		js, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		for _, bucket := range []string{embedded.BucketSessions, embedded.BucketClinics} {
			kv, err := js.KeyValue(ctx, bucket)
			if err != nil {
				t.Fatalf("bucket %s: %v", bucket, err)
			}
			st, err := kv.Status(ctx)
			if err != nil {
				t.Fatalf("bucket %s status: %v", bucket, err)
			}
			info := st.(*jetstream.KeyValueBucketStatus).StreamInfo()
			if n := info.Config.Replicas; n != 3 {
				t.Errorf("bucket %s has %d replicas, want 3: losing a node would lose it",
					bucket, n)
			}
		}
	})
	t.Run("permissions", func(t *testing.T) { checkEnforced(t, c) })
	t.Run("client tls", func(t *testing.T) { checkClientTLS(t, c) })
	t.Run("route tls", func(t *testing.T) { checkRouteTLS(t, c) })
}

// checkHealthz asks each node's monitoring port for /healthz, which the
// compose healthcheck uses.
func checkHealthz(t *testing.T, c *cluster) {
	for _, s := range c.servers {
		resp, err := http.Get("http://" + s.MonitorAddr().String() + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s /healthz: %d %s", s.Name(), resp.StatusCode, body)
		}
	}
}

// checkReplicatedBucket creates a key-value bucket with three replicas
// through one node and reads it back through another.
func checkReplicatedBucket(t *testing.T, c *cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	js, err := jetstream.New(c.connect(t, 0, embedded.Admin))
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: "deploy-test", Replicas: 3, Storage: jetstream.FileStorage,
	})
	if err != nil {
		t.Fatalf("creating R3 bucket: %v", err)
	}
	// The new stream elects its leader among the three nodes after it
	// is created: until then a write finds no one to take it.
	for {
		_, err := kv.Put(ctx, "k", []byte("v"))
		if err == nil {
			break
		}
		if !errors.Is(err, jetstream.ErrNoStreamResponse) || ctx.Err() != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	info, err := js.Stream(ctx, "KV_deploy-test")
	if err != nil {
		t.Fatal(err)
	}
	ci := info.CachedInfo().Cluster
	if ci == nil || ci.Leader == "" || len(ci.Replicas) != 2 {
		t.Fatalf("stream cluster info %+v, want a leader and two replicas", ci)
	}
	js2, _ := jetstream.New(c.connect(t, 1, embedded.Admin))
	kv2, err := js2.KeyValue(ctx, "deploy-test")
	if err != nil {
		t.Fatal(err)
	}
	if e, err := kv2.Get(ctx, "k"); err != nil || string(e.Value()) != "v" {
		t.Errorf("reading through another node: %v", err)
	}
}

// checkEnforced shows the rule that matters most on the real cluster: the
// edge's publish to an infer subject is refused and reaches no inference
// worker, while its publish to the sanitise subject reaches a sanitiser
// on another node.
func checkEnforced(t *testing.T, c *cluster) {
	sanitised := subscribe(t, c.connect(t, 1, "sanitiser-1"), "iglowly.*.chat.sanitise")
	inferred := subscribe(t, c.connect(t, 2, "inference-2"), "iglowly.*.chat.infer")
	denied := make(chan error, 4)
	edge := c.connect(t, 0, "edge-1",
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { denied <- err }))
	waitForInterest(t, c.servers[0], "iglowly.demo.chat.sanitise")
	waitForInterest(t, c.servers[0], "iglowly.demo.chat.infer")
	_ = edge.Publish("iglowly.demo.chat.infer", []byte("bypass"))
	_ = edge.Publish("iglowly.demo.chat.sanitise", []byte("ok"))
	_ = edge.Flush()
	select {
	case err := <-denied:
		if !errors.Is(err, nats.ErrPermissionViolation) {
			t.Errorf("edge publish on infer: %v, want a permissions violation", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("edge published on an infer subject without error")
	}
	select {
	case <-sanitised:
	case <-time.After(5 * time.Second):
		t.Error("edge's sanitise message did not cross the cluster")
	}
	// The sanitise message was published after the infer one on the same
	// connection, so an infer message would have arrived by now.
	select {
	case m := <-inferred:
		t.Errorf("inference received %q published by the edge", m.Data)
	case <-time.After(100 * time.Millisecond):
	}
}

func subscribe(t *testing.T, nc *nats.Conn, subject string) chan *nats.Msg {
	t.Helper()
	ch := make(chan *nats.Msg, 4)
	if _, err := nc.ChanSubscribe(subject, ch); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return ch
}

// waitForInterest waits until a node knows of a subscriber on subject,
// which may live on another node.
func waitForInterest(t *testing.T, s *server.Server, subject string) {
	t.Helper()
	acc, err := s.LookupAccount(natsconf.AppAccount)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for acc.Interest(subject) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%s never saw interest in %s", s.Name(), subject)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
