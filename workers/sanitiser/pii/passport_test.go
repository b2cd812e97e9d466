package pii

import "testing"

func TestPassport(t *testing.T) {
	runIDCases(t, NewWith(passportDetector{}), []idCase{
		{"be passport", "Mijn paspoortnummer is EH123456.",
			"Mijn paspoortnummer is [PASSPORT_1].", ReasonContext},
		{"de passport", "Reisepass-Nr. C01X00T47, gültig bis 2030",
			"Reisepass-Nr. [PASSPORT_1], gültig bis 2030", ReasonContext},
		{"pass nr", "Pass-Nr: L01X00T47", "Pass-Nr: [PASSPORT_1]", ""},
		{"fr passport", "numéro de passeport : 21FK08342 (France)",
			"numéro de passeport : [PASSPORT_1] (France)", ""},
		{"uk digits", "My passport: 538214790 (UK).", "My passport: [PASSPORT_1] (UK).", ""},
		{"spaced prefix", "passport EH 123456 please",
			"passport [PASSPORT_1] please", ""},
		{"lower case", "passeport eh123456", "passeport [PASSPORT_1]", ""},
		{"eid after cue", "mijn identiteitskaart heeft nummer 592-1234567-89",
			"mijn identiteitskaart heeft nummer [PASSPORT_1]", ReasonContext},
		{"eid without cue", "kaart 592-1234567-32 graag",
			"kaart [PASSPORT_1] graag", ReasonMod97},
		{"carte d'identité", "Carte d'identité n° 592-1234567-89",
			"Carte d'identité n° [PASSPORT_1]", ReasonContext},
		{"personalausweis", "Personalausweis: T22000129", "Personalausweis: [PASSPORT_1]", ""},

		{"list", "paspoorten: EH123456 en mijn man EH654321.",
			"paspoorten: [PASSPORT_1] en mijn man [PASSPORT_2].", ""},
		{"list too long", "paspoort EH123456, en dan nog een hele tijd niets, EH654321",
			"paspoort [PASSPORT_1], en dan nog een hele tijd niets, EH654321", ""},
		{"in a run after a short code", "pAssport A000000 0 00000000A00",
			"pAssport [PASSPORT_1] [PASSPORT_2]", ""},

		{"no cue", "bestelcode EH123456 en 538214790", "bestelcode EH123456 en 538214790", ""},
		{"eid bad check no cue", "kaart 592-1234567-89", "kaart 592-1234567-89", ""},
		{"expiry date", "paspoort geldig tot 12-03-2026 of 12.03.2026",
			"paspoort geldig tot 12-03-2026 of 12.03.2026", ""},
		{"year", "passport expires in 2027", "passport expires in 2027", ""},
		{"phone", "paspoort kwijt, bel 0470123456", "paspoort kwijt, bel 0470123456", ""},
		{"card too long", "passport, card 4111 1111 1111 1111",
			"passport, card 4111 1111 1111 1111", ""},
		{"de letters", "Reisepass: C7HL9R2T4.", "Reisepass: [PASSPORT_1].", ""},
		{"word and number", "passport Ref12345678", "passport Ref12345678", ""},
		{"long word", "passport ABCDEFGH1234", "passport ABCDEFGH1234", ""},
		{"short", "passport A123", "passport A123", ""},
		{"price", "passport photo € 125000", "passport photo € 125000", ""},
	})
}
