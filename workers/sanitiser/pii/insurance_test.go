package pii

import "testing"

func TestInsurance(t *testing.T) {
	runIDCases(t, NewWith(insuranceDetector{}), []idCase{
		{"kvnr", "Versichertennummer: A123456789.",
			"Versichertennummer: [HEALTH_INSURANCE_1].", ReasonContext},
		{"kvnr spaced letter", "AOK Rheinland, Mitgliedsnummer R 5530 1187 42",
			"AOK Rheinland, Mitgliedsnummer [HEALTH_INSURANCE_1]", ReasonContext},
		{"tk", "My German health insurance is TK, insurance number M482019378",
			"My German health insurance is TK, insurance number [HEALTH_INSURANCE_1]",
			ReasonContext},
		{"spaced", "my mutuelle member number is 7730 2214 589",
			"my mutuelle member number is [HEALTH_INSURANCE_1]", ""},
		{"ehic", "mijn EHIC-kaart: 80056000041928733105, klopt dat?",
			"mijn EHIC-kaart: [HEALTH_INSURANCE_1], klopt dat?", ""},
		{"slashes", "Mutualité chrétienne, numéro d'affiliation 123/456789-01 svp",
			"Mutualité chrétienne, numéro d'affiliation [HEALTH_INSURANCE_1] svp", ""},
		{"lidnummer", "Mijn lidnummer bij het ziekenfonds is 2045 8871",
			"Mijn lidnummer bij het ziekenfonds is [HEALTH_INSURANCE_1]", ""},
		{"same value twice", "lidnummer 204588 of lidnr. 204 588",
			"lidnummer [HEALTH_INSURANCE_1] of lidnr. [HEALTH_INSURANCE_1]", ""},
		{"ends before the word", "Krankenkasse AOK, Nummer K987654321 und so",
			"Krankenkasse AOK, Nummer [HEALTH_INSURANCE_1] und so", ""},
		{"ends before a count", "lidnummer 204588 2 ml", "lidnummer [HEALTH_INSURANCE_1] 2 ml", ""},

		{"leading zero after a number cue", "Mutuelle MGEN, numéro adhérent 04218733566, merci",
			"Mutuelle MGEN, numéro adhérent [HEALTH_INSURANCE_1], merci", ""},
		{"n° de membre",
			"Ma mutuelle me demande une attestation, mon n° de membre est le 235-1289034-57",
			"Ma mutuelle me demande une attestation, mon n° de membre est le " +
				"[HEALTH_INSURANCE_1]", ""},
		{"grouped leading zero", "mon numéro d'adhérent Solidaris est 0321 558 904",
			"mon numéro d'adhérent Solidaris est [HEALTH_INSURANCE_1]", ""},
		{"intl phone after a number cue", "lidnummer? +32 470 12 34 56",
			"lidnummer? +32 470 12 34 56", ""},

		{"list", "ziekenfonds a b c d e A1234567 en 7654321",
			"ziekenfonds a b c d e [HEALTH_INSURANCE_1] en [HEALTH_INSURANCE_2]", ""},

		// The cue after the number, with link words between.
		{"cue after", "A123456789 is mijn lidnummer",
			"[HEALTH_INSURANCE_1] is mijn lidnummer", ReasonContext},
		{"cue after de", "K987654321 ist meine Versichertennummer.",
			"[HEALTH_INSURANCE_1] ist meine Versichertennummer.", ""},
		{"cue after fr leading zero", "04218733566 est mon numéro d'adhérent",
			"[HEALTH_INSURANCE_1] est mon numéro d'adhérent", ""},
		{"cue after a number word", "A123456789 is mijn nummer bij het ziekenfonds",
			"[HEALTH_INSURANCE_1] is mijn nummer bij het ziekenfonds", ""},
		{"cue after en", "M482019378 is my member ID",
			"[HEALTH_INSURANCE_1] is my member ID", ""},
		{"fund after without a number word", "A123456789 is mijn ziekenfonds",
			"A123456789 is mijn ziekenfonds", ""},
		{"fund after an amount", "2045887 is van het ziekenfonds",
			"2045887 is van het ziekenfonds", ""},
		{"phone before a fund", "0470 12 34 56 is het nummer van mijn mutualiteit",
			"0470 12 34 56 is het nummer van mijn mutualiteit", ""},
		{"cue after a word", "A123456789 voor het ziekenfonds",
			"A123456789 voor het ziekenfonds", ""},
		{"cue after a reference", "bestelling A1234567 is het nummer van mijn mutuelle",
			"bestelling A1234567 is het nummer van mijn mutuelle", ""},

		{"no cue", "bestelling A123456789 en 7730 2214 589",
			"bestelling A123456789 en 7730 2214 589", ""},
		{"cue too far", "Ziekenfonds? Ik denk het niet, maar ik heb wel bon 123456789",
			"Ziekenfonds? Ik denk het niet, maar ik heb wel bon 123456789", ""},
		{"refund amount", "het ziekenfonds betaalt 1.250 of € 125000 terug",
			"het ziekenfonds betaalt 1.250 of € 125000 terug", ""},
		{"thousands", "Krankenkasse zahlt 12 500 Euro", "Krankenkasse zahlt 12 500 Euro", ""},
		{"date", "mutualiteit sinds 01/03/2020 en 2019-05-04",
			"mutualiteit sinds 01/03/2020 en 2019-05-04", ""},
		{"month", "mutuelle depuis 03/2025", "mutuelle depuis 03/2025", ""},
		{"phone", "bel de mutualiteit op 078 15 16 17 of +32 2 515 02 11",
			"bel de mutualiteit op 078 15 16 17 of +32 2 515 02 11", ""},
		{"postcode", "Krankenkasse in 10115 Berlin", "Krankenkasse in 10115 Berlin", ""},
		{"units", "ziekenfonds en 50 units", "ziekenfonds en 50 units", ""},
		{"decimal", "mutuelle 125,50 ou 1250.75", "mutuelle 125,50 ou 1250.75", ""},
		{"after a decimal comma", "lidnr 000000,000000", "lidnr 000000,000000", ""},
		{"after a placeholder", "lidnr [PHONE_1]/123456", "lidnr [PHONE_1]/123456", ""},
		{"after a label", "lidnr.1234567", "lidnr.[HEALTH_INSURANCE_1]", ""},
		{"inside a word", "Krankenkasse Versicherung2024abcdef",
			"Krankenkasse Versicherung2024abcdef", ""},
	})
}

// TestInsuranceAmongOthers checks that a national id, an IBAN or a phone
// after an insurance cue keeps its own type.
func TestInsuranceAmongOthers(t *testing.T) {
	runIDCases(t, New(), []idCase{
		{"nrn", "mijn lidnummer is mijn rijksregisternummer 85.07.30-033.28",
			"mijn lidnummer is mijn rijksregisternummer [NATIONAL_ID_1]", ""},
		{"iban", "ziekenfonds rekening BE68 5390 0754 7034",
			"ziekenfonds rekening [IBAN_1]", ""},
		{"phone", "mutualiteit: 0470 12 34 56", "mutualiteit: [PHONE_1]", ""},
		{"two", "Versichertennummer A123456789, Tel. 0151 23456789",
			"Versichertennummer [HEALTH_INSURANCE_1], Tel. [PHONE_1]", ""},
		{"two without phone cue", "lidnummer 2045887, 0470 12 34 56",
			"lidnummer [HEALTH_INSURANCE_1], [PHONE_1]", ""},
	})
}
