package local

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/tmc/langchaingo/llms"

	"github.com/iglowly/assistant/config"
)

// demoClinics loads the real demo clinics: "demo" (Brussels) and
// "demo-2" (Antwerp).
func demoClinics(t testing.TB) (demo, demo2 *config.Clinic) {
	t.Helper()
	cs, err := config.DemoClinics("http://127.0.0.1:8080", "http://localhost:8080")
	if err != nil {
		t.Fatalf("loading demo clinics: %v", err)
	}
	if len(cs) != 2 || cs[0].ID != "demo" || cs[1].ID != "demo-2" {
		t.Fatalf("demo clinics = %d, want demo and demo-2", len(cs))
	}
	return cs[0], cs[1]
}

// thursday is 5 March 2026, 10:30 in Brussels.
var thursday = time.Date(2026, 3, 5, 10, 30, 0, 0, brussels)

// conversationOf builds messages: history questions, each followed by an
// assistant turn, then the question.
func conversationOf(question string, history ...string) []llms.MessageContent {
	var msgs []llms.MessageContent
	for _, h := range history {
		msgs = append(msgs,
			llms.TextParts(llms.ChatMessageTypeHuman, h),
			llms.TextParts(llms.ChatMessageTypeAI, "(earlier answer)"))
	}
	return append(msgs, llms.TextParts(llms.ChatMessageTypeHuman, question))
}

// ask returns the answer and its sources for question at thursday.
func ask(t testing.TB, c *config.Clinic, lang, question string,
	history ...string,
) (string, []string) {
	t.Helper()
	return askAt(t, c, lang, thursday, question, history...)
}

func askAt(t testing.TB, c *config.Clinic, lang string, now time.Time,
	question string, history ...string,
) (string, []string) {
	t.Helper()
	m := New(c, lang)
	m.now = func() time.Time { return now }
	resp, err := m.GenerateContent(context.Background(),
		conversationOf(question, history...))
	if err != nil {
		t.Fatalf("GenerateContent: %v", err)
	}
	if len(resp.Choices) != 1 {
		t.Fatalf("choices = %d, want 1", len(resp.Choices))
	}
	ch := resp.Choices[0]
	if ch.StopReason != "stop" {
		t.Errorf("stop reason = %q, want stop", ch.StopReason)
	}
	sources, ok := ch.GenerationInfo["sources"].([]string)
	if !ok {
		t.Fatalf("sources = %T, want []string", ch.GenerationInfo["sources"])
	}
	return ch.Content, sources
}

func checkContains(t *testing.T, answer string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(answer, w) {
			t.Errorf("answer lacks %q:\n%s", w, answer)
		}
	}
}

func checkLacks(t *testing.T, answer string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(answer, u) {
			t.Errorf("answer contains %q:\n%s", u, answer)
		}
	}
}

func checkSources(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("sources = %q, want %q", got, want)
	}
}

func TestPriceQuestions(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		question string
		want     []string
		unwanted []string
	}{
		{"dutch", demo, "nl", "Hoeveel kost botox?",
			[]string{"kost tussen € 190 en € 260 per zone"}, nil},
		{"english", demo, "en", "How much does botox cost?",
			[]string{"The price for", "from €190 to €260 per area"}, nil},
		{"french", demo, "fr", "Combien coûte le botox ?",
			[]string{"Injections antirides (botox) : de 190 € à 260 € par zone."}, nil},
		{"german", demo, "de", "Was kostet Botox?",
			[]string{"Faltenbehandlung mit Botox: 190 € bis 260 € pro Zone."}, nil},
		{"second clinic has its own price", demo2, "nl", "Hoeveel kost botox?",
			[]string{"€ 220 en € 300"}, []string{"190"}},
		{"single price", demo, "en", "What does lip filler cost?",
			[]string{"The price for lip filler is €320 per ml."}, nil},
		{"free consultation", demo, "en", "Is the consultation free?",
			[]string{"free of charge"}, []string{"€"}},
		{"paid consultation elsewhere", demo2, "en", "Is the consultation free?",
			[]string{"€50"}, []string{"free of charge"}},
		{"answer language differs from question", demo, "de", "hoeveel kost lipfiller",
			[]string{"Lippenunterspritzung: 320 € pro ml."}, nil},
		{"two treatments", demo, "nl", "botox en lipfiller prijs",
			[]string{"€ 190", "€ 320"}, nil},
		{"several areas of one treatment", demo, "en", "how much is laser?",
			[]string{"€59", "€79", "€89", "€249"}, []string{"€320"}},
		{"area named", demo, "de", "Was kostet Laser-Haarentfernung an den Beinen?",
			[]string{"249 € pro Sitzung"}, []string{"59 €", "79 €"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, _ := ask(t, tt.clinic, tt.lang, tt.question)
			checkContains(t, answer, tt.want...)
			checkLacks(t, answer, tt.unwanted...)
		})
	}
}

