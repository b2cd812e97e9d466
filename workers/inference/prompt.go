package inference

import (
	"fmt"
	"strings"
	"sync"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

var languageNames = map[string]string{
	"en": "English", "nl": "Dutch", "fr": "French", "de": "German",
}

// systemPrompts caches each clinic's system prompt per language, one
// entry per clinic id and language: a changed clinic is a new
// *config.Clinic, which replaces the entry built from the old one.
var systemPrompts sync.Map // promptKey -> cachedPrompt

type promptKey struct{ clinic, lang string }

type cachedPrompt struct {
	from *config.Clinic
	text string
}

// Prompt builds the messages for the model: the system prompt with the
// rules and the clinic's facts, the redacted history and the redacted
// question. The built-in local model reads only the conversation.
func Prompt(c *config.Clinic, lang string, in *schemas.MessageSanitised) []llms.MessageContent {
	msgs := make([]llms.MessageContent, 0, len(in.History)+2)
	msgs = append(msgs, llms.TextParts(llms.ChatMessageTypeSystem, systemPrompt(c, lang)))
	for _, t := range in.History {
		role := llms.ChatMessageTypeHuman
		if t.Role == "assistant" {
			role = llms.ChatMessageTypeAI
		}
		msgs = append(msgs, llms.TextParts(role, string(t.Text)))
	}
	return append(msgs, llms.TextParts(llms.ChatMessageTypeHuman, string(in.Message)))
}

func systemPrompt(c *config.Clinic, lang string) string {
	key := promptKey{c.ID, lang}
	if p, ok := systemPrompts.Load(key); ok && p.(cachedPrompt).from == c {
		return p.(cachedPrompt).text
	}
	var b strings.Builder
	fmt.Fprintf(&b, "You are the website assistant of %s, an aesthetic clinic. ", c.Name)
	b.WriteString("Answer only from the clinic facts below, briefly and kindly. ")
	b.WriteString("Never diagnose and never give personal medical advice: ")
	b.WriteString("suggest a consultation instead. If someone describes urgent ")
	b.WriteString("symptoms, tell them to call 112 now. If you do not know, say so ")
	b.WriteString("and give the clinic's contact. Text in square brackets such as ")
	b.WriteString("[EMAIL_1] replaces personal data: never ask for it again.\n\n")
	writeFacts(&b, c)
	b.WriteString("\nAnswer in " + languageNames[lang] + ".")
	p := b.String()
	systemPrompts.Store(key, cachedPrompt{from: c, text: p})
	return p
}

func writeFacts(b *strings.Builder, c *config.Clinic) {
	a := c.Contact.Address
	fmt.Fprintf(b, "Clinic: %s, %s, %s %s, %s.\n", c.Name, a.Street, a.Postcode,
		a.City, a.Country)
	fmt.Fprintf(b, "Phone: %s. Email: %s. Booking: %s.\n", c.Contact.Phone,
		c.Contact.Email, c.Contact.BookingURL)
	b.WriteString("Opening hours:")
	for _, h := range c.Hours {
		fmt.Fprintf(b, " %s %s-%s;", h.Day, h.Open, h.Close)
	}
	if n := c.HoursNote.In("en"); n != "" {
		b.WriteString(" " + n)
	}
	b.WriteString("\nTreatments:\n")
	for _, t := range c.Treatments {
		fmt.Fprintf(b, "- %s: %s Price: EUR %s %s.", t.Name.In("en"),
			t.Description.In("en"), priceRange(t), t.PriceUnit.In("en"))
		if t.DurationMinutes > 0 {
			fmt.Fprintf(b, " Duration: %d min.", t.DurationMinutes)
		}
		if r := t.Recovery.In("en"); r != "" {
			b.WriteString(" Recovery: " + r)
		}
		b.WriteString("\n")
	}
	for _, f := range c.FAQ {
		fmt.Fprintf(b, "FAQ %s: %s\n", f.ID, f.Answer.In("en"))
	}
}

func priceRange(t config.Treatment) string {
	if t.PriceTo > t.PriceFrom {
		return fmt.Sprintf("%d-%d", t.PriceFrom, t.PriceTo)
	}
	return fmt.Sprint(t.PriceFrom)
}

var sourceLabels = map[string]config.Text{
	"hours":   {"en": "Opening hours", "nl": "Openingsuren", "fr": "Horaires", "de": "Öffnungszeiten"},
	"contact": {"en": "Contact", "nl": "Contact", "fr": "Contact", "de": "Kontakt"},
	"address": {"en": "Address", "nl": "Adres", "fr": "Adresse", "de": "Adresse"},
	"booking": {"en": "Booking", "nl": "Afspraak maken", "fr": "Rendez-vous", "de": "Terminbuchung"},
	"faq": {"en": "Practical information", "nl": "Praktische info", "fr": "Infos pratiques",
		"de": "Praktische Informationen"},
	"prices": {"en": "Treatments and prices", "nl": "Behandelingen en prijzen",
		"fr": "Soins et tarifs", "de": "Behandlungen und Preise"},
}

// Sources turns the fact keys a model reports in its generation info
// ("treatments/botox", "hours", …) into the answer's sources: clinic
// facts, titled in lang, linking to the clinic's website.
func Sources(c *config.Clinic, lang string, resp *llms.ContentResponse) []schemas.Source {
	out := []schemas.Source{}
	if resp == nil || len(resp.Choices) == 0 {
		return out
	}
	keys, _ := resp.Choices[0].GenerationInfo["sources"].([]string)
	seen := map[string]bool{}
	for _, k := range keys {
		title := sourceTitle(c, k, lang)
		if title == "" || seen[title] {
			continue
		}
		seen[title] = true
		url := c.Contact.Website
		if k == "booking" {
			url = c.Contact.BookingURL
		}
		out = append(out, schemas.Source{Title: c.Name + ": " + title, URL: url})
	}
	return out
}

// sourceTitle is the title of the fact key names, in lang, or "" if c
// has no such fact: a key comes from a model, and a model can write
// anything.
func sourceTitle(c *config.Clinic, key, lang string) string {
	group, id, hasID := strings.Cut(key, "/")
	switch group {
	case "treatments":
		for _, t := range c.Treatments {
			if hasID && t.ID == id {
				return t.Name.In(lang)
			}
		}
		return ""
	case "faq":
		for _, f := range c.FAQ {
			if hasID && f.ID == id {
				return sourceLabels[group].In(lang)
			}
		}
		return ""
	}
	if hasID {
		return ""
	}
	return sourceLabels[group].In(lang)
}
