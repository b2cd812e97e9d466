package schemas

import (
	"errors"
	"fmt"
	"log/slog"
	"unicode/utf8"

	"github.com/iglowly/assistant/config"
)

// CloudEvent types, versioned. A consumer accepts only the types it knows.
const (
	TypeMessageReceived  = "com.iglowly.chat.message.received.v1"
	TypeMessageSanitised = "com.iglowly.chat.message.sanitised.v1"
	TypeAnswerChunk      = "com.iglowly.chat.answer.chunk.v1"
	TypeAnswerCompleted  = "com.iglowly.chat.answer.completed.v1"
	TypeAnswerFailed     = "com.iglowly.chat.answer.failed.v1"
	TypeSecurityEvent    = "com.iglowly.security.event.v1"
)

// Limits on what visitors send and what travels between the stages.
const (
	// MaxMessageChars is the longest visitor message, in characters.
	MaxMessageChars = 2000
	// MaxHistoryTurns is the most conversation turns a request may carry.
	MaxHistoryTurns = 10
	// MaxTurnChars is the longest history turn, in characters. Assistant
	// answers may be longer than visitor messages.
	MaxTurnChars = 4000
	// RedactionGrowth bounds how much longer redaction may make a text:
	// a placeholder such as [PERSON_12] can be several times longer than
	// a short value it replaces.
	RedactionGrowth = 4
	// MaxSanitisedChars is the longest message after redaction.
	MaxSanitisedChars = RedactionGrowth * MaxMessageChars
	// MaxSanitisedTurnChars is the longest history turn after redaction.
	MaxSanitisedTurnChars = RedactionGrowth * MaxTurnChars
	// MaxChunkChars is the longest answer chunk.
	MaxChunkChars = 8000
	// MaxChunks is the most chunks one answer may have; producers merge
	// pieces to stay under it.
	MaxChunks = 64
)

// Chat is text written by a visitor or derived from it. Its log value is
// always "REDACTED", so it cannot leak through structured logging.
type Chat string

// LogValue keeps chat text out of logs.
func (Chat) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// String keeps chat text out of fmt-based output; use string(c) to read it.
func (Chat) String() string { return "REDACTED" }

// Turn is one earlier turn of the conversation, as the widget sends it
// back: the visitor's turns are the redacted form.
type Turn struct {
	// Role is "user" or "assistant".
	Role string `json:"role"`
	// Text is what was said, 1 to MaxTurnChars characters.
	Text Chat `json:"text"`
}

// MessageReceived is the data of TypeMessageReceived: a visitor's message
// as the edge accepted it, before redaction. It travels on core NATS only.
type MessageReceived struct {
	// Message is the visitor's text, 1 to MaxMessageChars characters.
	Message Chat `json:"message"`
	// History is the conversation so far, at most MaxHistoryTurns turns.
	History []Turn `json:"history,omitempty"`
	// Lang is the language the visitor asked for, or "".
	Lang string `json:"lang,omitempty"`
}

// Triage is the sanitiser's verdict on a message.
type Triage struct {
	// Category is "none", "emergency", "diagnosis" or "injection".
	Category string `json:"category"`
	// Topic is a coarse topic for anonymous counts, such as "botox".
	Topic string `json:"topic,omitempty"`
	// Intent is "question", "booking", "complaint", "greeting" or "other".
	Intent string `json:"intent,omitempty"`
}

// MessageSanitised is the data of TypeMessageSanitised: the message and
// history with personal data replaced by placeholders.
type MessageSanitised struct {
	// Message is the redacted message, at most MaxSanitisedChars.
	Message Chat `json:"message"`
	// History is the redacted history; a turn is at most
	// MaxSanitisedTurnChars.
	History []Turn `json:"history,omitempty"`
	// Lang is the answer language: asked for, or detected; "" leaves the
	// choice to the clinic's default.
	Lang string `json:"lang,omitempty"`
	// Findings counts the personal values removed, per type.
	Findings map[string]int `json:"findings,omitempty"`
	// Triage is the sanitiser's verdict on the message.
	Triage Triage `json:"triage"`
}

// AnswerChunk is the data of TypeAnswerChunk: one piece of the answer.
// Seq counts from 0; the edge puts chunks back in order.
type AnswerChunk struct {
	// Seq is the chunk's place in the answer, 0 to MaxChunks-1.
	Seq int `json:"seq"`
	// Text is the chunk, whole sentences of at most MaxChunkChars.
	Text Chat `json:"text"`
}

// Source is where a part of an answer came from.
type Source struct {
	// Title names the source for the visitor.
	Title string `json:"title"`
	// URL links to it, if it is online.
	URL string `json:"url,omitempty"`
}

