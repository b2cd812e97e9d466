package edge

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// apiError is an error shown to a client: a status, a stable code and a
// message that never quotes what the client sent.
type apiError struct {
	// Status is the HTTP status code, such as 422.
	Status int
	// Code is the stable, machine-readable error code.
	Code string
	// Message explains the error to a person, in English.
	Message string
	// RetryAfter, if positive, is sent as the Retry-After header, in
	// whole seconds.
	RetryAfter time.Duration
}

// Error returns the error's code.
func (e *apiError) Error() string { return e.Code }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// The errors of the API, by code.
var (
	errBadJSON = newError(400, "invalid_json",
		"The body is not valid JSON of the expected shape.")
	errUnknownField = newError(400, "unknown_field",
		"The body has a field this endpoint does not accept.")
	errBadUTF8 = newError(400, "invalid_utf8",
		"The body is not valid UTF-8.")
	errDuplicateHeader = newError(400, "duplicate_header",
		"A header that may appear once appears more than once.")
	errMissingToken = newError(401, "missing_token",
		"A bearer session token is required.")
	errInvalidToken = newError(401, "invalid_token",
		"The session token is not valid.")
	errExpired = newError(401, "session_expired",
		"The session has expired; start a new one.")
	errOriginRequired = newError(403, "origin_required",
		"The Origin header is required.")
	errOrigin = newError(403, "origin_not_allowed",
		"This origin may not use this clinic's assistant.")
	errUnknownClinic = newError(404, "unknown_clinic",
		"No clinic has this id.")
	errNotFound = newError(404, "not_found",
		"No such endpoint.")
	errMethod = newError(405, "method_not_allowed",
		"This method is not allowed here.")
	errBodyTimeout = newError(408, "body_timeout",
		"The body did not arrive in time.")
	errTooLarge = newError(413, "body_too_large",
		"The body is too large.")
	errMediaType = newError(415, "unsupported_media_type",
		"The body must be application/json in UTF-8, without content coding.")
	errMessageEmpty = newError(422, "message_empty",
		"The message is empty.")
	errMessageLong = newError(422, "message_too_long", fmt.Sprintf(
		"The message is longer than %d characters.", schemas.MaxMessageChars))
	errHistory = newError(422, "invalid_history", fmt.Sprintf(
		"The history must be at most %d turns of role user or assistant, "+
			"each with a text of 1 to %d characters.",
		schemas.MaxHistoryTurns, schemas.MaxTurnChars))
	errLang = newError(422, "invalid_lang",
		"lang must be one of "+strings.Join(config.Languages, ", ")+".")
	errClinicID = newError(422, "invalid_clinic",
		"clinic must be an id of 3 to 40 characters a-z, 0-9 and -.")
	errUnavailable = &apiError{Status: 503, Code: "unavailable",
		Message:    "The assistant is unavailable; try again shortly.",
		RetryAfter: 5 * time.Second}
	errTimeout = &apiError{Status: 503, Code: "timeout",
		Message:    "The assistant took too long to answer; try again.",
		RetryAfter: 2 * time.Second}
	errAnswer = &apiError{Status: 503, Code: "answer_failed",
		Message:    "The assistant could not answer this message; try again.",
		RetryAfter: 2 * time.Second}
	errClinicPaused = &apiError{Status: 503, Code: "clinic_paused",
		Message:    "This clinic's assistant is paused; try again later.",
		RetryAfter: time.Minute}
)

// rateLimited is the refusal of a request over a rate limit, to be tried
// again after wait, rounded up to whole seconds.
func rateLimited(wait time.Duration) *apiError {
	return &apiError{Status: 429, Code: "rate_limited",
		Message:    "Too many requests; try again in a moment.",
		RetryAfter: ttlFor(wait)}
}

// budgetExhausted is the refusal of a chat over its clinic's daily
// budget, which renews after wait.
func budgetExhausted(wait time.Duration) *apiError {
	return &apiError{Status: 429, Code: "daily_budget_exhausted",
		Message:    "This clinic's assistant has answered all it may today; try again tomorrow.",
		RetryAfter: ttlFor(wait)}
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id"`
}

// writeError sends e as the JSON error body with its status.
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
	setRecord(r, e.Code)
	writeJSON(w, e.Status, errorBody{Error: errorDetail{
		Code: e.Code, Message: e.Message, RequestID: requestID(r.Context()),
	}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
