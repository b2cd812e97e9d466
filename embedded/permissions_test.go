package embedded

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/schemas"
)

// TestSubscribeDenials checks, against a real server, that no component
// can listen on a stage that is not its own or on another's inbox.
func TestSubscribeDenials(t *testing.T) {
	s, err := Start(Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	cases := []struct {
		who     string
		subject string
		allowed bool
	}{
		{Edge, "iglowly.demo.chat.sanitise", false},
		{Edge, "iglowly.demo.chat.infer", false},
		{Edge, "iglowly.demo.chat.respond", false},
		{Edge, "_INBOX.sanitiser.x", false},
		{Edge, "_INBOX.edge.x", true},
		{Sanitiser, "iglowly.demo.chat.sanitise", true},
		{Sanitiser, "iglowly.demo.chat.infer", false},
		{Sanitiser, "iglowly.demo.chat.respond", false},
		{Sanitiser, ">", false},
		{Inference, "iglowly.demo.chat.infer", true},
		{Inference, "iglowly.demo.chat.sanitise", false},
		{Inference, "_INBOX.edge.>", false},
		{Response, "iglowly.demo.chat.respond", true},
		{Response, "iglowly.*.chat.infer", false},
		{Response, "iglowly.demo.chat.sanitise", false},
		{Edge, "iglowly.demo.security.auth_failed", false},
		{Sanitiser, "iglowly.*.security.>", false},
		{Inference, "iglowly.demo.security.>", false},
		{Response, "iglowly.>", false},
		{Admin, "iglowly.demo.chat.sanitise", false},
		{Admin, "iglowly.>", false},
	}
	for _, c := range cases {
		t.Run(c.who+" "+c.subject, func(t *testing.T) {
			nc, err := s.Connect(c.who, nats.PermissionErrOnSubscribe(true))
			if err != nil {
				t.Fatal(err)
			}
			defer nc.Close()
			sub, err := nc.SubscribeSync(c.subject)
			if err != nil {
				t.Fatal(err)
			}
			_ = nc.Flush()
			_, err = sub.NextMsg(200 * time.Millisecond)
			denied := errors.Is(err, nats.ErrPermissionViolation)
			if denied == c.allowed {
				t.Errorf("allowed=%v but NextMsg returned %v", c.allowed, err)
			}
		})
	}
}

// TestPublishDenials checks the publish rules that keep the pipeline in
// order: only the sanitiser reaches inference, only inference reaches
// the response worker, only the edge reaches the sanitiser.
func TestPublishDenials(t *testing.T) {
	s, err := Start(Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	stages := map[string]string{
		"sanitise": Edge, "infer": Sanitiser, "respond": Inference,
	}
	for _, who := range []string{Edge, Sanitiser, Inference, Response, Admin} {
		for stage, owner := range stages {
			subject := "iglowly.demo.chat." + stage
			t.Run(who+" "+subject, func(t *testing.T) {
				denied := publishDenied(t, s, who, subject)
				if denied != (who != owner) {
					t.Errorf("denied=%v, want %v", denied, who != owner)
				}
			})
		}
	}
}

// TestEdgePingsTheStagesOnly checks that the edge may ask whether each
// stage's service has a worker and nothing else of service discovery:
// not their info or stats, not a ping of every service.
func TestEdgePingsTheStagesOnly(t *testing.T) {
	s, err := Start(Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	for subject, allowed := range map[string]bool{
		"$SRV.PING." + schemas.ServiceSanitiser:          true,
		"$SRV.PING." + schemas.ServiceInference:          true,
		"$SRV.PING." + schemas.ServiceResponse:           true,
		"$SRV.PING":                                      false,
		"$SRV.PING.iglowly-other":                        false,
		"$SRV.PING." + schemas.ServiceInference + ".id1": false,
		"$SRV.INFO." + schemas.ServiceInference:          false,
		"$SRV.STATS." + schemas.ServiceInference:         false,
	} {
		if denied := publishDenied(t, s, Edge, subject); denied == allowed {
			t.Errorf("%s: denied=%v, want allowed=%v", subject, denied, allowed)
		}
	}
}

// TestOnlySanitiserCounts checks that the sanitiser alone may add to a
// clinic's anonymous counts, so no other component, and nothing a
// visitor sends to the edge, can make them up.
func TestOnlySanitiserCounts(t *testing.T) {
	s, err := Start(Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	subject := schemas.AnalyticsSubject("demo", time.Now(), schemas.Triage{Category: "none"}, "en")
	for _, who := range Components {
		t.Run(who, func(t *testing.T) {
			if denied := publishDenied(t, s, who, subject); denied != (who != Sanitiser) {
				t.Errorf("denied=%v, want %v", denied, who != Sanitiser)
			}
		})
	}
}

// TestNoComponentForgesSystemEvents checks that every component may
// report a security event of a clinic and none may file one of the
// system pseudo-clinic, which only the server's violations user writes.
func TestNoComponentForgesSystemEvents(t *testing.T) {
	s, err := Start(Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	for _, who := range []string{Edge, Sanitiser, Inference, Response} {
		if publishDenied(t, s, who, "iglowly.demo.security.auth_failed") {
			t.Errorf("%s may not report a clinic's security event", who)
		}
		if !publishDenied(t, s, who, "iglowly.system.security.auth_failed") {
			t.Errorf("%s may forge a system security event", who)
		}
	}
}

// TestNoStagePublishesOnInboxes checks that no component may publish on
// an edge inbox of its own accord: answers reach the edge only as replies
// to the messages that carried the inbox as their reply subject.
func TestNoStagePublishesOnInboxes(t *testing.T) {
	s, err := Start(Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	for _, who := range Components {
		t.Run(who, func(t *testing.T) {
			if !publishDenied(t, s, who, InboxPrefix(Edge)+".abc.1") {
				t.Errorf("%s may publish on an edge inbox", who)
			}
		})
	}
}

func publishDenied(t *testing.T, s *Server, who, subject string) bool {
	t.Helper()
	errs := make(chan error, 1)
	nc, err := s.Connect(who, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		select {
		case errs <- err:
		default:
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish(subject, []byte("x")); err != nil {
		t.Fatal(err)
	}
	_ = nc.Flush()
	select {
	case err := <-errs:
		return strings.Contains(strings.ToLower(err.Error()), "permissions violation")
	case <-time.After(300 * time.Millisecond):
		return false
	}
}

func TestUnknownComponent(t *testing.T) {
	p := Permissions("intruder")
	if len(p.Publish.Allow) != 0 || p.Publish.Deny[0] != ">" || p.Subscribe.Deny[0] != ">" {
		t.Errorf("unknown component gets %+v", p)
	}
	if err := func() error { _, err := Start(Options{}); return err }(); err == nil {
		t.Error("empty store dir accepted")
	}
}
