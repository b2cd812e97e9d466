package stack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/iglowly/assistant/embedded"
)

// marker is planted in hostile input; no refusal may echo it.
const marker = "zqxjmarker"

// hostileRequest is a request with headers that may repeat.
type hostileRequest struct {
	name    string
	method  string
	path    string
	headers [][2]string
	body    string
	status  int
	code    string
}

// TestHostileRequests sends what an attacker might: repeated or odd
// headers, odd Authorization forms, foreign origins, unclean paths and
// bodies that bend the schema. Each gets a JSON error with its status and
// code that echoes nothing, and none creates or ends a session.
func TestHostileRequests(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	before := countSessions(t, ts)
	for _, c := range hostileCases(origin, token) {
		t.Run(c.name, func(t *testing.T) {
			resp := sendHostile(t, ts.URL(), c)
			if resp.status != c.status || resp.errorCode() != c.code {
				t.Fatalf("got %d %q, want %d %s: %s", resp.status, resp.errorCode(),
					c.status, c.code, resp.raw)
			}
			if !strings.HasPrefix(resp.header.Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", resp.header.Get("Content-Type"))
			}
			if c.status == 405 && resp.header.Get("Allow") != "POST, OPTIONS" {
				t.Errorf("Allow %q, want POST, OPTIONS", resp.header.Get("Allow"))
			}
			if strings.Contains(strings.ToLower(resp.raw), marker) {
				t.Errorf("the refusal echoes the input: %s", resp.raw)
			}
		})
	}
	if after := countSessions(t, ts); after != before {
		t.Errorf("%d sessions after the refused requests, want %d", after, before)
	}
	if r := ts.chat(t, token, origin, `{"message":"Hoeveel kost botox?"}`); r.status != 200 {
		t.Errorf("session broken after refused requests: %d %s", r.status, r.errorCode())
	}
}

