package stack_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
)

// TestSecurityHeadersEverywhere sends a request to every endpoint, with
// answers of every kind (success, redirect, not modified, each class of
// error, a rate limit, a paused clinic, a streamed answer), over HTTP and
// over HTTPS: every response has the security headers, HSTS exactly over
// HTTPS, and none sets a cookie.
func TestSecurityHeadersEverywhere(t *testing.T) {
	limits := edge.Limits{SessionChats: config.Rate{N: 2, Per: time.Minute},
		AddressChats: loose, AddressSessions: loose}
	t.Run("http", func(t *testing.T) {
		ts := startEdgeStack(t, nil, edge.Config{Limits: limits})
		checkHeaders(t, ts, clientFrom("127.0.0.1", nil), false)
	})
	t.Run("https", func(t *testing.T) {
		ts, pool := startHTTPS(t, edge.Config{Limits: limits})
		checkHeaders(t, ts, clientFrom("127.0.0.1", pool), true)
	})
}

type headerCase struct {
	name, method, path string
	headers            map[string]string
	body               string
	status             int
}

func checkHeaders(t *testing.T, ts *testStack, c *http.Client, https bool) {
	changeClinic(t, ts, []string{ts.URL()}, "demo-2", "(paused)",
		func(c *config.Clinic) { c.Paused = true })
	base, origin := ts.URL(), ts.origin("demo")
	// The edge learns of the pause from its watch of the clinics bucket.
	for deadline := time.Now().Add(5 * time.Second); ; {
		r := doFrom(t, c, base, "POST", "/v1/sessions",
			h("application/json", ts.origin("demo-2"), ""), `{"clinic":"demo-2"}`)
		if r.errorCode() == "clinic_paused" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo-2 is not paused: %d %s", r.status, r.raw)
		}
		time.Sleep(5 * time.Millisecond)
	}
	token := sessionFrom(t, c, base, "demo", origin)
	other := sessionFrom(t, c, base, "demo", origin)
	etag := doFrom(t, c, base, "GET", "/widget.js", nil, "").header.Get("ETag")
	j := func(token string) map[string]string { return h("application/json", origin, token) }
	sse := j(token)
	sse["Accept"] = "text/event-stream"
	cases := []headerCase{
		{"session", "POST", "/v1/sessions", j(""), `{"clinic":"demo"}`, 201},
		{"session, bad JSON", "POST", "/v1/sessions", j(""), `{`, 400},
		{"session, wrong origin", "POST", "/v1/sessions",
			h("application/json", "https://evil.example", ""), `{"clinic":"demo"}`, 403},
		{"session, unknown clinic", "POST", "/v1/sessions", j(""), `{"clinic":"nope"}`, 404},
		{"session, wrong type", "POST", "/v1/sessions", h("text/plain", origin, ""), `x`, 415},
		{"session, paused clinic", "POST", "/v1/sessions",
			h("application/json", ts.origin("demo-2"), ""), `{"clinic":"demo-2"}`, 503},
		{"preflight", "OPTIONS", "/v1/chat", map[string]string{"Origin": origin}, "", 204},
		{"chat", "POST", "/v1/chat", j(token), `{"message":"hi"}`, 200},
		{"chat, streamed", "POST", "/v1/chat", sse, `{"message":"hi"}`, 200},
		{"chat, rate limited", "POST", "/v1/chat", j(token), `{"message":"hi"}`, 429},
		{"chat, no token", "POST", "/v1/chat", j(""), `{"message":"hi"}`, 401},
		{"chat, empty", "POST", "/v1/chat", j(other), `{"message":" "}`, 422},
		{"chat, wrong method", "GET", "/v1/chat", nil, "", 405},
		{"end session", "DELETE", "/v1/sessions/current", j(other), "", 204},
		{"end session again", "DELETE", "/v1/sessions/current", j(other), "", 401},
		{"health", "GET", "/healthz", nil, "", 200},
		{"readiness", "GET", "/readyz", nil, "", 200},
		{"metrics, on the internal listener only", "GET", "/metrics", nil, "", 404},
		{"widget", "GET", "/widget.js", nil, "", 200},
		{"widget, head", "HEAD", "/widget.js", nil, "", 200},
		{"widget, not modified", "GET", "/widget.js", map[string]string{"If-None-Match": etag},
			"", 304},
		{"widget, other method", "POST", "/widget.js", nil, "", 404},
		{"stylesheet", "GET", "/demo.css", nil, "", 200},
		{"demo page", "GET", "/demo", nil, "", 200},
		{"demo page, unknown clinic", "GET", "/demo?clinic=nope", nil, "", 404},
		{"demo page, bad clinic", "GET", "/demo?clinic=NO!", nil, "", 400},
		{"root", "GET", "/", nil, "", 302},
		{"no such endpoint", "GET", "/nope", nil, "", 404},
		{"unclean path", "GET", "/v1/../healthz", nil, "", 404},
	}
	for _, k := range cases {
		r := doFrom(t, c, base, k.method, k.path, k.headers, k.body)
		if r.status != k.status {
			t.Errorf("%s: status %d, want %d: %s", k.name, r.status, k.status, r.raw)
		}
		checkHeaderSet(t, k, r.header, https)
	}
}

func checkHeaderSet(t *testing.T, k headerCase, hd http.Header, https bool) {
	t.Helper()
	want := map[string]string{"X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "no-referrer"}
	for name, v := range want {
		if got := hd.Get(name); got != v {
			t.Errorf("%s: %s %q, want %q", k.name, name, got, v)
		}
	}
	csp := hd.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", k.name, csp)
	}
	if hd.Get("X-Request-Id") == "" {
		t.Errorf("%s: no request id", k.name)
	}
	if c := hd.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("%s: sets a cookie", k.name)
	}
	if hsts := hd.Get("Strict-Transport-Security"); (hsts != "") != https {
		t.Errorf("%s: HSTS %q over HTTPS=%v", k.name, hsts, https)
	}
}
