package schemas

import (
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
)

func benchEvent(b *testing.B) *event.Event {
	b.Helper()
	e, err := NewEvent(TypeAnswerChunk, "/iglowly/response", "demo",
		AnswerChunk{Seq: 0, Text: "Botox kost vanaf 250 euro per zone."})
	if err != nil {
		b.Fatal(err)
	}
	return &e
}

// BenchmarkEncode is one event built and encoded as Publish does, into
// a pooled message, without the connection's part.
func BenchmarkEncode(b *testing.B) {
	b.ReportAllocs()
	trace := NewTrace()
	for b.Loop() {
		e, _ := NewEvent(TypeAnswerChunk, "/iglowly/response", "demo",
			AnswerChunk{Seq: 0, Text: "Botox kost vanaf 250 euro per zone."})
		m := outgoingPool.Get().(*outgoing)
		if err := m.encode("iglowly.demo.chat.respond", &e); err != nil {
			b.Fatal(err)
		}
		m.setRaw(HeaderTraceparent, trace)
		m.release()
	}
}

// BenchmarkDecode is one message read back, checked and its data decoded.
func BenchmarkDecode(b *testing.B) {
	msg, err := Encode("iglowly.demo.chat.respond", benchEvent(b))
	if err != nil {
		b.Fatal(err)
	}
	msg.Header.Set(HeaderTraceparent, NewTrace())
	b.ReportAllocs()
	for b.Loop() {
		e, err := Decode(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Clinic(&e); err != nil {
			b.Fatal(err)
		}
		var c AnswerChunk
		if err := DecodeData(&e, TypeAnswerChunk, &c); err != nil {
			b.Fatal(err)
		}
	}
}
