package schemas

import (
	"testing"
	"time"

	"github.com/iglowly/assistant/internal/testutil"
)

// TestPublishReusesNothingOfTheLastMessage publishes through the pool
// an event with extra headers and a reply, then one without: the second
// must arrive with none of the first's headers, reply or data.
func TestPublishReusesNothingOfTheLastMessage(t *testing.T) {
	nc := testutil.InProcessNATS(t)
	sub, err := nc.SubscribeSync("t.>")
	if err != nil {
		t.Fatal(err)
	}
	first, _ := NewEvent(TypeAnswerChunk, "/a", "demo", AnswerChunk{Text: "first"})
	first.SetSubject("only-first")
	second, _ := NewEvent(TypeAnswerCompleted, "/b", "demo-2", AnswerFailed{Code: "x"})
	for i := 0; i < 3; i++ {
		if err := Publish(nc, "t.1", "_INBOX.edge.r", &first, HeaderReplyTo, "_INBOX.edge.x",
			HeaderTraceparent, NewTrace()); err != nil {
			t.Fatal(err)
		}
		if err := Publish(nc, "t.2", "", &second); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 6; i++ {
		msg, err := sub.NextMsg(2 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		e, err := Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		want, reply, hdr := &first, "_INBOX.edge.r", "_INBOX.edge.x"
		if msg.Subject == "t.2" {
			want, reply, hdr = &second, "", ""
		}
		if e.ID() != want.ID() || e.Subject() != want.Subject() || msg.Reply != reply ||
			msg.Header.Get(HeaderReplyTo) != hdr || string(msg.Data) != string(want.Data()) {
			t.Fatalf("message %d on %s: id %s subject %q reply %q reply-to %q data %s",
				i, msg.Subject, e.ID(), e.Subject(), msg.Reply, msg.Header.Get(HeaderReplyTo),
				msg.Data)
		}
		if c, _ := Clinic(&e); c != want.Extensions()[ExtClinic] {
			t.Fatalf("clinic %q", c)
		}
	}
}
