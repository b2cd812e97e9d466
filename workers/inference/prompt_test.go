package inference

import (
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

func text(m llms.MessageContent) string {
	var b strings.Builder
	for _, p := range m.Parts {
		if t, ok := p.(llms.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

func TestPrompt(t *testing.T) {
	clinics, err := config.DemoClinics("https://a.example", "https://b.example")
	if err != nil {
		t.Fatal(err)
	}
	demo := clinics[0]
	in := &schemas.MessageSanitised{
		Message: "Hoeveel kost botox?",
		History: []schemas.Turn{{Role: "user", Text: "Mail [EMAIL_1]"},
			{Role: "assistant", Text: "Graag."}},
	}
	msgs := Prompt(demo, "nl", in)
	if len(msgs) != 4 {
		t.Fatalf("%d messages, want system, two history turns and the question", len(msgs))
	}
	wantRoles := []llms.ChatMessageType{llms.ChatMessageTypeSystem, llms.ChatMessageTypeHuman,
		llms.ChatMessageTypeAI, llms.ChatMessageTypeHuman}
	for i, m := range msgs {
		if m.Role != wantRoles[i] {
			t.Errorf("message %d role %s, want %s", i, m.Role, wantRoles[i])
		}
	}
	sys := text(msgs[0])
	for _, want := range []string{demo.Name, demo.Contact.Phone, "Answer in Dutch.", "112", "[EMAIL_1]"} {
		if !strings.Contains(sys, want) {
			t.Errorf("system prompt lacks %q", want)
		}
	}
	if got := text(msgs[3]); got != "Hoeveel kost botox?" {
		t.Errorf("question %q", got)
	}
	if fr := text(Prompt(demo, "fr", in)[0]); !strings.HasSuffix(fr, "Answer in French.") {
		t.Errorf("French prompt ends %q", fr[len(fr)-30:])
	}

	// A changed clinic (a new *config.Clinic) gets a prompt with its new facts.
	changed := *demo
	changed.Name = "Clinique Lumière Ixelles"
	if sys := text(Prompt(&changed, "nl", in)[0]); !strings.Contains(sys, "Clinique Lumière Ixelles") {
		t.Error("the prompt of a changed clinic keeps the old name")
	}
	if sys := text(Prompt(demo, "nl", in)[0]); strings.Contains(sys, "Ixelles") {
		t.Error("the old clinic's prompt took the changed name")
	}
}

func BenchmarkPrompt(b *testing.B) {
	clinics, _ := config.DemoClinics("https://a.example", "")
	in := &schemas.MessageSanitised{Message: "Hoeveel kost botox?"}
	b.ReportAllocs()
	for b.Loop() {
		Prompt(clinics[0], "nl", in)
	}
}

// TestSources checks that the fact keys of a model's answer become
// titled links in the visitor's language, each title once, and that a
// key naming no fact of the clinic is dropped.
func TestSources(t *testing.T) {
	clinics, err := config.DemoClinics("https://a.example", "")
	if err != nil {
		t.Fatal(err)
	}
	demo := clinics[0]
	resp := func(keys ...string) *llms.ContentResponse {
		return &llms.ContentResponse{Choices: []*llms.ContentChoice{{
			GenerationInfo: map[string]any{"sources": keys}}}}
	}
	site, book := demo.Contact.Website, demo.Contact.BookingURL
	tests := []struct {
		name string
		lang string
		keys []string
		want []schemas.Source
	}{
		{"facts", "fr", []string{"treatments/botox", "hours", "booking"},
			[]schemas.Source{
				{Title: "Clinique Lumière: Injections antirides (botox)", URL: site},
				{Title: "Clinique Lumière: Horaires", URL: site},
				{Title: "Clinique Lumière: Rendez-vous", URL: book}}},
		{"one title once", "en", []string{"faq/parking", "faq/payment", "hours", "hours"},
			[]schemas.Source{
				{Title: "Clinique Lumière: Practical information", URL: site},
				{Title: "Clinique Lumière: Opening hours", URL: site}}},
		{"no such fact", "en", []string{"treatments/nope", "faq/nope", "faq",
			"treatments", "hours/x", "prices/botox", "greeting", "", "../hours"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sources(demo, tt.lang, resp(tt.keys...))
			if len(got) != len(tt.want) {
				t.Fatalf("sources %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("source %d %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
	if got := Sources(demo, "en", nil); got == nil || len(got) != 0 {
		t.Errorf("no answer: %#v, want an empty list", got)
	}
}
