// Package pii removes personal data from visitor messages before any AI
// model sees them. A Redactor runs an ordered list of detectors over the
// text, resolves overlapping spans and replaces each value with a typed,
// numbered placeholder such as [EMAIL_1] or [PHONE_2]. Placeholders keep
// one number per value across a message and its history; nothing maps
// them back to the values once the request is over.
//
// Adding an entity type means writing a Detector and adding it to
// Default: numbering, overlap resolution and replacement are shared.
package pii

import (
	"log/slog"
	"slices"
	"sync"
)

// Type names a kind of personal value. It is the word used in
// placeholders and in the anonymous counts.
type Type string

// The entity types of personal data.
const (
	Person          Type = "PERSON"
	Email           Type = "EMAIL"
	Phone           Type = "PHONE"
	IBAN            Type = "IBAN"
	CreditCard      Type = "CREDIT_CARD"
	NationalID      Type = "NATIONAL_ID"
	DateOfBirth     Type = "DATE_OF_BIRTH"
	Address         Type = "ADDRESS"
	HealthInsurance Type = "HEALTH_INSURANCE"
	Passport        Type = "PASSPORT"
	URL             Type = "URL"
	IPAddress       Type = "IP_ADDRESS"
)

// Reason says why a span was taken to be personal data.
type Reason string

// The reasons detectors give.
const (
	// ReasonPattern is a match on shape alone.
	ReasonPattern Reason = "pattern"
	// ReasonMod97 is a shape whose ISO 7064 mod-97 check digits hold.
	ReasonMod97 Reason = "checksum:mod97"
	// ReasonLuhn is a shape whose Luhn check digit holds.
	ReasonLuhn Reason = "checksum:luhn"
	// ReasonContext is a match made sure by words around it.
	ReasonContext Reason = "context"
)

// Finding is one personal value removed from a text. It holds where the
// value was, never the value itself.
type Finding struct {
	// Type is the kind of value.
	Type Type
	// Start and End are byte offsets of the value in the input text.
	Start, End int
	// Reason says why the value was taken to be personal data.
	Reason Reason
}

// LogValue shows the type and reason of f only, so that logging a
// finding can never point at the value.
func (f Finding) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", string(f.Type)),
		slog.String("reason", string(f.Reason)),
	)
}

// Counts returns how many findings there are of each type, keyed by the
// type name. It is what may be counted and logged about a message.
func Counts(findings []Finding) map[string]int {
	m := make(map[string]int, len(findings))
	for _, f := range findings {
		m[string(f.Type)]++
	}
	return m
}

// Span is a value a Detector found: a byte range of the input and why.
type Span struct {
	// Start and End are byte offsets in Input.Text; both must fall on
	// UTF-8 character boundaries.
	Start, End int
	// Reason says why the span is personal data.
	Reason Reason
	// Key is the value in a canonical form (digits only, lower case...)
	// so that two spellings of one value share a placeholder. An empty
	// Key means the text of the span itself.
	Key string
}

// Detector finds values of one type in a text.
type Detector interface {
	// Type returns the type of the values the detector finds.
	Type() Type
	// Find appends the spans it finds in in to dst and returns dst. Spans
	// may overlap each other; the Redactor resolves overlaps.
	Find(in *Input, dst []Span) []Span
}

// Priorities of the built-in detectors: when spans of two detectors
// overlap, the one with the lower number wins. Values with a checksum or
// an unambiguous shape come first, then numbers known by their context,
// then phones, dates, addresses and, last, names.
const (
	prioEmail      = 10
	prioURL        = 15
	prioIBAN       = 20
	prioNationalID = 30
	prioInsurance  = 35
	prioPassport   = 36
	prioCard       = 40
	prioIP         = 45
	prioPhone      = 50
	prioBirthDate  = 60
	prioAddress    = 70
	prioPerson     = 80
)

// builtin pairs a detector with its priority.
type builtin struct {
	prio int
	d    Detector
}

// builtins are the detectors of this package; each file that defines
// one registers it with register, from an init function.
var builtins []builtin

func register(prio int, d Detector) {
	builtins = append(builtins, builtin{prio, d})
}

// Default returns the built-in detectors in priority order: when spans
// of two detectors overlap, the earlier detector wins.
func Default() []Detector {
	sorted := slices.Clone(builtins)
	slices.SortStableFunc(sorted, func(a, b builtin) int { return a.prio - b.prio })
	out := make([]Detector, len(sorted))
	for i, b := range sorted {
		out[i] = b.d
	}
	return out
}

// Redactor replaces personal data with placeholders. It is safe for
// concurrent use.
type Redactor struct {
	detectors []Detector
	scratch   sync.Pool
}

// New returns a Redactor with the Default detectors.
func New() *Redactor {
	return NewWith(Default()...)
}

// NewWith returns a Redactor with the given detectors, in priority order.
func NewWith(detectors ...Detector) *Redactor {
	r := &Redactor{detectors: detectors}
	r.scratch.New = func() any { return new(work) }
	return r
}

// work is the memory one Redact call needs, reused across calls.
type work struct {
	in    Input
	spans []Span
	cands []candidate
	kept  []candidate
}

// Redact returns text with every personal value found replaced by a
// placeholder, and the findings, in order of position. Placeholders p
// numbers values; use one for a message and its history, redacting the
// history first: detectors see what p numbered before (a name found by
// its cue in the history is found again without it in the message). A
// nil p numbers the values of this call only.
// Placeholders already in text, such as [EMAIL_1], are left as they are,
// so redacting a redacted text changes nothing.
//
// A value's placeholder changes the words around it, which a detector
// reads: "Peter'AA@x.be" holds no name, "Peter'[EMAIL_1]" does. So the
// result is redacted again, up to maxPasses times in all, until a pass
// finds nothing more; findings of later passes are given as spans of
// text, placeholders they hold spanning what those stood for.
func (r *Redactor) Redact(text string, p *Placeholders) (string, []Finding) {
	if text == "" {
		return text, nil
	}
	if p == nil {
		p = NewPlaceholders()
	}
	out, found := r.pass(text, p)
	for n := 1; n < maxPasses && len(found) > 0; n++ {
		again, more := r.pass(out, p)
		if len(more) == 0 {
			break
		}
		found = mergeFindings(found, mapFindings(out, found, more))
		out = again
	}
	return out, found
}

// maxPasses bounds how many times Redact reads a text.
const maxPasses = 4

// pass redacts text once.
func (r *Redactor) pass(text string, p *Placeholders) (string, []Finding) {
	w := r.scratch.Get().(*work)
	defer r.put(w)

	w.in.reset(text)
	w.in.earlier = p
	w.kept = protect(text, p, w.kept[:0])
	w.cands = w.cands[:0]
	for prio, d := range r.detectors {
		w.spans = d.Find(&w.in, w.spans[:0])
		for _, s := range w.spans {
			if s.Start >= 0 && s.Start < s.End && s.End <= len(text) {
				w.cands = append(w.cands, candidate{Span: s, typ: d.Type(), prio: prio})
			}
		}
	}
	if len(w.cands) == 0 {
		return text, nil
	}
	w.kept = resolve(text, w.cands, w.kept)
	return replace(text, w.kept, p)
}

// put clears the scratch of the text it refers to and returns it.
func (r *Redactor) put(w *work) {
	w.in.reset("")
	clear(w.spans)
	clear(w.cands)
	clear(w.kept)
	r.scratch.Put(w)
}
