package stack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
)

// TestCanaryLeavesNoTrace sends messages carrying unique markers and
// planted personal data through the whole system, as JSON and as SSE,
// then searches every log line, every file under the JetStream store,
// every KV value and the metrics output: no marker may be anywhere.
func TestCanaryLeavesNoTrace(t *testing.T) {
	ts := start(t)
	origin := ts.origin("demo")
	const n = 120
	markers := make([]string, n)
	var wg sync.WaitGroup
	for i := range markers {
		markers[i] = fmt.Sprintf("CANARY%08dX", i*7919+13)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			token := ts.session(t, "demo", origin)
			body, _ := json.Marshal(map[string]any{
				"message": fmt.Sprintf("%s hoeveel kost botox? mail canary%d@example.com",
					markers[i], i),
				"history": []map[string]string{{"role": "user", "text": "vorige " + markers[i]}},
			})
			if i%2 == 0 {
				if r := ts.chat(t, token, origin, string(body)); r.status != 200 {
					t.Errorf("chat %d: %d", i, r.status)
				}
			} else if status, _ := ts.chatSSE(t, token, origin, string(body)); status != 200 {
				t.Errorf("chat %d: %d", i, status)
			}
		}(i)
	}
	wg.Wait()
	metrics := ts.do(t, "GET", "/metrics", nil, "").raw
	haystacks := map[string]string{"logs": ts.logs.String(), "metrics": metrics}
	for name, v := range kvValues(t, ts) {
		haystacks["kv "+name] = v
	}
	_ = filepath.WalkDir(ts.dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			raw, _ := os.ReadFile(path)
			haystacks[path] = string(raw)
		}
		return nil
	})
	if len(ts.logs.String()) == 0 {
		t.Fatal("no logs captured: the test would prove nothing")
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

// kvValues reads every value of the sessions and clinics buckets.
func kvValues(t *testing.T, ts *testStack) map[string]string {
	nc, err := ts.NATS().Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	out := map[string]string{}
	for _, bucket := range []string{embedded.BucketSessions, embedded.BucketClinics} {
		kv, err := js.KeyValue(ctx, bucket)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := kv.ListKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		for k := range keys.Keys() {
			e, err := kv.Get(ctx, k)
			if err == nil {
				out[bucket+"/"+k] = string(e.Value())
				count++
			}
		}
		if bucket == embedded.BucketSessions && count == 0 {
			t.Fatal("no sessions found: the test would prove nothing")
		}
	}
	return out
}
