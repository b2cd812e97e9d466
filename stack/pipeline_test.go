package stack_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/sanitiser/triage"
)

func botoxPrice(t *testing.T, ts *testStack, clinic string) string {
	t.Helper()
	return strconv.Itoa(botox(t, ts, clinic).PriceFrom)
}

// botox returns clinic's botox treatment from its facts.
func botox(t *testing.T, ts *testStack, clinic string) config.Treatment {
	t.Helper()
	for _, tr := range ts.clinic(clinic).Treatments {
		if tr.ID == "botox" {
			return tr
		}
	}
	t.Fatalf("clinic %s has no botox", clinic)
	return config.Treatment{}
}

// dutchPriceSentence is the sentence the local model writes for the price
// range of tr in Dutch ("%s kost tussen %s en %s%s."), built from the
// clinic's facts: amounts as "€ 190", then the Dutch price unit.
func dutchPriceSentence(t *testing.T, tr config.Treatment) string {
	t.Helper()
	if tr.PriceTo <= tr.PriceFrom || tr.PriceTo >= 1000 {
		t.Fatalf("botox costs %d to %d: the test expects a range below € 1.000",
			tr.PriceFrom, tr.PriceTo)
	}
	return fmt.Sprintf("%s kost tussen € %d en € %d %s.", tr.Name.In("nl"),
		tr.PriceFrom, tr.PriceTo, tr.PriceUnit.In("nl"))
}

// TestDutchPriceJSONAndSSE asks the price and duration of botox in Dutch
// through the whole pipeline and checks the answer gives the demo
// clinic's price range and duration in the Dutch sentences the local
// model writes for them, as JSON and as server-sent events whose chunks
// add up to the answer.
func TestDutchPriceJSONAndSSE(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	tr := botox(t, ts, "demo")
	want := []string{dutchPriceSentence(t, tr),
		fmt.Sprintf("een behandeling duurt ongeveer %d minuten.", tr.DurationMinutes)}
	const question = "Hoeveel kost botox en hoe lang duurt een behandeling?"
	body := `{"message":"` + question + `"}`

	r := ts.chat(t, token, origin, body)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	answer, _ := r.body["answer"].(string)
	checkDutchPrice(t, "JSON", answer, want)
	if r.body["lang"] != "nl" || r.body["request_id"] == "" ||
		r.body["redacted_message"] != question {
		t.Errorf("response fields: %s", r.raw)
	}
	if notices, _ := r.body["notices"].([]any); len(notices) == 0 {
		t.Error("no notices")
	}
	if sources, _ := r.body["sources"].([]any); len(sources) == 0 {
		t.Error("no sources")
	}

	status, events := ts.chatSSE(t, token, origin, body)
	if status != 200 || len(events) < 3 {
		t.Fatalf("SSE status %d, %d events: want several chunks and done",
			status, len(events))
	}
	joined, done := streamed(t, events)
	if strings.TrimSpace(joined) != done {
		t.Errorf("chunks %q do not add up to the answer %q", joined, done)
	}
	checkDutchPrice(t, "SSE", done, want)
	if done != answer {
		t.Errorf("SSE answer %q differs from JSON answer %q", done, answer)
	}
}

// checkDutchPrice checks answer holds each Dutch sentence of want, and
// that its language is Dutch by the project's detector too.
func checkDutchPrice(t *testing.T, how, answer string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(answer, w) {
			t.Errorf("%s answer %q lacks %q", how, answer, w)
		}
	}
	if lang := triage.DetectLanguage(answer); lang != "nl" {
		t.Errorf("%s answer language = %q, want nl", how, lang)
	}
}

// TestClinicsAnswerFromTheirOwnFacts checks that demo-2 answers with its
// own price from its own origin.
func TestClinicsAnswerFromTheirOwnFacts(t *testing.T) {
	ts := start(t)
	p1, p2 := botoxPrice(t, ts, "demo"), botoxPrice(t, ts, "demo-2")
	if p1 == p2 {
		t.Fatal("demo clinics share a botox price; the test cannot tell them apart")
	}
	origin := ts.origin("demo-2")
	token := ts.session(t, "demo-2", origin)
	r := ts.chat(t, token, origin, `{"message":"Wat kost botox?","lang":"nl"}`)
	answer, _ := r.body["answer"].(string)
	if r.status != 200 || !strings.Contains(answer, p2) {
		t.Errorf("demo-2: status %d, price %s missing", r.status, p2)
	}
}

// TestModelSeesOnlyRedactedText plants personal values in the message
// and the history and checks that none reaches the model, while the
// placeholders do.
func TestModelSeesOnlyRedactedText(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	planted := []string{"jan.peeters@example.com", "0470 12 34 56",
		"BE71 0961 2345 6769", "4111 1111 1111 1111", "85.07.30-033.28"}
	msg := "Mijn e-mail is jan.peeters@example.com en mijn gsm 0470 12 34 56, " +
		"rekening BE71 0961 2345 6769. Hoeveel kost botox?"
	body, _ := json.Marshal(map[string]any{
		"message": msg,
		"history": []map[string]string{
			{"role": "user", "text": "Mijn kaart is 4111 1111 1111 1111 en rijksregister 85.07.30-033.28"},
			{"role": "assistant", "text": "Deel zulke gegevens liever niet."},
		},
	})
	r := ts.chat(t, token, origin, string(body))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	seen := ts.models.texts()
	if !strings.Contains(seen, "[EMAIL_1]") || !strings.Contains(seen, "[PHONE_1]") {
		t.Errorf("model input lacks placeholders")
	}
	for _, v := range planted {
		if strings.Contains(seen, v) || strings.Contains(r.raw, v) {
			t.Errorf("planted value %q reached the model or the reply", v)
		}
	}
	red, _ := r.body["redacted_message"].(string)
	if !strings.Contains(red, "[EMAIL_1]") || strings.Contains(red, "@") {
		t.Errorf("redacted_message not redacted")
	}
}

// TestOnlySanitiserReachesInference publishes on an infer subject as
// every other component's user: the server must refuse each.
func TestOnlySanitiserReachesInference(t *testing.T) {
	ts := start(t)
	for _, who := range []string{embedded.Edge, embedded.Inference,
		embedded.Response, embedded.Admin} {
		t.Run(who, func(t *testing.T) {
			denied := make(chan error, 1)
			nc, err := ts.NATS().Connect(who, nats.ErrorHandler(
				func(_ *nats.Conn, _ *nats.Subscription, err error) {
					select {
					case denied <- err:
					default:
					}
				}))
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			if err := nc.Publish(schemas.ChatSubject("demo", schemas.StageInfer),
				[]byte("{}")); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-denied:
				if !errors.Is(err, nats.ErrPermissionViolation) &&
					!strings.Contains(err.Error(), "Permissions Violation") {
					t.Errorf("unexpected error %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("publish on infer subject was not refused")
			}
		})
	}
	// The sanitiser itself may publish there.
	nc, err := ts.NATS().Connect(embedded.Sanitiser)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish(schemas.ChatSubject("demo", schemas.StageInfer), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil || nc.LastError() != nil {
		t.Errorf("sanitiser refused: %v %v", err, nc.LastError())
	}
}
