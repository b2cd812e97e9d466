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

// ChatSubject returns iglowly.<clinic>.chat.<stage>. The clinic id must
// already be valid; ChatSubject panics otherwise, because an invalid id
// would let a caller inject subject tokens.
func ChatSubject(clinic, stage string) string {
	if !config.ValidClinicID(clinic) {
		panic("schemas: invalid clinic id used in a subject")
	}
	return "iglowly." + clinic + ".chat." + stage
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
