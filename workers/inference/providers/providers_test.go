package providers

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/inference"
)

// The keys the tests configure; none may show in an error.
const (
	openAIKey    = "sk-test-0penai-KEY-1"
	anthropicKey = "sk-ant-test-KEY-1"
)

// rig is a fake of each provider and the models that reach them.
type rig struct {
	fakes  map[string]*fake
	keys   *testKeys
	models *Models
}

func newRig(t testing.TB, cfg Config) *rig {
	t.Helper()
	r := &rig{fakes: map[string]*fake{
		config.ProviderOpenAI:    newFake(t, config.ProviderOpenAI),
		config.ProviderAnthropic: newFake(t, config.ProviderAnthropic),
	}, keys: &testKeys{m: map[string]string{config.ProviderOpenAI: openAIKey,
		config.ProviderAnthropic: anthropicKey}}}
	cfg.BaseURLs = map[string]string{}
	for p, f := range r.fakes {
		cfg.BaseURLs[p] = f.base()
	}
	var err error
	if r.models, err = New(cfg, r.keys); err != nil {
		t.Fatal(err)
	}
	return r
}

// clinic returns a demo clinic whose model is model.
func clinic(t testing.TB, model string) *config.Clinic {
	t.Helper()
	demo, err := config.DemoClinics("http://127.0.0.1:8080", "http://localhost:8080")
	if err != nil {
		t.Fatal(err)
	}
	c := *demo[0]
	c.Model = model
	return &c
}

// question is a sanitised message as the sanitiser forwards it.
func question() *schemas.MessageSanitised {
	return &schemas.MessageSanitised{
		Message: "Mail me at [EMAIL_1]: how much is botox?",
		History: []schemas.Turn{{Role: "user", Text: "Hello"},
			{Role: "assistant", Text: "Hello! How can I help?"}},
		Lang: "en",
	}
}

// ask asks the clinic's model the question with the worker's prompt and
// returns the pieces streamed and the result.
func (r *rig) ask(t *testing.T, c *config.Clinic) ([]string, *llms.ContentResponse, error) {
	t.Helper()
	m, err := r.models.Model(c, "en")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var pieces []string
	resp, err := m.GenerateContent(context.Background(),
		inference.Prompt(c, "en", question()),
		llms.WithStreamingFunc(func(_ context.Context, b []byte) error {
			mu.Lock()
			defer mu.Unlock()
			if len(b) > 0 {
				pieces = append(pieces, string(b))
			}
			return nil
		}))
	mu.Lock()
	defer mu.Unlock()
	return pieces, resp, err
}

var hostedCases = []struct {
	name, model, key, header, prefix string
}{
	{config.ProviderOpenAI, "openai:gpt-test", openAIKey, "Authorization", "Bearer "},
	{config.ProviderAnthropic, "anthropic:claude-test", anthropicKey, "X-Api-Key", ""},
}

// TestHostedModelsStream checks each provider's request and its streamed
// answer: the key in the provider's header, the model named, streaming
// asked for, the worker's prompt (rules, clinic facts, history, the
// redacted question) in the body; the pieces arrive in order as they
// were sent, and the whole answer is the response.
func TestHostedModelsStream(t *testing.T) {
	r := newRig(t, Config{})
	for _, p := range hostedCases {
		t.Run(p.name, func(t *testing.T) {
			f := r.fakes[p.name]
			want := []string{"Botox costs ", "EUR 250. ", "Book at our site."}
			f.answer(script{pieces: want})
			c := clinic(t, p.model)
			got, resp, err := r.ask(t, c)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("streamed %q, want %q", got, want)
			}
			if resp.Choices[0].Content != strings.Join(want, "") {
				t.Errorf("answer %q", resp.Choices[0].Content)
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			checkRequest(t, reqs[0], p.header, p.prefix+p.key,
				strings.TrimPrefix(p.model, p.name+":"), c.Name)
		})
	}
}

func checkRequest(t *testing.T, req request, header, value, model, clinic string) {
	t.Helper()
	if got := req.header.Get(header); got != value {
		t.Errorf("%s header %q, want %q", header, got, value)
	}
	if req.body["model"] != model || req.body["stream"] != true {
		t.Errorf("model %v, stream %v", req.body["model"], req.body["stream"])
	}
	prompt := req.prompt()
	for _, want := range []string{"[EMAIL_1]", "how much is botox?",
		"Hello! How can I help?", clinic, "Never diagnose"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q:\n%s", want, prompt)
		}
	}
}

