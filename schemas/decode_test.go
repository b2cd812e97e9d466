package schemas

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/nats-io/nats.go"
)

// TestValidateAgreesWithSDK checks that the codec's own validation gives
// the SDK's verdict on every context attribute rule.
func TestValidateAgreesWithSDK(t *testing.T) {
	str := func(s string) *string { return &s }
	ref := func(s string) types.URIRef {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return types.URIRef{URL: *u}
	}
	good := func() *event.EventContextV1 {
		return &event.EventContextV1{ID: "1", Source: ref("/iglowly/edge"),
			Type: TypeAnswerChunk, DataContentType: str(jsonContentType),
			Extensions: map[string]any{ExtClinic: "demo"}}
	}
	cases := []struct {
		name   string
		mutate func(ec *event.EventContextV1)
	}{
		{"valid", func(*event.EventContextV1) {}},
		{"blank id", func(ec *event.EventContextV1) { ec.ID = " \t" }},
		{"empty id", func(ec *event.EventContextV1) { ec.ID = "" }},
		{"empty source", func(ec *event.EventContextV1) { ec.Source = types.URIRef{} }},
		{"source with space path", func(ec *event.EventContextV1) { ec.Source = ref(" ") }},
		{"absolute source", func(ec *event.EventContextV1) { ec.Source = ref("https://x.example/a") }},
		{"fragment-only source", func(ec *event.EventContextV1) { ec.Source = ref("#a") }},
		{"query-only source", func(ec *event.EventContextV1) { ec.Source = ref("?a=1") }},
		{"blank type", func(ec *event.EventContextV1) { ec.Type = "  " }},
		{"no content type", func(ec *event.EventContextV1) { ec.DataContentType = nil }},
		{"blank content type", func(ec *event.EventContextV1) { ec.DataContentType = str(" ") }},
		{"content type with parameter", func(ec *event.EventContextV1) {
			ec.DataContentType = str("application/json; charset=utf-8")
		}},
		{"malformed content type", func(ec *event.EventContextV1) { ec.DataContentType = str("json;;=") }},
		{"relative data schema", func(ec *event.EventContextV1) {
			ec.DataSchema = &types.URI{URL: ref("/schemas/x").URL}
		}},
		{"absolute data schema", func(ec *event.EventContextV1) {
			ec.DataSchema = &types.URI{URL: ref("https://x.example/s.json").URL}
		}},
		{"blank subject", func(ec *event.EventContextV1) { ec.Subject = str(" ") }},
		{"subject", func(ec *event.EventContextV1) { ec.Subject = str("s") }},
		{"time", func(ec *event.EventContextV1) { ec.Time = &types.Timestamp{Time: time.Now()} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ec := good()
			c.mutate(ec)
			e := event.Event{Context: ec}
			sdk, ours := e.Validate(), validate(&e)
			if (sdk == nil) != (ours == nil) {
				t.Errorf("SDK says %v, codec says %v", sdk, ours)
			}
		})
	}
}

