package config

import (
	"flag"
	"strings"
	"testing"
	"time"
)

// secretish is a bad value that must never appear in an error: a value
// set by mistake in the wrong variable may be a password.
const secretish = "hunter2-s3cr3t"

func mapEnv(m map[string]string) Env { return func(k string) string { return m[k] } }

// goodEdgeArgs are the flags that make an edge config valid, so that a
// test sees only the problems it planted.
var goodEdgeArgs = []string{"--nats-user", "edge", "--session-key-file", "k",
	"--address-key", "env://IGLOWLY_TEST_ADDRESS_KEY", "--nats-insecure"}

// TestBadEnvironmentIsAnError checks that every duration and integer
// variable that does not parse is an error naming the variable, never
// its value, instead of a silent default.
func TestBadEnvironmentIsAnError(t *testing.T) {
	cases := []struct {
		name, value string
		load        func(Env) error
	}{
		{"IGLOWLY_SESSION_IDLE", "30", loadEdge},
		{"IGLOWLY_SESSION_IDLE", secretish, loadEdge},
		{"IGLOWLY_SESSION_MAX", "4 hours", loadEdge},
		{"IGLOWLY_SESSION_MAX", secretish, loadEdge},
		{"IGLOWLY_ANSWER_TIMEOUT", "30", loadEdge},
		{"IGLOWLY_ANSWER_TIMEOUT", secretish, loadEdge},
		{"IGLOWLY_BODY_TIMEOUT", "10", loadEdge},
		{"IGLOWLY_CONCURRENCY", "8.5", loadWorker},
		{"IGLOWLY_CONCURRENCY", "99999999999999999999", loadWorker},
		{"IGLOWLY_CONCURRENCY", secretish, loadWorker},
		{"IGLOWLY_REPLICAS", "three", loadProvision},
		{"IGLOWLY_REPLICAS", " 3", loadProvision},
		{"IGLOWLY_REPLICAS", secretish, loadProvision},
	}
	for _, c := range cases {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			err := c.load(mapEnv(map[string]string{c.name: c.value}))
			if err == nil || !strings.Contains(err.Error(), c.name) {
				t.Fatalf("err = %v, want one naming %s", err, c.name)
			}
			if strings.Contains(err.Error(), c.value) {
				t.Errorf("error quotes the value: %v", err)
			}
		})
	}
}

func loadEdge(env Env) error {
	_, err := LoadEdge(goodEdgeArgs, env)
	return err
}

func loadWorker(env Env) error {
	_, err := LoadWorker("sanitiser", []string{"--nats-user", "sanitiser", "--nats-insecure"}, env)
	return err
}

func loadProvision(env Env) error {
	var p Provision
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	p.Register(fs, env)
	if err := fs.Parse(nil); err != nil {
		return err
	}
	return p.Validate()
}

// TestEnvironmentValues checks that good values are used, and that unset
// ones give the documented defaults.
func TestEnvironmentValues(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		idle  time.Duration
		max   time.Duration
		wait  time.Duration
		addr  string
		valid bool
	}{
		{"defaults", nil, 30 * time.Minute, 4 * time.Hour, 30 * time.Second, ":8080", true},
		{"set", map[string]string{"IGLOWLY_SESSION_IDLE": "90s", "IGLOWLY_SESSION_MAX": "2h",
			"IGLOWLY_ANSWER_TIMEOUT": "1m", "IGLOWLY_HTTP": "127.0.0.1:9"},
			90 * time.Second, 2 * time.Hour, time.Minute, "127.0.0.1:9", true},
		{"parsed but out of range", map[string]string{"IGLOWLY_SESSION_IDLE": "-5m"},
			-5 * time.Minute, 4 * time.Hour, 30 * time.Second, ":8080", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := LoadEdge(goodEdgeArgs, mapEnv(c.env))
			if (err == nil) != c.valid {
				t.Fatalf("err = %v, want valid=%v", err, c.valid)
			}
			if e.SessionIdle != c.idle || e.SessionMax != c.max ||
				e.AnswerTimeout != c.wait || e.HTTPAddr != c.addr {
				t.Errorf("got idle %v max %v answer %v http %q", e.SessionIdle,
					e.SessionMax, e.AnswerTimeout, e.HTTPAddr)
			}
		})
	}
}

