package local

import (
	"slices"
	"testing"

	"github.com/iglowly/assistant/config"
)

func TestCompounds(t *testing.T) {
	demo, demo2 := demoClinics(t)
	none := []string{"contact", "booking"}
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		question string
		sources  []string
	}{
		// The keyword is not where the compound starts.
		{"area the clinic has no word for", demo2, "nl",
			"Wat kost okselontharing?", []string{"treatments/laser-hair"}},
		{"keyword in the middle", demo, "de",
			"Was kostet die Unterachselhaarentfernung?", underarms},
		{"keyword at the end", demo, "de",
			"Was kostet die Behandlung von Lachfalten?", botox},
		{"dutch keyword at the end", demo, "nl",
			"Hoeveel kost het wegwerken van lachrimpels?", botox},
		{"area of a treatment for every area", demo2, "nl",
			"rugontharing prijs", []string{"treatments/laser-hair"}},
		{"area before an area keyword", demo, "nl",
			"Wat kost onderbeenontharing?", []string{"treatments/laser-legs"}},

		// The keyword starts the compound.
		{"upper lip hair", demo, "de", "Was kostet es für Oberlippenhaare?",
			[]string{"treatments/laser-face"}},
		{"dutch upper lip hair", demo, "nl", "bovenlipharen weghalen, prijs?",
			[]string{"treatments/laser-face"}},
		{"upper lip hair, one laser", demo2, "nl", "prijs bovenlipharen",
			[]string{"treatments/laser-hair"}},
		{"underarm hair removal", demo, "de", "Achselhaarentfernung Preis",
			underarms},
		{"dutch underarm hair removal", demo, "nl", "Wat kost okselontharing?",
			underarms},
		{"lip filler by its name", demo, "de",
			"Was kostet eine Lippenunterspritzung?", lipFiller},
		{"lip augmentation", demo, "nl", "prijs lippenvergroting", lipFiller},
		{"linking s", demo, "de", "Gesichtshaarentfernung Preis",
			[]string{"treatments/laser-face"}},
		{"long keyword before an unknown part", demo, "de",
			"Microneedlingergebnisse?", micro},
		{"dutch verb stem", demo, "nl", "Is er parkeergelegenheid?",
			[]string{"faq/parking"}},

		// A short keyword inside an unrelated word names nothing.
		{"bein in beinhaltet", demo, "de", "Was beinhaltet die Beratung?",
			[]string{"treatments/consultation"}},
		{"bein in beinahe", demo, "de", "Ich war beinahe da", none},
		{"face in facebook", demo, "nl", "Zijn jullie op Facebook?", none},
		{"gift in giftig", demo, "nl", "Is botox giftig?", botox},
		{"anti in antibiotica", demo, "nl", "Mag ik antibiotica nemen?", none},
		{"arts in hartslag", demo, "nl", "hartslag", none},
		{"bein at the end of schlusselbein", demo, "de", "Schlüsselbein", none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sources := ask(t, tt.clinic, tt.lang, tt.question)
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestSplitParts(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		clinic *config.Clinic
		word   string
		want   []string // nil: the word does not split
	}{
		{demo2, "okselontharing", []string{"oksel", "ontharing"}},
		{demo, "unterachselhaare", []string{"unter", "achsel", "haare"}},
		{demo, "oberlippenhaare", []string{"oberlippe", "haare"}},
		{demo, "gesichtshaarentfernung", []string{"gesicht", "haarentfernung"}},
		{demo2, "lachrimpeltjes", []string{"lach", "rimpel"}},
		{demo, "gezichtsbehandelingen", []string{"gezichtsbehandeling"}},
		{demo, "hartslag", nil},
		{demo, "beinahe", nil},
		{demo, "schlusselbein", nil},
		{demo, "facebook", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got, ok := indexFor(tt.clinic).lex.splitParts(tt.word, false, nil)
			if !ok {
				got = nil
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parts = %q, want %q", got, tt.want)
			}
		})
	}
}
