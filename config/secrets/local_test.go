package secrets

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocal(t *testing.T) {
	dir := t.TempDir()
	write := func(name, v string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(v), mode); err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}
	var logs bytes.Buffer
	l := Local{
		Env: envMap{"IGLOWLY_K": canary}.get,
		Log: slog.New(slog.NewJSONHandler(&logs, nil)),
	}
	tests := []struct {
		name, ref, want string
		err             error
	}{
		{"file", write("a", canary+"\n", 0o600), canary, nil},
		{"crlf", write("b", canary+"\r\n", 0o600), canary, nil},
		{"one newline only", write("c", canary+"\n\n", 0o600), canary + "\n", nil},
		{"empty file", write("d", "\n", 0o600), "", ErrInvalid},
		{"too big", write("e", strings.Repeat("x", maxFileBytes+1), 0o600), "", ErrInvalid},
		{"missing file", "file://" + filepath.Join(dir, "none"), "", ErrNotFound},
		{"env", "env://IGLOWLY_K", canary, nil},
		{"env unset", "env://IGLOWLY_NONE", "", ErrNotFound},
		{"vault", "vault://kv/a#b", "", ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, err := ParseRef(tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			s, err := l.Get(context.Background(), ref)
			if !errors.Is(err, tt.err) || s.Reveal() != tt.want {
				t.Fatalf("got %d bytes, %v; want %d bytes, %v", s.Len(), err,
					len(tt.want), tt.err)
			}
			if err != nil && strings.Contains(err.Error(), canary) {
				t.Fatalf("error shows the value: %v", err)
			}
		})
	}
	if logs.Len() != 0 {
		t.Fatalf("warned about private files: %s", logs.String())
	}
	ref, _ := ParseRef(write("open", canary, 0o644))
	if _, err := l.Get(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "secret_file_world_readable") ||
		strings.Contains(logs.String(), canary) {
		t.Fatalf("world-readable warning wrong: %s", logs.String())
	}
}

type envMap map[string]string

func (m envMap) get(k string) string { return m[k] }