// TestBodyTimeout checks the bound on sending a request body: its
// default, a value from the environment and its range.
func TestBodyTimeout(t *testing.T) {
	cases := []struct {
		env   string
		want  time.Duration
		valid bool
	}{
		{"", 10 * time.Second, true},
		{"3s", 3 * time.Second, true},
		{"500ms", 500 * time.Millisecond, false},
		{"10m", 10 * time.Minute, false},
	}
	for _, c := range cases {
		env := map[string]string{}
		if c.env != "" {
			env["IGLOWLY_BODY_TIMEOUT"] = c.env
		}
		e, err := LoadEdge(goodEdgeArgs, mapEnv(env))
		if (err == nil) != c.valid || e.BodyReadTimeout != c.want {
			t.Errorf("IGLOWLY_BODY_TIMEOUT=%q: %v, %v; want %v, valid=%v",
				c.env, e.BodyReadTimeout, err, c.want, c.valid)
		}
	}
}

// TestIntegerSettings checks the integer variables: their defaults,
// their values, and their ranges.
func TestIntegerSettings(t *testing.T) {
	worker := func(env Env) (int, error) {
		w, err := LoadWorker("inference", []string{"--nats-user", "inference",
			"--nats-insecure"}, env)
		return w.Concurrency, err
	}
	provision := func(env Env) (int, error) {
		var p Provision
		fs := flag.NewFlagSet("provision", flag.ContinueOnError)
		p.Register(fs, env)
		_ = fs.Parse(nil)
		return p.Replicas, p.Validate()
	}
	cases := []struct {
		variable, value string
		load            func(Env) (int, error)
		want            int
		problem         string
	}{
		{"IGLOWLY_CONCURRENCY", "", worker, 256, ""},
		{"IGLOWLY_CONCURRENCY", "8", worker, 8, ""},
		{"IGLOWLY_CONCURRENCY", "0", worker, 0, "concurrency"},
		{"IGLOWLY_CONCURRENCY", "65537", worker, 65537, "concurrency"},
		{"IGLOWLY_REPLICAS", "", provision, 1, ""},
		{"IGLOWLY_REPLICAS", "3", provision, 3, ""},
		{"IGLOWLY_REPLICAS", "5", provision, 5, ""},
		{"IGLOWLY_REPLICAS", "6", provision, 6, "replicas"},
		{"IGLOWLY_REPLICAS", "0", provision, 0, "replicas"},
	}
	for _, c := range cases {
		t.Run(c.variable+"="+c.value, func(t *testing.T) {
			got, err := c.load(mapEnv(map[string]string{c.variable: c.value}))
			if got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
			if c.problem == "" && err != nil {
				t.Errorf("unexpected error: %v", err)
			}
			if c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)) {
				t.Errorf("err = %v, want mention of %q", err, c.problem)
			}
		})
	}
}

// TestEveryProblemAtOnce checks that bad environment values are reported
// together with each other and with the other validation problems.
func TestEveryProblemAtOnce(t *testing.T) {
	_, err := LoadEdge(nil, mapEnv(map[string]string{
		"IGLOWLY_SESSION_IDLE": "30", "IGLOWLY_SESSION_MAX": "x",
		"IGLOWLY_ANSWER_TIMEOUT": "-1s",
	}))
	for _, want := range []string{"IGLOWLY_SESSION_IDLE", "IGLOWLY_SESSION_MAX",
		"answer timeout", "session key", "user"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("edge config error %v lacks %q", err, want)
		}
	}
	_, err = LoadWorker("model", nil, mapEnv(map[string]string{"IGLOWLY_CONCURRENCY": "many"}))
	for _, want := range []string{"IGLOWLY_CONCURRENCY", "unknown worker", "user"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("worker config error %v lacks %q", err, want)
		}
	}
}

