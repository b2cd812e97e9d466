package pii

import (
	"flag"
	"strings"
	"testing"
	"time"
)

// fuzzing reports whether the test binary runs with -test.fuzz, as
// opposed to replaying the seed corpus in an ordinary test run.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// linearSlack is how much more than sixteen times the time of a text
// redacting it sixteen times over may take: far below the 256 times a
// quadratic cost would give, far above the noise of a busy machine.
const linearSlack = 4

// FuzzRedactLinear checks that no input makes redaction slower than
// linear: a text repeated sixteen times must take at most linearSlack
// times sixteen times as long as the text itself. Timing is noisy, so
// the check runs only while fuzzing (go test -fuzz FuzzRedactLinear),
// takes the fastest of several runs, fails only on three measurements in
// a row, and ignores texts redacted in under 200 µs; replaying the corpus
// checks only that nothing panics.
func FuzzRedactLinear(f *testing.F) {
	for _, s := range []string{
		"Jan Peeters 0470 12 34 56 ", "Kerkstraat 12 bus 3, 9000 Gent ",
		"geboren op 12/03/1985 ", "a@b.be [EMAIL_1] ", "1 2 3 4 5 6 7 8 9 ",
		"Dr. Dr. Dr. Van Van de ", "((((((((", "°°°°12.12.12.12.",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		unit := strings.Repeat(s, 256/len(s)+1)
		long := strings.Repeat(unit, 16)
		r.Redact(long, nil) // no panic, whatever happens next
		if !fuzzing() {
			return
		}
		// The fuzzer's workers share the machine: fail only when three
		// measurements in a row say so.
		for try := 0; ; try++ {
			short, full := fastest(r, unit), fastest(r, long)
			if full < 200*time.Microsecond || full <= linearSlack*16*short {
				return
			}
			if try == 2 {
				t.Fatalf("%d bytes take %v, %d bytes %v: slower than linear",
					len(unit), short, len(long), full)
			}
		}
	})
}

// fastest returns the shortest of five redactions of s.
func fastest(r *Redactor, s string) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 5 {
		start := time.Now()
		r.Redact(s, nil)
		best = min(best, time.Since(start))
	}
	return best
}
