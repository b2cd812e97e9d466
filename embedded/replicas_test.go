package embedded

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// allTwice runs two replicas of every component.
var allTwice = Replicas{Edge: 2, Sanitiser: 2, Inference: 2, Response: 2, Admin: 2}

// startReplicas starts a server with r's users.
func startReplicas(t *testing.T, r Replicas) *Server {
	t.Helper()
	s, err := Start(Options{StoreDir: t.TempDir(), Replicas: r})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

// subscribeDenied reports whether the server refuses user a
// subscription on subject.
func subscribeDenied(t *testing.T, s *Server, user, subject string) bool {
	t.Helper()
	nc, err := s.ConnectUser(user, nats.PermissionErrOnSubscribe(true))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	sub, err := nc.SubscribeSync(subject)
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.Flush()
	_, err = sub.NextMsg(100 * time.Millisecond)
	if err != nil && !errors.Is(err, nats.ErrPermissionViolation) &&
		!errors.Is(err, nats.ErrTimeout) {
		t.Fatalf("%s on %s: %v", user, subject, err)
	}
	return errors.Is(err, nats.ErrPermissionViolation)
}

// TestReplicasReadOnlyTheirOwnInboxes proves, on a real server with two
// replicas of every component, that each replica may subscribe to its
// own inboxes and to no other replica's, nor to every inbox at once.
func TestReplicasReadOnlyTheirOwnInboxes(t *testing.T) {
	s := startReplicas(t, allTwice)
	users := s.Users()
	if len(users) != 2*len(Components) {
		t.Fatalf("%d users, want two per component", len(users))
	}
	for _, u := range users {
		for _, other := range users {
			subject := other.InboxPrefix() + ".x7Gq2.1"
			t.Run(u.Name()+" "+subject, func(t *testing.T) {
				if got := subscribeDenied(t, s, u.Name(), subject); got == (u == other) {
					t.Errorf("denied=%v, want allowed=%v", got, u == other)
				}
			})
		}
		prefix := "_INBOX." + u.Component
		for _, subject := range []string{">", "_INBOX.>", prefix + ".>",
			prefix + ".*.x", u.InboxPrefix() + "0.x", prefix + "." + u.Name()} {
			t.Run(u.Name()+" "+subject, func(t *testing.T) {
				if !subscribeDenied(t, s, u.Name(), subject) {
					t.Errorf("%s may subscribe to %s", u.Name(), subject)
				}
			})
		}
	}
}

// TestEachEdgeReplicaGetsItsAnswers has a worker answer, with several
// messages, requests from two edge replicas, and checks that each edge
// gets its own answers and that the other, listening on every inbox it
// may, gets none of them.
func TestEachEdgeReplicaGetsItsAnswers(t *testing.T) {
	s := startReplicas(t, Replicas{Edge: 2, Response: 2})
	worker, err := s.ConnectUser("response-2")
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Close()
	in, err := worker.Subscribe("iglowly.*.chat.respond", func(m *nats.Msg) {
		for range 3 {
			_ = m.Respond(append([]byte("to "), m.Data...))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Unsubscribe()
	_ = worker.Flush()
	inference, err := s.ConnectUser(Inference)
	if err != nil {
		t.Fatal(err)
	}
	defer inference.Close()
	edges := map[string]*nats.Subscription{}
	for _, name := range []string{"edge-1", "edge-2"} {
		nc, err := s.ConnectUser(name)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		// Everything the replica may read: its own inboxes, where the
		// client makes its inboxes.
		u, _ := ParseUser(name)
		if edges[name], err = nc.SubscribeSync(u.InboxPrefix() + ".>"); err != nil {
			t.Fatal(err)
		}
		_ = nc.Flush()
		if nc.LastError() != nil || !strings.HasPrefix(nc.NewInbox(), u.InboxPrefix()+".") {
			t.Fatalf("%s: inbox %s, %v", name, nc.NewInbox(), nc.LastError())
		}
		// Inference hands the edge's inbox on as the reply, as in the
		// pipeline; the response worker may answer it.
		reply := strings.TrimSuffix(edges[name].Subject, ">") + "req.1"
		if err := inference.PublishRequest("iglowly.demo.chat.respond", reply,
			[]byte(name)); err != nil {
			t.Fatal(err)
		}
	}
	for name, sub := range edges {
		for range 3 {
			m, err := sub.NextMsg(5 * time.Second)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if string(m.Data) != "to "+name {
				t.Errorf("%s received %q, an answer meant for another edge", name, m.Data)
			}
		}
		if n, _, _ := sub.Pending(); n != 0 {
			t.Errorf("%s has %d more messages", name, n)
		}
	}
}

// TestReplyInboxOfEveryEdgeReplica checks that the workers' check of a
// reply inbox takes each edge replica's inboxes and no other user's.
func TestReplyInboxOfEveryEdgeReplica(t *testing.T) {
	users, err := allTwice.Users()
	if err != nil {
		t.Fatal(err)
	}
	users = append(users, User{Edge, 0}, User{Edge, config.MaxComponentReplicas},
		User{Sanitiser, 0})
	for _, u := range users {
		inbox := u.InboxPrefix() + ".Ab12cd.7"
		if got := schemas.ValidReplyInbox(inbox); got != (u.Component == Edge) {
			t.Errorf("ValidReplyInbox(%q) = %v", inbox, got)
		}
	}
}

// TestUsersOfReplicas checks the users each count gives, their names and
// inboxes, and that every bad count is named at once and refused by
// Start.
func TestUsersOfReplicas(t *testing.T) {
	users, err := Replicas{Edge: 3, Response: 1}.Users()
	if err != nil {
		t.Fatal(err)
	}
	var names, inboxes []string
	for _, u := range users {
		names, inboxes = append(names, u.Name()), append(inboxes, u.InboxPrefix())
		if back, ok := ParseUser(u.Name()); !ok || back != u {
			t.Errorf("ParseUser(%q) = %v %v", u.Name(), back, ok)
		}
		if !slices.Contains(u.Permissions().Subscribe.Allow, u.InboxPrefix()+".>") {
			t.Errorf("%s may not read its inboxes", u.Name())
		}
	}
	wantNames := []string{"edge-1", "edge-2", "edge-3", Sanitiser, Inference, Response, Admin}
	if !slices.Equal(names, wantNames) {
		t.Errorf("users %q, want %q", names, wantNames)
	}
	if inboxes[1] != "_INBOX.edge.2" || inboxes[3] != "_INBOX.sanitiser" {
		t.Errorf("inboxes %q", inboxes)
	}
	for _, bad := range []string{"edge-0", "edge-01", "edge-100", "intruder-1", "Edge",
		"edge-", "-1", "edge-1-2", "edge_1"} {
		if u, ok := ParseUser(bad); ok {
			t.Errorf("ParseUser(%q) = %v", bad, u)
		}
	}
	_, err = Replicas{Edge: 0, "intruder": 2, Sanitiser: 100}.Users()
	for _, want := range []string{"edge: 0", `"intruder"`, "sanitiser: 100"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q is not named in %v", want, err)
		}
	}
	if _, err := Start(Options{StoreDir: t.TempDir(), Replicas: Replicas{Edge: -1}}); err == nil {
		t.Error("Start accepted -1 edges")
	}
}

// TestConnectAsReplica checks that Connect takes a component's first
// replica and ConnectUser one named, and that neither takes a user the
// server does not have.
func TestConnectAsReplica(t *testing.T) {
	s := startReplicas(t, Replicas{Edge: 2})
	nc, err := s.Connect(Edge)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if !strings.HasPrefix(nc.NewInbox(), "_INBOX.edge.1.") {
		t.Errorf("Connect(edge) has inbox %s, want edge-1's", nc.NewInbox())
	}
	if user, pw := s.Credentials("edge-2"); user != "edge-2" || pw == "" ||
		pw == s.passwords["edge-1"] {
		t.Errorf("Credentials(edge-2) = %s, a password of its own: %v", user, pw != "")
	}
	for _, name := range []string{Edge, "edge-3", "sanitiser-1", "iglowly-violations"} {
		if nc, err := s.ConnectUser(name); err == nil {
			nc.Close()
			t.Errorf("connected as %s", name)
		}
	}
}
