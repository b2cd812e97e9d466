package pii

import "testing"

// idCase is a text, the text expected after redaction and, when a value
// is found, the reason of the first finding.
type idCase struct {
	name, in, want string
	reason         Reason
}

// runIDCases redacts each case with r.
func runIDCases(t *testing.T, r *Redactor, tests []idCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := r.Redact(tt.in, nil)
			if got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.reason != "" && (len(found) == 0 || found[0].Reason != tt.reason) {
				t.Errorf("Redact(%q) findings %v, want reason %s",
					tt.in, found, tt.reason)
			}
		})
	}
}

func TestNationalIDs(t *testing.T) {
	runIDCases(t, NewWith(nationalIDDetector{}), []idCase{
		// Dutch BSN: a cue or the written form.
		{"bsn cue", "Mijn BSN is 123456782.", "Mijn BSN is [NATIONAL_ID_1].",
			ReasonMod11Cue},
		{"bsn-nummer", "BSN-nummer: 1234 56 782", "BSN-nummer: [NATIONAL_ID_1]",
			ReasonMod11},
		{"burgerservicenummer", "burgerservicenummer 111.222.333 graag",
			"burgerservicenummer [NATIONAL_ID_1] graag", ReasonMod11Cue},
		{"sofinummer", "mijn sofi-nummer was 174382054",
			"mijn sofi-nummer was [NATIONAL_ID_1]", ReasonMod11Cue},
		{"written form", "nummer 1234.56.782", "nummer [NATIONAL_ID_1]",
			ReasonMod11},
		{"cue without check", "BSN 123456789", "BSN [NATIONAL_ID_1]",
			ReasonContext},
		{"bare valid bsn", "bestelling 123456782 is onderweg",
			"bestelling 123456782 is onderweg", ""},
		{"written form from 0", "0123.45.678", "0123.45.678", ""},
		{"amount", "€ 123.456.782", "€ 123.456.782", ""},
		{"lu phone", "bel 621 123 456", "bel 621 123 456", ""},
		{"be landline", "bel 02 123 45 67", "bel 02 123 45 67", ""},
		{"cue too far", "BSN? Dat weet ik niet, ik heb alleen een order 123456782",
			"BSN? Dat weet ik niet, ik heb alleen een order 123456782", ""},
		{"cue further for a valid number", "BSN? Dat weet ik niet, maar 123456782",
			"BSN? Dat weet ik niet, maar [NATIONAL_ID_1]", ReasonMod11Cue},
		{"cue further, check fails", "BSN? Dat weet ik niet, maar 123456789",
			"BSN? Dat weet ik niet, maar 123456789", ""},
		{"list", "Onze BSN nummers: ik 123456782 en mijn dochter 111222333.",
			"Onze BSN nummers: ik [NATIONAL_ID_1] en mijn dochter [NATIONAL_ID_2].",
			ReasonMod11Cue},
		{"list after another id", "rijksregisternummer 85073003328 of 111222333",
			"rijksregisternummer [NATIONAL_ID_1] of [NATIONAL_ID_2]", ReasonMod97},
		{"list too long", "BSN 123456782, en dan nog een hele tijd niets, 111222333",
			"BSN [NATIONAL_ID_1], en dan nog een hele tijd niets, 111222333", ""},

		// French NIR: the key suffices.
		{"nir spaced", "n° sécu 1 85 05 78 006 084 91",
			"n° sécu [NATIONAL_ID_1]", ReasonMod97},
		{"nir plain", "NIR: 185057800608491.", "NIR: [NATIONAL_ID_1].",
			ReasonMod97},
		{"nir without cue", "c'est le 2 93 06 75 123 456 35 voilà",
			"c'est le [NATIONAL_ID_1] voilà", ReasonMod97},
		{"nir key apart", "1850578006084 91", "[NATIONAL_ID_1]", ReasonMod97},
		{"nir corsica", "né en Corse : 1 85 05 2A 006 084 35",
			"né en Corse : [NATIONAL_ID_1]", ReasonMod97},
		{"nir corsica glued", "185052A00608435", "[NATIONAL_ID_1]", ReasonMod97},
		{"nir corsica 2B", "2 75 11 2B 123 045 37", "[NATIONAL_ID_1]", ReasonMod97},
		{"nir bad key no cue", "ref 1 85 05 78 006 084 36",
			"ref 1 85 05 78 006 084 36", ""},
		{"nir bad key after cue", "sécurité sociale : 1 85 05 78 006 084 36",
			"sécurité sociale : [NATIONAL_ID_1]", ReasonContext},
		{"corsica bad key", "1 85 05 2A 006 084 91", "1 85 05 2A 006 084 91", ""},

		// German Steuer-IdNr.
		{"steuer plain", "Steuer-ID 86095742719", "Steuer-ID [NATIONAL_ID_1]",
			ReasonMod1110},
		{"steuer printed", "meine 86 095 742 719 bitte",
			"meine [NATIONAL_ID_1] bitte", ReasonMod1110},
		{"steuer no cue", "Nummer 65929970489.", "Nummer [NATIONAL_ID_1].",
			ReasonMod1110},
		{"steuer odd grouping needs cue", "ref 860 957 427 19",
			"ref 860 957 427 19", ""},
		{"steuer odd grouping after cue", "IdNr. 860 957 427 19",
			"IdNr. [NATIONAL_ID_1]", ReasonMod1110},
		{"steuer rule broken", "Nummer 11123456786", "Nummer 11123456786", ""},
		{"us phone 11 digits", "call 1 555 123 4567", "call 1 555 123 4567", ""},
		{"de phone", "Tel. 0151 2345 6789", "Tel. 0151 2345 6789", ""},

		// Belgian numbers keep working, and a cue catches a typo.
		{"nrn", "rijksregisternummer 85.07.30-033.28",
			"rijksregisternummer [NATIONAL_ID_1]", ReasonMod97},
		{"nrn typo after cue", "rijksregisternummer 85.07.30-033.29",
			"rijksregisternummer [NATIONAL_ID_1]", ReasonContext},
		{"nrn typo no cue", "85.07.30-033.29", "85.07.30-033.29", ""},

		// A number that passes a check by chance after a reference cue.
		{"order passes nrn", "bestelling 85073003328 is onderweg",
			"bestelling 85073003328 is onderweg", ""},
		{"order passes steuer", "Order 86095742719 arrived",
			"Order 86095742719 arrived", ""},
		{"invoice passes steuer printed", "Rechnung Nr. 86 095 742 719",
			"Rechnung Nr. 86 095 742 719", ""},
		{"invoice passes nir", "facture n° 185057800608491",
			"facture n° 185057800608491", ""},
		{"commande passes corsican nir", "commande 185052A00608435",
			"commande 185052A00608435", ""},
		{"reference passes bsn form", "ref: 1234.56.782", "ref: 1234.56.782", ""},
		{"tracking passes nrn", "tracking code is 85073003328",
			"tracking code is 85073003328", ""},
		{"pakket passes nrn", "pakketnummer: 85.07.30-033.28",
			"pakketnummer: 85.07.30-033.28", ""},
		{"order in a list of bsns", "BSN 123456782, bestelling 111222333",
			"BSN [NATIONAL_ID_1], bestelling 111222333", ReasonMod11Cue},
		{"id cue nearer than the reference",
			"ordernummer? mijn rijksregisternummer is 85073003328",
			"ordernummer? mijn rijksregisternummer is [NATIONAL_ID_1]", ReasonMod97},
		{"id cue before the reference", "my Steuer-ID for the invoice: 86095742719",
			"my Steuer-ID for the invoice: [NATIONAL_ID_1]", ReasonMod1110},
		{"reference then an id", "pakket 85073003328 en rijksregisternummer 93051214627",
			"pakket 85073003328 en rijksregisternummer [NATIONAL_ID_1]", ReasonMod97},
		{"reference too far", "bestelling van gisteren, en verder 85073003328",
			"bestelling van gisteren, en verder [NATIONAL_ID_1]", ReasonMod97},

		// Look-alikes.
		{"card", "4111 1111 1111 1111", "4111 1111 1111 1111", ""},
		{"amex", "378282246310005", "378282246310005", ""},
		{"date and time", "op 12.03.2025 om 14.30", "op 12.03.2025 om 14.30", ""},
		{"price", "1.250.000 euro", "1.250.000 euro", ""},
	})
}

