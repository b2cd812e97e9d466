package providers

import (
	"context"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/workers/inference"
)

// BenchmarkHostedCall measures what a hosted model call costs on this
// side: the client built with the key in use, the request over loopback
// HTTP to a fake that answers at once, the stream guard and langchaingo's
// parsing of a 20-piece answer. It reports calls per second; the
// provider's own time comes on top.
func BenchmarkHostedCall(b *testing.B) {
	for _, p := range hostedCases {
		b.Run(p.name, func(b *testing.B) {
			r := newRig(b, Config{})
			pieces := make([]string, 20)
			for i := range pieces {
				pieces[i] = "Botox costs EUR 250 per zone. "
			}
			r.fakes[p.name].answer(script{pieces: pieces})
			c := clinic(b, p.model)
			msgs := inference.Prompt(c, "en", question())
			stream := llms.WithStreamingFunc(func(context.Context, []byte) error {
				return nil
			})
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				m, err := r.models.Model(c, "en")
				if err == nil {
					_, err = m.GenerateContent(context.Background(), msgs, stream)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}
