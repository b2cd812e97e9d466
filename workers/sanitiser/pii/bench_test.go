package pii

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkRedact redacts every corpus message (four languages, with and
// without personal data) and reports the mean time per message and the
// median and 99th percentile of the per-message means.
func BenchmarkRedact(b *testing.B) {
	samples := loadSamples(b)
	r := New()
	per := make([]time.Duration, len(samples))
	chars := 0
	for _, s := range samples {
		chars += len(s.Text)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for k, s := range samples {
			t0 := time.Now()
			r.Redact(s.Text, NewPlaceholders())
			per[k] += time.Since(t0)
		}
	}
	n := float64(b.N)
	if n == 0 {
		return
	}
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
	b.ReportMetric(float64(chars)/float64(len(samples)), "bytes/msg")
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
