package providers

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/inference"
	"github.com/iglowly/assistant/workers/sanitiser"
	"github.com/iglowly/assistant/workers/stage"
)

// pipeline is a real embedded NATS server with the production users, the
// sanitiser and the inference worker serving as their own users, the
// latter with hosted models of the fakes; the edge's user asks, and the
// response worker's user reads what inference sends on.
type pipeline struct {
	*rig
	edge    *nats.Conn
	inbox   string
	respond *nats.Subscription
	logs    *testutil.LogBuffer
}

func newPipeline(t *testing.T, clinics ...*config.Clinic) *pipeline {
	t.Helper()
	s, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	conn := func(who string) *nats.Conn {
		nc, err := s.Connect(who)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(nc.Close)
		return nc
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := embedded.Provision(ctx, conn(embedded.Admin), embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	p := &pipeline{rig: newRig(t, Config{}), logs: &testutil.LogBuffer{}}
	log := slog.New(slog.NewJSONHandler(p.logs, nil))
	san, inf, resp := conn(embedded.Sanitiser), conn(embedded.Inference),
		conn(embedded.Response)
	if _, err := sanitiser.New(san, log, config.StaticClinics(clinics...)).Serve(ctx, 4); err != nil {
		t.Fatal(err)
	}
	w := inference.New(inf, log, config.StaticClinics(clinics...), p.models)
	if _, err := w.Serve(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if p.respond, err = resp.SubscribeSync("iglowly.*.chat.respond"); err != nil {
		t.Fatal(err)
	}
	// The server must hold every subscription before the first message:
	// on a loaded machine a question asked at once was lost.
	for _, nc := range []*nats.Conn{san, inf, resp} {
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	p.edge = conn(embedded.Edge)
	p.inbox = p.edge.NewInbox()
	return p
}

// ask sends a visitor's message to clinic as the edge does.
func (p *pipeline) ask(t *testing.T, clinic, text string, history ...schemas.Turn) {
	t.Helper()
	e, err := schemas.NewEvent(schemas.TypeMessageReceived, "/test", clinic,
		schemas.MessageReceived{Message: schemas.Chat(text), History: history})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := schemas.Encode(schemas.ChatSubject(clinic, schemas.StageSanitise), &e)
	if err != nil {
		t.Fatal(err)
	}
	msg.Reply = p.inbox
	if err := p.edge.PublishMsg(msg); err != nil {
		t.Fatal(err)
	}
}

// answer reads what inference sends on, up to the completion or the
// failure: the chunks' text joined, and the last event's type and data.
func (p *pipeline) answer(t *testing.T) (chunks []string, last string, data any) {
	t.Helper()
	for {
		msg, err := p.respond.NextMsg(10 * time.Second)
		if err != nil {
			t.Fatalf("after %d chunks: %v", len(chunks), err)
		}
		e, err := schemas.Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		switch e.Type() {
		case schemas.TypeAnswerChunk:
			var c schemas.AnswerChunk
			if err := schemas.DecodeData(&e, e.Type(), &c); err != nil || c.Seq != len(chunks) {
				t.Fatalf("chunk %d: seq %d, %v", len(chunks), c.Seq, err)
			}
			chunks = append(chunks, string(c.Text))
		case schemas.TypeAnswerCompleted:
			var c schemas.AnswerCompleted
			err = schemas.DecodeData(&e, e.Type(), &c)
			return chunks, e.Type(), c
		case schemas.TypeAnswerFailed:
			var f schemas.AnswerFailed
			err = schemas.DecodeData(&e, e.Type(), &f)
			return chunks, e.Type(), f
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// planted are personal values in the visitor's message and history.
var planted = []string{"jan.peeters@example.com", "0470 12 34 56"}

// TestPipelineThroughHostedModels sends a message with personal data in
// it and in the history through the sanitiser and the inference worker
// to each provider's fake: the provider sees the placeholders and none
// of the values, and its streamed answer goes on as chunks of whole
// sentences and a completion that carries the answer's sources. An error status of the provider becomes
// the worker's model_failed failure, and no log line holds a key, a
// planted value or what the provider wrote.
func TestPipelineThroughHostedModels(t *testing.T) {
	oc := clinic(t, "openai:gpt-test")
	ac := clinic(t, "anthropic:claude-test")
	ac.ID = "demo-anthropic"
	p := newPipeline(t, oc, ac)
	pieces := []string{"Botox kost bij ons ", "EUR 250 per zone. ",
		"Boek gerust ", "een afspraak via onze website."}
	for _, c := range []struct {
		clinic *config.Clinic
		fake   *fake
	}{{oc, p.fakes["openai"]}, {ac, p.fakes["anthropic"]}} {
		t.Run(c.fake.provider, func(t *testing.T) {
			c.fake.answer(script{pieces: pieces})
			p.ask(t, c.clinic.ID, "Mijn e-mail is jan.peeters@example.com. "+
				"Hoeveel kost botox?", schemas.Turn{Role: "user",
				Text: "Bel me op 0470 12 34 56"},
				schemas.Turn{Role: "assistant", Text: "Deel dat liever niet."})
			chunks, last, data := p.answer(t)
			if last != schemas.TypeAnswerCompleted ||
				strings.Join(chunks, "") != strings.Join(pieces, "") || len(chunks) != 2 {
				t.Fatalf("%s after chunks %q", last, chunks)
			}
			done := data.(schemas.AnswerCompleted)
			want := "Clinique Lumière: " + c.clinic.Treatments[0].Name.In(done.Lang)
			if len(done.Sources) != 1 || done.Sources[0].Title != want ||
				done.Sources[0].URL != c.clinic.Contact.Website {
				t.Errorf("sources %+v, want one: %q", done.Sources, want)
			}
			reqs := c.fake.requests()
			prompt := reqs[len(reqs)-1].prompt()
			if !strings.Contains(prompt, "[EMAIL_1]") || !strings.Contains(prompt, "[PHONE_1]") {
				t.Errorf("the prompt lacks the placeholders:\n%s", prompt)
			}
			for _, v := range planted {
				if strings.Contains(reqs[len(reqs)-1].raw, v) {
					t.Errorf("planted %q reached the provider", v)
				}
			}
			for _, status := range []int{401, 429, 500} {
				c.fake.answer(script{status: status})
				p.ask(t, c.clinic.ID, "Hoeveel kost botox?")
				_, last, data := p.answer(t)
				f, _ := data.(schemas.AnswerFailed)
				if last != schemas.TypeAnswerFailed || f.Code != stage.CodeModelFailed {
					t.Errorf("HTTP %d: %s %+v, want %s", status, last, data,
						stage.CodeModelFailed)
				}
			}
		})
	}
	logs := p.logs.String()
	if !strings.Contains(logs, "(HTTP 429)") {
		t.Errorf("the logs do not say what failed:\n%s", logs)
	}
	for _, v := range append(planted, openAIKey, anthropicKey, errorMarker, "Botox kost") {
		if strings.Contains(logs, v) {
			t.Errorf("the logs hold %q", v)
		}
	}
}