// AnswerCompleted is the data of TypeAnswerCompleted: the end of an
// answer, after Chunks chunks (seq 0 … Chunks-1).
type AnswerCompleted struct {
	// Chunks is how many chunks the answer has.
	Chunks int `json:"chunks"`
	// Sources are where the answer's facts came from.
	Sources []Source `json:"sources"`
	// Notices are the texts shown with the answer (not medical advice,
	// personal data removed…); the response worker sets them.
	Notices []string `json:"notices"`
	// RedactedMessage is the visitor's message as the model saw it, which
	// the widget keeps as the turn's text in its history.
	RedactedMessage Chat `json:"redacted_message"`
	// Lang is the language of the answer.
	Lang string `json:"lang"`
	// Removed counts the personal values removed from the visitor's
	// message and history.
	Removed int `json:"removed,omitempty"`
}

// AnswerFailed is the data of TypeAnswerFailed: the pipeline could not
// answer. Code is machine-readable; neither field holds chat content.
type AnswerFailed struct {
	// Code is one of the stages' failure codes, such as "model_failed".
	Code string `json:"code"`
	// Message is the code's fixed text.
	Message string `json:"message"`
}

// Validator is implemented by every event data type.
type Validator interface {
	Validate() error
}

var (
	errRole = errors.New("history role must be user or assistant")
	errLang = errors.New("lang is not a supported language")
)

// checkText verifies that s is valid UTF-8 of 1…max characters.
func checkText(field string, s Chat, max int) error {
	if !utf8.ValidString(string(s)) {
		return fmt.Errorf("%s is not valid UTF-8", field)
	}
	n := utf8.RuneCountInString(string(s))
	if n == 0 {
		return fmt.Errorf("%s is empty", field)
	}
	if n > max {
		return fmt.Errorf("%s is longer than %d characters", field, max)
	}
	return nil
}

func checkHistory(h []Turn, maxChars int) error {
	if len(h) > MaxHistoryTurns {
		return fmt.Errorf("history has more than %d turns", MaxHistoryTurns)
	}
	for i, t := range h {
		if t.Role != "user" && t.Role != "assistant" {
			return fmt.Errorf("history[%d]: %w", i, errRole)
		}
		if err := checkText(fmt.Sprintf("history[%d].text", i), t.Text,
			maxChars); err != nil {
			return err
		}
	}
	return nil
}

func checkLang(lang string, optional bool) error {
	if lang == "" && optional {
		return nil
	}
	if !config.SupportedLanguage(lang) {
		return errLang
	}
	return nil
}

// Validate checks a received message.
func (m *MessageReceived) Validate() error {
	if err := checkText("message", m.Message, MaxMessageChars); err != nil {
		return err
	}
	if err := checkHistory(m.History, MaxTurnChars); err != nil {
		return err
	}
	return checkLang(m.Lang, true)
}

var categories = map[string]bool{
	"none": true, "emergency": true, "diagnosis": true, "injection": true,
}

// Validate checks a sanitised message.
func (m *MessageSanitised) Validate() error {
	if err := checkText("message", m.Message, MaxSanitisedChars); err != nil {
		return err
	}
	if err := checkHistory(m.History, MaxSanitisedTurnChars); err != nil {
		return err
	}
	if !categories[m.Triage.Category] {
		return errors.New("triage category is unknown")
	}
	if err := checkCounts(m.Findings); err != nil {
		return err
	}
	return checkLang(m.Lang, true)
}

// Validate checks an answer chunk.
func (c *AnswerChunk) Validate() error {
	if c.Seq < 0 || c.Seq >= MaxChunks {
		return fmt.Errorf("seq must be in [0, %d)", MaxChunks)
	}
	return checkText("text", c.Text, MaxChunkChars)
}

// Validate checks an answer's completion.
func (c *AnswerCompleted) Validate() error {
	if c.Chunks < 0 || c.Chunks > MaxChunks || c.Removed < 0 {
		return fmt.Errorf("chunks must be in [0, %d]", MaxChunks)
	}
	if err := checkText("redacted_message", c.RedactedMessage,
		MaxSanitisedChars); err != nil {
		return err
	}
	for _, s := range c.Sources {
		if s.Title == "" || !utf8.ValidString(s.Title+s.URL) {
			return errors.New("source needs a valid title")
		}
	}
	for _, n := range c.Notices {
		if n == "" || !utf8.ValidString(n) {
			return errors.New("notice must be valid non-empty text")
		}
	}
	return checkLang(c.Lang, false)
}

// Validate checks a failure.
func (f *AnswerFailed) Validate() error {
	if f.Code == "" || len(f.Code) > 64 || !utf8.ValidString(f.Message) {
		return errors.New("failure needs a code of at most 64 bytes")
	}
	return nil
}

func checkCounts(m map[string]int) error {
	for k, v := range m {
		if k == "" || len(k) > 32 || v < 0 {
			return errors.New("findings must map short type names to counts")
		}
	}
	return nil
}

// Removed counts the personal values removed from the message and its
// history.
func (m *MessageSanitised) Removed() int {
	n := 0
	for _, c := range m.Findings {
		n += c
	}
	return n
}
