package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/widget"
)

// scriptedEdge serves the demo page and the edge's HTTP API with chat
// replies that a test scripts one by one. It produces on demand what the
// real edge does rarely: events split across network reads, a paused
// stream, 401, 429, 422 and source links with unsafe schemes. The real
// system is tested in browser_test.go.
type scriptedEdge struct {
	*httptest.Server
	clinic  *config.Clinic
	replies chan http.HandlerFunc

	mu      sync.Mutex
	live    map[string]bool // tokens that are valid now
	issued  int
	deleted []string
}

func newScriptedEdge(t *testing.T) *scriptedEdge {
	t.Helper()
	clinic, ok := testClinics(t)("demo")
	if !ok {
		t.Fatal("testdata has no clinic demo")
	}
	e := &scriptedEdge{replies: make(chan http.HandlerFunc, 16), live: map[string]bool{}}
	mux := http.NewServeMux()
	mux.Handle("GET /widget.js", widget.ScriptHandler())
	mux.Handle("GET /demo.css", widget.StyleHandler())
	mux.Handle("GET /demo", widget.DemoHandler(func(id string) (*config.Clinic, bool) {
		return e.clinic, id == e.clinic.ID
	}))
	mux.HandleFunc("POST /v1/sessions", e.session)
	mux.HandleFunc("DELETE /v1/sessions/current", e.end)
	mux.HandleFunc("POST /v1/chat", e.chat)
	e.Server = httptest.NewServer(mux)
	t.Cleanup(e.Close)
	c := *clinic
	c.AllowedOrigins = []string{e.URL}
	e.clinic = &c
	return e
}

func (e *scriptedEdge) session(w http.ResponseWriter, r *http.Request) {
	var req struct{ Clinic string }
	if json.NewDecoder(r.Body).Decode(&req) != nil || req.Clinic != e.clinic.ID ||
		r.Header.Get("Origin") != e.URL {
		apiError(w, 403, "origin_not_allowed", 0)
		return
	}
	e.mu.Lock()
	e.issued++
	tok := fmt.Sprintf("tok-%d", e.issued)
	e.live[tok] = true
	e.mu.Unlock()
	lang := e.clinic.Language("")
	writeJSON(w, 201, map[string]any{
		"token": tok, "expires_at": time.Now().Add(time.Hour).Format(time.RFC3339),
		"clinic": map[string]any{"name": e.clinic.Name, "languages": e.clinic.Languages,
			"greeting": e.clinic.Greeting.In(lang)},
	})
}

func (e *scriptedEdge) end(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	e.mu.Lock()
	e.deleted = append(e.deleted, tok)
	delete(e.live, tok)
	e.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (e *scriptedEdge) chat(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	e.mu.Lock()
	ok := e.live[tok]
	e.mu.Unlock()
	if !ok {
		apiError(w, 401, "session_expired", 0)
		return
	}
	select {
	case reply := <-e.replies:
		reply(w, r)
	case <-time.After(10 * time.Second):
		apiError(w, 503, "unavailable", 5)
	}
}

// expireAll makes every issued token invalid, as an expired session is.
func (e *scriptedEdge) expireAll() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.live)
}

func (e *scriptedEdge) counts() (issued int, deleted []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.issued, append([]string(nil), e.deleted...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func apiError(w http.ResponseWriter, status int, code string, retryAfter int) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(retryAfter))
	}
	writeJSON(w, status, map[string]any{"error": map[string]string{
		"code": code, "message": "scripted " + code, "request_id": "req-" + code}})
}

// done is the final object of an answer.
type done struct {
	Answer          string              `json:"answer"`
	Sources         []map[string]string `json:"sources"`
	RedactedMessage string              `json:"redacted_message"`
	Notices         []string            `json:"notices"`
	RequestID       string              `json:"request_id"`
}

