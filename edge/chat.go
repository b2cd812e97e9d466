package edge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// Source is the CloudEvents source of the edge's events.
const Source = "/iglowly/edge"

type chatRequest struct {
	Message string         `json:"message"`
	History []schemas.Turn `json:"history"`
	Lang    string         `json:"lang"`
}

type chatResponse struct {
	Answer          string           `json:"answer"`
	Sources         []schemas.Source `json:"sources"`
	RedactedMessage string           `json:"redacted_message"`
	Notices         []string         `json:"notices"`
	RequestID       string           `json:"request_id"`
	Lang            string           `json:"lang"`
}

// readJSON reads a JSON body of at most max bytes into v, strictly.
func readJSON(w http.ResponseWriter, r *http.Request, max int64, v any) *apiError {
	if e := checkMediaType(r.Header); e != nil {
		return e
	}
	if r.ContentLength > max {
		return errTooLarge
	}
	body, e := readBody(w, r, max)
	if e != nil {
		return e
	}
	if !utf8.Valid(body) {
		return errBadUTF8
	}
	if err := schemas.DecodeStrict(body, v); err != nil {
		if errors.Is(err, schemas.ErrUnknownField) {
			return errUnknownField
		}
		return errBadJSON
	}
	return nil
}

// checkMediaType accepts a body of type application/json in UTF-8 (the
// charset, if named, in any case) and without a content coding.
func checkMediaType(h http.Header) *apiError {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errMediaType
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return errMediaType
	}
	for _, ce := range h.Values("Content-Encoding") {
		if !strings.EqualFold(strings.TrimSpace(ce), "identity") {
			return errMediaType
		}
	}
	return nil
}

// readBody reads at most max bytes of the body. Once the body is in, it
// lifts the read deadline that ServeHTTP set, so the deadline cannot cut
// an answer streamed afterwards; net/http lifts it too when it starts
// watching the connection at the body's end, but that is not promised.
// A body that did not arrive in time leaves the deadline lapsed, so the
// server closes the connection rather than wait for the rest.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
		return body, nil
	case errors.As(err, &tooLarge):
		return nil, errTooLarge
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, errBodyTimeout
	}
	return nil, errBadJSON
}

// validateChat checks a chat request and maps each problem to its error.
func validateChat(req *chatRequest) *apiError {
	n := utf8.RuneCountInString(req.Message)
	switch {
	case strings.TrimSpace(req.Message) == "":
		return errMessageEmpty
	case n > schemas.MaxMessageChars:
		return errMessageLong
	case req.Lang != "" && !config.SupportedLanguage(req.Lang):
		return errLang
	}
	in := schemas.MessageReceived{History: req.History, Message: "x"}
	if in.Validate() != nil {
		return errHistory
	}
	return nil
}

// chatRequest returns the request's chat, valid: the one the limits
// read and validated, or else read from the body now.
func (s *Server) chatRequest(w http.ResponseWriter, r *http.Request) (*chatRequest, *apiError) {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok && ri.chat != nil {
		return ri.chat, nil
	}
	var req chatRequest
	if e := readJSON(w, r, s.cfg.MaxBodyBytes, &req); e != nil {
		return nil, e
	}
	if e := validateChat(&req); e != nil {
		return nil, e
	}
	return &req, nil
}

// chat handles POST /v1/chat, answering as JSON or as server-sent events.
func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	_, clinic, e := s.authenticate(r)
	if e != nil {
		writeError(w, r, e)
		return
	}
	req, e := s.chatRequest(w, r)
	if e != nil {
		writeError(w, r, e)
		return
	}
	var out answerWriter = &jsonAnswer{}
	if acceptsEventStream(r) {
		out = newSSEAnswer(w)
	}
	res, e := s.ask(r.Context(), r, clinic, req, out)
	if e != nil {
		out.fail(w, r, e)
		return
	}
	res.RequestID = requestID(r.Context())
	setRecord(r, "ok")
	out.done(w, res)
}

