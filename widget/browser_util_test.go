package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// shadow is the JavaScript path to the widget's shadow root.
const shadow = `document.querySelector('iglowly-assistant').shadowRoot`

// inShadow selects the first element matching css inside the widget.
func inShadow(css string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf("%s.querySelector(%q)", shadow, css))
}

// newTab starts a headless Chromium for one test and returns its tab. It
// skips the test when Chromium is not installed, unless CI is set.
func newTab(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("chromium not installed (apt-get install chromium): %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// run runs actions with a deadline, failing the test with step in the
// message.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript expression until it is truthy and returns it.
func waitFor[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(25*time.Millisecond),
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return v
}

// setLanguages makes navigator.languages (and Accept-Language) the given
// list, as a visitor's browser settings would.
func setLanguages(t *testing.T, ctx context.Context, langs string) {
	t.Helper()
	ua := eval[string](t, ctx, "navigator.userAgent")
	_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride,
		emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: langs})
	if err != nil {
		t.Fatalf("setting languages: %v", err)
	}
}

// reportCSP makes every Content-Security-Policy violation of the page a
// console error, in addition to the browser's own report, so that the
// recorder sees each one whatever channel the browser uses.
func reportCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: `
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
});`})
	if err != nil {
		t.Fatalf("installing the CSP reporter: %v", err)
	}
}

// recorder keeps what the tab did: requests with their bodies, responses,
// and console messages, exceptions and browser log entries.
type recorder struct {
	mu        sync.Mutex
	requests  []sentRequest
	responses map[network.RequestID]*network.Response
	console   []string
}

// sentRequest is one request the page sent.
type sentRequest struct {
	ID      network.RequestID
	Method  string
	URL     string
	Headers map[string]string
	Body    string
}

func record(t *testing.T, ctx context.Context) *recorder {
	t.Helper()
	r := &recorder{responses: map[network.RequestID]*network.Response{}}
	err := chromedp.Listen(ctx, func(ev any) {
		r.mu.Lock()
		defer r.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			r.requests = append(r.requests, newSentRequest(ev))
		case *network.EventResponseReceived:
			r.responses[ev.RequestID] = ev.Response
		case *runtime.EventConsoleAPICalled:
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, a.Description+string(a.Value))
			}
			r.console = append(r.console, string(ev.Type)+": "+strings.Join(parts, " "))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			r.console = append(r.console, "exception: "+msg)
		case *cdplog.EventEntryAdded:
			e := ev.Entry
			r.console = append(r.console,
				fmt.Sprintf("log %s/%s: %s", e.Source, e.Level, e.Text))
		}
	})
	if err != nil {
		t.Fatalf("listening to the tab: %v", err)
	}
	return r
}

func newSentRequest(ev *network.EventRequestWillBeSent) sentRequest {
	req := ev.Request
	s := sentRequest{ID: ev.RequestID, Method: req.Method, URL: req.URL,
		Headers: map[string]string{}}
	for k, v := range req.Headers {
		s.Headers[strings.ToLower(k)] = fmt.Sprint(v)
	}
	for _, e := range req.PostDataEntries {
		s.Body += string(e.Bytes)
	}
	return s
}

// sent returns the requests so far whose URL ends with path.
func (r *recorder) sent(method, path string) []sentRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []sentRequest
	for _, q := range r.requests {
		u := strings.SplitN(q.URL, "?", 2)[0]
		if q.Method == method && strings.HasSuffix(u, path) {
			out = append(out, q)
		}
	}
	return out
}

func (r *recorder) all() []sentRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentRequest(nil), r.requests...)
}

func (r *recorder) response(id network.RequestID) *network.Response {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.responses[id]
}

// problems returns console errors and warnings, exceptions, and browser
// log entries of level warning or error, CSP violations among them. Failed
// HTTP responses (log source "network") are left out: tests check those.
func (r *recorder) problems() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.console {
		if strings.HasPrefix(c, "log network/") {
			continue
		}
		if strings.HasPrefix(c, "error:") || strings.HasPrefix(c, "warning:") ||
			strings.HasPrefix(c, "exception:") || strings.Contains(c, "/error:") ||
			strings.Contains(c, "/warning:") {
			out = append(out, c)
		}
	}
	return out
}