// sse streams raw bytes in the given pieces, flushing each one and
// pausing between them so that the browser reads them separately. A nil
// piece waits for gate to close first.
func sse(gate <-chan struct{}, pieces ...[]byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != "text/event-stream" {
			apiError(w, 406, "not_sse", 0)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.WriteHeader(200)
		rc := http.NewResponseController(w)
		for _, p := range pieces {
			if p == nil {
				<-gate
				continue
			}
			w.Write(p)
			rc.Flush()
			time.Sleep(15 * time.Millisecond)
		}
	}
}

// event formats one SSE event with CRLF line ends, as servers may.
func event(name string, v any) []byte {
	raw, _ := json.Marshal(v)
	return []byte("event: " + name + "\r\ndata: " + string(raw) + "\r\n\r\n")
}

// answerJSON replies with the done object as plain JSON, as the edge does
// without Accept: text/event-stream; the widget must accept it too.
func answerJSON(d done) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, d) }
}

func TestWidgetAgainstScriptedEdge(t *testing.T) {
	tab := newTab(t)
	edge := newScriptedEdge(t)
	rec := record(t, tab)
	reportCSP(t, tab)
	setLanguages(t, tab, "nl-BE,nl;q=0.9,en;q=0.5")
	run(t, tab, "opening the demo page", chromedp.Navigate(edge.URL+"/demo"),
		chromedp.WaitReady(inShadow(".launch")))

	openAndCheckAccessibility(t, tab, edge.clinic)
	first := streamSplitAnswer(t, tab, edge)
	redacted := historyHoldsRedactedTurns(t, tab, edge, rec, first)
	errorsAreFriendly(t, tab, edge, rec)
	expiredSessionIsRenewed(t, tab, edge, rec)
	historyIsCapped(t, tab, edge, rec, redacted)
	inputLimitsAndKeys(t, tab, rec)
	endChatForgetsEverything(t, tab, edge, rec)

	run(t, tab, "pressing Esc", chromedp.Focus(inShadow("textarea")), chromedp.KeyEvent(kb.Escape))
	if !eval[bool](t, tab, shadow+`.querySelector('.panel').hidden && `+
		shadow+`.activeElement === `+shadow+`.querySelector('.launch')`) {
		t.Error("Esc did not close the panel and return focus to the launcher")
	}
	noCookiesOrStorage(t, tab, edge.URL)
	if p := rec.problems(); len(p) > 0 {
		t.Errorf("console problems (CSP violations among them): %q", p)
	}
	checkCSPIsSeen(t, tab, rec)
}

