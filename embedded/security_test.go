package embedded_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// TestSecurityEvents publishes events as the components do, and reads
// them back per clinic as the admin tools do: each clinic sees its own,
// forged or malformed ones are skipped, and the stream keeps them within
// its limits.
func TestSecurityEvents(t *testing.T) {
	s, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	ctx := context.Background()
	admin, err := s.Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := embedded.Provision(ctx, admin, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	edge, err := s.Connect(embedded.Edge)
	if err != nil {
		t.Fatal(err)
	}
	defer edge.Close()
	start := time.Now().Add(-time.Second)
	publish := func(clinic string, ev schemas.SecurityEvent) {
		e, err := schemas.NewEvent(schemas.TypeSecurityEvent, "/test", clinic, ev)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas.Publish(edge, schemas.SecuritySubject(clinic, ev.Kind), "",
			&e); err != nil {
			t.Fatal(err)
		}
	}
	publish("demo", schemas.SecurityEvent{Kind: schemas.SecAuthFailed, Component: "edge",
		Code: "invalid_token"})
	publish("demo-2", schemas.SecurityEvent{Kind: schemas.SecRateLimited, Component: "edge"})
	publish("demo", schemas.SecurityEvent{Kind: schemas.SecPIIRemoved, Component: "edge",
		Counts: map[string]int{"EMAIL": 2}})
	// A forged one: demo's subject, demo-2's event.
	e, _ := schemas.NewEvent(schemas.TypeSecurityEvent, "/test", "demo-2",
		schemas.SecurityEvent{Kind: schemas.SecAuthFailed, Component: "edge"})
	_ = schemas.Publish(edge, schemas.SecuritySubject("demo", schemas.SecAuthFailed), "", &e)
	// Not an event at all.
	_ = edge.Publish("iglowly.demo.security.auth_failed", []byte("jan@example.be"))
	_ = edge.Flush()

	js, _ := jetstream.New(admin)
	var got []embedded.StoredSecurityEvent
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < 2 && time.Now().Before(deadline) {
		got, err = embedded.ReadSecurityEvents(ctx, js, "demo", start, 100)
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0].Kind != schemas.SecAuthFailed || got[0].Code != "invalid_token" ||
		got[1].Counts["EMAIL"] != 2 || got[0].Clinic != "demo" || got[0].Time.Before(start) {
		t.Fatalf("demo's events: %+v", got)
	}
	info, err := js.Stream(ctx, embedded.StreamSecurity)
	if err != nil {
		t.Fatal(err)
	}
	cfg := info.CachedInfo().Config
	if cfg.MaxAge != embedded.DefaultSecurityRetention || cfg.Storage != jetstream.FileStorage {
		t.Errorf("stream limits: max age %v, storage %v", cfg.MaxAge, cfg.Storage)
	}
	if _, err := embedded.ReadSecurityEvents(ctx, js, "demo.>", start, 10); err == nil {
		t.Error("a clinic id with subject tokens was accepted")
	}
}
