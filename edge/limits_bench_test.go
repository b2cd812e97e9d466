package edge

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
)

// BenchmarkLimiterChat measures what the limits cost one chat on an
// embedded NATS server, with the default rates (the requests are made
// beforehand, so the figures are the limiter's and the server's only): the clinic's budget (a
// lease spent locally) and the address's and the session's rate keys (a
// conditional write each). The load is 65,536 sessions on 32,768
// addresses of one clinic, each session chatting every 65,536 chats,
// within its rate at the throughput measured. "serial" is the latency one
// chat adds; "parallel" the throughput of one edge with every core busy,
// cpu-µs/chat is what a chat costs in CPU, the server's share and the
// garbage collector's included; "two-edges" alternates the chats between two edges, as a
// load balancer without affinity does, so that every write first meets
// the other edge's revision.
func BenchmarkLimiterChat(b *testing.B) {
	ns := limitsNATS(b)
	lim := Limits{}
	one := []*limiter{newTestLimiter(b, ns, lim)}
	two := []*limiter{one[0], newTestLimiter(b, ns, lim)}
	c := testClinic("clinic-a", config.MaxDailyChats)
	grants := make([]Grant, 65536)
	for i := range grants {
		grants[i] = Grant{SessionID: fmt.Sprintf("%032x", i)}
	}
	reqs := make([]*http.Request, 32768)
	for i := range reqs {
		reqs[i] = fromAddr(fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	var seq, unavailable atomic.Uint64
	chat := func(b *testing.B, edges []*limiter) {
		i := seq.Add(1)
		_, e := edges[i%uint64(len(edges))].admitChat(reqs[i%32768], grants[i%65536], c)
		switch {
		case e == errUnavailable:
			// A round trip took over limitTimeout: a machine too busy.
			unavailable.Add(1)
		case e != nil:
			b.Fatal(e)
		}
	}
	var cpuStart time.Duration
	begin := func() time.Time {
		cpuStart = processCPU(b)
		return time.Now()
	}
	report := func(b *testing.B, start time.Time) {
		d := time.Since(start)
		cpu := processCPU(b) - cpuStart
		b.ReportMetric(float64(unavailable.Swap(0))/float64(b.N), "unavailable/op")
		b.ReportMetric(float64(d.Microseconds())/float64(b.N), "µs/chat")
		b.ReportMetric(float64(b.N)/d.Seconds(), "chats/s")
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/chat")
	}
	b.Run("one-write", func(b *testing.B) {
		// The floor: one conditional write, what each rate key costs.
		l := one[0]
		key := fmt.Sprintf("bench.%d", seq.Add(1))
		rev, err := l.write(context.Background(), key, 1, 0, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		start := begin()
		for i := range b.N {
			if rev, err = l.write(context.Background(), key, int64(i), rev,
				time.Minute); err != nil {
				b.Fatal(err)
			}
		}
		report(b, start)
	})
	b.Run("serial", func(b *testing.B) {
		lat := make([]time.Duration, b.N)
		start := begin()
		for i := range b.N {
			t0 := time.Now()
			chat(b, one)
			lat[i] = time.Since(t0)
		}
		report(b, start)
		slices.Sort(lat)
		b.ReportMetric(float64(lat[b.N/2].Nanoseconds())/1e3, "p50-µs")
		b.ReportMetric(float64(lat[b.N*99/100].Nanoseconds())/1e3, "p99-µs")
	})
	b.Run("parallel", func(b *testing.B) {
		start := begin()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				chat(b, one)
			}
		})
		report(b, start)
	})
	b.Run("two-edges", func(b *testing.B) {
		start := begin()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				chat(b, two)
			}
		})
		report(b, start)
	})
}

// processCPU is the CPU time the process has used, the embedded server's
// included: on a shared machine, the figure that other load leaves true.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