// TestNationalIDsAmongOthers checks national ids next to the values of
// other detectors, with every detector on.
func TestNationalIDsAmongOthers(t *testing.T) {
	runIDCases(t, New(), []idCase{
		{"bsn and phone", "BSN 123456782, tel 06-12345678",
			"BSN [NATIONAL_ID_1], tel [PHONE_1]", ReasonMod11Cue},
		{"nir and card", "NIR 185057800608491 carte 4111111111111111",
			"NIR [NATIONAL_ID_1] carte [CREDIT_CARD_1]", ReasonMod97},
		{"amex stays a card", "Amex 378282246310005", "Amex [CREDIT_CARD_1]", ""},
		{"two ids", "Steuer-ID 86095742719 und BSN 111222333",
			"Steuer-ID [NATIONAL_ID_1] und BSN [NATIONAL_ID_2]", ReasonMod1110},
	})
}

// TestIdentifiersHardNegatives redacts clean messages whose numbers sit
// near the cue words of the identifier detectors: none of them may find
// anything.
func TestIdentifiersHardNegatives(t *testing.T) {
	mine := map[Type]bool{}
	for _, d := range identifierDetectors {
		mine[d.Type()] = true
	}
	r := New()
	for _, msg := range []string{
		"Mijn ziekenfonds betaalt 250 euro terug na 3 sessies, klopt dat?",
		"Ik ben sinds 2015 lid van de mutualiteit, betaalt die 20% terug?",
		"Ma mutuelle rembourse 50 % jusqu'à 150 € par an, et la CPAM ?",
		"Zahlt meine Krankenkasse die Behandlung am 12.03.2025 um 14:30?",
		"Meine Krankenkasse sitzt in 10115 Berlin, reicht das?",
		"Do I need my passport? The appointment is at 10:30 on 03/04/2025.",
		"Mon passeport expire le 12-03-2026, je viens le 15/04 à 9h30.",
		"Paspoortfoto's maken jullie niet? Dan ga ik om 14.00 naar de stad.",
		"Is version 2.1.0.4 of your app the latest? The site says 1.250.000 visits.",
		"Wir haben von 09:00 bis 17:30 Uhr geöffnet, Termine ab 8.30.",
		"Ik heb bestelling 123456782 geplaatst voor 2 ml Juvéderm.",
		"Order 86095742718 arrived, 50 units of Botox for € 1.250,00.",
		"Ik heb bestelling 85073003328 nog niet ontvangen, wanneer komt die?",
		"My invoice 86095742719 says € 350 for 1 ml, is that right?",
		"Ma commande n° 185057800608491 n'est pas arrivée, 2 ml de Profhilo.",
		"Meine Bestellnummer ist 86 095 742 719, Lieferung am 12.03.2025?",
		"We'll meet at the clinic at 10.30, look at the map on the site.",
		"Je suis chez moi demain, le rendez-vous est à 14h30 chez vous.",
		"Follow the aftercare on page 2 and stay at home for 24 hours.",
		"Kan ik een afspraak maken voor Profhilo op 12.03 om 9.30 uur?",
		"Die Behandlung kostet 350 Euro, Termin 24.12.2025, 2 ml Hyaluron.",
		"The price list says 2 x 1 ml for 450 euros, at 10:30 or 14:00.",
		"Mein Ausweis ist abgelaufen, geht auch der Führerschein? Ich bin 45.",
		"Tot 6 weken na de behandeling: max. 2 à 3 sessies van 30-45 minuten.",
	} {
		_, found := r.Redact(msg, nil)
		for _, f := range found {
			if mine[f.Type] {
				t.Errorf("%s %q in %q (%s)", f.Type, msg[f.Start:f.End], msg, f.Reason)
			}
		}
	}
}
