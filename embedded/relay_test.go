package embedded

import (
	"strings"
	"testing"
)

// TestParseAdvisory checks that only a client_disconnect advisory is
// read, and only its claimed user.
func TestParseAdvisory(t *testing.T) {
	valid := `{"type":"io.nats.server.advisory.v1.client_disconnect",` +
		`"client":{"host":"203.0.113.9","user":"edge","name":"x"},` +
		`"reason":"Authentication Failure"}`
	for _, c := range []struct {
		name, data, user string
		ok               bool
	}{
		{"advisory", valid, "edge", true},
		{"no user", `{"type":"io.nats.server.advisory.v1.client_disconnect"}`, "", true},
		{"other type", `{"type":"io.nats.server.advisory.v1.client_connect",` +
			`"client":{"user":"edge"}}`, "", false},
		{"not json", `edge`, "", false},
		{"user of another type", `{"type":"io.nats.server.advisory.v1.client_disconnect",` +
			`"client":{"user":7}}`, "", false},
		{"oversize", valid[:len(valid)-1] + `,"pad":"` +
			strings.Repeat("a", maxAdvisory) + `"}`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			user, err := parseAdvisory([]byte(c.data))
			if (err == nil) != c.ok || user != c.user {
				t.Errorf("user %q, error %v; want %q, ok %v", user, err, c.user, c.ok)
			}
		})
	}
}

// TestRelayKeepsOnlyComponentUsers checks the names the relay keeps:
// every replica of a component, and nothing else.
func TestRelayKeepsOnlyComponentUsers(t *testing.T) {
	names := componentUserNames()
	for name, want := range map[string]bool{
		"edge": true, "edge-2": true, "admin": true, "response-99": true,
		"edge-100": false, "edge-02": false, "mallory": false, "": false,
		violationsUser: false, RelayUser: false, "203.0.113.9": false,
	} {
		if got := loginViolation(name, names).user == name; got != want {
			t.Errorf("%q kept %v, want %v", name, got, want)
		}
	}
}
