package stack_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/stack"
	"github.com/iglowly/assistant/workers/sanitiser/triage"
)

// canaryCount is how many canary messages the test sends, half as JSON
// and half as SSE; canaryRefusals is how many more it sends that the
// edge refuses.
const (
	canaryCount    = 320
	canaryRefusals = 36
	// canaryWorkers is how many chats are in flight at once.
	canaryWorkers = 8
)

// TestCanaryLeavesNoTrace sends messages carrying unique markers and
// planted personal data of every type the redactor knows, in four
// languages, in the message and in the history, through the whole
// system as JSON and as SSE, some of them triaged and some refused. It
// checks every message went its way and no planted value reached the
// model, then searches every log line (and any base64 in it), every
// message of every JetStream stream, the metrics output, the replies'
// redacted messages and, after shutdown, every file under the store
// folder and the temporary folder: no marker, no planted value and no
// session token may be anywhere.
func TestCanaryLeavesNoTrace(t *testing.T) {
	tmp := t.TempDir()
	// Anything a component writes to a temporary file lands here.
	t.Setenv("TMPDIR", tmp)
	limits := stack.LooseLimits
	// A second chat in a session is refused.
	limits.SessionChats = config.Rate{N: 1, Per: time.Hour}
	ts := startEdgeStack(t, nil, edge.Config{Limits: limits})
	run := runCanaries(t, ts)
	refused := append(refuseCanaries(t, ts, run), violateCanary(t, ts))
	checkCanariesTravelled(t, ts, run)

	plants, secrets := canaryNeedles(run, refused)
	expectNone(t, plants, "what the model saw", ts.models.texts())
	expectNone(t, plants, "the replies", run.repliesText())

	haystacks := map[string]string{"logs": canaryLogs(t, ts),
		"metrics": canaryMetrics(t, ts)}
	waitForCounts(t, ts)
	for name, v := range streamMessages(t, ts) {
		haystacks["stream "+name] = v
	}
	// Stopping the stack makes the server write out what it buffers; the
	// client's idle connections go first, or the edge waits for them.
	http.DefaultClient.CloseIdleConnections()
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	for path, v := range folderFiles(t, ts.dir, true) {
		haystacks["file "+path] = v
	}
	for path, v := range folderFiles(t, tmp, false) {
		haystacks["temporary file "+path] = v
	}
	for where, text := range haystacks {
		expectNone(t, secrets, where, text)
		if strings.Contains(strings.ToLower(text), "canary") {
			t.Errorf("canary text found in %s", where)
		}
	}
}

// canaryNeedles returns the needles of every planted value, and those
// with every marker and session token added.
func canaryNeedles(run *canaryRun, refused []*canaryCase) (plants, secrets *needles) {
	plants, secrets = newNeedles(), newNeedles()
	for _, c := range append(run.cases, refused...) {
		owner := fmt.Sprintf("case %d", c.i)
		plants.addPlants(c.plants, owner)
		secrets.addPlants(c.plants, owner)
		secrets.add(formText, strings.ToLower(c.marker), "marker of "+owner)
	}
	for i, tok := range run.tokens() {
		secrets.add(formText, strings.ToLower(tok), fmt.Sprintf("token of session %d", i))
	}
	return plants, secrets
}

// expectNone fails the test if any needle is in hay, with the count of
// values found per type and the first case of each, never a value.
func expectNone(t *testing.T, n *needles, where, hay string) {
	t.Helper()
	count := map[string]int{}
	first := map[string]string{}
	for _, what := range n.find(hay) {
		typ, owner, _ := strings.Cut(what, " of ")
		if count[typ]++; first[typ] == "" {
			first[typ] = owner
		}
	}
	for typ, k := range count {
		t.Errorf("%d %s found in %s, the first of %s", k, typ, where, first[typ])
	}
}

// canaryRun is what the accepted canaries sent and got back.
type canaryRun struct {
	cases   []*canaryCase
	replies []map[string]any
	mu      sync.Mutex
	toks    []string
}

func (r *canaryRun) addToken(tok string) {
	r.mu.Lock()
	r.toks = append(r.toks, tok)
	r.mu.Unlock()
}

