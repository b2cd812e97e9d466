package edge

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
)

// BenchmarkLimiterChat measures what the limits cost one chat on an
// embedded NATS server, with the default rates: the clinic's budget (a
// lease spent locally) and the address's and the session's rate keys (a
// conditional write each). The load is 65,536 sessions on 32,768
// addresses of one clinic, each session chatting every 65,536 chats,
// within its rate at the throughput measured. "serial" is the latency one
// chat adds; "parallel" the throughput of one edge with every core busy,
// whose cpu-µs/chat is what a chat costs in CPU, the server's share
// included; "two-edges" alternates the chats between two edges, as a
// load balancer without affinity does, so that every write first meets
// the other edge's revision.
func BenchmarkLimiterChat(b *testing.B) {
	ns := limitsNATS(b)
	lim := Limits{}
	one := []*limiter{newTestLimiter(b, ns, lim)}
	two := []*limiter{one[0], newTestLimiter(b, ns, lim)}
	c := testClinic("clinic-a", config.MaxDailyChats)
	var seq, unavailable atomic.Uint64
	chat := func(b *testing.B, edges []*limiter) {
		i := seq.Add(1)
		g := Grant{SessionID: fmt.Sprintf("%032x", i%65536)}
		r := fromAddr(fmt.Sprintf("10.0.%d.%d", i%32768/256, i%256))
		_, e := edges[i%uint64(len(edges))].admitChat(r, g, c)
		switch {
		case e == errUnavailable:
			// A round trip took over limitTimeout: a machine too busy.
			unavailable.Add(1)
		case e != nil:
			b.Fatal(e)
		}
	}
	report := func(b *testing.B, start time.Time) {
		d := time.Since(start)
		b.ReportMetric(float64(unavailable.Swap(0))/float64(b.N), "unavailable/op")
		b.ReportMetric(float64(d.Microseconds())/float64(b.N), "µs/chat")
		b.ReportMetric(float64(b.N)/d.Seconds(), "chats/s")
		b.ReportMetric(float64(d.Microseconds())*float64(runtime.GOMAXPROCS(0))/
			float64(b.N), "cpu-µs/chat")
	}
	b.Run("one-write", func(b *testing.B) {
		// The floor: one conditional write, what each rate key costs.
		l := one[0]
		key := fmt.Sprintf("bench.%d", seq.Add(1))
		rev, err := l.write(context.Background(), key, 1, 0, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := range b.N {
			if rev, err = l.write(context.Background(), key, int64(i), rev,
				time.Minute); err != nil {
				b.Fatal(err)
			}
		}
		report(b, start)
	})
	b.Run("serial", func(b *testing.B) {
		start := time.Now()
		for range b.N {
			chat(b, one)
		}
		report(b, start)
	})
	b.Run("parallel", func(b *testing.B) {
		start := time.Now()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				chat(b, one)
			}
		})
		report(b, start)
	})
	b.Run("two-edges", func(b *testing.B) {
		start := time.Now()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				chat(b, two)
			}
		})
		report(b, start)
	})
}
