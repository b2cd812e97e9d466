package pii

import "testing"

// TestAddresses checks the addresses found in Belgian, Dutch, French,
// German and English conventions, as one span with their box, postcode
// and city, and the numbers next to words that must stay.
func TestAddresses(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"nl full", "Kerkstraat 12 bus 3, 9000 Gent", "[ADDRESS_1]"},
		{"nl box slash", "Kerkstraat 12/3", "[ADDRESS_1]"},
		{"nl box glued", "Meir 45 b2", "[ADDRESS_1]"},
		{"nl in sentence", "ik woon in de Kerkstraat 12, kom maar langs",
			"ik woon in de [ADDRESS_1], kom maar langs"},
		{"nl lower", "mijn adres is kerkstraat 12a", "mijn adres is [ADDRESS_1]"},
		{"nl adjective", "Grote Markt 7", "[ADDRESS_1]"},
		{"nl prefix", "Lange Kievitstraat 5, 2018 Antwerpen", "[ADDRESS_1]"},
		{"nl title", "Burgemeester Van Gansberghelaan 92", "[ADDRESS_1]"},
		{"nl steenweg", "Brusselsesteenweg 1234", "[ADDRESS_1]"},
		{"nl nr", "Kerkstraat nr. 12", "[ADDRESS_1]"},
		{"nl postcode", "Damrak 1, 1012 LG Amsterdam", "[ADDRESS_1]"},
		{"nl postcode glued", "Keizersgracht 123, 1015CJ Amsterdam", "[ADDRESS_1]"},
		{"nl city no postcode", "Veldstraat 5, Gent.", "[ADDRESS_1]."},
		{"nl lower city", "Kerkstraat 12 9000 gent", "[ADDRESS_1]"},
		{"fr full", "rue de la Loi 16 boîte 4, 1000 Bruxelles", "[ADDRESS_1]"},
		{"fr number first", "J'habite au 16 rue de la Paix, 75002 Paris.",
			"J'habite au [ADDRESS_1]."},
		{"fr avenue", "Avenue Louise 235, 1050 Ixelles", "[ADDRESS_1]"},
		{"fr abbrev", "Bd Anspach 1", "[ADDRESS_1]"},
		{"fr abbrev dot", "Av. Louise 54", "[ADDRESS_1]"},
		{"fr chaussee", "Chaussée de Waterloo 1234", "[ADDRESS_1]"},
		{"fr elided", "Rue d'Arlon 12", "[ADDRESS_1]"},
		{"fr lower", "au 5 rue de la paix et je", "au [ADDRESS_1] et je"},
		{"fr bis", "12 bis, avenue Jean Jaurès", "[ADDRESS_1]"},
		{"fr prefix country", "Rue Haute 5, B-1000 Bruxelles", "[ADDRESS_1]"},
		{"fr lux", "rue de Hollerich 12, L-1741 Luxembourg", "[ADDRESS_1]"},
		{"de full", "Hauptstraße 5, 10115 Berlin", "[ADDRESS_1]"},
		{"de abbrev", "Hauptstr. 5a", "[ADDRESS_1]"},
		{"de adjective", "Berliner Straße 17", "[ADDRESS_1]"},
		{"de city words", "Zeil 10, 60313 Frankfurt am Main", "[ADDRESS_1]"},
		{"de ring", "Hohenzollernring 3", "[ADDRESS_1]"},
		{"de preposition", "Ich wohne Am Markt 5, 52062 Aachen", "Ich wohne [ADDRESS_1]"},
		{"en", "I live at 221B Baker Street, London", "I live at [ADDRESS_1]"},
		{"en name after", "12 Baker Street, Sarah", "[ADDRESS_1], [PERSON_1]"},
		{"en uk postcode", "14 Clarendon Road, Cambridge CB2 8FH.", "[ADDRESS_1]."},
		{"en longest type", "52 Kensington Gardens Square, London W2 4BB", "[ADDRESS_1]"},
		{"de bahn", "Klötzerbahn 17, 4700 Eupen", "[ADDRESS_1]"},
		{"lu grand-rue", "Grand-Rue 21, L-9530 Wiltz", "[ADDRESS_1]"},
		{"de city abbrev", "Rathausplatz 3, 4780 St. Vith", "[ADDRESS_1]"},
		{"near clinic",
			"I live at Avenue Louise 231 box 7, 1050 Ixelles, is that close to your clinic?",
			"I live at [ADDRESS_1], is that close to your clinic?"},
		{"to clinic", "ik kom naar jullie kliniek vanuit de Kerkstraat 12",
			"ik kom naar jullie kliniek vanuit de [ADDRESS_1]"},
		{"en abbrev", "10 Downing St.", "[ADDRESS_1]."},
		{"same value", "Kerkstraat 12 of kerkstraat 12", "[ADDRESS_1] of [ADDRESS_1]"},
		{"address and phone", "Kerkstraat 12 0470 12 34 56", "[ADDRESS_1] [PHONE_1]"},
		{"two addresses", "Kerkstraat 12 en Meir 3", "[ADDRESS_1] en [ADDRESS_2]"},
		{"de four digits with postcode", "Aachener Str. 1182, 50858 Köln, z. Hd.",
			"[ADDRESS_1], z. Hd."},
		{"four digits alone a year", "Kerkstraat 2024, Gent", "Kerkstraat 2024, Gent"},
		{"four digits a postcode", "Rue Haute 1050 Bruxelles", "Rue Haute 1050 Bruxelles"},
		{"de floor", "Bergstraße 5a, 2. OG, 10115 Berlin", "[ADDRESS_1]"},
		{"de flat", "Kaiserallee 23, App. 14, 76133 Karlsruhe", "[ADDRESS_1]"},
		{"at top", "Am Lindenhof 3/Top 7, 1050 Wien", "[ADDRESS_1]"},
		{"de mailbox", "Klosterstraße 7 Bk. 2, 4700 Eupen", "[ADDRESS_1]"},
		{"en floor", "Kerkstraat 14, 3rd floor, 2000 Antwerpen", "[ADDRESS_1]"},
		{"en flat first", "Flat 2B, 14 Rue de la Loi, 1000 Brussels", "[ADDRESS_1]"},
		{"fr floor", "Avenue Brugmann 58, 2e étage, 1190 Forest", "[ADDRESS_1]"},
		{"fr building first", "Bât. C, appt 14, 3 allée des Tilleuls, 69007 Lyon",
			"[ADDRESS_1]"},
		{"fr slash box", "Rue du Marché 7/B2, 5000 Namur", "[ADDRESS_1]"},
		{"nl bis", "Oudegracht 112 bis, 3511 AW Utrecht", "[ADDRESS_1]"},
		{"nl floor", "Meir 3, 2de verdieping", "[ADDRESS_1]"},
		{"de bis hours", "Hauptstraße 5 bis 7 Uhr offen", "[ADDRESS_1] bis 7 Uhr offen"},
		{"nl ter word", "Kerkstraat 5 ter hoogte van de kerk",
			"[ADDRESS_1] ter hoogte van de kerk"},
		{"top no slash", "Kerkstraat 5, top 3 behandelingen",
			"[ADDRESS_1], top 3 behandelingen"},
		{"floor needs word", "Meir 3, 2 ml filler", "[ADDRESS_1], 2 ml filler"},
		{"unit needs comma", "ik wil een flat 2 maanden huren", "ik wil een flat 2 maanden huren"},
		{"named after a person", "Jan Van Rijswijcklaan 5, 2018 Antwerpen", "[ADDRESS_1]"},
		{"named after a person lower particle", "ik woon in de Frans van Cauwelaertlaan 12",
			"ik woon in de [ADDRESS_1]"},
		{"particle in capitals", "ik woon in de Van Rijswijcklaan 5", "ik woon in de [ADDRESS_1]"},
		{"given name", "Pieter Coutereelstraat 8, Leuven", "[ADDRESS_1]"},
		{"uk postcode before city", "221B Baker Street, NW1 6XE London", "[ADDRESS_1]"},
		{"uk city then postcode", "I live at 221B Baker Street, London, NW1 6XE",
			"I live at [ADDRESS_1]"},
		{"country", "Kerkstraat 12, 9000 Gent, België", "[ADDRESS_1]"},
		{"country in brackets", "Kerkstraat 12, 9000 Gent (Belgium)", "[ADDRESS_1]"},
		{"country of two words", "Damrak 1, 1012 LG Amsterdam, The Netherlands",
			"[ADDRESS_1]"},
		{"country fr", "12 rue de la Paix, 75002 Paris, France.", "[ADDRESS_1]."},
		{"address block", "Sofie\nKerkstraat 12\n9000 Gent\nBelgië",
			"[PERSON_1]\n[ADDRESS_1]"},
		{"preposition de", "Ich wohne Unter den Linden 7", "Ich wohne [ADDRESS_1]"},
		{"preposition de postcode", "An der Alster 3, 20099 Hamburg", "[ADDRESS_1]"},
		{"preposition de fused", "Ich wohne Am Kanal 5", "Ich wohne [ADDRESS_1]"},
		{"preposition nl residence", "ik woon op de Beek 12", "ik woon [ADDRESS_1]"},
		{"preposition nl capital", "ik woon Aan de Stroom 5", "ik woon [ADDRESS_1]"},
		{"preposition nl postcode", "Op de Beek 12, 3500 Hasselt", "[ADDRESS_1]"},
		{"preposition alone on its line", "Groetjes,\nSofie\nAan de Stroom 5",
			"Groetjes,\n[PERSON_1]\n[ADDRESS_1]"},
		{"no number nl", "ik woon in de Kerkstraat, vlak bij jullie",
			"ik woon in de [ADDRESS_1], vlak bij jullie"},
		{"no number nl city", "ik woon in de Kerkstraat, 9000 Gent",
			"ik woon in de [ADDRESS_1]"},
		{"no number prefix", "Adres: Lange Kievitstraat, 2018 Antwerpen",
			"Adres: [ADDRESS_1]"},
		{"no number en", "I live on Baker Street", "I live on [ADDRESS_1]"},
		{"no number fr", "j'habite rue de la Paix depuis 2010",
			"j'habite [ADDRESS_1] depuis 2010"},
		{"no number de", "ich wohne in der Hauptstraße", "ich wohne in der [ADDRESS_1]"},

		{"treatment number", "behandeling 12 van de 20", "behandeling 12 van de 20"},
		{"zone", "zone 3 en 50 units, 2 ml", "zone 3 en 50 units, 2 ml"},
		{"price", "Kerkstraat € 250", "Kerkstraat € 250"},
		{"rue no number", "La rue est calme, et le prix?",
			"La rue est calme, et le prix?"},
		{"city alone", "ik woon in Gent, 9000 Gent", "ik woon in Gent, 9000 Gent"},
		{"postcode alone", "1000 Brussel", "1000 Brussel"},
		{"unit after", "langs de snelweg 5 km verder", "langs de snelweg 5 km verder"},
		{"minutes", "vom Bahnhof 5 Minuten entfernt", "vom Bahnhof 5 Minuten entfernt"},
		{"street unit", "Kerkstraat 5 minuten", "Kerkstraat 5 minuten"},
		{"onderweg", "ik ben onderweg 2 uur", "ik ben onderweg 2 uur"},
		{"time", "Grote Markt 14.30 of 14u", "Grote Markt 14.30 of 14u"},
		{"hours glued", "Kerkstraat 14u", "Kerkstraat 14u"},
		{"date", "Kerkstraat 12/03/2025", "Kerkstraat 12/03/2025"},
		{"year", "Kerkstraat 2024", "Kerkstraat 2024"},
		{"weg alone", "ik ben weg 2 weken", "ik ben weg 2 weken"},
		{"am markt days", "Ich bin am Markt 5 Tage", "Ich bin am Markt 5 Tage"},
		{"place libre", "une place libre le 12 mars", "une place libre le 12 mars"},
		{"place lower", "il reste 1 place de libre", "il reste 1 place de libre"},
		{"ipad", "iPad 2 gekocht", "iPad 2 gekocht"},
		{"markt days", "Op de Grote Markt 2 dagen geleden",
			"Op de Grote Markt 2 dagen geleden"},
		{"place hours", "Le parking Place Flagey 2 heures gratuites ?",
			"Le parking Place Flagey 2 heures gratuites ?"},
		{"brand", "Juvederm Ultra 3 of Ultra 4?", "Juvederm Ultra 3 of Ultra 4?"},
		{"street question", "Welk nummer van de Kerkstraat? 12 of 14?",
			"Welk nummer van de Kerkstraat? 12 of 14?"},
		{"route", "Route 66 tattoo removal", "Route 66 tattoo removal"},
		{"rue no name", "Rue 5 étoiles ?", "Rue 5 étoiles ?"},
		{"u-bahn", "mit der U-Bahn 2 Stationen", "mit der U-Bahn 2 Stationen"},
		{"street then question", "Botox op de Meir? 3 zones",
			"Botox op de Meir? 3 zones"},
		{"spring", "Spring 2 promo", "Spring 2 promo"},
		{"english drive", "a 10 min drive", "a 10 min drive"},
		{"clinic fr", "Vous êtes bien au 75008 Paris, 12 rue de la Paix ?",
			"Vous êtes bien au 75008 Paris, 12 rue de la Paix ?"},
		{"clinic nl", "Zitten jullie nog in de Kerkstraat 12?",
			"Zitten jullie nog in de Kerkstraat 12?"},
		{"clinic after", "Kerkstraat 12, is dat jullie adres?",
			"Kerkstraat 12, is dat jullie adres?"},
		{"clinic en", "Is your clinic at 12 Baker Street?",
			"Is your clinic at 12 Baker Street?"},
		{"preposition at sentence start", "Op de Foto 2 zie je het litteken",
			"Op de Foto 2 zie je het litteken"},
		{"preposition lower", "Ich habe in der Zeitung 2 Anzeigen gesehen",
			"Ich habe in der Zeitung 2 Anzeigen gesehen"},
		{"preposition times", "In der Woche 3 mal?", "In der Woche 3 mal?"},
		{"preposition days", "ich bin am Wochenende 2 Tage weg",
			"ich bin am Wochenende 2 Tage weg"},
		{"country alone", "Kerkstraat 12, België", "[ADDRESS_1], België"},
		{"country word after", "Kerkstraat 12, 9000 Gent, de kliniek is ver",
			"[ADDRESS_1], de kliniek is ver"},
		{"residence city", "ik woon in Gent", "ik woon in Gent"},
		{"residence en city", "I live in London, is that far?",
			"I live in London, is that far?"},
		{"residence no street", "ik woon in de buurt van de kliniek",
			"ik woon in de buurt van de kliniek"},
		{"residence far", "ik woon al twintig jaar met plezier in de Kerkstraat",
			"ik woon al twintig jaar met plezier in de Kerkstraat"},
		{"residence lower street", "ik woon aan de overkant van de spoorweg",
			"ik woon aan de overkant van de spoorweg"},
		{"residence quantity", "ik woon in de Kerkstraat 5 minuten van jullie",
			"ik woon in de Kerkstraat 5 minuten van jullie"},
		{"residence clinic", "Jullie zitten in de Kerkstraat, ik woon vlakbij",
			"Jullie zitten in de Kerkstraat, ik woon vlakbij"},
		{"street without residence", "Is er parking in de Kerkstraat?",
			"Is er parking in de Kerkstraat?"},
		{"residence word inside another", "olive oil on Baker Street",
			"olive oil on Baker Street"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := r.Redact(tt.in, nil)
			if got != tt.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestAddressFindings checks the reasons and keys of the detector.
func TestAddressFindings(t *testing.T) {
	tests := []struct {
		in     string
		reason Reason
		key    string
	}{
		{"Kerkstraat 12, 9000 Gent", ReasonStreet, "kerkstraat129000gent"},
		{"Meir 45", ReasonStreetList, "meir45"},
		{"Chaussée de Waterloo 12", ReasonStreet, "chausseedewaterloo12"},
		{"ik woon in de Kerkstraat", ReasonStreetResidence, "kerkstraat"},
		{"Unter den Linden 7, 10117 Berlin", ReasonStreet,
			"unterdenlinden710117berlin"},
	}
	for _, tt := range tests {
		in := Input{}
		in.reset(tt.in)
		spans := addressDetector{}.Find(&in, nil)
		if len(spans) != 1 {
			t.Errorf("Find(%q) = %v, want one span", tt.in, spans)
			continue
		}
		if s := spans[0]; s.Reason != tt.reason || s.Key != tt.key {
			t.Errorf("Find(%q) = %v %q, want %v %q",
				tt.in, s.Reason, s.Key, tt.reason, tt.key)
		}
	}
}

// BenchmarkAddress runs the detector alone on a message with an address,
// prices and quantities.
func BenchmarkAddress(b *testing.B) {
	benchDetector(b, addressDetector{},
		"Goedemiddag, ik woon in de Kerkstraat 12 bus 3, 9000 Gent. Hoeveel "+
			"kost 2 ml filler (€ 350) en zijn jullie open op zaterdag om 10u?")
}

// BenchmarkAddressClean runs the detector alone on a typical message
// without an address but with numbers, the common case.
func BenchmarkAddressClean(b *testing.B) {
	benchDetector(b, addressDetector{}, benchClean)
}

// benchClean is a typical message with numbers and no personal data.
const benchClean = "Goedemiddag, hoeveel kost een botox behandeling voor " +
	"3 zones en 2 ml filler? Zijn jullie ook open op zaterdag 12 maart " +
	"rond 10u, of op 14.30?"

// TestAddressAndDateEdges redacts every prefix and suffix of messages
// with addresses and dates of birth, so that each parse meets the end
// of the text at every step: nothing panics, and a second pass changes
// nothing.
func TestAddressAndDateEdges(t *testing.T) {
	msgs := []string{
		"Kerkstraat 12 bus 3, 9000 Gent", "Meir 45 b2", "Hauptstr. 5a",
		"rue de la Loi 16 boîte 4, B-1000 Bruxelles", "Av. Louise 54",
		"J'habite au 16 bis, rue d’Arlon, 75002 Paris", "Damrak 1, 1012 LG",
		"14 Clarendon Road, Cambridge CB2 8FH", "'s-Hertogenbosch",
		"Rathausplatz 3, 4780 St. Vith", "Zeil 10, 60313 Frankfurt am Main",
		"geboren op 12/03/1985", "né le 1er mars 1979", "(°12.03.85)",
		"March 12th, 1985", "12th of March 1985", "geb. 12. Jan. 1985",
		"geboortedatum 12-mrt-1985", "Ich habe am 12. März Geburtstag",
		"Jan Van Rijswijcklaan 5, 2018 Antwerpen, België",
		"221B Baker Street, NW1 6XE London", "Ich wohne Unter den Linden 7",
		"ik woon in de Kerkstraat,\n9000 Gent\nBelgium (BE)",
		"j'habite rue de la Paix", "né en mars 1979", "DOB 03/1985",
		"née le 3 mars '79",
	}
	r := New()
	for _, m := range msgs {
		for i := range len(m) + 1 {
			for _, in := range []string{m[:i], m[i:]} {
				p := NewPlaceholders()
				once, _ := r.Redact(in, p)
				if twice, more := r.Redact(once, p); twice != once || len(more) > 0 {
					t.Errorf("%q: second pass changed %q to %q", in, once, twice)
				}
			}
		}
	}
}