func TestDecodeRefusesAmbiguousHeaders(t *testing.T) {
	good, _ := NewEvent(TypeAnswerChunk, "/test", "demo", AnswerChunk{Text: "hi"})
	base, _ := Encode("x", &good)
	cases := []struct {
		name   string
		mutate func(m *nats.Msg)
		ok     bool
	}{
		{"as encoded", func(*nats.Msg) {}, true},
		{"upper-case names", func(m *nats.Msg) {
			m.Header["CE-ID"] = m.Header["ce-id"]
			delete(m.Header, "ce-id")
		}, true},
		{"id in two cases", func(m *nats.Msg) { m.Header.Set("Ce-Id", "other") }, false},
		{"specversion in two cases", func(m *nats.Msg) { m.Header.Set("CE-SPECVERSION", "1.0") }, false},
		{"extension in two cases", func(m *nats.Msg) { m.Header.Set("ce-CLINICID", "demo-2") }, false},
		{"content type as extension", func(m *nats.Msg) { m.Header.Set("ce-datacontenttype", "text/plain") }, false},
		{"too many extensions", func(m *nats.Msg) {
			for _, x := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
				m.Header.Set("ce-x"+x, "1")
			}
		}, false},
		{"relative data schema", func(m *nats.Msg) { m.Header.Set("ce-dataschema", "/s") }, false},
		{"blank subject", func(m *nats.Msg) { m.Header.Set("ce-subject", "%20") }, false},
		{"bad content type", func(m *nats.Msg) { m.Header.Set("content-type", "json;;=") }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := nats.NewMsg("x")
			for k, v := range base.Header {
				m.Header[k] = append([]string(nil), v...)
			}
			m.Data = base.Data
			c.mutate(m)
			e, err := Decode(m)
			if c.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.ok && err == nil {
				t.Fatalf("accepted: %v", e.Context)
			}
			if c.ok && e.ID() != good.ID() {
				t.Errorf("id = %q, want %q", e.ID(), good.ID())
			}
		})
	}
}

// FuzzDecode feeds arbitrary header values and data to Decode: it must
// not panic, and whatever it accepts must encode and decode again to the
// same attributes.
func FuzzDecode(f *testing.F) {
	good, _ := NewEvent(TypeAnswerChunk, "/test", "demo", AnswerChunk{Text: "hi"})
	base, _ := Encode("x", &good)
	f.Add("ce-id", base.Header.Get("ce-id"), "ce-subject", "zo%C3%AB", []byte(base.Data))
	f.Add("ce-time", "2026-12-03T10:00:00Z", "ce-dataschema", "https://x.example/s", []byte("{}"))
	f.Add("Ce-Source", "%zz", "CE-X", "", []byte(nil))
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string, data []byte) {
		m := nats.NewMsg("x")
		for k, v := range base.Header {
			m.Header[k] = append([]string(nil), v...)
		}
		m.Header[k1] = []string{v1}
		m.Header[k2] = append(m.Header[k2], v2)
		m.Data = data
		e, err := Decode(m)
		if err != nil {
			return
		}
		again, err := Encode("x", &e)
		if err != nil {
			t.Fatalf("accepted event does not encode: %v", err)
		}
		back, err := Decode(again)
		if err != nil {
			t.Fatalf("re-encoded event refused: %v", err)
		}
		if back.ID() != e.ID() || back.Source() != e.Source() || back.Type() != e.Type() ||
			back.Subject() != e.Subject() || !back.Time().Equal(e.Time()) ||
			back.DataContentType() != e.DataContentType() {
			t.Fatalf("round trip changed the context: %v vs %v", back.Context, e.Context)
		}
	})
}

// TestEventDataIsNotEscapedForHTML checks that event data keeps <, > and
// & as they are, so the largest message the edge accepts stays within
// MaxEventBytes however it is written.
func TestEventDataIsNotEscapedForHTML(t *testing.T) {
	text := strings.Repeat("<&>", MaxMessageChars/3)
	e, err := NewEvent(TypeMessageReceived, "/test", "demo",
		MessageReceived{Message: Chat(text)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.Data()); n > len(text)+32 {
		t.Errorf("data of a %d-byte message is %d bytes", len(text), n)
	}
	var back MessageReceived
	if err := DecodeData(&e, TypeMessageReceived, &back); err != nil || string(back.Message) != text {
		t.Errorf("round trip: %v", err)
	}
}

func TestSecuritySubject(t *testing.T) {
	if got := SecuritySubject("demo-2", SecPIIRemoved); got != "iglowly.demo-2.security.pii_removed" {
		t.Errorf("subject = %q", got)
	}
	for _, bad := range []func(){
		func() { SecuritySubject("demo.x", SecAuthFailed) },
		func() { SecuritySubject("demo", "chat") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("a bad clinic or kind was accepted")
				}
			}()
			bad()
		}()
	}
}
