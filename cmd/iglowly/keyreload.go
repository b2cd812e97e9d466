package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/iglowly/assistant/edge"
)

// keyReloadEvery is how often an edge reads its session key ring file
// again, so a rotation reaches every edge within that time.
const keyReloadEvery = 5 * time.Second

// readKeys reads and parses the session key ring file.
func readKeys(path string) (edge.Keys, []byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return edge.Keys{}, nil, err
	}
	keys, err := edge.ParseKeys(raw)
	return keys, raw, err
}

// watchKeys reads the key ring file every keyReloadEvery until ctx ends,
// and applies it when it has changed since last, the raw content read at
// start. A file that cannot be read or parsed leaves the ring in use as
// it is, with a warning that names neither keys nor content.
func watchKeys(ctx context.Context, path string, last []byte, every time.Duration,
	apply func(edge.Keys) error, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		keys, raw, err := readKeys(path)
		if err == nil && bytes.Equal(raw, last) {
			continue
		}
		if err == nil {
			err = apply(keys)
		}
		if err != nil {
			log.Warn("session_keys_not_reloaded", "error", err)
			continue
		}
		last = raw
		log.Info("session_keys_reloaded", "current_key", keys.Current.ID,
			"previous_keys", len(keys.Previous))
	}
}
