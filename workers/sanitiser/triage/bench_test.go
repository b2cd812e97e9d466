package triage

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkDetectLanguage detects the language of every labelled message
// and reports the mean time per message and the median and 99th
// percentile of the per-message means.
func BenchmarkDetectLanguage(b *testing.B) {
	benchCorpus(b, func(s string) { DetectLanguage(s) })
}

// BenchmarkClassify classifies every labelled message, language, topic
// and intent included.
func BenchmarkClassify(b *testing.B) {
	benchCorpus(b, func(s string) { Classify(s) })
}

func benchCorpus(b *testing.B, f func(string)) {
	msgs := loadLabelled(b, "testdata/messages.jsonl")
	msgs = append(msgs, loadLabelled(b, "testdata/lang.jsonl")...)
	per := make([]time.Duration, len(msgs))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for k, m := range msgs {
			t0 := time.Now()
			f(m.Text)
			per[k] += time.Since(t0)
		}
	}
	means := make([]float64, len(per))
	var total float64
	for k, d := range per {
		means[k] = float64(d.Nanoseconds()) / float64(b.N)
		total += means[k]
	}
	slices.Sort(means)
	b.ReportMetric(total/float64(len(means)), "ns/msg")
	b.ReportMetric(means[len(means)/2], "p50-ns/msg")
	b.ReportMetric(means[len(means)*99/100], "p99-ns/msg")
}
