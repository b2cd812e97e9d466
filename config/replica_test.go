package config

import (
	"strings"
	"testing"
)

// TestParseNATSUser checks the names of replicas' users both ways, and
// that nothing else passes for one.
func TestParseNATSUser(t *testing.T) {
	type parsed struct {
		component string
		replica   int
	}
	good := map[string]parsed{
		"edge": {"edge", 0}, "edge-1": {"edge", 1}, "edge-2": {"edge", 2},
		"sanitiser-99": {"sanitiser", 99},
	}
	for user, want := range good {
		c, n, ok := ParseNATSUser(user)
		if !ok || (parsed{c, n}) != want || NATSUser(c, n) != user {
			t.Errorf("ParseNATSUser(%q) = %q %d %v, want %v", user, c, n, ok, want)
		}
	}
	for _, bad := range []string{"", "edge-0", "edge-01", "edge-100", "edge-", "-2",
		"edge-2-3", "edge_2", "Edge", "edge-+2", "edge- 2", "édge", "edge.2", "edge-2x"} {
		if c, n, ok := ParseNATSUser(bad); ok {
			t.Errorf("ParseNATSUser(%q) = %q %d", bad, c, n)
		}
	}
	prefixes := map[string]string{
		InboxPrefix("edge", 0): "_INBOX.edge", InboxPrefix("edge", 2): "_INBOX.edge.2",
	}
	for got, want := range prefixes {
		if got != want {
			t.Errorf("inbox prefix %q, want %q", got, want)
		}
	}
}

// TestNATSUserOfTheComponent checks that each loader takes its own
// component's users, plain or numbered, and names a user of another
// component or of no component among its other problems.
func TestNATSUserOfTheComponent(t *testing.T) {
	edge := func(user string) error {
		_, err := LoadEdge(append(goodEdgeArgs, "--nats-user", user), nil)
		return err
	}
	worker := func(user string) error {
		_, err := LoadWorker("response", []string{"--nats-user", user, "--nats-insecure"}, nil)
		return err
	}
	for _, c := range []struct {
		load func(string) error
		user string
		ok   bool
	}{
		{edge, "edge", true}, {edge, "edge-2", true}, {edge, "edge-99", true},
		{edge, "sanitiser", false}, {edge, "sanitiser-2", false}, {edge, "edge-0", false},
		{edge, "edge2", false}, {edge, "admin", false},
		{worker, "response-3", true}, {worker, "edge-1", false}, {worker, "inference", false},
	} {
		err := c.load(c.user)
		if (err == nil) != c.ok {
			t.Errorf("user %q: %v, want ok=%v", c.user, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), `user "`+c.user+`" is not`) {
			t.Errorf("user %q: the error does not name it: %v", c.user, err)
		}
	}
	_, err := LoadEdge([]string{"--nats-user", "admin", "--answer-timeout", "1ms"}, nil)
	for _, want := range []string{`user "admin"`, "answer timeout", "TLS is required"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q is not named with the other problems: %v", want, err)
		}
	}
}
