package pii

import (
	"strconv"
	"testing"
)

// TestBirthDates checks the dates of birth found in the four languages
// and their date styles, and the dates that must stay: appointments,
// past treatments, ages and years.
func TestBirthDates(t *testing.T) {
	old := strconv.Itoa(thisYear - 40)
	recent := strconv.Itoa(thisYear - 5) // not a date of birth by age

	tests := []struct {
		name, in, want string
	}{
		{"nl cue slash", "Ik ben geboren op 12/03/1985.",
			"Ik ben geboren op [DATE_OF_BIRTH_1]."},
		{"nl label dash", "Geboortedatum: 12-03-1985",
			"Geboortedatum: [DATE_OF_BIRTH_1]"},
		{"nl written", "geboren op 12 maart 1985", "geboren op [DATE_OF_BIRTH_1]"},
		{"nl abbrev", "geb. 12 mrt 1985", "geb. [DATE_OF_BIRTH_1]"},
		{"nl ik ben van", "ik ben van 3/12/85", "ik ben van [DATE_OF_BIRTH_1]"},
		{"nl verjaardag", "mijn verjaardag is op 12 maart",
			"mijn verjaardag is op [DATE_OF_BIRTH_1]"},
		{"be degree", "Jan (°12/03/1985) wil botox",
			"[PERSON_1] (°[DATE_OF_BIRTH_1]) wil botox"},
		{"be degree space", "° 12.03.1985", "° [DATE_OF_BIRTH_1]"},
		{"fr written", "je suis née le 3 mars 1979", "je suis née le [DATE_OF_BIRTH_1]"},
		{"fr answer to a question", "Il vous faut ma date de naissance ? C'est le 8 août 1987",
			"Il vous faut ma date de naissance ? C'est le [DATE_OF_BIRTH_1]"},
		{"nl answer to a question", "Wat is je geboortedatum? Het is 3 maart 1990.",
			"Wat is je geboortedatum? Het is [DATE_OF_BIRTH_1]."},
		{"answer to another question", "Wanneer is de afspraak? Het is 3 maart 2027.",
			"Wanneer is de afspraak? Het is 3 maart 2027."},
		{"answer too long after the question",
			"Geboortedatum nodig? Ik kom graag op 3 maart 2027 langs.",
			"Geboortedatum nodig? Ik kom graag op 3 maart 2027 langs."},
		{"fr premier", "né le 1er mars 1979", "né le [DATE_OF_BIRTH_1]"},
		{"fr abbrev", "date de naissance : 3 févr. 1979",
			"date de naissance : [DATE_OF_BIRTH_1]"},
		{"fr ddn", "ddn: 03/02/79", "ddn: [DATE_OF_BIRTH_1]"},
		{"fr anniversaire", "mon anniversaire, le 3 mars",
			"mon anniversaire, le [DATE_OF_BIRTH_1]"},
		{"de dots", "Geburtsdatum: 12.03.1985", "Geburtsdatum: [DATE_OF_BIRTH_1]"},
		{"de written", "geboren am 12. März 1985", "geboren am [DATE_OF_BIRTH_1]"},
		{"de abbrev", "geb. 12. Jan. 1985", "geb. [DATE_OF_BIRTH_1]"},
		{"de label far", "Geburtsdatum meiner Tochter ist der 12.03.2010",
			"Geburtsdatum meiner Tochter ist der [DATE_OF_BIRTH_1]"},
		{"de after", "Ich bin am 12.03.1985 geboren.",
			"Ich bin am [DATE_OF_BIRTH_1] geboren."},
		{"en dob iso", "DOB 1985-03-12", "DOB [DATE_OF_BIRTH_1]"},
		{"en month first", "born on March 12, 1985", "born on [DATE_OF_BIRTH_1]"},
		{"en month first th", "my birthday is March 12th",
			"my birthday is [DATE_OF_BIRTH_1]"},
		{"en ordinal of", "I was born on the 12th of March 1985",
			"I was born on the [DATE_OF_BIRTH_1]"},
		{"en us order", "date of birth 3/25/1985", "date of birth [DATE_OF_BIRTH_1]"},
		{"de birthday after", "Ich habe am 12. März Geburtstag",
			"Ich habe am [DATE_OF_BIRTH_1] Geburtstag"},
		{"en birthday after", "turning 40 on 12/03, birthday treat?",
			"turning 40 on [DATE_OF_BIRTH_1], birthday treat?"},
		{"nl dashes written", "geboortedatum 12-mrt-1985",
			"geboortedatum [DATE_OF_BIRTH_1]"},
		{"en slashes written", "DOB 12/Mar/1985", "DOB [DATE_OF_BIRTH_1]"},
		{"en after", "12/03/" + recent + ", that is my date of birth",
			"[DATE_OF_BIRTH_1], that is my date of birth"},
		{"nl after", "12/03/" + recent + ", dat is mijn geboortedatum",
			"[DATE_OF_BIRTH_1], dat is mijn geboortedatum"},
		{"recent no cue", "12/03/" + recent + ", dat was mijn laatste botox",
			"12/03/" + recent + ", dat was mijn laatste botox"},
		{"old date no cue", "12/03/" + old + " is when it started",
			"[DATE_OF_BIRTH_1] is when it started"},
		{"old event", "Sinds 01/01/2000 heb ik psoriasis",
			"Sinds 01/01/2000 heb ik psoriasis"},
		{"old event fr", "une cicatrice depuis le 12 mai 1999",
			"une cicatrice depuis le 12 mai 1999"},
		{"old written no cue", "12 maart " + old, "[DATE_OF_BIRTH_1]"},
		{"same value", "DOB 12/03/1985 of 12 maart 1985",
			"DOB [DATE_OF_BIRTH_1] of [DATE_OF_BIRTH_1]"},
		{"dob and phone", "geboren op 12/03/1985 0470 12 34 56",
			"geboren op [DATE_OF_BIRTH_1] [PHONE_1]"},
		{"short dob and phone", "DOB 03-12-85 +32 470 12 34 56",
			"DOB [DATE_OF_BIRTH_1] [PHONE_1]"},
		{"iso dob and phone", "geb. 1985-03-12 0470123456",
			"geb. [DATE_OF_BIRTH_1] [PHONE_1]"},
		{"nl month year", "geboren in maart 1985", "geboren in [DATE_OF_BIRTH_1]"},
		{"fr month year", "je suis née en mars 1979 à Liège",
			"je suis née en [DATE_OF_BIRTH_1] à Liège"},
		{"fr month year masculine", "né en mars 1979", "né en [DATE_OF_BIRTH_1]"},
		{"en month year", "I was born in March 1985, is that too old?",
			"I was born in [DATE_OF_BIRTH_1], is that too old?"},
		{"de month year", "Geburtsdatum: März 1985", "Geburtsdatum: [DATE_OF_BIRTH_1]"},
		{"numeric month year", "DOB 03/1985", "DOB [DATE_OF_BIRTH_1]"},
		{"fr short year", "né le 3 mars 79", "né le [DATE_OF_BIRTH_1]"},
		{"nl short year apostrophe", "geboren op 12 maart '85",
			"geboren op [DATE_OF_BIRTH_1]"},
		{"month year treatment", "in maart 2019 had ik botox",
			"in maart 2019 had ik botox"},
		{"month year after dutch no", "Nee, en maart " + recent + " was de laatste",
			"Nee, en maart " + recent + " was de laatste"},
		{"month year old no cue", "In maart " + old + " begon het",
			"In maart " + old + " begon het"},
		{"month year future", "geboren in maart 2099", "geboren in maart 2099"},
		{"short year is minutes", "geboren op 12 maart 20 min",
			"geboren op [DATE_OF_BIRTH_1] 20 min"},
		{"short year is a time", "née le 3 mars 10:30", "née le [DATE_OF_BIRTH_1] 10:30"},
		{"short year is hours", "le 3 mars 10h", "le 3 mars 10h"},
		{"dob then appointment", "geboren op 3 mei 1990, afspraak op 12 maart om 14u30",
			"geboren op [DATE_OF_BIRTH_1], afspraak op 12 maart om 14u30"},

		{"nl appointment", "Kan ik op 12 maart om 14u30 komen?",
			"Kan ik op 12 maart om 14u30 komen?"},
		{"fr appointment", "le 3 mars à 10h", "le 3 mars à 10h"},
		{"de appointment", "am 12.03. um 14:30", "am 12.03. um 14:30"},
		{"en past treatment", "last botox was on 12/03/2024",
			"last botox was on 12/03/2024"},
		{"appointment year", "op 12/03/2025 om 14:30", "op 12/03/2025 om 14:30"},
		{"age", "ik ben 45 en wil botox", "ik ben 45 en wil botox"},
		{"age after cue", "ik ben geboren in 1985, dus 40",
			"ik ben geboren in 1985, dus 40"},
		{"ordinal appointment", "Can I come on the 12th of March?",
			"Can I come on the 12th of March?"},
		{"de day month", "Für 2 Personen am 12.03.", "Für 2 Personen am 12.03."},
		{"fr year", "Je suis née en 1980", "Je suis née en 1980"},
		{"de year", "Ich bin Jahrgang 1975", "Ich bin Jahrgang 1975"},
		{"year only", "mijn dochter (geboren 2001)", "mijn dochter (geboren 2001)"},
		{"cue too far", "Ik ben jarig, kan ik op 12 maart komen?",
			"Ik ben jarig, kan ik op 12 maart komen?"},
		{"ik ben van plan", "Ik ben van plan om op 12 maart te komen",
			"Ik ben van plan om op 12 maart te komen"},
		{"other sentence", "Geboren in Gent! Afspraak op 12/03/2026?",
			"Geboren in Gent! Afspraak op 12/03/2026?"},
		{"future", "geboren op 12/03/2099", "geboren op 12/03/2099"},
		{"no such day", "geboren op 31/02/1985", "geboren op 31/02/1985"},
		{"version", "geboren op 12.03.1985.2", "geboren op 12.03.1985.2"},
		{"time", "verjaardag om 14u", "verjaardag om 14u"},
		{"nrn", "geboren, rrn 85.07.30-033.28", "geboren, rrn [NATIONAL_ID_1]"},
		{"house and box", "geboren, Kerkstraat 12/3", "geboren, [ADDRESS_1]"},
		{"birthday far", "verjaardag! Op 12 maart kom ik",
			"verjaardag! Op 12 maart kom ik"},
		{"price", "geboren op 12 maart? 250 €", "geboren op [DATE_OF_BIRTH_1]? 250 €"},
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

// TestBirthDateFindings checks the reasons and keys of the detector.
func TestBirthDateFindings(t *testing.T) {
	tests := []struct {
		in     string
		reason Reason
		key    string
	}{
		{"geboren op 12/03/1985", ReasonBirthCue, "1985-03-12"},
		{"DOB 3/25/85", ReasonBirthCue, "1985-03-25"},
		{"verjaardag 12 maart", ReasonBirthCue, "--03-12"},
		{"né le 1er mars 1979", ReasonBirthCue, "1979-03-01"},
		{"Naam: Jan Peeters, 02.01.1950", ReasonBirthAge, "1950-01-02"},
		{"geboren in maart 1985", ReasonBirthCue, "1985-03"},
		{"DOB 3.1985", ReasonBirthCue, "1985-03"},
		{"née le 3 mars 79", ReasonBirthCue, "1979-03-03"},
	}
	for _, tt := range tests {
		in := Input{}
		in.reset(tt.in)
		spans := birthDateDetector{}.Find(&in, nil)
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

// BenchmarkBirthDate runs the detector alone on a message with a date
// of birth and an appointment.
func BenchmarkBirthDate(b *testing.B) {
	benchDetector(b, birthDateDetector{},
		"Bonjour, je suis née le 3 mars 1979 et je voudrais un rendez-vous "+
			"le 12 mars à 10h pour du botox (250 €), 2 ml.")
}

func benchDetector(b *testing.B, d Detector, msg string) {
	var in Input
	var dst []Span
	b.ReportAllocs()
	for b.Loop() {
		in.reset(msg)
		dst = d.Find(&in, dst[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/msg")
}

// BenchmarkBirthDateClean runs the detector alone on a typical message
// without a date of birth but with an appointment, the common case.
func BenchmarkBirthDateClean(b *testing.B) {
	benchDetector(b, birthDateDetector{}, benchClean)
}

// BenchmarkDatesAndAddresses runs the date-of-birth and address
// detectors alone over the evaluation set and reports their mean time
// per message. The "runs" case only scans the runs of digits, which the
// detectors share with the others in a Redact call: subtract it.
func BenchmarkDatesAndAddresses(b *testing.B) {
	texts := evalTexts(b)
	cases := []struct {
		name string
		d    Detector
	}{
		{"runs", runsOnly{}},
		{string(DateOfBirth), birthDateDetector{}},
		{string(Address), addressDetector{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var in Input
			var dst []Span
			b.ReportAllocs()
			for b.Loop() {
				for _, t := range texts {
					in.reset(t)
					dst = c.d.Find(&in, dst[:0])
				}
			}
			per := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(texts))
			b.ReportMetric(per, "ns/msg")
		})
	}
}

// runsOnly is a detector that only scans the runs of digits.
type runsOnly struct{}

func (runsOnly) Type() Type { return "" }

func (runsOnly) Find(in *Input, dst []Span) []Span {
	in.digitRuns()
	return dst
}
