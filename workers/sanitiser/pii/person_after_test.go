package pii

import (
	"fmt"
	"testing"
)

// personCase is a message and what the person detector alone makes of
// it, [P] standing for any person placeholder.
type personCase struct{ lang, in, want string }

// runPersonCases redacts each case with the person detector alone.
func runPersonCases(t *testing.T, tests []personCase) {
	t.Helper()
	r := personOnly()
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%02d_%s", i+1, tt.lang), func(t *testing.T) {
			out, _ := r.Redact(tt.in, nil)
			if got := anyPerson.ReplaceAllString(out, "[P]"); got != tt.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestPersonRelationAfter checks a name followed by its relation to the
// writer, where even a name that is also a word is a name, and the
// sentences of the same shape that hold no name.
func TestPersonRelationAfter(t *testing.T) {
	runPersonCases(t, []personCase{
		{"en", "Iris is my daughter, she's 16", "[P] is my daughter, she's 16"},
		{"en", "Rose is my little sister and wants botox",
			"[P] is my little sister and wants botox"},
		{"en", "Hope is our 16-year-old daughter", "[P] is our 16-year-old daughter"},
		{"en", "Iris, my daughter, wants fillers", "[P], my daughter, wants fillers"},
		{"en", "My daughter is Iris and she is 16", "My daughter is [P] and she is 16"},
		{"en", "Today is my sister's wedding", "Today is my sister's wedding"},
		{"en", "Unfortunately, my daughter cannot come.",
			"Unfortunately, my daughter cannot come."},
		{"en", "my husband is Diabetic, is that a problem?",
			"my husband is Diabetic, is that a problem?"},
		{"en", "Retinol is my best friend", "Retinol is my best friend"},
		{"en", "Parking is my husband's job, is there a car park?",
			"Parking is my husband's job, is there a car park?"},
		{"en", "Summer is my daughter's favourite season",
			"Summer is my daughter's favourite season"},
		{"en", "Iris is my daughter's friend", "[P] is my daughter's friend"},
		{"en", "Rose is my sister's best friend", "[P] is my sister's best friend"},
		{"en", "Retinol is my daughter's best friend",
			"Retinol is my daughter's best friend"},
		{"nl", "Roos is mijn dochter haar vriendin", "[P] is mijn dochter haar vriendin"},
		{"nl", "Iris is m'n zus d'r collega", "[P] is m'n zus d'r collega"},
		{"nl", "Parkeren is mijn man zijn taak", "Parkeren is mijn man zijn taak"},
		{"nl", "Betalen is mijn man zijn ding", "Betalen is mijn man zijn ding"},
		{"nl", "Lotte is mijn dochter", "[P] is mijn dochter"},
		{"nl", "Roos is m'n jongste zus", "[P] is m'n jongste zus"},
		{"nl", "Mijn dochter is Noor", "Mijn dochter is [P]"},
		{"nl", "Morgen is mijn dochter jarig", "Morgen is mijn dochter jarig"},
		{"nl", "Trouwens, mijn zus wil ook komen.", "Trouwens, mijn zus wil ook komen."},
		{"nl", "mijn man is Marokkaan", "mijn man is Marokkaan"},
		{"fr", "Chloé est ma fille", "[P] est ma fille"},
		{"fr", "Iris c'est ma fille", "[P] c'est ma fille"},
		{"fr", "Rose, c'est ma belle-sœur", "[P], c'est ma belle-sœur"},
		{"nl", "Hope is mijn nichtje", "[P] is mijn nichtje"},
		{"de", "Das ist Hope, meine Tochter", "Das ist [P], meine Tochter"},
		{"de", "Rose ist meine Schwägerin", "[P] ist meine Schwägerin"},
		{"fr", "Iris (ma fille) voudrait un peeling", "[P] (ma fille) voudrait un peeling"},
		{"fr", "Rose est ma belle-mère", "[P] est ma belle-mère"},
		{"fr", "Sinon, ma mère voudrait un rendez-vous.",
			"Sinon, ma mère voudrait un rendez-vous."},
		{"fr", "Demain est ma fille libre?", "Demain est ma fille libre?"},
		{"fr", "Sinon c'est ma mère qui viendra", "Sinon c'est ma mère qui viendra"},
		{"de", "Hope ist meine Tochter", "[P] ist meine Tochter"},
		{"de", "Anna ist meine kleine Schwester", "[P] ist meine kleine Schwester"},
		{"de", "Heute ist meine Mutter krank.", "Heute ist meine Mutter krank."},
		{"de", "Leider ist meine Tochter krank.", "Leider ist meine Tochter krank."},
	})
}

// TestPersonSignoffSurname checks a sign-off or a title followed by a name
// one of whose words a keep-list holds: a given name that is also a word
// ("Lieve" is Dutch for dear) or a surname that is ("Lang", "Mark").
func TestPersonSignoffSurname(t *testing.T) {
	runPersonCases(t, []personCase{
		{"en", "Kind regards, Lieve Goossens", "Kind regards, [P]"},
		{"en", "Thanks, Will Smith", "Thanks, [P]"},
		{"en", "Best regards,\nBen Peeters", "Best regards,\n[P]"},
		{"nl", "Groetjes, Mark De Smet", "Groetjes, [P]"},
		{"nl", "Groetjes,\nmark de smet", "Groetjes,\n[P]"},
		{"nl", "Groetjes, Ben Peeters", "Groetjes, [P]"},
		{"nl", "Groetjes, Lieve", "Groetjes, [P]"},
		{"nl", "Groetjes, Roos Lang", "Groetjes, [P]"},
		{"en", "Kind regards, Jack Black", "Kind regards, [P]"},
		{"nl", "Lieve Marleen, bedankt!", "Lieve [P], bedankt!"},
		{"nl", "Lieve groetjes, Marleen", "Lieve groetjes, [P]"},
		{"nl", "Dank je, anders kom ik dinsdag.", "Dank je, anders kom ik dinsdag."},
		{"nl", "Bedankt, Anders bel ik morgen", "Bedankt, Anders bel ik morgen"},
		{"fr", "Bien à vous, Ben Dupont", "Bien à vous, [P]"},
		{"fr", "Merci, Paris La Défense est loin", "Merci, Paris La Défense est loin"},
		{"nl", "Bedankt, Ben", "Bedankt, [P]"},
		{"en", "Thanks, Ben!", "Thanks, [P]!"},
		{"en", "Ok see you then. Thanks, Will", "Ok see you then. Thanks, [P]"},
		{"fr", "Merci, Paris!", "Merci, Paris!"},
		{"en", "Thanks, April", "Thanks, April"},
		{"en", "Thanks, Ben. See you Friday", "Thanks, Ben. See you Friday"},
		{"fr", "Merci Julie Belle journée", "Merci [P] Belle journée"},
		{"de", "Herzliche Grüße, Ursula Lang", "Herzliche Grüße, [P]"},
		{"de", "Viele Grüße\nAnna Lang", "Viele Grüße\n[P]"},
		{"de", "Herr Lang kommt morgen", "Herr [P] kommt morgen"},
		{"de", "Liebe Grüße, Anna. Lang ist es her", "Liebe Grüße, [P]. Lang ist es her"},
		{"de", "Wie lang dauert es? Danke, Anna", "Wie lang dauert es? Danke, [P]"},
	})
}

// TestPersonLowerSignature checks a given name in lower case that signs
// a message off at its very end, after a dash or alone on its line, and
// the lower-case words there that are no names.
func TestPersonLowerSignature(t *testing.T) {
	runPersonCases(t, []personCase{
		{"en", "ok thanks, see u thursday then - sam",
			"ok thanks, see u thursday then - [P]"},
		{"en", "see you then\nemma", "see you then\n[P]"},
		{"en", "prices please - botox", "prices please - botox"},
		{"en", "see you then - mark", "see you then - mark"},
		{"nl", "ok tot dan – lotte", "ok tot dan – [P]"},
		{"nl", "ochtend - middag - avond", "ochtend - middag - avond"},
		{"nl", "ik kom met sofie - morgen", "ik kom met sofie - morgen"},
		{"fr", "merci! - julie", "merci! - [P]"},
		{"fr", "à jeudi\ncamille", "à jeudi\n[P]"},
		{"fr", "botox - acide hyaluronique", "botox - acide hyaluronique"},
		{"de", "bis dann - jonas", "bis dann - [P]"},
		{"de", "laser - winter", "laser - winter"},
	})
}

// TestPersonLabelSurname checks a surname alone after a phrase that labels
// it: a maiden name, a birth name, what a passport says.
func TestPersonLabelSurname(t *testing.T) {
	runPersonCases(t, []personCase{
		{"en", "I booked under my maiden name, Dubois, but my passport says Van Acker now",
			"I booked under my maiden name, [P], but my passport says [P] now"},
		{"en", "my maiden name is Peeters", "my maiden name is [P]"},
		{"en", "my passport says Belgium", "my passport says Belgium"},
		{"en", "Name, Address and Phone please", "Name, Address and Phone please"},
		{"nl", "Meisjesnaam: Janssens", "Meisjesnaam: [P]"},
		{"nl", "mijn meisjesnaam was Claes", "mijn meisjesnaam was [P]"},
		{"en", "I booked under the name Van Acker", "I booked under the name [P]"},
		{"en", "the booking is under review", "the booking is under review"},
		{"nl", "mijn meisjesnaam is Claes, in mijn paspoort staat Wouters",
			"mijn meisjesnaam is [P], in mijn paspoort staat [P]"},
		{"nl", "Welke naam, Adres en telefoon hebben jullie nodig?",
			"Welke naam, Adres en telefoon hebben jullie nodig?"},
		{"fr", "Mon nom de jeune fille est Dubois", "Mon nom de jeune fille est [P]"},
		{"fr", "nom de jeune fille : Lambert", "nom de jeune fille : [P]"},
		{"de", "Mein Mädchenname ist Becker", "Mein Mädchenname ist [P]"},
		{"de", "Anna Schmidt, geb. Becker", "[P], geb. [P]"},
		{"de", "Mein Mädchenname ist egal, oder?", "Mein Mädchenname ist egal, oder?"},
		{"de", "Name des Produkts: Profhilo", "Name des Produkts: Profhilo"},
		{"fr", "Nom du Produit : Profhilo", "Nom du Produit : Profhilo"},
		{"de", "Mein Geburtsname, Lang, steht im Pass",
			"Mein Geburtsname, [P], steht im Pass"},
		{"nl", "Naam: Ben", "Naam: [P]"},
		{"fr", "Marie Martin, née Dubois", "[P], née [P]"},
		{"fr", "je suis née Lambert", "je suis née [P]"},
		{"fr", "je suis née à Liège", "je suis née à Liège"},
		{"nl", "Nee Peeters is niet mijn naam", "Nee Peeters is niet mijn naam"},
		{"en", "the booking is under Dubois", "the booking is under [P]"},
		{"en", "it is under Van Acker", "it is under [P]"},
		{"en", "the booking is under Review", "the booking is under Review"},
		{"en", "under Botox it says 250", "under Botox it says 250"},
		{"nl", "Het staat op naam van Peeters", "Het staat op naam van [P]"},
		{"fr", "Un message de la part de Dubois", "Un message de la part de [P]"},
		{"fr", "au nom de Van Acker", "au nom de [P]"},
	})
}

// TestPersonFalseAlarms checks words that were taken for names: French
// possessives before a noun, an adverb after "moi", a German noun alone
// at the end, a language after a verb of speaking, and a name that is
// also a word alone after a question.
func TestPersonFalseAlarms(t *testing.T) {
	runPersonCases(t, []personCase{
		{"fr", "Son GSM : 0497 12 34 56", "Son GSM : 0497 12 34 56"},
		{"fr", "Son Instagram est privé", "Son Instagram est privé"},
		{"fr", "Sa fille Léa voudrait un peeling", "Sa fille [P] voudrait un peeling"},
		{"fr", "Appelez-moi vite", "Appelez-moi vite"},
		{"fr", "Appelez-moi demain matin", "Appelez-moi demain matin"},
		{"fr", "Appelez-moi Sophie", "Appelez-moi [P]"},
		{"fr", "je parle Anglais et Néerlandais", "je parle Anglais et Néerlandais"},
		{"en", "my son Tom wants fillers", "my son [P] wants fillers"},
		{"en", "My 16 year old son Max wants laser", "My 16 year old son [P] wants laser"},
		{"en", "Son Heung-min is my favourite", "Son Heung-min is my favourite"},
		{"en", "Call me tomorrow please", "Call me tomorrow please"},
		{"en", "call me sam", "call me [P]"},
		{"en", "Which season is best for laser? Summer?",
			"Which season is best for laser? Summer?"},
		{"en", "I speak French and English", "I speak French and English"},
		{"nl", "ik spreek Frans en Nederlands", "ik spreek Frans en Nederlands"},
		{"nl", "Spreekt u ook Engels of Frans?", "Spreekt u ook Engels of Frans?"},
		{"nl", "Ik spreek Nederlands, Engels en Frans",
			"Ik spreek Nederlands, Engels en Frans"},
		{"nl", "Kan ik morgen Frans spreken? Frans Peeters",
			"Kan ik morgen Frans spreken? [P]"},
		{"nl", "Rose?", "Rose?"},
		{"nl", "Ik spreek Nederlands en een beetje Frans",
			"Ik spreek Nederlands en een beetje Frans"},
		{"nl", "Spreken jullie Frans of Engels?", "Spreken jullie Frans of Engels?"},
		{"nl", "ik spreek morgen met Frans", "ik spreek morgen met [P]"},
		{"nl", "Noem me gerust bij mijn voornaam", "Noem me gerust bij mijn voornaam"},
		{"en", "Winter or Summer, which is better for IPL?",
			"Winter or Summer, which is better for IPL?"},
		{"en", "Sofie and Rose want a peeling", "[P] and [P] want a peeling"},
		{"de", "Laser im Winter? Sommer?", "Laser im Winter? Sommer?"},
		{"de", "Nennen Sie mich einfach beim Vornamen",
			"Nennen Sie mich einfach beim Vornamen"},
		{"de", "Wann ist der beste Zeitpunkt für Laser? Winter?",
			"Wann ist der beste Zeitpunkt für Laser? Winter?"},
		{"de", "Geht das auch im Sommer, Winter?",
			"Geht das auch im Sommer, Winter?"},
		{"de", "Ich habe nicht Zeit, Winter ist besser",
			"Ich habe nicht Zeit, Winter ist besser"},
		{"de", "Mein Sohn Jonas möchte kommen", "Mein Sohn [P] möchte kommen"},
		{"de", "Ich spreche Englisch und Französisch",
			"Ich spreche Englisch und Französisch"},
	})
}
