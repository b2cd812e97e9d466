// Package stage runs one pipeline step as a NATS micro service: a queue
// group on a per-clinic wildcard subject, with a bounded pool of
// goroutines so one slow request never holds up the others, and helpers
// that send CloudEvents onward or back to the edge.
package stage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// Handler processes one message of a stage. It owns msg.
type Handler func(ctx context.Context, msg *nats.Msg)

// Config describes a stage service.
type Config struct {
	// Name is the service name, such as "iglowly-sanitiser".
	Name string
	// Version is the service's semantic version.
	Version string
	// Subject is the wildcard subject served, such as
	// iglowly.*.chat.sanitise.
	Subject string
	// Queue is the queue group replicas share.
	Queue string
	// Concurrency is the most messages handled at once; default 256.
	Concurrency int
	// InlineBytes is the size up to which a message is handled on the
	// subscription's own goroutine instead of the pool, in bytes of data;
	// 0, the default, hands every message to the pool. Only a handler that
	// waits for nothing but the CPU should set it: a small message then
	// costs one goroutine hand-off less, while a large one, whose handling
	// takes longer, still leaves the subscription free for the next.
	InlineBytes int
}

// Serve registers the stage on nc and hands each message to h on a pool
// of at most cfg.Concurrency goroutines. It stops when ctx ends or the
// returned service is stopped.
func Serve(ctx context.Context, nc *nats.Conn, cfg Config, h Handler) (micro.Service, error) {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 256
	}
	p := newPool(ctx, cfg.Concurrency, h)
	handle := func(req micro.Request) {
		msg := &nats.Msg{
			Subject: req.Subject(),
			Reply:   req.Reply(),
			Header:  nats.Header(req.Headers()),
			Data:    req.Data(),
		}
		if len(msg.Data) <= cfg.InlineBytes {
			h(ctx, msg)
			return
		}
		p.run(msg)
	}
	svc, err := micro.AddService(nc, micro.Config{
		Name:       cfg.Name,
		Version:    cfg.Version,
		QueueGroup: cfg.Queue,
		Endpoint: &micro.EndpointConfig{
			Subject: cfg.Subject,
			Handler: micro.HandlerFunc(handle),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("adding %s service: %w", cfg.Name, err)
	}
	go func() {
		<-ctx.Done()
		_ = svc.Stop()
	}()
	// Once Serve returns, the server holds the subscription: a message
	// published right after is not lost.
	if err := nc.Flush(); err != nil {
		return nil, fmt.Errorf("starting %s service: %w", cfg.Name, err)
	}
	return svc, nil
}

// poolIdle is how long a pool goroutine waits for work before it ends.
const poolIdle = 10 * time.Second

// pool runs a handler on goroutines that live on between messages, so a
// message costs neither a new goroutine nor growing a new one's stack
// again, started as needed up to a bound and ended when idle.
type pool struct {
	ctx   context.Context
	h     Handler
	work  chan *nats.Msg
	slots chan struct{} // one per running goroutine
}

func newPool(ctx context.Context, size int, h Handler) *pool {
	return &pool{ctx: ctx, h: h, work: make(chan *nats.Msg),
		slots: make(chan struct{}, size)}
}

// run hands msg to an idle goroutine, or starts one, or waits for one to
// be free: the pool's bound is also the stage's concurrency bound.
func (p *pool) run(msg *nats.Msg) {
	select {
	case p.work <- msg:
		return
	default:
	}
	select {
	case p.work <- msg:
	case p.slots <- struct{}{}:
		go p.serve(msg)
	case <-p.ctx.Done():
	}
}

func (p *pool) serve(msg *nats.Msg) {
	defer func() { <-p.slots }()
	idle := time.NewTimer(poolIdle)
	defer idle.Stop()
	for {
		p.h(p.ctx, msg)
		idle.Reset(poolIdle)
		select {
		case msg = <-p.work:
		case <-idle.C:
			return
		case <-p.ctx.Done():
			return
		}
	}
}

// Send encodes e and publishes it on subject with the given reply inbox,
// trace context and request id.
func Send(nc *nats.Conn, subject, reply string, t schemas.Trace, e *event.Event) error {
	return schemas.Publish(nc, subject, reply, e, schemas.HeaderTraceparent, t.Parent,
		schemas.HeaderRequestID, t.RequestID)
}

// Forward encodes e and publishes it on subject for the next stage,
// carrying the edge's inbox in the HeaderReplyTo header instead of as the
// message's reply subject, so the next stage cannot answer the edge.
func Forward(nc *nats.Conn, subject, inbox string, t schemas.Trace, e *event.Event) error {
	return schemas.Publish(nc, subject, "", e, schemas.HeaderReplyTo, inbox,
		schemas.HeaderTraceparent, t.Parent, schemas.HeaderRequestID, t.RequestID)
}

// ErrNoInbox is returned for a message without a valid edge inbox to
// answer: nothing can be sent back for it.
var ErrNoInbox = errors.New("message has no valid reply inbox")

// Reply sends an event of type typ with data to the edge's inbox.
func Reply(nc *nats.Conn, inbox, source, clinic string, t schemas.Trace, typ string,
	data any) error {
	if !schemas.ValidReplyInbox(inbox) {
		return ErrNoInbox
	}
	e, err := schemas.NewEvent(typ, source, clinic, data)
	if err != nil {
		return err
	}
	return Send(nc, inbox, "", t, &e)
}

// Fail tells the edge that the request failed, with a code and a message
// that never quote chat content, and logs the failure without content.
// It answers msg's reply inbox, so only the stages that hold one (the
// sanitiser and the response worker) can use it.
func Fail(nc *nats.Conn, log *slog.Logger, msg *nats.Msg, source, clinic, code string) {
	t := schemas.TraceOf(msg.Header)
	log.Warn("request_failed", "request_id", t.RequestID, "code", code, "clinic", clinic,
		"trace", t.Parent)
	if !schemas.ValidReplyInbox(msg.Reply) || clinic == "" {
		return
	}
	err := Reply(nc, msg.Reply, source, clinic, t.Child(), schemas.TypeAnswerFailed,
		Failure(code))
	if err != nil {
		log.Error("reply_failed", "request_id", t.RequestID, "code", code, "error", err)
	}
}

// Report publishes a content-free security event of clinic, and logs, never
// returns, a failure to: reporting must not stop a chat. An event for a
// clinic id that is not valid is not sent.
func Report(nc *nats.Conn, log *slog.Logger, source, clinic string, ev schemas.SecurityEvent) {
	if !config.ValidClinicID(clinic) {
		return
	}
	e, err := schemas.NewEvent(schemas.TypeSecurityEvent, source, clinic, ev)
	if err == nil {
		err = schemas.Publish(nc, schemas.SecuritySubject(clinic, ev.Kind), "", &e)
	}
	if err != nil {
		log.Warn("security_report_failed", "kind", ev.Kind, "error", err)
	}
}

// Failure codes a stage may send to the edge.
const (
	CodeInvalidEvent  = "invalid_event"
	CodeUnknownClinic = "unknown_clinic"
	CodeModelFailed   = "model_failed"
	CodeInternal      = "internal"
)

// Failure returns the failure event data for code, with its fixed text.
func Failure(code string) schemas.AnswerFailed {
	text, ok := failureText[code]
	if !ok {
		code, text = CodeInternal, failureText[CodeInternal]
	}
	return schemas.AnswerFailed{Code: code, Message: text}
}

var failureText = map[string]string{
	CodeInvalidEvent:  "the request was not understood",
	CodeUnknownClinic: "this clinic is not configured",
	CodeModelFailed:   "the assistant could not answer",
	CodeInternal:      "an internal error occurred",
}

// Incoming is a decoded, validated event received by a stage.
type Incoming struct {
	// Event is the decoded event; its data is not yet read.
	Event event.Event
	// Clinic is the clinic of the event and of its subject.
	Clinic string
	// Trace is the trace context and request id the event came with.
	Trace schemas.Trace
}

// Errors returned by Receive. They never quote the message.
var (
	ErrClinicMismatch = errors.New("event clinic does not match its subject")
)

// Receive decodes msg as a CloudEvent of type typ into data, and checks
// that the clinic named by the event is the clinic of the subject it
// arrived on, so an event cannot cross from one clinic to another.
func Receive(msg *nats.Msg, typ string, data schemas.Validator) (Incoming, error) {
	in, err := ReceiveEvent(msg)
	if err != nil {
		return in, err
	}
	return in, schemas.DecodeData(&in.Event, typ, data)
}

// ReceiveEvent decodes msg as a CloudEvent and checks its clinic against
// the subject, which must be a clinic's own, leaving the data to the
// caller.
func ReceiveEvent(msg *nats.Msg) (Incoming, error) {
	in := Incoming{Trace: schemas.TraceOf(msg.Header)}
	e, err := schemas.Decode(msg)
	if err != nil {
		return in, err
	}
	in.Event = e
	clinic, err := schemas.Clinic(&e)
	if err != nil {
		return in, err
	}
	if sub, ok := schemas.ClinicFromSubject(msg.Subject); !ok || sub != clinic {
		return in, ErrClinicMismatch
	}
	in.Clinic = clinic
	return in, nil
}
