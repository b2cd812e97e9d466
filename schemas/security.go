package schemas

import (
	"errors"
	"fmt"
)

// SecurityKind is what a security event reports. Events hold no chat
// content, no personal value, no token and no client address: only what
// happened, where and how often.
type SecurityKind string

// The kinds of security events.
const (
	// SecAuthFailed is a request refused for its token or origin, or a
	// NATS login refused (code "nats_login_failed", on the system
	// pseudo-clinic's subject).
	SecAuthFailed SecurityKind = "auth_failed"
	// SecRateLimited is a request refused by a rate limit or budget.
	SecRateLimited SecurityKind = "rate_limited"
	// SecPIIRemoved counts the personal values removed from a message.
	SecPIIRemoved SecurityKind = "pii_removed"
	// SecInjection is a message the sanitiser took for a prompt
	// injection attempt.
	SecInjection SecurityKind = "injection_suspected"
	// SecEventRejected is an event a stage refused (malformed, forged,
	// from another clinic).
	SecEventRejected SecurityKind = "event_rejected"
	// SecPermissionViolation is a NATS client refused by its permissions.
	SecPermissionViolation SecurityKind = "permission_violation"
)

var securityKinds = map[SecurityKind]bool{
	SecAuthFailed: true, SecRateLimited: true, SecPIIRemoved: true,
	SecInjection: true, SecEventRejected: true, SecPermissionViolation: true,
}

// SecurityEvent is the data of TypeSecurityEvent, published on
// iglowly.<clinic>.security.<kind> and kept in a JetStream stream.
type SecurityEvent struct {
	// Kind is what happened.
	Kind SecurityKind `json:"kind"`
	// Component is who saw it: "edge", "sanitiser", "response"…
	Component string `json:"component"`
	// Code is the error or rule code, such as "invalid_token"; optional.
	Code string `json:"code,omitempty"`
	// Counts are numbers per label, such as personal values removed per
	// type ({"EMAIL":1}); optional.
	Counts map[string]int `json:"counts,omitempty"`
	// RequestID ties the event to a request's logs; optional. It is a
	// random id, never derived from what the visitor sent.
	RequestID string `json:"request_id,omitempty"`
}

// Validate checks a security event: a known kind, short codes and labels
// of letters, digits and underscores only, so that no text can travel in
// them.
func (e *SecurityEvent) Validate() error {
	if !securityKinds[e.Kind] {
		return errors.New("security event kind is unknown")
	}
	if !label(e.Component, 32) || e.Code != "" && !label(e.Code, 64) {
		return errors.New("security event component or code is not a short label")
	}
	if len(e.Counts) > 32 {
		return errors.New("security event has too many counts")
	}
	for k, v := range e.Counts {
		if !label(k, 32) || v < 0 {
			return errors.New("security event counts must map labels to counts")
		}
	}
	if e.RequestID != "" && !label(e.RequestID, 64) {
		return errors.New("security event request id is not a short label")
	}
	return nil
}

// label reports whether s is 1 to max ASCII letters, digits, '_' or '-'.
func label(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// SecuritySubject returns iglowly.<clinic>.security.<kind>. The clinic id
// must be valid and the kind known; SecuritySubject panics otherwise, as
// ChatSubject does. Events of no clinic go to config.SystemClinic's
// subject, in the same stream.
func SecuritySubject(clinic string, kind SecurityKind) string {
	if !securityKinds[kind] {
		panic(fmt.Sprintf("schemas: unknown security kind %q", kind))
	}
	return "iglowly." + clinicToken(clinic) + ".security." + string(kind)
}

// SecurityWildcard is the subject of every clinic's security events.
const SecurityWildcard = "iglowly.*.security.>"
