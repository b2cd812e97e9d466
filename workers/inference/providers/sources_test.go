package providers

import (
	"slices"
	"testing"

	"github.com/iglowly/assistant/schemas"
	"github.com/iglowly/assistant/workers/inference"
)

// TestHostedAnswersCarrySources checks, through each provider's fake,
// that a hosted answer's generation info lists the facts the whole
// streamed answer shows, facts cut across the stream's pieces included,
// and that Sources titles them as it does the local model's; and that an
// answer spelling keys gets none.
func TestHostedAnswersCarrySources(t *testing.T) {
	r := newRig(t, Config{})
	for _, p := range hostedCases {
		t.Run(p.name, func(t *testing.T) {
			f := r.fakes[p.name]
			c := clinic(t, p.model)
			f.answer(script{pieces: []string{"Our anti-wrinkle inj",
				"ections cost €190 to ", "€260 per area. Call 02 555 ", "01 23."}})
			_, resp, err := r.ask(t, c)
			if err != nil {
				t.Fatal(err)
			}
			keys, _ := resp.Choices[0].GenerationInfo["sources"].([]string)
			if !slices.Equal(keys, []string{"treatments/botox", "contact"}) {
				t.Errorf("sources %q", keys)
			}
			site := c.Contact.Website
			want := []schemas.Source{
				{Title: "Clinique Lumière: Injections antirides (botox)", URL: site},
				{Title: "Clinique Lumière: Contact", URL: site}}
			if got := inference.Sources(c, "fr", resp); !slices.Equal(got, want) {
				t.Errorf("Sources %+v, want %+v", got, want)
			}

			f.answer(script{pieces: []string{"Sources: ", "treatments/botox, ",
				"faq/parking, booking."}})
			_, resp, err = r.ask(t, c)
			if err != nil {
				t.Fatal(err)
			}
			keys, ok := resp.Choices[0].GenerationInfo["sources"].([]string)
			if !ok || len(keys) != 0 || len(inference.Sources(c, "en", resp)) != 0 {
				t.Errorf("a hostile answer got sources %q", keys)
			}
		})
	}
}
