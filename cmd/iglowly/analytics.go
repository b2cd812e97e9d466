package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// countLabels are the labels of a count that --by may group on.
var countLabels = []string{"day", "category", "topic", "intent", "lang"}

// runAnalytics runs "iglowly analytics": a clinic's anonymous counts of
// the last days as JSON lines on out, one per counter, or summed over
// the labels that --by does not keep.
func runAnalytics(ctx context.Context, args []string, now time.Time, out io.Writer,
	log *slog.Logger) error {
	fs := flag.NewFlagSet("analytics", flag.ContinueOnError)
	var n config.NATS
	n.Register(fs, os.Getenv)
	clinic := fs.String("clinic", "", "clinic whose counts to list (required)")
	days := fs.Int("days", 30, "how many of the clinic's days back to list, today included, "+
		"1 to 800")
	by := fs.String("by", strings.Join(countLabels, ","),
		"labels to keep, comma-separated, of "+strings.Join(countLabels, ", ")+
			"; counts are summed over the others")
	if err := fs.Parse(args); err != nil {
		return err
	}
	keep, err := parseBy(*by)
	errs := []error{n.ValidateAs(embedded.Admin), clinicFlag(*clinic), err}
	if *days < 1 || *days > 800 || fs.NArg() > 0 {
		errs = append(errs, errors.New("--days must be 1 to 800, no arguments"))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	nc, js, err := adminJetStream(&n, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	today := now.In(clinicZone(ctx, js, *clinic))
	counts, err := embedded.ReadCounts(ctx, js, *clinic, today.AddDate(0, 0, 1-*days), today)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	for _, c := range sumCounts(counts, keep) {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

// clinicZone returns the time zone of the clinic's days: the one its
// configuration names, or the default zone if it has none any more.
func clinicZone(ctx context.Context, js jetstream.JetStream, id string) *time.Location {
	c := &config.Clinic{}
	if kv, err := js.KeyValue(ctx, embedded.BucketClinics); err == nil {
		if e, err := kv.Get(ctx, id); err == nil {
			if stored, err := config.ParseClinic(e.Value()); err == nil {
				c = stored
			}
		}
	}
	return c.Location()
}

// parseBy reads --by: labels of countLabels, each once.
func parseBy(s string) (map[string]bool, error) {
	keep := map[string]bool{}
	for _, l := range strings.Split(s, ",") {
		if !slices.Contains(countLabels, l) || keep[l] {
			return nil, fmt.Errorf("--by %q: want labels of %s, each once",
				s, strings.Join(countLabels, ", "))
		}
		keep[l] = true
	}
	return keep, nil
}

// sumCounts sums counts over the labels not kept, which it leaves out of
// the result, ordered by the labels kept.
func sumCounts(counts []schemas.Count, keep map[string]bool) []map[string]any {
	sums := map[string]map[string]any{}
	for _, c := range counts {
		labels := map[string]string{"day": c.Day, "category": c.Category, "topic": c.Topic,
			"intent": c.Intent, "lang": c.Lang}
		row := map[string]any{"n": int64(0)}
		var key []string
		for _, l := range countLabels {
			if keep[l] {
				row[l] = labels[l]
				key = append(key, labels[l])
			}
		}
		k := strings.Join(key, ".")
		if sums[k] == nil {
			sums[k] = row
		}
		sums[k]["n"] = sums[k]["n"].(int64) + c.N
	}
	out := make([]map[string]any, 0, len(sums))
	for _, k := range slices.Sorted(maps.Keys(sums)) {
		out = append(out, sums[k])
	}
	return out
}
