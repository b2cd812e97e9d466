package edge

import (
	"fmt"
	"io"
	"log/slog"
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
	// writeTimeouts counts requests ended because the client stopped
	// reading.
	writeTimeouts atomic.Uint64
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

// MetricsHandler returns the handler of the edge's internal metrics
// listener: GET /metrics in the Prometheus text format, 404 for any other
// path. The public handler, Server itself, does not serve metrics. Serve
// it with NewHTTPServer on an address only the operator's network reaches.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not found", http.StatusNotFound)
	})
	return metricsHandler{mux: mux, s: s}
}

// metricsHandler serves the metrics listener with the headers of the
// public one that apply to plain text.
type metricsHandler struct {
	mux *http.ServeMux
	s   *Server
}

// ServeHTTP serves one request of the metrics listener.
func (h metricsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", apiCSP)
	w.Header().Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(w, r)
}

func (h metricsHandler) writeTimeout() time.Duration { return h.s.cfg.WriteTimeout }

// NewMetricsServer returns the HTTP server of the edge's internal metrics
// listener at addr, with the timeouts of the public one.
func NewMetricsServer(addr string, s *Server, log *slog.Logger) *http.Server {
	return NewHTTPServer(addr, s.MetricsHandler(), log)
}

// serveMetrics writes every metric of the edge.
func (s *Server) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	m := s.metrics
	m.writeRequests(w)
	m.writeChatDurations(w)
	gauge(w, "iglowly_http_in_flight", "HTTP requests being served.",
		m.inFlight.Load())
	counter(w, "iglowly_http_write_timeouts_total",
		"Requests ended because the client stopped reading.",
		m.writeTimeouts.Load())
	gauge(w, "iglowly_replies_waiting", "Chats waiting on a reply inbox.",
		int64(s.replies.waitingCount()))
	counter(w, "iglowly_replies_dropped_total",
		"Replies dropped because their chat's buffer was full.",
		s.replies.dropped.Load())
	up, downs := s.pipe.counts()
	gauge(w, "iglowly_pipeline_up", "1 while every stage of the pipeline has a worker.", up)
	counter(w, "iglowly_pipeline_down_total",
		"Times a stage of the pipeline was found without a worker.", downs)
}

// writeRequests writes the request counts. Each part is copied under
// the lock and written after it, so a slow scraper never holds up the
// requests being counted.
func (m *metrics) writeRequests(w io.Writer) {
	type count struct {
		metricKey
		n uint64
	}
	m.mu.Lock()
	counts := make([]count, 0, len(m.requests))
	for k, n := range m.requests {
		counts = append(counts, count{k, n})
	}
	m.mu.Unlock()
	sort.Slice(counts, func(i, j int) bool {
		if counts[i].route != counts[j].route {
			return counts[i].route < counts[j].route
		}
		return counts[i].status < counts[j].status
	})
	fmt.Fprintln(w, "# HELP iglowly_http_requests_total HTTP requests by route and status.")
	fmt.Fprintln(w, "# TYPE iglowly_http_requests_total counter")
	for _, c := range counts {
		fmt.Fprintf(w, "iglowly_http_requests_total{route=%q,status=\"%d\"} %d\n",
			c.route, c.status, c.n)
	}
}

func (m *metrics) writeChatDurations(w io.Writer) {
	m.mu.Lock()
	counts := append([]uint64(nil), m.counts...)
	sum, total := m.sum, m.total
	m.mu.Unlock()
	fmt.Fprintln(w, "# HELP iglowly_chat_duration_seconds Time to a complete answer.")
	fmt.Fprintln(w, "# TYPE iglowly_chat_duration_seconds histogram")
	for i, le := range m.buckets {
		fmt.Fprintf(w, "iglowly_chat_duration_seconds_bucket{le=\"%g\"} %d\n", le, counts[i])
	}
	fmt.Fprintf(w, "iglowly_chat_duration_seconds_bucket{le=\"+Inf\"} %d\n", total)
	fmt.Fprintf(w, "iglowly_chat_duration_seconds_sum %g\n", sum)
	fmt.Fprintf(w, "iglowly_chat_duration_seconds_count %d\n", total)
}

func gauge(w io.Writer, name, help string, v int64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
}

func counter(w io.Writer, name, help string, v uint64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
}

// waitingCount is how many chats hold a reply inbox now.
func (r *replies) waitingCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.waiting)
}
