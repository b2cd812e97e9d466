// Package inference is the pipeline's model step: it receives a sanitised
// message, looks up the clinic's facts, asks the clinic's model through
// the langchaingo llms.Model interface, and streams the draft answer in
// sentence-sized chunks to the clinic's response subject, keeping the
// edge's reply inbox.
package inference

import (
	"context"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/inference/local"
	"github.com/iglowly/assistant/workers/stage"
)

// Source is the CloudEvents source of the inference worker's events.
const Source = "/iglowly/inference"

// Models chooses the model that answers for a clinic, in lang.
type Models interface {
	Model(c *config.Clinic, lang string) (llms.Model, error)
}

// LocalModels always chooses the built-in offline model.
type LocalModels struct{}

// Model returns the local model for c.
func (LocalModels) Model(c *config.Clinic, lang string) (llms.Model, error) {
	return local.New(c, lang), nil
}

// Worker is the inference worker.
type Worker struct {
	nc      *nats.Conn
	log     *slog.Logger
	clinics *config.ClinicStore
	models  Models
	// Timeout bounds one model call; default 60 s.
	Timeout time.Duration
}

// New returns an inference worker.
func New(nc *nats.Conn, log *slog.Logger, clinics *config.ClinicStore,
	models Models) *Worker {
	return &Worker{nc: nc, log: log, clinics: clinics, models: models,
		Timeout: 60 * time.Second}
}

// Serve starts the worker's service in queue group "inference".
func (w *Worker) Serve(ctx context.Context, concurrency int) (micro.Service, error) {
	return stage.Serve(ctx, w.nc, stage.Config{
		Name:        schemas.ServiceInference,
		Version:     "0.1.0",
		Subject:     schemas.ChatWildcard(schemas.StageInfer),
		Queue:       "inference",
		Concurrency: concurrency,
	}, w.Handle)
}

// Handle answers one sanitised message. The edge's inbox comes in the
// HeaderReplyTo header: this worker cannot answer the edge itself, only
// send on to the response worker, which can.
func (w *Worker) Handle(ctx context.Context, msg *nats.Msg) {
	inbox := msg.Header.Get(schemas.HeaderReplyTo)
	if !schemas.ValidReplyInbox(inbox) {
		w.log.Warn("event_rejected", "stage", "inference", "error", stage.ErrNoInbox)
		return
	}
	var in schemas.MessageSanitised
	inc, err := stage.Receive(msg, schemas.TypeMessageSanitised, &in)
	t := inc.Trace.Child()
	if err != nil {
		w.log.Warn("event_rejected", "stage", "inference", "request_id", t.RequestID,
			"error", err)
		if inc.Clinic != "" {
			w.fail(w.sender(inc.Clinic, inbox, t), stage.CodeInvalidEvent)
		}
		return
	}
	send := w.sender(inc.Clinic, inbox, t)
	clinic, ok := w.clinics.Get(inc.Clinic)
	if !ok {
		w.fail(send, stage.CodeUnknownClinic)
		return
	}
	lang := clinic.Language(in.Lang)
	model, err := w.models.Model(clinic, lang)
	if err != nil {
		w.log.Error("model_unavailable", "request_id", t.RequestID, "clinic", inc.Clinic,
			"error", err)
		w.fail(send, stage.CodeModelFailed)
		return
	}
	w.answer(ctx, model, clinic, lang, &in, send)
}

// answer asks the model and streams its answer, then the completion.
func (w *Worker) answer(ctx context.Context, model llms.Model, clinic *config.Clinic,
	lang string, in *schemas.MessageSanitised, send sender) {
	out := &chunker{send: send.send}
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	resp, err := model.GenerateContent(ctx, Prompt(clinic, lang, in),
		llms.WithStreamingFunc(out.write))
	if err == nil {
		err = out.flush()
	}
	if out.dropped > 0 {
		w.log.Warn("answer_truncated", "request_id", send.requestID, "clinic", clinic.ID,
			"dropped_bytes", out.dropped)
	}
	if err == nil {
		err = out.send(schemas.TypeAnswerCompleted, schemas.AnswerCompleted{
			Chunks:          out.seq,
			Sources:         Sources(clinic, lang, resp),
			Notices:         []string{},
			RedactedMessage: in.Message,
			Lang:            lang,
			Removed:         in.Removed(),
		})
	}
	if err != nil {
		w.log.Error("answer_failed", "request_id", send.requestID, "clinic", clinic.ID,
			"error", err)
		w.fail(send, stage.CodeModelFailed)
	}
}

// fail sends a failure on to the response worker, which tells the edge.
func (w *Worker) fail(send sender, code string) {
	w.log.Warn("request_failed", "request_id", send.requestID, "code", code)
	if err := send.send(schemas.TypeAnswerFailed, stage.Failure(code)); err != nil {
		w.log.Error("reply_failed", "request_id", send.requestID, "code", code, "error", err)
	}
}

// sender sends the events of one answer on to the response worker.
type sender struct {
	send func(typ string, data any) error
	// requestID is the edge's, for the log lines about the answer.
	requestID string
}

func (w *Worker) sender(clinic, reply string, t schemas.Trace) sender {
	subject := schemas.ChatSubject(clinic, schemas.StageRespond)
	return sender{requestID: t.RequestID, send: func(typ string, data any) error {
		e, err := schemas.NewEvent(typ, Source, clinic, data)
		if err != nil {
			return err
		}
		return stage.Send(w.nc, subject, reply, t, &e)
	}}
}
