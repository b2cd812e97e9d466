// Package testutil holds small helpers that tests in several packages
// share. It is imported by tests only.
package testutil

import (
	"net"
	"strings"
	"sync"
	"testing"
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
