package providers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/anthropic"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/config/secrets"
)

// hosted is a provider's model with the key in use when it was chosen,
// answering for clinic.
type hosted struct {
	clinic *config.Clinic
	ref    config.ModelRef
	key    secrets.Secret
	base   string
	cfg    Config
	client *http.Client
}

// GenerateContent asks the provider once, streaming its answer to the
// caller's streaming function, if any, as it comes. The first choice's
// GenerationInfo["sources"] lists the keys of the clinic's facts that
// the answer shows, as the local model's does (see attribute).
func (h *hosted) GenerateContent(ctx context.Context, msgs []llms.MessageContent,
	options ...llms.CallOption) (*llms.ContentResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	c := &call{provider: h.ref.Provider, client: h.client}
	llm, err := h.llm(c)
	if err != nil {
		return nil, err
	}
	resp, err := llm.GenerateContent(ctx, msgs, h.options(c, options)...)
	if err != nil || !c.whole() {
		// langchaingo may end a stream cut by the deadline without an
		// error: an answer is whole only if its last event came.
		return nil, c.failure(ctx)
	}
	h.addSources(resp)
	return resp, nil
}

// addSources sets the first choice's sources to the facts the whole
// answer shows: Anthropic's answer has a choice per content block. What
// the provider put there is replaced.
func (h *hosted) addSources(resp *llms.ContentResponse) {
	if resp == nil || len(resp.Choices) == 0 {
		return
	}
	texts := make([]string, 0, len(resp.Choices))
	for _, ch := range resp.Choices {
		texts = append(texts, ch.Content)
	}
	first := resp.Choices[0]
	if first.GenerationInfo == nil {
		first.GenerationInfo = map[string]any{}
	}
	first.GenerationInfo["sources"] = attribute(h.clinic, strings.Join(texts, "\n"))
}

// whole reports whether the stream's last event came.
func (c *call) whole() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// Call asks the provider with one prompt, for the llms.Model interface.
func (h *hosted) Call(ctx context.Context, prompt string,
	options ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, h, prompt, options...)
}

// llm builds langchaingo's client of the provider for one call, with
// the key in use and c as its HTTP client.
func (h *hosted) llm(c *call) (llms.Model, error) {
	var llm llms.Model
	var err error
	switch h.ref.Provider {
	case config.ProviderOpenAI:
		llm, err = openai.New(openai.WithToken(h.key.Reveal()),
			openai.WithModel(h.ref.Name), openai.WithBaseURL(h.base),
			openai.WithHTTPClient(c))
	case config.ProviderAnthropic:
		llm, err = anthropic.New(anthropic.WithToken(h.key.Reveal()),
			anthropic.WithModel(h.ref.Name), anthropic.WithBaseURL(h.base),
			anthropic.WithHTTPClient(c))
	default:
		return nil, fmt.Errorf("model provider %q is not known", h.ref.Provider)
	}
	if err != nil {
		// Only a missing key fails here, and Model checks for one.
		return nil, fmt.Errorf("%s: building the client", h.ref.Provider)
	}
	return llm, nil
}

// options are the caller's, after the answer's bound, and with the
// caller's streaming function wrapped so that its own error is told
// apart from the provider's. The call always streams, so that its
// answer always passes the stream guard.
func (h *hosted) options(c *call, options []llms.CallOption) []llms.CallOption {
	var given llms.CallOptions
	for _, o := range options {
		o(&given)
	}
	next := given.StreamingFunc
	stream := func(ctx context.Context, chunk []byte) error {
		if next == nil {
			return nil
		}
		err := next(ctx, chunk)
		if err != nil {
			c.mu.Lock()
			c.sendErr = err
			c.mu.Unlock()
		}
		return err
	}
	out := make([]llms.CallOption, 0, len(options)+2)
	out = append(out, llms.WithMaxTokens(h.cfg.MaxTokens))
	out = append(out, options...)
	return append(out, llms.WithStreamingFunc(stream))
}

// failure turns a failed call into an error of this package. What
// langchaingo says is dropped: it may quote the provider, and the
// provider may quote the prompt.
func (c *call) failure(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.sendErr != nil:
		return c.sendErr
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &Error{Provider: c.provider, Kind: ErrTimeout, Status: c.status}
	case timedOut(c.transport):
		return &Error{Provider: c.provider, Kind: ErrTimeout, cause: c.transport}
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", c.provider, ctx.Err())
	case c.stream != nil:
		return c.stream
	case c.status != 0 && c.status != http.StatusOK:
		return statusError(c.provider, c.status)
	case c.transport != nil:
		return &Error{Provider: c.provider, Kind: ErrUnreachable, cause: c.transport}
	}
	return &Error{Provider: c.provider, Kind: ErrBadResponse, Status: c.status}
}

// timedOut reports whether a transport error is a timeout: connecting,
// the TLS handshake, or the wait for the response's head.
func timedOut(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
