package edge

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/iglowly/assistant/schemas"
)

// DefaultPipelineCheck is how often the edge asks whether every stage of
// the pipeline has a worker.
const DefaultPipelineCheck = time.Second

// pingTimeout bounds one ask. A stage whose workers are only slow to
// answer is not taken for down: only NATS's "no responders" says so.
const pingTimeout = 500 * time.Millisecond

// pipeline knows whether every stage has at least one worker, from the
// answers to a service-discovery ping per stage. A message a stage
// forwards to a stage that nobody serves is lost without a word, and its
// chat would wait for the answer timeout: while a stage is down, the
// edge refuses chats at once, fails those in flight, and is not ready.
type pipeline struct {
	nc    *nats.Conn
	log   *slog.Logger
	every time.Duration

	mu sync.Mutex
	// down names the first stage found without a worker, "" while all
	// have one.
	down string
	// lost is closed when the pipeline goes down; a new one is made when
	// it comes back.
	lost chan struct{}
	// downs counts the times it went down.
	downs uint64
}

func newPipeline(nc *nats.Conn, log *slog.Logger, every time.Duration) *pipeline {
	return &pipeline{nc: nc, log: log, every: every, lost: make(chan struct{})}
}

// run checks the pipeline every p.every until ctx ends.
func (p *pipeline) run(ctx context.Context) {
	tick := time.NewTicker(p.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		p.check()
	}
}

// check pings each stage's service and records the first without a
// worker. A ping that fails otherwise (a timeout, NATS unreachable)
// changes nothing: the edge's own readiness covers its connection.
func (p *pipeline) check() {
	down := ""
	for _, name := range schemas.Services {
		subject, err := micro.ControlSubject(micro.PingVerb, name, "")
		if err != nil {
			panic(err) // a fixed verb and name
		}
		_, err = p.nc.Request(subject, nil, pingTimeout)
		if errors.Is(err, nats.ErrNoResponders) {
			down = name
			break
		}
		if err != nil {
			p.log.Debug("pipeline_check_failed", "service", name, "error", err)
			return
		}
	}
	p.set(down)
}

func (p *pipeline) set(down string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if down == p.down {
		return
	}
	switch {
	case p.down == "":
		p.log.Error("pipeline_down", "service", down)
		close(p.lost)
		p.downs++
	case down == "":
		p.log.Info("pipeline_up", "was_down", p.down)
		p.lost = make(chan struct{})
	default:
		p.log.Error("pipeline_down", "service", down)
	}
	p.down = down
}

// counts returns whether every stage has a worker, as 1 or 0, and how
// many times one lost its last, for the metrics.
func (p *pipeline) counts() (up int64, downs uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down == "" {
		up = 1
	}
	return up, p.downs
}

// state reports whether every stage has a worker, and a channel closed
// once that ends (at once if it has).
func (p *pipeline) state() (bool, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.down == "", p.lost
}
