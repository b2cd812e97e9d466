package pii

import (
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
