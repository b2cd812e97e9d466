package widget_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/stack"
)

// screenshotPath is where TestWidgetInBrowser saves a picture of the open
// widget, for a person to look at.
const screenshotPath = "/tmp/widget.png"

// TestWidgetInBrowser runs the whole assistant (stack.Start) and drives
// the demo page in a real Chromium: it opens the widget, chats in Dutch,
// and checks streaming, redacted history, privacy and the page's CSP.
func TestWidgetInBrowser(t *testing.T) {
	tab := newTab(t)
	st, err := stack.Start(t.Context(), stack.Options{HTTPAddr: "127.0.0.1:0",
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("starting the stack: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	clinic := findClinic(t, st.Clinics, "demo")

	rec := record(t, tab)
	reportCSP(t, tab)
	setLanguages(t, tab, "nl-BE,nl;q=0.9,en;q=0.5")
	run(t, tab, "opening the demo page", chromedp.Navigate(st.URL()+"/demo"),
		chromedp.WaitReady(inShadow(".launch")))
	watchStreaming(t, tab)

	run(t, tab, "opening the widget", chromedp.Click(inShadow(".launch")))
	greeting := waitAnswers(t, tab, 1)
	if !isGreeting(clinic, greeting) {
		t.Errorf("first bubble %q is not the clinic's greeting", greeting)
	}
	if got := eval[string](t, tab, shadow+`.querySelector('.pv').textContent`); got !=
		"Berichten worden niet bewaard. Persoonsgegevens worden verwijderd vóór verwerking." {
		t.Errorf("privacy notice %q is not the Dutch one", got)
	}

	askBotoxPrice(t, tab, rec, clinic)
	historyIsRedacted(t, tab, rec)

	if err := os.WriteFile(screenshotPath, screenshot(t, tab), 0o644); err != nil {
		t.Fatalf("saving the screenshot: %v", err)
	}
	checkPrivacy(t, tab, rec, st.URL())

	run(t, tab, "pressing Esc", chromedp.Focus(inShadow("textarea")), chromedp.KeyEvent(kb.Escape))
	if !eval[bool](t, tab, shadow+`.querySelector('.panel').hidden && `+
		shadow+`.activeElement === `+shadow+`.querySelector('.launch')`) {
		t.Error("Esc did not close the panel and move focus to the launcher")
	}
	if p := rec.problems(); len(p) > 0 {
		t.Errorf("console problems (CSP violations among them): %q", p)
	}
	checkCSPIsSeen(t, tab, rec)
}

func findClinic(t *testing.T, clinics []*config.Clinic, id string) *config.Clinic {
	t.Helper()
	for _, c := range clinics {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("the stack has no clinic %q", id)
	return nil
}

func isGreeting(c *config.Clinic, s string) bool {
	for _, l := range c.Languages {
		if s != "" && c.Greeting.In(l) == s {
			return true
		}
	}
	return false
}

// watchStreaming records, in the page, each text an answer bubble shows
// after it was added: the chunks as they stream in, then the final answer.
func watchStreaming(t *testing.T, tab context.Context) {
	t.Helper()
	eval[bool](t, tab, `(() => {
  window.__shown = [];
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType === 3 && r.target.matches('.m.a > .t')) window.__shown.push(n.data);
      }
    }
  }).observe(`+shadow+`.querySelector('.log'), { subtree: true, childList: true });
  return true; })()`)
}

// dutchWords are common Dutch words, at least two of which a Dutch answer
// about a price holds and an English or French one does not.
var dutchWords = regexp.MustCompile(`(?i)\b(de|het|een|kost|kosten|vanaf|per|zone|behandeling|prijs|u|uw|tot|en)\b`)

func askBotoxPrice(t *testing.T, tab context.Context, rec *recorder, c *config.Clinic) {
	t.Helper()
	// An answer of several sentences arrives as several chunks, so the
	// widget must show it growing.
	typeAndSend(t, tab, "Hoeveel kost botox en hoe lang duurt het herstel?")
	answer := waitAnswers(t, tab, 2)
	t.Logf("answer: %q", answer)

	var botox config.Treatment
	for _, tr := range c.Treatments {
		if tr.ID == "botox" {
			botox = tr
		}
	}
	if !strings.Contains(answer, "€") || !strings.Contains(answer, fmt.Sprint(botox.PriceFrom)) {
		t.Errorf("answer %q lacks the botox price (€ %d)", answer, botox.PriceFrom)
	}
	words := map[string]bool{}
	for _, w := range dutchWords.FindAllString(strings.ToLower(answer), -1) {
		words[w] = true
	}
	if len(words) < 3 {
		t.Errorf("answer %q does not read as Dutch (Dutch words: %v)", answer, words)
	}
	shown := eval[[]string](t, tab, `window.__shown`)
	partial := 0
	for _, s := range shown {
		if s != answer && strings.HasPrefix(answer, s) {
			partial++
		}
	}
	if partial == 0 {
		t.Errorf("no partial answer was shown while streaming; texts shown: %q", shown)
	}
	chats := rec.sent("POST", "/v1/chat")
	if len(chats) != 1 {
		t.Fatalf("%d chat requests, want 1", len(chats))
	}
	res := rec.response(chats[0].ID)
	if res == nil || res.Status != 200 || res.MimeType != "text/event-stream" {
		t.Errorf("chat response %+v is not a 200 event stream", res)
	}
	if body := decodeChat(t, chats[0].Body); body.Lang != "nl" || len(body.History) != 0 {
		t.Errorf("first chat request: lang %q, %d history turns; want nl and none",
			body.Lang, len(body.History))
	}
}

// historyIsRedacted sends a message with an e-mail address and checks,
// in the body of the next request, that the history the widget keeps
// holds the message without the address.
func historyIsRedacted(t *testing.T, tab context.Context, rec *recorder) {
	t.Helper()
	const email = "jan.peeters@example.com"
	typeAndSend(t, tab, "Kunt u mij mailen op "+email+" over botox?")
	waitAnswers(t, tab, 3)
	typeAndSend(t, tab, "Wat zijn de openingsuren?")
	waitAnswers(t, tab, 4)

	chats := rec.sent("POST", "/v1/chat")
	if len(chats) != 3 {
		t.Fatalf("%d chat requests, want 3", len(chats))
	}
	if !strings.Contains(chats[1].Body, email) {
		t.Errorf("the message itself should be sent as typed, once: %s", chats[1].Body)
	}
	body := decodeChat(t, chats[2].Body)
	if len(body.History) != 4 {
		t.Fatalf("history has %d turns, want 4: %q", len(body.History), turns(body))
	}
	user := body.History[2]
	if user.Role != "user" || strings.Contains(chats[2].Body, "jan.peeters") ||
		!strings.Contains(user.Text, "botox") {
		t.Errorf("history turn %+v: want the visitor's message with the e-mail removed", user)
	}
	if first := body.History[0]; first.Role != "user" || !strings.Contains(first.Text, "botox") {
		t.Errorf("history turn 0 = %+v, want the first question", first)
	}
}

// checkPrivacy checks that chatting left no cookies or storage, and that
// the page talked to its own origin only.
func checkPrivacy(t *testing.T, tab context.Context, rec *recorder, origin string) {
	t.Helper()
	noCookiesOrStorage(t, tab, origin)
	for _, r := range rec.all() {
		if !strings.HasPrefix(r.URL, origin+"/") && !strings.HasPrefix(r.URL, "data:") {
			t.Errorf("request to another origin: %s %s", r.Method, r.URL)
		}
		if res := rec.response(r.ID); res != nil && res.Status >= 400 {
			t.Errorf("%s %s answered %d", r.Method, r.URL, res.Status)
		}
		if r.Headers["cookie"] != "" {
			t.Errorf("%s %s sent a cookie", r.Method, r.URL)
		}
	}
}
