package schemas

import (
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/nats-io/nats.go"
)

// Errors returned by Decode; none of them quotes the message.
var (
	ErrNotCloudEvent = errors.New("message is not a binary-mode CloudEvent")
	ErrEventTooLarge = errors.New("event data is too large")
	ErrClinicMissing = errors.New("event has no valid clinicid extension")
)

// maxExtensions bounds the extension attributes one event may carry.
const maxExtensions = 8

// Decode reads a binary-mode CloudEvent from msg and validates its
// context attributes. It does not look at the data.
//
// Header names are matched without regard to case, and an attribute
// given twice, in any case, is refused rather than one copy chosen.
func Decode(msg *nats.Msg) (event.Event, error) {
	if len(msg.Data) > MaxEventBytes {
		return event.Event{}, ErrEventTooLarge
	}
	d := decoder{ec: &event.EventContextV1{}}
	for name, values := range msg.Header {
		attr, ok := attributeName(name)
		if !ok {
			continue
		}
		if len(values) != 1 {
			return event.Event{}, fmt.Errorf("header %s repeated: %w", attr, ErrNotCloudEvent)
		}
		v, err := percentDecode(values[0])
		if err != nil {
			return event.Event{}, fmt.Errorf("header %s: %w", attr, err)
		}
		if err := d.set(attr, v); err != nil {
			return event.Event{}, err
		}
	}
	if d.seen&seenSpecVersion == 0 {
		return event.Event{}, ErrNotCloudEvent
	}
	if ct := msg.Header.Get(headerContentType); ct != "" {
		d.ec.DataContentType = &ct
	}
	e := event.Event{Context: d.ec, DataEncoded: msg.Data}
	if err := validate(&e); err != nil {
		return e, err
	}
	return e, nil
}

// attributeName returns the lower-case attribute a "ce-" header carries.
// It allocates only for a name that is not lower case already.
func attributeName(header string) (string, bool) {
	if len(header) <= len(headerPrefix) || header[2] != '-' ||
		header[0]|0x20 != 'c' || header[1]|0x20 != 'e' {
		return "", false
	}
	attr := header[len(headerPrefix):]
	for i := 0; i < len(attr); i++ {
		if 'A' <= attr[i] && attr[i] <= 'Z' {
			return strings.ToLower(attr), true
		}
	}
	return attr, true
}

// decoder fills an event context from header values, one attribute at a
// time, and remembers which it has seen.
type decoder struct {
	ec   *event.EventContextV1
	seen uint8
}

const (
	seenSpecVersion uint8 = 1 << iota
	seenID
	seenSource
	seenType
	seenSubject
	seenDataSchema
	seenTime
)

// coreAttribute returns the bit of a context attribute that has a field
// of its own, or 0 for an extension.
func coreAttribute(attr string) uint8 {
	switch attr {
	case "specversion":
		return seenSpecVersion
	case "id":
		return seenID
	case "source":
		return seenSource
	case "type":
		return seenType
	case "subject":
		return seenSubject
	case "dataschema":
		return seenDataSchema
	case "time":
		return seenTime
	}
	return 0
}

func (d *decoder) set(attr, v string) error {
	bit := coreAttribute(attr)
	if bit == 0 {
		return d.extension(attr, v)
	}
	if d.seen&bit != 0 {
		return fmt.Errorf("header %s repeated: %w", attr, ErrNotCloudEvent)
	}
	d.seen |= bit
	ec := d.ec
	switch bit {
	case seenSpecVersion:
		if v != event.CloudEventsVersionV1 {
			return ErrNotCloudEvent
		}
	case seenID:
		ec.ID = v
	case seenSource:
		ec.Source = sourceRef(v) // validate checks it is not empty
	case seenType:
		ec.Type = v
	case seenSubject:
		subject := v // a copy, so that v itself does not escape
		ec.Subject = &subject
	case seenDataSchema:
		u := types.ParseURI(strings.TrimSpace(v))
		if u == nil {
			return errors.New("header dataschema is not a URI")
		}
		ec.DataSchema = u
	case seenTime:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return errors.New("header time is not RFC 3339")
		}
		ec.Time = &types.Timestamp{Time: t}
	}
	return nil
}

// extension records an extension attribute. Its name must be what the
// specification allows (lower-case letters and digits, at most 20) and
// not one of the specification's own attributes.
func (d *decoder) extension(name, v string) error {
	if !validExtensionName(name) || name == "datacontenttype" {
		return fmt.Errorf("extension name is invalid: %w", ErrNotCloudEvent)
	}
	ec := d.ec
	if _, dup := ec.Extensions[name]; dup {
		return fmt.Errorf("header %s repeated: %w", name, ErrNotCloudEvent)
	}
	if len(ec.Extensions) == maxExtensions {
		return fmt.Errorf("too many extensions: %w", ErrNotCloudEvent)
	}
	if ec.Extensions == nil {
		ec.Extensions = make(map[string]any, 2)
	}
	ec.Extensions[name] = v
	return nil
}

func validExtensionName(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// validate checks an event's context attributes by the rules of the
// CloudEvents 1.0 specification that the SDK's Event.Validate applies,
// with the same outcome (a test compares the two), but without its costs
// on every event: a map per call, the source written out again, and the
// media type parsed even when it is the one every pipeline event has.
// Contexts of other versions are left to the SDK.
func validate(e *event.Event) error {
	ec, ok := e.Context.(*event.EventContextV1)
	if !ok || len(e.FieldErrors) > 0 {
		if err := e.Validate(); err != nil {
			return fmt.Errorf("validating event: %w", err)
		}
		return nil
	}
	var attr string
	switch {
	case strings.TrimSpace(ec.ID) == "":
		attr = "id"
	case blankURIRef(&ec.Source):
		attr = "source"
	case strings.TrimSpace(ec.Type) == "":
		attr = "type"
	case ec.DataContentType != nil && !validMediaType(*ec.DataContentType):
		attr = "datacontenttype"
	case ec.DataSchema != nil && !ec.DataSchema.Validate():
		attr = "dataschema"
	case ec.Subject != nil && strings.TrimSpace(*ec.Subject) == "":
		attr = "subject"
	default:
		return nil
	}
	return fmt.Errorf("validating event: attribute %s is invalid", attr)
}

// blankURIRef reports whether r is empty once written out, as the SDK
// checks it, writing it out only when no part of it settles the answer:
// a scheme, an opaque part, a host or a path always writes as something
// other than white space.
func blankURIRef(r *types.URIRef) bool {
	u := &r.URL
	if u.Scheme != "" || u.Opaque != "" || u.Host != "" || u.Path != "" {
		return false
	}
	return strings.TrimSpace(r.String()) == ""
}

func validMediaType(s string) bool {
	if s == jsonContentType {
		return true
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	_, _, err := mime.ParseMediaType(s)
	return err == nil
}
