package secrets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
)

// maxFileBytes is the largest secret file read.
const maxFileBytes = 64 << 10

// Local resolves file:// and env:// references. It reads the file or the
// variable at every Get, so that a rewritten file takes effect at the next
// read. Vault references fail with ErrInvalid.
type Local struct {
	// Env reads environment variables; nil means os.Getenv.
	Env func(string) string
	// Log receives a warning for a secret file that others may read; nil
	// means slog.Default().
	Log *slog.Logger
}

// Get returns the value that a file or env reference names.
func (l Local) Get(_ context.Context, ref Ref) (Secret, error) {
	switch ref.Scheme() {
	case SchemeFile:
		return l.readFile(ref)
	case SchemeEnv:
		env := l.Env
		if env == nil {
			env = os.Getenv
		}
		v := env(ref.Field())
		if v == "" {
			return Secret{}, fmt.Errorf("secret %s: %w: the variable is unset or empty",
				ref, ErrNotFound)
		}
		return Secret{v: v}, nil
	}
	return Secret{}, fmt.Errorf("secret %s: %w: not a file or env reference", ref, ErrInvalid)
}

func (l Local) readFile(ref Ref) (Secret, error) {
	f, err := os.Open(ref.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return Secret{}, fmt.Errorf("secret %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return Secret{}, fmt.Errorf("secret %s: %w", ref, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o004 != 0 {
		log := l.Log
		if log == nil {
			log = slog.Default()
		}
		log.Warn("secret_file_world_readable", "ref", ref, "mode", st.Mode().Perm().String())
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return Secret{}, fmt.Errorf("secret %s: %w", ref, err)
	}
	if len(b) > maxFileBytes {
		return Secret{}, fmt.Errorf("secret %s: %w: larger than %d bytes",
			ref, ErrInvalid, maxFileBytes)
	}
	v := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if v == "" {
		return Secret{}, fmt.Errorf("secret %s: %w: the file is empty", ref, ErrInvalid)
	}
	return Secret{v: v}, nil
}
