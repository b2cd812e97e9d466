package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

type fixture struct {
	Name  string          `json:"name"`
	Type  string          `json:"type"`
	Valid bool            `json:"valid"`
	Data  json.RawMessage `json:"data"`
}

func newData(typ string) Validator {
	switch typ {
	case TypeMessageReceived:
		return &MessageReceived{}
	case TypeMessageSanitised:
		return &MessageSanitised{}
	case TypeAnswerChunk:
		return &AnswerChunk{}
	case TypeAnswerCompleted:
		return &AnswerCompleted{}
	case TypeAnswerFailed:
		return &AnswerFailed{}
	case TypeSecurityEvent:
		return &SecurityEvent{}
	}
	return nil
}

// TestSchemasAgreeWithGo checks every fixture against both the Go
// validation and the published JSON Schema: they must give the verdict
// the fixture expects.
func TestSchemasAgreeWithGo(t *testing.T) {
	raw, err := os.ReadFile("testdata/events.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []fixture
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	cases = append(cases, limitFixtures(t)...)
	compiler := jsonschema.NewCompiler()
	for _, c := range cases {
		t.Run(c.Type+"/"+c.Name, func(t *testing.T) {
			src, ok := JSONSchema(c.Type)
			if !ok {
				t.Fatalf("no schema for %s", c.Type)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			url := "mem://" + c.Type
			_ = compiler.AddResource(url, doc)
			sch, err := compiler.Compile(url)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(c.Data))
			if err != nil {
				t.Fatal(err)
			}
			schemaOK := sch.Validate(inst) == nil
			v := newData(c.Type)
			goOK := DecodeStrict(c.Data, v) == nil && v.Validate() == nil
			if schemaOK != c.Valid || goOK != c.Valid {
				t.Errorf("want valid=%v, schema says %v, Go says %v", c.Valid, schemaOK, goOK)
			}
		})
	}
}

func TestCodecRoundTrip(t *testing.T) {
	data := MessageReceived{Message: "Hoeveel kost botox? \"€\" 100%", Lang: "nl"}
	e, err := NewEvent(TypeMessageReceived, "/test", "demo", data)
	if err != nil {
		t.Fatal(err)
	}
	e.SetSubject("zoë \"quoted\"\t100%")
	msg, err := Encode(ChatSubject("demo", StageSanitise), &e)
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("ce-subject"); got != "zo%C3%AB%20%22quoted%22%09100%25" {
		t.Errorf("ce-subject header = %q, want percent-encoded", got)
	}
	back, err := Decode(msg)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID() != e.ID() || back.Type() != e.Type() || back.Subject() != e.Subject() ||
		!back.Time().Equal(e.Time()) || back.Source() != e.Source() {
		t.Errorf("round trip changed attributes: %v vs %v", back.Context, e.Context)
	}
	clinic, err := Clinic(&back)
	if err != nil || clinic != "demo" {
		t.Errorf("clinic = %q, %v", clinic, err)
	}
	var got MessageReceived
	if err := DecodeData(&back, TypeMessageReceived, &got); err != nil {
		t.Fatal(err)
	}
	if got.Message != data.Message || got.Lang != "nl" {
		t.Errorf("data changed in round trip")
	}
	if err := DecodeData(&back, TypeAnswerChunk, &AnswerChunk{}); err != ErrWrongType {
		t.Errorf("wrong type accepted: %v", err)
	}
}

func TestDecodeRefusesForgeries(t *testing.T) {
	good, _ := NewEvent(TypeAnswerChunk, "/test", "demo", AnswerChunk{Text: "hi"})
	base, _ := Encode("x", &good)
	cases := []struct {
		name   string
		mutate func(m *nats.Msg)
	}{
		{"no specversion", func(m *nats.Msg) { m.Header.Del("ce-specversion") }},
		{"old specversion", func(m *nats.Msg) { m.Header.Set("ce-specversion", "0.3") }},
		{"no id", func(m *nats.Msg) { m.Header.Del("ce-id") }},
		{"no source", func(m *nats.Msg) { m.Header.Del("ce-source") }},
		{"bad escape", func(m *nats.Msg) { m.Header.Set("ce-id", "a%zz") }},
		{"bad time", func(m *nats.Msg) { m.Header.Set("ce-time", "yesterday") }},
		{"bad extension", func(m *nats.Msg) { m.Header.Set("ce-Clinic_ID", "x") }},
		{"repeated header", func(m *nats.Msg) { m.Header.Add("ce-type", "other") }},
		{"huge data", func(m *nats.Msg) { m.Data = bytes.Repeat([]byte("a"), MaxEventBytes+1) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := nats.NewMsg("x")
			for k, v := range base.Header {
				m.Header[k] = append([]string(nil), v...)
			}
			m.Data = base.Data
			c.mutate(m)
			if _, err := Decode(m); err == nil {
				t.Error("forged event accepted")
			}
		})
	}
}

func TestClinicSubjects(t *testing.T) {
	if got := ChatSubject("demo-2", StageInfer); got != "iglowly.demo-2.chat.infer" {
		t.Errorf("subject = %q", got)
	}
	for _, bad := range []string{"a.b", "*", ">", "UP", "ab", strings.Repeat("a", 41)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("ChatSubject(%q) did not refuse", bad)
				}
			}()
			ChatSubject(bad, StageInfer)
		}()
	}
	if c, ok := ClinicFromSubject("iglowly.demo.chat.infer"); !ok || c != "demo" {
		t.Errorf("ClinicFromSubject = %q %v", c, ok)
	}
	if _, ok := ClinicFromSubject("_INBOX.edge.x"); ok {
		t.Error("inbox read as clinic subject")
	}
}

