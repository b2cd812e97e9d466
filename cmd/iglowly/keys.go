package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/iglowly/assistant/edge"
)

// runKeys runs "iglowly keys rotate --file F": a new current session
// signing key in the key ring file F, the old one verifying for --grace.
// Every edge reading F picks the new ring up within keyReloadEvery.
func runKeys(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	file := fs.String("file", os.Getenv("IGLOWLY_SESSION_KEY_FILE"),
		"session key ring file (env IGLOWLY_SESSION_KEY_FILE)")
	grace := fs.Duration("grace", 4*time.Hour,
		"how long the old key keeps verifying: at least the sessions' hard lifetime")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *file == "" || *grace <= 0 || fs.NArg() > 0 {
		return errors.New("keys rotate: --file is required, --grace must be positive")
	}
	raw, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("reading session key ring: %w", err)
	}
	keys, err := edge.ParseKeys(raw)
	if err != nil {
		return err
	}
	now := time.Now()
	next, err := keys.Rotate(now, *grace)
	if err != nil {
		return err
	}
	if err := writeSecretFile(*file, next.Marshal()); err != nil {
		return err
	}
	fmt.Fprintf(out, "session key %d now signs; key %d verifies until %s\n",
		next.Current.ID, keys.Current.ID, now.Add(*grace).UTC().Format(time.RFC3339))
	return nil
}

// writeSecretFile replaces path with data, readable by its owner only,
// through a temporary file in the same folder, so a reader never sees a
// half-written ring.
func writeSecretFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keys-*")
	if err != nil {
		return fmt.Errorf("writing session key ring: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is none
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(data)
		if err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing session key ring: %w", err)
	}
	return nil
}
