package config

import (
	"strings"
	"testing"
	"time"
)

// TestWriteTimeout checks the bound on one write of a response: its
// default, a value from the environment, a flag, its range, and a value
// that does not parse, named by its variable.
func TestWriteTimeout(t *testing.T) {
	cases := []struct {
		env   string
		args  []string
		want  time.Duration
		valid bool
	}{
		{"", nil, 10 * time.Second, true},
		{"3s", nil, 3 * time.Second, true},
		{"3s", []string{"--write-timeout", "1m"}, time.Minute, true},
		{"500ms", nil, 500 * time.Millisecond, false},
		{"6m", nil, 6 * time.Minute, false},
		{"ten", nil, 10 * time.Second, false},
	}
	for _, c := range cases {
		env := map[string]string{}
		if c.env != "" {
			env["IGLOWLY_WRITE_TIMEOUT"] = c.env
		}
		e, err := LoadEdge(append(append([]string(nil), goodEdgeArgs...), c.args...),
			mapEnv(env))
		if (err == nil) != c.valid || e == nil || e.WriteTimeout != c.want {
			t.Errorf("IGLOWLY_WRITE_TIMEOUT=%q %v: %v, %v; want %v, valid=%v",
				c.env, c.args, e, err, c.want, c.valid)
		}
		if c.env == "ten" && !strings.Contains(err.Error(), "IGLOWLY_WRITE_TIMEOUT") {
			t.Errorf("the error does not name the variable: %v", err)
		}
	}
}

// TestMetricsAddr checks the address of the metrics listener: loopback
// by default, set by the variable or the flag, off by "off" or an empty
// flag, and refused when it is no host:port or the HTTP listener's.
func TestMetricsAddr(t *testing.T) {
	cases := []struct {
		name, env string
		args      []string
		want      string
		problem   string
	}{
		{"default", "", nil, "127.0.0.1:9464", ""},
		{"variable", "10.0.0.5:9100", nil, "10.0.0.5:9100", ""},
		{"flag over variable", "10.0.0.5:9100", []string{"--metrics-addr", ":9200"},
			":9200", ""},
		{"off", "off", nil, "", ""},
		{"empty flag", "10.0.0.5:9100", []string{"--metrics-addr", ""}, "", ""},
		{"no port", "127.0.0.1", nil, "", "host:port"},
		{"bad port", "127.0.0.1:http", nil, "", "host:port"},
		{"port too large", "127.0.0.1:70000", nil, "", "host:port"},
		{"the HTTP port", "", []string{"--http", ":8080", "--metrics-addr",
			"127.0.0.1:8080"}, "", "must not be the HTTP address"},
		{"the HTTP address", "", []string{"--http", "127.0.0.1:9000",
			"--metrics-addr", "127.0.0.1:9000"}, "", "must not be the HTTP address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			if c.env != "" {
				env["IGLOWLY_METRICS_ADDR"] = c.env
			}
			args := append(append([]string(nil), goodEdgeArgs...), c.args...)
			e, err := LoadEdge(args, mapEnv(env))
			if c.problem != "" {
				if err == nil || !strings.Contains(err.Error(), c.problem) {
					t.Fatalf("error %v, want one with %q", err, c.problem)
				}
				return
			}
			if err != nil || e.MetricsAddr != c.want {
				t.Fatalf("metrics address %q, %v; want %q", e.MetricsAddr, err, c.want)
			}
		})
	}
}

// TestSamePort checks which pairs of listen addresses would collide.
func TestSamePort(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"127.0.0.1:80", "127.0.0.1:80", true},
		{":80", "127.0.0.1:80", true},
		{"[::]:80", "10.0.0.1:80", true},
		{"127.0.0.1:80", "10.0.0.1:80", false},
		{"127.0.0.1:80", "127.0.0.1:81", false},
		{"127.0.0.1:0", "127.0.0.1:0", false},
	}
	for _, c := range cases {
		if got := samePort(c.a, c.b); got != c.want {
			t.Errorf("samePort(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
