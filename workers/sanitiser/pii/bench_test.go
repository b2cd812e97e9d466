package pii

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// BenchmarkRedact redacts every message of the annotated evaluation set
// (four languages, with and without personal data), one at a time, and
// reports the mean time per message and the median and 99th percentile
// of the per-message means.
func BenchmarkRedact(b *testing.B) {
	texts := evalTexts(b)
	r := New()
	per := make([]time.Duration, len(texts))
	chars := 0
	for _, s := range texts {
		chars += utf8.RuneCountInString(s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for k, s := range texts {
			t0 := time.Now()
			r.Redact(s, NewPlaceholders())
			per[k] += time.Since(t0)
		}
	}
	n := float64(b.N)
	means := make([]float64, len(per))
	var total float64
	for k, d := range per {
		means[k] = float64(d.Nanoseconds()) / n
		total += means[k]
	}
	slices.Sort(means)
	b.ReportMetric(total/float64(len(means)), "ns/msg")
	b.ReportMetric(means[len(means)/2], "p50-ns/msg")
	b.ReportMetric(means[len(means)*99/100], "p99-ns/msg")
	b.ReportMetric(float64(chars)/float64(len(texts)), "chars/msg")
}

// BenchmarkRedactLength redacts texts of 100, 1,000 and 10,000
// characters made of the evaluation set's messages one after another,
// so they hold personal data as densely as the set: the time per
// character staying flat shows the cost grows linearly.
func BenchmarkRedactLength(b *testing.B) {
	all := strings.Join(evalTexts(b), " ")
	for _, n := range []int{100, 1000, 10000} {
		text := firstChars(all, n)
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			benchOne(b, text)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n),
				"ns/char")
		})
	}
}

// firstChars returns the first n characters of s.
func firstChars(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// evalTexts returns the texts of the annotated evaluation set.
func evalTexts(b *testing.B) []string {
	b.Helper()
	files, err := filepath.Glob("testdata/eval/*.jsonl")
	if err != nil || len(files) == 0 {
		b.Fatalf("no evaluation set: %v", err)
	}
	var out []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			var m struct{ Text string }
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				b.Fatalf("%s: %v", f, err)
			}
			out = append(out, m.Text)
		}
	}
	return out
}

// BenchmarkRedactClean redacts a typical 150-character message without
// personal data, the most common case.
func BenchmarkRedactClean(b *testing.B) {
	msg := "Goedemiddag, hoeveel kost een botox behandeling voor het " +
		"voorhoofd en de kraaienpootjes? Zijn jullie ook open op zaterdag " +
		"rond 10u?"
	benchOne(b, msg)
}

// BenchmarkRedactMixed redacts a message with a phone number, an e-mail
// address and prices.
func BenchmarkRedactMixed(b *testing.B) {
	msg := "Bonjour, je voudrais un rendez-vous pour 2 ml de filler " +
		"(350 €). Rappelez-moi au 0475 11 22 33 ou écrivez à " +
		"claire.dubois@gmail.com svp."
	benchOne(b, msg)
}

// BenchmarkRedactLong redacts a 4 KB message of many digits and '@'
// signs, to show the cost stays linear on hostile input.
func BenchmarkRedactLong(b *testing.B) {
	msg := strings.Repeat("1 2.3-4/5 @a@b.c 0470 ", 200)[:4096]
	benchOne(b, msg)
}

func benchOne(b *testing.B, msg string) {
	r := New()
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		r.Redact(msg, NewPlaceholders())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/msg")
}
