package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
)

// TestEdgeServesMetricsApart runs the edge with its metrics on a
// listener of their own and with them off: the public listener answers
// /metrics with 404 in both cases; the metrics listener, when there is
// one, counts the requests, and the edge logs its URL once.
func TestEdgeServesMetricsApart(t *testing.T) {
	ns := tcpNATS(t)
	cases := []struct {
		name, addr, msg string
		served          bool
	}{
		{"own listener", freeAddr(t), "metrics_ready", true},
		{"off", "off", "metrics_off", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			httpAddr := freeAddr(t)
			base, origin := "http://"+httpAddr, "http://"+httpAddr
			provision(t, ns, origin)
			logs := &testutil.LogBuffer{}
			startTestEdge(t, ns, logs, httpAddr, c.addr)
			waitForSession(t, base, origin)
			if r := get(t, base+"/metrics"); r.status != http.StatusNotFound {
				t.Errorf("public /metrics: status %d, want 404", r.status)
			}
			lines := logLines(logs.String(), c.msg)
			if len(lines) != 1 {
				t.Fatalf("%d %s lines, want one:\n%s", len(lines), c.msg, logs.String())
			}
			if !c.served {
				return
			}
			url := lines[0]["url"]
			if url != "http://"+c.addr+"/metrics" {
				t.Errorf("metrics URL %q, want the one asked for", url)
			}
			r := get(t, url)
			if r.status != http.StatusOK || !strings.Contains(r.body,
				`iglowly_http_requests_total{route="POST /v1/sessions",status="201"}`) {
				t.Errorf("metrics: status %d, no session counted:\n%.400s", r.status, r.body)
			}
		})
	}
}

// TestEdgeRefusesATakenMetricsAddress starts the edge with its metrics
// address already taken: it stops at start with an error that names the
// address, instead of running with metrics nobody can read.
func TestEdgeRefusesATakenMetricsAddress(t *testing.T) {
	ns := tcpNATS(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	httpAddr := freeAddr(t)
	provision(t, ns, "http://"+httpAddr)
	user, pw := ns.Credentials(embedded.Edge)
	env := &testEnv{m: map[string]string{"IGLOWLY_NATS_PASSWORD": pw,
		"IGLOWLY_NATS_INSECURE": "true", "EDGE_RING": testKey(1).Reveal(),
		"EDGE_ADDRESS_KEY":     testKey(2).Reveal(),
		"IGLOWLY_METRICS_ADDR": taken.Addr().String()}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = edgeMain(ctx, []string{"--http", httpAddr, "--nats", ns.ClientURL(),
		"--nats-user", user, "--session-keys", "env://EDGE_RING",
		"--address-key", "env://EDGE_ADDRESS_KEY"}, env.get, discard)
	if err == nil || !strings.Contains(err.Error(), "metrics listener at "+taken.Addr().String()) {
		t.Fatalf("edge with a taken metrics address: %v, want an error naming it", err)
	}
	if ctx.Err() != nil {
		t.Fatal("the edge ran until the test's deadline instead of stopping")
	}
}

// tcpNATS starts an embedded server on a loopback port, as the
// processes and the admin tools reach one, stopped when the test ends.
func tcpNATS(t *testing.T) *embedded.Server {
	t.Helper()
	ns, err := embedded.Start(embedded.Options{StoreDir: filepath.Join(t.TempDir(), "js"),
		Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

// startTestEdge runs edgeMain as the edge's NATS user with fresh keys,
// serving HTTP at httpAddr and metrics at metricsAddr.
func startTestEdge(t *testing.T, ns *embedded.Server, logs io.Writer,
	httpAddr, metricsAddr string) {
	t.Helper()
	user, pw := ns.Credentials(embedded.Edge)
	env := &testEnv{m: map[string]string{"IGLOWLY_NATS_PASSWORD": pw,
		"IGLOWLY_NATS_INSECURE": "true", "EDGE_RING": testKey(1).Reveal(),
		"EDGE_ADDRESS_KEY": testKey(2).Reveal(), "IGLOWLY_METRICS_ADDR": metricsAddr}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- edgeMain(ctx, []string{"--http", httpAddr, "--nats", ns.ClientURL(),
			"--nats-user", user, "--session-keys", "env://EDGE_RING",
			"--address-key", "env://EDGE_ADDRESS_KEY"}, env.get,
			slog.New(slog.NewJSONHandler(logs, nil)))
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("edge exit: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("the edge did not stop")
		}
	})
}

// logLines returns the string attributes of every JSON log line whose
// message is msg.
func logLines(logs, msg string) []map[string]string {
	var out []map[string]string
	for _, raw := range strings.Split(logs, "\n") {
		var line map[string]any
		if json.Unmarshal([]byte(raw), &line) != nil || line["msg"] != msg {
			continue
		}
		attrs := map[string]string{}
		for k, v := range line {
			if s, ok := v.(string); ok {
				attrs[k] = s
			}
		}
		out = append(out, attrs)
	}
	return out
}

// TestDevLogsItsMetricsURL runs "iglowly dev" in this process: its ready
// line gives the metrics listener's URL, on a loopback port of its own,
// which no other line repeats; the metrics are there and not on the
// public listener.
func TestDevLogsItsMetricsURL(t *testing.T) {
	logs := &testutil.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runDev(ctx, []string{"--http", "127.0.0.1:0"},
			slog.New(slog.NewJSONHandler(logs, nil)))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("dev exit: %v", err)
		}
	}()
	base := devBase(t, readyURL(t, logs, 20*time.Second))
	url := logLines(logs.String(), "ready")[0]["metrics"]
	host, port, _ := net.SplitHostPort(strings.TrimSuffix(
		strings.TrimPrefix(url, "http://"), "/metrics"))
	if host != "127.0.0.1" || port == "0" || port == "" || strings.HasSuffix(base, ":"+port) {
		t.Fatalf("metrics URL %q, want a loopback port apart from %s", url, base)
	}
	if n := strings.Count(logs.String(), url); n != 1 {
		t.Errorf("the metrics URL is logged %d times, want once", n)
	}
	if r := get(t, url); r.status != http.StatusOK ||
		!strings.Contains(r.body, "iglowly_http_in_flight") {
		t.Errorf("dev metrics: status %d:\n%.300s", r.status, r.body)
	}
	if r := get(t, base+"/metrics"); r.status != http.StatusNotFound {
		t.Errorf("dev public /metrics: status %d, want 404", r.status)
	}
}
