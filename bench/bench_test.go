// Package bench measures the whole pipeline over HTTP against a plain
// HTTP echo on the same machine: latency at a steady 1,000 chats/s and
// throughput at saturation. Run it with `make bench`.
package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/stack"
)

// instantModels is the benchmark's model: it answers at once with one
// fixed sentence through the streaming function, so the figures measure
// the pipeline, not a model.
type instantModels struct{}

func (instantModels) Model(*config.Clinic, string) (llms.Model, error) {
	return instantModel{}, nil
}

type instantModel struct{}

const instantAnswer = "Botox kost vanaf 250 euro per zone. "

func (instantModel) GenerateContent(ctx context.Context, _ []llms.MessageContent,
	opts ...llms.CallOption) (*llms.ContentResponse, error) {
	var o llms.CallOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.StreamingFunc != nil {
		if err := o.StreamingFunc(ctx, []byte(instantAnswer)); err != nil {
			return nil, err
		}
	}
	return &llms.ContentResponse{Choices: []*llms.ContentChoice{{Content: instantAnswer}}}, nil
}

func (m instantModel) Call(ctx context.Context, p string, o ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, p, o...)
}

// target is what a load run sends requests to.
type target struct {
	url     string
	headers []http.Header // one per client: each client has its own session
	body    string
}

const (
	steadyRate     = 1000
	steadyDuration = 3 * time.Second
	satClients     = 48
	satDuration    = 3 * time.Second
)

func newClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute,
	}, Timeout: 10 * time.Second}
}

// steady sends requests at a fixed rate, each on its own goroutine so
// that a slow answer never holds the next request back. Each latency is
// measured from the moment the request was started, right after the
// loader woke for it; how late the loader woke (the timer's granularity,
// not the system's doing) is reported on its own as lateness.
func steady(c *http.Client, tg target) (p50, p99, late99 time.Duration, errs int64) {
	interval := time.Second / steadyRate
	n := int(steadyDuration / interval)
	lat := make([]time.Duration, n)
	late := make([]time.Duration, n)
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n; i++ {
		due := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(due))
		began := time.Now()
		late[i] = began.Sub(due)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if !send(c, tg, i%len(tg.headers)) {
				failed.Add(1)
			}
			lat[i] = time.Since(began)
		}(i)
	}
	wg.Wait()
	slices.Sort(lat)
	slices.Sort(late)
	return lat[n/2], lat[n*99/100], late[n*99/100], failed.Load()
}

