package stack_test

import (
	"testing"
	"time"
)

// TestHealthAndReadiness checks /healthz and /readyz on a running stack,
// then stops NATS under the edge: the edge stays alive but is no longer
// ready, and says so with 503, unavailable and Retry-After.
func TestHealthAndReadiness(t *testing.T) {
	ts := start(t)
	for path, status := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		r := ts.do(t, "GET", path, nil, "")
		if r.status != 200 || r.body["status"] != status || len(r.body) != 1 {
			t.Errorf("%s: %d %s, want 200 status %s", path, r.status, r.raw, status)
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s may be cached", path)
		}
	}

	ts.NATS().Shutdown()
	r := ts.do(t, "GET", "/readyz", nil, "")
	for end := time.Now().Add(giveUp); r.status == 200 && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
		r = ts.do(t, "GET", "/readyz", nil, "")
	}
	if r.status != 503 || r.errorCode() != "unavailable" {
		t.Fatalf("readyz without NATS: %d %s, want 503 unavailable", r.status, r.raw)
	}
	if got := r.header.Get("Retry-After"); got != "5" {
		t.Errorf("Retry-After %q, want 5", got)
	}
	if r := ts.do(t, "GET", "/healthz", nil, ""); r.status != 200 {
		t.Errorf("healthz without NATS: %d, want 200: the process is alive", r.status)
	}
}
