package logtail

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// collector keeps the lines a follower hands over.
type collector struct {
	mu    sync.Mutex
	lines []string
}

func (c *collector) see(l string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lines = append(c.lines, l)
}

// wait waits until the lines are want, failing the test after 5 s.
func (c *collector) wait(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c.mu.Lock()
		got := slices.Clone(c.lines)
		c.mu.Unlock()
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) || len(got) > len(want) {
			t.Fatalf("lines %q, want %q", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// follow starts a follower of path, stopped at the end of the test.
func follow(t *testing.T, path string) (*collector, *Follower) {
	t.Helper()
	c, f, _ := resume(t, path, nil)
	return c, f
}

// resume starts a follower of path, from p if it is not nil, and returns
// a function that stops it and returns once Run has; the follower is
// stopped at the end of the test too.
func resume(t *testing.T, path string, p *Position) (*collector, *Follower, func()) {
	t.Helper()
	c := &collector{}
	f := New(path, 2*time.Millisecond, c.see)
	if p != nil {
		f.StartFrom(*p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return c, f, stop
}

// TestFollow appends to a file as nats-server does and rotates it as its
// logger does (rename, then a new file), then truncates it: every line
// written after the start is handed over once, whole and in order, and
// none written before the start, not even the rest of a line begun then.
func TestFollow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nats.log")
	appendTo(t, path, "old line\nold partial")
	c, f := follow(t, path)
	time.Sleep(20 * time.Millisecond)
	appendTo(t, path, " rest\none\ntw")
	c.wait(t, "one")
	appendTo(t, path, "o\n")
	c.wait(t, "one", "two")
	appendTo(t, path, "three\n")
	if err := os.Rename(path, path+".2026.12.04"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path+".2026.12.04", "four, after the rename\n")
	appendTo(t, path, "five, in the new file\n")
	c.wait(t, "one", "two", "three", "four, after the rename", "five, in the new file")
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "six\n")
	c.wait(t, "one", "two", "three", "four, after the rename", "five, in the new file",
		"six")
	if s := f.Stats(); s.Lines != 6 || s.Reopened != 2 || s.Long != 0 {
		t.Errorf("stats %+v, want 6 lines, 2 reopenings", s)
	}
}

// TestFollowLate follows a file that does not exist yet: once it appears
// it is read from its start. A line longer than MaxLine is dropped whole
// and counted, and the next one is read.
func TestFollowLate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nats.log")
	c, f := follow(t, path)
	time.Sleep(20 * time.Millisecond)
	appendTo(t, path, "first\n"+strings.Repeat("x", MaxLine+10))
	appendTo(t, path, strings.Repeat("y", 100)+"\nlast\n")
	c.wait(t, "first", "last")
	if s := f.Stats(); s.Lines != 2 || s.Long != 1 {
		t.Errorf("stats %+v, want 2 lines and 1 too long", s)
	}
}
