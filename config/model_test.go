package config

import (
	"strings"
	"testing"
)

// TestParseModel checks the clinic model settings that are accepted, and
// that every other one is refused with an error that says what is.
func TestParseModel(t *testing.T) {
	good := map[string]ModelRef{
		"":                                {ModelLocal, ""},
		"local":                           {ModelLocal, ""},
		"openai:gpt-4o-mini":              {ProviderOpenAI, "gpt-4o-mini"},
		"openai:ft:gpt-4o-mini:org::x1":   {ProviderOpenAI, "ft:gpt-4o-mini:org::x1"},
		"openai:meta-llama/Llama-3.1-8B":  {ProviderOpenAI, "meta-llama/Llama-3.1-8B"},
		"anthropic:claude-3-5-haiku-2024": {ProviderAnthropic, "claude-3-5-haiku-2024"},
		"anthropic:claude-sonnet-4@2025":  {ProviderAnthropic, "claude-sonnet-4@2025"},
	}
	for in, want := range good {
		got, err := ParseModel(in)
		if err != nil || got != want {
			t.Errorf("ParseModel(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if got.Hosted() != (want.Provider != ModelLocal) {
			t.Errorf("ParseModel(%q).Hosted() = %v", in, got.Hosted())
		}
	}
	bad := map[string]string{
		"gpt-4o":                "unknown provider",
		"Local":                 "unknown provider",
		"mistral:small":         "unknown provider",
		"OpenAI:gpt-4o":         "unknown provider",
		":gpt-4o":               "unknown provider",
		"openai:":               "no model name",
		"anthropic:":            "no model name",
		"openai: gpt-4o":        "model name must be",
		"openai:-x":             "model name must be",
		"openai:gpt 4o":         "model name must be",
		"openai:gpt\n4o":        "model name must be",
		"openai:gpt-4o?x=1":     "model name must be",
		"openai:" + long(129):   "model name must be",
		"openai:" + long(500):   "bytes long",
		"anthropic:claude\x00x": "model name must be",
	}
	for in, want := range bad {
		_, err := ParseModel(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseModel(%.30q): %v, want an error with %q", in, err, want)
			continue
		}
		if !strings.Contains(err.Error(), `"local"`) &&
			!strings.Contains(err.Error(), "[A-Za-z0-9") {
			t.Errorf("ParseModel(%.30q): %v does not say what is accepted", in, err)
		}
	}
	if _, err := ParseModel("openai:" + long(128)); err != nil {
		t.Errorf("a 128-character model name: %v", err)
	}
}

// TestClinicModelValidation checks that a clinic with a hosted model is
// valid and one naming an unknown provider is not.
func TestClinicModelValidation(t *testing.T) {
	demo, err := DemoClinics("http://127.0.0.1:8080", "http://localhost:8080")
	if err != nil {
		t.Fatal(err)
	}
	for model, ok := range map[string]bool{"openai:gpt-4o-mini": true,
		"anthropic:claude-3-5-haiku-latest": true, "gpt-4o": false,
		"ollama:llama3": false} {
		c := *demo[0]
		c.Model = model
		err := c.Validate()
		if (err == nil) != ok {
			t.Errorf("clinic with model %q: %v", model, err)
		}
		if !ok && !strings.Contains(fmtErr(err), "model") {
			t.Errorf("clinic with model %q: error does not name the model: %v",
				model, err)
		}
	}
}

func long(n int) string { return strings.Repeat("a", n) }

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestWorkerModelSettings checks the inference worker's hosted model
// settings: endpoints and timeouts from flags or the environment, each
// problem named, and endpoints refused on the other workers.
func TestWorkerModelSettings(t *testing.T) {
	load := func(stage string, env map[string]string, args ...string) (*Worker, error) {
		return LoadWorker(stage, append([]string{"--nats-user", stage,
			"--nats-insecure"}, args...), mapEnv(env))
	}
	w, err := load("inference", map[string]string{"IGLOWLY_MODEL_TIMEOUT": "90s"},
		"--model-endpoints", "openai=https://api.mistral.ai/v1, "+
			"anthropic=http://127.0.0.1:9000/v1", "--model-connect-timeout", "2s")
	if err != nil {
		t.Fatal(err)
	}
	if w.ModelEndpointURLs["openai"] != "https://api.mistral.ai/v1" ||
		w.ModelEndpointURLs["anthropic"] != "http://127.0.0.1:9000/v1" ||
		w.ModelConnectTimeout.String() != "2s" || w.ModelTimeout.String() != "1m30s" {
		t.Errorf("settings %+v", w)
	}
	if got := w.ModelEndpointList(); got !=
		"anthropic=http://127.0.0.1:9000/v1,openai=https://api.mistral.ai/v1" {
		t.Errorf("endpoint list %q", got)
	}
	if d, _ := load("inference", nil); d.ModelTimeout.String() != "25s" ||
		d.ModelConnectTimeout.String() != "5s" || len(d.ModelEndpointURLs) != 0 {
		t.Errorf("defaults %+v", d)
	}
	cases := []struct {
		stage string
		env   map[string]string
		args  []string
		want  string
	}{
		{"sanitiser", nil, []string{"--model-endpoints", "openai=https://x.example/v1"},
			"only the inference worker"},
		{"inference", nil, []string{"--model-endpoints", "openai=http://x.example/v1"},
			"pair 1 (openai): want https"},
		{"inference", nil, []string{"--model-endpoints", "mistral=https://x.example"},
			"pair 1: want provider=base-URL"},
		{"inference", nil, []string{"--model-endpoints",
			"openai=https://a.example,openai=https://b.example"}, "appears twice"},
		{"inference", nil, []string{"--model-endpoints", "openai=https://k:s@a.example"},
			"no user"},
		{"inference", map[string]string{"IGLOWLY_MODEL_TIMEOUT": "soon"}, nil,
			"IGLOWLY_MODEL_TIMEOUT is not a duration"},
		{"inference", nil, []string{"--model-timeout", "0s"}, "model timeout must be"},
		{"inference", nil, []string{"--model-connect-timeout", "1ms"},
			"model connect timeout must be"},
	}
	for _, c := range cases {
		_, err := load(c.stage, c.env, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) ||
			strings.Contains(err.Error(), "k:s@") {
			t.Errorf("%s %v %v: %v, want an error with %q", c.stage, c.env, c.args,
				err, c.want)
		}
	}
}
