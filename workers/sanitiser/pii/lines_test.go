package pii

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestRedactLines(t *testing.T) {
	in := "Bel me op 0470 12 34 56 aub\nHoeveel kost botox?\n"
	var out, errs bytes.Buffer
	if err := New().RedactLines(strings.NewReader(in), &out, &errs, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || errs.Len() != 0 {
		t.Fatalf("%d lines, errors %q", len(lines), errs.String())
	}
	var first, second lineOut
	_ = json.Unmarshal([]byte(lines[0]), &first)
	_ = json.Unmarshal([]byte(lines[1]), &second)
	if string(first.ID) != "1" || first.Redacted != "Bel me op [PHONE_1] aub" {
		t.Errorf("first line: %s", lines[0])
	}
	if len(first.Findings) != 1 || first.Findings[0] != (LineFinding{Phone, 10, 23, ReasonPattern}) {
		t.Errorf("first findings: %+v", first.Findings)
	}
	if string(second.ID) != "2" || second.Redacted != "Hoeveel kost botox?" ||
		second.Findings == nil || len(second.Findings) != 0 {
		t.Errorf("second line: %s", lines[1])
	}
	if strings.Contains(out.String(), "0470") {
		t.Error("output holds the phone number")
	}
}

func TestRedactLinesJSONL(t *testing.T) {
	in := `{"id":"a-1","text":"mail jan@example.be"}` + "\n" +
		`{"id":7,"text":"<b>&</b>"}` + "\n" +
		`{"text":"geen id"}` + "\n"
	var out, errs bytes.Buffer
	if err := New().RedactLines(strings.NewReader(in), &out, &errs, true); err != nil {
		t.Fatal(err, errs.String())
	}
	want := `{"id":"a-1","redacted":"mail [EMAIL_1]","findings":[{"type":"EMAIL","start":5,"end":19,"reason":"pattern"}]}` + "\n" +
		`{"id":7,"redacted":"<b>&</b>","findings":[]}` + "\n" +
		`{"id":3,"redacted":"geen id","findings":[]}` + "\n"
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}
}

// TestRedactLinesRefusesBadLines checks that a bad line is reported by
// number, without its content, and that the lines around it are kept.
func TestRedactLinesRefusesBadLines(t *testing.T) {
	in := `{"id":1,"text":"ok"}` + "\n" +
		`{"id":2,"txt":"jan@example.be"}` + "\n" +
		"{\"id\":3,\"text\":\"h\xffi\"}\n" +
		`not json jan@example.be` + "\n" +
		`{"id":5,"text":"ok too"}` + "\n"
	var out, errs bytes.Buffer
	err := New().RedactLines(strings.NewReader(in), &out, &errs, true)
	if !errors.Is(err, ErrBadLines) {
		t.Fatalf("err = %v", err)
	}
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("%d lines written, want 2: %s", n, out.String())
	}
	for _, want := range []string{"line 2:", "line 3:", "line 4:"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("errors %q lack %q", errs.String(), want)
		}
	}
	if strings.Contains(errs.String(), "jan@") {
		t.Errorf("errors quote the input: %q", errs.String())
	}
	long := strings.Repeat("a", MaxLineBytes+1)
	if err := New().RedactLines(strings.NewReader(long), &out, &errs, false); err == nil {
		t.Error("an over-long line was accepted")
	}
}
