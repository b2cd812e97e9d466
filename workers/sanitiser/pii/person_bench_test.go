package pii

import (
	"bufio"
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

// BenchmarkPerson runs the person detector alone on a typical message
// without a name, the common case.
func BenchmarkPerson(b *testing.B) {
	benchPerson(b, "Goedemiddag, hoeveel kost een botox behandeling voor "+
		"het voorhoofd en de kraaienpootjes? Zijn jullie ook open op "+
		"zaterdag rond 10u?")
}

// BenchmarkPersonNames runs the person detector alone on a message with
// a cue, a full name with a particle and a sign-off.
func BenchmarkPersonNames(b *testing.B) {
	benchPerson(b, "Hallo, ik ben Sofie Van den Broeck en mijn dochter "+
		"Lotte wil graag een afspraak voor een peeling. Groetjes, Sofie")
}

func benchPerson(b *testing.B, msg string) {
	names() // built once per process, not per message
	d := newPersonDetector()
	var in Input
	var dst []Span
	b.ReportAllocs()
	for b.Loop() {
		in.reset(msg)
		dst = d.Find(&in, dst[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/msg")
}

// BenchmarkPersonEval runs the person detector alone over every message
// of the evaluation set and reports the mean, median and 99th percentile
// time per message.
func BenchmarkPersonEval(b *testing.B) {
	texts := personEvalTexts(b)
	names()
	d := newPersonDetector()
	per := make([]time.Duration, len(texts))
	var in Input
	var dst []Span
	b.ReportAllocs()
	for b.Loop() {
		for k, s := range texts {
			t0 := time.Now()
			in.reset(s)
			dst = d.Find(&in, dst[:0])
			per[k] += time.Since(t0)
		}
	}
	means := make([]float64, len(per))
	total := 0.0
	for k, t := range per {
		means[k] = float64(t.Nanoseconds()) / float64(b.N)
		total += means[k]
	}
	slices.Sort(means)
	b.ReportMetric(total/float64(len(means)), "ns/msg")
	b.ReportMetric(means[len(means)/2], "p50-ns/msg")
	b.ReportMetric(means[len(means)*99/100], "p99-ns/msg")
}

// personEvalTexts returns the texts of the evaluation set.
func personEvalTexts(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("testdata/eval/*.jsonl")
	if err != nil || len(files) == 0 {
		tb.Skip("no evaluation set")
	}
	var texts []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatalf("opening %s: %v", name, err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var m struct{ Text string }
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				tb.Fatalf("%s: %v", name, err)
			}
			texts = append(texts, m.Text)
		}
		f.Close()
	}
	return texts
}

// BenchmarkPersonLength runs the person detector alone on texts of 100,
// 1,000 and 10,000 bytes, of the evaluation set's messages and of names,
// particles and titles repeated: the time per byte staying flat shows
// the cost grows linearly.
func BenchmarkPersonLength(b *testing.B) {
	texts := map[string]string{
		"eval":   strings.Join(personEvalTexts(b), " "),
		"names":  strings.Repeat("Sofie Peeters en Jan, ", 500),
		"glued":  strings.Repeat("Van den Dr. D'Anne-Sophie ", 500),
		"repeat": "Ik ben Xyla. " + strings.Repeat("Xyla Roos ", 1200),
	}
	for _, kind := range []string{"eval", "names", "glued", "repeat"} {
		for _, n := range []int{100, 1000, 10000} {
			text := texts[kind][:n]
			for !utf8.ValidString(text) {
				text = text[:len(text)-1]
			}
			b.Run(fmt.Sprintf("%s/%d", kind, n), func(b *testing.B) {
				benchPerson(b, text)
				perByte := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(n)
				b.ReportMetric(perByte, "ns/byte")
			})
		}
	}
}

// BenchmarkPersonAfterHistory runs the person detector alone on a
// message after a history that named two people, so that the words of
// the message that could be names are looked up among theirs.
func BenchmarkPersonAfterHistory(b *testing.B) {
	names()
	p := NewPlaceholders()
	r := personOnly()
	r.Redact("Hallo, ik ben Sofie Peeters en mijn dochter Roos wil ook komen", p)
	msg := "Roos kan pas na 16u. Kan Sofie op Vrijdag bellen naar " +
		"Dr. Janssens over de Botox en de Profhilo? Groetjes"
	d := newPersonDetector()
	var in Input
	var dst []Span
	b.ReportAllocs()
	for b.Loop() {
		in.reset(msg)
		in.earlier = p
		dst = d.Find(&in, dst[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/msg")
}
