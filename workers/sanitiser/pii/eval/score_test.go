package eval

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// spotter is a detector that flags given pieces of text as one type, at
// their first occurrence: it lets a test decide exactly what is found.
type spotter struct {
	typ    pii.Type
	pieces []string
}

func (s spotter) Type() pii.Type { return s.typ }

// Find finds the first occurrence of each piece, in a text not yet
// redacted only: the Redactor reads a text again after a pass that
// found something, and the cases below want a detector that misses
// the second occurrence.
func (s spotter) Find(in *pii.Input, dst []pii.Span) []pii.Span {
	if strings.Contains(in.Text, "[") {
		return dst
	}
	for _, p := range s.pieces {
		if k := strings.Index(in.Text, p); k >= 0 {
			dst = append(dst, pii.Span{Start: k, End: k + len(p), Reason: pii.ReasonPattern})
		}
	}
	return dst
}

func phoneAt(text string) Message {
	return Message{ID: "nl-001", Lang: "nl", Text: text,
		PII: []Value{{Type: pii.Phone, Value: "0470 12 34 56"}}}
}

// TestScoreCases checks the figures of one message against what the
// redactor found in it.
func TestScoreCases(t *testing.T) {
	const bel = "bel me op 0470 12 34 56 aub"
	tests := []struct {
		name     string
		msg      Message
		spotters []spotter
		want     Figures
		misses   []Miss
		alarms   []FalseAlarm
	}{{
		name:     "found whole",
		msg:      phoneAt(bel),
		spotters: []spotter{{pii.Phone, []string{"0470 12 34 56"}}},
		want:     Figures{Occurrences: 1, Found: 1, Removed: 1, Findings: 1, Correct: 1, Messages: 1},
	}, {
		name:     "found in two pieces",
		msg:      phoneAt(bel),
		spotters: []spotter{{pii.Phone, []string{"0470 12", "34 56"}}},
		want:     Figures{Occurrences: 1, Found: 1, Removed: 1, Findings: 2, Correct: 2, Messages: 1},
	}, {
		name:     "last digit left",
		msg:      phoneAt(bel),
		spotters: []spotter{{pii.Phone, []string{"0470 12", "34 5"}}},
		want:     Figures{Occurrences: 1, Findings: 2, Correct: 2, Messages: 1},
		misses: []Miss{{ID: "nl-001", Lang: "nl", Type: pii.Phone, Value: "0470 12 34 56",
			As: []pii.Type{pii.Phone}}},
	}, {
		name:     "found as another type",
		msg:      phoneAt(bel),
		spotters: []spotter{{pii.NationalID, []string{"0470 12 34 56"}}},
		want:     Figures{Occurrences: 1, Removed: 1, Findings: 1, Messages: 1},
		misses: []Miss{{ID: "nl-001", Lang: "nl", Type: pii.Phone, Value: "0470 12 34 56",
			Removed: true, As: []pii.Type{pii.NationalID}}},
		alarms: []FalseAlarm{{ID: "nl-001", Lang: "nl", Type: pii.NationalID,
			Reason: pii.ReasonPattern, Value: "0470 12 34 56",
			Annotated: []pii.Type{pii.Phone}}},
	}, {
		name:   "missed",
		msg:    phoneAt(bel),
		want:   Figures{Occurrences: 1, Messages: 1},
		misses: []Miss{{ID: "nl-001", Lang: "nl", Type: pii.Phone, Value: "0470 12 34 56"}},
	}, {
		name:     "false alarm on a clean message",
		msg:      Message{ID: "nl-002", Lang: "nl", Text: "vanaf 190 euro, 20 eenheden"},
		spotters: []spotter{{pii.Phone, []string{"190 euro"}}},
		want:     Figures{Findings: 1, Messages: 1, Clean: 1, CleanChanged: 1},
		alarms: []FalseAlarm{{ID: "nl-002", Lang: "nl", Type: pii.Phone, Reason: pii.ReasonPattern,
			Value: "190 euro"}},
	}, {
		name: "clean message left alone",
		msg:  Message{ID: "nl-003", Lang: "nl", Text: "vanaf 190 euro"},
		want: Figures{Messages: 1, Clean: 1},
	}, {
		name: "a value marked once counts twice",
		msg: Message{ID: "nl-004", Lang: "nl", Text: "ik ben Sofie. groetjes, Sofie",
			PII: []Value{{Type: "PERSON", Value: "Sofie"}}},
		spotters: []spotter{{"PERSON", []string{"Sofie"}}},
		want:     Figures{Occurrences: 2, Found: 1, Removed: 1, Findings: 1, Correct: 1, Messages: 1},
		misses:   []Miss{{ID: "nl-004", Lang: "nl", Type: "PERSON", Value: "Sofie"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ds []pii.Detector
			for _, s := range tt.spotters {
				ds = append(ds, s)
			}
			rep := Score(pii.NewWith(ds...), []Message{tt.msg})
			if rep.Total != tt.want {
				t.Errorf("total %+v, want %+v", rep.Total, tt.want)
			}
			if got := *rep.Langs["nl"]; got != tt.want {
				t.Errorf("nl %+v, want %+v", got, tt.want)
			}
			if !slices.EqualFunc(rep.Misses, tt.misses, equalMiss) {
				t.Errorf("misses %+v, want %+v", rep.Misses, tt.misses)
			}
			if !slices.EqualFunc(rep.FalseAlarms, tt.alarms, equalAlarm) {
				t.Errorf("false alarms %+v, want %+v", rep.FalseAlarms, tt.alarms)
			}
		})
	}
}

func equalMiss(a, b Miss) bool {
	return a.ID == b.ID && a.Lang == b.Lang && a.Type == b.Type && a.Value == b.Value &&
		a.Removed == b.Removed && slices.Equal(a.As, b.As)
}

func equalAlarm(a, b FalseAlarm) bool {
	return a.ID == b.ID && a.Lang == b.Lang && a.Type == b.Type && a.Reason == b.Reason &&
		a.Value == b.Value && slices.Equal(a.Annotated, b.Annotated)
}

// TestScoreRatios checks the figures by type and by language and the
// ratios over several messages.
func TestScoreRatios(t *testing.T) {
	msgs := []Message{
		phoneAt("bel 0470 12 34 56"),
		{ID: "fr-001", Lang: "fr", Text: "je suis Léa, 0470 12 34 56 ou lea@example.be",
			PII: []Value{{Type: "PERSON", Value: "Léa"},
				{Type: pii.Phone, Value: "0470 12 34 56"},
				{Type: pii.Email, Value: "lea@example.be"}}},
		{ID: "fr-002", Lang: "fr", Text: "à partir de 190 €"},
		{ID: "fr-003", Lang: "fr", Text: "le 3 mars à 10h"},
	}
	r := pii.NewWith(
		spotter{pii.Email, []string{"lea@example.be"}},
		spotter{pii.Phone, []string{"0470 12 34 56", "190"}},
	)
	rep := Score(r, msgs)

	checks := []struct {
		name      string
		got, want float64
	}{
		{"recall", rep.Total.Recall(), 3.0 / 4},
		{"precision", rep.Total.Precision(), 3.0 / 4},
		{"clean changed", rep.Total.CleanChangedShare(), 1.0 / 2},
		{"phone recall", rep.Types[pii.Phone].Recall(), 1},
		{"phone precision", rep.Types[pii.Phone].Precision(), 2.0 / 3},
		{"person recall", rep.Types["PERSON"].Recall(), 0},
		{"email precision", rep.Types[pii.Email].Precision(), 1},
		{"nl recall", rep.Langs["nl"].Recall(), 1},
		{"fr recall", rep.Langs["fr"].Recall(), 2.0 / 3},
		{"fr precision", rep.Langs["fr"].Precision(), 2.0 / 3},
		{"fr clean changed", rep.Langs["fr"].CleanChangedShare(), 1.0 / 2},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !math.IsNaN(rep.Types["PERSON"].Precision()) {
		t.Errorf("person precision = %v without findings, want NaN", rep.Types["PERSON"].Precision())
	}
	if rep.Langs["nl"].Messages != 1 || rep.Langs["fr"].Messages != 3 || rep.Total.Clean != 2 {
		t.Errorf("message counts nl %+v fr %+v", *rep.Langs["nl"], *rep.Langs["fr"])
	}
}

// TestOccurrences checks where values count: as whole words only, and
// not again inside a longer value.
func TestOccurrences(t *testing.T) {
	tests := []struct {
		name string
		text string
		pii  []Value
		want []string
	}{
		{"glued to a word", "Ann en Anneleen, en nog eens Ann",
			[]Value{{"PERSON", "Ann"}}, []string{"Ann", "Ann"}},
		{"inside a longer value", "ik ben Sofie Peeters, groetjes Sofie",
			[]Value{{"PERSON", "Sofie"}, {"PERSON", "Sofie Peeters"}},
			[]string{"Sofie Peeters", "Sofie"}},
		{"name in a street", "Jan woont Jan Breydellaan 4, 8000 Brugge",
			[]Value{{"PERSON", "Jan"}, {"ADDRESS", "Jan Breydellaan 4, 8000 Brugge"}},
			[]string{"Jan", "Jan Breydellaan 4, 8000 Brugge"}},
		{"punctuation around", "(0470 12 34 56)",
			[]Value{{pii.Phone, "0470 12 34 56"}}, []string{"0470 12 34 56"}},
		{"letters after a digit value", "code 12345AB, 12345",
			[]Value{{"PASSPORT", "12345"}}, []string{"12345"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Message{Text: tt.text, PII: tt.pii}
			var got []string
			for _, o := range m.Occurrences() {
				got = append(got, m.Text[o.Start:o.End])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("occurrences %q, want %q", got, tt.want)
			}
		})
	}
}

// TestScoreSet runs the default redactor over the whole set and checks
// that the figures add up, whatever they are.
func TestScoreSet(t *testing.T) {
	msgs := loadSet(t)
	rep := Score(pii.New(), msgs)

	var byType, byLang Figures
	for _, f := range rep.Types {
		byType.add(*f)
	}
	for _, f := range rep.Langs {
		byLang.add(*f)
	}
	byLang.Messages, byLang.Clean, byLang.CleanChanged = 0, 0, 0
	total := rep.Total
	total.Messages, total.Clean, total.CleanChanged = 0, 0, 0
	if byType != total || byLang != total {
		t.Errorf("by type %+v, by language %+v, total %+v", byType, byLang, total)
	}

	f := rep.Total
	if f.Messages != len(msgs) || f.Found > f.Removed || f.Removed > f.Occurrences ||
		f.Correct > f.Findings {
		t.Errorf("inconsistent total %+v", f)
	}
	if got := f.Occurrences - f.Found; got != len(rep.Misses) {
		t.Errorf("%d misses listed, want %d", len(rep.Misses), got)
	}
	if got := f.Findings - f.Correct; got != len(rep.FalseAlarms) {
		t.Errorf("%d false alarms listed, want %d", len(rep.FalseAlarms), got)
	}
}
