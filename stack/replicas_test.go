package stack_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// TestEachEdgeReplicaGetsItsAnswers runs two edges, each logged in as a
// user of its own, and sends chats to both at once, French to one and
// Dutch to the other: every chat is answered, in its own language, so no
// answer reached the other edge. The edges' users read only their own
// inboxes.
func TestEachEdgeReplicaGetsItsAnswers(t *testing.T) {
	ts := start(t)
	other := secondEdge(t, ts)
	if _, err := ts.NewEdge(); err == nil {
		t.Error("a third edge started with two edge users")
	}
	users := edgeUsers(t, ts)
	if !slices.Equal(users, []string{"edge-1", "edge-2"}) {
		t.Fatalf("the edges are connected as %q, want edge-1 and edge-2", users)
	}
	origin := ts.origin("demo")
	asks := map[string]struct{ message, lang string }{
		ts.URL():  {"Combien coûte le botox ?", "fr"},
		other.URL: {"Hoeveel kost botox?", "nl"},
	}
	var wg sync.WaitGroup
	for base, ask := range asks {
		token := ts.session(t, "demo", origin)
		for range 8 {
			wg.Go(func() {
				r := doAt(t, base, "POST", "/v1/chat", h("application/json", origin, token),
					`{"message":"`+ask.message+`"}`)
				if r.status != 200 || r.body["lang"] != ask.lang {
					t.Errorf("%s: %d lang %v, want 200 in %s", base, r.status,
						r.body["lang"], ask.lang)
				}
			})
		}
	}
	wg.Wait()
	nc, err := ts.NATS().ConnectUser("edge-1", nats.PermissionErrOnSubscribe(true),
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for _, subject := range []string{"_INBOX.edge.2.>", "_INBOX.edge.>", "_INBOX.>"} {
		sub, err := nc.SubscribeSync(subject)
		if err != nil {
			t.Fatal(err)
		}
		_ = nc.Flush()
		if _, err := sub.NextMsg(100e6); err == nil || !strings.Contains(err.Error(),
			"Permissions Violation") {
			t.Errorf("edge-1 on %s: %v, want a permissions violation", subject, err)
		}
	}
}

// edgeUsers lists the users of the server's edge connections.
func edgeUsers(t *testing.T, ts *testStack) []string {
	t.Helper()
	cz, err := ts.NATS().NATS().Connz(&server.ConnzOptions{Username: true, Limit: 1024})
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, c := range cz.Conns {
		if strings.HasPrefix(c.AuthorizedUser, "edge") {
			users = append(users, c.AuthorizedUser)
		}
	}
	slices.Sort(users)
	return slices.Compact(users)
}
