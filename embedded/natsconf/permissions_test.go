package natsconf

import (
	"errors"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/embedded"
)

// stages maps each pipeline subject to the one component that may
// publish on it and the one that may read it.
var stages = []struct{ subject, publisher, reader string }{
	{"iglowly.demo.chat.sanitise", embedded.Edge, embedded.Sanitiser},
	{"iglowly.demo.chat.infer", embedded.Sanitiser, embedded.Inference},
	{"iglowly.demo.chat.respond", embedded.Inference, embedded.Response},
}

// permissionsNode starts a server from a generated configuration.
func permissionsNode(t *testing.T) *node {
	t.Helper()
	setEnv(t)
	c := load(t, "--name", "permissions", "--insecure-no-tls")
	return start(t, parse(t, writeConfig(t, c)), "", nil)
}

// violation publishes or subscribes on a fresh connection and reports
// whether the server refused it. The server sends its -ERR before the
// PONG of the flush, so LastError holds it once Flush returns.
func violation(t *testing.T, n *node, who string, act func(*nats.Conn) error) bool {
	t.Helper()
	nc := dial(t, n, who)
	if err := act(nc); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	err := nc.LastError()
	if err != nil && !errors.Is(err, nats.ErrPermissionViolation) {
		t.Fatalf("%s: %v, want nil or a permissions violation", who, err)
	}
	defer nc.Close()
	return err != nil
}

// received reports whether sub got a message since the last call: the
// server queued any message for the reader before it answered the
// publisher's flush, and the reader's own flush waits for it.
func received(t *testing.T, nc *nats.Conn, sub *nats.Subscription) bool {
	t.Helper()
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	n, _, err := sub.Pending()
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		_, _ = sub.NextMsg(0)
	}
	return n > 0
}

// TestPublishOnStages proves, with real clients of a server started
// from the generated configuration, that each stage's subject takes
// messages from its one publisher only: above all, nobody but the
// sanitiser reaches inference, and the edge cannot publish on infer.
func TestPublishOnStages(t *testing.T) {
	n := permissionsNode(t)
	for _, st := range stages {
		reader := dial(t, n, st.reader)
		sub, err := reader.SubscribeSync(st.subject)
		if err == nil {
			err = reader.Flush()
		}
		if err != nil || reader.LastError() != nil {
			t.Fatalf("%s cannot read its own stage: %v %v", st.reader, err, reader.LastError())
		}
		for _, who := range embedded.Components {
			allowed := who == st.publisher
			t.Run(who+" on "+st.subject, func(t *testing.T) {
				denied := violation(t, n, who, func(nc *nats.Conn) error {
					return nc.Publish(st.subject, []byte("hello"))
				})
				got := received(t, reader, sub)
				if denied == allowed || got != allowed {
					t.Errorf("denied=%v delivered=%v, want allowed=%v", denied,
						got, allowed)
				}
			})
		}
	}
}

// TestSubscribeOnStages proves that each stage's subject has one reader
// and that no component reads another's inbox or everything at once.
func TestSubscribeOnStages(t *testing.T) {
	n := permissionsNode(t)
	subjects := []string{">", "iglowly.>", "iglowly.*.chat.*"}
	for _, st := range stages {
		subjects = append(subjects, st.subject)
	}
	for _, c := range embedded.Components {
		subjects = append(subjects, embedded.InboxPrefix(c)+".x")
	}
	for _, who := range embedded.Components {
		for _, subject := range subjects {
			allowed := subject == embedded.InboxPrefix(who)+".x"
			for _, st := range stages {
				allowed = allowed || st.reader == who && st.subject == subject
			}
			t.Run(who+" "+subject, func(t *testing.T) {
				denied := violation(t, n, who, func(nc *nats.Conn) error {
					_, err := nc.SubscribeSync(subject)
					return err
				})
				if denied == allowed {
					t.Errorf("denied=%v, want allowed=%v", denied, allowed)
				}
			})
		}
	}
}

// TestEdgeInboxOnlyAsReply proves that nobody publishes on an edge inbox
// of its own accord, while each worker may answer, with several
// messages, the inbox a message it received names as its reply.
func TestEdgeInboxOnlyAsReply(t *testing.T) {
	n := permissionsNode(t)
	edge := dial(t, n, embedded.Edge)
	inbox, err := edge.SubscribeSync(embedded.InboxPrefix(embedded.Edge) + ".>")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range embedded.Components {
		t.Run(who+" publishes", func(t *testing.T) {
			denied := violation(t, n, who, func(nc *nats.Conn) error {
				return nc.Publish(embedded.InboxPrefix(embedded.Edge)+".own.1", []byte("x"))
			})
			if !denied || received(t, edge, inbox) {
				t.Errorf("%s published on an edge inbox", who)
			}
		})
	}
	for _, st := range stages {
		t.Run(st.reader+" replies", func(t *testing.T) {
			answerAsReply(t, n, st.publisher, st.reader, st.subject, edge, inbox)
		})
	}
}

// answerAsReply has from publish on subject with an edge inbox as its
// reply, and worker answer it twice.
func answerAsReply(t *testing.T, n *node, from, worker, subject string,
	edge *nats.Conn, inbox *nats.Subscription) {
	t.Helper()
	w := dial(t, n, worker)
	in, err := w.SubscribeSync(subject)
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Flush()
	reply := strings.TrimSuffix(inbox.Subject, ">") + "req." + worker
	if violation(t, n, from, func(nc *nats.Conn) error {
		return nc.PublishRequest(subject, reply, []byte("question"))
	}) {
		t.Fatalf("%s may not publish on %s", from, subject)
	}
	msg, err := in.NextMsg(5e9)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := msg.Respond([]byte("chunk")); err != nil {
			t.Fatal(err)
		}
	}
	_ = w.Flush()
	if err := w.LastError(); err != nil {
		t.Fatalf("%s may not answer: %v", worker, err)
	}
	for i := range 2 {
		if _, err := inbox.NextMsg(5e9); err != nil {
			t.Fatalf("the edge received %d answers, want 2 (streamed): %v", i, err)
		}
	}
	if received(t, edge, inbox) {
		t.Error("the edge received more than the 2 answers")
	}
}
