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

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
)

// canaryCount is how many canary messages the test sends, half as JSON
// and half as SSE.
const canaryCount = 120

// canaryMessage is the chat message carrying marker i, with a planted
// email address, and canaryRedacted is what the model must see of it.
func canaryMessage(i int, marker string) string {
	return fmt.Sprintf("%s hoeveel kost botox? mail canary%d@example.com", marker, i)
}

func canaryRedacted(marker string) string {
	return marker + " hoeveel kost botox? mail [EMAIL_1]"
}

// TestCanaryLeavesNoTrace sends messages carrying unique markers and
// planted personal data through the whole system, as JSON and as SSE. It
// checks every marker reached the model, redacted, and came back with an
// answer, then searches every log line (and any base64 in it), every
// message of every JetStream stream, every file under the JetStream store
// and the metrics output: no marker may be anywhere.
func TestCanaryLeavesNoTrace(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	markers := make([]string, canaryCount)
	replies := make([]map[string]any, canaryCount)
	var wg sync.WaitGroup
	for i := range markers {
		markers[i] = fmt.Sprintf("CANARY%08dX", i*7919+13)
		wg.Go(func() { replies[i] = canaryChat(t, ts, origin, i, markers[i]) })
	}
	wg.Wait()
	checkCanariesTravelled(t, ts, markers, replies)

	haystacks := map[string]string{"logs": canaryLogs(t, ts), "metrics": canaryMetrics(t, ts)}
	for name, v := range streamMessages(t, ts) {
		haystacks["stream "+name] = v
	}
	// Stopping the stack makes the server write out what it buffers; the
	// client's idle connections go first, or the edge waits for them.
	http.DefaultClient.CloseIdleConnections()
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	for path, v := range storeFiles(t, ts.dir) {
		haystacks["file "+path] = v
	}
	for where, text := range haystacks {
		for i, m := range markers {
			if strings.Contains(text, m) || strings.Contains(text, fmt.Sprintf("canary%d@", i)) {
				t.Fatalf("marker %d found in %s", i, where)
			}
		}
		if strings.Contains(strings.ToLower(text), "canary") {
			t.Fatalf("canary text found in %s", where)
		}
	}
}

// canaryChat sends marker i in a new session, with the marker in the
// history too, and returns the reply: the JSON body, or the SSE done
// event's data for odd i.
func canaryChat(t *testing.T, ts *testStack, origin string, i int,
	marker string) map[string]any {
	token := ts.session(t, "demo", origin)
	body, _ := json.Marshal(map[string]any{
		"message": canaryMessage(i, marker),
		"history": []map[string]string{{"role": "user", "text": "vorige " + marker}},
	})
	if i%2 == 0 {
		r := ts.chat(t, token, origin, string(body))
		if r.status != 200 {
			t.Errorf("chat %d: %d", i, r.status)
		}
		return r.body
	}
	status, events := ts.chatSSE(t, token, origin, string(body))
	if status != 200 || len(events) == 0 || events[len(events)-1].name != "done" {
		t.Errorf("chat %d: %d, %d events", i, status, len(events))
		return nil
	}
	return events[len(events)-1].data
}

// checkCanariesTravelled checks that each marker went all the way: the
// model saw the message and the history with the marker and the email
// replaced by its placeholder, and the answer came back with the demo
// clinic's botox price, so that the search for markers afterwards cannot
// pass because nothing was sent.
func checkCanariesTravelled(t *testing.T, ts *testStack, markers []string,
	replies []map[string]any) {
	t.Helper()
	price := dutchPriceSentence(t, botox(t, ts, "demo"))
	seen := ts.models.texts()
	for i, m := range markers {
		if !strings.Contains(seen, canaryRedacted(m)) ||
			!strings.Contains(seen, "vorige "+m) {
			t.Errorf("model did not see marker %d, redacted", i)
		}
		if strings.Contains(seen, fmt.Sprintf("canary%d@", i)) {
			t.Errorf("model saw the email of message %d", i)
		}
		answer, _ := replies[i]["answer"].(string)
		if !strings.Contains(answer, price) ||
			replies[i]["redacted_message"] != canaryRedacted(m) {
			t.Errorf("reply %d: answer %q, redacted_message %q", i, answer,
				replies[i]["redacted_message"])
		}
	}
}

// canaryLogs returns the stack's log, with the decoded text of every
// base64 string value of its lines appended (slog writes []byte values
// so), after checking it holds a line for each chat request.
func canaryLogs(t *testing.T, ts *testStack) string {
	t.Helper()
	logs := ts.logs.String()
	if n := strings.Count(logs, "POST /v1/chat"); n < canaryCount {
		t.Fatalf("%d log lines of chat requests, want %d: logs are not captured",
			n, canaryCount)
	}
	var b strings.Builder
	b.WriteString(logs)
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var v any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("log line is not JSON: %v", err)
		}
		for _, s := range stringValues(v, nil) {
			if raw, err := base64.StdEncoding.DecodeString(s); err == nil {
				b.WriteString("\n")
				b.Write(raw)
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

// canaryMetrics returns the metrics output, after checking it counted
// the chat requests.
func canaryMetrics(t *testing.T, ts *testStack) string {
	t.Helper()
	r := ts.do(t, "GET", "/metrics", nil, "")
	if r.status != 200 || !strings.Contains(r.raw, "/v1/chat") {
		t.Fatalf("metrics: status %d, no chat requests counted in %d bytes",
			r.status, len(r.raw))
	}
	return r.raw
}

// streamMessages reads every message still held by every stream on the
// server (the buckets' streams among them) through JetStream, which
// decrypts what the store keeps encrypted: subject, headers and data.
func streamMessages(t *testing.T, ts *testStack) map[string]string {
	t.Helper()
	nc, err := ts.NATS().Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out := map[string]string{}
	counts := map[string]uint64{}
	names := js.StreamNames(ctx)
	for name := range names.Name() {
		counts[name] = readStream(t, ctx, js, name, out)
	}
	if err := names.Err(); err != nil {
		t.Fatal(err)
	}
	sessions := "KV_" + embedded.BucketSessions
	if counts[sessions] < canaryCount || counts["KV_"+embedded.BucketClinics] == 0 {
		t.Fatalf("messages per stream %v: want every session and the clinics",
			counts)
	}
	return out
}

// readStream adds each message of stream name to out and returns how
// many it read.
func readStream(t *testing.T, ctx context.Context, js jetstream.JetStream,
	name string, out map[string]string) uint64 {
	t.Helper()
	s, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	st := s.CachedInfo().State
	var n uint64
	for seq := st.FirstSeq; st.Msgs > 0 && seq <= st.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue // deleted or expired since
		}
		raw, _ := json.Marshal(m.Header)
		out[fmt.Sprintf("%s/%d", name, seq)] = m.Subject + "\n" + string(raw) +
			"\n" + string(m.Data)
		n++
	}
	return n
}

// storeFiles reads every file under the JetStream store folder, after
// checking the folder holds the clinics bucket's stream, so that the
// walk is known to cover the store.
func storeFiles(t *testing.T, dir string) map[string]string {
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
	for path := range out {
		if strings.Contains(path, "KV_"+embedded.BucketClinics) {
			return out
		}
	}
	t.Fatalf("no clinics stream among %d store files", len(out))
	return nil
}
