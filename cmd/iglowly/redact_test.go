package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

func TestRedactCommand(t *testing.T) {
	var out, errs bytes.Buffer
	in := strings.NewReader(`{"id":"x","text":"IBAN BE68 5390 0754 7034 graag"}` + "\n")
	if err := runRedact([]string{"--jsonl"}, in, &out, &errs); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"x","redacted":"IBAN [IBAN_1] graag","findings":[{"type":"IBAN","start":5,"end":24,"reason":"checksum:mod97"}]}` + "\n"
	if out.String() != want {
		t.Errorf("got %s want %s", out.String(), want)
	}
	err := runRedact(nil, strings.NewReader("ok\n\xff\n"), &out, &errs)
	if !errors.Is(err, pii.ErrBadLines) || !strings.Contains(errs.String(), "line 2") {
		t.Errorf("bad line: %v, %q", err, errs.String())
	}
	if err := runRedact([]string{"file.txt"}, in, &out, &errs); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("an argument was accepted: %v", err)
	}
}