// checkCSPIsSeen proves that the recorder would have seen a CSP violation:
// it makes the page break its policy on purpose and waits for the report.
// Call it last: it adds a problem.
func checkCSPIsSeen(t *testing.T, ctx context.Context, rec *recorder) {
	t.Helper()
	eval[bool](t, ctx, `(document.body.setAttribute('style', 'color: red'), true)`)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, p := range rec.problems() {
			if strings.Contains(p, "CSP violation: style-src") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("a deliberate inline style was not reported; problems: %q", rec.problems())
}

// chatRequest is the body the widget posts to /v1/chat.
type chatRequest struct {
	Message string `json:"message"`
	History []struct {
		Role string `json:"role"`
		Text string `json:"text"`
	} `json:"history"`
	Lang string `json:"lang"`
}

func decodeChat(t *testing.T, body string) chatRequest {
	t.Helper()
	var c chatRequest
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatalf("chat request body %q: %v", body, err)
	}
	return c
}

// typeAndSend types text into the widget's input and presses Enter.
func typeAndSend(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	run(t, ctx, "typing "+text, chromedp.SendKeys(inShadow("textarea"), text), enter(0))
}

// enter presses Enter with the given modifiers (8 is Shift) in the focused
// element, as a keyboard does: one keydown that carries the text "\r", so
// that the page can cancel the new line, and one keyup.
func enter(modifiers int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown,
			input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter",
				Modifiers: modifiers, WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
			if typ == input.DispatchKeyEventTypeKeyDown {
				p.Text = "\r"
			}
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
				return fmt.Errorf("pressing Enter: %w", err)
			}
		}
		return nil
	})
}

// setInput replaces the text of the widget's input, as pasting does.
func setInput(t *testing.T, ctx context.Context, v string) {
	t.Helper()
	eval[bool](t, ctx, `(() => { const ta = `+shadow+`.querySelector('textarea');
  ta.value = `+jsString(v)+`; return ta.dispatchEvent(new Event('input')); })()`)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// finishedAnswers counts assistant bubbles whose answer is complete.
const finishedAnswers = shadow + `.querySelectorAll('.m.a:not([aria-busy])').length`

// lastAnswer is the text of the newest assistant bubble.
const lastAnswer = `[...` + shadow + `.querySelectorAll('.m.a')].pop().firstChild.textContent`

// waitAnswers waits until n assistant bubbles (the greeting included) are
// complete and returns the newest one's text.
func waitAnswers(t *testing.T, ctx context.Context, n int) string {
	t.Helper()
	waitFor[bool](t, ctx, fmt.Sprintf("answer %d", n), fmt.Sprintf("%s >= %d", finishedAnswers, n))
	return eval[string](t, ctx, lastAnswer)
}

// noCookiesOrStorage fails if the page left cookies for url or anything in
// web storage or IndexedDB.
func noCookiesOrStorage(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{url}})
	if err != nil {
		t.Fatalf("reading cookies: %v", err)
	}
	if len(res.Cookies) != 0 {
		t.Errorf("the page has %d cookies, want none", len(res.Cookies))
	}
	stored := eval[string](t, ctx, `(async () => JSON.stringify({
  cookie: document.cookie, local: localStorage.length, session: sessionStorage.length,
  idb: (await indexedDB.databases()).length, caches: (await caches.keys()).length }))()`)
	if stored != `{"cookie":"","local":0,"session":0,"idb":0,"caches":0}` {
		t.Errorf("page storage: %s, want all empty", stored)
	}
}

// screenshot captures the tab's viewport as PNG.
func screenshot(t *testing.T, tab context.Context) []byte {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("taking the screenshot: %v", err)
	}
	return png
}
