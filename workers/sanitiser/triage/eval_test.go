package triage

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The evaluation set, testdata/eval/<lang>.jsonl, holds visitor
// messages written for it by hand and annotated with the category they
// must get (see testdata/eval/README.md). TestEvaluation scores Classify
// on it and requires the goals below; a quarter of the set, chosen by a
// hash of the id, was kept aside while the word lists were tuned and is
// reported apart: its figures are the honest measure of the lists.

// evalLangs are the languages of the set, one file each.
var evalLangs = []string{"en", "nl", "fr", "de"}

// minEvalPerLang is the fewest messages a language of the set may have.
const minEvalPerLang = 120

// The goals. Missing an emergency is the worst error, so its recall is
// the strictest; a false emergency costs a visitor an alarming answer,
// so its precision is bounded too.
const (
	goalEmergencyRecall    = 0.98
	goalEmergencyPrecision = 0.90
	goalInjectionRecall    = 0.90
	goalDiagnosisRecall    = 0.90
	// goalOrdinaryWrong is the largest share of ordinary messages that
	// may get another category than None.
	goalOrdinaryWrong = 0.03
)

// evalCase is one line of the set.
type evalCase struct {
	ID       string   `json:"id"`
	Lang     string   `json:"lang"`
	Text     string   `json:"text"`
	Category Category `json:"category"`
	Topic    string   `json:"topic,omitempty"`
	Intent   string   `json:"intent,omitempty"`
}

// heldOut reports whether a case belongs to the part kept aside while
// tuning: a quarter of the ids, by their FNV-1a hash.
func heldOut(id string) bool {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()%4 == 0
}

func loadEval(t testing.TB) []evalCase {
	t.Helper()
	var all []evalCase
	for _, lang := range evalLangs {
		all = append(all, loadEvalFile(t, lang)...)
	}
	return all
}

