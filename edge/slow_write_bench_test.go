package edge

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkEventWrite streams server-sent events over a real loopback
// connection to a client that reads them all, with and without a
// deadline per write, and reports the cost of one event.
func BenchmarkEventWrite(b *testing.B) {
	for _, bounded := range []bool{false, true} {
		b.Run(fmt.Sprintf("bounded=%v", bounded), func(b *testing.B) {
			const events = 1000
			event := []byte("event: chunk\ndata: {\"text\":\"The clinic is open today. \"}\n\n")
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				if bounded {
					_, cancel := context.WithCancel(r.Context())
					defer cancel()
					w = newDeadlineWriter(w, time.Second, time.Minute, cancel)
				}
				rc := http.NewResponseController(w)
				for range events {
					_, _ = w.Write(event)
					_ = rc.Flush()
				}
			}))
			defer srv.Close()
			b.ResetTimer()
			for range b.N {
				resp, err := http.Get(srv.URL)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*events),
				"ns/event")
		})
	}
}
