package config_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// TestConnectAsReplica connects as the second of two edges over TCP, as
// a production edge does, and checks that its inboxes are its own: its
// requests are answered, and the other edge's inboxes are refused.
func TestConnectAsReplica(t *testing.T) {
	ns, err := embedded.Start(embedded.Options{StoreDir: t.TempDir(),
		Listen: "127.0.0.1:0", Replicas: embedded.Replicas{embedded.Edge: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	user, pw := ns.Credentials("edge-2")
	n := config.NATS{URL: ns.ClientURL(), User: user, Password: pw, Insecure: true}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	if _, err := n.Connect(embedded.Sanitiser, log); err == nil ||
		!strings.Contains(err.Error(), `user "edge-2" is not sanitiser's`) {
		t.Fatalf("connecting edge-2 as the sanitiser: %v", err)
	}
	nc, err := n.Connect(embedded.Edge, log)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if inbox := nc.NewInbox(); !strings.HasPrefix(inbox, "_INBOX.edge.2.") {
		t.Errorf("edge-2 makes inboxes %s", inbox)
	}
	// A request goes out with an inbox of edge-2's, which the KV reply
	// of the server reaches: JetStream answers on it.
	if _, err := nc.Request("$JS.API.STREAM.INFO.KV_sessions", nil, 5*time.Second); err != nil {
		t.Errorf("a request from edge-2: %v", err)
	}
	errs := make(chan error, 1)
	nc.SetErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case errs <- err:
		default:
		}
	})
	if _, err := nc.SubscribeSync("_INBOX.edge.1.>"); err != nil {
		t.Fatal(err)
	}
	_ = nc.Flush()
	select {
	case err := <-errs:
		if !strings.Contains(strings.ToLower(err.Error()), "permissions violation") {
			t.Errorf("subscribing to edge-1's inboxes: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Error("edge-2 may subscribe to edge-1's inboxes")
	}
}