func (r *canaryRun) tokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.toks...)
}

// repliesText is every reply as JSON, one a line.
func (r *canaryRun) repliesText() string {
	var b strings.Builder
	for _, rep := range r.replies {
		raw, _ := json.Marshal(rep)
		b.Write(raw)
		b.WriteByte('\n')
	}
	return b.String()
}

// runCanaries sends every canary case, canaryWorkers at a time, each in
// a session of its own. Each worker is a visitor of its own, from an
// address of its own, as visitors are.
func runCanaries(t *testing.T, ts *testStack) *canaryRun {
	t.Helper()
	run := &canaryRun{cases: make([]*canaryCase, canaryCount),
		replies: make([]map[string]any, canaryCount)}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range canaryWorkers {
		c := clientFrom(fmt.Sprintf("127.0.0.%d", 10+w), nil)
		wg.Go(func() {
			defer c.CloseIdleConnections()
			for i := range next {
				run.cases[i] = newCanaryCase(i)
				run.replies[i] = canaryChat(t, ts, c, run, run.cases[i])
			}
		})
	}
	for i := range canaryCount {
		next <- i
	}
	close(next)
	wg.Wait()
	return run
}

// canaryChat sends case c in a new session with client hc and returns
// the reply: the JSON body, or the SSE done event's data.
func canaryChat(t *testing.T, ts *testStack, hc *http.Client, run *canaryRun,
	c *canaryCase) map[string]any {
	origin := ts.origin("demo")
	token := sessionFrom(t, hc, ts.URL(), "demo", origin)
	run.addToken(token)
	headers := h("application/json", origin, token)
	if !c.sse {
		r := doFrom(t, hc, ts.URL(), "POST", "/v1/chat", headers, c.body())
		if r.status != 200 {
			t.Errorf("chat %d: %d", c.i, r.status)
		}
		return r.body
	}
	headers["Accept"] = "text/event-stream"
	r := doFrom(t, hc, ts.URL(), "POST", "/v1/chat", headers, c.body())
	name, data := lastEvent(r.raw)
	if r.status != 200 || name != "done" {
		t.Errorf("chat %d: %d, last event %q", c.i, r.status, name)
	}
	return data
}

// lastEvent returns the name and JSON data of the last server-sent
// event in stream.
func lastEvent(stream string) (string, map[string]any) {
	events := strings.Split(strings.TrimSpace(stream), "\n\n")
	var name string
	var data map[string]any
	for _, line := range strings.Split(events[len(events)-1], "\n") {
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			name = v
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			_ = json.Unmarshal([]byte(v), &data)
		}
	}
	return name, data
}

// refuseCanaries sends canary cases that the edge must refuse, in turn:
// with a token whose signature was tampered with (401), as the second
// chat of a session whose limit is one (429), as JSON cut short (400)
// and from another clinic's origin (403). It returns the cases, whose
// markers and values are searched like the others.
func refuseCanaries(t *testing.T, ts *testStack, run *canaryRun) []*canaryCase {
	t.Helper()
	origin := ts.origin("demo")
	var out []*canaryCase
	for k := range canaryRefusals {
		c := newCanaryCase(canaryCount + k)
		out = append(out, c)
		token := ts.session(t, "demo", origin)
		run.addToken(token)
		body, want := c.body(), 0
		from := origin
		switch k % 4 {
		case 0:
			token, want = tamper(token), 401
			run.addToken(token)
		case 1:
			first := ts.chat(t, token, origin, `{"message":"Hallo"}`)
			if first.status != 200 {
				t.Fatalf("first chat of a session: %d", first.status)
			}
			want = 429
		case 2:
			body, want = body[:len(body)-2], 400 // the message's end
		case 3:
			from, want = ts.origin("demo-2"), 403
		}
		if r := ts.chat(t, token, from, body); r.status != want {
			t.Errorf("refused case %d: status %d, want %d", k, r.status, want)
		}
	}
	return out
}

