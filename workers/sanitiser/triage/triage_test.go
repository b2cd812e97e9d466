package triage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// labelled is one line of testdata/messages.jsonl.
type labelled struct {
	Lang     string   `json:"lang"`
	Category Category `json:"category"`
	Text     string   `json:"text"`
}

func loadLabelled(t testing.TB, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening corpus: %v", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	return out
}

// TestClassifyCorpus requires every emergency of the corpus to be caught,
// no ordinary question to be taken for an emergency, and every message to
// get its labelled category.
func TestClassifyCorpus(t *testing.T) {
	msgs := loadLabelled(t, "testdata/messages.jsonl")
	perCat := map[Category]int{}
	for _, m := range msgs {
		perCat[m.Category]++
	}
	for _, c := range []Category{Emergency, Diagnosis, Injection} {
		if perCat[c] < 25 {
			t.Errorf("corpus has %d %s messages, want at least 25", perCat[c], c)
		}
	}
	if perCat[None] < 40 {
		t.Errorf("corpus has %d ordinary messages, want at least 40", perCat[None])
	}

	confusion := map[[2]Category]int{}
	for n, m := range msgs {
		t.Run(fmt.Sprintf("%03d_%s_%s", n+1, m.Category, m.Lang), func(t *testing.T) {
			got := Classify(m.Text).Category
			confusion[[2]Category{m.Category, got}]++
			switch {
			case m.Category == Emergency && got != Emergency:
				t.Errorf("missed emergency %q: got %s", m.Text, got)
			case m.Category != Emergency && got == Emergency:
				t.Errorf("false emergency %q (want %s)", m.Text, m.Category)
			case got != m.Category:
				t.Errorf("Classify(%q) = %s, want %s", m.Text, got, m.Category)
			}
		})
	}
	t.Logf("confusion (want -> got): %v", confusion)
}

// TestDetectLanguage requires 95% accuracy on the labelled messages of
// both corpora (lang.jsonl holds everyday questions written apart from
// the word lists) plus very short questions.
func TestDetectLanguage(t *testing.T) {
	msgs := loadLabelled(t, "testdata/messages.jsonl")
	msgs = append(msgs, loadLabelled(t, "testdata/lang.jsonl")...)
	for _, s := range []labelled{
		{Lang: "nl", Text: "Hoeveel kost botox?"},
		{Lang: "fr", Text: "Combien coûte le botox ?"},
		{Lang: "de", Text: "Wie viel kostet Botox?"},
		{Lang: "en", Text: "How much is botox?"},
		{Lang: "nl", Text: "Zijn jullie open?"},
		{Lang: "fr", Text: "Vous êtes ouverts ?"},
		{Lang: "de", Text: "Haben Sie offen?"},
		{Lang: "en", Text: "Are you open?"},
	} {
		msgs = append(msgs, s)
	}
	if len(msgs) < 80 {
		t.Fatalf("only %d labelled messages", len(msgs))
	}
	right, unsure := 0, 0
	for _, m := range msgs {
		got := DetectLanguage(m.Text)
		switch got {
		case m.Lang:
			right++
		case "":
			unsure++
			t.Logf("unsure: %q", m.Text)
		default:
			t.Logf("%q: got %s, want %s", m.Text, got, m.Lang)
		}
	}
	acc := float64(right) / float64(len(msgs))
	t.Logf("accuracy %.3f on %d messages, %d unsure", acc, len(msgs), unsure)
	if acc < 0.95 {
		t.Errorf("accuracy %.3f, want at least 0.95", acc)
	}
}

func TestDetectLanguageUnsure(t *testing.T) {
	for _, text := range []string{"", "Botox?", "[PHONE_1]", "123 456", "ok", "Hallo"} {
		t.Run(text, func(t *testing.T) {
			if got := DetectLanguage(text); got != "" {
				t.Errorf("DetectLanguage(%q) = %q, want \"\"", text, got)
			}
		})
	}
}