// TestFlagOverridesGoodEnvironment checks that a flag wins over its
// variable, and that a flag error still names the bad variables.
func TestFlagOverridesGoodEnvironment(t *testing.T) {
	e, err := LoadEdge(append(goodEdgeArgs, "--session-idle", "2m"),
		mapEnv(map[string]string{"IGLOWLY_SESSION_IDLE": "10m"}))
	if err != nil || e.SessionIdle != 2*time.Minute {
		t.Errorf("idle %v, err %v; want the flag's 2m", e.SessionIdle, err)
	}
	_, err = LoadEdge([]string{"--no-such-flag"},
		mapEnv(map[string]string{"IGLOWLY_ANSWER_TIMEOUT": "soon"}))
	if err == nil || !strings.Contains(err.Error(), "no-such-flag") ||
		!strings.Contains(err.Error(), "IGLOWLY_ANSWER_TIMEOUT") {
		t.Errorf("err = %v, want the flag and the variable named", err)
	}
}

// TestSecretReferences checks the edge's and the workers' secret
// settings: a file name becomes a file:// reference, a reference and a
// file together or neither is refused, a vault:// reference needs a
// Vault address, the address key is a secret of its own, and only the
// inference worker takes model keys. No error repeats what it was given.
func TestSecretReferences(t *testing.T) {
	base := []string{"--nats-user", "edge", "--nats-insecure"}
	addr := []string{"--address-key", "env://ADDR"}
	cases := []struct {
		name       string
		args       []string
		keys, want string // want: the ref, or a problem named
	}{
		{"key file", append([]string{"--session-key-file", "/run/k"}, addr...),
			"file:///run/k", ""},
		{"relative key file", append([]string{"--session-key-file", "k"}, addr...),
			"", ""},
		{"reference", append([]string{"--session-keys", "env://KEYS"}, addr...),
			"env://KEYS", ""},
		{"both", append([]string{"--session-keys", "env://KEYS", "--session-key-file", "/k"},
			addr...), "", "not both"},
		{"neither", addr, "", "IGLOWLY_SESSION_KEYS (or IGLOWLY_SESSION_KEY_FILE) is required"},
		{"no address key", []string{"--session-keys", "env://KEYS"}, "",
			"IGLOWLY_ADDRESS_KEY (or IGLOWLY_ADDRESS_KEY_FILE) is required"},
		{"address key is the session keys", []string{"--session-keys", "env://KEYS",
			"--address-key", "env://KEYS"}, "", "secret of its own"},
		{"vault without an address", append([]string{"--session-keys",
			"vault://iglowly/edge/session-keys#current"}, addr...), "", "IGLOWLY_VAULT_ADDR"},
		{"not a reference", append([]string{"--session-keys", secretish}, addr...), "",
			"IGLOWLY_SESSION_KEYS"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := LoadEdge(append(append([]string(nil), base...), c.args...), mapEnv(nil))
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) ||
					strings.Contains(err.Error(), secretish) {
					t.Fatalf("err = %v, want one naming %q", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := e.SessionKeysRef.String(); c.keys != "" && got != c.keys ||
				!strings.HasPrefix(got, "file:///") && !strings.HasPrefix(got, "env://") {
				t.Errorf("session keys %q, want %q", got, c.keys)
			}
		})
	}
}

// TestWorkerModelKeys checks the model keys setting of the workers.
func TestWorkerModelKeys(t *testing.T) {
	load := func(stage, keys string) (*Worker, error) {
		return LoadWorker(stage, []string{"--nats-user", stage, "--nats-insecure",
			"--model-keys", keys}, mapEnv(nil))
	}
	w, err := load("inference", "openai=env://OPENAI_KEY, mistral=file:///run/mistral")
	if err != nil || len(w.ModelKeyRefs) != 2 ||
		w.ModelKeyRefs["mistral"].String() != "file:///run/mistral" {
		t.Fatalf("inference: %v, %v", w, err)
	}
	for _, c := range []struct{ stage, keys, want string }{
		{"sanitiser", "openai=env://OPENAI_KEY", "only the inference worker"},
		{"inference", "openai=" + secretish, "pair 1"},
		{"inference", "openai=vault://iglowly/inference/model-keys#openai",
			"IGLOWLY_VAULT_ADDR"},
	} {
		_, err := load(c.stage, c.keys)
		if err == nil || !strings.Contains(err.Error(), c.want) ||
			strings.Contains(err.Error(), secretish) {
			t.Errorf("%s %s: %v, want one naming %q", c.stage, c.keys, err, c.want)
		}
	}
}
