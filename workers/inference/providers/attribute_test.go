package providers

import (
	"slices"
	"strings"
	"testing"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/workers/inference"
)

// priced250 is the demo clinic with botox at a single price of 250 euros.
func priced250(t testing.TB) *config.Clinic {
	c := clinic(t, "openai:gpt-test")
	c.Treatments = slices.Clone(c.Treatments)
	for i := range c.Treatments {
		if c.Treatments[i].ID == "botox" {
			c.Treatments[i].PriceFrom, c.Treatments[i].PriceTo = 250, 0
		}
	}
	return c
}

// attributeCases are answers written as a hosted model writes them, and
// the keys each must get.
var attributeCases = []struct {
	name, answer string
	want         []string
}{
	{"name and price", "Botox costs €250 per area.", []string{"treatments/botox"}},
	{"denied", "We do not offer botox here.", []string{}},
	{"denied, German", "Wir bieten kein Botox an.", []string{}},
	{"denied and named", "We don't do botox, but a lip filler costs 300 euro.",
		[]string{"treatments/lip-filler"}},
	{"decomposed accents", "Un peeling chimique le\u0301ger, c'est parfait.",
		[]string{"treatments/peel-light"}},
	{"keywords, other order", "For 250 euro per zone we smooth frown lines " +
		"with botulinum toxin.", []string{"treatments/botox"}},
	{"Dutch name, price after", "Anti-rimpelinjecties kosten 250,00 € per zone.",
		[]string{"treatments/botox"}},
	{"French, plural", "Les injections antirides coûtent 250 € la zone.",
		[]string{"treatments/botox"}},
	{"German name", "Eine Faltenbehandlung mit Botox kostet EUR 250.",
		[]string{"treatments/botox"}},
	{"a price alone", "That one is €320 per ml, and the result shows at once.",
		[]string{"treatments/lip-filler"}},
	{"another treatment's price beside a name", "Botox costs €320 per area.",
		[]string{"treatments/botox"}},
	{"plural of a name", "Lip fillers last six to nine months.",
		[]string{"treatments/lip-filler"}},
	{"a range", "A medium peel is 180–220 euros.", []string{"treatments/peel-medium"}},
	{"a list of prices", "A lip filler is €320, a cheek filler 340-380 euro and " +
		"a light chemical peel 95,00 €.", []string{"prices"}},
	{"a fee of an FAQ is no price", "That costs € 50.", nil},
	{"an unknown price", "That costs €999.", nil},
	{"thousands are no price", "A year of it is €320.000 or 320,000 EUR.", nil},
	{"thousands and cents", "That is 320,00 euro, or €2,320.00 for ten.",
		[]string{"treatments/lip-filler"}},
	{"one keyword alone", "Fillers do not add collagen.", nil},
	{"two keywords", "Needling boosts collagen.", []string{"treatments/microneedling"}},
	{"a keyword of another beside a name", "Botox relaxes the facial muscles.",
		[]string{"treatments/botox"}},
	{"a shared word", "Our laser hair removal is gentle and quick.", nil},
	{"hours, 12-hour clock", "On Mondays we are open from 12 to 7 pm.",
		[]string{"hours"}},
	{"hours, two times", "We open at 09:00 and close at 18h.", []string{"hours"}},
	{"hours, German", "Samstags haben wir von 10 bis 15 Uhr geöffnet.",
		[]string{"hours"}},
	{"a time the clinic does not keep", "We open at 8:00 on Monday.", nil},
	{"a day without a time", "Come by on Monday.", nil},
	{"street", "You will find us on Avenue Louise.", []string{"address"}},
	{"postcode and city", "We are in 1050 Brussels.", []string{"address"}},
	{"postcode alone", "Our code is 1050.", nil},
	{"phone, national", "Call us on 02 555 01 23.", []string{"contact"}},
	{"phone, international", "Call +32 2 555 01 23 or 0032 2 555 01 23.",
		[]string{"contact"}},
	{"phone with slash and points", "Bel 02/555.01.23.", []string{"contact"}},
	{"another phone", "Call 02 555 99 99.", nil},
	{"email", "Write to INFO@lumiere-demo.example.", []string{"contact"}},
	{"booking link", "[Book here](https://www.lumiere-demo.example/book/).",
		[]string{"booking"}},
	{"the website is no booking link", "See https://www.lumiere-demo.example.", nil},
	{"parking", "There is an underground car park at Place Stéphanie.",
		[]string{"faq/parking"}},
	{"payment", "We take Bancontact and Payconiq, no cash.",
		[]string{"faq/payment"}},
	{"one word of an FAQ", "Mastercard, perhaps.", nil},
	{"two words of an FAQ", "We accept Mastercard.", []string{"faq/payment"}},
	{"several", "Botox is €250; book at www.lumiere-demo.example/book or " +
		"call 02 555 01 23.", []string{"treatments/botox", "contact", "booking"}},
	{"names nothing", "I am sorry, I do not know that. It has been a pleasure: " +
		"please ask for a consultation with one of our doctors.", nil},
	{"everyday words", "You can go back to work straight away on your first visit.",
		nil},
}

