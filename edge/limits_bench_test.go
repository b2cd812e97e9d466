package edge

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLimiterChat measures what the limits cost one chat on an
// embedded NATS server: the clinic's budget (a lease spent locally), the
// address's and the session's rate keys (a conditional write each), from
// 4,096 sessions on 256 addresses of one clinic. "serial" is the latency
// one chat adds; "parallel" the throughput of one edge using every core;
// "two-edges" alternates the chats between two edges, as a load balancer
// without affinity does, so that most writes first meet the other edge's
// revision.
func BenchmarkLimiterChat(b *testing.B) {
	ns := limitsNATS(b)
	lim := LooseTestLimits
	one := []*limiter{newTestLimiter(b, ns, lim)}
	two := []*limiter{one[0], newTestLimiter(b, ns, lim)}
	c := testClinic("clinic-a", 10_000_000)
	var seq atomic.Uint64
	chat := func(b *testing.B, edges []*limiter) {
		i := seq.Add(1)
		g := Grant{SessionID: fmt.Sprintf("%032x", i%4096)}
		r := fromAddr(fmt.Sprintf("192.0.2.%d", i%256))
		if _, e := edges[i%uint64(len(edges))].admitChat(r, g, c); e != nil {
			b.Fatal(e)
		}
	}
	report := func(b *testing.B, start time.Time) {
		d := time.Since(start)
		b.ReportMetric(float64(d.Microseconds())/float64(b.N), "µs/chat")
		b.ReportMetric(float64(b.N)/d.Seconds(), "chats/s")
	}
	b.Run("serial", func(b *testing.B) {
		start := time.Now()
		for range b.N {
			chat(b, one)
		}
		report(b, start)
	})
	b.Run("parallel", func(b *testing.B) {
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				chat(b, one)
			}
		})
		report(b, start)
	})
	b.Run("two-edges", func(b *testing.B) {
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				chat(b, two)
			}
		})
		report(b, start)
	})
}
