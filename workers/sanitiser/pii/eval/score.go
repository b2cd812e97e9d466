package eval

import (
	"log/slog"
	"math"
	"slices"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// Figures are the counts behind one row of the report.
type Figures struct {
	// Occurrences counts the annotated occurrences.
	Occurrences int
	// Found counts the occurrences whose every letter and digit lies
	// inside findings of the occurrence's own type.
	Found int
	// Removed counts the occurrences whose every letter and digit lies
	// inside findings of any type.
	Removed int
	// Findings counts what the redactor flagged.
	Findings int
	// Correct counts the findings that overlap an annotated occurrence
	// of their own type.
	Correct int
	// Messages, Clean and CleanChanged count messages, messages without
	// personal data, and clean messages the redactor changed. They are
	// kept for languages and the total, not for types.
	Messages, Clean, CleanChanged int
}

// Recall returns Found / Occurrences, or NaN when nothing was annotated.
func (f Figures) Recall() float64 { return ratio(f.Found, f.Occurrences) }

// RecallAnyType returns Removed / Occurrences: the share of annotated
// values removed at all, whatever type they were given. NaN when nothing
// was annotated.
func (f Figures) RecallAnyType() float64 { return ratio(f.Removed, f.Occurrences) }

// Precision returns Correct / Findings, or NaN when nothing was found.
func (f Figures) Precision() float64 { return ratio(f.Correct, f.Findings) }

// CleanChangedShare returns CleanChanged / Clean, or NaN without clean
// messages.
func (f Figures) CleanChangedShare() float64 { return ratio(f.CleanChanged, f.Clean) }

func (f *Figures) add(g Figures) {
	f.Occurrences += g.Occurrences
	f.Found += g.Found
	f.Removed += g.Removed
	f.Findings += g.Findings
	f.Correct += g.Correct
	f.Messages += g.Messages
	f.Clean += g.Clean
	f.CleanChanged += g.CleanChanged
}

func ratio(n, d int) float64 {
	if d == 0 {
		return math.NaN()
	}
	return float64(n) / float64(d)
}

// Miss is an annotated occurrence the redactor did not find whole as its
// own type. It holds the value: print it, never log it.
type Miss struct {
	// ID and Lang name the message.
	ID, Lang string
	// Type is the annotated type.
	Type pii.Type
	// Value is the text of the occurrence.
	Value string
	// Removed is true when findings of other types removed it all.
	Removed bool
	// As lists the types of the findings that overlap the occurrence,
	// its own type included when it was found in part.
	As []pii.Type
}

// LogValue shows where the miss is, never the value.
func (m Miss) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", m.ID), slog.String("type", string(m.Type)))
}

// FalseAlarm is a finding that overlaps no annotated occurrence of its
// type. It holds the text flagged: print it, never log it.
type FalseAlarm struct {
	// ID and Lang name the message.
	ID, Lang string
	// Type and Reason are those of the finding.
	Type   pii.Type
	Reason pii.Reason
	// Value is the text the finding covers.
	Value string
	// Annotated lists the types of the annotated occurrences the finding
	// overlaps: empty when it flagged text that is not personal at all.
	Annotated []pii.Type
}

// LogValue shows where the false alarm is, never the text flagged.
func (f FalseAlarm) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", f.ID), slog.String("type", string(f.Type)))
}

// Report holds the figures of one run over a set.
type Report struct {
	// Types holds the figures of each entity type, annotated or found.
	Types map[pii.Type]*Figures
	// Langs holds the figures of each language.
	Langs map[string]*Figures
	// Total sums every message.
	Total Figures
	// Misses and FalseAlarms list the errors, in message order.
	Misses      []Miss
	FalseAlarms []FalseAlarm
}

// Score redacts every message with r and compares the findings with the
// annotations.
func Score(r *pii.Redactor, msgs []Message) *Report {
	rep := &Report{Types: map[pii.Type]*Figures{}, Langs: map[string]*Figures{}}
	for _, m := range msgs {
		out, findings := r.Redact(m.Text, nil)
		rep.score(m, out, findings)
	}
	return rep
}

// score adds one redacted message to the report.
func (rep *Report) score(m Message, out string, findings []pii.Finding) {
	lang := Figures{Messages: 1}
	if m.Clean() {
		lang.Clean = 1
		if out != m.Text {
			lang.CleanChanged = 1
		}
	}
	occ := m.Occurrences()
	for _, o := range occ {
		g := rep.scoreOccurrence(m, o, findings)
		rep.typ(o.Type).add(g)
		lang.add(g)
	}
	for _, f := range findings {
		g := rep.scoreFinding(m, f, occ)
		rep.typ(f.Type).add(g)
		lang.add(g)
	}
	rep.lang(m.Lang).add(lang)
	rep.Total.add(lang)
}

// scoreOccurrence counts one occurrence and records it if missed.
func (rep *Report) scoreOccurrence(m Message, o Occurrence, findings []pii.Finding) Figures {
	g := Figures{Occurrences: 1}
	if covered(m.Text, o, findings, o.Type) {
		g.Found = 1
	}
	if covered(m.Text, o, findings, "") {
		g.Removed = 1
	}
	if g.Found == 0 {
		rep.Misses = append(rep.Misses, Miss{
			ID: m.ID, Lang: m.Lang, Type: o.Type,
			Value:   m.Text[o.Start:o.End],
			Removed: g.Removed == 1,
			As:      overlappingFindings(o, findings),
		})
	}
	return g
}

// scoreFinding counts one finding and records it if it is a false alarm.
func (rep *Report) scoreFinding(m Message, f pii.Finding, occ []Occurrence) Figures {
	g := Figures{Findings: 1}
	var annotated []pii.Type
	for _, o := range occ {
		if f.Start < o.End && o.Start < f.End {
			if o.Type == f.Type {
				g.Correct = 1
			}
			annotated = appendType(annotated, o.Type)
		}
	}
	if g.Correct == 0 {
		rep.FalseAlarms = append(rep.FalseAlarms, FalseAlarm{
			ID: m.ID, Lang: m.Lang, Type: f.Type, Reason: f.Reason,
			Value:     m.Text[f.Start:f.End],
			Annotated: annotated,
		})
	}
	return g
}

// covered reports whether every letter and digit of o lies inside a
// finding of type t, or of any type when t is empty.
func covered(text string, o Occurrence, findings []pii.Finding, t pii.Type) bool {
	for i, r := range text[o.Start:o.End] {
		if !alnum(r) {
			continue
		}
		at := o.Start + i
		if !slices.ContainsFunc(findings, func(f pii.Finding) bool {
			return (t == "" || f.Type == t) && f.Start <= at && at < f.End
		}) {
			return false
		}
	}
	return true
}

// overlappingFindings returns the distinct types of the findings that
// overlap o.
func overlappingFindings(o Occurrence, findings []pii.Finding) []pii.Type {
	var types []pii.Type
	for _, f := range findings {
		if f.Start < o.End && o.Start < f.End {
			types = appendType(types, f.Type)
		}
	}
	return types
}

func appendType(types []pii.Type, t pii.Type) []pii.Type {
	if slices.Contains(types, t) {
		return types
	}
	return append(types, t)
}

func (rep *Report) typ(t pii.Type) *Figures {
	if rep.Types[t] == nil {
		rep.Types[t] = &Figures{}
	}
	return rep.Types[t]
}

func (rep *Report) lang(l string) *Figures {
	if rep.Langs[l] == nil {
		rep.Langs[l] = &Figures{}
	}
	return rep.Langs[l]
}
