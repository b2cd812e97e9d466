// Package sanitiser is the pipeline's first worker: it removes personal
// data from a visitor's message and history, triages the message, and
// either forwards the redacted event to the clinic's inference subject or
// answers at once (emergencies, requests for a diagnosis, prompt
// injection). It is the only component allowed to publish on
// iglowly.*.chat.infer.
package sanitiser

import (
	"context"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/notices"
	"github.com/iglowly/assistant/workers/sanitiser/pii"
	"github.com/iglowly/assistant/workers/sanitiser/triage"
	"github.com/iglowly/assistant/workers/stage"
)

// Source is the CloudEvents source of the sanitiser's events.
const Source = "/iglowly/sanitiser"

// Worker is the sanitiser.
type Worker struct {
	nc       *nats.Conn
	log      *slog.Logger
	clinics  *config.ClinicStore
	redactor *pii.Redactor
	counts   tally
	flushed  chan struct{}
}

// New returns a sanitiser that publishes on nc and counts each clinic's
// questions on the days of its time zone, from clinics.
func New(nc *nats.Conn, log *slog.Logger, clinics *config.ClinicStore) *Worker {
	return &Worker{nc: nc, log: log, clinics: clinics, redactor: pii.New(),
		flushed: make(chan struct{})}
}

// inlineBytes is the largest event handled on the subscription's own
// goroutine: a few microseconds of redaction.
const inlineBytes = 4 << 10

// Serve starts the sanitiser's service in queue group "sanitiser", and
// the flushing of its counts every CountEvery until ctx ends (see
// Stopped). Call it once.
func (w *Worker) Serve(ctx context.Context, concurrency int) (micro.Service, error) {
	svc, err := stage.Serve(ctx, w.nc, stage.Config{
		Name:        schemas.ServiceSanitiser,
		Version:     "0.1.0",
		Subject:     schemas.ChatWildcard(schemas.StageSanitise),
		Queue:       "sanitiser",
		Concurrency: concurrency,
		// Redaction takes about 50 ns a character and waits for
		// nothing: a typical message is handled at once.
		InlineBytes: inlineBytes,
	}, w.Handle)
	if err != nil {
		return nil, err
	}
	go w.flushCounts(ctx, CountEvery)
	return svc, nil
}

// Handle sanitises one received message.
func (w *Worker) Handle(ctx context.Context, msg *nats.Msg) {
	if !schemas.ValidReplyInbox(msg.Reply) {
		// Nobody could be answered; the edge always asks with an inbox.
		w.log.Warn("event_rejected", "stage", "sanitiser", "error", stage.ErrNoInbox)
		return
	}
	var in schemas.MessageReceived
	inc, err := stage.Receive(msg, schemas.TypeMessageReceived, &in)
	if err != nil {
		w.log.Warn("event_rejected", "stage", "sanitiser", "request_id", inc.Trace.RequestID,
			"error", err)
		// Reported to the clinic of the subject it came on, if any: the
		// event's own clinic cannot be trusted.
		clinic, _ := schemas.ClinicFromSubject(msg.Subject)
		stage.Report(w.nc, w.log, Source, clinic, schemas.SecurityEvent{
			Kind: schemas.SecEventRejected, Component: component,
			RequestID: inc.Trace.RequestID})
		stage.Fail(w.nc, w.log, msg, Source, inc.Clinic, stage.CodeInvalidEvent)
		return
	}
	out, dropped := w.Sanitise(&in)
	w.report(inc.Clinic, inc.Trace.RequestID, out, dropped)
	w.count(inc.Clinic, out)
	trace := inc.Trace.Child()
	if out.Triage.Category != string(triage.None) {
		w.answerAtOnce(msg.Reply, inc.Clinic, trace, out)
		return
	}
	e, err := schemas.NewEvent(schemas.TypeMessageSanitised, Source, inc.Clinic, out)
	if err == nil {
		subject := schemas.ChatSubject(inc.Clinic, schemas.StageInfer)
		err = stage.Forward(w.nc, subject, msg.Reply, trace, &e)
	}
	if err != nil {
		w.log.Error("forward_failed", "request_id", trace.RequestID, "clinic", inc.Clinic,
			"error", err)
		stage.Fail(w.nc, w.log, msg, Source, inc.Clinic, stage.CodeInternal)
	}
}

