package stack_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// leakyModels is a test model that ignores the facts and streams the
// answer its function writes for the clinic and the visitor's question,
// one piece per call of the streaming function, as a remote model would.
type leakyModels func(c *config.Clinic, question string) []string

func (m leakyModels) Model(c *config.Clinic, _ string) (llms.Model, error) {
	return &leakyModel{clinic: c, script: m}, nil
}

type leakyModel struct {
	clinic *config.Clinic
	script leakyModels
}

func (m *leakyModel) GenerateContent(ctx context.Context, msgs []llms.MessageContent,
	options ...llms.CallOption) (*llms.ContentResponse, error) {
	var opts llms.CallOptions
	for _, o := range options {
		o(&opts)
	}
	if opts.StreamingFunc == nil {
		return nil, errors.New("leaky model: called without streaming")
	}
	pieces := m.script(m.clinic, lastHumanText(msgs))
	if len(pieces) == 0 {
		return nil, errors.New("leaky model: no script for the question")
	}
	for _, p := range pieces {
		if err := opts.StreamingFunc(ctx, []byte(p)); err != nil {
			return nil, err
		}
	}
	return &llms.ContentResponse{Choices: []*llms.ContentChoice{
		{Content: strings.Join(pieces, "")},
	}}, nil
}

func (m *leakyModel) Call(ctx context.Context, prompt string,
	opts ...llms.CallOption) (string, error) {
	return llms.GenerateFromSinglePrompt(ctx, m, prompt, opts...)
}

// lastHumanText returns the text of the last human message.
func lastHumanText(msgs []llms.MessageContent) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != llms.ChatMessageTypeHuman {
			continue
		}
		for _, p := range msgs[i].Parts {
			if text, ok := p.(llms.TextContent); ok {
				return text.Text
			}
		}
	}
	return ""
}

// leakCase is a scripted answer and what the edge must send instead.
type leakCase struct {
	name     string
	pieces   []string // what the model streams
	want     string   // the answer the edge must give, if known exactly
	personal []string // visitor-like values, or parts, that must not leave
}

// leakCases are the scripted answers; the clinic's own phone and email
// come from the demo clinic's contact facts.
func leakCases(c *config.Clinic) []leakCase {
	phone, email := c.Contact.Phone, c.Contact.Email
	number := []string{"+32 470", "470 12", "12 34 56"}
	return []leakCase{{
		name: "leaks",
		pieces: []string{
			"Uw e-mailadres is jan.peeters@example.com, genoteerd. ",
			"Uw gsm-nummer is +32 470 12 34 56, genoteerd. ",
			"Betaal het voorschot op BE71 0961 2345 6769. ",
			"Bel de kliniek op " + phone + " of mail naar " + email + ".",
		},
		want: "Uw e-mailadres is [EMAIL_1], genoteerd. " +
			"Uw gsm-nummer is [PHONE_1], genoteerd. " +
			"Betaal het voorschot op [IBAN_1]. " +
			"Bel de kliniek op " + phone + " of mail naar " + email + ".",
		personal: append([]string{"jan.peeters", "example.com",
			"BE71", "0961 2345 6769"}, number...),
	}, {
		name:     "split",
		pieces:   []string{"U bereikt haar op +32 470", " 12 34 56."},
		want:     "U bereikt haar op [PHONE_1].",
		personal: number,
	}, {
		name: "split after a sentence",
		pieces: []string{"Dank u voor uw vraag over botox. Bel haar op +32 470",
			" 12 34 56. Tot ziens."},
		want:     "Dank u voor uw vraag over botox. Bel haar op [PHONE_1]. Tot ziens.",
		personal: number,
	}, {
		// One sentence longer than a chunk, a number where it must be
		// cut: the cut must fall before "+32", or the guard, seeing
		// "(0)470 12 34 56" alone, would not know it for a phone number.
		name: "long sentence",
		pieces: []string{strings.Repeat("x", schemas.MaxChunkChars-10) +
			" +32 (0)470 12 34 56 eind."},
		personal: []string{"470 12 34 56"},
	}, {
		// The last chunk an answer may have, cut to MaxChunkChars where
		// a number is: it must not end inside the number.
		name: "last chunk",
		pieces: append(slices.Repeat([]string{"Dit is een zin van genoeg tekens. "},
			schemas.MaxChunks-1), strings.Repeat("x", schemas.MaxChunkChars-11)+
			" 0470 12 34 56 eind."),
		personal: []string{"0470 12 34"},
	}}
}

// leakQuestion is what the visitor asks to get tc's scripted answer.
func leakQuestion(tc leakCase) string { return "Vraag: " + tc.name + "?" }

// TestGuardRedactsModelAnswer runs a stack whose model writes personal
// data into its answers and checks the edge's answer, as JSON and as
// SSE, carries placeholders instead, while the clinic's own public phone
// and email, which an answer is meant to give, survive. A number the
// model streams in two pieces must be redacted whole.
func TestGuardRedactsModelAnswer(t *testing.T) {
	ts := startWith(t, leakyModels(func(c *config.Clinic, q string) []string {
		for _, tc := range leakCases(c) {
			if q == leakQuestion(tc) {
				return tc.pieces
			}
		}
		return nil
	}))
	c := ts.clinic("demo")
	if c.Contact.Phone == "" || c.Contact.Email == "" {
		t.Fatal("demo clinic lacks a phone or email: the test would prove nothing")
	}
	origin := ts.origin("demo")
	token := ts.session(t, "demo", origin)
	for _, tc := range leakCases(c) {
		t.Run(tc.name, func(t *testing.T) {
			for how, got := range leakAnswers(t, ts, token, origin, tc) {
				if tc.want != "" && strings.TrimSpace(got) != tc.want {
					t.Errorf("%s answer = %q, want %q", how, got, tc.want)
				}
				for _, v := range tc.personal {
					if strings.Contains(got, v) {
						t.Errorf("%s answer leaks %q", how, v)
					}
				}
			}
		})
	}
}

// leakAnswers asks tc's question as JSON and as SSE and returns the
// answers, and the SSE chunks joined, by how they came.
func leakAnswers(t *testing.T, ts *testStack, token, origin string,
	tc leakCase) map[string]string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"message": leakQuestion(tc)})
	r := ts.chat(t, token, origin, string(body))
	answer, _ := r.body["answer"].(string)
	if r.status != 200 || answer == "" {
		t.Fatalf("status %d: %.200s", r.status, r.raw)
	}
	status, events := ts.chatSSE(t, token, origin, string(body))
	if status != 200 {
		t.Fatalf("SSE status %d", status)
	}
	joined, done := streamed(t, events)
	if strings.TrimSpace(joined) != done {
		t.Errorf("chunks do not add up to the answer %q", done)
	}
	return map[string]string{"json": answer, "sse": done, "chunks": joined}
}
