package pii

import (
	"testing"
	"unicode/utf8"
)

// FuzzRedact checks the invariants of Redact on any input: no panic,
// valid UTF-8 kept valid, findings inside the text, in order and not
// overlapping, and a second pass that changes nothing.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"", "0470 12 34 56", "+32 (0)470 12 34 56", "a@b.co", "x@y@z.com",
		"BE68 5390 0754 7034", "4111 1111 1111 1111", "85.07.30-033.28",
		"[EMAIL_1] a@b.be [PHONE_999999]", "09.00-12.00 13.00-18.00",
		"0470123456-4111111111111111.0032 2 123 45 67",
		"+1 (555) 123-4567)", "jörg@müller.de\xff", "((((0))))",
		"BE68539007547034@x.com", "mail:an@x.be0470123456",
	} {
		f.Add(s)
	}
	for _, s := range loadSamples(f) {
		f.Add(s.Text)
	}
	r := New()
	f.Fuzz(func(t *testing.T, in string) {
		p := NewPlaceholders()
		out, found := r.Redact(in, p)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("Redact(%q) = %q: invalid UTF-8", in, out)
		}
		last := 0
		for _, f := range found {
			if f.Start < last || f.End <= f.Start || f.End > len(in) {
				t.Fatalf("Redact(%q): bad finding %+v after %d (%v)",
					in, f, last, found)
			}
			last = f.End
		}
		if len(found) == 0 && out != in {
			t.Fatalf("Redact(%q) = %q without findings", in, out)
		}
		again, more := r.Redact(out, p)
		if again != out || len(more) != 0 {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)",
				in, out, again, more)
		}
	})
}
