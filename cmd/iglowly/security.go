package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// runSecurity runs "iglowly security events": a clinic's security events
// as JSON lines on out, oldest first. The clinic config.SystemClinic
// lists the events of no clinic, such as failed NATS logins.
func runSecurity(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "events" {
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("security events", flag.ContinueOnError)
	var n config.NATS
	n.Register(fs, os.Getenv)
	clinic := fs.String("clinic", "", "clinic whose events to list (required); "+
		config.SystemClinic+" for the events of no clinic")
	since := fs.Duration("since", 24*time.Hour, "how far back to look")
	limit := fs.Int("limit", 1000, "most events to list, 1 to 100000")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	errs := []error{n.ValidateAs(embedded.Admin), clinicFlag(*clinic)}
	if *since <= 0 || *limit < 1 || *limit > 100000 || fs.NArg() > 0 {
		errs = append(errs, errors.New("--since must be positive, --limit 1 to 100000, no arguments"))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	nc, js, err := adminJetStream(&n, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	events, err := embedded.ReadSecurityEvents(ctx, js, *clinic, time.Now().Add(-*since), *limit)
	enc := json.NewEncoder(out)
	for _, e := range events {
		if werr := enc.Encode(e); werr != nil {
			return werr
		}
	}
	return err
}

// clinicFlag checks the --clinic of the commands that read a clinic's
// records.
func clinicFlag(clinic string) error {
	if !config.ValidClinicID(clinic) {
		return errors.New("--clinic must be a clinic id [a-z0-9-]{3,40}")
	}
	return nil
}

// adminJetStream connects to NATS as the admin user and opens JetStream,
// for the commands that read the streams.
func adminJetStream(n *config.NATS, log *slog.Logger) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := n.Connect(embedded.Admin, log)
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("opening jetstream: %w", err)
	}
	return nc, js, nil
}