// TestProviderFailures checks that each error status of each provider
// becomes its kind of failure, from one request (no retry), with an
// error that names the provider and the status and repeats neither the
// key nor anything the provider wrote.
func TestProviderFailures(t *testing.T) {
	r := newRig(t, Config{})
	cases := []struct {
		status int
		kind   error
	}{
		{401, ErrAuth}, {403, ErrAuth}, {429, ErrRateLimited}, {500, ErrUnavailable},
		{503, ErrUnavailable}, {529, ErrUnavailable}, {400, ErrRejected},
		{404, ErrRejected}, {307, ErrRejected},
	}
	for _, p := range hostedCases {
		for _, c := range cases {
			t.Run(p.name+"/"+http.StatusText(c.status), func(t *testing.T) {
				f := r.fakes[p.name]
				before := len(f.requests())
				f.answer(script{status: c.status})
				_, _, err := r.ask(t, clinic(t, p.model))
				checkFailure(t, err, c.kind, p.name)
				if n := len(f.requests()) - before; n != 1 {
					t.Errorf("%d requests, want exactly 1", n)
				}
			})
		}
	}
}

func checkFailure(t *testing.T, err, kind error, provider string) {
	t.Helper()
	var e *Error
	if !errors.Is(err, kind) || !errors.As(err, &e) {
		t.Fatalf("error %v, want one of kind %v", err, kind)
	}
	if e.Provider != provider || !strings.HasPrefix(err.Error(), provider+": ") {
		t.Errorf("error %q does not name the provider %s", err, provider)
	}
	for _, secret := range []string{errorMarker, openAIKey, anthropicKey,
		"botox", "EMAIL"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q repeats %q", err, secret)
		}
	}
}

// TestRedirectIsNotFollowed checks that a redirect takes neither the key
// nor the prompt to where it points.
func TestRedirectIsNotFollowed(t *testing.T) {
	var hit bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter,
		*http.Request) {
		hit = true
	}))
	defer elsewhere.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	keys := &testKeys{m: map[string]string{"anthropic": anthropicKey}}
	m, err := New(Config{BaseURLs: map[string]string{"anthropic": redirect.URL}}, keys)
	if err != nil {
		t.Fatal(err)
	}
	model, _ := m.Model(clinic(t, "anthropic:claude-test"), "en")
	_, err = model.GenerateContent(context.Background(),
		inference.Prompt(clinic(t, ""), "en", question()))
	if !errors.Is(err, ErrRejected) || hit {
		t.Errorf("error %v, redirect followed: %v", err, hit)
	}
}

// TestStreamGuard checks the streams a provider may send that are not
// whole answers: each fails with its kind, none panics, and an event of
// a type langchaingo does not know is dropped before it could log it.
func TestStreamGuard(t *testing.T) {
	r := newRig(t, Config{})
	start := anthropicEvents(nil)[:2]
	stop := anthropicEvents(nil)[3:]
	cases := []struct {
		provider, raw string
		kind          error // nil: the answer is whole
	}{
		{"openai", strings.Join(openAIEvents([]string{"Cut "})[:2], ""), ErrBadResponse},
		{"openai", `data: {"error":{"message":"` + errorMarker + `","type":"server_error"}}` +
			"\n\n", ErrUnavailable},
		{"openai", strings.Repeat("x", 40<<10) + "\n", ErrBadResponse},
		{"anthropic", strings.Join(start, ""), ErrBadResponse},
		{"anthropic", strings.Join(start, "") + "event: error\ndata: " +
			`{"type":"error","error":{"type":"overloaded_error","message":"` +
			errorMarker + `"}}` + "\n\n", ErrUnavailable},
		{"anthropic", strings.Join(start, "") + "data: " + `{"type":"content_block_delta",` +
			`"index":-1,"delta":{"type":"text_delta","text":"x"}}` + "\n\n", ErrBadResponse},
		{"anthropic", "data: " + `{"type":"content_block_delta","index":3,` +
			`"delta":{"type":"text_delta","text":"x"}}` + "\n\n", ErrBadResponse},
		{"anthropic", "data: not json\n\n", ErrBadResponse},
		{"anthropic", strings.Join(start, "") + "event: novel\ndata: " +
			`{"type":"novel_event","text":"` + errorMarker + `"}` + "\n\n" +
			strings.Join(stop, ""), nil},
	}
	var logged bytes.Buffer
	was := log.Writer()
	log.SetOutput(&logged)
	defer log.SetOutput(was)
	for i, c := range cases {
		f := r.fakes[c.provider]
		f.answer(script{raw: c.raw})
		_, _, err := r.ask(t, clinic(t, c.provider+":m"))
		if c.kind == nil && err != nil {
			t.Errorf("case %d: %v", i, err)
		}
		if c.kind != nil {
			checkFailure(t, err, c.kind, c.provider)
		}
	}
	if strings.Contains(logged.String(), errorMarker) {
		t.Errorf("a provider's event reached the log: %s", logged.String())
	}
}

