package edge_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/stack"
)

// pauseWriteTimeout is the write bound of the pause test, and
// pausedSentences how many sentences its model sends, each after a
// pause of pauseLength, longer than the bound.
const (
	pauseWriteTimeout = 300 * time.Millisecond
	pauseLength       = 3 * pauseWriteTimeout
	pausedSentences   = 3
)

// TestPausesLongerThanTheWriteBound streams an answer whose model waits
// longer than the write bound before each sentence, to a client that
// reads everything, over HTTP/1.1 and over HTTPS with HTTP/2, where a
// write deadline is a timer on the stream: every sentence and the done
// event arrive, since the bound holds each write and not the pauses
// between them, and no write timeout is counted.
func TestPausesLongerThanTheWriteBound(t *testing.T) {
	for _, https := range []bool{false, true} {
		name := map[bool]string{false: "HTTP/1.1", true: "HTTP/2"}[https]
		t.Run(name, func(t *testing.T) {
			logs := &testutil.LogBuffer{}
			st, err := stack.Start(context.Background(), stack.Options{
				HTTPAddr: "127.0.0.1:0", StoreDir: t.TempDir(), HTTPS: https,
				Logger: slog.New(slog.NewJSONHandler(logs, nil)),
				Models: pausedAnswer{},
				Edge:   edge.Config{WriteTimeout: pauseWriteTimeout},
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = st.Close() })
			c := clientOf(st)
			events, major := streamChat(t, c, st.URL(), sessionWith(t, c, st.URL()))
			if want := map[bool]int{false: 1, true: 2}[https]; major != want {
				t.Errorf("answered over HTTP/%d, want %s", major, name)
			}
			if got := strings.Count(events, "event: chunk"); got != pausedSentences ||
				!strings.Contains(events, "event: done") {
				t.Fatalf("%d chunk events and done %v, want %d and done:\n%.500s",
					got, strings.Contains(events, "event: done"), pausedSentences, events)
			}
			if n := readMetrics(t, st.MetricsURL())["iglowly_http_write_timeouts_total"]; n != 0 {
				t.Errorf("%v write timeouts counted", n)
			}
		})
	}
}

// pausedAnswer waits pauseLength before each of its sentences.
type pausedAnswer struct{}

func (pausedAnswer) Model(*config.Clinic, string) (llms.Model, error) {
	return pausedAnswer{}, nil
}

func (pausedAnswer) GenerateContent(ctx context.Context, _ []llms.MessageContent,
	opts ...llms.CallOption) (*llms.ContentResponse, error) {
	var o llms.CallOptions
	for _, opt := range opts {
		opt(&o)
	}
	const sentence = "The clinic takes its time with every visitor today. "
	var all strings.Builder
	for range pausedSentences {
		select {
		case <-time.After(pauseLength):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		all.WriteString(sentence)
		if o.StreamingFunc != nil {
			if err := o.StreamingFunc(ctx, []byte(sentence)); err != nil {
				return nil, err
			}
		}
	}
	return &llms.ContentResponse{Choices: []*llms.ContentChoice{
		{Content: all.String()}}}, nil
}

func (m pausedAnswer) Call(ctx context.Context, prompt string,
	opts ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, opts...)
}

// clientOf returns a client of the stack's edge: over HTTPS with HTTP/2,
// trusting its certificate, if it has one.
func clientOf(st *stack.Stack) *http.Client {
	cert := st.Certificate()
	if cert == nil {
		return &http.Client{Transport: &http.Transport{}}
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return &http.Client{Transport: &http.Transport{ForceAttemptHTTP2: true,
		TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// sessionWith opens a session of the demo clinic through c.
func sessionWith(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/v1/sessions",
		strings.NewReader(`{"clinic":"demo"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	return tokenOf(t, c, req)
}

// streamChat asks for events through c and returns all of the stream
// and the major version of the protocol it came over.
func streamChat(t *testing.T, c *http.Client, base, token string) (string, int) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/v1/chat",
		strings.NewReader(`{"message":"Wanneer zijn jullie open?"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading the stream after %d bytes: %v", b.Len(), err)
	}
	return b.String(), resp.ProtoMajor
}