func hostileCases(origin, token string) []hostileRequest {
	ct := [2]string{"Content-Type", "application/json"}
	org := [2]string{"Origin", origin}
	auth := [2]string{"Authorization", "Bearer " + token}
	chat := func(name, body string, status int, code string) hostileRequest {
		return hostileRequest{name, "POST", "/v1/chat", [][2]string{ct, org, auth},
			body, status, code}
	}
	withAuth := func(name, value, code string) hostileRequest {
		return hostileRequest{name, "POST", "/v1/chat",
			[][2]string{ct, org, {"Authorization", value}}, `{"message":"hi"}`, 401, code}
	}
	session, hi := `{"clinic":"demo"}`, `{"message":"hi"}`
	return []hostileRequest{
		{"two tokens, good first", "POST", "/v1/chat", [][2]string{ct, org, auth,
			{"Authorization", "Bearer " + marker}}, hi, 400, "duplicate_header"},
		{"two tokens, good last", "POST", "/v1/chat", [][2]string{ct, org,
			{"Authorization", "Bearer " + marker}, auth}, hi, 400, "duplicate_header"},
		{"two origins", "POST", "/v1/sessions", [][2]string{ct, org,
			{"Origin", "https://" + marker + ".example"}}, session, 400, "duplicate_header"},
		{"two content types", "POST", "/v1/sessions", [][2]string{ct, org,
			{"Content-Type", "text/plain"}}, session, 400, "duplicate_header"},
		{"two tokens on delete", "DELETE", "/v1/sessions/current", [][2]string{org, auth,
			auth}, "", 400, "duplicate_header"},
		withAuth("lower-case scheme, garbage", "bearer "+marker, "invalid_token"),
		withAuth("scheme only", "Bearer", "invalid_token"),
		withAuth("two spaces", "Bearer  "+token, "invalid_token"),
		withAuth("tab", "Bearer\t"+token, "invalid_token"),
		withAuth("word after the token", "Bearer "+token+" "+marker, "invalid_token"),
		withAuth("space inside the token", "Bearer "+token[:10]+" "+token[10:], "invalid_token"),
		withAuth("token twice", "Bearer "+token+", Bearer "+token, "invalid_token"),
		withAuth("huge token", "Bearer v1."+strings.Repeat(marker, 2000), "invalid_token"),
		{"origin null", "POST", "/v1/sessions", [][2]string{ct, {"Origin", "null"}},
			session, 403, "origin_not_allowed"},
		{"origin with a path", "POST", "/v1/sessions", [][2]string{ct,
			{"Origin", origin + "/"}}, session, 403, "origin_not_allowed"},
		{"origin in upper case", "POST", "/v1/sessions", [][2]string{ct,
			{"Origin", strings.ToUpper(origin)}}, session, 403, "origin_not_allowed"},
		{"origin with userinfo", "POST", "/v1/sessions", [][2]string{ct,
			{"Origin", strings.Replace(origin, "//", "//"+marker+"@", 1)}}, session,
			403, "origin_not_allowed"},
		{"gzip body", "POST", "/v1/sessions", [][2]string{ct, org,
			{"Content-Encoding", "gzip"}}, session, 415, "unsupported_media_type"},
		{"double slash path", "POST", "//v1/chat", [][2]string{ct, org, auth},
			`{"message":"hi"}`, 404, "not_found"},
		{"dot segment path", "POST", "/v1/x/../chat", [][2]string{ct, org, auth},
			`{"message":"hi"}`, 404, "not_found"},
		{"trailing slash", "POST", "/v1/chat/", [][2]string{ct, org, auth},
			`{"message":"hi"}`, 404, "not_found"},
		{"PUT on sessions", "PUT", "/v1/sessions", [][2]string{ct, org}, session,
			405, "method_not_allowed"},
		{"delete without token", "DELETE", "/v1/sessions/current", [][2]string{org},
			"", 401, "missing_token"},
		{"delete from another origin", "DELETE", "/v1/sessions/current",
			[][2]string{{"Origin", "https://" + marker + ".example"}, auth}, "",
			403, "origin_not_allowed"},
		chat("role in capitals", `{"message":"hi","history":[{"role":"User","text":"x"}]}`,
			422, "invalid_history"),
		chat("empty role", `{"message":"hi","history":[{"role":"","text":"x"}]}`,
			422, "invalid_history"),
		chat("empty turn", `{"message":"hi","history":[{"role":"user","text":""}]}`,
			422, "invalid_history"),
		chat("turn too long", `{"message":"hi","history":[{"role":"assistant","text":"`+
			strings.Repeat("a", 4001)+`"}]}`, 422, "invalid_history"),
		chat("extra field in a turn", `{"message":"hi","history":[{"role":"user",`+
			`"text":"x","name":"`+marker+`"}]}`, 400, "unknown_field"),
		chat("history not a list", `{"message":"hi","history":"`+marker+`"}`,
			400, "invalid_json"),
		chat("lang in capitals", `{"message":"hi","lang":"NL"}`, 422, "invalid_lang"),
		chat("lang with region", `{"message":"hi","lang":"nl-BE"}`, 422, "invalid_lang"),
		chat("lang with a space", `{"message":"hi","lang":" nl"}`, 422, "invalid_lang"),
		chat("lang a number", `{"message":"hi","lang":1}`, 400, "invalid_json"),
		chat("message a list", `{"message":["`+marker+`"]}`, 400, "invalid_json"),
		chat("lone surrogate", `{"message":"\ud800`+marker+`"}`, 400, "invalid_json"),
		chat("body null", `null`, 422, "message_empty"),
	}
}

// noRedirects is a client that shows a redirect rather than follow it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// sendHostile sends c with its headers exactly as listed, repeats kept.
func sendHostile(t *testing.T, base string, c hostileRequest) reply {
	t.Helper()
	req, err := http.NewRequest(c.method, base, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Path = c.path
	for _, kv := range c.headers {
		req.Header.Add(kv[0], kv[1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return readReply(t, resp)
}

// countSessions counts the keys of the sessions bucket.
func countSessions(t *testing.T, ts *testStack) int {
	t.Helper()
	ctx := context.Background()
	kv := adminKV(t, ts, embedded.BucketSessions)
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range keys.Keys() {
		n++
	}
	return n
}