// TestRotatedKeyIsUsedOnTheNextCall changes a key between two calls: the
// second carries the new key.
func TestRotatedKeyIsUsedOnTheNextCall(t *testing.T) {
	r := newRig(t, Config{})
	for _, p := range hostedCases {
		c := clinic(t, p.model)
		if _, _, err := r.ask(t, c); err != nil {
			t.Fatal(err)
		}
		r.keys.set(p.name, p.key+"-rotated")
		if _, _, err := r.ask(t, c); err != nil {
			t.Fatal(err)
		}
		reqs := r.fakes[p.name].requests()
		first, second := reqs[len(reqs)-2], reqs[len(reqs)-1]
		if first.header.Get(p.header) != p.prefix+p.key ||
			second.header.Get(p.header) != p.prefix+p.key+"-rotated" {
			t.Errorf("%s: keys %q then %q", p.name, first.header.Get(p.header),
				second.header.Get(p.header))
		}
	}
}

// TestSlowProviderTimesOut checks that a provider that sends nothing,
// or stops in the middle of its answer, fails the call with ErrTimeout
// once the call's time is up, after what it did send was streamed.
func TestSlowProviderTimesOut(t *testing.T) {
	r := newRig(t, Config{Timeout: 300 * time.Millisecond})
	for _, p := range hostedCases {
		for _, after := range []int{0, 1} {
			stall := make(chan struct{})
			f := r.fakes[p.name]
			f.answer(script{pieces: []string{"First. ", "Second."}, stall: stall,
				stallAfter: after})
			pieces, _, err := r.ask(t, clinic(t, p.model))
			close(stall)
			checkFailure(t, err, ErrTimeout, p.name)
			if after == 1 && (len(pieces) != 1 || pieces[0] != "First. ") {
				t.Errorf("%s: streamed %q before the stall, want the first piece",
					p.name, pieces)
			}
		}
	}
}

// TestStreamingFuncErrorIsTheCallers checks that an error of the
// caller's streaming function, such as a failed publish, comes back as
// it is and ends the call.
func TestStreamingFuncErrorIsTheCallers(t *testing.T) {
	r := newRig(t, Config{})
	stop := errors.New("publish failed")
	for _, p := range hostedCases {
		r.fakes[p.name].answer(script{pieces: []string{"One. ", "Two. ", "Three."}})
		m, _ := r.models.Model(clinic(t, p.model), "en")
		calls := 0
		_, err := m.GenerateContent(context.Background(),
			inference.Prompt(clinic(t, ""), "en", question()),
			llms.WithStreamingFunc(func(context.Context, []byte) error {
				calls++
				return stop
			}))
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("%s: error %v after %d calls, want %v after 1", p.name, err,
				calls, stop)
		}
	}
}

// TestUnreachableProvider checks that a provider that cannot be reached
// is ErrUnreachable.
func TestUnreachableProvider(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	keys := &testKeys{m: map[string]string{"openai": openAIKey}}
	m, err := New(Config{BaseURLs: map[string]string{"openai": url}}, keys)
	if err != nil {
		t.Fatal(err)
	}
	model, _ := m.Model(clinic(t, "openai:m"), "en")
	_, err = model.GenerateContent(context.Background(),
		inference.Prompt(clinic(t, ""), "en", question()))
	checkFailure(t, err, ErrUnreachable, "openai")
}