// saturate runs closed-loop clients as fast as they go.
func saturate(c *http.Client, tg target) (perSec float64, errs int64) {
	var done, failed atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(satDuration)
	start := time.Now()
	for w := 0; w < satClients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(stop) {
				if send(c, tg, w%len(tg.headers)) {
					done.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), failed.Load()
}

func send(c *http.Client, tg target, client int) bool {
	req, _ := http.NewRequest("POST", tg.url, strings.NewReader(tg.body))
	req.Header = tg.headers[client].Clone()
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == 200
}

type figures struct {
	p50, p99 time.Duration
	late99   time.Duration // the loader's own lateness, p99
	perSec   float64
	errs     int64
}

func measure(tg target) figures {
	c := newClient()
	for i := 0; i < 200; i++ { // warm up connections and caches
		send(c, tg, i%len(tg.headers))
	}
	var f figures
	var e1, e2 int64
	f.p50, f.p99, f.late99, e1 = steady(c, tg)
	f.perSec, e2 = saturate(c, tg)
	f.errs = e1 + e2
	return f
}

// rounds is how many times the pipeline and the echo are each measured,
// in turns, so that both see the same moments of this shared machine; the
// median round is reported.
const rounds = 5

// BenchmarkPipeline measures chats through edge, sanitiser, inference
// (instant model) and response over embedded NATS, in turns with a plain
// HTTP echo of the same body on the same machine: the floor any HTTP
// service here stands on.
func BenchmarkPipeline(b *testing.B) {
	st, err := stack.Start(context.Background(), stack.Options{
		HTTPAddr: "127.0.0.1:0", StoreDir: b.TempDir(),
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Models: instantModels{},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	origin := st.URL()
	pipeline := target{url: st.URL() + "/v1/chat", body: `{"message":"Hoeveel kost botox?"}`}
	for i := 0; i < satClients; i++ {
		pipeline.headers = append(pipeline.headers, http.Header{
			"Content-Type":  {"application/json"},
			"Origin":        {origin},
			"Authorization": {"Bearer " + session(b, st.URL(), origin)},
		})
	}
	echo, stop := startEcho(b)
	defer stop()

	for i := 0; i < b.N; i++ {
		var ps, es []figures
		var ratios []float64
		for r := 0; r < rounds; r++ {
			p, e := measure(pipeline), measure(echo)
			if p.errs > 0 || e.errs > 0 {
				b.Errorf("round %d: %d chats and %d echoes failed", r, p.errs, e.errs)
			}
			ps, es = append(ps, p), append(es, e)
			ratios = append(ratios, p.perSec/e.perSec)
		}
		summary = &result{pipeline: median(ps), echo: median(es), ratio: medianOf(ratios),
			rounds: ps}
	}
	b.ReportMetric(float64(summary.pipeline.p50.Microseconds())/1000, "p50-ms@1k/s")
	b.ReportMetric(float64(summary.pipeline.p99.Microseconds())/1000, "p99-ms@1k/s")
	b.ReportMetric(summary.pipeline.perSec, "chats/s-saturated")
	b.ReportMetric(summary.echo.perSec, "echo-req/s-saturated")
	b.ReportMetric(summary.ratio, "of-echo")
}

// median returns, field by field, the median of the rounds' figures.
func median(fs []figures) figures {
	pick := func(get func(figures) float64) float64 {
		v := make([]float64, len(fs))
		for i, f := range fs {
			v[i] = get(f)
		}
		return medianOf(v)
	}
	return figures{
		p50:    time.Duration(pick(func(f figures) float64 { return float64(f.p50) })),
		p99:    time.Duration(pick(func(f figures) float64 { return float64(f.p99) })),
		late99: time.Duration(pick(func(f figures) float64 { return float64(f.late99) })),
		perSec: pick(func(f figures) float64 { return f.perSec }),
	}
}

func medianOf(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	return v[len(v)/2]
}

type result struct {
	pipeline, echo figures
	ratio          float64
	rounds         []figures
}

var summary *result // printed by TestMain

// startEcho serves a plain HTTP echo of a JSON body.
func startEcho(b *testing.B) (target, func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		_ = json.NewDecoder(r.Body).Decode(&v)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	})}
	go func() { _ = srv.Serve(ln) }()
	return target{url: "http://" + ln.Addr().String() + "/", body: `{"message":"Hoeveel kost botox?"}`,
		headers: []http.Header{{"Content-Type": {"application/json"}}}}, func() { _ = srv.Close() }
}

func session(b *testing.B, base, origin string) string {
	req, _ := http.NewRequest("POST", base+"/v1/sessions", strings.NewReader(`{"clinic":"demo"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		b.Fatalf("session: %d %v", resp.StatusCode, err)
	}
	return s.Token
}

// TestMain prints the summary table after the benchmarks.
func TestMain(m *testing.M) {
	// The same runtime settings as the iglowly binary, for the pipeline
	// and the echo alike.
	gc, limit := config.TuneRuntime(os.Getenv)
	code := m.Run()
	if r := summary; r != nil {
		fmt.Printf("\nmedian of %d rounds, pipeline and echo measured in turns\n", rounds)
		fmt.Printf("%-10s %12s %12s %16s %16s\n", "", "p50@1k/s", "p99@1k/s", "saturated/s",
			"loader late p99")
		for _, row := range []struct {
			name string
			f    figures
		}{{"pipeline", r.pipeline}, {"echo", r.echo}} {
			fmt.Printf("%-10s %12s %12s %16.0f %16s\n", row.name, row.f.p50.Round(time.Microsecond),
				row.f.p99.Round(time.Microsecond), row.f.perSec, row.f.late99.Round(time.Microsecond))
		}
		fmt.Printf("pipeline throughput = %.2f of the echo's (median of the rounds' ratios)\n", r.ratio)
		fmt.Printf("goals: p50 <= 1ms, p99 <= 5ms, >= 5000 chats/s, >= 0.20 of the echo\n")
		for i, f := range r.rounds {
			fmt.Printf("  round %d pipeline: p50 %s, p99 %s, %.0f chats/s\n", i+1,
				f.p50.Round(time.Microsecond), f.p99.Round(time.Microsecond), f.perSec)
		}
		fmt.Printf("GOGC %d, GOMEMLIMIT %d MiB, GOMAXPROCS %d\n", gc, limit>>20,
			runtime.GOMAXPROCS(0))
	}
	os.Exit(code)
}
