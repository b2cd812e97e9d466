package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/iglowly/assistant/edge"
)

// serveEdgeMetrics serves the edge's metrics at addr, on a listener of
// their own, until ctx ends, and logs their URL once; an empty addr
// serves none. An address that cannot be had stops the edge at start:
// an edge whose metrics nobody can read would run unwatched.
func serveEdgeMetrics(ctx context.Context, addr string, srv *edge.Server,
	log *slog.Logger) error {
	if addr == "" {
		log.Info("metrics_off")
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics listener at %s: %w", addr, err)
	}
	ms := edge.NewMetricsServer(addr, srv, log)
	go func() {
		<-ctx.Done()
		_ = ms.Close()
	}()
	go func() { _ = ms.Serve(ln) }()
	log.Info("metrics_ready", "url", "http://"+ln.Addr().String()+"/metrics")
	return nil
}
