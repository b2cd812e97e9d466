package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/internal/testutil"
)

// TestSeparateProcesses builds the iglowly binary and runs two edges, two
// sanitiser replicas, the inference and the response worker as separate
// processes against one NATS server with a user per component, and per
// replica for the edges and sanitisers, then gets an answer through each
// edge.
func TestSeparateProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts processes")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "iglowly")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ns, err := embedded.Start(embedded.Options{StoreDir: filepath.Join(dir, "js"),
		Listen:   "127.0.0.1:0",
		Replicas: embedded.Replicas{embedded.Edge: 2, embedded.Sanitiser: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	httpAddr := freeAddr(t)
	origin := "http://" + httpAddr
	want := frenchBotoxPrice(t, provision(t, ns, origin))

	keyFile := filepath.Join(dir, "session.key")
	if err := os.WriteFile(keyFile, testutil.KeyFile(), 0o600); err != nil {
		t.Fatal(err)
	}
	addrFile := filepath.Join(dir, "address.key")
	if err := os.WriteFile(addrFile, testutil.KeyFile(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the processes' logs:\n%s", logs.String())
		}
	})
	spawn := func(name string, args ...string) {
		user, pw := ns.Credentials(name)
		cmd := exec.CommandContext(ctx, bin, append(args,
			"--nats", ns.ClientURL(), "--nats-user", user)...)
		cmd.Env = append(os.Environ(), "IGLOWLY_NATS_PASSWORD="+pw,
			"IGLOWLY_NATS_INSECURE=true") // the embedded server has no TLS
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	spawn("sanitiser-1", "worker", "sanitiser")
	spawn("sanitiser-2", "worker", "sanitiser")
	spawn(embedded.Inference, "worker", "inference")
	spawn(embedded.Response, "worker", "response")
	// The page's origin is the first edge's; a load balancer would send
	// its visitors to either.
	for i, addr := range []string{httpAddr, freeAddr(t)} {
		spawn(fmt.Sprintf("edge-%d", i+1), "edge", "--http", addr,
			"--metrics-addr", freeAddr(t),
			"--session-key-file", keyFile, "--address-key-file", addrFile)
		askInFrench(t, "http://"+addr, origin, want, logs)
	}
}

// askInFrench asks the edge at base the price of botox and checks the
// answer, waiting for the edge to start.
func askInFrench(t *testing.T, base, origin, want string, logs *syncBuffer) {
	t.Helper()
	token := waitForSession(t, base, origin)
	var answer map[string]any
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body := post(t, base+"/v1/chat", origin, token,
			`{"message":"Combien coûte le botox ?"}`)
		if status == 200 {
			_ = json.Unmarshal(body, &answer)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer: %d %s\nlogs:\n%s", status, body, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if a, _ := answer["answer"].(string); answer["lang"] != "fr" ||
		!strings.Contains(a, want) {
		t.Errorf("answer %v, want lang fr and %q", answer, want)
	}
	if strings.Contains(logs.String(), "botox") {
		t.Error("a process logged chat content")
	}
}

// frenchBotoxPrice is the sentence the local model writes in French for
// the price range of the demo clinic's botox ("%s : de %s à %s%s."),
// built from the clinic's facts, amounts written as "190 €".
func frenchBotoxPrice(t *testing.T, clinics []*config.Clinic) string {
	t.Helper()
	for _, c := range clinics {
		for _, tr := range c.Treatments {
			if c.ID != "demo" || tr.ID != "botox" {
				continue
			}
			if tr.PriceTo <= tr.PriceFrom || tr.PriceTo >= 1000 {
				t.Fatalf("botox costs %d to %d: the test expects a range below 1 000 €",
					tr.PriceFrom, tr.PriceTo)
			}
			return fmt.Sprintf("%s : de %d € à %d € %s.", tr.Name.In("fr"),
				tr.PriceFrom, tr.PriceTo, tr.PriceUnit.In("fr"))
		}
	}
	t.Fatal("the demo clinic has no botox")
	return ""
}

// provision creates the buckets and stores the demo clinics, which it
// returns.
func provision(t *testing.T, ns *embedded.Server, origin string) []*config.Clinic {
	t.Helper()
	nc, err := ns.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx := context.Background()
	if err := embedded.Provision(ctx, nc, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	clinics, err := config.DemoClinics(origin, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clinics {
		if err := embedded.PutClinic(ctx, nc, c); err != nil {
			t.Fatal(err)
		}
	}
	return clinics
}

func waitForSession(t *testing.T, base, origin string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body := post(t, base+"/v1/sessions", origin, "", `{"clinic":"demo"}`)
		if status == 201 {
			var s struct{ Token string }
			_ = json.Unmarshal(body, &s)
			return s.Token
		}
		if time.Now().After(deadline) {
			t.Fatalf("edge did not start: %d %s", status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func post(t *testing.T, url, origin, token, body string) (int, []byte) {
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", origin)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func freeAddr(t *testing.T) string { return testutil.FreeAddr(t) }

type syncBuffer = testutil.LogBuffer
