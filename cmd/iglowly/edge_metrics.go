package main

import (
	"context"
	"log/slog"
	"net"

	"github.com/iglowly/assistant/edge"
)

// serveEdgeMetrics serves the edge's metrics at addr, on a listener of
// their own, until ctx ends, and logs their URL once; an empty addr
// serves none. An address that cannot be had is logged as an error, and
// the edge serves its API without metrics.
func serveEdgeMetrics(ctx context.Context, addr string, srv *edge.Server,
	log *slog.Logger) {
	if addr == "" {
		log.Info("metrics_off")
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		// TODO(#4): refuse to start instead, once the compose file and
		// deploy's process test give each edge on one host a metrics
		// address of its own; today two edges there share the default.
		log.Error("metrics_listen_failed", "addr", addr, "error", err)
		return
	}
	ms := edge.NewMetricsServer(addr, srv, log)
	go func() {
		<-ctx.Done()
		_ = ms.Close()
	}()
	go func() { _ = ms.Serve(ln) }()
	log.Info("metrics_ready", "url", "http://"+ln.Addr().String()+"/metrics")
}