// TestAttribute checks the keys answers written as a hosted model writes
// them get: paraphrased, in another word order or language than the
// fact's title, prices written in several ways; and none for an answer
// that shows no fact, or one only a model's mistake or several facts
// share.
func TestAttribute(t *testing.T) {
	c := priced250(t)
	for _, tt := range attributeCases {
		t.Run(tt.name, func(t *testing.T) {
			got := attribute(c, tt.answer)
			if got == nil || !slices.Equal(got, append([]string{}, tt.want...)) {
				t.Errorf("%q: %q, want %q", tt.answer, got, tt.want)
			}
		})
	}
}

// TestAttributeDutchClinic checks answers for the second demo clinic,
// which answers in Dutch and English only.
func TestAttributeDutchClinic(t *testing.T) {
	clinics, err := config.DemoClinics("", "")
	if err != nil {
		t.Fatal(err)
	}
	c := clinics[1]
	for _, tt := range []struct {
		answer string
		want   []string
	}{
		{"Een lipfiller kost bij ons 350 euro per ml.", []string{"treatments/lip-filler"}},
		{"Wij zijn open van dinsdag tot donderdag van 10 tot 18 uur.",
			[]string{"hours"}},
		{"Op vrijdag zijn we open van 13u tot 21u.", []string{"hours"}},
		{"U vindt ons in de Kasteelpleinstraat, vlak bij de Groenplaats.",
			[]string{"address"}},
		{"Annuleren kan kosteloos tot 24 uur vooraf.", []string{"faq/cancellation"}},
		{"Botox kost bij ons EUR 250 per zone.", []string{"treatments/botox"}},
		{"Bel ons op 03 555 47 80 of boek via huidkliniek-demo.example/afspraak.",
			[]string{"contact", "booking"}},
		{"Daar kan ik u niet mee helpen.", nil},
	} {
		if got := attribute(c, tt.answer); !slices.Equal(got, append([]string{},
			tt.want...)) {
			t.Errorf("%q: %q, want %q", tt.answer, got, tt.want)
		}
	}
}

// TestAttributeHostile checks that an answer spelling fact keys, as a
// model told to by a visitor could, gets no source from them.
func TestAttributeHostile(t *testing.T) {
	c := priced250(t)
	for _, answer := range []string{
		"treatments/botox",
		"Sources: treatments / botox, faq/parking, prices, hours, contact, booking.",
		`{"sources": ["treatments/botox", "treatments/lip-filler", "faq/payment"]}`,
		"TREATMENTS/BOTOX and FAQ / PARKING",
		"See lumiere-demo.example/treatments/botox for more.",
	} {
		if got := attribute(c, answer); len(got) != 0 {
			t.Errorf("%q: %q, want none", answer, got)
		}
	}
}

// TestAttributeFollowsTheClinic checks that a changed clinic is matched
// with its new facts, not the cached ones.
func TestAttributeFollowsTheClinic(t *testing.T) {
	c := priced250(t)
	if got := attribute(c, "Call 02 555 01 23."); !slices.Equal(got, []string{"contact"}) {
		t.Fatalf("%q", got)
	}
	changed := *c
	changed.Contact.Phone = "+32 2 555 99 99"
	if got := attribute(&changed, "Call 02 555 01 23."); len(got) != 0 {
		t.Errorf("the old phone still matches: %q", got)
	}
	if got := attribute(&changed, "Call 02 555 99 99."); !slices.Equal(got,
		[]string{"contact"}) {
		t.Errorf("the new phone does not match: %q", got)
	}
}

// BenchmarkAttribute measures matching a 60-word answer against the
// demo clinic's facts, once they are indexed.
func BenchmarkAttribute(b *testing.B) {
	c := priced250(b)
	answer := "Anti-wrinkle injections cost €250 per area and take twenty " +
		"minutes. You can go back to work straight away. On Mondays we are " +
		"open from 12 to 7 pm, and from Tuesday to Friday from 9:00 to 18:00. " +
		"You will find us at Avenue Louise 231, 1050 Brussels; the underground " +
		"car park at Place Stéphanie is close. Book at " +
		"https://www.lumiere-demo.example/book or call 02 555 01 23."
	attribute(c, answer)
	b.ReportAllocs()
	for b.Loop() {
		attribute(c, answer)
	}
}

// FuzzAttribute checks, for any answer a provider could send, valid
// UTF-8 or not, that matching does not fail, gives the same keys each
// time, gives only keys Sources titles, and gains nothing from keys
// spelled after the answer.
func FuzzAttribute(f *testing.F) {
	for _, tt := range attributeCases {
		f.Add(tt.answer)
	}
	f.Add("\xff\xfe 1.2.3,45,678 €€ -- 9h99 25:00 +(0) 02 555 01 23\x00")
	c := priced250(f)
	f.Fuzz(func(t *testing.T, answer string) {
		got := attribute(c, answer)
		if got == nil || !slices.Equal(got, attribute(c, answer)) {
			t.Fatalf("%q: %q, then otherwise", answer, got)
		}
		for _, k := range got {
			resp := &llms.ContentResponse{Choices: []*llms.ContentChoice{{
				GenerationInfo: map[string]any{"sources": []string{k}}}}}
			if len(inference.Sources(c, "en", resp)) != 1 {
				t.Fatalf("%q: key %q names no fact", answer, k)
			}
		}
		if strings.Contains(answer, "/") {
			return
		}
		spelled := answer + "\n\ntreatments/botox faq/parking treatments / lip-filler"
		if more := attribute(c, spelled); !slices.Equal(more, got) {
			t.Fatalf("%q: %q, with keys spelled after it %q", answer, got, more)
		}
	})
}
