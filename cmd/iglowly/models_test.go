package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/schemas"
)

// chatFake stands in for an OpenAI-compatible endpoint: it answers each
// chat completions request with a short stream in the real format and
// records the Authorization header of each.
type chatFake struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
}

func newChatFake(t *testing.T) *chatFake {
	t.Helper()
	f := &chatFake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		f.mu.Lock()
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, d := range []string{`{"role":"assistant","content":""}`,
			`{"content":"Botox costs EUR 250 per zone."}`} {
			fmt.Fprintf(w, `data: {"id":"c1","object":"chat.completion.chunk",`+
				`"created":1,"model":"gpt-test","choices":[{"index":0,"delta":%s,`+
				`"finish_reason":null}]}`+"\n\n", d)
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *chatFake) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auth...)
}

// modelServer is an embedded NATS server on TCP with the demo clinics,
// the first of them answering with model.
func modelServer(t *testing.T, model string) *embedded.Server {
	t.Helper()
	ns := tcpNATS(t)
	clinics := provision(t, ns, "http://127.0.0.1:1")
	c := *clinics[0]
	c.Model = model
	nc, err := ns.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := embedded.PutClinic(context.Background(), nc, &c); err != nil {
		t.Fatal(err)
	}
	return ns
}

// TestInferenceRefusesAClinicWithoutItsKey starts the inference worker
// with an OpenAI key only, while a clinic's model is Anthropic's: it
// stops at start with an error that names the clinic and the provider,
// and not the key it has.
func TestInferenceRefusesAClinicWithoutItsKey(t *testing.T) {
	ns := modelServer(t, "anthropic:claude-test")
	user, pw := ns.Credentials(embedded.Inference)
	env := &testEnv{m: map[string]string{"IGLOWLY_NATS_PASSWORD": pw,
		"IGLOWLY_NATS_INSECURE": "true", "OPENAI_KEY": "sk-s3cr3t-openai"}}
	// A worker that starts serves until its context ends.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := workerMain(ctx, embedded.Inference, []string{
		"--nats", ns.ClientURL(), "--nats-user", user,
		"--model-keys", "openai=env://OPENAI_KEY"}, env.get, discard)
	if err == nil || !strings.Contains(err.Error(),
		"clinic demo: model provider anthropic has no API key") ||
		strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error %v, want one naming clinic demo and provider anthropic", err)
	}
}

// TestInferenceReportsAClinicChangedToAProviderWithoutItsKey starts the
// inference worker with an OpenAI key and a clinic on the local model,
// then changes the clinic to Anthropic's: the change is reported at
// once, naming the clinic and the provider and not the key, and the
// worker keeps serving.
func TestInferenceReportsAClinicChangedToAProviderWithoutItsKey(t *testing.T) {
	ns := modelServer(t, "local")
	user, pw := ns.Credentials(embedded.Inference)
	env := &testEnv{m: map[string]string{"IGLOWLY_NATS_PASSWORD": pw,
		"IGLOWLY_NATS_INSECURE": "true", "OPENAI_KEY": "sk-s3cr3t-openai"}}
	logs := &testutil.LogBuffer{}
	stop := startWorker(t, env, logs, "--nats", ns.ClientURL(), "--nats-user", user,
		"--model-keys", "openai=env://OPENAI_KEY")
	waitFor(t, func() bool { return strings.Contains(logs.String(), `"msg":"ready"`) })
	if strings.Contains(logs.String(), "clinic_model_unusable") {
		t.Fatalf("reported before any change:\n%s", logs.String())
	}

	admin, err := ns.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	c := *provision(t, ns, "http://127.0.0.1:1")[0]
	c.Model = "anthropic:claude-test"
	if err := embedded.PutClinic(context.Background(), admin, &c); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(logs.String(), "clinic_model_unusable") })
	line := ""
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "clinic_model_unusable") {
			line = l
		}
	}
	if !strings.Contains(line, `"clinic":"demo"`) || !strings.Contains(line, "anthropic") ||
		strings.Contains(logs.String(), "s3cr3t") {
		t.Errorf("the report names no clinic or provider, or a key: %s", line)
	}
	if err := stop(); err != nil {
		t.Errorf("worker exit: %v", err)
	}
}

