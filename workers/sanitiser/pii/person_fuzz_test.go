package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
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
	} {
		f.Add(s)
	}
	d := newPersonDetector()
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		var in Input
		in.reset(s)
		last := 0
		for _, sp := range d.Find(&in, nil) {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("Find(%q): bad span %+v after %d", s, sp, last)
			}
			if !utf8.RuneStart(s[sp.Start]) || sp.End < len(s) && !utf8.RuneStart(s[sp.End]) {
				t.Fatalf("Find(%q): span %+v splits a character", s, sp)
			}
			if sp.Reason == "" || sp.Key == "" {
				t.Fatalf("Find(%q): span %+v without reason or key", s, sp)
			}
			last = sp.End
		}
		p := NewPlaceholders()
		once, _ := r.Redact(s, p)
		if twice, more := r.Redact(once, p); twice != once || len(more) != 0 {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", s, once, twice, more)
		}
	})
}

// TestPersonShuffled builds many texts from the pieces names are made of
// (cues, titles, particles, names, words that are names, punctuation,
// numbers, placeholders) in a fixed pseudo-random order and checks what
// FuzzPerson checks, so the seeds of a run without -fuzz cover more than
// the hand-written ones.
func TestPersonShuffled(t *testing.T) {
	pieces := []string{
		"ik ben", "Ik ben", "my name is", "je m'appelle", "ich heiße", "I'm",
		"Dr.", "Mme", "mevrouw", "Herr", "van", "de", "den", "El", "d'", "O'",
		"Sofie", "sofie", "Peeters", "Van den Broeck", "Anne-Sophie", "J.",
		"Rose", "rosé", "Mark", "Roos", "Botox", "Falten", "Gent", "Zyneth",
		"groetjes", "Groetjes,", "mvg", "LG", "Bedankt!", "Hallo", "Beste",
		"mijn dochter", "hier", "here", "en", "und", ",", ".", "!", "?", ":",
		"\n", " - ", "(", ")", "'s", "@", "/", "_", "0470 12 34 56", "12",
		"[PERSON_1]", "[EMAIL_2]", "[ADDRESS_1]", "[PHONE_3]", "straat",
		"Kerkstraat", "Avenue", "BV",
		"Yves", "Rocher", "15 Jan", "ŞAHİN", "Zoë", "der", "die", "ist",
	}
	d := newPersonDetector()
	r := personOnly()
	seed := uint64(1)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for range 3000 {
		var b strings.Builder
		for range 1 + next(12) {
			if next(3) > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(pieces[next(len(pieces))])
		}
		s := b.String()
		var in Input
		in.reset(s)
		last := 0
		for _, sp := range d.Find(&in, nil) {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) ||
				!utf8.RuneStart(s[sp.Start]) {
				t.Fatalf("Find(%q): bad span %+v after %d", s, sp, last)
			}
			last = sp.End
		}
		p := NewPlaceholders()
		once, _ := r.Redact(s, p)
		if twice, more := r.Redact(once, p); twice != once || len(more) != 0 {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", s, once, twice, more)
		}
	}
}
