package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	cases := []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"5/15s", Rate{5, 15 * time.Second}, true},
		{"30/1m", Rate{30, time.Minute}, true},
		{"1/24h", Rate{1, 24 * time.Hour}, true},
		{"5", Rate{}, false},
		{"five/15s", Rate{}, false},
		{"5/fast", Rate{}, false},
		{"0/1m", Rate{}, false},
		{"-1/1m", Rate{}, false},
		{"2000000/1m", Rate{}, false},
		{"5/500ms", Rate{}, false},
		{"5/25h", Rate{}, false},
	}
	for _, c := range cases {
		got, err := ParseRate(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, ok=%v", c.in, got, err, c.want, c.ok)
		}
		if c.ok && got.String() != (&got).String() {
			t.Errorf("%v does not print as it parses", got)
		}
	}
	if r := (Rate{N: 5, Per: 15 * time.Second}); r.Interval() != 3*time.Second ||
		r.String() != "5/15s" {
		t.Errorf("interval %v, string %q", r.Interval(), r.String())
	}
}

func TestParsePrefixes(t *testing.T) {
	p, err := ParsePrefixes(" 10.0.0.0/8, fd00::/8 ,192.0.2.7,10.1.2.3/8")
	if err != nil || p.String() != "10.0.0.0/8,fd00::/8,192.0.2.7/32,10.0.0.0/8" {
		t.Errorf("%v, %v", p.String(), err)
	}
	if p, err := ParsePrefixes(""); err != nil || len(p) != 0 {
		t.Errorf("empty list: %v, %v", p, err)
	}
	if _, err := ParsePrefixes("10.0.0.0/8,proxy.example"); err == nil ||
		strings.Contains(err.Error(), "proxy.example") {
		t.Errorf("a host name: %v", err)
	}
}

// TestEdgeLimitSettings checks the limit and HTTPS settings of the edge:
// defaults, values from flags and the environment, and every problem
// named at once, by its variable and never its value.
func TestEdgeLimitSettings(t *testing.T) {
	e, err := LoadEdge(goodEdgeArgs, mapEnv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if e.SessionRate != DefaultSessionRate || e.AddressRate != DefaultAddressRate ||
		e.AddressSessionRate != DefaultAddressSessionRate ||
		e.DailyChats != DefaultDailyChats || len(e.TrustedProxies) != 0 ||
		e.TLSCertFile != "" {
		t.Errorf("defaults: %+v", e)
	}
	e, err = LoadEdge(append([]string{"--session-rate", "3/9s", "--trusted-proxies",
		"10.0.0.0/8"}, goodEdgeArgs...), mapEnv(map[string]string{
		"IGLOWLY_ADDRESS_RATE": "60/1m", "IGLOWLY_SESSION_RATE": "1/1s",
		"IGLOWLY_DAILY_CHATS": "500"}))
	if err != nil {
		t.Fatal(err)
	}
	if e.SessionRate != (Rate{3, 9 * time.Second}) || e.AddressRate != (Rate{60, time.Minute}) ||
		e.DailyChats != 500 || e.TrustedProxies.String() != "10.0.0.0/8" {
		t.Errorf("set: %+v", e)
	}
	_, err = LoadEdge(append([]string{"--tls-cert", "/nonexistent/cert.pem",
		"--daily-chats", "0"}, goodEdgeArgs...), mapEnv(map[string]string{
		"IGLOWLY_ADDRESS_SESSION_RATE": secretish, "IGLOWLY_TRUSTED_PROXIES": secretish}))
	for _, want := range []string{"IGLOWLY_ADDRESS_SESSION_RATE", "IGLOWLY_TRUSTED_PROXIES",
		"certificate and key go together", "cert.pem", "daily chats"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %q", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), secretish) {
		t.Errorf("error quotes a value: %v", err)
	}
}

func TestEdgeTLSFiles(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	for _, f := range []string{cert, key} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	e, err := LoadEdge(append([]string{"--tls-cert", cert}, goodEdgeArgs...),
		mapEnv(map[string]string{"IGLOWLY_TLS_KEY": key}))
	if err != nil || e.TLSCertFile != cert || e.TLSKeyFile != key {
		t.Errorf("%+v, %v", e, err)
	}
}

func TestClinicBudgetAndPause(t *testing.T) {
	cs, err := DemoClinics("", "")
	if err != nil {
		t.Fatal(err)
	}
	c := *cs[0]
	if c.ChatBudget(123) != 123 || c.Paused {
		t.Errorf("demo clinic: budget %d, paused %v", c.ChatBudget(123), c.Paused)
	}
	c.DailyChatBudget = 40
	if c.ChatBudget(123) != 40 {
		t.Errorf("own budget %d, want 40", c.ChatBudget(123))
	}
	for _, bad := range []int{-1, MaxDailyChats + 1} {
		c.DailyChatBudget = bad
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "daily_chat_budget") {
			t.Errorf("budget %d: %v", bad, err)
		}
	}
	raw := strings.Replace(string(mustDemoJSON(t)), `"id"`,
		`"paused": true, "daily_chat_budget": 50, "id"`, 1)
	p, err := ParseClinic([]byte(raw))
	if err != nil || !p.Paused || p.DailyChatBudget != 50 {
		t.Errorf("parsed %v, %v", p, err)
	}
}

func mustDemoJSON(t *testing.T) []byte {
	t.Helper()
	raw, err := demoFS.ReadFile("demo/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
