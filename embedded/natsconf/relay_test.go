package natsconf

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// relayNode starts a server from a configuration written with
// --security-relay, provisioned as admin, and a relay connected as its
// two users.
func relayNode(t *testing.T) (*node, *embedded.Relay) {
	t.Helper()
	setEnv(t)
	for _, u := range []string{embedded.RelayUser, embedded.RelaySystemUser} {
		t.Setenv(PasswordVar(u), password(u))
	}
	c := load(t, "--name", "relay", "--insecure-no-tls", "--security-relay")
	n := start(t, parse(t, writeConfig(t, c)), "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := embedded.Provision(ctx, dial(t, n, embedded.Admin),
		embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	r, err := embedded.StartRelay(dial(t, n, embedded.RelaySystemUser),
		dial(t, n, embedded.RelayUser))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return n, r
}

// systemEvents returns the stored events of the system pseudo-clinic
// once the relay has filed want of them, and the raw stored messages.
func systemEvents(t *testing.T, n *node, r *embedded.Relay,
	want int) ([]embedded.StoredSecurityEvent, []*jetstream.RawStreamMsg) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.Stats().Filed < uint64(want) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	js, err := jetstream.New(dial(t, n, embedded.Admin))
	if err != nil {
		t.Fatal(err)
	}
	events, err := embedded.ReadSecurityEvents(ctx, js, config.SystemClinic,
		time.Now().Add(-time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := js.Stream(ctx, embedded.StreamSecurity)
	if err != nil {
		t.Fatal(err)
	}
	var raw []*jetstream.RawStreamMsg
	for seq := uint64(1); ; seq++ {
		m, err := stream.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return events, raw
		}
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, m)
	}
}

// TestRelayFilesRefusedLogins proves, on a server from the generated
// configuration, that components work in the application account
// (JetStream included) and that each refused login becomes exactly one
// content-free auth_failed event of the system pseudo-clinic: the
// claimed user if it is a component's, "unknown" otherwise, and
// nothing of the password, the client's address or name.
func TestRelayFilesRefusedLogins(t *testing.T) {
	n, r := relayNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := jetstream.New(dial(t, n, embedded.Admin))
	if err != nil {
		t.Fatal(err)
	}
	kv, err := admin.KeyValue(ctx, embedded.BucketClinics)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(ctx, "demo", []byte(`{"name":"Demo"}`)); err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(dial(t, n, embedded.Response))
	if err != nil {
		t.Fatal(err)
	}
	read, err := js.KeyValue(ctx, embedded.BucketClinics)
	if err != nil {
		t.Fatalf("the response worker opens the clinics bucket: %v", err)
	}
	if e, err := read.Get(ctx, "demo"); err != nil || string(e.Value()) != `{"name":"Demo"}` {
		t.Fatalf("the response worker reads the clinics bucket: %v", err)
	}

	const badPassword = "planted-wrong-password-5d1e"
	const stranger = "planted-stranger-9c04"
	for _, login := range []struct{ user, want string }{
		{embedded.Edge, embedded.Edge},
		{stranger, "unknown"},
	} {
		nc, err := nats.Connect(n.ClientURL(), nats.UserInfo(login.user, badPassword),
			nats.Name("planted-client-name-77aa"), nats.NoReconnect())
		if err == nil {
			nc.Close()
			t.Fatalf("%s logged in with a wrong password", login.user)
		}
	}
	events, raw := systemEvents(t, n, r, 2)
	if len(events) != 2 {
		t.Fatalf("%d system events, want one per refused login: %+v", len(events), events)
	}
	for i, want := range []string{embedded.Edge, "unknown"} {
		ev := events[i]
		if ev.Kind != schemas.SecAuthFailed || ev.Code != "nats_login_failed" ||
			ev.Component != want {
			t.Errorf("event %d: %s %s by %q, want auth_failed nats_login_failed by %q",
				i, ev.Kind, ev.Code, ev.Component, want)
		}
	}
	for _, m := range raw {
		stored := string(m.Data) + m.Subject
		for k, v := range m.Header {
			stored += k + strings.Join(v, "")
		}
		for _, secret := range []string{badPassword, stranger, "127.0.0.1",
			"planted-client-name"} {
			if strings.Contains(stored, secret) {
				t.Errorf("a stored event holds %q", secret)
			}
		}
	}
}

