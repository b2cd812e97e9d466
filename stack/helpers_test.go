package stack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/stack"
	"github.com/iglowly/assistant/workers/inference"
)

// recordingModels is the test model: it answers with the real local
// model, or with answer if set, and records every text any model
// receives, so a test can prove what reached the model.
type recordingModels struct {
	answer inference.Models
	mu     sync.Mutex
	seen   []string
}

func (m *recordingModels) Model(c *config.Clinic, lang string) (llms.Model, error) {
	var models inference.Models = inference.LocalModels{}
	if m.answer != nil {
		models = m.answer
	}
	inner, err := models.Model(c, lang)
	return &recordingModel{inner: inner, rec: m}, err
}

func (m *recordingModels) texts() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return strings.Join(m.seen, "\n")
}

type recordingModel struct {
	inner llms.Model
	rec   *recordingModels
}

func (m *recordingModel) GenerateContent(ctx context.Context, msgs []llms.MessageContent,
	opts ...llms.CallOption) (*llms.ContentResponse, error) {
	m.rec.mu.Lock()
	for _, msg := range msgs {
		for _, p := range msg.Parts {
			if t, ok := p.(llms.TextContent); ok {
				m.rec.seen = append(m.rec.seen, t.Text)
			}
		}
	}
	m.rec.mu.Unlock()
	return m.inner.GenerateContent(ctx, msgs, opts...)
}

func (m *recordingModel) Call(ctx context.Context, prompt string,
	opts ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, opts...)
}

// logBuffer collects every log line of the stack, for canary checks.
type logBuffer = testutil.LogBuffer

type testStack struct {
	*stack.Stack
	models *recordingModels
	logs   *logBuffer
	dir    string
}

func start(t *testing.T) *testStack {
	t.Helper()
	return startWith(t, nil)
}

// startWith starts a stack whose model is answer (the local model if
// nil), recorded as start records it.
func startWith(t *testing.T, answer inference.Models) *testStack {
	t.Helper()
	ts := &testStack{models: &recordingModels{answer: answer}, logs: &logBuffer{},
		dir: t.TempDir()}
	st, err := stack.Start(context.Background(), stack.Options{
		HTTPAddr: "127.0.0.1:0",
		StoreDir: ts.dir,
		Logger:   slog.New(slog.NewJSONHandler(ts.logs, nil)),
		Models:   ts.models,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.Stack = st
	t.Cleanup(func() { _ = st.Close() })
	return ts
}

// origin returns the dev origin allowed for a demo clinic: 127.0.0.1 for
// "demo", localhost for "demo-2".
func (ts *testStack) origin(clinic string) string {
	if clinic == "demo-2" {
		return strings.Replace(ts.URL(), "127.0.0.1", "localhost", 1)
	}
	return ts.URL()
}

func (ts *testStack) clinic(id string) *config.Clinic {
	for _, c := range ts.Clinics {
		if c.ID == id {
			return c
		}
	}
	return nil
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r reply) errorCode() string {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (ts *testStack) do(t *testing.T, method, path string, headers map[string]string,
	body string) reply {
	t.Helper()
	return doAt(t, ts.URL(), method, path, headers, body)
}

// doAt sends a request to the edge at base.
func doAt(t *testing.T, base, method, path string, headers map[string]string,
	body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// session opens a session for clinic from origin and returns its token.
func (ts *testStack) session(t *testing.T, clinic, origin string) string {
	t.Helper()
	r := ts.do(t, "POST", "/v1/sessions", map[string]string{
		"Content-Type": "application/json", "Origin": origin,
	}, `{"clinic":"`+clinic+`"}`)
	if r.status != 201 {
		t.Fatalf("session: status %d: %s", r.status, r.raw)
	}
	return r.body["token"].(string)
}

func (ts *testStack) chat(t *testing.T, token, origin, body string) reply {
	t.Helper()
	return ts.do(t, "POST", "/v1/chat", map[string]string{
		"Content-Type": "application/json", "Origin": origin,
		"Authorization": "Bearer " + token,
	}, body)
}

type sseEvent = testutil.SSEEvent

// chatSSE asks with Accept: text/event-stream and parses the events.
func (ts *testStack) chatSSE(t *testing.T, token, origin, body string) (int, []sseEvent) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL()+"/v1/chat", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Origin", origin)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	events := testutil.ReadSSE(t, resp.Body)
	return resp.StatusCode, events
}

// streamed checks that events are chunks followed by one done event and
// returns the chunks' text joined and the done event's answer.
func streamed(t *testing.T, events []sseEvent) (joined, answer string) {
	t.Helper()
	if len(events) < 2 {
		t.Fatalf("%d SSE events, want chunks and done", len(events))
	}
	var b strings.Builder
	for _, e := range events[:len(events)-1] {
		text, ok := e.Data["text"].(string)
		if e.Name != "chunk" || !ok {
			t.Fatalf("event %q before done: %v", e.Name, e.Data)
		}
		b.WriteString(text)
	}
	done := events[len(events)-1]
	answer, ok := done.Data["answer"].(string)
	if done.Name != "done" || !ok {
		t.Fatalf("last event %q: %v", done.Name, done.Data)
	}
	return b.String(), answer
}

// forge returns token with its last four characters changed: a token no
// key signed, never the token itself.
func forge(token string) string {
	f := token[:len(token)-4] + "AAAA"
	if f == token {
		f = token[:len(token)-4] + "BBBB"
	}
	return f
}
