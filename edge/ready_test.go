package edge

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// TestReadiness runs edges on an embedded NATS server with a service for
// each stage and takes away, one at a time, each part a chat needs:
// /readyz then answers 503 unavailable with Retry-After, while /healthz
// stays 200.
func TestReadiness(t *testing.T) {
	ns, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	admin, err := ns.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := embedded.Provision(context.Background(), admin,
		embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	stageService(t, ns, embedded.Sanitiser, schemas.ServiceSanitiser, nil)
	stageService(t, ns, embedded.Inference, schemas.ServiceInference, nil)
	stopResponse := stageService(t, ns, embedded.Response, schemas.ServiceResponse, nil)
	cases := []struct {
		name   string
		breaks func(s *Server, nc *nats.Conn, stop context.CancelFunc)
		status int
	}{
		{"everything up", func(*Server, *nats.Conn, context.CancelFunc) {}, 200},
		{"stopping", func(_ *Server, _ *nats.Conn, stop context.CancelFunc) { stop() }, 503},
		{"NATS connection closed", func(_ *Server, nc *nats.Conn, _ context.CancelFunc) {
			nc.Close()
		}, 503},
		{"reply inboxes unsubscribed", func(s *Server, _ *nats.Conn, _ context.CancelFunc) {
			_ = s.replies.sub.Unsubscribe()
		}, 503},
		// Last: the other cases need the stage.
		{"a stage without a worker", func(s *Server, _ *nats.Conn, _ context.CancelFunc) {
			stopResponse()
			s.pipe.check()
		}, 503},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, nc, stop := newTestEdge(t, ns)
			c.breaks(s, nc, stop)
			r := get(s, "/readyz")
			if r.Code != c.status {
				t.Fatalf("readyz: %d, want %d", r.Code, c.status)
			}
			if c.status == 503 && (r.Header().Get("Retry-After") != "5" ||
				!strings.Contains(r.Body.String(), `"code":"unavailable"`)) {
				t.Errorf("readyz refusal: %s, Retry-After %q", r.Body,
					r.Header().Get("Retry-After"))
			}
			if r := get(s, "/healthz"); r.Code != 200 {
				t.Errorf("healthz: %d, want 200", r.Code)
			}
		})
	}
}

// newTestEdge builds an edge of no clinic as the edge's user, stopped
// with the test.
func newTestEdge(t *testing.T, ns *embedded.Server) (*Server, *nats.Conn, context.CancelFunc) {
	t.Helper()
	return newEdgeWith(t, ns, Config{}, config.StaticClinics())
}

// newEdgeWith builds an edge with cfg, and test keys unless cfg has its
// own, serving clinics as the edge's user, stopped with the test.
func newEdgeWith(t *testing.T, ns *embedded.Server, cfg Config,
	clinics *config.ClinicStore) (*Server, *nats.Conn, context.CancelFunc) {
	t.Helper()
	nc, err := ns.Connect(embedded.Edge)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	if cfg.SigningKeys.Current.Key == nil {
		cfg.SigningKeys = Keys{Current: SigningKey{ID: 1, Key: make([]byte, 32)}}
	}
	if cfg.AddressKey == nil {
		cfg.AddressKey = []byte(strings.Repeat("a", 32))
	}
	s, err := New(ctx, cfg, nc, clinics, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s, nc, stop
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}