// violateCanary publishes a canary case on the demo clinic's infer
// subject as the edge's NATS user, which the server refuses: the model
// must not see it, and only a content-free permission violation event
// may stay of it.
func violateCanary(t *testing.T, ts *testStack) *canaryCase {
	t.Helper()
	c := newCanaryCase(canaryCount + canaryRefusals)
	nc, err := ts.NATS().Connect(embedded.Edge,
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	msg := &nats.Msg{Subject: "iglowly.demo.chat.infer", Data: []byte(c.body()),
		Header: nats.Header{"ce-id": {c.marker}}}
	if err := nc.PublishMsg(msg); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	waitViolation(t, ts)
	return c
}

// waitViolation waits up to 5 s for the edge's permission violation
// event in the demo clinic's security events.
func waitViolation(t *testing.T, ts *testStack) {
	t.Helper()
	js := adminJS(t, ts)
	since := time.Now().Add(-time.Minute)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		evs, err := embedded.ReadSecurityEvents(context.Background(), js, "demo",
			since, 10000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == schemas.SecPermissionViolation && e.Component == embedded.Edge {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no permission violation event of the edge")
}

// tamper changes one character of a token's signature.
func tamper(token string) string {
	b := []byte(token)
	i := len(b) - 3
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// checkCanariesTravelled checks that each case went its way, so that the
// searches afterwards cannot pass because nothing was sent: the model
// saw the marker of each message and its history, redacted, and answered
// with the demo clinic's botox price; a triaged message never reached
// the model and got triage's answer; every reply's redacted message
// holds the marker and a placeholder of every type planted in it.
func checkCanariesTravelled(t *testing.T, ts *testStack, run *canaryRun) {
	t.Helper()
	price := botoxPrice(t, ts, "demo")
	seen := ts.models.texts()
	triagedN := map[triage.Category]int{}
	for i, c := range run.cases {
		answer, _ := run.replies[i]["answer"].(string)
		redacted, _ := run.replies[i]["redacted_message"].(string)
		toModel := strings.Contains(seen, c.marker+" ")
		switch {
		case c.category != triage.None:
			triagedN[c.category]++
			if toModel || answer != triage.Reply(c.category, c.lang) {
				t.Errorf("case %d (%s): reached the model %v, answer %q", i,
					c.category, toModel, answer)
			}
		case !toModel || !strings.Contains(seen, "vorige "+c.marker):
			t.Errorf("model did not see the message or history of case %d", i)
		case !strings.Contains(answer, price):
			t.Errorf("case %d: answer %q lacks the price %s", i, answer, price)
		}
		checkRedacted(t, c, redacted)
	}
	if len(triagedN) != 3 {
		t.Errorf("triaged cases per category %v, want all three", triagedN)
	}
}

// checkRedacted checks a reply's redacted message starts with the
// case's marker and holds a placeholder of each type planted in the
// message.
func checkRedacted(t *testing.T, c *canaryCase, redacted string) {
	t.Helper()
	if !strings.HasPrefix(redacted, c.marker+" ") {
		t.Errorf("case %d: redacted message %q", c.i, redacted)
		return
	}
	for _, typ := range []string{"PERSON", "PHONE", "EMAIL", "ADDRESS",
		"DATE_OF_BIRTH", "NATIONAL_ID", "IBAN", "CREDIT_CARD"} {
		if !strings.Contains(redacted, "["+typ+"_") {
			t.Errorf("case %d: no %s placeholder in %q", c.i, typ, redacted)
		}
	}
}

// canaryLogs returns the stack's log, with the decoded text of every
// base64 string value of its lines appended (slog writes []byte values
// so), after checking it holds a line for each chat request.
func canaryLogs(t *testing.T, ts *testStack) string {
	t.Helper()
	logs := ts.logs.String()
	if n := strings.Count(logs, "POST /v1/chat"); n < canaryCount+canaryRefusals {
		t.Fatalf("%d log lines of chat requests, want %d: logs are not captured",
			n, canaryCount+canaryRefusals)
	}
	var b strings.Builder
	b.WriteString(logs)
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var v any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("log line is not JSON: %v", err)
		}
		for _, s := range stringValues(v, nil) {
			for _, enc := range []*base64.Encoding{base64.StdEncoding,
				base64.RawURLEncoding} {
				if raw, err := enc.DecodeString(s); err == nil {
					b.WriteString("\n")
					b.Write(raw)
				}
			}
		}
	}
	return b.String()
}

// stringValues appends every string in a decoded JSON value to dst.
func stringValues(v any, dst []string) []string {
	switch v := v.(type) {
	case string:
		dst = append(dst, v)
	case map[string]any:
		for _, e := range v {
			dst = stringValues(e, dst)
		}
	case []any:
		for _, e := range v {
			dst = stringValues(e, dst)
		}
	}
	return dst
}

// canaryMetrics returns the metrics output of the edge's internal
// listener, after checking it counted the chat requests.
func canaryMetrics(t *testing.T, ts *testStack) string {
	t.Helper()
	r := doAt(t, ts.MetricsURL(), "GET", "/metrics", nil, "")
	if r.status != 200 || !strings.Contains(r.raw, "/v1/chat") {
		t.Fatalf("metrics: status %d, no chat requests counted in %d bytes",
			r.status, len(r.raw))
	}
	return r.raw
}

// streamMessages reads every message still held by every stream on the
// server (the buckets' streams among them, with their history) through
// JetStream, which decrypts what the store keeps encrypted: subject,
// headers and data, one text per stream. It checks the streams hold what
// the canaries must have left: a session each, the clinics, and the
// security events of removed values, triage and refusals.
func streamMessages(t *testing.T, ts *testStack) map[string]string {
	t.Helper()
	js := adminJS(t, ts)
	ctx := context.Background()
	out := map[string]string{}
	subjects := map[string]int{}
	names := js.StreamNames(ctx)
	for name := range names.Name() {
		out[name] = readStream(t, ctx, js, name, subjects)
	}
	if err := names.Err(); err != nil {
		t.Fatal(err)
	}
	checkStreamsHold(t, subjects)
	return out
}

// waitForCounts waits until the sanitiser, which sends its counts once a
// second, has sent the canaries' to the analytics stream, so that the
// search of the streams covers them.
func waitForCounts(t *testing.T, ts *testStack) {
	t.Helper()
	js := adminJS(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		s, err := js.Stream(ctx, embedded.StreamAnalytics)
		if err == nil && s.CachedInfo().State.Msgs > 0 {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("no counts in the analytics stream: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkStreamsHold checks the count of messages per subject prefix.
func checkStreamsHold(t *testing.T, subjects map[string]int) {
	t.Helper()
	count := func(prefix string) (n int) {
		for s, k := range subjects {
			if strings.HasPrefix(s, prefix) {
				n += k
			}
		}
		return n
	}
	sec := "iglowly.demo.security."
	want := map[string]int{
		"$KV." + embedded.BucketSessions + ".": canaryCount,
		"$KV." + embedded.BucketClinics + ".":  1,
		sec + "pii_removed":                    canaryCount,
		sec + "injection_suspected":            1,
		sec + "auth_failed":                    1,
		sec + "permission_violation":           1,
		sec + "rate_limited":                   1,
		"iglowly.demo.analytics.":              1,
	}
	for prefix, n := range want {
		if got := count(prefix); got < n {
			t.Errorf("%d messages on %s…, want at least %d", got, prefix, n)
		}
	}
}

// readStream returns every message of stream name as text, counting
// them per subject.
func readStream(t *testing.T, ctx context.Context, js jetstream.JetStream,
	name string, subjects map[string]int) string {
	t.Helper()
	s, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	st := s.CachedInfo().State
	var b strings.Builder
	for seq := st.FirstSeq; st.Msgs > 0 && seq <= st.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue // deleted or expired since
		}
		raw, _ := json.Marshal(m.Header)
		fmt.Fprintf(&b, "%s\n%s\n%s\n\n", m.Subject, raw, m.Data)
		subjects[m.Subject]++
	}
	return b.String()
}

// folderFiles reads every file under dir. For the store folder it
// first checks the folder holds the clinics bucket's stream, so that the
// walk is known to cover the store.
func folderFiles(t *testing.T, dir string, store bool) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		out[path] = string(raw)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !store {
		return out
	}
	for path := range out {
		if strings.Contains(path, "KV_"+embedded.BucketClinics) {
			return out
		}
	}
	t.Fatalf("no clinics stream among %d store files", len(out))
	return nil
}
