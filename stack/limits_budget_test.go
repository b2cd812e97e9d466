package stack_test

import (
	"testing"
	"time"

	"github.com/iglowly/assistant/config"
)

// TestDailyBudgetAcrossEdges gives the demo clinic a budget of five chats
// a day and spends it over two edges and two sessions: exactly five are
// served, the rest get 429 daily_budget_exhausted with Retry-After the
// time to the clinic's midnight, and the other clinic is served all
// along.
func TestDailyBudgetAcrossEdges(t *testing.T) {
	ts := start(t)
	edges := []string{ts.URL(), secondEdge(t, ts).URL}
	changeClinic(t, ts, edges, "demo", "(budget 5)", func(c *config.Clinic) {
		c.DailyChatBudget = 5
	})
	origin, origin2 := ts.origin("demo"), ts.origin("demo-2")
	c := clientFrom("127.0.0.1", nil)
	tokens := []string{sessionFrom(t, c, edges[0], "demo", origin),
		sessionFrom(t, c, edges[1], "demo", origin)}
	other := sessionFrom(t, c, edges[1], "demo-2", origin2)
	served := 0
	for i := range 10 {
		r := chatFrom(t, c, edges[i%2], tokens[i/2%2], origin, "hi")
		switch {
		case r.status == 200:
			served++
		case r.status == 429 && r.errorCode() == "daily_budget_exhausted":
			checkMidnight(t, ts.clinic("demo"), retryAfter(t, r))
		default:
			t.Fatalf("chat %d: %d %s", i, r.status, r.raw)
		}
		if r := chatFrom(t, c, edges[i%2], other, origin2, "hi"); r.status != 200 {
			t.Fatalf("the other clinic, chat %d: %d %s", i, r.status, r.raw)
		}
	}
	if served != 5 {
		t.Errorf("%d chats served, want the budget of 5", served)
	}
}

// checkMidnight checks that a wait in seconds ends at the clinic's next
// local midnight, give or take the second it was rounded up to and the
// time the request took.
func checkMidnight(t *testing.T, c *config.Clinic, wait int) {
	t.Helper()
	now := time.Now().In(c.Location())
	y, m, d := now.Date()
	want := time.Date(y, m, d+1, 0, 0, 0, 0, now.Location()).Sub(now)
	got := time.Duration(wait) * time.Second
	if got < want-2*time.Second || got > want+time.Second {
		t.Errorf("Retry-After %v, want the %v to midnight in %s", got,
			want.Round(time.Second), now.Location())
	}
}
