package edge_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/internal/testutil"
	"github.com/iglowly/assistant/stack"
)

// slowWriteTimeout is the edge's write bound in the slow reader test;
// slowAnswerTimeout is far longer, so that only the write bound can end
// a request within slowBound.
const (
	slowWriteTimeout  = time.Second
	slowAnswerTimeout = 3 * time.Minute
	slowBound         = time.Minute
)

// slowMarker is a word of every sentence of the long answer, which no
// log line may hold.
const slowMarker = "lavender"

// TestClientThatStopsReading asks for a long answer, as JSON and as
// events, over a real TCP connection with a tiny receive window that it
// then never reads: the edge's write blocks, its deadline passes, and
// the request ends long before its answer timeout. The edge's in-flight
// gauge and its reply inboxes go back to zero, the timeout is counted
// and logged once with the request id, and no log line holds the answer.
func TestClientThatStopsReading(t *testing.T) {
	logs := &testutil.LogBuffer{}
	st, err := stack.Start(context.Background(), stack.Options{
		HTTPAddr: "127.0.0.1:0",
		StoreDir: t.TempDir(),
		Logger:   slog.New(slog.NewJSONHandler(logs, nil)),
		Models:   longAnswer{},
		Edge: edge.Config{WriteTimeout: slowWriteTimeout,
			AnswerTimeout: slowAnswerTimeout},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	for i, accept := range []string{"application/json", "text/event-stream"} {
		t.Run(accept, func(t *testing.T) {
			token := openSession(t, st)
			conn := dialSlowReader(t, st.URL())
			start := time.Now()
			sendChat(t, conn, st.URL(), token, accept)
			m := waitForMetrics(t, st, start, func(m map[string]float64) bool {
				return m["iglowly_http_write_timeouts_total"] == float64(i+1) &&
					m["iglowly_http_in_flight"] == 0
			})
			t.Logf("request ended %v after it was sent", time.Since(start))
			if m["iglowly_replies_waiting"] != 0 {
				t.Errorf("%v reply inboxes still held", m["iglowly_replies_waiting"])
			}
		})
	}
	checkWriteTimeoutLogs(t, logs.String(), 2)
}

// longAnswer streams 60 sentences of about 4,000 characters each, as
// fast as the pipeline takes them: an answer far larger than what the
// client's socket and the edge's buffers hold.
type longAnswer struct{}

func (longAnswer) Model(*config.Clinic, string) (llms.Model, error) { return longAnswer{}, nil }

func (longAnswer) GenerateContent(ctx context.Context, _ []llms.MessageContent,
	opts ...llms.CallOption) (*llms.ContentResponse, error) {
	var o llms.CallOptions
	for _, opt := range opts {
		opt(&o)
	}
	sentence := strings.Repeat("soft "+slowMarker+" light fills the calm room ", 140) +
		"today. "
	var all strings.Builder
	for range 60 {
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

func (m longAnswer) Call(ctx context.Context, prompt string,
	opts ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, opts...)
}

// openSession opens a session of the demo clinic and returns its token.
func openSession(t *testing.T, st *stack.Stack) string {
	t.Helper()
	return sessionWith(t, http.DefaultClient, st.URL())
}

// tokenOf sends a session request through c and returns the token.
func tokenOf(t *testing.T, c *http.Client, req *http.Request) string {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		t.Fatalf("session: status %d, %v", resp.StatusCode, err)
	}
	return s.Token
}

// dialSlowReader connects with a receive buffer and a segment size as
// small as Linux allows, so that the edge's side of the connection can
// hold little of what the client does not read. The connection is closed
// at the end of the test.
func dialSlowReader(t *testing.T, base string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024)
			if serr == nil {
				serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP,
					syscall.TCP_MAXSEG, 536)
			}
		})
		if err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// sendChat writes a chat request on conn and reads nothing back.
func sendChat(t *testing.T, conn net.Conn, base, token, accept string) {
	t.Helper()
	body := `{"message":"Tell me everything about the clinic."}`
	req := fmt.Sprintf("POST /v1/chat HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\n"+
		"Authorization: Bearer %s\r\nContent-Type: application/json\r\n"+
		"Accept: %s\r\nContent-Length: %d\r\n\r\n%s",
		strings.TrimPrefix(base, "http://"), base, token, accept, len(body), body)
	if _, err := conn.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
}

// waitForMetrics reads the edge's metrics from its internal listener
// until done holds, at most slowBound after start, and returns them.
func waitForMetrics(t *testing.T, st *stack.Stack, start time.Time,
	done func(map[string]float64) bool) map[string]float64 {
	t.Helper()
	var m map[string]float64
	for time.Since(start) < slowBound {
		m = readMetrics(t, st.MetricsURL())
		if done(m) {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("after %v: in flight %v, write timeouts %v, reply inboxes %v",
		slowBound, m["iglowly_http_in_flight"], m["iglowly_http_write_timeouts_total"],
		m["iglowly_replies_waiting"])
	return nil
}

// readMetrics returns the unlabelled metrics of the listener at base.
func readMetrics(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: status %d", resp.StatusCode)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") || strings.Contains(name, "{") {
			continue
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			m[name] = f
		}
	}
	return m
}

// checkWriteTimeoutLogs checks that there are want client_write_timeout
// lines, each with a request id whose access log line says why it
// ended, and that no line holds the answer.
func checkWriteTimeoutLogs(t *testing.T, logs string, want int) {
	t.Helper()
	ended := map[string]bool{}
	var ids []string
	for _, raw := range strings.Split(strings.TrimSpace(logs), "\n") {
		var line struct {
			Msg     string `json:"msg"`
			ID      string `json:"request_id"`
			Outcome string `json:"outcome"`
			Route   string `json:"route"`
		}
		_ = json.Unmarshal([]byte(raw), &line)
		switch {
		case line.Msg == "client_write_timeout":
			ids = append(ids, line.ID)
		case line.Msg == "http_request" && line.Outcome == "client_write_timeout":
			ended[line.ID] = line.Route == "POST /v1/chat"
		}
		if strings.Contains(raw, slowMarker) {
			t.Errorf("a log line holds the answer: %.200s", raw)
		}
	}
	if len(ids) != want {
		t.Fatalf("%d client_write_timeout lines, want %d", len(ids), want)
	}
	for _, id := range ids {
		if id == "" || !ended[id] {
			t.Errorf("request %q: no access log line of a chat ended by the timeout", id)
		}
	}
}