// TestModelChoice checks which model each clinic gets: the local model
// for "" and "local", a hosted one for a provider with a key, and an
// error naming the clinic and the provider, not the key, otherwise.
func TestModelChoice(t *testing.T) {
	keys := &testKeys{m: map[string]string{"openai": openAIKey}}
	m, err := New(Config{}, keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, model := range []string{"", "local"} {
		got, err := m.Model(clinic(t, model), "en")
		if _, hosted := got.(*hosted); err != nil || hosted {
			t.Errorf("model %q: %T, %v; want the local model", model, got, err)
		}
	}
	if got, err := m.Model(clinic(t, "openai:gpt-4o-mini"), "en"); err != nil {
		t.Errorf("openai: %v", err)
	} else if h := got.(*hosted); h.base != DefaultOpenAIURL {
		t.Errorf("openai base %q", h.base)
	}
	_, err = m.Model(clinic(t, "anthropic:claude-test"), "en")
	var nk *NoKeyError
	if !errors.As(err, &nk) || nk.Provider != "anthropic" || nk.Clinic != "demo" ||
		strings.Contains(err.Error(), openAIKey) {
		t.Errorf("anthropic without a key: %v", err)
	}
	bad := clinic(t, "anthropic:claude-test")
	bad.ID = "other"
	err = m.Check([]*config.Clinic{clinic(t, "openai:x"), bad, clinic(t, "")})
	if err == nil || !strings.Contains(err.Error(), "clinic other: model provider "+
		"anthropic has no API key") || strings.Contains(err.Error(), "demo") {
		t.Errorf("Check: %v", err)
	}
}

// TestConfigValidation checks the base URLs that are refused.
func TestConfigValidation(t *testing.T) {
	keys := &testKeys{m: map[string]string{}}
	good := []string{"https://api.mistral.ai/v1", "http://127.0.0.1:8000/v1",
		"http://localhost:11434/v1", "http://[::1]:8000/v1"}
	for _, u := range good {
		if _, err := New(Config{BaseURLs: map[string]string{"openai": u}}, keys); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	bad := map[string]string{
		"http://api.example.eu/v1":     "want https",
		"https://user:pw@api.example":  "no user",
		"https://api.example/v1?key=x": "no user, query",
		"/v1":                          "absolute",
		"ftp://api.example/v1":         "want https",
	}
	for u, want := range bad {
		_, err := New(Config{BaseURLs: map[string]string{"openai": u}}, keys)
		if err == nil || !strings.Contains(err.Error(), want) ||
			!strings.Contains(err.Error(), "model endpoint openai") {
			t.Errorf("%s: %v, want an error with %q", u, err, want)
		}
	}
	_, err := New(Config{BaseURLs: map[string]string{"mistral": "https://x.example"}}, keys)
	if err == nil || !strings.Contains(err.Error(), `"mistral": unknown provider`) {
		t.Errorf("unknown provider: %v", err)
	}
}

// TestConnectTimeout checks that a provider that takes the connection
// but never completes the TLS handshake fails the call with ErrTimeout
// once the connect timeout is up, not the whole call's.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, silent, until the test ends
		}
	}()
	keys := &testKeys{m: map[string]string{"openai": openAIKey}}
	m, err := New(Config{BaseURLs: map[string]string{"openai": "https://" +
		ln.Addr().String() + "/v1"}, ConnectTimeout: 100 * time.Millisecond,
		Timeout: 10 * time.Minute}, keys)
	if err != nil {
		t.Fatal(err)
	}
	model, _ := m.Model(clinic(t, "openai:m"), "en")
	// Were the connect timeout not applied, this deadline would end the
	// call, with no word of the handshake.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = model.GenerateContent(ctx, inference.Prompt(clinic(t, ""), "en", question()))
	checkFailure(t, err, ErrTimeout, "openai")
	if !strings.Contains(err.Error(), "TLS handshake timeout") {
		t.Errorf("error %q does not say the handshake timed out", err)
	}
}
