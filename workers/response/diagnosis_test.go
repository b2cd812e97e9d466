package response

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/workers/inference/local"
	"github.com/iglowly/assistant/workers/sanitiser/triage"
)

// TestGuardReplacesDiagnosis checks that a draft that diagnoses is
// replaced by the fixed answer in its language, and nothing of it left.
func TestGuardReplacesDiagnosis(t *testing.T) {
	c := demo(t)
	w := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	cases := map[string]string{
		"It sounds like you have an infection, take 400 mg ibuprofen.":    "en",
		"U heeft waarschijnlijk een infectie op de plek van de injectie.": "nl",
		"Vous avez probablement une infection au point d'injection.":      "fr",
		"Sie haben wahrscheinlich eine Infektion an der Einstichstelle.":  "de",
	}
	for draft, lang := range cases {
		got := w.Guard(c, "", draft)
		if got != triage.Reply(triage.Diagnosis, lang) {
			t.Errorf("Guard(%q) = %q, want the %s answer to a diagnosis", draft, got, lang)
		}
	}
}

// TestGuardPassesLocalAnswers runs the local model on every ordinary
// visitor message of the triage and personal-data evaluation sets, in
// its language, and
// checks that the guard lets every answer through: a guard that blocked
// the product's own answers would be worse than none.
func TestGuardPassesLocalAnswers(t *testing.T) {
	c := demo(t)
	w := New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	files, err := filepath.Glob("../sanitiser/triage/testdata/eval/*.jsonl")
	more, _ := filepath.Glob("../sanitiser/pii/testdata/eval/*.jsonl")
	files = append(files, more...)
	if err != nil || len(files) < 8 {
		t.Fatalf("no evaluation sets: %v", err)
	}
	n := 0
	for _, f := range files {
		for _, m := range readMessages(t, f) {
			if m.Category != "none" && m.Category != "" {
				continue // the sanitiser answers those itself
			}
			resp, err := local.New(c, m.Lang).GenerateContent(context.Background(),
				[]llms.MessageContent{llms.TextParts(llms.ChatMessageTypeHuman, m.Text)})
			if err != nil {
				t.Fatal(err)
			}
			draft := resp.Choices[0].Content
			if triage.IsDiagnosisDraft(draft) {
				t.Errorf("%s: the answer %q reads as a diagnosis", m.ID, draft)
			}
			if got := w.Guard(c, "", draft); strings.Contains(got, "[…]") {
				t.Errorf("%s: a link of the clinic's was removed: %q", m.ID, got)
			}
			n++
		}
	}
	if n < 800 {
		t.Errorf("only %d messages checked", n)
	}
}

type evalMessage struct {
	ID, Lang, Text, Category string
}

func readMessages(t *testing.T, path string) []evalMessage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalMessage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m evalMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
	return out
}