func loadEvalFile(t testing.TB, lang string) []evalCase {
	t.Helper()
	path := filepath.Join("testdata", "eval", lang+".jsonl")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening evaluation set: %v", err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var c evalCase
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		if c.Lang != lang {
			t.Fatalf("%s:%d: lang %q in the %s file", path, line, c.Lang, lang)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return out
}

// TestEvalSetIsWellFormed checks the set itself: known labels, unique ids
// and texts, enough messages of each category in each language, and a
// held-out part of about a quarter of each.
func TestEvalSetIsWellFormed(t *testing.T) {
	cats := map[Category]bool{None: true, Emergency: true, Diagnosis: true,
		Injection: true}
	ids, texts := map[string]bool{}, map[string]string{}
	type key struct {
		lang string
		cat  Category
	}
	count, held := map[key]int{}, map[key]int{}
	for _, c := range loadEval(t) {
		norm := strings.Join(parse(c.Text).words, " ")
		switch {
		case !cats[c.Category]:
			t.Errorf("%s: unknown category %q", c.ID, c.Category)
		case c.Topic != "" && !validTopic(c.Topic):
			t.Errorf("%s: unknown topic %q", c.ID, c.Topic)
		case c.Intent != "" && !validIntent(c.Intent):
			t.Errorf("%s: unknown intent %q", c.ID, c.Intent)
		case ids[c.ID]:
			t.Errorf("%s: id used twice", c.ID)
		case texts[norm] != "":
			t.Errorf("%s: same text as %s", c.ID, texts[norm])
		}
		ids[c.ID], texts[norm] = true, c.ID
		k := key{c.Lang, c.Category}
		count[k]++
		if heldOut(c.ID) {
			held[k]++
		}
	}
	for _, lang := range evalLangs {
		total := 0
		for cat := range cats {
			k := key{lang, cat}
			total += count[k]
			if count[k] < 25 {
				t.Errorf("%s: %d %s messages, want at least 25", lang,
					count[k], cat)
			}
			share := float64(held[k]) / float64(max(count[k], 1))
			if share < 0.12 || share > 0.40 {
				t.Errorf("%s %s: %.2f held out, want about a quarter",
					lang, cat, share)
			}
		}
		if total < minEvalPerLang {
			t.Errorf("%s: %d messages, want at least %d", lang, total,
				minEvalPerLang)
		}
	}
}

func validTopic(s string) bool {
	if s == "other" || s == "booking" {
		return true
	}
	for _, t := range topics {
		if t.name == s {
			return true
		}
	}
	return false
}

func validIntent(s string) bool {
	switch s {
	case "question", "booking", "complaint", "greeting", "other":
		return true
	}
	return false
}

// tally counts the verdicts on a part of the set.
type tally struct {
	// got counts (want, got) pairs of categories.
	got                    map[[2]Category]int
	topics, topicsRight    int
	intents, intentsRight  int
	messages, ordinaryMiss int
}

func newTally() *tally { return &tally{got: map[[2]Category]int{}} }

func (s *tally) add(c evalCase, r Result) {
	s.messages++
	s.got[[2]Category{c.Category, r.Category}]++
	if c.Category == None && r.Category != None {
		s.ordinaryMiss++
	}
	if c.Topic != "" {
		s.topics++
		if r.Topic == c.Topic {
			s.topicsRight++
		}
	}
	if c.Intent != "" {
		s.intents++
		if r.Intent == c.Intent {
			s.intentsRight++
		}
	}
}

// recall is the share of messages labelled c that got c; 1 when there
// are none.
func (s *tally) recall(c Category) float64 { return s.share(c, 0) }

// precision is the share of messages that got c and are labelled c; 1
// when none got c.
func (s *tally) precision(c Category) float64 { return s.share(c, 1) }

// share counts the (want, got) pairs whose side `side` (0 want, 1 got)
// is c, and returns the part of them where both are c.
func (s *tally) share(c Category, side int) float64 {
	right, all := 0, 0
	for k, n := range s.got {
		if k[side] == c {
			all += n
			if k[0] == k[1] {
				right += n
			}
		}
	}
	return ratio(right, all)
}

// ordinaryWrong is the share of ordinary messages given another
// category.
func (s *tally) ordinaryWrong() float64 {
	all := 0
	for k, n := range s.got {
		if k[0] == None {
			all += n
		}
	}
	if all == 0 {
		return 0
	}
	return float64(s.ordinaryMiss) / float64(all)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// row formats the figures of a part of the set.
func (s *tally) row(name string) string {
	return fmt.Sprintf("%-9s %4d  emergency R %.3f P %.3f  "+
		"diagnosis R %.3f P %.3f  injection R %.3f P %.3f  "+
		"ordinary wrong %.3f  topic %.2f intent %.2f",
		name, s.messages,
		s.recall(Emergency), s.precision(Emergency),
		s.recall(Diagnosis), s.precision(Diagnosis),
		s.recall(Injection), s.precision(Injection),
		s.ordinaryWrong(), ratio(s.topicsRight, s.topics),
		ratio(s.intentsRight, s.intents))
}

// TestEvaluation classifies the whole evaluation set, logs recall and
// precision per category for each language, for all of it and for its
// held-out part, lists the misses, and requires the goals of each
// language on the whole set.
func TestEvaluation(t *testing.T) {
	cases := loadEval(t)
	parts := map[string]*tally{}
	part := func(name string) *tally {
		if parts[name] == nil {
			parts[name] = newTally()
		}
		return parts[name]
	}
	for _, c := range cases {
		r := Classify(c.Text)
		names := []string{c.Lang, "all"}
		mark := ""
		if heldOut(c.ID) {
			names = append(names, c.Lang+"/held", "all/held")
			mark = " [held-out]"
		}
		for _, n := range names {
			part(n).add(c, r)
		}
		if r.Category != c.Category {
			t.Logf("miss %s%s: want %s, got %s: %q", c.ID, mark,
				c.Category, r.Category, c.Text)
		}
	}
	for _, n := range []string{"en", "nl", "fr", "de", "all", "en/held",
		"nl/held", "fr/held", "de/held", "all/held"} {
		t.Log(part(n).row(n))
	}
	for _, lang := range append(evalLangs, "all") {
		checkGoals(t, lang, part(lang))
	}
}

// checkGoals fails t for each goal a part of the set misses.
func checkGoals(t *testing.T, name string, s *tally) {
	t.Helper()
	goals := []struct {
		what      string
		got, want float64
		atMost    bool
	}{
		{"emergency recall", s.recall(Emergency), goalEmergencyRecall, false},
		{"emergency precision", s.precision(Emergency),
			goalEmergencyPrecision, false},
		{"injection recall", s.recall(Injection), goalInjectionRecall, false},
		{"diagnosis recall", s.recall(Diagnosis), goalDiagnosisRecall, false},
		{"ordinary messages wrongly triaged", s.ordinaryWrong(),
			goalOrdinaryWrong, true},
	}
	for _, g := range goals {
		if g.atMost && g.got > g.want || !g.atMost && g.got < g.want {
			t.Errorf("%s: %s %.3f, goal %.2f", name, g.what, g.got, g.want)
		}
	}
}

// TestIsInjectionOnTurns checks the verdict the sanitiser asks of each
// turn of a history: every injection of the evaluation set is one, no
// ordinary message or request for a diagnosis is, and neither is any of
// the fixed answers, which come back as the assistant's turns.
func TestIsInjectionOnTurns(t *testing.T) {
	for _, c := range loadEval(t) {
		if c.Category == Emergency {
			continue // an emergency is answered at once, whatever else it says
		}
		if got, want := IsInjection(c.Text), c.Category == Injection; got != want {
			t.Errorf("%s: IsInjection %v, want %v: %q", c.ID, got, want, c.Text)
		}
	}
	for cat, byLang := range replies {
		for lang, text := range byLang {
			if IsInjection(text) {
				t.Errorf("the %s reply in %s counts as an injection", cat, lang)
			}
		}
	}
}
