package providers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/stack"
)

// TestWholeStackStreamsAHostedAnswer runs the whole assistant, edge
// included, with the demo clinic switched to Anthropic's fake through
// the clinics bucket, as an operator would switch it: a visitor's
// message with an e-mail address in it streams back over SSE as chunk
// events and a done event with the provider's answer, and the provider
// saw the placeholder, never the address; the done event lists the
// facts the answer shows as its sources.
func TestWholeStackStreamsAHostedAnswer(t *testing.T) {
	r := newRig(t, Config{})
	logs := &testutil.LogBuffer{}
	st, err := stack.Start(context.Background(), stack.Options{HTTPAddr: "127.0.0.1:0",
		StoreDir: t.TempDir(), Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Models: r.models})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	useModel(t, st, "demo", "anthropic:claude-test")
	f := r.fakes["anthropic"]
	f.answer(script{pieces: []string{"Botox kost bij ons EUR 250 ", "per zone. ",
		"Boek gerust een afspraak."}})
	token := session(t, st)
	const msg = `{"message":"Mail me op an.smet@example.org. Hoeveel kost botox?"}`
	deadline := time.Now().Add(5 * time.Second)
	for len(f.requests()) == 0 {
		// The worker sees the clinic's new model once its watch has it.
		if time.Now().After(deadline) {
			t.Fatal("the inference worker never used the clinic's new model")
		}
		chatSSE(t, st, token, msg)
	}
	events := chatSSE(t, st, token, msg)
	var chunks strings.Builder
	for _, e := range events[:len(events)-1] {
		if e.Name != "chunk" {
			t.Fatalf("event %q before done", e.Name)
		}
		chunks.WriteString(e.Data["text"].(string))
	}
	done := events[len(events)-1]
	answer, _ := done.Data["answer"].(string)
	if done.Name != "done" || !strings.Contains(answer, "EUR 250 per zone.") ||
		!strings.Contains(chunks.String(), "EUR 250 per zone. Boek gerust") {
		t.Fatalf("events %+v", events)
	}
	if !hasSource(done.Data, "Clinique Lumière: Anti-rimpelinjecties (botox)") {
		t.Errorf("done carries sources %v, want botox's in Dutch", done.Data["sources"])
	}
	last := f.requests()[len(f.requests())-1]
	if !strings.Contains(last.prompt(), "[EMAIL_1]") ||
		strings.Contains(last.raw, "an.smet") || strings.Contains(logs.String(), "an.smet") {
		t.Errorf("the address reached the provider or the logs, or no placeholder did")
	}
}

// hasSource reports whether an answer's data lists a source titled title.
func hasSource(data map[string]any, title string) bool {
	list, _ := data["sources"].([]any)
	for _, s := range list {
		if m, _ := s.(map[string]any); m["title"] == title {
			return true
		}
	}
	return false
}

// useModel stores clinic again with model, as the admin tools do.
func useModel(t *testing.T, st *stack.Stack, clinic, model string) {
	t.Helper()
	nc, err := st.NATS().Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for _, c := range st.Clinics {
		if c.ID == clinic {
			changed := *c
			changed.Model = model
			if err := embedded.PutClinic(context.Background(), nc, &changed); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no clinic %s", clinic)
}

func session(t *testing.T, st *stack.Stack) string {
	t.Helper()
	req, _ := http.NewRequest("POST", st.URL()+"/v1/sessions",
		strings.NewReader(`{"clinic":"demo"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", st.URL())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Token == "" {
		t.Fatalf("session: status %d, %v", resp.StatusCode, err)
	}
	return body.Token
}

// chatSSE sends a chat asking for a stream and returns its events.
func chatSSE(t *testing.T, st *stack.Stack, token, body string) []testutil.SSEEvent {
	t.Helper()
	req, _ := http.NewRequest("POST", st.URL()+"/v1/chat", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Origin", st.URL())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("chat: status %d: %s", resp.StatusCode, raw)
	}
	events := testutil.ReadSSE(t, resp.Body)
	if len(events) < 2 {
		t.Fatalf("%d events, want chunks and done", len(events))
	}
	return events
}
