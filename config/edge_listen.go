package config

import (
	"errors"
	"flag"
	"net"
	"strconv"
	"strings"
	"time"
)

// DefaultMetricsAddr is the default of Edge.MetricsAddr: loopback only,
// since metrics are for the operator's scraper and never the public.
const DefaultMetricsAddr = "127.0.0.1:9464"

// metricsOff is the value of IGLOWLY_METRICS_ADDR that serves no metrics,
// where an empty variable cannot be told from an unset one.
const metricsOff = "off"

// registerEdgeListeners adds the flags of the edge's write bound and its
// metrics listener to fs, with defaults from r's environment.
func (c *Edge) registerEdgeListeners(fs *flag.FlagSet, r *envReader) {
	fs.DurationVar(&c.WriteTimeout, "write-timeout",
		r.duration("IGLOWLY_WRITE_TIMEOUT", 10*time.Second),
		"longest one write of a response may wait for the client to read")
	fs.StringVar(&c.MetricsAddr, "metrics-addr",
		r.env.or("IGLOWLY_METRICS_ADDR", DefaultMetricsAddr),
		`metrics listen address, for the operator's network only; "" or "off" serves none`)
}

// validateEdgeListeners names every problem of the write bound and the
// metrics address, and turns "off" into the empty address.
func (c *Edge) validateEdgeListeners() error {
	var errs []error
	if c.WriteTimeout < time.Second || c.WriteTimeout > 5*time.Minute {
		errs = append(errs, errors.New("write timeout must be between 1s and 5m"))
	}
	if strings.EqualFold(c.MetricsAddr, metricsOff) {
		c.MetricsAddr = ""
	}
	if c.MetricsAddr == "" {
		return errors.Join(errs...)
	}
	_, port, err := net.SplitHostPort(c.MetricsAddr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		errs = append(errs, errors.New(`metrics address must be host:port, `+
			`such as 127.0.0.1:9464, or "off"`))
	} else if samePort(c.MetricsAddr, c.HTTPAddr) {
		errs = append(errs, errors.New("metrics address must not be the HTTP address: "+
			"metrics have a listener of their own"))
	}
	return errors.Join(errs...)
}

// samePort reports whether two listen addresses would claim the same
// port on a shared interface: the same non-zero port, with the same host
// or either on every interface.
func samePort(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb || pa == "0" {
		return false
	}
	every := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || every(ha) || every(hb)
}
