package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/internal/testutil"
)

// TestDevCommand runs the real binary as "iglowly dev" on any free port,
// follows the URL its ready line gives, gets an answer through it, then
// interrupts it and checks that it exits cleanly and leaves no temporary
// JetStream folder behind.
func TestDevCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := buildIglowly(t)
	tmp := t.TempDir()
	cmd := exec.Command(bin, "dev", "--http", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	logs := &testutil.LogBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	open := readyURL(t, logs, 20*time.Second)

	base := devBase(t, open)
	if dirs := devStoreDirs(t, tmp); len(dirs) != 1 {
		t.Fatalf("store folders in TMPDIR while running: %v, want one", dirs)
	}
	marker := "zq" + randomHex(t)
	askDev(t, base, marker)

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	assertExitsZero(t, cmd, 10*time.Second)
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("TMPDIR holds %v after exit, want nothing", left)
	}
	if out := logs.String(); strings.Contains(out, marker) || !strings.Contains(out, `"stopping"`) {
		t.Errorf("logs hold the chat marker or lack the stop line:\n%s", out)
	}
	if n := strings.Count(logs.String(), `"msg":"dev_secrets_in_memory"`); n != 1 {
		t.Errorf("the dev secrets warning is logged %d times, want once", n)
	}
}

// TestDevSecrets checks the keys "iglowly dev" gives its edge: made up in
// memory, an address key apart from the signing key, one warning saying
// so at WARN level, and no key in the logs.
func TestDevSecrets(t *testing.T) {
	logs := &testutil.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	var a, b edge.Config
	if err := devEdgeSecrets(context.Background(), &a, log); err != nil {
		t.Fatal(err)
	}
	if err := devEdgeSecrets(context.Background(), &b, discard); err != nil {
		t.Fatal(err)
	}
	key, addr := a.SigningKeys.Current.Key, a.AddressKey
	switch {
	case a.SigningKeys.Validate() != nil || len(addr) < 32:
		t.Fatalf("dev keys are not fit: %v, address key %d bytes",
			a.SigningKeys.Validate(), len(addr))
	case bytes.Equal(key, addr):
		t.Error("the dev address key is the signing key")
	case bytes.Equal(key, b.SigningKeys.Current.Key) || bytes.Equal(addr, b.AddressKey):
		t.Error("two dev runs made the same keys")
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"level":"WARN"`) ||
		!strings.Contains(lines[0], "dev_secrets_in_memory") {
		t.Errorf("logs %q, want the one dev secrets warning", lines)
	}
	if strings.Contains(logs.String(), string(key)) || strings.Contains(logs.String(), string(addr)) {
		t.Error("a dev key is in the logs")
	}
}

// buildIglowly builds the binary into a temporary folder.
func buildIglowly(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "iglowly")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// readyURL waits at most bound for the JSON log line that says which URL
// to open, and returns that URL.
func readyURL(t *testing.T, logs *testutil.LogBuffer, bound time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(bound)
	for time.Now().Before(deadline) {
		for _, raw := range strings.Split(logs.String(), "\n") {
			var line struct{ Msg, Open string }
			if json.Unmarshal([]byte(raw), &line) == nil && line.Msg == "ready" {
				return line.Open
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no ready line within %v; logs:\n%s", bound, logs.String())
	return ""
}

// devBase checks the URL to open and returns its scheme and host: the
// port dev actually bound, never the 0 it was asked for.
func devBase(t *testing.T, open string) string {
	t.Helper()
	u, err := url.Parse(open)
	if err != nil || u.Scheme != "http" || u.Path != "/demo" {
		t.Fatalf("URL to open %q: %v", open, err)
	}
	if u.Hostname() != "127.0.0.1" || u.Port() == "" || u.Port() == "0" {
		t.Fatalf("URL to open %q does not name the bound port", open)
	}
	return u.Scheme + "://" + u.Host
}

// devStoreDirs lists the temporary JetStream folders dev made in dir.
func devStoreDirs(t *testing.T, dir string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(dir, "iglowly-dev-*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// askDev gets the health check, the demo page, a session and one answer
// from the dev edge at base.
func askDev(t *testing.T, base, marker string) {
	t.Helper()
	health := get(t, base+"/healthz")
	if health.status != 200 || !strings.Contains(health.body, `"ok"`) {
		t.Errorf("GET /healthz: %d %s", health.status, health.body)
	}
	demo := get(t, base+"/demo")
	if demo.status != 200 || !strings.HasPrefix(demo.contentType, "text/html") {
		t.Errorf("GET /demo: %d %s", demo.status, demo.contentType)
	}
	status, body := post(t, base+"/v1/sessions", base, "", `{"clinic":"demo"}`)
	var s struct{ Token string }
	if status != 201 || json.Unmarshal(body, &s) != nil || s.Token == "" {
		t.Fatalf("POST /v1/sessions: %d %s", status, body)
	}
	status, body = post(t, base+"/v1/chat", base, s.Token,
		`{"message":"How much does botox cost? `+marker+`"}`)
	var a struct {
		Answer    string `json:"answer"`
		RequestID string `json:"request_id"`
	}
	if json.Unmarshal(body, &a) != nil || status != 200 || a.Answer == "" || a.RequestID == "" {
		t.Fatalf("POST /v1/chat: %d %s", status, body)
	}
}

type getReply struct {
	status      int
	contentType string
	body        string
}

func get(t *testing.T, url string) getReply {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return getReply{resp.StatusCode, resp.Header.Get("Content-Type"), string(raw)}
}

// assertExitsZero waits at most bound for cmd to exit, and wants 0.
func assertExitsZero(t *testing.T, cmd *exec.Cmd, bound time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil || cmd.ProcessState.ExitCode() != 0 {
			t.Errorf("dev exited with %v (code %d), want 0", err, cmd.ProcessState.ExitCode())
		}
	case <-time.After(bound):
		t.Fatalf("dev still running %v after SIGINT", bound)
	}
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
