package providers

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/iglowly/assistant/config/secrets"
)

// The fakes below stand in for the remote services only. Each speaks its
// provider's real HTTP protocol: OpenAI's chat completions with
// "stream": true (server-sent "data: {…}" chunks, then "data: [DONE]"),
// and Anthropic's messages API (message_start, content_block_start,
// ping, content_block_delta…, content_block_stop, message_delta,
// message_stop). A script says what a request gets back.

// script is how a fake answers: the status, and for 200 the pieces of
// the answer; raw, if set, is sent instead of the stream the pieces make.
type script struct {
	status int
	pieces []string
	raw    string
	// stall, if set, is closed to end a stall: before the head when
	// stallAfter is 0, else after that many pieces.
	stall      chan struct{}
	stallAfter int
}

// request is what a fake received.
type request struct {
	path   string
	header http.Header
	body   map[string]any
	raw    string
}

type fake struct {
	*httptest.Server
	provider string
	mu       sync.Mutex
	next     script
	got      []request
}

func newFake(t testing.TB, provider string) *fake {
	t.Helper()
	f := &fake{provider: provider, next: script{status: 200, pieces: []string{"Hi."}}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// base is the URL to configure as the provider's base URL.
func (f *fake) base() string { return f.URL + "/v1" }

func (f *fake) answer(s script) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.status == 0 {
		s.status = 200
	}
	f.next = s
}

func (f *fake) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.got...)
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	req := request{path: r.URL.Path, header: r.Header.Clone(), raw: string(raw)}
	_ = json.Unmarshal(raw, &req.body)
	f.mu.Lock()
	f.got = append(f.got, req)
	s := f.next
	f.mu.Unlock()
	if s.stall != nil && s.stallAfter == 0 {
		select {
		case <-s.stall:
		case <-r.Context().Done():
		}
		return
	}
	if s.status != 200 {
		f.fail(w, s.status)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(200)
	if s.raw != "" {
		_, _ = io.WriteString(w, s.raw)
		return
	}
	f.stream(w, r, s)
}

// errorMarker is in every error body a fake sends: no error of this
// package may repeat it.
const errorMarker = "provider-said-ZQX"

func (f *fake) fail(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	kind := map[int]string{401: "authentication_error", 429: "rate_limit_error",
		529: "overloaded_error"}[status]
	if kind == "" {
		kind = "api_error"
	}
	fmt.Fprintf(w, `{"type":"error","error":{"type":%q,"message":"%s: invalid `+
		`api key; rate limit exceeded; your prompt was ..."}}`, kind, errorMarker)
}

func (f *fake) stream(w http.ResponseWriter, r *http.Request, s script) {
	// first is the index of the event with the first piece.
	events, first := openAIEvents(s.pieces), 1
	if f.provider == "anthropic" {
		events, first = anthropicEvents(s.pieces), 3
	}
	for i, e := range events {
		if s.stall != nil && i == first+s.stallAfter {
			select {
			case <-s.stall:
			case <-r.Context().Done():
				return
			}
		}
		_, _ = io.WriteString(w, e)
		w.(http.Flusher).Flush()
	}
}

// openAIEvents are a chat completions stream: a role delta, one content
// delta per piece, the finish, the usage chunk that stream_options
// asks for, and [DONE].
func openAIEvents(pieces []string) []string {
	chunk := func(delta, finish string) string {
		return `data: {"id":"chatcmpl-1","object":"chat.completion.chunk",` +
			`"created":1733280000,"model":"gpt-test","choices":[{"index":0,` +
			`"delta":` + delta + `,"finish_reason":` + finish + `}]}` + "\n\n"
	}
	out := []string{chunk(`{"role":"assistant","content":""}`, "null")}
	for _, p := range pieces {
		out = append(out, chunk(`{"content":`+quote(p)+`}`, "null"))
	}
	return append(out, chunk(`{}`, `"stop"`),
		`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1733280000,`+
			`"model":"gpt-test","choices":[],"usage":{"prompt_tokens":9,`+
			`"completion_tokens":3,"total_tokens":12}}`+"\n\n",
		"data: [DONE]\n\n")
}

// anthropicEvents are a messages stream with one text block.
func anthropicEvents(pieces []string) []string {
	ev := func(typ, data string) string {
		return "event: " + typ + "\ndata: " + data + "\n\n"
	}
	out := []string{
		ev("message_start", `{"type":"message_start","message":{"id":"msg_1",`+
			`"type":"message","role":"assistant","content":[],"model":"claude-test",`+
			`"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,`+
			`"output_tokens":1}}}`),
		ev("content_block_start", `{"type":"content_block_start","index":0,`+
			`"content_block":{"type":"text","text":""}}`),
		ev("ping", `{"type": "ping"}`),
	}
	for _, p := range pieces {
		out = append(out, ev("content_block_delta", `{"type":"content_block_delta",`+
			`"index":0,"delta":{"type":"text_delta","text":`+quote(p)+`}}`))
	}
	return append(out,
		ev("content_block_stop", `{"type":"content_block_stop","index":0}`),
		ev("message_delta", `{"type":"message_delta","delta":{"stop_reason":`+
			`"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}`),
		ev("message_stop", `{"type":"message_stop"}`))
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// testKeys are keys a test changes while calls run.
type testKeys struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *testKeys) Key(provider string) (secrets.Secret, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[provider]
	return secrets.NewSecret(v), ok
}

func (k *testKeys) set(provider, v string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[provider] = v
}

// prompt returns the text of every message of a request's body, as the
// provider received it: OpenAI's messages and Anthropic's system and
// messages, whatever form their content has.
func (r request) prompt() string {
	var b strings.Builder
	if s, ok := r.body["system"].(string); ok {
		b.WriteString(s + "\n")
	}
	msgs, _ := r.body["messages"].([]any)
	for _, m := range msgs {
		raw, _ := json.Marshal(m.(map[string]any)["content"])
		b.WriteString(string(raw) + "\n")
	}
	return b.String()
}