// acceptsEventStream reports whether the client asks for server-sent
// events: it names text/event-stream with a quality above zero and at
// least that of JSON, which the most specific of application/json,
// application/* and */* gives.
func acceptsEventStream(r *http.Request) bool {
	q := map[string]float64{}
	for _, v := range r.Header.Values("Accept") {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err == nil {
				q[mt] = max(q[mt], quality(params["q"]))
			}
		}
	}
	sse, ok := q["text/event-stream"]
	if !ok || sse <= 0 {
		return false
	}
	for _, mt := range []string{"application/json", "application/*", "*/*"} {
		if json, ok := q[mt]; ok {
			return sse >= json
		}
	}
	return true
}

// quality reads an Accept quality value: 1 if absent, 0 if malformed.
func quality(v string) float64 {
	if v == "" {
		return 1
	}
	q, err := strconv.ParseFloat(v, 64)
	if err != nil || q < 0 || q > 1 {
		return 0
	}
	return q
}

// ask sends the message into the pipeline and collects the answer,
// passing each chunk to out in order as it becomes available.
func (s *Server) ask(ctx context.Context, r *http.Request, clinic *config.Clinic,
	req *chatRequest, out answerWriter) (*chatResponse, *apiError) {
	e, err := schemas.NewEvent(schemas.TypeMessageReceived, Source, clinic.ID,
		schemas.MessageReceived{Message: schemas.Chat(req.Message),
			History: req.History, Lang: req.Lang})
	if err != nil {
		return nil, errBadJSON
	}
	_, lost := s.pipe.state()
	inbox, replies, release := s.replies.open()
	defer release()
	err = schemas.Publish(s.nc, schemas.ChatSubject(clinic.ID, schemas.StageSanitise),
		inbox, &e, schemas.HeaderTraceparent, traceparent(r),
		schemas.HeaderRequestID, requestID(ctx))
	if err != nil {
		s.log.Error("publish_failed", "request_id", requestID(ctx), "error", err)
		return nil, errUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.AnswerTimeout)
	defer cancel()
	return s.collect(ctx, clinic.ID, replies, lost, out)
}

func traceparent(r *http.Request) string {
	if tp := r.Header.Get("traceparent"); schemas.TraceID(tp) != "" {
		return schemas.ChildTrace(tp)
	}
	return schemas.NewTrace()
}

// lostGrace is how long a chat waits for its next reply once a stage of
// the pipeline has lost its last worker; a variable for the tests.
var lostGrace = 5 * time.Second

// collect reads the pipeline's replies until the answer is complete:
// chunks may arrive out of order from different replicas, so they are
// put back in sequence before they are written.
func (s *Server) collect(ctx context.Context, clinic string, replies <-chan *nats.Msg,
	lost <-chan struct{}, out answerWriter) (*chatResponse, *apiError) {
	var (
		chunks  = map[int]string{}
		next    int
		answer  strings.Builder
		done    *schemas.AnswerCompleted
		written = out.flusher()
		// grace runs once a stage has lost its last worker: what it held
		// is gone, but the chat may be past it, so it fails only if no
		// reply comes for lostGrace.
		grace *time.Timer
		late  <-chan time.Time
	)
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()
	for done == nil || next < done.Chunks {
		var msg *nats.Msg
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, errTimeout
			}
			return nil, errUnavailable
		case <-lost:
			lost = nil
			grace = time.NewTimer(lostGrace)
			late = grace.C
			continue
		case <-late:
			return nil, errUnavailable
		case msg = <-replies:
			if grace != nil {
				grace.Reset(lostGrace)
			}
		}
		ev, e := s.decodeReply(requestID(ctx), clinic, msg)
		if e != nil {
			return nil, e
		}
		switch d := ev.(type) {
		case *schemas.AnswerChunk:
			chunks[d.Seq] = string(d.Text)
		case *schemas.AnswerCompleted:
			done = d
		}
		for text, ok := chunks[next]; ok; text, ok = chunks[next] {
			delete(chunks, next)
			answer.WriteString(text)
			written(text)
			next++
		}
	}
	return &chatResponse{
		Answer:          strings.TrimSpace(answer.String()),
		Sources:         done.Sources,
		RedactedMessage: string(done.RedactedMessage),
		Notices:         done.Notices,
		Lang:            done.Lang,
	}, nil
}

