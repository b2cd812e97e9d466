package edge

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/micro"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// stageService serves a stage's micro service as the stage's NATS user,
// as its worker does, with handle on its chat subject if given: the
// pings that tell the edge the stage has a worker are answered by the
// real micro package. It returns a func that stops the service and
// returns once the server knows.
func stageService(t *testing.T, ns *embedded.Server, user, name string,
	handle micro.HandlerFunc) func() {
	t.Helper()
	nc, err := ns.Connect(user)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	cfg := micro.Config{Name: name, Version: "0.0.1"}
	if handle != nil {
		cfg.Endpoint = &micro.EndpointConfig{Subject: "iglowly.*.chat.sanitise", Handler: handle}
	}
	svc, err := micro.AddService(nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := svc.Stop(); err != nil {
			t.Fatal(err)
		}
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPipelineWithoutAWorker runs an edge with a sanitiser that takes
// chats and never answers, as one whose next stage is gone would look,
// and the other stages' services. When inference loses its last worker
// the chat in flight fails with 503 once no reply came for the grace,
// not after the answer timeout; a new chat is refused at once, before
// it reaches NATS or costs a limit; /readyz says unavailable. Once
// inference is back, chats go through again.
func TestPipelineWithoutAWorker(t *testing.T) {
	defer func(g time.Duration) { lostGrace = g }(lostGrace)
	lostGrace = 100 * time.Millisecond
	ns := limitsNATS(t)
	taken := make(chan struct{}, 16)
	stageService(t, ns, embedded.Sanitiser, schemas.ServiceSanitiser,
		func(micro.Request) { taken <- struct{}{} })
	stopInference := stageService(t, ns, embedded.Inference, schemas.ServiceInference, nil)
	stageService(t, ns, embedded.Response, schemas.ServiceResponse, nil)

	raw, err := os.ReadFile("../config/demo/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	clinic, err := config.ParseClinic(raw)
	if err != nil {
		t.Fatal(err)
	}
	s, nc, _ := newEdgeWith(t, ns, Config{Limits: LooseTestLimits, PipelineCheck: time.Hour},
		config.StaticClinics(clinic))
	origin := clinic.AllowedOrigins[0]
	session := serve(s, "POST", "/v1/sessions", origin, "", `{"clinic":"`+clinic.ID+`"}`)
	if session.Code != http.StatusCreated {
		t.Fatalf("session: %d %s", session.Code, session.Body)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(session.Body.Bytes(), &tok); err != nil {
		t.Fatal(err)
	}
	chat := func() *httptest.ResponseRecorder {
		return serve(s, "POST", "/v1/chat", origin, tok.Token, `{"message":"Wat kost botox?"}`)
	}

	inFlight := make(chan *httptest.ResponseRecorder, 1)
	go func() { inFlight <- chat() }()
	waitTaken(t, taken)
	stopInference()
	s.pipe.check()
	select {
	case r := <-inFlight:
		if r.Code != 503 || !strings.Contains(r.Body.String(), `"code":"unavailable"`) {
			t.Errorf("the chat in flight: %d %s, want 503 unavailable", r.Code, r.Body)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the chat in flight waits on, for the answer timeout")
	}
	if r := get(s, "/readyz"); r.Code != 503 {
		t.Errorf("readyz without inference: %d, want 503", r.Code)
	}
	checkPipelineMetrics(t, s, "0", "1")
	before := limitValues(t, s.limits)
	if r := chat(); r.Code != 503 || r.Header().Get("Retry-After") == "" {
		t.Errorf("a chat without inference: %d %s, want 503 with Retry-After", r.Code, r.Body)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-taken:
		t.Error("a chat reached the sanitiser while inference had no worker")
	case <-time.After(100 * time.Millisecond):
	}
	for k, v := range limitValues(t, s.limits) {
		if before[k] != v {
			t.Errorf("refused chat changed limit %s: %s, then %s", k, before[k], v)
		}
	}

	stageService(t, ns, embedded.Inference, schemas.ServiceInference, nil)
	s.pipe.check()
	if r := get(s, "/readyz"); r.Code != 200 {
		t.Errorf("readyz with inference back: %d, want 200", r.Code)
	}
	checkPipelineMetrics(t, s, "1", "1")
	go func() { inFlight <- chat() }()
	waitTaken(t, taken)
}

// checkPipelineMetrics checks the pipeline's gauge and counter on the
// metrics listener.
func checkPipelineMetrics(t *testing.T, s *Server, up, downs string) {
	t.Helper()
	body := get(s.MetricsHandler(), "/metrics").Body.String()
	for _, want := range []string{"\niglowly_pipeline_up " + up + "\n",
		"\niglowly_pipeline_down_total " + downs + "\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", strings.TrimSpace(want))
		}
	}
}

func waitTaken(t *testing.T, taken <-chan struct{}) {
	t.Helper()
	select {
	case <-taken:
	case <-time.After(5 * time.Second):
		t.Fatal("the chat did not reach the sanitiser")
	}
}

// serve sends a request with an origin, a bearer token if given, and a
// JSON body to h.
func serve(h http.Handler, method, path, origin, token, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
