package pii

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// MaxLineBytes is the longest input line RedactLines reads.
const MaxLineBytes = 1 << 20

// LineFinding is a finding as RedactLines writes it: where the value was
// (byte offsets in the line's text), its type and the reason, never the
// value.
type LineFinding struct {
	Type   Type   `json:"type"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Reason Reason `json:"reason"`
}

// lineOut is one output line of RedactLines.
type lineOut struct {
	ID       json.RawMessage `json:"id"`
	Redacted string          `json:"redacted"`
	Findings []LineFinding   `json:"findings"`
}

// lineIn is one input line of RedactLines in JSON lines mode.
type lineIn struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// ErrBadLines is returned by RedactLines when some lines could not be
// read; the others were written.
var ErrBadLines = errors.New("some lines were refused")

// RedactLines reads lines of text from in, or with jsonl, JSON objects
// {"id":…,"text":…} one a line, and writes one JSON line for each to
// out: {"id":…,"redacted":…,"findings":[…]}. A plain line's id is its
// line number. Each line is redacted on its own. A line that cannot be
// read (not UTF-8, not such an object, too long) is reported to errs by
// its number, without its content, and skipped; RedactLines then returns
// ErrBadLines after the last line.
func (r *Redactor) RedactLines(in io.Reader, out, errs io.Writer, jsonl bool) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	bad := false
	n := 0
	for sc.Scan() {
		n++
		id, text, err := readLine(sc.Bytes(), n, jsonl)
		if err == nil {
			err = enc.Encode(r.lineResult(id, text))
		}
		if err != nil {
			bad = true
			fmt.Fprintf(errs, "line %d: %v\n", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	if bad {
		return ErrBadLines
	}
	return nil
}

var (
	errNotUTF8   = errors.New("not valid UTF-8")
	errLineShape = errors.New(`not a JSON object {"id":…,"text":"…"}`)
)

func readLine(raw []byte, n int, jsonl bool) (json.RawMessage, string, error) {
	if !utf8.Valid(raw) {
		return nil, "", errNotUTF8
	}
	if !jsonl {
		return json.RawMessage(fmt.Sprint(n)), string(raw), nil
	}
	var l lineIn
	if err := json.Unmarshal(raw, &l); err != nil || l.Text == nil {
		return nil, "", errLineShape
	}
	if len(l.ID) == 0 {
		l.ID = json.RawMessage(fmt.Sprint(n))
	}
	return l.ID, *l.Text, nil
}

func (r *Redactor) lineResult(id json.RawMessage, text string) lineOut {
	red, found := r.Redact(text, NewPlaceholders())
	out := lineOut{ID: id, Redacted: red, Findings: make([]LineFinding, len(found))}
	for i, f := range found {
		out.Findings[i] = LineFinding{Type: f.Type, Start: f.Start, End: f.End, Reason: f.Reason}
	}
	return out
}
