package stack_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// brokenModels is a model that fails every question, as a hosted model
// that is down does.
type brokenModels struct{}

func (brokenModels) Model(*config.Clinic, string) (llms.Model, error) { return brokenModel{}, nil }

type brokenModel struct{}

func (brokenModel) GenerateContent(context.Context, []llms.MessageContent,
	...llms.CallOption) (*llms.ContentResponse, error) {
	return nil, errors.New("model is down")
}

func (brokenModel) Call(context.Context, string, ...llms.CallOption) (string, error) {
	return "", errors.New("model is down")
}

// TestRequestIDOnEveryLine sends chats that make every stage log: one
// the model fails, one the sanitiser answers at once with personal data
// removed. Each log line of the edge and the workers about a chat names
// the request id the visitor was shown, and the sanitiser's security
// event of the removed values names it too, so an operator can follow a
// visitor's error from the edge to the stage that failed.
func TestRequestIDOnEveryLine(t *testing.T) {
	ts := startWith(t, brokenModels{})
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	failed := ts.chat(t, token, origin, `{"message":"Wat kost botox?"}`)
	if failed.status/100 != 5 {
		t.Fatalf("a failing model: %d %s", failed.status, failed.raw)
	}
	failedID := failed.header.Get("X-Request-Id")
	if e, _ := failed.body["error"].(map[string]any); e["request_id"] != failedID || failedID == "" {
		t.Fatalf("error %s does not name the request id %q", failed.raw, failedID)
	}
	urgent := ts.chat(t, token, origin,
		`{"message":"Ik ben Jan Peeters, ik heb hevige pijn en mijn lip bloedt na de filler"}`)
	if urgent.status != 200 {
		t.Fatalf("emergency: %d %s", urgent.status, urgent.raw)
	}
	urgentID := urgent.header.Get("X-Request-Id")

	// Every stage has logged about the chats once the failure is back;
	// the sanitiser's security event follows its log line.
	seen := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(ts.logs.String()), "\n") {
		var l struct {
			Msg       string `json:"msg"`
			Component string `json:"component"`
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch l.Msg {
		case "starting", "ready", "stopping", "metrics_ready", "security_report_failed":
			continue
		}
		if l.RequestID != failedID && l.RequestID != urgentID && l.Msg != "http_request" {
			t.Errorf("line without the chat's request id: %s", line)
		}
		seen[l.Component+" "+l.Msg] = l.RequestID
	}
	for line, id := range map[string]string{
		"inference answer_failed":  failedID,
		"inference request_failed": failedID,
		"edge answer_failed":       failedID,
		"sanitiser triaged":        urgentID,
	} {
		if seen[line] != id {
			t.Errorf("%s: request id %q, want %q (lines %v)", line, seen[line], id, seen)
		}
	}
	js := adminJS(t, ts)
	deadline := time.Now().Add(5 * time.Second)
	for {
		evs, err := embedded.ReadSecurityEvents(context.Background(), js, "demo",
			time.Now().Add(-time.Minute), 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == schemas.SecPIIRemoved {
				if e.RequestID != urgentID {
					t.Errorf("pii_removed names request %q, want %q", e.RequestID,
						urgentID)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pii_removed event among %+v", evs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
