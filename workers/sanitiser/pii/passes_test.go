package pii

import (
	"strings"
	"testing"
)

// TestMapFindings checks the offsets of a later pass's findings over
// the first pass's text: before, between and after placeholders, and a
// span that holds one.
func TestMapFindings(t *testing.T) {
	text := "mail jan@x.be or 0470 12 34 56, Peeters"
	first := []Finding{{Type: Email, Start: 5, End: 13}, {Type: Phone, Start: 17, End: 30}}
	out := "mail [EMAIL_1] or [PHONE_1], Peeters"
	cases := []struct {
		in, want Finding
	}{
		{Finding{Start: 0, End: 4}, Finding{Start: 0, End: 4}},
		{Finding{Start: 15, End: 17}, Finding{Start: 14, End: 16}},
		{Finding{Start: 29, End: 36}, Finding{Start: 32, End: 39}},
		{Finding{Start: 5, End: 17}, Finding{Start: 5, End: 16}},
		{Finding{Start: 18, End: 36}, Finding{Start: 17, End: 39}},
	}
	for _, c := range cases {
		got := mapFindings(out, first, []Finding{c.in})[0]
		if got != c.want {
			t.Errorf("%d..%d %q: mapped to %d..%d %q, want %d..%d %q",
				c.in.Start, c.in.End, out[c.in.Start:c.in.End],
				got.Start, got.End, text[got.Start:got.End],
				c.want.Start, c.want.End, text[c.want.Start:c.want.End])
		}
	}
}

// literalDetector finds a fixed string, when what follows it starts
// with after.
type literalDetector struct {
	typ          Type
	value, after string
}

func (d literalDetector) Type() Type { return d.typ }

func (d literalDetector) Find(in *Input, dst []Span) []Span {
	for off := 0; ; {
		k := strings.Index(in.Text[off:], d.value)
		if k < 0 {
			return dst
		}
		at := off + k
		off = at + len(d.value)
		if strings.HasPrefix(in.Text[off:], d.after) {
			dst = append(dst, Span{Start: at, End: off, Reason: "test"})
		}
	}
}

// TestRedactReadsAgain checks that a value that only shows once its
// neighbour is a placeholder is removed by the same call, with its span
// in the text given, and that redacting the result changes nothing.
func TestRedactReadsAgain(t *testing.T) {
	r := NewWith(literalDetector{Email, "jan@x.be", ""},
		literalDetector{Person, "Peter", "'[EMAIL_"},
		literalDetector{Address, "Markt 1", " [PERSON_"})
	text := "Markt 1 Peter'jan@x.be, Peter"
	out, found := r.Redact(text, nil)
	if want := "[ADDRESS_1] [PERSON_1]'[EMAIL_1], Peter"; out != want {
		t.Fatalf("Redact(%q) = %q, want %q", text, out, want)
	}
	want := []Finding{{Address, 0, 7, "test"}, {Person, 8, 13, "test"},
		{Email, 14, 22, "test"}}
	if len(found) != len(want) {
		t.Fatalf("findings %+v, want %+v", found, want)
	}
	for i := range want {
		if found[i] != want[i] {
			t.Errorf("finding %d: %+v, want %+v", i, found[i], want[i])
		}
	}
	if again, more := r.Redact(out, nil); again != out || len(more) != 0 {
		t.Errorf("a second Redact changed %q to %q", out, again)
	}
}
