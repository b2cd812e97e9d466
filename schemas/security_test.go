package schemas

import (
	"testing"

	"github.com/iglowly/assistant/config"
)

// TestSystemSecurityEvent checks that an event of no clinic has a
// subject the SECURITY stream takes, and survives the codec with the
// system pseudo-clinic as its clinic.
func TestSystemSecurityEvent(t *testing.T) {
	subject := SecuritySubject(config.SystemClinic, SecAuthFailed)
	if subject != "iglowly.system.security.auth_failed" {
		t.Errorf("subject %q", subject)
	}
	if c, ok := ClinicFromSubject(subject); !ok || c != config.SystemClinic {
		t.Errorf("clinic of %q: %q, %v", subject, c, ok)
	}
	ev := SecurityEvent{Kind: SecAuthFailed, Component: "unknown",
		Code: "nats_login_failed", Counts: map[string]int{"suppressed": 3}}
	e, err := NewEvent(TypeSecurityEvent, "/embedded/nats",
		config.SystemClinic, ev)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := Encode(subject, &e)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(msg)
	if err != nil {
		t.Fatal(err)
	}
	var got SecurityEvent
	if c, err := Clinic(&back); err != nil || c != config.SystemClinic {
		t.Errorf("clinic %q, %v", c, err)
	}
	if err := DecodeData(&back, TypeSecurityEvent, &got); err != nil ||
		got.Code != ev.Code || got.Counts["suppressed"] != 3 {
		t.Errorf("decoded %+v, %v; want %+v", got, err, ev)
	}
}
