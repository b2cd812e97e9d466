// Package providers chooses each clinic's model for the inference worker:
// the built-in local model, or a hosted one reached through langchaingo
// (any OpenAI-compatible chat completions endpoint, or Anthropic's
// messages API) with the API key the worker holds for that provider.
//
// A hosted model is built for each call with the key in use at that
// moment, so a rotated key is used from the next message on. Calls have a
// connect and a total timeout and are never retried: a retry could send
// part of an answer twice. A provider's failures become errors of this
// package that name the provider and the kind of failure, never a key, a
// request or the provider's own words; no body is ever logged.
package providers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/workers/inference"
)

// Default API base URLs of the providers.
const (
	DefaultOpenAIURL    = "https://api.openai.com/v1"
	DefaultAnthropicURL = "https://api.anthropic.com/v1"
)

// Defaults of Config.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 25 * time.Second
	DefaultMaxTokens      = 1024
)

// Config says how hosted models are reached.
type Config struct {
	// BaseURLs replaces a provider's API base URL, by provider name
	// (config.ProviderOpenAI, config.ProviderAnthropic), for an
	// OpenAI-compatible endpoint hosted in the EU, a proxy or a
	// self-hosted server; default DefaultOpenAIURL and DefaultAnthropicURL.
	// A URL is one config.ValidModelEndpoint accepts.
	BaseURLs map[string]string
	// ConnectTimeout bounds connecting to a provider, TLS handshake
	// included; default DefaultConnectTimeout (5 s).
	ConnectTimeout time.Duration
	// Timeout bounds one whole call, the streamed answer included;
	// default DefaultTimeout (25 s).
	Timeout time.Duration
	// MaxTokens bounds the length of an answer, in the provider's tokens;
	// default DefaultMaxTokens (1024).
	MaxTokens int
}

// Keys gives the API key in use for a provider; the inference worker's
// keys, kept current as they rotate. It must be safe for concurrent use.
type Keys interface {
	Key(provider string) (secrets.Secret, bool)
}

// Models is an inference.Models that gives each clinic the model its
// configuration names. It is safe for concurrent use.
type Models struct {
	cfg    Config
	keys   Keys
	client *http.Client
}

var _ inference.Models = (*Models)(nil)

// New returns the models reached with cfg and keys, or every problem of
// cfg.
func New(cfg Config, keys Keys) (*Models, error) {
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxTokens == 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	base := map[string]string{config.ProviderOpenAI: DefaultOpenAIURL,
		config.ProviderAnthropic: DefaultAnthropicURL}
	for p, u := range cfg.BaseURLs {
		base[p] = u
	}
	cfg.BaseURLs = base
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Models{cfg: cfg, keys: keys, client: newHTTPClient(cfg)}, nil
}

func (c Config) validate() error {
	var errs []error
	for _, p := range sortedKeys(c.BaseURLs) {
		if p != config.ProviderOpenAI && p != config.ProviderAnthropic {
			errs = append(errs, fmt.Errorf("model endpoint %q: unknown provider: "+
				"want %s or %s", p, config.ProviderOpenAI, config.ProviderAnthropic))
			continue
		}
		if err := config.ValidModelEndpoint(c.BaseURLs[p]); err != nil {
			errs = append(errs, fmt.Errorf("model endpoint %s: %w", p, err))
		}
	}
	if c.ConnectTimeout < 0 || c.Timeout < 0 || c.MaxTokens < 0 {
		errs = append(errs, errors.New("model timeouts and max tokens must not be negative"))
	}
	return errors.Join(errs...)
}

// Model returns the model c names, in lang: the local model, or the
// hosted one with the provider's key in use now.
func (m *Models) Model(c *config.Clinic, lang string) (llms.Model, error) {
	ref, err := config.ParseModel(c.Model)
	if err != nil {
		return nil, fmt.Errorf("clinic %s: %w", c.ID, err)
	}
	if !ref.Hosted() {
		return inference.LocalModels{}.Model(c, lang)
	}
	key, ok := m.keys.Key(ref.Provider)
	if !ok || key.IsZero() {
		return nil, &NoKeyError{Clinic: c.ID, Provider: ref.Provider}
	}
	return &hosted{clinic: c, ref: ref, key: key, base: m.cfg.BaseURLs[ref.Provider],
		cfg: m.cfg, client: m.client}, nil
}

// Check reports every clinic whose model cannot be had: one that names a
// provider without a key, or a model setting that does not parse. The
// inference worker checks its clinics with it at start.
func (m *Models) Check(clinics []*config.Clinic) error {
	clinics = slices.Clone(clinics)
	slices.SortFunc(clinics, func(a, b *config.Clinic) int {
		return strings.Compare(a.ID, b.ID)
	})
	var errs []error
	for _, c := range clinics {
		if _, err := m.Model(c, c.Language("")); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// NoKeyError is a clinic's model naming a provider that the worker has
// no API key for.
type NoKeyError struct {
	Clinic, Provider string
}

// Error names the clinic and the provider, and the setting that gives
// the key.
func (e *NoKeyError) Error() string {
	return fmt.Sprintf("clinic %s: model provider %s has no API key: add "+
		"%s=<secret reference> to IGLOWLY_MODEL_KEYS", e.Clinic, e.Provider,
		e.Provider)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
