package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/iglowly/assistant/embedded/natsconf"
)

// runNATSConfig writes the NATS server configuration of one node: users
// with the components' permissions, TLS, the cluster and JetStream.
func runNATSConfig(args []string, stdout io.Writer, log *slog.Logger) error {
	c, err := natsconf.Load(args)
	if err != nil {
		return fmt.Errorf("nats-config: %w", err)
	}
	if err := natsconf.Write(c, stdout); err != nil {
		return fmt.Errorf("nats-config: %w", err)
	}
	if c.Out != "" && c.Out != "-" {
		log.Info("nats_config_written", "file", c.Out, "config", c)
	}
	return nil
}