// TestRelayUsersLeastPrivilege proves that the relay's users may do
// only their one job, and that no component may file the system
// pseudo-clinic's events.
func TestRelayUsersLeastPrivilege(t *testing.T) {
	n, _ := relayNode(t)
	system := schemas.SecuritySubject(config.SystemClinic, schemas.SecAuthFailed)
	publish := func(subject string) func(*nats.Conn) error {
		return func(nc *nats.Conn) error { return nc.Publish(subject, []byte("{}")) }
	}
	subscribe := func(subject string) func(*nats.Conn) error {
		return func(nc *nats.Conn) error {
			_, err := nc.SubscribeSync(subject)
			return err
		}
	}
	for _, c := range []struct {
		name, user string
		act        func(*nats.Conn) error
		denied     bool
	}{
		{"relay files a failed login", embedded.RelayUser, publish(system), false},
		{"relay files a clinic's event", embedded.RelayUser,
			publish("iglowly.demo.security.auth_failed"), true},
		{"relay reaches the sanitiser", embedded.RelayUser,
			publish("iglowly.demo.chat.sanitise"), true},
		{"relay reads chat", embedded.RelayUser, subscribe("iglowly.*.chat.>"), true},
		{"relay reads its inbox", embedded.RelayUser, subscribe("_INBOX.>"), true},
		{"relay reads advisories", embedded.RelaySystemUser,
			subscribe(embedded.AuthErrorAdvisories), false},
		{"relay reads all of $SYS", embedded.RelaySystemUser, subscribe("$SYS.>"), true},
		{"relay forges an advisory", embedded.RelaySystemUser,
			publish("$SYS.SERVER.x.CLIENT.AUTH.ERR"), true},
		{"relay asks the server", embedded.RelaySystemUser,
			publish("$SYS.REQ.SERVER.PING"), true},
		{"edge files a failed login", embedded.Edge, publish(system), true},
		{"sanitiser files a failed login", embedded.Sanitiser, publish(system), true},
		{"edge reads advisories", embedded.Edge,
			subscribe(embedded.AuthErrorAdvisories), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := violation(t, n, c.user, c.act); got != c.denied {
				t.Errorf("denied %v, want %v", got, c.denied)
			}
		})
	}
}

// TestRelayLimitsAFlood proves that a flood of refused logins files no
// more than the system pseudo-clinic's burst, and counts the rest.
func TestRelayLimitsAFlood(t *testing.T) {
	n, r := relayNode(t)
	const tries = 40
	began := time.Now()
	for range tries {
		nc, err := nats.Connect(n.ClientURL(), nats.UserInfo("flood", "guess"),
			nats.NoReconnect())
		if err == nil {
			nc.Close()
			t.Fatal("a wrong password logged in")
		}
	}
	refills := uint64(time.Since(began)/time.Second) + 1
	deadline := time.Now().Add(10 * time.Second)
	for s := r.Stats(); s.Filed+s.Limited+s.Dropped < tries; s = r.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("the relay saw %+v of %d refused logins", s, tries)
		}
		time.Sleep(10 * time.Millisecond)
	}
	s := r.Stats()
	// A burst of 20, and one more per second the flood lasted.
	if s.Filed < 20 || s.Filed > 20+refills || s.Limited != tries-s.Filed || s.Dropped != 0 {
		t.Errorf("stats %+v, want about 20 filed and the rest limited", s)
	}
	events, _ := systemEvents(t, n, r, int(s.Filed))
	if uint64(len(events)) != s.Filed {
		t.Errorf("%d events stored, %d filed", len(events), s.Filed)
	}
}
