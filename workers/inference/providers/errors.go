package providers

import (
	"errors"
	"fmt"
	"net/http"
)

// Kinds of provider failure, for errors.Is. The inference worker answers
// each with its model_failed failure event; the kind is for the logs.
var (
	ErrAuth        = errors.New("the provider refused the API key")
	ErrRateLimited = errors.New("the provider's rate limit or quota is reached")
	ErrUnavailable = errors.New("the provider is unavailable")
	ErrRejected    = errors.New("the provider refused the request")
	ErrTimeout     = errors.New("the provider did not answer in time")
	ErrUnreachable = errors.New("the provider could not be reached")
	ErrBadResponse = errors.New("the provider's answer could not be read")
)

// Error is a failed call to a provider. Its text names the provider, the
// kind of failure and the HTTP status, and for a provider that could
// not be reached the transport's error; never a key, the prompt or
// anything the provider wrote.
type Error struct {
	// Provider is the provider's name, such as "openai".
	Provider string
	// Kind is one of the Err* kinds of this package.
	Kind error
	// Status is the provider's HTTP status, or 0 if it sent none.
	Status int
	// detail says more, in words of this package.
	detail string
	// cause is a transport error, for ErrUnreachable.
	cause error
}

// Error describes the failure.
func (e *Error) Error() string {
	s := e.Provider + ": " + e.Kind.Error()
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.detail != "" {
		s += ": " + e.detail
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the kind, and the transport error if there is one.
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Kind, e.cause}
	}
	return []error{e.Kind}
}

// statusError is the failure a provider's HTTP status says. Anthropic
// answers 529 when it is overloaded.
func statusError(provider string, status int) *Error {
	e := &Error{Provider: provider, Status: status, Kind: ErrRejected}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Kind = ErrAuth
	case status == http.StatusTooManyRequests:
		e.Kind = ErrRateLimited
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		e.Kind = ErrTimeout
	case status >= 500:
		e.Kind = ErrUnavailable
	case status >= 300 && status < 400:
		e.detail = "redirects are not followed"
	}
	return e
}

// streamErrorKinds maps the type of an error event in an Anthropic
// stream to the kind of failure.
var streamErrorKinds = map[string]error{
	"overloaded_error":      ErrUnavailable,
	"api_error":             ErrUnavailable,
	"rate_limit_error":      ErrRateLimited,
	"authentication_error":  ErrAuth,
	"permission_error":      ErrAuth,
	"invalid_request_error": ErrRejected,
	"request_too_large":     ErrRejected,
}
