package edge

import (
	"net/http/httptest"
	"testing"
)

// TestAcceptsEventStream checks the choice between JSON and events: an
// answer streams only when the client names text/event-stream with a
// quality above zero that JSON does not beat.
func TestAcceptsEventStream(t *testing.T) {
	cases := []struct {
		accept []string
		want   bool
	}{
		{nil, false},
		{[]string{"*/*"}, false},
		{[]string{"text/*"}, false},
		{[]string{"application/json"}, false},
		{[]string{"text/event-stream"}, true},
		{[]string{"TEXT/Event-Stream"}, true},
		{[]string{"application/json, text/event-stream"}, true},
		{[]string{"text/event-stream, */*;q=0.1"}, true},
		{[]string{"text/event-stream;q=0"}, false},
		{[]string{"text/event-stream;q=0.000"}, false},
		{[]string{"text/event-stream;q=abc"}, false},
		{[]string{"text/event-stream;q=2"}, false},
		{[]string{"application/json, text/event-stream;q=0.5"}, false},
		{[]string{"text/event-stream;q=0.5, application/json;q=0.4"}, true},
		{[]string{"text/event-stream;q=0.5, application/*;q=0.9"}, false},
		{[]string{"application/json;q=0.1, */*", "text/event-stream;q=0.5"}, true},
		{[]string{"application/json", "text/event-stream"}, true},
		{[]string{"text/event-stream;;;"}, false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/v1/chat", nil)
		for _, v := range c.accept {
			r.Header.Add("Accept", v)
		}
		if got := acceptsEventStream(r); got != c.want {
			t.Errorf("Accept %q: %v, want %v", c.accept, got, c.want)
		}
	}
}
