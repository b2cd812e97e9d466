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
	m := newOutgoing()
	if err := m.encode(subject, e); err != nil {
		return nil, err
	}
	return &m.msg, nil
}

// Publish encodes e as Encode does, into a message taken from a pool, and
// publishes it on subject through nc with the reply subject and the extra
// headers, given as name, value, name, value… (not percent-encoded: they
// are the transport's own, such as traceparent); a header whose value is
// empty is left out. PublishMsg has copied
// the message into the connection's buffer when it returns, so the
// message goes back to the pool at once and an event costs no header map.
func Publish(nc *nats.Conn, subject, reply string, e *event.Event, extra ...string) error {
	m := outgoingPool.Get().(*outgoing)
	defer m.release()
	if err := m.encode(subject, e); err != nil {
		return err
	}
	m.msg.Reply = reply
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] != "" {
			m.setRaw(extra[i], extra[i+1])
		}
	}
	if err := nc.PublishMsg(&m.msg); err != nil {
		return fmt.Errorf("publishing to %s: %w", subject, err)
	}
	return nil
}

// outgoing is a message being encoded, with one array backing every
// header's single value.
type outgoing struct {
	msg  nats.Msg
	vals [12]string
	n    int
}

var outgoingPool = sync.Pool{New: func() any { return newOutgoing() }}

func newOutgoing() *outgoing {
	return &outgoing{msg: nats.Msg{Header: make(nats.Header, 12)}}
}

func (m *outgoing) release() {
	clear(m.msg.Header)
	clear(m.vals[:])
	m.n = 0
	m.msg.Subject, m.msg.Reply, m.msg.Data = "", "", nil
	outgoingPool.Put(m)
}

func (m *outgoing) set(name, value string) { m.setRaw(name, percentEncode(value)) }

func (m *outgoing) setRaw(name, value string) {
	if m.n == len(m.vals) {
		m.msg.Header[name] = []string{value}
		return
	}
	m.vals[m.n] = value
	m.msg.Header[name] = m.vals[m.n : m.n+1 : m.n+1]
	m.n++
}

func (m *outgoing) encode(subject string, e *event.Event) error {
	if err := validate(e); err != nil {
		return err
	}
	m.msg.Subject = subject
	m.set(headerPrefix+"specversion", e.SpecVersion())
	m.set(headerPrefix+"id", e.ID())
	m.set(headerPrefix+"source", e.Source())
	m.set(headerPrefix+"type", e.Type())
	if t := e.Time(); !t.IsZero() {
		var buf [40]byte
		m.set(headerPrefix+"time", string(t.UTC().AppendFormat(buf[:0], time.RFC3339Nano)))
	}
	if s := e.Subject(); s != "" {
		m.set(headerPrefix+"subject", s)
	}
	if s := e.DataSchema(); s != "" {
		m.set(headerPrefix+"dataschema", s)
	}
	m.extensions(e)
	if ct := e.DataContentType(); ct != "" {
		m.set(headerContentType, ct)
	}
	m.msg.Data = e.Data()
	return nil
}

func (m *outgoing) extensions(e *event.Event) {
	var exts map[string]any
	if ec, ok := e.Context.(*event.EventContextV1); ok {
		exts = ec.Extensions // read only; Extensions() would copy it
	} else {
		exts = e.Extensions()
	}
	for name, v := range exts {
		header := headerPrefix + ExtClinic
		if name != ExtClinic {
			header = headerPrefix + name
		}
		if s, ok := v.(string); ok {
			m.set(header, s)
		} else {
			m.set(header, fmt.Sprint(v))
		}
	}
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
