package stack_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// clientFrom returns an HTTP client whose connections leave from the
// loopback address ip (any of 127.0.0.0/8 on Linux), so that the edge
// sees a client address of its own. It trusts roots, if given, for
// HTTPS.
func clientFrom(ip string, roots *x509.CertPool) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext:       d.DialContext,
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
	}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// doFrom sends a request with client c to the edge at base.
func doFrom(t *testing.T, c *http.Client, base, method, path string,
	headers map[string]string, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return readReply(t, resp)
}

// sessionFrom opens a session for clinic with client c at base.
func sessionFrom(t *testing.T, c *http.Client, base, clinic, origin string) string {
	t.Helper()
	r := doFrom(t, c, base, "POST", "/v1/sessions", h("application/json", origin, ""),
		`{"clinic":"`+clinic+`"}`)
	if r.status != 201 {
		t.Fatalf("session for %s at %s: %d %s", clinic, base, r.status, r.raw)
	}
	return r.body["token"].(string)
}

// chatFrom sends one chat message with client c at base.
func chatFrom(t *testing.T, c *http.Client, base, token, origin, message string) reply {
	t.Helper()
	raw, _ := json.Marshal(map[string]string{"message": message})
	return doFrom(t, c, base, "POST", "/v1/chat", h("application/json", origin, token),
		string(raw))
}

// retryAfter returns the reply's Retry-After in seconds, failing the test
// if it is not a whole number.
func retryAfter(t *testing.T, r reply) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscanf(r.header.Get("Retry-After"), "%d", &n); err != nil {
		t.Fatalf("Retry-After %q: %v", r.header.Get("Retry-After"), err)
	}
	return n
}

// adminJS is JetStream as the admin user, until the test ends.
func adminJS(t *testing.T, ts *testStack) jetstream.JetStream {
	t.Helper()
	nc, err := ts.NATS().Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// adminKV binds a bucket as the admin user.
func adminKV(t *testing.T, ts *testStack, bucket string) jetstream.KeyValue {
	t.Helper()
	kv, err := adminJS(t, ts).KeyValue(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

// bucketState lists every key of a bucket with its value, and its
// revision if revisions is set.
func bucketState(t *testing.T, kv jetstream.KeyValue, revisions bool) string {
	t.Helper()
	ctx := context.Background()
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for k := range keys.Keys() {
		e, err := kv.Get(ctx, k)
		if err != nil {
			continue // expired since it was listed
		}
		line := fmt.Sprintf("%s=%s", k, e.Value())
		if revisions {
			line += fmt.Sprintf("@%d", e.Revision())
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// changeClinic stores a changed copy of a demo clinic, renamed with a
// tag, and waits until every edge of bases serves the change: a session
// opened there names the clinic so (for a paused clinic, none opens and
// the wait is up to the caller).
func changeClinic(t *testing.T, ts *testStack, bases []string, id, tag string,
	change func(*config.Clinic)) {
	t.Helper()
	c := *ts.clinic(id)
	c.Name += " " + tag
	change(&c)
	putClinic(t, ts, &c)
	if c.Paused {
		return
	}
	client := clientFrom("127.0.0.3", nil)
	for _, base := range bases {
		deadline := time.Now().Add(5 * time.Second)
		for {
			r := doFrom(t, client, base, "POST", "/v1/sessions",
				h("application/json", ts.origin(id), ""), `{"clinic":"`+id+`"}`)
			cl, _ := r.body["clinic"].(map[string]any)
			if r.status == 201 && cl["name"] == c.Name {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s does not serve the changed clinic: %d %s", base, r.status, r.raw)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// putClinic stores a clinic as the admin user.
func putClinic(t *testing.T, ts *testStack, c *config.Clinic) {
	t.Helper()
	nc, err := ts.NATS().Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := embedded.PutClinic(context.Background(), nc, c); err != nil {
		t.Fatal(err)
	}
}

// discard reads and closes a response body.
func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
