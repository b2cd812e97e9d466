package pii

import (
	"strings"
	"testing"
)

// FuzzPerson checks the person detector on any input: spans inside the
// text, on character boundaries, in order and not overlapping, each with
// a reason and a key; and redacting twice with every detector changes
// nothing more.
func FuzzPerson(f *testing.F) {
	for _, s := range []string{
		"", "Ik ben Sofie Van den Broeck", "Groetjes,\nJ. de Graaf",
		"D'Hondt O'Neill Anne-Sophie", "Dr. Dr. Dr.", "Mme", "van van van de",
		"Bonjour Mme Van Houtte'", "ik heet sofie peeters", "[PERSON_1] Peeters",
		"Rose rose ROSE Rosé", "Ich bin die jana", "Ruth here", "x'Y-z'W",
		"Sofie.Peeters@x.be Sofie_P #Sofie @Sofie", "Łukasz Wiśniewski",
		"A. B. C. D.", "Jan\u00a0Peeters", "Groetjes Lars en Noor en Roos",
		"Filip & Veerle", "Zoë Yves [ADDRESS_1] 's", "15 Jan [PHONE_1] Jan",
	} {
		f.Add(s)
	}
	d := newPersonDetector()
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		checkPersonSpans(t, d, s)
		checkIdempotent(t, r, s)
	})
}

// FuzzPersonTurns redacts a history turn and then a message with one
// Placeholders, as the sanitiser does, and checks the message's spans
// and that redacting it again changes nothing more: names seen in the
// history never make a second pass find more than the first.
func FuzzPersonTurns(f *testing.F) {
	for _, s := range [][2]string{
		{"ik ben Sofie", "Sofie hier nog eens, kan het vrijdag?"},
		{"Groetjes, Mark De Smet", "Mark De Smet en mark, MARK"},
		{"I'm Rose", "Rose rose ROSE Rosé [PERSON_1] Rose"},
		{"Kind regards, Jane Baker", "12 Baker Street, Baker Jane Baker"},
		{"Anne-Sophie D'Hondt", "anne-sophie d'hondt Anne Sophie"},
		{"ich heiße Ursula Lang", "Lang Ursula lang ursula-lang"},
	} {
		f.Add(s[0], s[1])
	}
	r := New()
	f.Fuzz(func(t *testing.T, history, msg string) {
		p := NewPlaceholders()
		r.Redact(history, p)
		once, found := r.Redact(msg, p)
		last := 0
		for _, x := range found {
			if x.Start < last || x.End <= x.Start || x.End > len(msg) {
				t.Fatalf("Redact(%q): bad finding %+v", msg, x)
			}
			last = x.End
		}
		if twice, more := r.Redact(once, p); twice != once || len(more) != 0 {
			t.Fatalf("after %q, not idempotent: %q -> %q -> %q (%v)",
				history, msg, once, twice, more)
		}
	})
}

// TestPersonShuffled builds many texts from the pieces names are made of
// (cues, titles, particles, names, words that are names, punctuation,
// numbers, placeholders) in a fixed pseudo-random order and checks what
// FuzzPerson checks, with the person detector alone, so that a run
// without -fuzz covers more than the seeds.
func TestPersonShuffled(t *testing.T) {
	d := newPersonDetector()
	r := personOnly()
	next := shuffler(1)
	for range 3000 {
		s := shuffledText(next)
		checkPersonSpans(t, d, s)
		checkIdempotent(t, r, s)
	}
}

// namePieces are what TestPersonShuffled builds texts of.
var namePieces = []string{
	"ik ben", "Ik ben", "my name is", "je m'appelle", "ich heiße", "I'm",
	"Dr.", "Mme", "mevrouw", "Herr", "van", "de", "den", "El", "d'", "O'",
	"Sofie", "sofie", "Peeters", "Van den Broeck", "Anne-Sophie", "J.",
	"Rose", "rosé", "Mark", "Roos", "Botox", "Falten", "Gent", "Zyneth",
	"groetjes", "Groetjes,", "mvg", "LG", "Bedankt!", "Hallo", "Beste",
	"mijn dochter", "hier", "here", "en", "und", "&", ",", ".", "!", "?",
	":", "\n", " - ", "(", ")", "'s", "@", "/", "_", "0470 12 34 56", "12",
	"[PERSON_1]", "[EMAIL_2]", "[ADDRESS_1]", "[PHONE_3]", "straat",
	"Kerkstraat", "Avenue", "BV", "Yves", "Rocher", "15 Jan", "ŞAHİN",
	"Zoë", "der", "die", "ist",
}

// shuffler returns a pseudo-random source of numbers below n.
func shuffler(seed uint64) func(n int) int {
	return func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
}

// shuffledText joins up to twelve name pieces, with or without spaces.
func shuffledText(next func(int) int) string {
	var b strings.Builder
	for range 1 + next(12) {
		if next(3) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(namePieces[next(len(namePieces))])
	}
	return b.String()
}

// checkPersonSpans fails t unless the spans d finds in s are valid.
func checkPersonSpans(t *testing.T, d *personDetector, s string) {
	t.Helper()
	var in Input
	in.reset(s)
	// where characters start, as decoding reads them: a stray byte of
	// invalid UTF-8 is a character of its own
	bound := map[int]bool{len(s): true}
	for i := range s {
		bound[i] = true
	}
	last := 0
	for _, sp := range d.Find(&in, nil) {
		if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
			t.Fatalf("Find(%q): bad span %+v after %d", s, sp, last)
		}
		if !bound[sp.Start] || !bound[sp.End] {
			t.Fatalf("Find(%q): span %+v splits a character", s, sp)
		}
		if sp.Reason == "" || sp.Key == "" {
			t.Fatalf("Find(%q): span %+v without reason or key", s, sp)
		}
		last = sp.End
	}
}

// checkIdempotent fails t if redacting s a second time changes it.
func checkIdempotent(t *testing.T, r *Redactor, s string) {
	t.Helper()
	p := NewPlaceholders()
	once, _ := r.Redact(s, p)
	if twice, more := r.Redact(once, p); twice != once || len(more) != 0 {
		t.Fatalf("not idempotent: %q -> %q -> %q (%v)", s, once, twice, more)
	}
}