func TestPriceSources(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		question string
		want     []string
	}{
		{"Hoeveel kost botox?", []string{"treatments/botox"}},
		{"filler for the lips, price?", []string{"treatments/lip-filler"}},
		{"filler?", []string{"treatments/lip-filler", "treatments/cheek-filler"}},
		{"What is the price of a facial?", []string{"treatments/hydrafacial"}},
		{"What are your prices?", []string{"prices"}},
		{"Quels sont vos tarifs ?", []string{"prices"}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			_, sources := ask(t, demo, "en", tt.question)
			checkSources(t, sources, tt.want...)
		})
	}
}

func TestPriceList(t *testing.T) {
	demo, _ := demoClinics(t)
	answer, _ := ask(t, demo, "fr", "Quels sont vos tarifs ?")
	checkContains(t, answer, "Nos tarifs :",
		"Injections antirides (botox) : à partir de 190 € par zone.",
		"Épilation laser – visage : 59 € par séance.",
		"Consultation avec un médecin : sans frais.")
}

func TestHours(t *testing.T) {
	demo, demo2 := demoClinics(t)
	sunday := time.Date(2026, 3, 8, 11, 0, 0, 0, brussels)
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		now      time.Time
		question string
		want     []string
	}{
		{"french week", demo, "fr", thursday,
			"Quels sont vos horaires d'ouverture ?", []string{
				"Nous sommes ouverts le lundi de 12h à 19h, le mardi et mercredi de 9h à 18h",
				"le samedi de 10h à 15h.",
				"Nous sommes fermés le dimanche.",
				"jours fériés"}},
		{"french named day", demo, "fr", thursday, "Êtes-vous ouverts samedi ?",
			[]string{"Le samedi, nous sommes ouverts de 10h à 15h."}},
		{"grouped days", demo2, "en", thursday, "opening hours?", []string{
			"We are open Tuesday to Thursday from 10:00 to 18:00",
			"We are closed on Monday and Sunday."}},
		{"today", demo, "de", thursday, "Sind Sie heute geöffnet?",
			[]string{"Heute (Donnerstag) haben wir von 09:00 bis 20:00 Uhr geöffnet."}},
		{"tomorrow", demo, "en", thursday, "and tomorrow?",
			[]string{"Tomorrow (Friday) we are open from 09:00 to 18:00."}},
		{"closed day names the next opening", demo, "en", thursday,
			"Are you open on Sunday?", []string{
				"We are closed on Sunday.",
				"We open again on Monday from 12:00 to 19:00."}},
		{"closed today", demo, "nl", sunday, "Zijn jullie vandaag open?",
			[]string{"Vandaag (zondag) zijn we gesloten.",
				"We zijn weer open op maandag van 12:00 tot 19:00."}},
		{"open now", demo, "nl", thursday, "Zijn jullie nu open?",
			[]string{"We zijn nu open, tot 20:00."}},
		{"closed now, opening later today", demo, "en",
			time.Date(2026, 3, 9, 8, 0, 0, 0, brussels), "are you open now?",
			[]string{"We are closed right now.",
				"Today (Monday) we are open from 12:00 to 19:00."}},
		{"closed now, opening tomorrow", demo, "en",
			time.Date(2026, 3, 5, 21, 0, 0, 0, brussels), "open now?",
			[]string{"We are closed right now.",
				"We open again on Friday from 09:00 to 18:00."}},
		{"typo and transliteration", demo, "de", thursday, "Oeffnungszeiten",
			[]string{"Wir haben Montag von 12:00 bis 19:00 Uhr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, sources := askAt(t, tt.clinic, tt.lang, tt.now, tt.question)
			checkContains(t, answer, tt.want...)
			checkSources(t, sources, "hours")
		})
	}
}

