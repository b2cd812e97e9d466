package stack_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// TestEdgeReportsRefusals checks the security events of refused requests:
// an auth failure is reported to the clinic its token or body names, by
// its code and request id, once that clinic is known for sure; a forged
// token, whose clinic cannot be trusted, is reported to no clinic.
func TestEdgeReportsRefusals(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	const marker = "SECMARKER42"
	wrong := ts.chat(t, token, "https://"+strings.ToLower(marker)+".example",
		`{"message":"hi `+marker+`"}`)
	if wrong.status != 403 {
		t.Fatalf("foreign origin: %d", wrong.status)
	}
	ended := ts.do(t, "DELETE", "/v1/sessions/current", map[string]string{
		"Origin": origin, "Authorization": "Bearer " + token}, "")
	if ended.status != 204 {
		t.Fatalf("ending the session: %d", ended.status)
	}
	if r := ts.chat(t, token, origin, `{"message":"hi"}`); r.errorCode() != "session_expired" {
		t.Fatalf("after the end: %d %s", r.status, r.raw)
	}
	forged := ts.chat(t, forge(token), origin, `{"message":"hi"}`)
	if forged.errorCode() != "invalid_token" {
		t.Fatalf("forged token: %d %s", forged.status, forged.raw)
	}

	js := adminJS(t, ts)
	var got []embedded.StoredSecurityEvent
	var err error
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < 2 && time.Now().Before(deadline) {
		got, err = embedded.ReadSecurityEvents(context.Background(), js, "demo",
			time.Now().Add(-time.Minute), 100)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	codes := map[string]string{}
	for _, e := range got {
		if e.Kind == schemas.SecAuthFailed {
			codes[e.Code] = e.RequestID
		}
	}
	if codes["origin_not_allowed"] != wrong.header.Get("X-Request-Id") ||
		codes["session_expired"] == "" {
		t.Errorf("demo's auth failures: %v", codes)
	}
	if _, ok := codes["invalid_token"]; ok {
		t.Error("a forged token was reported to the clinic it names")
	}
	raw, _ := json.Marshal(got)
	if strings.Contains(strings.ToLower(string(raw)), strings.ToLower(marker)) {
		t.Errorf("a security event holds what the client sent: %s", raw)
	}
}
