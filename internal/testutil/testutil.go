// Package testutil holds small helpers that tests in several packages
// share. It is imported by tests only.
package testutil

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// LogBuffer collects log lines written from many goroutines or
// processes, for tests that read them back (the canary checks among
// them).
type LogBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write appends p, from any goroutine.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// KeyFile returns a key as an operator writes it to a file, 32 random
// bytes in base64 (openssl rand -base64 32): raw random bytes would end
// in a newline now and then, which the secret files' reader drops.
func KeyFile() []byte {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return []byte(base64.StdEncoding.EncodeToString(key) + "\n")
}

// FreeAddr returns a loopback address with a port that was free a moment
// ago, for a process that must be told its address before it starts.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// SSEEvent is one server-sent event of the edge's answer stream: its
// name and its JSON data.
type SSEEvent struct {
	Name string
	Data map[string]any
}

// SSEReader reads server-sent events one at a time.
type SSEReader struct {
	sc *bufio.Scanner
}

// NewSSEReader reads the events of r.
func NewSSEReader(r io.Reader) *SSEReader { return &SSEReader{sc: bufio.NewScanner(r)} }

// Next returns the next event, or false at the end of the stream; data
// that is not JSON fails the test.
func (s *SSEReader) Next(t testing.TB) (SSEEvent, bool) {
	t.Helper()
	var ev SSEEvent
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			ev.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			raw := strings.TrimPrefix(line, "data: ")
			if err := json.Unmarshal([]byte(raw), &ev.Data); err != nil {
				t.Fatalf("bad SSE data: %v", err)
			}
		case line == "" && ev.Name != "":
			return ev, true
		}
	}
	return ev, false
}

// ReadSSE returns every event of r.
func ReadSSE(t testing.TB, r io.Reader) []SSEEvent {
	t.Helper()
	var events []SSEEvent
	s := NewSSEReader(r)
	for ev, ok := s.Next(t); ok; ev, ok = s.Next(t) {
		events = append(events, ev)
	}
	return events
}

// InProcessNATS starts a plain NATS server without a listener, without
// users or JetStream, and connects to it; both end with the test.
func InProcessNATS(t testing.TB) *nats.Conn {
	t.Helper()
	ns, err := server.NewServer(&server.Options{DontListen: true, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(5 * time.Second) {
		t.Fatal("server not ready")
	}
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// Respell returns s, unpadded base64url of a length that leaves unused
// low bits in its last character, with those bits set: the same bytes
// to a lenient decoder, another spelling to a strict one.
func Respell(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	unused := map[int]int{2: 0b1111, 3: 0b11}[len(s)%4]
	if unused == 0 {
		panic("testutil: no unused bits in base64url of this length")
	}
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last|unused])
}