func openAndCheckAccessibility(t *testing.T, tab context.Context, c *config.Clinic) {
	t.Helper()
	run(t, tab, "opening the widget", chromedp.Click(inShadow(".launch")))
	waitAnswers(t, tab, 1)
	got := eval[map[string]string](t, tab, `(() => { const r = `+shadow+`;
  const p = r.querySelector('.panel'), l = r.querySelector('.launch');
  return { role: p.getAttribute('role'),
    label: r.getElementById(p.getAttribute('aria-labelledby')).textContent,
    launcher: l.tagName + ' ' + l.getAttribute('aria-label') + ' ' + l.getAttribute('aria-expanded'),
    live: r.querySelector('[role=log]').getAttribute('aria-live'),
    focus: r.activeElement && r.activeElement.tagName,
    greeting: r.querySelector('.m.a').textContent,
    privacy: r.querySelector('.pv').textContent }; })()`)
	want := map[string]string{
		"role": "dialog", "label": c.Name, "launcher": "BUTTON Chat openen met de assistent true",
		"live": "polite", "focus": "TEXTAREA", "greeting": c.Greeting.In("nl"),
		"privacy": "Berichten worden niet bewaard. Persoonsgegevens worden verwijderd vóór verwerking.",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// streamSplitAnswer streams an answer whose bytes are split inside a
// UTF-8 character and inside CRLF line ends, pauses the stream to see
// the partial text, then checks the final answer, notices and sources.
func streamSplitAnswer(t *testing.T, tab context.Context, edge *scriptedEdge) done {
	t.Helper()
	final := done{
		Answer:          "Botox kost € 250 tot € 400 per zone.",
		RedactedMessage: "Wat kost botox?",
		Notices:         []string{"Dit is geen medisch advies."},
		Sources: []map[string]string{
			{"title": "Onveilige bron", "url": "javascript:alert(1)"},
			{"title": "Bijsluiter", "url": "https://example.org/botox"},
		},
		RequestID: "req-1",
	}
	chunk := event("chunk", map[string]string{"text": "Botox kost € 250"})
	cut := strings.Index(string(chunk), "€") + 1 // inside the euro sign's bytes
	crlf := strings.Index(string(chunk), "\r\n") + 1
	gate := make(chan struct{})
	edge.replies <- sse(gate, []byte(": keep-alive\r\n\r\n"), chunk[:crlf], chunk[crlf:cut],
		chunk[cut:], nil, event("chunk", map[string]string{"text": " tot € 400 per zone."}),
		event("done", final))

	typeAndSend(t, tab, "Wat kost botox?")
	partial := waitFor[string](t, tab, "the first chunk", `(() => {
  const b = [...`+shadow+`.querySelectorAll('.m.a')].pop();
  return b.getAttribute('aria-busy') === 'true' && b.firstChild.textContent; })()`)
	close(gate)
	if partial != "Botox kost € 250" {
		t.Errorf("streamed text before done = %q", partial)
	}
	if got := waitAnswers(t, tab, 2); got != final.Answer {
		t.Errorf("answer = %q, want %q", got, final.Answer)
	}
	got := eval[map[string]string](t, tab, `(() => {
  const b = [...`+shadow+`.querySelectorAll('.m.a')].pop(), li = b.querySelectorAll('li');
  const a = li[1].querySelector('a');
  return { notice: b.querySelector('.n').textContent, unsafe: li[0].innerHTML,
    link: a.href + ' ' + a.rel + ' ' + a.target + ' ' + a.textContent }; })()`)
	want := map[string]string{
		"notice": "Dit is geen medisch advies.", "unsafe": "Onveilige bron",
		"link": "https://example.org/botox noopener noreferrer _blank Bijsluiter",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	return final
}

// historyHoldsRedactedTurns checks that the next request carries the
// visitor's turns as the server redacted them, never as typed.
func historyHoldsRedactedTurns(t *testing.T, tab context.Context, edge *scriptedEdge,
	rec *recorder, first done) done {
	t.Helper()
	second := done{Answer: "We bellen u terug.", RedactedMessage: "Mail me op [e-mail]"}
	edge.replies <- sse(nil, event("done", second))
	typeAndSend(t, tab, "Mail me op jan.peeters@example.com")
	waitAnswers(t, tab, 3)

	edge.replies <- sse(nil, event("done", done{Answer: "Graag gedaan.", RedactedMessage: "Bedankt"}))
	typeAndSend(t, tab, "Bedankt")
	waitAnswers(t, tab, 4)
	chats := rec.sent("POST", "/v1/chat")
	body := decodeChat(t, chats[len(chats)-1].Body)
	want := []string{"user:" + first.RedactedMessage, "assistant:" + first.Answer,
		"user:" + second.RedactedMessage, "assistant:" + second.Answer}
	if got := turns(body); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("history = %q, want %q", got, want)
	}
	if strings.Contains(chats[len(chats)-1].Body, "jan.peeters") || body.Lang != "nl" {
		t.Errorf("request %s repeats the e-mail address or lacks lang nl", chats[len(chats)-1].Body)
	}
	return second
}

func turns(c chatRequest) []string {
	var out []string
	for _, h := range c.History {
		out = append(out, h.Role+":"+h.Text)
	}
	return out
}

// errorsAreFriendly checks 429, 422 and a stream error: a message in the
// visitor's language, the typed text back in the input, no stray bubbles.
func errorsAreFriendly(t *testing.T, tab context.Context, edge *scriptedEdge, rec *recorder) {
	t.Helper()
	for _, tc := range []struct {
		name  string
		reply http.HandlerFunc
		want  string
	}{
		{"429", func(w http.ResponseWriter, r *http.Request) { apiError(w, 429, "rate_limited", 7) },
			"Te veel berichten. Wacht 7 seconden en probeer het opnieuw."},
		{"422 too long", func(w http.ResponseWriter, r *http.Request) { apiError(w, 422, "message_too_long", 0) },
			"Uw bericht is te lang. Kort het in tot 2.000 tekens."},
		{"422 other", func(w http.ResponseWriter, r *http.Request) { apiError(w, 422, "invalid_history", 0) },
			"Dit bericht kon niet verwerkt worden. Formuleer het anders."},
		{"413", func(w http.ResponseWriter, r *http.Request) { apiError(w, 413, "body_too_large", 0) },
			"Uw bericht is te lang. Kort het in tot 2.000 tekens."},
		{"503", func(w http.ResponseWriter, r *http.Request) { apiError(w, 503, "unavailable", 5) },
			"De assistent is nu niet beschikbaar. Probeer het later opnieuw."},
		{"error event", sse(nil, event("chunk", map[string]string{"text": "Half"}),
			event("error", map[string]any{"error": map[string]string{
				"code": "answer_failed", "message": "x", "request_id": "req-e"}})),
			"Er ging iets mis. Probeer het opnieuw."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := eval[int](t, tab, shadow+`.querySelectorAll('.m.u, .m.a').length`)
			edge.replies <- tc.reply
			typeAndSend(t, tab, "Vraag "+tc.name)
			note := waitFor[string](t, tab, "the error note",
				`[...`+shadow+`.querySelectorAll('.s.err')].pop()?.firstChild.textContent`)
			run(t, tab, "clearing notes", chromedp.Evaluate[chromedp.Void](
				shadow+`.querySelectorAll('.s.err').forEach((n) => n.remove())`))
			if note != tc.want {
				t.Errorf("note = %q, want %q", note, tc.want)
			}
			after := eval[int](t, tab, shadow+`.querySelectorAll('.m.u, .m.a').length`)
			input := eval[string](t, tab, shadow+`.querySelector('textarea').value`)
			if after != before || input != "Vraag "+tc.name {
				t.Errorf("bubbles %d -> %d, input %q: want the bubbles removed and the text back",
					before, after, input)
			}
			setInput(t, tab, "")
		})
	}
}

// expiredSessionIsRenewed checks that a 401 opens one new session and
// retries the message with the new token.
func expiredSessionIsRenewed(t *testing.T, tab context.Context, edge *scriptedEdge, rec *recorder) {
	t.Helper()
	issued, _ := edge.counts()
	edge.expireAll()
	edge.replies <- sse(nil, event("done", done{Answer: "Opnieuw verbonden.", RedactedMessage: "Nog een vraag"}))
	n := eval[int](t, tab, finishedAnswers)
	typeAndSend(t, tab, "Nog een vraag")
	if got := waitAnswers(t, tab, n+1); got != "Opnieuw verbonden." {
		t.Errorf("answer after renewal = %q", got)
	}
	now, _ := edge.counts()
	chats := rec.sent("POST", "/v1/chat")
	last, prev := chats[len(chats)-1], chats[len(chats)-2]
	if now != issued+1 || last.Body != prev.Body ||
		last.Headers["authorization"] != fmt.Sprintf("Bearer tok-%d", now) {
		t.Errorf("sessions %d -> %d, retry auth %q: want one new session and the same body",
			issued, now, last.Headers["authorization"])
	}
	if greetings := eval[int](t, tab, `[...`+shadow+`.querySelectorAll('.m.a')].filter(
		(b) => b.textContent === `+jsString(edge.clinic.Greeting.In("nl"))+`).length`); greetings != 1 {
		t.Errorf("greeting shown %d times after renewal, want once", greetings)
	}
}

// historyIsCapped sends answers as plain JSON until the history would
// exceed ten turns and checks that only the newest ten are sent.
func historyIsCapped(t *testing.T, tab context.Context, edge *scriptedEdge, rec *recorder, _ done) {
	t.Helper()
	for i := range 4 {
		edge.replies <- answerJSON(done{Answer: fmt.Sprintf("Antwoord %d", i),
			RedactedMessage: fmt.Sprintf("Vraag %d", i)})
		n := eval[int](t, tab, finishedAnswers)
		typeAndSend(t, tab, fmt.Sprintf("Vraag %d", i))
		if got := waitAnswers(t, tab, n+1); got != fmt.Sprintf("Antwoord %d", i) {
			t.Fatalf("JSON answer %d shown as %q", i, got)
		}
	}
	edge.replies <- answerJSON(done{Answer: "Laatste", RedactedMessage: "Laatste vraag"})
	n := eval[int](t, tab, finishedAnswers)
	typeAndSend(t, tab, "Laatste vraag")
	waitAnswers(t, tab, n+1)
	chats := rec.sent("POST", "/v1/chat")
	got := turns(decodeChat(t, chats[len(chats)-1].Body))
	if len(got) != 10 || got[0] != "user:Nog een vraag" || got[9] != "assistant:Antwoord 3" {
		t.Errorf("history = %q, want the newest 10 turns, from user:Nog een vraag", got)
	}
}

// inputLimitsAndKeys checks the counter, the 2,000 character limit and
// that Shift+Enter adds a line instead of sending.
func inputLimitsAndKeys(t *testing.T, tab context.Context, rec *recorder) {
	t.Helper()
	before := len(rec.sent("POST", "/v1/chat"))
	state := eval[string](t, tab, `(() => { const r = `+shadow+`, ta = r.querySelector('textarea');
  ta.value = 'x'.repeat(2001); ta.dispatchEvent(new Event('input'));
  const over = r.querySelector('.c').textContent + ' ' + r.querySelector('.go').disabled;
  ta.value = ''; ta.dispatchEvent(new Event('input'));
  return over + ' ' + r.querySelector('.go').disabled + ' ' + ta.maxLength; })()`)
	if state != "2001 / 2000 true true 2000" {
		t.Errorf("counter, send disabled when over, when empty, maxlength = %q", state)
	}
	run(t, tab, "typing with Shift+Enter", chromedp.SendKeys(inShadow("textarea"), "regel 1"),
		enter(8), chromedp.SendKeys(inShadow("textarea"), "regel 2"))
	value := eval[string](t, tab, shadow+`.querySelector('textarea').value`)
	if value != "regel 1\nregel 2" || len(rec.sent("POST", "/v1/chat")) != before {
		t.Errorf("after Shift+Enter the input is %q and %d requests were sent",
			value, len(rec.sent("POST", "/v1/chat"))-before)
	}
	setInput(t, tab, "")
}

// endChatForgetsEverything checks "end chat": the session is deleted with
// its token, the log is cleared, and the next chat starts afresh.
func endChatForgetsEverything(t *testing.T, tab context.Context, edge *scriptedEdge, rec *recorder) {
	t.Helper()
	issued, _ := edge.counts()
	run(t, tab, "ending the chat", chromedp.Click(inShadow(".hb:not(.x)")))
	waitFor[bool](t, tab, "the session to be deleted", fmt.Sprintf(
		"%s.querySelectorAll('.m.a, .m.u').length === 0", shadow))
	deadline := time.Now().Add(5 * time.Second)
	for _, deleted := edge.counts(); len(deleted) == 0 && time.Now().Before(deadline); _, deleted = edge.counts() {
		time.Sleep(20 * time.Millisecond)
	}
	if _, deleted := edge.counts(); len(deleted) != 1 || deleted[0] != fmt.Sprintf("tok-%d", issued) {
		t.Errorf("deleted sessions %q, want tok-%d", deleted, issued)
	}
	edge.replies <- sse(nil, event("done", done{Answer: "Nieuw begin.", RedactedMessage: "Hallo"}))
	typeAndSend(t, tab, "Hallo")
	if got := waitAnswers(t, tab, 2); got != "Nieuw begin." {
		t.Errorf("first answer after ending = %q", got)
	}
	chats := rec.sent("POST", "/v1/chat")
	if h := decodeChat(t, chats[len(chats)-1].Body).History; len(h) != 0 {
		t.Errorf("the new chat sent %d history turns, want none", len(h))
	}
}
