// Package schemas defines what travels between the components: the NATS
// subjects, the CloudEvents types with their Go types and JSON Schemas,
// and the codec between a CloudEvent and a NATS message.
package schemas

import (
	"strings"

	"github.com/iglowly/assistant/config"
)

// Stage subjects, one per pipeline step; each is scoped per clinic as
// iglowly.<clinic>.chat.<stage>.
const (
	StageSanitise = "sanitise"
	StageInfer    = "infer"
	StageRespond  = "respond"
)

// The NATS micro service names of the stages' workers, which answer
// service discovery's $SRV.PING.<name>: the edge asks them whether every
// stage has a worker.
const (
	ServiceSanitiser = "iglowly-sanitiser"
	ServiceInference = "iglowly-inference"
	ServiceResponse  = "iglowly-response"
)

// Services are the stages' service names in pipeline order.
var Services = []string{ServiceSanitiser, ServiceInference, ServiceResponse}

// ChatSubject returns iglowly.<clinic>.chat.<stage>. The clinic id must
// already be valid; ChatSubject panics otherwise, because an invalid id
// would let a caller inject subject tokens.
func ChatSubject(clinic, stage string) string {
	return "iglowly." + clinicToken(clinic) + ".chat." + stage
}

// clinicToken returns clinic for use as a subject token, and panics if it
// is not a valid clinic id: an invalid id would let a caller inject
// subject tokens.
func clinicToken(clinic string) string {
	if !config.ValidClinicID(clinic) {
		panic("schemas: invalid clinic id used in a subject")
	}
	return clinic
}

// ChatWildcard returns the subject a worker of stage listens on for all
// clinics: iglowly.*.chat.<stage>.
func ChatWildcard(stage string) string {
	return "iglowly.*.chat." + stage
}

// ClinicFromSubject returns the clinic token of an iglowly.<clinic>.…
// subject and whether it is a valid clinic id.
func ClinicFromSubject(subject string) (string, bool) {
	rest, ok := strings.CutPrefix(subject, "iglowly.")
	if !ok {
		return "", false
	}
	clinic, _, ok := strings.Cut(rest, ".")
	if !ok || !config.ValidClinicID(clinic) {
		return "", false
	}
	return clinic, true
}

// HeaderReplyTo carries the edge's reply inbox from the sanitiser past the
// inference worker to the response worker. It travels as a header rather
// than as the message's reply subject, so that the server gives the
// inference worker no right to answer the edge: the only way from a model
// to a visitor is through the response worker's guard.
const HeaderReplyTo = "iglowly-reply-to"

// ReplyInboxPrefix begins every inbox the edge asks for answers on.
const ReplyInboxPrefix = "_INBOX.edge."

// ValidReplyInbox reports whether s is an edge inbox: the prefix, then
// tokens of letters, digits, '-' and '_', at most 128 bytes in all, so a
// forged reply can name no other subject and no wildcard.
func ValidReplyInbox(s string) bool {
	rest, ok := strings.CutPrefix(s, ReplyInboxPrefix)
	if !ok || rest == "" || len(s) > 128 {
		return false
	}
	for _, tok := range strings.Split(rest, ".") {
		if tok == "" {
			return false
		}
		for i := 0; i < len(tok); i++ {
			c := tok[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' ||
				'0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
