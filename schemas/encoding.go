package schemas

import (
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

const hexDigits = "0123456789ABCDEF"

// percentEncode escapes a header value as the CloudEvents bindings ask:
// every byte outside printable ASCII, and '"' and '%', becomes %XX, so
// UTF-8 and control characters survive header transport.
func percentEncode(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if needsEscape(s[i]) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !needsEscape(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func needsEscape(c byte) bool {
	return c <= ' ' || c >= 0x7f || c == '"' || c == '%'
}

var errBadEscape = errors.New("invalid percent-encoding")

// percentDecode reverses percentEncode. Malformed escapes are an error.
func percentDecode(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", errBadEscape
		}
		hi, lo := unhex(s[i+1]), unhex(s[i+2])
		if hi < 0 || lo < 0 {
			return "", errBadEscape
		}
		b.WriteByte(byte(hi<<4 | lo))
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// ErrUnknownField is the error of DecodeStrict for a member name the
// target type does not have.
var ErrUnknownField = errors.New("unknown field")

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// member names, names that differ from the field's only in case,
// duplicate names, invalid UTF-8 and trailing data.
func decodeStrict(raw []byte, v any) error {
	return json.Unmarshal(raw, v, json.RejectUnknownMembers(true))
}

// DecodeStrict decodes exactly one JSON value from raw into v, refusing
// unknown fields and trailing data. Its errors never quote the input.
func DecodeStrict(raw []byte, v any) error {
	if err := decodeStrict(raw, v); err != nil {
		return sanitizeJSONError(err)
	}
	return nil
}

// sanitizeJSONError turns a decoding error into one that names at most a
// field's path, never a value from the input.
func sanitizeJSONError(err error) error {
	var sem *json.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.Is(err, json.ErrUnknownName):
		return ErrUnknownField
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("truncated JSON")
	case errors.As(err, &syn):
		return errors.New("malformed JSON")
	case errors.As(err, &sem) && sem.JSONPointer != "":
		return errors.New("field " + safePointer(sem.JSONPointer) + " has the wrong type")
	case errors.As(err, &sem):
		return errors.New("the JSON value has the wrong type")
	}
	return errors.New("invalid JSON")
}

// safePointer writes a JSON pointer with every segment that could come
// from the input, a map key, replaced by "*": only array indices and
// segments that read as a field name of ours (lower-case letters and
// underscores) are kept.
func safePointer(p jsontext.Pointer) string {
	var b strings.Builder
	for seg := range p.Tokens() {
		b.WriteByte('/')
		if fieldLike(seg) {
			b.WriteString(seg)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// fieldNames are the JSON member names of the events' data types, which
// decoding errors may name. It is filled once, before any decoding.
var fieldNames = func() map[string]bool {
	names := map[string]bool{}
	for _, v := range []any{MessageReceived{}, MessageSanitised{}, AnswerChunk{},
		AnswerCompleted{}, AnswerFailed{}} {
		collectFields(reflect.TypeOf(v), names)
	}
	return names
}()

func collectFields(t reflect.Type, names map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice ||
		t.Kind() == reflect.Map || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names[name] = true
		}
		collectFields(f.Type, names)
	}
}

func fieldLike(seg string) bool {
	if seg == "" {
		return false
	}
	digits := strings.IndexFunc(seg, func(r rune) bool { return r < '0' || r > '9' }) < 0
	return digits || fieldNames[seg]
}
