package stack_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/stack"
	"github.com/iglowly/assistant/workers/inference"
)

// startEdgeStack starts a stack whose inference worker asks models (the
// recording local model if nil) and whose edge has cfg.
func startEdgeStack(t *testing.T, models inference.Models, cfg edge.Config) *testStack {
	t.Helper()
	ts := &testStack{models: &recordingModels{}, logs: &logBuffer{}, dir: t.TempDir()}
	if models == nil {
		models = ts.models
	}
	st, err := stack.Start(context.Background(), stack.Options{
		HTTPAddr: "127.0.0.1:0",
		StoreDir: ts.dir,
		Logger:   slog.New(slog.NewJSONHandler(ts.logs, nil)),
		Models:   models,
		Edge:     cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.Stack = st
	t.Cleanup(func() { _ = st.Close() })
	return ts
}

// scriptedModels is a test model for every clinic: it answers by running
// its function with the request's context and the stream that sends the
// answer on, piece by piece.
type scriptedModels func(ctx context.Context,
	stream func(context.Context, []byte) error) (*llms.ContentResponse, error)

func (m scriptedModels) Model(*config.Clinic, string) (llms.Model, error) { return m, nil }

func (m scriptedModels) GenerateContent(ctx context.Context, _ []llms.MessageContent,
	opts ...llms.CallOption) (*llms.ContentResponse, error) {
	var o llms.CallOptions
	for _, opt := range opts {
		opt(&o)
	}
	stream := o.StreamingFunc
	if stream == nil {
		stream = func(context.Context, []byte) error { return nil }
	}
	return m(ctx, stream)
}

func (m scriptedModels) Call(ctx context.Context, prompt string,
	opts ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, opts...)
}

var errTestModelDown = errors.New("test model is down")

// neverAnswers never answers: it waits until the worker gives up.
var neverAnswers = scriptedModels(func(ctx context.Context,
	_ func(context.Context, []byte) error) (*llms.ContentResponse, error) {
	<-ctx.Done()
	return nil, ctx.Err()
})

// failsAtOnce fails at once, before it streams anything.
var failsAtOnce = scriptedModels(func(context.Context,
	func(context.Context, []byte) error) (*llms.ContentResponse, error) {
	return nil, errTestModelDown
})

// heldFirstSentence is what heldModel streams before it waits: one whole
// sentence, long enough to be a chunk of its own.
const heldFirstSentence = "The clinic is open on every weekday. "

// answerGate holds back the answers of a heldModel: each waits at it
// until the test lets one through.
type answerGate struct {
	// reached gets a value each time an answer reaches the gate.
	reached chan struct{}
	// pass lets one waiting answer through for each value sent.
	pass chan struct{}
}

func newAnswerGate() *answerGate {
	return &answerGate{reached: make(chan struct{}, 16), pass: make(chan struct{})}
}

// heldModel streams heldFirstSentence, then waits at g and either fails or
// ends the answer with one more sentence.
func heldModel(g *answerGate, fail bool) scriptedModels {
	return func(ctx context.Context,
		stream func(context.Context, []byte) error) (*llms.ContentResponse, error) {
		if err := stream(ctx, []byte(heldFirstSentence)); err != nil {
			return nil, err
		}
		g.reached <- struct{}{}
		select {
		case <-g.pass:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if fail {
			return nil, errTestModelDown
		}
		const rest = "Please call us to book."
		if err := stream(ctx, []byte(rest)); err != nil {
			return nil, err
		}
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{
			{Content: heldFirstSentence + rest}}}, nil
	}
}

// sseReader reads server-sent events one at a time, as they arrive.
type sseReader struct {
	resp   *http.Response
	events *testutil.SSEReader
}

// openSSE asks with Accept: text/event-stream and returns the response
// unread, for a test that acts between events.
func (ts *testStack) openSSE(t *testing.T, token, origin, body string) *sseReader {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL()+"/v1/chat", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Origin", origin)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &sseReader{resp: resp, events: testutil.NewSSEReader(resp.Body)}
}

// next returns the next event, or false at the end of the stream.
func (s *sseReader) next(t *testing.T) (sseEvent, bool) {
	t.Helper()
	return s.events.Next(t)
}

// sseError returns the code, message and request id of an error event.
func sseError(ev sseEvent) (code, message, id string) {
	e, _ := ev.Data["error"].(map[string]any)
	code, _ = e["code"].(string)
	message, _ = e["message"].(string)
	id, _ = e["request_id"].(string)
	return code, message, id
}

// readReply reads and closes resp, decoding a JSON body if there is one.
func readReply(t *testing.T, resp *http.Response) reply {
	t.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}
