package eval

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// setDir is the annotated set, seen from this package.
const setDir = "../testdata/eval"

// heldoutDir is a second set, written apart from the detectors and used
// to measure them once before it was committed (see Load's doc); its
// annotations are checked as the first set's are.
const heldoutDir = "../testdata/eval-heldout"

// blindDir is a third set, written by someone who had not read the
// detectors (see ../testdata/README.md); checked the same way.
const blindDir = "../testdata/eval-blind"

// langs are the languages of the set, one file each.
var langs = []string{"en", "nl", "fr", "de"}

// The balance the set must keep.
const (
	minPerLang     = 160
	minPerType     = 15
	minNamesPhones = 60   // PERSON and PHONE: far more than minPerType
	minCleanShare  = 0.35 // messages without personal data
	minCleanDigits = 0.5  // clean messages with a number in them
	minRepeats     = 10   // extra occurrences of values written twice
)

func loadSet(t *testing.T) []Message {
	t.Helper()
	msgs, err := Load(setDir)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// loadBoth returns the messages of the three sets.
func loadBoth(t *testing.T) []Message {
	t.Helper()
	all := loadSet(t)
	for _, dir := range []string{heldoutDir, blindDir} {
		more, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(more) < 400 {
			t.Fatalf("%s: %d messages", dir, len(more))
		}
		all = append(all, more...)
	}
	return all
}

// TestSetFiles checks that each language has its file, that every line
// is a message of that language, and that ids are unique and follow the
// "<lang>-<number>" pattern.
func TestSetFiles(t *testing.T) {
	ids := map[string]bool{}
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			msgs, err := LoadFile(filepath.Join(setDir, lang+".jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) < minPerLang {
				t.Errorf("%d messages, want at least %d", len(msgs), minPerLang)
			}
			for _, m := range msgs {
				if m.Lang != lang {
					t.Errorf("%s: lang %q in %s.jsonl", m.ID, m.Lang, lang)
				}
				num, ok := strings.CutPrefix(m.ID, lang+"-")
				if _, err := strconv.Atoi(num); !ok || err != nil {
					t.Errorf("%s: id is not %s-<number>", m.ID, lang)
				}
				if ids[m.ID] {
					t.Errorf("%s: id used twice", m.ID)
				}
				ids[m.ID] = true
			}
		})
	}
}

// TestSetAnnotations checks every annotation: a known type, a value with
// a letter or digit and no space around it, found in the text as a whole
// word at least once outside longer values, never annotated twice, and
// no two values overlapping in part.
func TestSetAnnotations(t *testing.T) {
	for _, m := range loadBoth(t) {
		seen := map[string]bool{}
		for _, v := range m.PII {
			if !slices.Contains(EntityTypes, v.Type) {
				t.Errorf("%s: unknown type %s", m.ID, v.Type)
			}
			if strings.TrimSpace(v.Value) != v.Value || !strings.ContainsFunc(v.Value, alnum) {
				t.Errorf("%s: %s value %q is not trimmed or has no letter or digit",
					m.ID, v.Type, v.Value)
			}
			if !strings.Contains(m.Text, v.Value) {
				t.Errorf("%s: %s value %q is not in the text", m.ID, v.Type, v.Value)
			}
			if seen[v.Value] {
				t.Errorf("%s: value %q annotated twice", m.ID, v.Value)
			}
			seen[v.Value] = true
		}
		checkOccurrences(t, m)
	}
}

// checkOccurrences checks that each value of m counts somewhere and that
// no two occurrences overlap in part.
func checkOccurrences(t *testing.T, m Message) {
	t.Helper()
	occ := m.Occurrences()
	for _, v := range m.PII {
		if !slices.ContainsFunc(occ, func(o Occurrence) bool {
			return o.Type == v.Type && m.Text[o.Start:o.End] == v.Value
		}) {
			t.Errorf("%s: %s value %q never stands on its own", m.ID, v.Type, v.Value)
		}
	}
	for i := 1; i < len(occ); i++ {
		if occ[i].Start < occ[i-1].End {
			t.Errorf("%s: values at %d and %d overlap", m.ID, occ[i-1].Start, occ[i].Start)
		}
	}
}

// TestSetCheckDigits checks that every IBAN, card and national id in the
// set holds its check digits, so that a detector that checks them has
// real-looking numbers to find.
func TestSetCheckDigits(t *testing.T) {
	kinds := map[string]int{}
	for _, m := range loadBoth(t) {
		for _, v := range m.PII {
			switch v.Type {
			case pii.IBAN:
				if !validIBANValue(v.Value) {
					t.Errorf("%s: IBAN %q fails its check", m.ID, v.Value)
				}
			case pii.CreditCard:
				if !validCard(v.Value) {
					t.Errorf("%s: card %q fails the Luhn check", m.ID, v.Value)
				}
			case pii.NationalID:
				kind := nationalIDKind(m.Text, v.Value)
				kinds[kind]++
				if !validNationalID(kind, v.Value) {
					t.Errorf("%s: %s id %q fails its check", m.ID, kind, v.Value)
				}
			}
		}
	}
	for _, kind := range []string{"belgian", "bsn", "nir", "steuer"} {
		if kinds[kind] < 4 {
			t.Errorf("%d %s ids, want at least 4", kinds[kind], kind)
		}
	}
}

// TestSetBalance checks the mix: every type often enough, names and
// phones far more, values written more than once, enough clean messages,
// and most of those holding numbers (prices, doses, dates, times) that
// must survive.
func TestSetBalance(t *testing.T) {
	msgs := loadSet(t)
	types := map[pii.Type]int{}
	clean, cleanDigits, repeats := 0, 0, 0
	for _, m := range msgs {
		for _, v := range m.PII {
			types[v.Type]++
		}
		repeats += len(m.Occurrences()) - len(m.PII)
		if m.Clean() {
			clean++
			if strings.ContainsFunc(m.Text, unicode.IsDigit) {
				cleanDigits++
			}
		}
	}
	for _, typ := range EntityTypes {
		want := minPerType
		if typ == "PERSON" || typ == pii.Phone {
			want = minNamesPhones
		}
		if types[typ] < want {
			t.Errorf("%s annotated %d times, want at least %d", typ, types[typ], want)
		}
	}
	if share := float64(clean) / float64(len(msgs)); share < minCleanShare {
		t.Errorf("%.2f of the messages are clean, want at least %.2f", share, minCleanShare)
	}
	if share := float64(cleanDigits) / float64(clean); share < minCleanDigits {
		t.Errorf("%.2f of the clean messages hold a digit, want at least %.2f", share, minCleanDigits)
	}
	if repeats < minRepeats {
		t.Errorf("%d extra occurrences of repeated values, want at least %d", repeats, minRepeats)
	}
}
