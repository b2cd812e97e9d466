package pii

import "testing"

func TestIBANs(t *testing.T) {
	runIDCases(t, NewWith(ibanDetector{}), []idCase{
		{"valid spaced", "IBAN BE68 5390 0754 7034 graag",
			"IBAN [IBAN_1] graag", ReasonMod97},
		{"valid block", "BE68539007547034.", "[IBAN_1].", ReasonMod97},
		{"valid same key", "BE68539007547034 = be68 5390 0754 7034",
			"[IBAN_1] = [IBAN_1]", ReasonMod97},
		{"split over lines", "IBAN BE68 5390\n0754 7034 graag",
			"IBAN [IBAN_1] graag", ReasonMod97},
		{"split over crlf and spaces", "BE68 5390 \r\n 0754 7034",
			"[IBAN_1]", ReasonMod97},
		{"two line breaks part", "BE68 5390\n\n0754 7034",
			"BE68 5390\n\n0754 7034", ""},

		// A typo in the print format: the shape says it.
		{"be typo spaced", "stort op BE68 5390 0754 7035 aub",
			"stort op [IBAN_1] aub", ReasonIBANShape},
		{"nl typo spaced", "NL91 ABNA 0417 1643 01", "[IBAN_1]", ReasonIBANShape},
		{"fr typo spaced", "mon RIB: FR14 2004 1010 0505 0001 3M02 607.",
			"mon RIB: [IBAN_1].", ReasonIBANShape},
		{"de typo spaced", "DE89 3704 0044 0532 0130 01",
			"[IBAN_1]", ReasonIBANShape},
		{"typo lower case", "be68 5390 0754 7035", "[IBAN_1]", ReasonIBANShape},
		{"typo then a word", "BE68 5390 0754 7035 graag",
			"[IBAN_1] graag", ReasonIBANShape},

		// A typo in one block: only after a cue.
		{"block typo after iban", "IBAN: BE68539007547035",
			"IBAN: [IBAN_1]", ReasonContext},
		{"block typo after rekeningnummer", "mijn rekeningnummer is BE68539007547035",
			"mijn rekeningnummer is [IBAN_1]", ReasonContext},
		{"block typo after konto", "Konto: DE89370400440532013001",
			"Konto: [IBAN_1]", ReasonContext},
		{"block typo without cue", "code BE68539007547035",
			"code BE68539007547035", ""},
		{"block typo cue too far", "IBAN? weet ik niet, maar BE68539007547035",
			"IBAN? weet ik niet, maar BE68539007547035", ""},

		// Hard negatives: VAT numbers, product codes, other shapes.
		{"be vat spaced", "btw BE 0712.345.678", "btw BE 0712.345.678", ""},
		{"be vat block", "btw BE0712345678", "btw BE0712345678", ""},
		{"nl vat", "btw NL123456789B01", "btw NL123456789B01", ""},
		{"de vat", "USt-IdNr. DE123456789", "USt-IdNr. DE123456789", ""},
		{"fr vat", "TVA FR12345678901", "TVA FR12345678901", ""},
		{"short code", "lot NL12 ABCD 1234 56", "lot NL12 ABCD 1234 56", ""},
		{"nl without bank letters", "NL91 1234 0417 1643 01",
			"NL91 1234 0417 1643 01", ""},
		{"be with a letter", "BE68 53A0 0754 7035", "BE68 53A0 0754 7035", ""},
		{"check digits 00", "BE00 5390 0754 7034", "BE00 5390 0754 7034", ""},
		{"check digits 99", "BE99 5390 0754 7034", "BE99 5390 0754 7034", ""},
		{"unknown country", "XX68 5390 0754 7035", "XX68 5390 0754 7035", ""},
		{"odd groups", "BE68 53900754 7035", "BE68 53900754 7035", ""},
		{"one digit too many", "BE68 5390 0754 7035 1", "BE68 5390 0754 7035 1", ""},
		{"one digit too few", "BE68 5390 0754 703", "BE68 5390 0754 703", ""},
		{"glued", "xBE68 5390 0754 7035", "xBE68 5390 0754 7035", ""},
		{"in a word", "BE68539007547035abc", "BE68539007547035abc", ""},
	})
}

// TestIBANShapes checks that every country with an IBAN length has a
// national part whose shape adds up to it.
func TestIBANShapes(t *testing.T) {
	if len(ibanBBAN) != len(ibanLengths) {
		t.Errorf("%d shapes for %d lengths", len(ibanBBAN), len(ibanLengths))
	}
	for cc, length := range ibanLengths {
		shape, ok := ibanBBAN[cc]
		if !ok {
			t.Errorf("%s: no shape", cc)
			continue
		}
		n, total := 0, 0
		for i := 0; i < len(shape); i++ {
			if isDigit(shape[i]) {
				n = n*10 + int(shape[i]-'0')
				continue
			}
			if !containsByte("nac", shape[i]) || n == 0 {
				t.Errorf("%s: bad shape %q", cc, shape)
			}
			total, n = total+n, 0
		}
		if n != 0 || 4+total != length {
			t.Errorf("%s: shape %q makes %d characters, want %d",
				cc, shape, 4+total, length)
		}
	}
}