// TestInferenceUsesTheRotatedKey runs the inference worker as its own
// process would, with a clinic on an OpenAI-compatible endpoint and the
// key in a variable: a message is answered through the endpoint with the
// key, and after the variable changes, the next message carries the new
// key, without a restart. No key is logged.
func TestInferenceUsesTheRotatedKey(t *testing.T) {
	fake := newChatFake(t)
	ns := modelServer(t, "openai:gpt-test")
	user, pw := ns.Credentials(embedded.Inference)
	env := &testEnv{m: map[string]string{"IGLOWLY_NATS_PASSWORD": pw,
		"IGLOWLY_NATS_INSECURE": "true", "OPENAI_KEY": "sk-first-key"}}
	logs := &testutil.LogBuffer{}
	stop := startWorker(t, env, logs, "--nats", ns.ClientURL(), "--nats-user", user,
		"--model-keys", "openai=env://OPENAI_KEY",
		"--model-endpoints", "openai="+fake.URL+"/v1", "--model-timeout", "10s")
	ask := askInference(t, ns)
	waitFor(t, func() bool { return strings.Contains(logs.String(), `"msg":"ready"`) })

	if got := ask(); got != schemas.TypeAnswerCompleted {
		t.Fatalf("first answer: %s", got)
	}
	env.set("OPENAI_KEY", "sk-second-key")
	waitFor(t, func() bool { return logged(logs.String(), "secret_reloaded", "model_keys") })
	if got := ask(); got != schemas.TypeAnswerCompleted {
		t.Fatalf("second answer: %s", got)
	}
	keys := fake.keys()
	if len(keys) != 2 || keys[0] != "Bearer sk-first-key" || keys[1] != "Bearer sk-second-key" {
		t.Errorf("keys sent %q, want the first key, then the second", keys)
	}
	if err := stop(); err != nil {
		t.Errorf("worker exit: %v", err)
	}
	if strings.Contains(logs.String(), "-key") || !strings.Contains(logs.String(),
		`"model_endpoints":"openai=`+fake.URL+`/v1"`) {
		t.Errorf("a key is logged, or the endpoint is not:\n%s", logs.String())
	}
}

// startWorker runs the inference worker's workerMain with env and a
// short reload interval; the function it returns stops it.
func startWorker(t *testing.T, env *testEnv, logs *testutil.LogBuffer,
	args ...string) func() error {
	t.Helper()
	old := keyReloadEvery
	keyReloadEvery = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- workerMain(ctx, embedded.Inference, args, env.get,
			slog.New(slog.NewJSONHandler(logs, nil)))
	}()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() { cancel(); err = <-done; keyReloadEvery = old })
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// askInference returns a function that sends a sanitised question for
// clinic demo as the sanitiser does and returns the type of the event
// that ends what inference sends on to the response worker.
func askInference(t *testing.T, ns *embedded.Server) func() string {
	t.Helper()
	san, err := ns.Connect(embedded.Sanitiser)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(san.Close)
	resp, err := ns.Connect(embedded.Response)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(resp.Close)
	sub, err := resp.SubscribeSync("iglowly.demo.chat.respond")
	if err != nil {
		t.Fatal(err)
	}
	return func() string {
		e, err := schemas.NewEvent(schemas.TypeMessageSanitised, "/test", "demo",
			schemas.MessageSanitised{Message: "How much is botox?", Lang: "en",
				Triage: schemas.Triage{Category: "none"}})
		if err != nil {
			t.Fatal(err)
		}
		msg, err := schemas.Encode(schemas.ChatSubject("demo", schemas.StageInfer), &e)
		if err != nil {
			t.Fatal(err)
		}
		msg.Header.Set(schemas.HeaderReplyTo, schemas.ReplyInboxPrefix+"test.1")
		if err := san.PublishMsg(msg); err != nil {
			t.Fatal(err)
		}
		return lastType(t, sub)
	}
}

func lastType(t *testing.T, sub *nats.Subscription) string {
	t.Helper()
	for {
		msg, err := sub.NextMsg(10 * time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if typ := msg.Header.Get("ce-type"); typ != schemas.TypeAnswerChunk {
			return typ
		}
	}
}
