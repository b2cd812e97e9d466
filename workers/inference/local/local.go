// Package local is the built-in offline model "local": a langchaingo
// llms.Model that answers a visitor's question from one clinic's public
// facts (treatments, prices, opening hours, address, contact, FAQ) without
// any network access or model weights.
//
// It recognises what the visitor asks with keyword and stem matching over
// English, Dutch, French and German, tolerating case, accents and one typo
// in longer words. It splits Dutch and German compounds into whole known
// parts ("okselontharing"), and leaves out treatments the visitor rules
// out ("not botox but filler"). It reads earlier questions of the conversation for
// follow-ups and writes the answer in the requested language from the
// facts alone. When it does not know, it says so and points to the
// clinic; it never gives personal medical advice or a diagnosis.
package local

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
)

// Errors returned by GenerateContent. They never contain message content.
var (
	// ErrNoClinic means the model was built without clinic facts.
	ErrNoClinic = errors.New("local model: no clinic facts")
	// ErrNoQuestion means the messages hold no human message to answer.
	ErrNoQuestion = errors.New("local model: no visitor question in messages")
)

// Model answers from one clinic's facts in one language. It is cheap to
// build, so build one per request with New; its methods are safe for
// concurrent use. The clinic's keyword index is built once per
// *config.Clinic and shared; the Clinic must not be changed after its
// first use (publish changes as a new *config.Clinic).
type Model struct {
	clinic *config.Clinic
	lang   string
	now    func() time.Time
}

var _ llms.Model = (*Model)(nil)

// New returns a model answering from c's facts in lang ("en", "nl", "fr"
// or "de"). If c does not speak lang, or lang is "", it answers in c's
// default language, as chosen by c.Language.
func New(c *config.Clinic, lang string) *Model {
	m := &Model{clinic: c, lang: lang, now: time.Now}
	if c != nil {
		m.lang = c.Language(lang)
	}
	return m
}

// GenerateContent answers the last human message of messages; earlier human
// messages are the conversation, read for follow-up questions. System and
// AI messages are ignored. With llms.WithStreamingFunc the answer is also
// streamed, about one sentence per call, every piece but the last ending
// with a space, so that the pieces concatenate to the answer. The choice's
// GenerationInfo["sources"] lists the facts used as a []string: "greeting",
// "treatments/<id>", "prices" (the whole treatment list), "hours",
// "address", "contact", "booking" or "faq/<id>".
func (m *Model) GenerateContent(ctx context.Context,
	messages []llms.MessageContent, options ...llms.CallOption,
) (*llms.ContentResponse, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if m == nil || m.clinic == nil {
		return nil, ErrNoClinic
	}
	question, history, err := conversation(messages)
	if err != nil {
		return nil, err
	}
	var opts llms.CallOptions
	for _, o := range options {
		if o != nil {
			o(&opts)
		}
	}

	ans := m.respond(question, history)
	if opts.StreamingFunc != nil {
		if err := stream(ctx, ans.pieces, opts.StreamingFunc); err != nil {
			return nil, err
		}
	}

	sources := ans.sources
	if sources == nil {
		sources = []string{}
	}
	return &llms.ContentResponse{Choices: []*llms.ContentChoice{{
		Content:        strings.Join(ans.pieces, " "),
		StopReason:     "stop",
		GenerationInfo: map[string]any{"sources": sources},
	}}}, nil
}

// Call answers prompt as a single human message.
func (m *Model) Call(ctx context.Context, prompt string,
	options ...llms.CallOption,
) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, options...)
}

// respond plans and writes the answer to question.
func (m *Model) respond(question string, history []string) answer {
	idx := indexFor(m.clinic)
	p := makePlan(analyse(question, idx), history, idx)
	w := &writer{
		c:   m.clinic,
		idx: idx,
		t:   textsFor(m.lang),
		now: m.now().In(m.clinic.Location()),
	}
	return w.write(p)
}

// conversation returns the text of the last human message and of the
// human messages before it, oldest first and at most maxHistoryTurns.
func conversation(messages []llms.MessageContent) (string, []string, error) {
	last := -1
	for i := len(messages) - 1; i >= 0; i-- {
		if messages[i].Role == llms.ChatMessageTypeHuman {
			last = i
			break
		}
	}
	if last < 0 {
		return "", nil, ErrNoQuestion
	}
	var history []string
	for i := last - 1; i >= 0 && len(history) < maxHistoryTurns; i-- {
		if messages[i].Role == llms.ChatMessageTypeHuman {
			history = append(history, text(messages[i]))
		}
	}
	for i, j := 0, len(history)-1; i < j; i, j = i+1, j-1 {
		history[i], history[j] = history[j], history[i]
	}
	return text(messages[last]), history, nil
}

// text joins the text parts of a message; other parts are ignored.
func text(m llms.MessageContent) string {
	var parts []string
	for _, p := range m.Parts {
		switch p := p.(type) {
		case llms.TextContent:
			parts = append(parts, p.Text)
		case *llms.TextContent:
			if p != nil {
				parts = append(parts, p.Text)
			}
		}
	}
	return strings.Join(parts, " ")
}

// stream sends pieces to fn, a space after every piece but the last. It
// stops at the first error: ctx's error if ctx is done, else fn's.
func stream(ctx context.Context, pieces []string,
	fn func(context.Context, []byte) error,
) error {
	for i, p := range pieces {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := []byte(p)
		if i < len(pieces)-1 {
			chunk = append(chunk, ' ')
		}
		if err := fn(ctx, chunk); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			return fmt.Errorf("local model: streaming answer: %w", err)
		}
	}
	return nil
}
