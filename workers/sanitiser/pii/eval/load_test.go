package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadFileErrors checks that a broken line is refused with the file,
// the line and the id named, and never the message text.
func TestLoadFileErrors(t *testing.T) {
	const (
		secret = "Sofie Peeters"
		head   = `{"id":"nl-001","lang":"nl","text":`
	)
	tests := []struct {
		name, line, want string
	}{
		{"not json", `{"id":"nl-001",`, "line 2"},
		{"unknown field",
			head + `"` + secret + `","pii":[],"note":"x"}`,
			"unknown field"},
		{"no text",
			`{"id":"nl-001","lang":"nl","text":"","pii":[]}`,
			"without id, lang or text"},
		{"value not in text",
			head + `"ik ben ` + secret + `","pii":[{"type":"PERSON","value":"Sofie Janssens"}]}`,
			"nl-001: annotation 1 (PERSON) is not in the text"},
		{"empty value",
			head + `"` + secret + `","pii":[{"type":"PERSON","value":""}]}`,
			"without type or value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nl.jsonl")
			data := `{"id":"nl-000","lang":"nl","text":"hallo","pii":[]}` + "\n" + tt.line + "\n"
			if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(path)
			if err == nil {
				t.Fatal("LoadFile accepted a broken line")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "nl.jsonl line 2") {
				t.Errorf("error %q, want it to name nl.jsonl line 2 and %q", err, tt.want)
			}
			if strings.Contains(msg, "Sofie") {
				t.Errorf("error %q holds message text", err)
			}
		})
	}
}

// TestLoad checks that Load reads every file of a folder in name order,
// skips blank lines, and refuses a folder without files.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"nl.jsonl": `{"id":"nl-001","lang":"nl","text":"hallo","pii":[]}` + "\n\n",
		"de.jsonl": `{"id":"de-001","lang":"de","text":"hallo","pii":[]}` + "\n",
		"notes.md": "not a set file\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].ID != "de-001" || msgs[1].ID != "nl-001" {
		t.Errorf("loaded %+v, want de-001 then nl-001", msgs)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load accepted a folder without .jsonl files")
	}
}
