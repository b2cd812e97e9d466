package config

import (
	"bytes"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadNATS registers the NATS settings, parses args and validates them.
func loadNATS(args []string, env map[string]string) (*NATS, error) {
	var n NATS
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	n.Register(fs, mapEnv(env))
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return &n, n.Validate()
}

// TestNATSRequiresTLS checks that a production component refuses to
// start without TLS unless told it is for local testing, with a message
// that says how to fix it.
func TestNATSRequiresTLS(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, []byte("test"), 0o600); err != nil {
		t.Fatal(err)
	}
	user := []string{"--nats-user", "edge"}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		ok   bool
	}{
		{"no TLS", user, nil, false},
		{"a CA", append(user, "--nats-ca", ca), nil, true},
		{"a CA from the environment", user, map[string]string{"IGLOWLY_NATS_CA": ca}, true},
		{"tls:// URLs", append(user, "--nats", "tls://a:4222,tls://b:4222"), nil, true},
		{"one URL in clear", append(user, "--nats", "tls://a:4222,nats://b:4222"), nil, false},
		{"--nats-insecure", append(user, "--nats-insecure"), nil, true},
		{"IGLOWLY_NATS_INSECURE=true", user,
			map[string]string{"IGLOWLY_NATS_INSECURE": "true"}, true},
		{"IGLOWLY_NATS_INSECURE=false", user,
			map[string]string{"IGLOWLY_NATS_INSECURE": "false"}, false},
		{"--nats-insecure=false", append(user, "--nats-insecure=false"),
			map[string]string{"IGLOWLY_NATS_INSECURE": "true"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadNATS(c.args, c.env)
			if c.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !c.ok && (err == nil || !strings.Contains(err.Error(), "TLS is required") ||
				!strings.Contains(err.Error(), "--nats-insecure")) {
				t.Errorf("err = %v, want the TLS requirement and the way out", err)
			}
		})
	}
}

// TestNATSInsecureVariable checks that a value other than true or false
// is an error naming the variable, never its value.
func TestNATSInsecureVariable(t *testing.T) {
	_, err := loadNATS([]string{"--nats-user", "edge"},
		map[string]string{"IGLOWLY_NATS_INSECURE": secretish})
	if err == nil || !strings.Contains(err.Error(), "IGLOWLY_NATS_INSECURE") ||
		strings.Contains(err.Error(), secretish) {
		t.Errorf("err = %v", err)
	}
}

// TestNATSInsecureWarns checks that a connection without TLS is logged
// as a warning before it is tried, and that the settings log says so.
func TestNATSInsecureWarns(t *testing.T) {
	n, err := loadNATS([]string{"--nats-user", "edge", "--nats-insecure",
		"--nats", "nats://127.0.0.1:1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	if nc, err := n.Connect("edge", log); err == nil {
		nc.Close()
		t.Fatal("connected to a closed port")
	}
	if !strings.Contains(logs.String(), `"msg":"nats_insecure"`) {
		t.Errorf("no warning: %s", logs.String())
	}
	log.Info("starting", "nats", n)
	if !strings.Contains(logs.String(), `"insecure":true`) {
		t.Errorf("the settings log hides the insecure flag: %s", logs.String())
	}
}
