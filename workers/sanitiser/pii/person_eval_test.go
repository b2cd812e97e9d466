package pii_test

import (
	"testing"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
	"github.com/iglowly/assistant/workers/sanitiser/pii/eval"
)

// TestPersonEval scores names on the annotated evaluation set, language
// by language, with every detector, against the goals of the issue:
// recall at least 0.95 and precision at least 0.97.
func TestPersonEval(t *testing.T) {
	msgs, err := eval.Load("testdata/eval")
	if err != nil {
		t.Fatalf("loading the evaluation set: %v", err)
	}
	byLang := map[string][]eval.Message{}
	for _, m := range msgs {
		byLang[m.Lang] = append(byLang[m.Lang], m)
	}
	r := pii.New()
	for lang, ms := range byLang {
		f := eval.Score(r, ms).Types[pii.Person]
		if f == nil || f.Occurrences == 0 {
			t.Errorf("%s: no names annotated", lang)
			continue
		}
		t.Logf("%s: %d names, recall %.3f, %d findings, precision %.3f",
			lang, f.Occurrences, f.Recall(), f.Findings, f.Precision())
		if f.Recall() < 0.95 || f.Precision() < 0.97 {
			t.Errorf("%s: recall %.3f, precision %.3f, want 0.95 and 0.97",
				lang, f.Recall(), f.Precision())
		}
	}
}
