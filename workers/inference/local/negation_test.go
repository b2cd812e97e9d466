package local

import (
	"testing"

	"github.com/iglowly/assistant/config"
)

// Sources of the demo clinics' treatments, as answers list them.
var (
	botox     = []string{"treatments/botox"}
	lipFiller = []string{"treatments/lip-filler"}
	fillers   = []string{"treatments/lip-filler", "treatments/cheek-filler"}
	micro     = []string{"treatments/microneedling"}
	underarms = []string{"treatments/laser-underarms"}
)

func TestNegation(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		question string
		sources  []string
	}{
		{"english", demo, "en", "not botox but filler", fillers},
		{"dutch", demo, "nl", "geen botox maar fillers", fillers},
		{"french", demo, "fr", "pas le botox mais les fillers", fillers},
		{"german", demo, "de", "nicht Botox sondern Filler", fillers},
		{"a comma ends the negation", demo, "en", "no botox, filler please",
			fillers},
		{"negated wish", demo, "en",
			"I don't want botox, what does filler cost?", fillers},
		{"negation after the treatment wanted", demo, "en",
			"lip filler, not botox", lipFiller},
		{"without", demo, "de", "Filler ohne Botox?", fillers},
		{"ne ... pas", demo, "fr",
			"Je ne veux pas de botox. Combien coûte le microneedling ?", micro},
		{"rather not", demo, "nl",
			"liever geen botox, wat kost microneedling?", micro},
		{"instead of", demo, "en",
			"Instead of botox, how much is microneedling?", micro},
		{"two ruled out", demo, "en",
			"no botox or lip filler, just microneedling", micro},
		{"one area of a shared treatment ruled out", demo, "en",
			"laser, not for the legs but for the underarms", underarms},
		{"other clinic", demo2, "nl", "geen botox maar fillers", lipFiller},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sources := ask(t, tt.clinic, tt.lang, tt.question)
			checkSources(t, sources, tt.sources...)
		})
	}
}

// TestOnlyNegated checks the choice made when every treatment named is
// ruled out: the answer is about it, as the question names nothing else.
func TestOnlyNegated(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		lang, question string
		want           []string
	}{
		{"en", "not botox?", []string{"botulinum toxin", "€190"}},
		{"de", "kein Botox?", []string{"Botulinumtoxin", "190 €"}},
		{"nl", "geen botox of lipfiller?", []string{"€ 190", "€ 320"}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			answer, _ := ask(t, demo, tt.lang, tt.question)
			checkContains(t, answer, tt.want...)
		})
	}
}

// TestFalseNegation asks with phrases that look negative but rule nothing
// out. Most name another treatment before them, which would be the only
// one answered about if the phrase were read as a negation.
func TestFalseNegation(t *testing.T) {
	demo, _ := demoClinics(t)
	botoxAndLips := []string{"treatments/botox", "treatments/lip-filler"}
	tests := []struct {
		lang, question string
		sources        []string
	}{
		{"en", "How much is lip filler? I'm not sure if botox would be better.",
			botoxAndLips},
		{"nl", "Wat kost lipfiller? Ik weet niet of botox beter is.",
			botoxAndLips},
		{"fr", "Combien coûte l'injection des lèvres ? Je ne sais pas si le " +
			"botox serait mieux.", botoxAndLips},
		{"de", "Was kostet Lippenunterspritzung? Ich weiß nicht ob Botox " +
			"besser wäre.", botoxAndLips},
		{"en", "not only botox but also microneedling",
			[]string{"treatments/botox", "treatments/microneedling"}},
		{"en", "not sure if botox is right", botox},
		{"nl", "ik weet niet of botox iets is", botox},
		{"fr", "je ne sais pas si le botox est fait pour moi", botox},
		{"de", "ich weiß nicht, ob Botox das Richtige ist", botox},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			_, sources := ask(t, demo, tt.lang, tt.question)
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestNegationInFollowUp(t *testing.T) {
	demo, _ := demoClinics(t)
	answer, sources := ask(t, demo, "en", "not botox, I mean lip filler",
		"How much is botox?")
	checkSources(t, sources, lipFiller...)
	checkContains(t, answer, "€320")
	checkLacks(t, answer, "€190")
}
