package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nuid"

	"github.com/iglowly/assistant/config"
)

// Binary-mode header names. The CloudEvents NATS binding puts every
// context attribute in a "ce-" header, and the data content type in
// "content-type".
const (
	headerPrefix      = "ce-"
	headerContentType = "content-type"
	// HeaderTraceparent carries the W3C trace context, lower case.
	HeaderTraceparent = "traceparent"
	// ExtClinic is the CloudEvents extension naming the clinic.
	ExtClinic = "clinicid"
	// MaxEventBytes caps an encoded event's data: room for the largest
	// request the edge accepts (its body is capped at 128 KiB) after
	// redaction has grown it.
	MaxEventBytes = 512 << 10
)

const jsonContentType = "application/json"

// NewEvent builds a CloudEvent of type typ from source for clinic, with
// data encoded as JSON. The id is a fresh unique id.
func NewEvent(typ, source, clinic string, data any) (event.Event, error) {
	// The context is filled in directly rather than through the setters,
	// which parse the source and copy the extensions on every call;
	// Encode validates it as a whole.
	ct := jsonContentType
	e := event.Event{Context: &event.EventContextV1{
		ID:              nuid.Next(),
		Type:            typ,
		Source:          sourceRef(source),
		Time:            &types.Timestamp{Time: time.Now().UTC()},
		DataContentType: &ct,
		Extensions:      map[string]any{ExtClinic: clinic},
	}}
	raw, err := marshalData(data)
	if err != nil {
		return e, fmt.Errorf("encoding event data: %w", err)
	}
	e.DataEncoded = raw
	return e, nil
}

// marshalData writes data as JSON without escaping <, > and &, as
// json.Marshal would: a text full of them would grow sixfold and could
// outgrow MaxEventBytes. Event data is never embedded in HTML.
func marshalData(data any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// sources remembers parsed source attributes: the pipeline has a handful,
// and parsing one as a URI reference is the costliest part of building an
// event. At most maxSources are kept, so a peer sending made-up sources
// cannot grow it.
var (
	sources    sync.Map // string -> types.URIRef
	nSources   atomic.Int32
	maxSources int32 = 64
)

func sourceRef(s string) types.URIRef {
	if r, ok := sources.Load(s); ok {
		return r.(types.URIRef)
	}
	var ref types.URIRef
	if u, err := url.Parse(s); err == nil {
		ref = types.URIRef{URL: *u}
	}
	if nSources.Add(1) <= maxSources {
		sources.Store(s, ref)
	}
	return ref
}

// Encode turns a valid event into a NATS message on subject in binary
// mode: attributes in percent-encoded "ce-" headers, data as the body.
func Encode(subject string, e *event.Event) (*nats.Msg, error) {
	if err := validate(e); err != nil {
		return nil, err
	}
	// One map sized for the attributes, and one array backing every
	// header's single value.
	msg := &nats.Msg{Subject: subject, Header: make(nats.Header, 10)}
	h := msg.Header
	var vals [10]string
	n := 0
	set := func(name, value string) {
		if n == len(vals) {
			h[name] = []string{percentEncode(value)}
			return
		}
		vals[n] = percentEncode(value)
		h[name] = vals[n : n+1 : n+1]
		n++
	}
	set(headerPrefix+"specversion", e.SpecVersion())
	set(headerPrefix+"id", e.ID())
	set(headerPrefix+"source", e.Source())
	set(headerPrefix+"type", e.Type())
	if t := e.Time(); !t.IsZero() {
		var buf [40]byte
		set(headerPrefix+"time", string(t.UTC().AppendFormat(buf[:0], time.RFC3339Nano)))
	}
	if s := e.Subject(); s != "" {
		set(headerPrefix+"subject", s)
	}
	if s := e.DataSchema(); s != "" {
		set(headerPrefix+"dataschema", s)
	}
	var exts map[string]any
	if ec, ok := e.Context.(*event.EventContextV1); ok {
		exts = ec.Extensions // read only; Extensions() would copy it
	} else {
		exts = e.Extensions()
	}
	for name, v := range exts {
		if s, ok := v.(string); ok {
			set(headerPrefix+name, s)
		} else {
			set(headerPrefix+name, fmt.Sprint(v))
		}
	}
	if ct := e.DataContentType(); ct != "" {
		set(headerContentType, ct)
	}
	msg.Data = e.Data()
	return msg, nil
}

// Clinic returns the event's clinicid extension if it is a valid id.
func Clinic(e *event.Event) (string, error) {
	if e.Context == nil {
		return "", ErrClinicMissing
	}
	// GetExtension reads one value; Extensions() would copy the map.
	x, err := e.Context.GetExtension(ExtClinic)
	v, ok := x.(string)
	if err != nil || !ok || !config.ValidClinicID(v) {
		return "", ErrClinicMissing
	}
	return v, nil
}

// Errors returned by DecodeData.
var (
	ErrWrongType        = errors.New("event type is not the expected one")
	ErrWrongContentType = errors.New("event data is not application/json")
)

// DecodeData checks that e has type typ and JSON data, decodes the data
// strictly into v (unknown fields refused) and validates it.
func DecodeData(e *event.Event, typ string, v Validator) error {
	if e.Type() != typ {
		return ErrWrongType
	}
	if ct := e.DataContentType(); ct != jsonContentType {
		return ErrWrongContentType
	}
	if err := DecodeStrict(e.Data(), v); err != nil {
		return fmt.Errorf("decoding %s data: %w", typ, err)
	}
	if err := v.Validate(); err != nil {
		return fmt.Errorf("validating %s data: %w", typ, err)
	}
	return nil
}
