package stack_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/edge"
)

// bodyBound is the body-read bound of the stacks in these tests, short
// so the tests do not wait long.
const bodyBound = 200 * time.Millisecond

// giveUp is how long a test waits for the edge before it fails, far
// beyond bodyBound: the tests check that the edge cuts a slow body, not
// how fast.
const giveUp = 10 * time.Second

// TestSlowBodyIsCut sends the headers of a request and then trickles its
// body a byte at a time, never finishing. The edge answers 408
// body_timeout, or the handler's own refusal if it never reads the body,
// and closes the connection, however long the client keeps trickling.
func TestSlowBodyIsCut(t *testing.T) {
	ts := startEdgeStack(t, nil, edge.Config{BodyReadTimeout: bodyBound})
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	cases := []struct {
		name    string
		head    string
		chunked bool
		status  int
		code    string
	}{
		{"session, length given", "POST /v1/sessions HTTP/1.1\r\nOrigin: " + origin +
			"\r\nContent-Length: 4096\r\n", false, 408, "body_timeout"},
		{"chat, chunked", "POST /v1/chat HTTP/1.1\r\nOrigin: " + origin +
			"\r\nAuthorization: Bearer " + token + "\r\nTransfer-Encoding: chunked\r\n",
			true, 408, "body_timeout"},
		{"body nobody reads", "DELETE /v1/sessions/current HTTP/1.1\r\nOrigin: " +
			origin + "\r\nContent-Length: 4096\r\n", false, 401, "missing_token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, rest := sendTrickled(t, ts.URL(), c.head, c.chunked)
			wantRefusal(t, resp, c.status, c.code)
			if _, err := io.Copy(io.Discard, rest); netTimeout(err) {
				t.Errorf("the connection stayed open while the body trickled")
			}
		})
	}
}

// sendTrickled sends head and a JSON content type, then trickles a body
// that never ends, and returns the response and the reader of whatever
// follows it on the connection. The test fails after giveUp.
func sendTrickled(t *testing.T, base, head string, chunked bool) (*http.Response,
	*bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(giveUp))
	head += "Host: edge\r\nContent-Type: application/json\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go trickleBody(conn, chunked, stop)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no response: %v", err)
	}
	return resp, br
}

// trickleBody writes one byte of body every 20 ms until stop is closed or
// the connection fails.
func trickleBody(conn net.Conn, chunked bool, stop <-chan struct{}) {
	piece := " "
	if chunked {
		piece = "1\r\n \r\n"
	}
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if _, err := io.WriteString(conn, piece); err != nil {
				return
			}
		}
	}
}

func netTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// wantRefusal checks a response's status and JSON error code.
func wantRefusal(t *testing.T, resp *http.Response, status int, code string) {
	t.Helper()
	defer resp.Body.Close()
	var body struct {
		Error struct {
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	err := json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != status || err != nil || body.Error.Code != code {
		t.Fatalf("got %d %q (%v), want %d %s", resp.StatusCode, body.Error.Code, err,
			status, code)
	}
	if body.Error.RequestID != resp.Header.Get("X-Request-Id") {
		t.Errorf("request id %q, header %q", body.Error.RequestID,
			resp.Header.Get("X-Request-Id"))
	}
}

// TestStreamOutlivesBodyBound holds an answer back for longer than the
// body-read bound: the bound ends with the body, so the answer is not
// cut, whether it streams as events or waits to be sent as JSON.
func TestStreamOutlivesBodyBound(t *testing.T) {
	g := newAnswerGate()
	ts := startEdgeStack(t, heldModel(g, false), edge.Config{BodyReadTimeout: bodyBound})
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	body := `{"message":"Wanneer zijn jullie open?"}`

	s := ts.openSSE(t, token, origin, body)
	if ev, ok := s.next(t); !ok || ev.Name != "chunk" {
		t.Fatalf("first event %q (ok %v), want a chunk", ev.Name, ok)
	}
	holdPastBound(g)
	var last sseEvent
	for ev, ok := s.next(t); ok; ev, ok = s.next(t) {
		last = ev
	}
	if last.Name != "done" {
		code, _, _ := sseError(last)
		t.Fatalf("last event %q %s, want done", last.Name, code)
	}

	req, _ := http.NewRequest("POST", ts.URL()+"/v1/chat", strings.NewReader(body))
	for k, v := range h("application/json", origin, token) {
		req.Header.Set(k, v)
	}
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 200 {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		done <- err
	}()
	holdPastBound(g)
	if err := <-done; err != nil {
		t.Errorf("JSON answer: %v", err)
	}
}

// holdPastBound waits for an answer to reach g, keeps it there for
// three body-read bounds, then lets it through.
func holdPastBound(g *answerGate) {
	<-g.reached
	time.Sleep(3 * bodyBound)
	g.pass <- struct{}{}
}

// TestOversizeChunkedBody sends bodies over the limit without a
// Content-Length, so only reading them can tell.
func TestOversizeChunkedBody(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	big := strings.Repeat("a", 130<<10)
	for path, body := range map[string]string{
		"/v1/sessions": `{"clinic":"` + big + `"}`,
		"/v1/chat":     `{"message":"` + big + `"}`,
	} {
		t.Run(path, func(t *testing.T) {
			// A reader of unknown length makes the client send it chunked.
			req, _ := http.NewRequest("POST", ts.URL()+path,
				io.MultiReader(strings.NewReader(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", origin)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if req.ContentLength != 0 || len(req.TransferEncoding) > 0 &&
				req.TransferEncoding[0] != "chunked" {
				t.Fatalf("the request was not sent chunked")
			}
			wantRefusal(t, resp, 413, "body_too_large")
		})
	}
}

// TestBodyCharset accepts JSON in UTF-8, with or without the charset
// named, and refuses any other charset or a content coding with 415.
func TestBodyCharset(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	cases := []struct {
		contentType, encoding string
		status                int
	}{
		{"application/json", "", 201},
		{"application/json; charset=utf-8", "", 201},
		{"application/json; charset=UTF-8", "", 201},
		{`application/json;charset="utf-8"`, "", 201},
		{"Application/JSON", "identity", 201},
		{"application/json; charset=utf-16", "", 415},
		{"application/json; charset=UTF-16LE", "", 415},
		{"application/json; charset=iso-8859-1", "", 415},
		{"application/json; charset=utf8", "", 415},
		{"application/json; charset=", "", 415},
		{"application/json; charset=utf-8; charset=utf-16", "", 415},
		{"application/json", "gzip", 415},
		{"text/json", "", 415},
		{"", "", 415},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %s", c.contentType, c.encoding), func(t *testing.T) {
			headers := h(c.contentType, origin, "")
			if c.encoding != "" {
				headers["Content-Encoding"] = c.encoding
			}
			r := ts.do(t, "POST", "/v1/sessions", headers, `{"clinic":"demo"}`)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.raw)
			}
			if c.status == 415 && r.errorCode() != "unsupported_media_type" {
				t.Errorf("code %q, want unsupported_media_type", r.errorCode())
			}
		})
	}
}