// component names the sanitiser in its security events.
const component = "sanitiser"

// report sends the security events of a sanitised message: how many
// personal values of each type were removed, and a suspected injection
// in the message or in dropped turns of its history, each with the
// request's id.
func (w *Worker) report(clinic, requestID string, m *schemas.MessageSanitised, dropped int) {
	if len(m.Findings) > 0 {
		stage.Report(w.nc, w.log, Source, clinic, schemas.SecurityEvent{
			Kind: schemas.SecPIIRemoved, Component: component, Counts: m.Findings,
			RequestID: requestID})
	}
	if m.Triage.Category == string(triage.Injection) || dropped > 0 {
		stage.Report(w.nc, w.log, Source, clinic, schemas.SecurityEvent{
			Kind: schemas.SecInjection, Component: component, RequestID: requestID})
	}
}

// count adds the message to its clinic's anonymous counts, on the day of
// the clinic's time zone (the default zone for a clinic not known yet),
// sent with the next flush.
func (w *Worker) count(clinic string, m *schemas.MessageSanitised) {
	var zone *time.Location
	if c, ok := w.clinics.Get(clinic); ok {
		zone = c.Location()
	} else {
		zone = (&config.Clinic{}).Location()
	}
	w.counts.add(schemas.AnalyticsSubject(clinic, time.Now().In(zone), m.Triage, m.Lang))
}

// Sanitise redacts the history and the message with one set of
// placeholders, so a value keeps its placeholder across the conversation,
// and triages the redacted message. The history comes from the widget,
// so anyone can write it, "assistant" turns included: a turn that tries
// to change or reveal the assistant's instructions is left out of what
// the model sees, and counted in the result's second value.
func (w *Worker) Sanitise(in *schemas.MessageReceived) (*schemas.MessageSanitised, int) {
	ph := pii.NewPlaceholders()
	out := &schemas.MessageSanitised{Findings: map[string]int{}}
	dropped := 0
	for _, t := range in.History {
		red, found := w.redactor.Redact(string(t.Text), ph)
		addCounts(out.Findings, found)
		if triage.IsInjection(red) {
			dropped++
			continue
		}
		out.History = append(out.History, schemas.Turn{Role: t.Role, Text: schemas.Chat(red)})
	}
	red, found := w.redactor.Redact(string(in.Message), ph)
	out.Message = schemas.Chat(red)
	addCounts(out.Findings, found)

	verdict := triage.Classify(red)
	out.Lang = in.Lang
	if out.Lang == "" {
		out.Lang = verdict.Lang
	}
	out.Triage = schemas.Triage{
		Category: string(verdict.Category),
		Topic:    verdict.Topic,
		Intent:   verdict.Intent,
	}
	return out, dropped
}

func addCounts(dst map[string]int, found []pii.Finding) {
	for typ, n := range pii.Counts(found) {
		dst[typ] += n
	}
}

// answerAtOnce replies with the fixed answer for a triaged message.
func (w *Worker) answerAtOnce(inbox, clinic string, trace schemas.Trace,
	m *schemas.MessageSanitised) {
	lang := m.Lang
	if lang == "" {
		lang = "en"
	}
	cat := triage.Category(m.Triage.Category)
	chunk := schemas.AnswerChunk{Text: schemas.Chat(triage.Reply(cat, lang))}
	done := schemas.AnswerCompleted{
		Chunks:  1,
		Sources: []schemas.Source{},
		Notices: notices.For(lang, m.Removed() > 0,
			cat == triage.Emergency),
		RedactedMessage: m.Message,
		Lang:            lang,
		Removed:         m.Removed(),
	}
	err := stage.Reply(w.nc, inbox, Source, clinic, trace,
		schemas.TypeAnswerChunk, chunk)
	if err == nil {
		err = stage.Reply(w.nc, inbox, Source, clinic, trace,
			schemas.TypeAnswerCompleted, done)
	}
	if err != nil {
		w.log.Error("reply_failed", "request_id", trace.RequestID, "clinic", clinic,
			"error", err)
	}
	w.log.Info("triaged", "request_id", trace.RequestID, "clinic", clinic,
		"category", m.Triage.Category)
}
