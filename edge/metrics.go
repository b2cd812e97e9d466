package edge

import (
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// metrics counts requests by route and status and times chats, in the
// Prometheus text format. Labels are route patterns and status codes
// only: nothing a client wrote can become a label.
type metrics struct {
	mu       sync.Mutex
	requests map[metricKey]uint64
	// chat latency histogram, seconds
	buckets  []float64
	counts   []uint64
	sum      float64
	total    uint64
	inFlight atomic.Int64
}

type metricKey struct {
	route  string
	status int
}

func newMetrics() *metrics {
	b := []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	return &metrics{requests: map[metricKey]uint64{}, buckets: b,
		counts: make([]uint64, len(b))}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[metricKey{route, status}]++
	if route != "POST /v1/chat" || status != http.StatusOK {
		return
	}
	s := d.Seconds()
	for i, le := range m.buckets {
		if s <= le {
			m.counts[i]++
		}
	}
	m.sum += s
	m.total++
}

func (m *metrics) serve(dropped uint64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.mu.Lock()
		defer m.mu.Unlock()
		fmt.Fprintln(w, "# HELP iglowly_http_requests_total HTTP requests by route and status.")
		fmt.Fprintln(w, "# TYPE iglowly_http_requests_total counter")
		keys := make([]metricKey, 0, len(m.requests))
		for k := range m.requests {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].route != keys[j].route {
				return keys[i].route < keys[j].route
			}
			return keys[i].status < keys[j].status
		})
		for _, k := range keys {
			fmt.Fprintf(w, "iglowly_http_requests_total{route=%q,status=\"%d\"} %d\n",
				k.route, k.status, m.requests[k])
		}
		fmt.Fprintln(w, "# HELP iglowly_chat_duration_seconds Time to a complete answer.")
		fmt.Fprintln(w, "# TYPE iglowly_chat_duration_seconds histogram")
		for i, le := range m.buckets {
			fmt.Fprintf(w, "iglowly_chat_duration_seconds_bucket{le=\"%g\"} %d\n", le, m.counts[i])
		}
		fmt.Fprintf(w, "iglowly_chat_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.total)
		fmt.Fprintf(w, "iglowly_chat_duration_seconds_sum %g\n", m.sum)
		fmt.Fprintf(w, "iglowly_chat_duration_seconds_count %d\n", m.total)
		fmt.Fprintln(w, "# TYPE iglowly_http_in_flight gauge")
		fmt.Fprintf(w, "iglowly_http_in_flight %d\n", m.inFlight.Load())
		fmt.Fprintln(w, "# TYPE iglowly_replies_dropped_total counter")
		fmt.Fprintf(w, "iglowly_replies_dropped_total %d\n", dropped)
	}
}
