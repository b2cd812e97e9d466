// Package eval measures the redactor of package pii against an annotated
// set of visitor messages: recall per entity type and per language,
// recall regardless of type, precision, and the share of clean messages
// the redactor changes anyway.
//
// The set lives in pii/testdata/eval, one JSON Lines file per language.
// Each line is a message with every personal value in it marked by its
// exact text; a value that occurs several times in a message is marked
// once and counts at every occurrence. Messages, misses and false alarms
// carry visitor-like text: they are for the evalpii tool and tests, never
// for logs.
package eval

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// Message is one annotated visitor message.
type Message struct {
	// ID names the message, such as "nl-001".
	ID string `json:"id"`
	// Lang is the language code of the message: en, nl, fr or de.
	Lang string `json:"lang"`
	// Text is the message as the visitor typed it.
	Text string `json:"text"`
	// PII lists the personal values in Text; empty for a clean message.
	PII []Value `json:"pii"`
}

// Value is one personal value marked in a message.
type Value struct {
	// Type is the entity type, such as PERSON or PHONE.
	Type pii.Type `json:"type"`
	// Value is the exact text of the value as it appears in the message.
	Value string `json:"value"`
}

// Occurrence is one place in a message where an annotated value appears.
type Occurrence struct {
	// Type is the entity type of the value.
	Type pii.Type
	// Start and End are byte offsets in the message text.
	Start, End int
}

// Clean reports whether m holds no personal data.
func (m Message) Clean() bool { return len(m.PII) == 0 }

// Load reads every *.jsonl file in dir, in name order, and returns their
// messages in file order.
func Load(dir string) ([]Message, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("listing the set: %w", err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("listing the set: no .jsonl file in %s", dir)
	}
	slices.Sort(paths)

	var all []Message
	for _, p := range paths {
		msgs, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, msgs...)
	}
	return all, nil
}

// LoadFile reads one JSON Lines file of messages. Blank lines are
// skipped. It fails on a line that is not a message, on an unknown
// field, and on a value that does not occur in its message; errors name
// the file, the line and the message id, never the text.
func LoadFile(path string) ([]Message, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the set: %w", err)
	}
	var msgs []Message
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		m, err := parseMessage(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", filepath.Base(path), n, err)
		}
		msgs = append(msgs, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	return msgs, nil
}

// parseMessage decodes and checks one line of the set.
func parseMessage(line []byte) (Message, error) {
	var m Message
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("decoding message: %w", err)
	}
	if dec.More() {
		return m, errors.New("decoding message: more than one value on the line")
	}
	if m.ID == "" || m.Lang == "" || m.Text == "" {
		return m, errors.New("message without id, lang or text")
	}
	for k, v := range m.PII {
		if v.Type == "" || v.Value == "" {
			return m, fmt.Errorf("%s: annotation %d without type or value", m.ID, k+1)
		}
		if !strings.Contains(m.Text, v.Value) {
			return m, fmt.Errorf("%s: annotation %d (%s) is not in the text", m.ID, k+1, v.Type)
		}
	}
	return m, nil
}

// Occurrences returns where the annotated values of m appear, sorted by
// position. A value counts wherever it stands as a whole word: an
// occurrence glued to a letter or digit ("Ann" in "Anneleen") does not
// count. An occurrence inside a longer annotated one ("Sofie" inside
// "Sofie Peeters", a name inside a street name) is left to the longer one.
func (m Message) Occurrences() []Occurrence {
	var occ []Occurrence
	for _, v := range m.PII {
		for off := 0; ; {
			k := strings.Index(m.Text[off:], v.Value)
			if k < 0 {
				break
			}
			start, end := off+k, off+k+len(v.Value)
			if wholeWord(m.Text, start, end) {
				occ = append(occ, Occurrence{Type: v.Type, Start: start, End: end})
			}
			_, size := utf8.DecodeRuneInString(m.Text[start:])
			off = start + size
		}
	}
	var kept []Occurrence
	for _, o := range occ {
		if !insideLonger(o, occ) {
			kept = append(kept, o)
		}
	}
	slices.SortFunc(kept, func(a, b Occurrence) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End),
			cmp.Compare(a.Type, b.Type))
	})
	return slices.Compact(kept)
}

// wholeWord reports whether text[start:end] is not glued to a letter or
// digit on a side where it begins or ends with one.
func wholeWord(text string, start, end int) bool {
	first, _ := utf8.DecodeRuneInString(text[start:end])
	last, _ := utf8.DecodeLastRuneInString(text[start:end])
	if start > 0 && alnum(first) {
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); alnum(r) {
			return false
		}
	}
	if end < len(text) && alnum(last) {
		if r, _ := utf8.DecodeRuneInString(text[end:]); alnum(r) {
			return false
		}
	}
	return true
}

// insideLonger reports whether o lies within a longer occurrence in occ.
func insideLonger(o Occurrence, occ []Occurrence) bool {
	for _, p := range occ {
		if p.Start <= o.Start && o.End <= p.End && p.End-p.Start > o.End-o.Start {
			return true
		}
	}
	return false
}

// alnum reports whether r is a letter or a digit: the characters that
// must be removed for a value to count as removed.
func alnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