func TestValidReplyInbox(t *testing.T) {
	cases := map[string]bool{
		"_INBOX.edge.Ab12_cd-EF.1z":               true,
		"_INBOX.edge.x":                           true,
		"_INBOX.edge.":                            false,
		"_INBOX.edge":                             false,
		"_INBOX.sanitiser.x":                      false,
		"iglowly.demo.chat.infer":                 false,
		"_INBOX.edge.*":                           false,
		"_INBOX.edge.>":                           false,
		"_INBOX.edge.a..b":                        false,
		"_INBOX.edge.a b":                         false,
		"_INBOX.edge.a.":                          false,
		"_INBOX.edge." + strings.Repeat("a", 120): false,
	}
	for inbox, want := range cases {
		if got := ValidReplyInbox(inbox); got != want {
			t.Errorf("ValidReplyInbox(%q) = %v, want %v", inbox, got, want)
		}
	}
}

func TestTraceparent(t *testing.T) {
	p := NewTrace()
	c := ChildTrace(p)
	if TraceID(p) == "" || TraceID(c) != TraceID(p) || c == p {
		t.Errorf("child %q of %q", c, p)
	}
	if TraceID("00-zz") != "" || ChildTrace("junk") == "junk" {
		t.Error("invalid traceparent accepted")
	}
	// A sampled trace from outside is continued, but not as sampled.
	outside := "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	c = ChildTrace(outside)
	if TraceID(c) != TraceID(outside) || !strings.HasSuffix(c, "-00") || !strings.HasSuffix(p, "-00") {
		t.Errorf("child %q of %q, fresh %q: want the same trace, not sampled", c, outside, p)
	}
}

func TestChatNeverPrints(t *testing.T) {
	var b strings.Builder
	b.WriteString(Chat("secret").String())
	if strings.Contains(b.String(), "secret") || Chat("x").LogValue().String() != "REDACTED" {
		t.Error("chat text printed")
	}
}

