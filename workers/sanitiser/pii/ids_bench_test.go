package pii

import "testing"

// identifierDetectors are the detectors of ids.go, insurance.go,
// passport.go, ip.go, url.go, email.go and iban.go.
var identifierDetectors = []Detector{
	nationalIDDetector{}, insuranceDetector{}, passportDetector{},
	ipDetector{}, urlDetector{}, emailDetector{}, ibanDetector{},
}

// BenchmarkIdentifiers runs each identifier detector alone over the
// corpus and reports its mean time per message. The "runs" case only
// scans the runs of digits, which the detectors share in a Redact call:
// subtract it from the detectors that read them.
func BenchmarkIdentifiers(b *testing.B) {
	samples := loadSamples(b)
	b.Run("runs", func(b *testing.B) {
		var in Input
		for b.Loop() {
			for _, s := range samples {
				in.reset(s.Text)
				in.digitRuns()
			}
		}
		reportPerMsg(b, len(samples))
	})
	for _, d := range identifierDetectors {
		b.Run(string(d.Type()), func(b *testing.B) {
			var in Input
			var dst []Span
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range samples {
					in.reset(s.Text)
					dst = d.Find(&in, dst[:0])
				}
			}
			reportPerMsg(b, len(samples))
		})
	}
}

// BenchmarkIdentifiersClean runs the identifier detectors together on
// a typical message without personal data, the most common case.
func BenchmarkIdentifiersClean(b *testing.B) {
	msg := "Goedemiddag, hoeveel kost een botox behandeling voor het " +
		"voorhoofd en de kraaienpootjes? Zijn jullie ook open op zaterdag " +
		"rond 10u? Ik zag 250 euro op jullie site, at 14:30 ok?"
	var in Input
	var dst []Span
	b.ReportAllocs()
	for b.Loop() {
		in.reset(msg)
		for _, d := range identifierDetectors {
			dst = d.Find(&in, dst[:0])
		}
	}
	reportPerMsg(b, 1)
}

func reportPerMsg(b *testing.B, msgs int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*msgs), "ns/msg")
}
