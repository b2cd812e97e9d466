package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/edge"
)

// TestKeysRotate rotates a key file of the earlier raw form twice: each
// time a new key signs, the previous ones still verify the tokens they
// signed, and the file stays readable by its owner only.
func TestKeysRotate(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.key")
	if err := os.WriteFile(file, []byte(strings.Repeat("k", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(file)
	keys, _ := edge.ParseKeys(first)
	signer, _ := edge.NewSigner(keys)
	tok, _ := signer.Issue("demo", time.Now(), time.Hour)
	var out bytes.Buffer
	for i := 0; i < 2; i++ {
		if err := runKeys([]string{"rotate", "--file", file, "--grace", "2h"}, &out); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := os.ReadFile(file)
	ring, err := edge.ParseKeys(raw)
	if err != nil {
		t.Fatal(err)
	}
	if ring.Current.ID == 1 || len(ring.Previous) != 2 {
		t.Fatalf("after two rotations: current %d, %d previous", ring.Current.ID, len(ring.Previous))
	}
	if err := signer.SetKeys(ring); err != nil {
		t.Fatal(err)
	}
	if _, err := signer.Verify(tok, time.Now()); err != nil {
		t.Errorf("a token of the first key no longer verifies: %v", err)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	if strings.Contains(out.String(), string(ring.Current.Key)) || strings.Count(out.String(), "\n") != 2 {
		t.Errorf("output %q", out.String())
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %d entries", len(entries))
	}
	if err := runKeys([]string{"rotate"}, &out); err == nil {
		t.Error("rotate without a file was accepted")
	}
	if err := runKeys([]string{"list"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("unknown subcommand: %v", err)
	}
}