func TestAddress(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		question string
		want     []string
		sources  []string
	}{
		{"german", demo, "de", "Wo finde ich Sie? Wie ist die Adresse?",
			[]string{"Unsere Adresse: Avenue Louise 231, 1050 Brüssel, Belgien."},
			[]string{"address"}},
		{"dutch place names", demo2, "nl", "Wat is jullie adres?",
			[]string{"Ons adres is Kasteelpleinstraat 59, 2000 Antwerpen, België."},
			[]string{"address"}},
		{"how to get there", demo, "en", "How do I get there?",
			[]string{"Avenue Louise 231", "Trams 8 and 93"},
			[]string{"address", "faq/public-transport"}},
		{"parking", demo, "fr", "Où puis-je me garer ?",
			[]string{"parking public souterrain"}, []string{"faq/parking"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, sources := ask(t, tt.clinic, tt.lang, tt.question)
			checkContains(t, answer, tt.want...)
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestFollowUp(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		name     string
		lang     string
		history  []string
		question string
		want     []string
		sources  []string
	}{
		{"duration after a price question", "en",
			[]string{"How much is lip filler?"}, "and how long does it take?",
			[]string{"Lip filler: a session takes about 30 minutes."},
			[]string{"treatments/lip-filler"}},
		{"price after a description", "nl",
			[]string{"Wat is microneedling?"}, "en hoeveel kost dat?",
			[]string{"Microneedling kost € 220 per sessie."},
			[]string{"treatments/microneedling"}},
		{"treatment named two turns back", "en",
			[]string{"How much is lip filler?", "What are your opening hours?"},
			"how long does it take?",
			[]string{"30 minutes"}, []string{"treatments/lip-filler"}},
		{"question inherited for a new treatment", "en",
			[]string{"How much is botox?"}, "and for the lips?",
			[]string{"The price for lip filler is €320 per ml."},
			[]string{"treatments/lip-filler"}},
		{"recovery follow-up in German", "de",
			[]string{"Was kostet ein mitteltiefes Peeling?"},
			"Und wie lange ist die Ausfallzeit?",
			[]string{"Rötung und Schälen"}, []string{"treatments/peel-medium"}},
		{"new topic does not drag the old treatment", "en",
			[]string{"How much is botox?"}, "Where are you?",
			[]string{"Avenue Louise 231"}, []string{"address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, sources := ask(t, demo, tt.lang, tt.question, tt.history...)
			checkContains(t, answer, tt.want...)
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestFollowUpWithoutHistory(t *testing.T) {
	demo, _ := demoClinics(t)
	answer, sources := ask(t, demo, "en", "and how long does it take?")
	checkContains(t, answer, "Which treatment do you mean?", "microneedling")
	checkSources(t, sources, "prices")
}

func TestUnknownQuestion(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		question string
		want     []string
	}{
		{"english", demo, "en", "Can you recommend a good restaurant nearby?",
			[]string{"I'm sorry", "+32 2 555 01 23", "info@lumiere-demo.example",
				"https://www.lumiere-demo.example/book"}},
		{"dutch, other clinic", demo2, "nl", "Wie wint de voetbalmatch?",
			[]string{"Sorry", "+32 3 555 47 80"}},
		{"a day alone does not make it an hours question", demo, "en",
			"What is the weather tomorrow in Paris?",
			[]string{"I'm sorry", "+32 2 555 01 23"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, sources := ask(t, tt.clinic, tt.lang, tt.question)
			checkContains(t, answer, tt.want...)
			checkSources(t, sources, "contact", "booking")
		})
	}
}

func TestUnknownTreatment(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct{ lang, question, want string }{
		{"fr", "Faites-vous du détatouage ?", "Désolé"},
		{"en", "Do you do tattoo removal?", "I'm sorry"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			answer, sources := ask(t, demo, tt.lang, tt.question)
			checkContains(t, answer, tt.want, "microneedling")
			checkSources(t, sources, "prices")
		})
	}
}

func TestPlaceholdersIgnored(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		name     string
		question string
		sources  []string
	}{
		{"placeholders around a question",
			"Hi, I am [PERSON_1], my email is [EMAIL_1]. How much is lip filler?",
			[]string{"treatments/lip-filler"}},
		{"placeholders only", "[PHONE_1] [EMAIL_1] [PERSON_2]",
			[]string{"contact", "booking"}},
		{"placeholder glued to words", "botox[PHONE_1]price",
			[]string{"treatments/botox"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, sources := ask(t, demo, "en", tt.question)
			checkLacks(t, answer, "[", "]", "PERSON", "EMAIL_1", "PHONE_1")
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestMedicalAdviceRefused(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		lang     string
		question string
		want     string
	}{
		{"en", "Is botox safe for me, I am pregnant?",
			"I can't give personal medical advice"},
		{"nl", "Wat is dit plekje op mijn huid?", "geen persoonlijk medisch advies"},
		{"fr", "J'allaite, puis-je faire une injection des lèvres ?",
			"avis médical personnel"},
		{"de", "Ich nehme Blutverdünner, ist Botox für mich geeignet?",
			"keine persönliche medizinische Beratung"},
		{"en", "I have a rash after my peel, is that normal?",
			"I can't give personal medical advice"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			answer, sources := ask(t, demo, tt.lang, tt.question)
			checkContains(t, answer, tt.want, "Clinique Lumière", "+32 2 555 01 23")
			checkLacks(t, answer, "€", "190", "320")
			checkSources(t, sources, "contact", "booking")
		})
	}
}

func TestGeneralQuestionsNotRefused(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		lang, question, want string
	}{
		{"nl", "Wat is botox?", "botulinetoxine"},
		{"en", "What is the downtime after microneedling?", "like a mild sunburn"},
		{"en", "Is botox safe?", "a doctor discusses with you at a consultation"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			answer, _ := ask(t, demo, tt.lang, tt.question)
			checkContains(t, answer, tt.want)
			checkLacks(t, answer, "medical advice", "medisch advies")
		})
	}
}

func TestEmergency(t *testing.T) {
	demo, _ := demoClinics(t)
	answer, sources := ask(t, demo, "nl", "Ik heb ademnood na mijn filler")
	checkContains(t, answer, "112", "+32 2 555 01 23")
	checkSources(t, sources, "contact")
}

func TestFAQ(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		clinic   *config.Clinic
		lang     string
		question string
		source   string
		want     string
	}{
		{demo, "en", "Where can I park?", "faq/parking", "Place Stéphanie"},
		{demo, "fr", "Peut-on payer en espèces ?", "faq/payment", "Payconiq"},
		{demo2, "en", "can I pay cash?", "faq/payment", "cash"},
		{demo, "nl", "Ik ben 16, mag ik lipfiller?", "faq/minimum-age", "18 jaar"},
		{demo, "en", "How old do I need to be?", "faq/minimum-age", "18 or older"},
		{demo, "en", "Do I need a consultation first?", "faq/consultation-first",
			"same appointment"},
		{demo, "de", "Kann ich meinen Termin stornieren?", "faq/cancellation", "48 Stunden"},
		{demo, "de", "Gibt es Gutscheine?", "faq/gift-vouchers", "ab 50 €"},
		{demo2, "nl", "Verkopen jullie cadeaubonnen?", "faq/gift-vouchers", "geen cadeaubonnen"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			answer, sources := ask(t, tt.clinic, tt.lang, tt.question)
			checkContains(t, answer, tt.want)
			if !slices.Contains(sources, tt.source) {
				t.Errorf("sources = %q, want %q among them", sources, tt.source)
			}
		})
	}
}

func TestOtherIntents(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		name     string
		clinic   *config.Clinic
		lang     string
		question string
		want     []string
		sources  []string
	}{
		{"booking", demo, "en", "I want to book an appointment",
			[]string{"https://www.lumiere-demo.example/book", "+32 2 555 01 23"},
			[]string{"booking", "contact"}},
		{"booking on a day", demo, "nl", "Kan ik zaterdag een afspraak maken?",
			[]string{"Op zaterdag zijn we open van 10:00 tot 15:00.", "/book"},
			[]string{"hours", "booking", "contact"}},
		{"treatment on a day", demo, "nl", "Kan ik zaterdag botox laten zetten?",
			[]string{"botulinetoxine", "Op zaterdag zijn we open van 10:00 tot 15:00."},
			[]string{"treatments/botox", "hours"}},
		{"contact", demo2, "en", "What's your phone number?",
			[]string{"+32 3 555 47 80", "afspraak@huidkliniek-demo.example"},
			[]string{"contact"}},
		{"what a treatment is", demo, "fr", "C'est quoi un HydraFacial ?",
			[]string{"nettoie, exfolie et hydrate"}, []string{"treatments/hydrafacial"}},
		{"recovery", demo, "en", "what is the downtime after a medium peel?",
			[]string{"five to seven days"}, []string{"treatments/peel-medium"}},
		{"duration", demo, "de", "Wie lange dauert eine Lippenunterspritzung?",
			[]string{"Eine Sitzung dauert etwa 30 Minuten."}, []string{"treatments/lip-filler"}},
		{"how long the result lasts", demo, "en", "how long does botox last?",
			[]string{"three to four months"}, []string{"treatments/botox"}},
		{"list", demo2, "en", "Which treatments do you have?",
			[]string{"We offer botox (anti-wrinkle), lip filler", "skin booster"},
			[]string{"prices"}},
		{"offer of a named treatment", demo, "en", "Do you offer botox?",
			[]string{"botulinum toxin", "€190"}, []string{"treatments/botox"}},
		{"treatment named alone", demo, "en", "microneedling",
			[]string{"collagen", "€220 per session", "about 60 minutes"},
			[]string{"treatments/microneedling"}},
		{"greeting", demo, "fr", "Bonjour !",
			[]string{"Bienvenue à la Clinique Lumière"}, []string{"greeting"}},
		{"greeting with a question", demo, "de", "Guten Morgen, was kostet ein Hydrafacial?",
			[]string{"Hallo!", "149 € pro Sitzung"}, []string{"treatments/hydrafacial"}},
		{"thanks", demo, "nl", "Bedankt!", []string{"Graag gedaan!"}, []string{}},
		{"two questions at once", demo, "en", "how much is botox and where are you",
			[]string{"€190", "Avenue Louise 231"},
			[]string{"treatments/botox", "address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer, sources := ask(t, tt.clinic, tt.lang, tt.question)
			checkContains(t, answer, tt.want...)
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestTypos(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		lang, question, source string
	}{
		{"nl", "hoevel kost botoks", "treatments/botox"},
		{"nl", "wat kost bottox", "treatments/botox"},
		{"en", "HOW MUCH IS MICRONEEDLNG", "treatments/microneedling"},
		{"en", "what is your adress", "address"},
		{"fr", "épilation des aiselles prix", "treatments/laser-underarms"},
		{"de", "ÖFFNUNGSZEITEN", "hours"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			_, sources := ask(t, demo, tt.lang, tt.question)
			checkSources(t, sources, tt.source)
		})
	}
}

func TestSystemMessagesIgnored(t *testing.T) {
	demo, _ := demoClinics(t)
	m := New(demo, "en")
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, "Tell everyone our address."),
		llms.TextParts(llms.ChatMessageTypeHuman, "How much is botox?"),
	}
	resp, err := m.GenerateContent(context.Background(), msgs)
	if err != nil {
		t.Fatalf("GenerateContent: %v", err)
	}
	checkLacks(t, resp.Choices[0].Content, "Avenue Louise")
	checkContains(t, resp.Choices[0].Content, "€190")
}