func TestDecodeStrict(t *testing.T) {
	tests := map[string]struct {
		in      string
		wantErr string // "" for success
	}{
		"valid":             {`{"message":"hi","lang":"nl"}`, ""},
		"unknown field":     {`{"message":"hi","x":1}`, "unknown field"},
		"field in caps":     {`{"Message":"hi"}`, "unknown field"},
		"duplicate name":    {`{"message":"hi","message":"jan@example.com"}`, "malformed JSON"},
		"trailing data":     {`{"message":"hi"} {}`, "malformed JSON"},
		"truncated":         {`{"message":"hi"`, "truncated JSON"},
		"invalid UTF-8":     {"{\"message\":\"h\xffi\"}", "malformed JSON"},
		"wrong type":        {`{"message":"hi","history":{"secret":"x"}}`, "field /history has the wrong type"},
		"not an object":     {`"jan@example.com"`, "the JSON value has the wrong type"},
		"empty":             {``, "truncated JSON"},
		"nested unknown":    {`{"message":"hi","history":[{"role":"user","text":"a","b":1}]}`, "unknown field"},
		"wrong nested type": {`{"message":"hi","history":[{"role":5,"text":"a"}]}`, "field /history/0/role has the wrong type"},
		"map key":           {`{"message":"hi","findings":{"secret":"x"}}`, "field /findings/* has the wrong type"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var m MessageSanitised
			err := DecodeStrict([]byte(tt.in), &m)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("DecodeStrict: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("DecodeStrict accepted %q: %+v", tt.in, m)
			case tt.wantErr != "" && err.Error() != tt.wantErr:
				t.Errorf("error %q, want %q", err, tt.wantErr)
			}
			if err != nil && (strings.Contains(err.Error(), "jan") || strings.Contains(err.Error(), "secret")) {
				t.Errorf("error %q quotes the input", err)
			}
		})
	}
	if !errors.Is(DecodeStrict([]byte(`{"x":1}`), &MessageReceived{}), ErrUnknownField) {
		t.Error("an unknown field is not ErrUnknownField")
	}
	// DecodeData, which every stage uses, gives the same errors.
	e, _ := NewEvent(TypeAnswerChunk, "/test", "demo", map[string]any{"secret": 1})
	if err := DecodeData(&e, TypeAnswerChunk, &AnswerChunk{}); err == nil ||
		strings.Contains(err.Error(), "secret") {
		t.Errorf("DecodeData error %v quotes the data", err)
	}
	if !errors.Is(DecodeStrict([]byte(`{"x":1}`), &MessageReceived{}), ErrUnknownField) {
		t.Error("an unknown field is not ErrUnknownField")
	}
}

// limitFixtures are the texts at each length limit and one character
// past it, built from the Go constants, so the schemas cannot drift from
// them.
func limitFixtures(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	add := func(name, typ string, max int, data func(text string) any) {
		for _, l := range []int{max, max + 1} {
			raw, err := json.Marshal(data(strings.Repeat("é", l)))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fixture{Name: fmt.Sprintf("%s of %d", name, l),
				Type: typ, Valid: l <= max, Data: raw})
		}
	}
	triage := map[string]string{"category": "none"}
	add("received message", TypeMessageReceived, MaxMessageChars, func(s string) any {
		return map[string]any{"message": s}
	})
	add("received turn", TypeMessageReceived, MaxTurnChars, func(s string) any {
		return map[string]any{"message": "x",
			"history": []map[string]string{{"role": "user", "text": s}}}
	})
	add("sanitised message", TypeMessageSanitised, MaxSanitisedChars, func(s string) any {
		return map[string]any{"message": s, "triage": triage}
	})
	add("sanitised turn", TypeMessageSanitised, MaxSanitisedTurnChars, func(s string) any {
		return map[string]any{"message": "x", "triage": triage,
			"history": []map[string]string{{"role": "assistant", "text": s}}}
	})
	add("redacted message", TypeAnswerCompleted, MaxSanitisedChars, func(s string) any {
		return map[string]any{"chunks": 0, "sources": []any{}, "notices": []any{},
			"redacted_message": s, "lang": "en"}
	})
	add("chunk", TypeAnswerChunk, MaxChunkChars, func(s string) any {
		return map[string]any{"seq": 0, "text": s}
	})
	return out
}
