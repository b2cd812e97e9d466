// Package response is the pipeline's last worker: it guards each draft
// chunk (personal data removed again, so nothing personal leaves even if
// a model produced it), adds the notices to the completed answer, and
// streams the result to the edge's reply inbox.
package response

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/notices"
	"github.com/iglowly/assistant/workers/sanitiser/pii"
	"github.com/iglowly/assistant/workers/sanitiser/triage"
	"github.com/iglowly/assistant/workers/stage"
)

// Source is the CloudEvents source of the response worker's events.
const Source = "/iglowly/response"

// Worker is the response worker.
type Worker struct {
	nc       *nats.Conn
	log      *slog.Logger
	clinics  *config.ClinicStore
	redactor *pii.Redactor
}

// New returns a response worker.
func New(nc *nats.Conn, log *slog.Logger, clinics *config.ClinicStore) *Worker {
	return &Worker{nc: nc, log: log, clinics: clinics, redactor: pii.New()}
}

// inlineBytes is the largest event handled on the subscription's own
// goroutine: a few microseconds of redaction.
const inlineBytes = 4 << 10

// Serve starts the worker's service in queue group "response".
func (w *Worker) Serve(ctx context.Context, concurrency int) (micro.Service, error) {
	return stage.Serve(ctx, w.nc, stage.Config{
		Name:        schemas.ServiceResponse,
		Version:     "0.1.0",
		Subject:     schemas.ChatWildcard(schemas.StageRespond),
		Queue:       "response",
		Concurrency: concurrency,
		// Redaction takes about 50 ns a character and waits for
		// nothing: a typical message is handled at once.
		InlineBytes: inlineBytes,
	}, w.Handle)
}

// Handle guards one draft event and forwards it to the edge. A failure
// from the inference worker is passed on with its code and fixed text.
func (w *Worker) Handle(_ context.Context, msg *nats.Msg) {
	if !schemas.ValidReplyInbox(msg.Reply) {
		w.log.Warn("event_rejected", "stage", "response", "error", stage.ErrNoInbox)
		return
	}
	inc, err := stage.ReceiveEvent(msg)
	if err != nil {
		w.reject(msg, inc, err)
		return
	}
	clinic, ok := w.clinics.Get(inc.Clinic)
	if !ok {
		stage.Fail(w.nc, w.log, msg, Source, inc.Clinic, stage.CodeUnknownClinic)
		return
	}
	var typ string
	var out any
	switch inc.Event.Type() {
	case schemas.TypeAnswerChunk:
		var c schemas.AnswerChunk
		err = schemas.DecodeData(&inc.Event, schemas.TypeAnswerChunk, &c)
		c.Text = schemas.Chat(w.Guard(clinic, inc.Trace.RequestID, string(c.Text)))
		typ, out = schemas.TypeAnswerChunk, c
	case schemas.TypeAnswerCompleted:
		var c schemas.AnswerCompleted
		err = schemas.DecodeData(&inc.Event, schemas.TypeAnswerCompleted, &c)
		c.Notices = notices.For(c.Lang, c.Removed > 0, false)
		typ, out = schemas.TypeAnswerCompleted, c
	case schemas.TypeAnswerFailed:
		var f schemas.AnswerFailed
		err = schemas.DecodeData(&inc.Event, schemas.TypeAnswerFailed, &f)
		typ, out = schemas.TypeAnswerFailed, stage.Failure(f.Code)
	default:
		err = schemas.ErrWrongType
	}
	if err != nil {
		w.reject(msg, inc, err)
		return
	}
	err = stage.Reply(w.nc, msg.Reply, Source, inc.Clinic, inc.Trace.Child(), typ, out)
	if err != nil {
		w.log.Error("reply_failed", "request_id", inc.Trace.RequestID, "clinic", inc.Clinic,
			"error", err)
	}
}

func (w *Worker) reject(msg *nats.Msg, inc stage.Incoming, err error) {
	w.log.Warn("event_rejected", "stage", "response", "request_id", inc.Trace.RequestID,
		"error", err)
	stage.Fail(w.nc, w.log, msg, Source, inc.Clinic, stage.CodeInvalidEvent)
}

// Markers of protected spans: Unicode private-use characters that no
// detector matches and no model is expected to write.
const (
	protectOpen  = '\uE000'
	protectClose = '\uE001'
)

// Guard removes personal data from a draft, except the clinic's own
// public phone number, email address and links, which an answer is meant
// to contain, and links to any site but the clinic's. A draft that
// diagnoses or prescribes is replaced by the fixed answer to a request
// for a diagnosis, in the draft's language. What it changed is logged
// with the request id, never with the draft.
func (w *Worker) Guard(c *config.Clinic, requestID, draft string) string {
	draft = strings.Map(func(r rune) rune {
		if r == protectOpen || r == protectClose {
			return -1
		}
		return r
	}, draft)
	if triage.IsDiagnosisDraft(draft) {
		// A model that diagnoses all the same gets the answer the
		// sanitiser gives a request for a diagnosis.
		w.log.Info("draft_diagnosis_replaced", "request_id", requestID, "clinic", c.ID)
		return triage.Reply(triage.Diagnosis, triage.DetectLanguage(draft))
	}
	draft, removed := stripForeignLinks(c, draft)
	if removed > 0 {
		w.log.Info("links_removed", "request_id", requestID, "clinic", c.ID,
			"count", removed)
	}
	public := []string{c.Contact.Phone, c.Contact.Email,
		c.Contact.BookingURL, c.Contact.Website}
	var kept []string
	for _, v := range public {
		if v == "" || !strings.Contains(draft, v) {
			continue
		}
		mark := string(protectOpen) + strconv.Itoa(len(kept)) + string(protectClose)
		draft = strings.ReplaceAll(draft, v, mark)
		kept = append(kept, v)
	}
	out, _ := w.redactor.Redact(draft, pii.NewPlaceholders())
	for i, v := range kept {
		mark := string(protectOpen) + strconv.Itoa(i) + string(protectClose)
		out = strings.ReplaceAll(out, mark, v)
	}
	return out
}
