// Command evalpii prints how well the pii redactor does on the annotated
// evaluation set: recall per type and per language, precision, and the
// share of clean messages it changes. Run it from the repository root:
//
//	go run ./workers/sanitiser/pii/eval/cmd/evalpii [-dir folder] [-misses]
//
// With -misses it also lists every miss and false alarm, with their text.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
	"github.com/iglowly/assistant/workers/sanitiser/pii/eval"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "evalpii:", err)
		os.Exit(1)
	}
}

// run parses args, scores the default redactor on the set and writes the
// report to stdout; warnings go to stderr.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evalpii", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "workers/sanitiser/pii/testdata/eval",
		"folder of the annotated set, one <lang>.jsonl per language")
	misses := fs.Bool("misses", false,
		"also list misses and false alarms; this prints message text")
	if err := fs.Parse(args); err != nil {
		return err
	}

	msgs, err := eval.Load(*dir)
	if err != nil {
		return fmt.Errorf("loading the set: %w", err)
	}

	rep := eval.Score(pii.New(), msgs)
	if err := eval.WriteReport(stdout, rep); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if !*misses {
		return nil
	}

	fmt.Fprintln(stderr, "evalpii: WARNING: -misses prints message text; keep it out of logs")
	if err := eval.WriteMisses(stdout, rep); err != nil {
		return fmt.Errorf("writing the misses: %w", err)
	}
	return nil
}
