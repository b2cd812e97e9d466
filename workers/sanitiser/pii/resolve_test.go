package pii

import (
	"strings"
	"testing"
)

// wordDetector is a test detector that finds every occurrence of its
// words.
type wordDetector struct {
	typ   Type
	word  string
	other string
}

func (d wordDetector) Type() Type { return d.typ }

func (d wordDetector) Find(in *Input, dst []Span) []Span {
	for _, w := range []string{d.word, d.other} {
		for off := 0; w != ""; {
			k := strings.Index(in.Text[off:], w)
			if k < 0 {
				break
			}
			start := off + k
			dst = append(dst, Span{Start: start, End: start + len(w),
				Reason: ReasonContext})
			off = start + 1
		}
	}
	return dst
}

// TestOverlaps checks overlap resolution through NewWith: priority by
// detector order, then longer spans, and uncovered parts of a partly
// overlapping span still redacted.
func TestOverlaps(t *testing.T) {
	tests := []struct {
		name string
		dets []Detector
		in   string
		want string
	}{
		{
			name: "earlier detector wins a tie",
			dets: []Detector{wordDetector{"A", "abc", ""}, wordDetector{"B", "abc", ""}},
			in:   "x abc y", want: "x [A_1] y",
		},
		{
			name: "earlier detector wins over a longer span",
			dets: []Detector{wordDetector{"A", "bc", ""}, wordDetector{"B", "abcd", ""}},
			in:   "abcd", want: "[B_1][A_1][B_2]",
		},
		{
			name: "longer wins within a detector",
			dets: []Detector{wordDetector{"A", "abc", "abcdef"}},
			in:   "abcdef", want: "[A_1]",
		},
		{
			name: "contained span dropped",
			dets: []Detector{wordDetector{"A", "hello world", ""}, wordDetector{"B", "world", ""}},
			in:   "say hello world", want: "say [A_1]",
		},
		{
			name: "partial overlap keeps the uncovered part",
			dets: []Detector{wordDetector{"A", "cdef", ""}, wordDetector{"B", "ab cd", ""}},
			in:   "ab cdef", want: "[B_1] [A_1]",
		},
		{
			name: "punctuation-only remainder dropped",
			dets: []Detector{wordDetector{"A", "abc", ""}, wordDetector{"B", "abc--", ""}},
			in:   "abc--", want: "[A_1]--",
		},
		{
			name: "detectors may not touch placeholders",
			dets: []Detector{wordDetector{"A", "EMAIL", ""}},
			in:   "[EMAIL_1] EMAIL", want: "[EMAIL_1] [A_1]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := NewWith(tt.dets...).Redact(tt.in, nil)
			if got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := 1; i < len(found); i++ {
				if found[i].Start < found[i-1].End {
					t.Errorf("findings overlap: %v", found)
				}
			}
		})
	}
}

// badDetector returns spans outside the text, which Redact must ignore.
type badDetector struct{}

func (badDetector) Type() Type { return "BAD" }

func (badDetector) Find(in *Input, dst []Span) []Span {
	return append(dst, Span{Start: -1, End: 2}, Span{Start: 3, End: 2},
		Span{Start: 0, End: len(in.Text) + 1})
}

func TestBadSpansIgnored(t *testing.T) {
	got, found := NewWith(badDetector{}).Redact("abc", nil)
	if got != "abc" || found != nil {
		t.Errorf("got %q %v, want the text unchanged", got, found)
	}
}
