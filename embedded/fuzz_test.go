package embedded

import (
	"slices"
	"testing"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// FuzzParseViolation feeds log lines to the parser of permission
// violations, which reads what clients control (the subject, the
// connection's name): it never panics, and what it files holds only a
// known user or "unknown", a valid clinic id or none, and one of the
// markers' codes, never a piece of the line.
func FuzzParseViolation(f *testing.F) {
	for _, seed := range []string{
		`[ERR] 127.0.0.1:4 - cid:7 - "$G/user:edge" - Publish Violation - Subject ` +
			`"iglowly.demo.chat.infer"`,
		`cid:2 - "$G/user:edge" - Publish Violation - Reply "_INBOX.x"`,
		`cid:3 - "app/user:inference-2" - Subscription Violation - Subject ` +
			`"iglowly.demo.chat.sanitise"`,
		`cid:3 - "x" - Subscription Violation Too Many Tokens - Subject "a.b"`,
		`name " - Publish Violation - Subject "iglowly.evil.x" - "$G/user:admin" - ` +
			`Publish Violation - Subject "iglowly.demo.x"`,
		`- Publish Violation - Subject "unterminated`,
	} {
		f.Add(seed)
	}
	users := componentUserNames()
	var codes []string
	for _, m := range violationMarkers {
		codes = append(codes, m.code)
	}
	f.Fuzz(func(t *testing.T, line string) {
		x, ok := parseViolation(line, nil, users)
		if !ok {
			return
		}
		if !users[x.user] && x.user != "unknown" && x.user != violationsUser {
			t.Fatalf("user %q filed from %q", x.user, line)
		}
		if x.clinic != "" && !config.ValidClinicID(x.clinic) {
			t.Fatalf("clinic %q filed from %q", x.clinic, line)
		}
		if !slices.Contains(codes, x.code) || x.kind != schemas.SecPermissionViolation {
			t.Fatalf("code %q kind %q filed from %q", x.code, x.kind, line)
		}
	})
}

// FuzzParseAdvisory feeds the relay's advisory decoder what a server's
// system account could carry: it never panics, and a refused login is
// filed with a known user or "unknown", whatever the advisory claims.
func FuzzParseAdvisory(f *testing.F) {
	f.Add([]byte(`{"type":"io.nats.server.advisory.v1.client_disconnect",` +
		`"client":{"user":"edge-1"},"reason":"Authentication Failure"}`))
	f.Add([]byte(`{"type":"io.nats.server.advisory.v1.client_disconnect",` +
		`"client":{"user":"jan@example.be"}}`))
	f.Add([]byte(`{"type":1}`))
	f.Add([]byte(`[`))
	users := componentUserNames()
	f.Fuzz(func(t *testing.T, data []byte) {
		name, err := parseAdvisory(data)
		if err != nil {
			return
		}
		x := loginViolation(name, users)
		if !users[x.user] && x.user != "unknown" {
			t.Fatalf("user %q filed from %q", x.user, data)
		}
		if x.clinic != config.SystemClinic || x.kind != schemas.SecAuthFailed {
			t.Fatalf("login filed as %+v", x)
		}
	})
}
