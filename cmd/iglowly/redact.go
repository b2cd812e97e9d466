package main

import (
	"flag"
	"io"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// runRedact reads lines from in and writes what the assistant would
// remove from each, as JSON lines, to out.
func runRedact(args []string, in io.Reader, out, errs io.Writer) error {
	fs := flag.NewFlagSet("redact", flag.ContinueOnError)
	jsonl := fs.Bool("jsonl", false, `read JSON lines {"id":…,"text":…} instead of plain lines`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return flag.ErrHelp
	}
	return pii.New().RedactLines(in, out, errs, *jsonl)
}
