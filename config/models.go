package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"time"
)

// registerModels adds the inference worker's hosted model flags to fs,
// with defaults from env.
func (c *Worker) registerModels(fs *flag.FlagSet, r *envReader, env Env) {
	fs.StringVar(&c.ModelEndpoints, "model-endpoints",
		env.or("IGLOWLY_MODEL_ENDPOINTS", ""),
		"inference: provider=base-URL pairs, comma-separated, such as "+
			"openai=https://api.example.eu/v1 for an OpenAI-compatible endpoint")
	fs.DurationVar(&c.ModelConnectTimeout, "model-connect-timeout",
		r.duration("IGLOWLY_MODEL_CONNECT_TIMEOUT", 5*time.Second),
		"inference: longest wait to connect to a model provider")
	fs.DurationVar(&c.ModelTimeout, "model-timeout",
		r.duration("IGLOWLY_MODEL_TIMEOUT", 25*time.Second),
		"inference: longest model call, the streamed answer included; keep it "+
			"below the edge's --answer-timeout")
}

// validateModels parses ModelEndpoints into ModelEndpointURLs and names
// every problem of the hosted model settings.
func (c *Worker) validateModels() error {
	var errs []error
	urls, err := ParseModelEndpoints(c.ModelEndpoints)
	if err != nil {
		errs = append(errs, fmt.Errorf("IGLOWLY_MODEL_ENDPOINTS: %w", err))
	}
	if len(urls) > 0 && c.Stage != "inference" {
		errs = append(errs, errors.New("model endpoints: only the inference worker uses them"))
	}
	c.ModelEndpointURLs = urls
	if c.ModelConnectTimeout < 100*time.Millisecond || c.ModelConnectTimeout > time.Minute {
		errs = append(errs, errors.New("model connect timeout must be in [100ms, 1m]"))
	}
	if c.ModelTimeout < time.Second || c.ModelTimeout > 10*time.Minute {
		errs = append(errs, errors.New("model timeout must be in [1s, 10m]"))
	}
	return errors.Join(errs...)
}

// ParseModelEndpoints parses the model endpoints setting: comma-separated
// provider=base-URL pairs, provider ProviderOpenAI or ProviderAnthropic,
// each once, each URL one ValidModelEndpoint accepts. "" gives an empty
// map.
func ParseModelEndpoints(s string) (map[string]string, error) {
	out := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	var errs []error
	for i, pair := range strings.Split(s, ",") {
		name, u, ok := strings.Cut(strings.TrimSpace(pair), "=")
		switch {
		case !ok || name != ProviderOpenAI && name != ProviderAnthropic:
			errs = append(errs, fmt.Errorf("pair %d: want provider=base-URL, provider "+
				"%s or %s", i+1, ProviderOpenAI, ProviderAnthropic))
		case out[name] != "":
			errs = append(errs, fmt.Errorf("pair %d: provider %s appears twice", i+1, name))
		default:
			if err := ValidModelEndpoint(u); err != nil {
				errs = append(errs, fmt.Errorf("pair %d (%s): %w", i+1, name, err))
			}
			out[name] = u
		}
	}
	return out, errors.Join(errs...)
}

// ValidModelEndpoint checks a model provider's API base URL: absolute,
// https (http only on a loopback address, where no key crosses a
// network), with no user, query or fragment.
func ValidModelEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case u.Host == "" || !u.IsAbs():
		return errors.New("not an absolute URL")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return errors.New("a base URL has no user, query or fragment")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && loopbackHost(u.Hostname()):
		return nil
	}
	return errors.New("want https (or http on a loopback address)")
}

// loopbackHost reports whether host is localhost or a loopback address.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ModelEndpointList shows the endpoints set, for the start log.
func (c *Worker) ModelEndpointList() string {
	names := make([]string, 0, len(c.ModelEndpointURLs))
	for p := range c.ModelEndpointURLs {
		names = append(names, p)
	}
	sort.Strings(names)
	for i, p := range names {
		names[i] = p + "=" + c.ModelEndpointURLs[p]
	}
	return strings.Join(names, ",")
}