func TestLanguageChoice(t *testing.T) {
	demo, demo2 := demoClinics(t)
	tests := []struct {
		clinic *config.Clinic
		lang   string
		want   string
	}{
		{demo, "fr", "fr"},
		{demo, "", "en"},
		{demo2, "", "nl"},
		{demo2, "fr", "nl"},
		{demo2, "en", "en"},
		{demo, "xx", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.clinic.ID+"/"+tt.lang, func(t *testing.T) {
			if got := New(tt.clinic, tt.lang).lang; got != tt.want {
				t.Errorf("lang = %q, want %q", got, tt.want)
			}
		})
	}
	answer, _ := ask(t, demo2, "fr", "Combien coûte le botox ?")
	checkContains(t, answer, "kost tussen € 220 en € 300")
}

func TestStreaming(t *testing.T) {
	demo, _ := demoClinics(t)
	m := New(demo, "en")
	var pieces []string
	resp, err := m.GenerateContent(context.Background(),
		conversationOf("What are your opening hours and your address?"),
		llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			pieces = append(pieces, string(chunk))
			return nil
		}))
	if err != nil {
		t.Fatalf("GenerateContent: %v", err)
	}
	if len(pieces) < 3 {
		t.Fatalf("pieces = %d, want one per sentence (at least 3)", len(pieces))
	}
	if got, want := strings.Join(pieces, ""), resp.Choices[0].Content; got != want {
		t.Errorf("pieces joined = %q, want the answer %q", got, want)
	}
	for i, p := range pieces[:len(pieces)-1] {
		if !strings.HasSuffix(p, " ") || strings.HasSuffix(p, "  ") {
			t.Errorf("piece %d = %q, want one trailing space", i, p)
		}
	}
	if last := pieces[len(pieces)-1]; strings.HasSuffix(last, " ") {
		t.Errorf("last piece = %q, want no trailing space", last)
	}
}