func TestTopicAndIntent(t *testing.T) {
	tests := []struct {
		text, topic, intent string
	}{
		{"How much is botox?", "botox", "question"},
		{"Wat kost een lipfiller?", "filler", "question"},
		{"Je voudrais prendre rendez-vous pour un peeling.", "peel", "booking"},
		{"Ich möchte einen Termin für Laser-Haarentfernung.", "laser", "booking"},
		{"Which serum do you recommend for dry skin?", "skincare", "question"},
		{"Wat zijn jullie prijzen?", "price", "question"},
		{"Haben Sie am Samstag geöffnet?", "hours", "question"},
		{"Kan ik mijn afspraak verzetten", "booking", "booking"},
		{"Où se trouve la clinique ?", "location", "question"},
		{"Where can I park", "location", "question"},
		{"Hello!", "other", "greeting"},
		{"Goedemorgen", "other", "greeting"},
		{"Bonjour", "other", "greeting"},
		{"I am very disappointed with my botox result and want a refund",
			"botox", "complaint"},
		{"Ich bin unzufrieden mit der Behandlung.", "other", "complaint"},
		{"Thanks, that's all.", "other", "other"},
		{"Hi, can I book a consultation for fillers?", "filler", "booking"},
		{"Dag, hoe lang duurt een peeling?", "peel", "question"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r := Classify(tt.text)
			if r.Topic != tt.topic || r.Intent != tt.intent {
				t.Errorf("Classify(%q) topic %q intent %q, want %q %q",
					tt.text, r.Topic, r.Intent, tt.topic, tt.intent)
			}
		})
	}
}

// TestClassifyRedacted checks that placeholders left by the redactor do
// not change the verdict.
func TestClassifyRedacted(t *testing.T) {
	r := Classify("Bel me op [PHONE_1], ik heb hevige pijn na de filler")
	if r.Category != Emergency || r.Lang != "nl" {
		t.Errorf("got %+v, want a Dutch emergency", r)
	}
	r = Classify("Mail me at [EMAIL_1] about the price of botox")
	if r.Category != None || r.Topic != "botox" {
		t.Errorf("got %+v, want an ordinary botox message", r)
	}
}

func TestReply(t *testing.T) {
	langs := []string{"en", "nl", "fr", "de"}
	seen := map[string]bool{}
	for _, c := range []Category{Emergency, Diagnosis, Injection} {
		for _, l := range langs {
			t.Run(string(c)+"_"+l, func(t *testing.T) {
				s := Reply(c, l)
				if s == "" || seen[s] {
					t.Fatalf("Reply(%s, %s) = %q: empty or repeated", c, l, s)
				}
				seen[s] = true
				if c == Emergency && !strings.Contains(s, "112") {
					t.Errorf("emergency reply %q lacks 112", s)
				}
				if DetectLanguage(s) != l {
					t.Errorf("Reply(%s, %s) reads as %q", c, l,
						DetectLanguage(s))
				}
			})
		}
	}
	if got := Reply(None, "en"); got != "" {
		t.Errorf("Reply(None) = %q, want \"\"", got)
	}
	if got := Reply(Emergency, "es"); got != Reply(Emergency, "en") {
		t.Errorf("unknown language: got %q, want English", got)
	}
	if got := Reply("other", "en"); got != "" {
		t.Errorf("unknown category: got %q", got)
	}
}

func TestParsePattern(t *testing.T) {
	for _, bad := range []string{"Botox", "can't", "ab*", "é"} {
		t.Run(bad, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("parsePattern(%q) did not panic", bad)
				}
			}()
			parsePattern(bad)
		})
	}
	if p := parsePattern("swell*"); !p.match("swelling") || p.match("swel") {
		t.Errorf("prefix pattern matches wrongly")
	}
}

func TestParseFolds(t *testing.T) {
	m := parse("Coûte l'œil? Weiß—FÜR can't")
	want := "coute l oeil weiss fur can t"
	if got := strings.Join(m.words, " "); got != want {
		t.Errorf("words %q, want %q", got, want)
	}
	if !m.question {
		t.Error("question mark not seen")
	}
}
