package edge

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/iglowly/assistant/schemas"
)

// chatRefused reports whether the chat handler is bound to refuse a chat
// whose token and origin peekGrant let through: its session has ended or
// expired, or was opened from another origin, or its body is not a valid
// chat. Such a chat must spend no limit, since a refused request changes
// nothing. The verdict is the handler's own: a session that is gone
// never comes back, and the body is put back for the handler to read
// again. A body that cannot be read, or a session that cannot be checked,
// is refused here with the error the handler would give.
func (s *Server) chatRefused(w http.ResponseWriter, r *http.Request,
	g Grant) (bool, *apiError) {
	rec, err := s.sessions.check(r.Context(), g.SessionID, time.Now())
	switch {
	case errors.Is(err, errNoSession):
		return true, nil
	case err != nil:
		s.log.Error("session_lookup_failed", "request_id", requestID(r.Context()),
			"error", err)
		return false, errUnavailable
	case rec.Clinic != g.Clinic || rec.Origin != r.Header.Get("Origin"):
		return true, nil
	}
	if checkMediaType(r.Header) != nil || r.ContentLength > s.cfg.MaxBodyBytes {
		return true, nil
	}
	body, e := readBody(w, r, s.cfg.MaxBodyBytes)
	if e != nil {
		return false, e
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var req chatRequest
	if !utf8.Valid(body) || schemas.DecodeStrict(body, &req) != nil ||
		validateChat(&req) != nil {
		return true, nil
	}
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		ri.chat = &req // read once: the handler takes it from here
	}
	return false, nil
}
