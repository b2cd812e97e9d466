package embedded

import (
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// TestParseAdvisory checks that only a client_disconnect advisory is
// read, and only its claimed user.
func TestParseAdvisory(t *testing.T) {
	valid := `{"type":"io.nats.server.advisory.v1.client_disconnect",` +
		`"client":{"host":"203.0.113.9","user":"edge","name":"x"},` +
		`"reason":"Authentication Failure"}`
	for _, c := range []struct {
		name, data, user string
		ok               bool
	}{
		{"advisory", valid, "edge", true},
		{"no user", `{"type":"io.nats.server.advisory.v1.client_disconnect"}`, "", true},
		{"other type", `{"type":"io.nats.server.advisory.v1.client_connect",` +
			`"client":{"user":"edge"}}`, "", false},
		{"not json", `edge`, "", false},
		{"user of another type", `{"type":"io.nats.server.advisory.v1.client_disconnect",` +
			`"client":{"user":7}}`, "", false},
		{"oversize", valid[:len(valid)-1] + `,"pad":"` +
			strings.Repeat("a", maxAdvisory) + `"}`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			user, err := parseAdvisory([]byte(c.data))
			if (err == nil) != c.ok || user != c.user {
				t.Errorf("user %q, error %v; want %q, ok %v", user, err, c.user, c.ok)
			}
		})
	}
}

// TestRelayKeepsOnlyComponentUsers checks the names the relay keeps:
// every replica of a component, and nothing else.
func TestRelayKeepsOnlyComponentUsers(t *testing.T) {
	names := componentUserNames()
	for name, want := range map[string]bool{
		"edge": true, "edge-2": true, "admin": true, "response-99": true,
		"edge-100": false, "edge-02": false, "mallory": false, "": false,
		violationsUser: false, RelayUser: false, "203.0.113.9": false,
	} {
		if got := loginViolation(name, names).user == name; got != want {
			t.Errorf("%q kept %v, want %v", name, got, want)
		}
	}
}

// TestRelayCloseFilesQueued reads lines of violations and closes the
// relay at once: every one queued is filed before Close returns, none
// lost, so that a relay that saved how far it read has filed all it read.
func TestRelayCloseFilesQueued(t *testing.T) {
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT,
		NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("the server did not start")
	}
	conn := func() *nats.Conn {
		nc, err := nats.Connect(ns.ClientURL())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		return nc
	}
	events := make(chan *nats.Msg, violationQueue)
	watch := conn()
	if _, err := watch.ChanSubscribe("iglowly.demo.security.>", events); err != nil {
		t.Fatal(err)
	}
	if err := watch.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := StartRelay(conn(), conn())
	if err != nil {
		t.Fatal(err)
	}
	const n = violationQueue - 6
	for range n {
		r.SeeLogLine(`[ERR] 127.0.0.1:4 - cid:7 - "$G/user:edge" - Publish Violation - ` +
			`Subject "iglowly.demo.chat.infer"`)
	}
	r.Close()
	if s := r.Stats(); s.Filed != n || s.Dropped != 0 {
		t.Fatalf("filed %d, dropped %d; want %d and none", s.Filed, s.Dropped, n)
	}
	deadline := time.After(10 * time.Second)
	for got := 0; got < n; got++ {
		select {
		case <-events:
		case <-deadline:
			t.Fatalf("%d events received, want %d", got, n)
		}
	}
}