func TestStreamingStops(t *testing.T) {
	demo, _ := demoClinics(t)
	errClosed := errors.New("client went away")
	tests := []struct {
		name    string
		failAt  int   // piece at which the func cancels or fails
		cancel  bool  // cancel the context instead of failing
		wantErr error // errors.Is target
	}{
		{"context cancelled", 1, true, context.Canceled},
		{"func error", 2, false, errClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls := 0
			fn := func(context.Context, []byte) error {
				calls++
				if calls < tt.failAt {
					return nil
				}
				if tt.cancel {
					cancel()
					return nil
				}
				return errClosed
			}
			resp, err := New(demo, "en").GenerateContent(ctx,
				conversationOf("What are your prices?"), llms.WithStreamingFunc(fn))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if resp != nil {
				t.Errorf("response = %v, want nil", resp)
			}
			if calls != tt.failAt {
				t.Errorf("calls = %d, want %d (stop at once)", calls, tt.failAt)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	demo, _ := demoClinics(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		model *Model
		ctx   context.Context
		msgs  []llms.MessageContent
		want  error
	}{
		{"no clinic", New(nil, "en"), context.Background(),
			conversationOf("botox?"), ErrNoClinic},
		{"no messages", New(demo, "en"), context.Background(), nil, ErrNoQuestion},
		{"no human message", New(demo, "en"), context.Background(),
			[]llms.MessageContent{llms.TextParts(llms.ChatMessageTypeSystem, "x")},
			ErrNoQuestion},
		{"cancelled context", New(demo, "en"), cancelled,
			conversationOf("botox?"), context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.model.GenerateContent(tt.ctx, tt.msgs)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCall(t *testing.T) {
	demo, _ := demoClinics(t)
	got, err := New(demo, "nl").Call(context.Background(), "Hoeveel kost botox?")
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	want, _ := ask(t, demo, "nl", "Hoeveel kost botox?")
	if got != want {
		t.Errorf("Call = %q, want %q", got, want)
	}
}

func TestHostileInput(t *testing.T) {
	demo, _ := demoClinics(t)
	tests := []struct {
		name     string
		question string
		sources  []string
	}{
		{"invalid UTF-8", "botox \xff\xfe prijs", []string{"treatments/botox"}},
		{"empty", "", []string{"contact", "booking"}},
		{"huge", strings.Repeat("blah ", 200_000) + "botox price",
			[]string{"contact", "booking"}},
		{"lower-case brackets are text", "[botox] price", []string{"treatments/botox"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sources := ask(t, demo, "en", tt.question)
			checkSources(t, sources, tt.sources...)
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	demo, demo2 := demoClinics(t)
	questions := []string{"Hoeveel kost botox?", "opening hours", "Wo sind Sie?",
		"and how long does it take?", "Bonjour", "What are your prices?"}
	want := map[string]string{}
	for _, c := range []*config.Clinic{demo, demo2} {
		for _, q := range questions {
			want[c.ID+q], _ = ask(t, c, "en", q, "How much is lip filler?")
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				c := []*config.Clinic{demo, demo2}[(g+i)%2]
				q := questions[i%len(questions)]
				m := New(c, "en")
				m.now = func() time.Time { return thursday }
				resp, err := m.GenerateContent(context.Background(),
					conversationOf(q, "How much is lip filler?"))
				if err != nil || resp.Choices[0].Content != want[c.ID+q] {
					errs <- fmt.Sprintf("%s %q: %v", c.ID, q, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent answer differs: %s", e)
	}
}

func TestIndexCache(t *testing.T) {
	demo, _ := demoClinics(t)
	a, b := indexFor(demo), indexFor(demo)
	if a != b {
		t.Errorf("second lookup built a new index")
	}

	changed := *demo
	changed.Treatments = slices.Clone(demo.Treatments)[:3]
	if idx := indexFor(&changed); len(idx.treatments) != 3 {
		t.Errorf("index of a changed clinic has %d treatments, want 3",
			len(idx.treatments))
	}
}

func TestIndexDroppedWithClinic(t *testing.T) {
	demo, _ := demoClinics(t)
	key := indexCopy(demo)
	if _, ok := indexes.Load(key); !ok {
		t.Fatal("index not cached")
	}
	for range 100 {
		runtime.GC()
		if _, ok := indexes.Load(key); !ok {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Errorf("index still cached after its clinic was collected")
}

// indexCopy indexes a copy of c that nothing keeps alive afterwards.
func indexCopy(c *config.Clinic) weak.Pointer[config.Clinic] {
	cp := new(config.Clinic)
	*cp = *c
	indexFor(cp)
	return weak.Make(cp)
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hoeveel kost BOTOX?", "hoeveel kost botox"},
		{"Öffnungszeiten für Straße", "offnungszeiten fur strasse"},
		{"Qu'est-ce que c'est ?", "qu est ce que c est"},
		{"Crème brûlée, œuf", "creme brulee oeuf"},
		{"mail: [EMAIL_1], tel [PHONE_12]!", "mail tel"},
		{"[lowercase] [A-B]", "lowercase a b"},
		{"e-mail\tadres\n", "e mail adres"},
		{"bad \xff byte", "bad byte"},
		{"  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normalize(tt.in); got != tt.want {
				t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeClauses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no botox, filler please", "no botox | filler please"},
		{"Not botox?! Filler.", "not botox | | filler |"},
		{"geen botox\nmaar fillers", "geen botox | maar fillers"},
		{"I don't want e-mail", "i don t want e mail"},
		{"[EMAIL_1], (botox)", "| | botox |"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normalizeClauses(tt.in); got != tt.want {
				t.Errorf("normalizeClauses(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWithinOne(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"botox", "botox", true},
		{"botox", "bottox", true}, // insertion
		{"botox", "botx", true},   // deletion
		{"prijs", "prjis", true},  // transposition
		{"hoeveel", "hoevel", true},
		{"laser", "lazer", true},   // substitution
		{"botox", "botoks", false}, // two edits
		{"peel", "feel", true},
		{"abc", "cba", false},
		{"", "a", true},
		{"", "ab", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := withinOne(tt.a, tt.b); got != tt.want {
				t.Errorf("withinOne(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestEuro(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 190, "€190"},
		{"en", 1250, "€1,250"},
		{"nl", 190, "€ 190"},
		{"nl", 12500, "€ 12.500"},
		{"fr", 1250, "1 250 €"},
		{"de", 1000000, "1.000.000 €"},
		{"de", 0, "0 €"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.lang, tt.n), func(t *testing.T) {
			if got := textsFor(tt.lang).euro(tt.n); got != tt.want {
				t.Errorf("euro(%d) in %s = %q, want %q", tt.n, tt.lang, got, tt.want)
			}
		})
	}
}

func BenchmarkPriceQuestion(b *testing.B) {
	demo, _ := demoClinics(b)
	msgs := conversationOf("Hoeveel kost botox?")
	ctx := context.Background()
	indexFor(demo)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(demo, "nl").GenerateContent(ctx, msgs); err != nil {
			b.Fatal(err)
		}
	}
	reportAnswers(b)
}

func BenchmarkFollowUp(b *testing.B) {
	demo, _ := demoClinics(b)
	msgs := conversationOf("and how long does it take?",
		"What are your opening hours?", "How much is lip filler?")
	ctx := context.Background()
	indexFor(demo)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(demo, "en").GenerateContent(ctx, msgs); err != nil {
			b.Fatal(err)
		}
	}
	reportAnswers(b)
}

func BenchmarkStreamedWeekHours(b *testing.B) {
	demo, _ := demoClinics(b)
	msgs := conversationOf("Quels sont vos horaires d'ouverture ?")
	ctx := context.Background()
	stream := llms.WithStreamingFunc(func(context.Context, []byte) error { return nil })
	indexFor(demo)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(demo, "fr").GenerateContent(ctx, msgs, stream); err != nil {
			b.Fatal(err)
		}
	}
	reportAnswers(b)
}

// BenchmarkNegatedCompound answers a question that takes the slow paths
// of analysis: a negation, and a compound that splits into parts.
func BenchmarkNegatedCompound(b *testing.B) {
	demo, _ := demoClinics(b)
	msgs := conversationOf(
		"Nicht Botox, sondern Unterachselhaarentfernung: was kostet das?")
	ctx := context.Background()
	indexFor(demo)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(demo, "de").GenerateContent(ctx, msgs); err != nil {
			b.Fatal(err)
		}
	}
	reportAnswers(b)
}

func BenchmarkIndexBuild(b *testing.B) {
	demo, _ := demoClinics(b)
	b.ReportAllocs()
	for b.Loop() {
		buildIndex(demo)
	}
}

// reportAnswers adds the figures that matter for the worker: microseconds
// per answer and answers per second on one core.
func reportAnswers(b *testing.B) {
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(per*1e6, "µs/answer")
	b.ReportMetric(1/per, "answers/s")
}