// decodeReply decodes one reply: a chunk, the completion, a failure, or
// the server's no-responders status.
func (s *Server) decodeReply(id, clinic string, msg *nats.Msg) (any, *apiError) {
	if msg.Header.Get("Status") == "503" && len(msg.Data) == 0 {
		s.log.Error("no_responders", "request_id", id, "clinic", clinic)
		return nil, errUnavailable
	}
	e, err := schemas.Decode(msg)
	if err == nil {
		if c, cerr := schemas.Clinic(&e); cerr != nil || c != clinic {
			err = errors.New("reply names another clinic")
		}
	}
	if err != nil {
		s.log.Error("reply_rejected", "request_id", id, "clinic", clinic, "error", err)
		return nil, errAnswer
	}
	var v schemas.Validator
	switch e.Type() {
	case schemas.TypeAnswerChunk:
		v = &schemas.AnswerChunk{}
	case schemas.TypeAnswerCompleted:
		v = &schemas.AnswerCompleted{}
	case schemas.TypeAnswerFailed:
		v = &schemas.AnswerFailed{}
	default:
		return nil, errAnswer
	}
	if err := schemas.DecodeData(&e, e.Type(), v); err != nil {
		s.log.Error("reply_rejected", "request_id", id, "clinic", clinic, "error", err)
		return nil, errAnswer
	}
	if f, ok := v.(*schemas.AnswerFailed); ok {
		s.log.Warn("answer_failed", "request_id", id, "clinic", clinic, "code", f.Code)
		return nil, errAnswer
	}
	return v, nil
}

// answerWriter writes an answer as JSON or as a stream of events.
type answerWriter interface {
	flusher() func(chunk string)
	done(w http.ResponseWriter, res *chatResponse)
	fail(w http.ResponseWriter, r *http.Request, e *apiError)
}

type jsonAnswer struct{}

func (jsonAnswer) flusher() func(string) { return func(string) {} }

func (jsonAnswer) done(w http.ResponseWriter, res *chatResponse) {
	writeJSON(w, http.StatusOK, res)
}

func (jsonAnswer) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	writeError(w, r, e)
}

// sseAnswer streams chunk events, then a done or error event. Until the
// first chunk nothing is written, so an early failure is still a plain
// JSON error with its status.
type sseAnswer struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
}

func newSSEAnswer(w http.ResponseWriter) *sseAnswer {
	return &sseAnswer{w: w, rc: http.NewResponseController(w)}
}

func (a *sseAnswer) start() {
	if a.started {
		return
	}
	a.started = true
	h := a.w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	a.w.WriteHeader(http.StatusOK)
}

func (a *sseAnswer) event(name string, v any) {
	a.start()
	raw, _ := json.Marshal(v)
	fmt.Fprintf(a.w, "event: %s\ndata: %s\n\n", name, raw)
	_ = a.rc.Flush()
}

func (a *sseAnswer) flusher() func(string) {
	return func(chunk string) {
		a.event("chunk", struct {
			Text string `json:"text"`
		}{chunk})
	}
}

func (a *sseAnswer) done(_ http.ResponseWriter, res *chatResponse) {
	a.event("done", res)
}

func (a *sseAnswer) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	if !a.started {
		writeError(w, r, e)
		return
	}
	setRecord(r, e.Code)
	a.event("error", errorBody{Error: errorDetail{
		Code: e.Code, Message: e.Message, RequestID: requestID(r.Context()),
	}})
}
