package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iglowly/assistant/edge"
	"github.com/iglowly/assistant/internal/testutil"
)

// TestWatchKeys rotates the key file under a watching edge: the new ring
// is applied once, a broken file is refused with a warning that shows no
// key, and the ring in use stays.
func TestWatchKeys(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.key")
	key := strings.Repeat("s", 32)
	if err := os.WriteFile(file, []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}
	_, raw, err := readKeys(file)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var applied []edge.Keys
	logs := &testutil.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go watchKeys(ctx, file, raw, 10*time.Millisecond, func(k edge.Keys) error {
		mu.Lock()
		defer mu.Unlock()
		applied = append(applied, k)
		return nil
	}, slog.New(slog.NewJSONHandler(logs, nil)))
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(applied) }

	if err := runKeys([]string{"rotate", "--file", file}, io.Discard); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return count() == 1 })
	time.Sleep(50 * time.Millisecond) // more ticks, the same file
	if count() != 1 {
		t.Errorf("the same ring applied %d times", count())
	}
	if err := os.WriteFile(file, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(logs.String(), "session_keys_not_reloaded") })
	if count() != 1 || strings.Contains(logs.String(), key) {
		t.Errorf("a broken file: %d applied, logs %s", count(), logs.String())
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
