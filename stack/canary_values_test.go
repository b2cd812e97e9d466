package stack_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// plant is one personal value planted in a canary message: its type, as
// the redactor names it, and what the search looks for. Numbers are
// searched as their digits, text in lower case.
type plant struct {
	typ     string
	written string
	needles []string
}

// canaryLangs are the languages of the canary messages, in turn.
var canaryLangs = []string{"nl", "fr", "de", "en"}

// planter makes the personal values of one canary message: a different
// set for every message and turn, from a generator seeded by both.
type planter struct {
	rng  *rand.Rand
	lang string
	out  []plant
}

func newPlanter(i, turn int, lang string) *planter {
	return &planter{rng: rand.New(rand.NewPCG(uint64(i), uint64(turn)+7919)),
		lang: lang}
}

// digits returns n random decimal digits.
func (p *planter) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + p.rng.IntN(10))
	}
	return string(b)
}

// pick returns one of the choices.
func (p *planter) pick(choices ...string) string {
	return choices[p.rng.IntN(len(choices))]
}

// number plants a number written as written, searched by its digits.
func (p *planter) number(typ, written string) string {
	p.out = append(p.out, plant{typ: typ, written: written,
		needles: []string{onlyDigits(written)}})
	return written
}

// text plants a value searched as the lower-case words given.
func (p *planter) text(typ, written string, needles ...string) string {
	if len(needles) == 0 {
		needles = []string{written}
	}
	for i, n := range needles {
		needles[i] = normText(n)
	}
	p.out = append(p.out, plant{typ: typ, written: written, needles: needles})
	return written
}

// phone plants a telephone number of the country of the turn's
// language (Belgium for English), national or international.
func (p *planter) phone() string {
	d := p.digits(8)
	intl := p.rng.IntN(2) == 0
	var s string
	switch p.lang {
	case "nl":
		s = "06-" + d
		if intl {
			s = "+31 6 " + d
		}
	case "fr":
		s = "06 " + pairs(d)
		if intl {
			s = "+33 6 " + pairs(d)
		}
	case "de":
		s = "0151 " + d
		if intl {
			s = "+49 30 " + d[:7]
		}
	default:
		s = "047" + d[:1] + " " + pairs(d[1:7])
		if intl {
			s = "+32 47" + d[:1] + " " + pairs(d[1:7])
		}
	}
	return p.number("PHONE", s)
}

// pairs writes digits in groups of two: "12 34 56".
func pairs(d string) string {
	var b strings.Builder
	for i := 0; i < len(d); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d[i:min(i+2, len(d))])
	}
	return b.String()
}

// iban plants an IBAN of the language's country whose check digits pass
// mod 97, in groups of four.
func (p *planter) iban() string {
	var country, bban string
	switch p.lang {
	case "nl":
		country, bban = "NL", p.pick("ABNA", "RABO", "INGB")+p.digits(10)
	case "fr":
		bank, branch, acct := p.digits(5), p.digits(5), p.digits(11)
		country, bban = "FR", bank+branch+acct+ribKey(bank, branch, acct)
	case "de":
		country, bban = "DE", p.digits(18)
	default:
		first := p.digits(10)
		country, bban = "BE", first+belgianCheck(first)
	}
	iban := country + ibanCheck(country, bban) + bban
	var b strings.Builder
	for i := 0; i < len(iban); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(iban[i:min(i+4, len(iban))])
	}
	p.out = append(p.out, plant{typ: "IBAN", written: b.String(),
		needles: []string{strings.ToLower(iban), onlyDigits(iban)}})
	return b.String()
}

// nationalNumber plants a Belgian national register number of someone
// born in the 1950s to 1990s, with its mod-97 check, as printed on the
// identity card: "85.07.30-033.28".
func (p *planter) nationalNumber() string {
	first := fmt.Sprintf("%02d%02d%02d%03d", 50+p.rng.IntN(50), 1+p.rng.IntN(12),
		1+p.rng.IntN(28), 1+p.rng.IntN(997))
	check := 97 - mod97(first)
	s := fmt.Sprintf("%s.%s.%s-%s.%02d", first[:2], first[2:4], first[4:6],
		first[6:9], check)
	return p.number("NATIONAL_ID", s)
}

// card plants a Visa or Mastercard number whose Luhn digit holds, in
// groups of four.
func (p *planter) card() string {
	body := p.pick("4", "51", "53", "55")
	body += p.digits(15 - len(body))
	n := body + luhnDigit(body)
	return p.number("CREDIT_CARD", n[:4]+" "+n[4:8]+" "+n[8:12]+" "+n[12:])
}

// Names by language: given names and family names, put together at
// random, so that each message names someone else.
var (
	givenNames = map[string][]string{
		"nl": {"Katrien", "Wouter", "Griet", "Jolien", "Maarten", "Liesbeth"},
		"fr": {"Amélie", "Baptiste", "Clémence", "Géraldine", "Thibault", "Solange"},
		"de": {"Jürgen", "Friederike", "Annegret", "Wolfgang", "Henrike", "Dietmar"},
		"en": {"Oliver", "Harriet", "Imogen", "Rupert", "Beatrice", "Alistair"},
	}
	familyNames = map[string][]string{
		"nl": {"Vanhoutte", "Verstraeten", "Goossens", "Wuyts", "Claeys", "Dewulf"},
		"fr": {"Dubois", "Lefebvre", "Moreau", "Fontaine", "Chevalier", "Mercier"},
		"de": {"Schneider", "Hoffmann", "Schröder", "Zimmermann", "Krüger", "Hartmann"},
		"en": {"Whitfield", "Ashworth", "Pemberton", "Thornbury", "Holloway", "Fairclough"},
	}
	nameCues = map[string]string{
		"nl": "mijn naam is", "fr": "je m'appelle", "de": "ich heiße", "en": "my name is",
	}
)

// name plants a given and a family name after the language's cue; both
// names are searched for, each on its own too.
func (p *planter) name() string {
	given := p.pick(givenNames[p.lang]...)
	family := p.pick(familyNames[p.lang]...)
	full := given + " " + family
	p.text("PERSON", full, full, given, family)
	return nameCues[p.lang] + " " + full
}

// email plants an address made of a name and the message's numbers.
func (p *planter) email() string {
	user := p.pick("sofie", "marc", "ines", "lukas", "emma") + "." +
		p.pick("peeters", "janssens", "laurent", "weber") + p.digits(3)
	domain := map[string]string{"nl": "ziggo.nl", "fr": "orange.fr",
		"de": "web.de"}[p.lang]
	if domain == "" {
		domain = "telenet.be"
	}
	return p.text("EMAIL", user+"@"+domain)
}

// address plants a street, a house number and a city of the language's
// country; the street and number are searched for.
func (p *planter) address() string {
	n := strconv.Itoa(2 + p.rng.IntN(180))
	var street, city string
	switch p.lang {
	case "nl":
		street, city = p.pick("Kerkstraat", "Molenstraat", "Stationsstraat")+" "+n,
			p.pick("9000 Gent", "3000 Leuven", "8000 Brugge")
	case "fr":
		street, city = p.pick("rue de la Loi", "rue du Midi", "rue Haute")+" "+n,
			p.pick("1000 Bruxelles", "4000 Liège", "5000 Namur")
	case "de":
		street, city = p.pick("Hauptstraße", "Bahnhofstraße", "Lindenallee")+" "+n,
			p.pick("10115 Berlin", "50667 Köln", "52062 Aachen")
	default:
		street, city = n+" "+p.pick("Baker Street", "Mill Lane", "Church Road"),
			p.pick("London", "Leeds", "York")
	}
	return p.text("ADDRESS", street+", "+city, street)
}

// Birth date cues and month names by language.
var (
	birthCues = map[string]string{
		"nl": "ik ben geboren op", "fr": "je suis née le", "de": "geboren am",
		"en": "I was born on",
	}
	months = map[string][]string{
		"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli",
			"augustus", "september", "oktober", "november", "december"},
		"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
			"août", "septembre", "octobre", "novembre", "décembre"},
		"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
			"August", "September", "Oktober", "November", "Dezember"},
		"en": {"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"},
	}
)

// birthDate plants a date of birth after the language's cue, with the
// month spelled out or in digits; the date is searched as written.
func (p *planter) birthDate() string {
	day, month, year := 1+p.rng.IntN(28), 1+p.rng.IntN(12), 1950+p.rng.IntN(50)
	var date string
	switch {
	case p.rng.IntN(2) == 0:
		date = fmt.Sprintf("%02d/%02d/%d", day, month, year)
	case p.lang == "de":
		date = fmt.Sprintf("%d. %s %d", day, months["de"][month-1], year)
	default:
		date = fmt.Sprintf("%d %s %d", day, months[p.lang][month-1], year)
	}
	return birthCues[p.lang] + " " + p.text("DATE_OF_BIRTH", date)
}

// onlyDigits keeps the digits of s.
func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normText is s in lower case with its runs of spaces made one.
func normText(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// mod97 returns the remainder of a decimal number, however long, by 97.
func mod97(digits string) int {
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		panic("mod97: not a number: " + digits)
	}
	return int(new(big.Int).Mod(n, big.NewInt(97)).Int64())
}

// ibanCheck returns the two check digits of an IBAN (ISO 13616): the
// BBAN, the country and "00", letters as 10 to 35, give 98 minus the
// remainder by 97.
func ibanCheck(country, bban string) string {
	var b strings.Builder
	for _, r := range bban + country + "00" {
		if r >= 'A' && r <= 'Z' {
			b.WriteString(strconv.Itoa(int(r-'A') + 10))
		} else {
			b.WriteRune(r)
		}
	}
	return fmt.Sprintf("%02d", 98-mod97(b.String()))
}

// belgianCheck is the national check of a Belgian account number: its
// first ten digits modulo 97, 97 for 0.
func belgianCheck(first string) string {
	c := mod97(first)
	if c == 0 {
		c = 97
	}
	return fmt.Sprintf("%02d", c)
}

// ribKey is the key of a French RIB of digits only.
func ribKey(bank, branch, account string) string {
	sum := 89*mod97(bank) + 15*mod97(branch) + 3*mod97(account)
	return fmt.Sprintf("%02d", 97-sum%97)
}

// luhnDigit returns the digit that makes body pass the Luhn check.
func luhnDigit(body string) string {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

// TestCanaryValuesPassTheirChecks checks the generated values with
// checks written the other way round (the number as a whole modulo 97,
// the Luhn sum over every digit), on known values first, so that the
// canary is known to plant valid numbers.
func TestCanaryValuesPassTheirChecks(t *testing.T) {
	ibanOK := func(iban string) bool {
		s := strings.ReplaceAll(iban, " ", "")
		var b strings.Builder
		for _, r := range s[4:] + s[:4] {
			if r >= 'A' && r <= 'Z' {
				b.WriteString(strconv.Itoa(int(r-'A') + 10))
			} else {
				b.WriteRune(r)
			}
		}
		return mod97(b.String()) == 1
	}
	luhnOK := func(n string) bool {
		sum := 0
		for i, r := range reverse(onlyDigits(n)) {
			d := int(r - '0')
			if i%2 == 1 {
				if d *= 2; d > 9 {
					d -= 9
				}
			}
			sum += d
		}
		return sum%10 == 0
	}
	nrnOK := func(n string) bool {
		d := onlyDigits(n)
		c, _ := strconv.Atoi(d[9:])
		return len(d) == 11 && 97-mod97(d[:9]) == c
	}
	if !ibanOK("BE68 5390 0754 7034") || ibanOK("BE68 5390 0754 7035") ||
		!luhnOK("4111 1111 1111 1111") || luhnOK("4111 1111 1111 1112") ||
		!nrnOK("85.07.30-033.28") || nrnOK("85.07.30-033.29") {
		t.Fatal("the checks of this test are wrong")
	}
	for i := range 200 {
		p := newPlanter(i, 0, canaryLangs[i%len(canaryLangs)])
		if iban := p.iban(); !ibanOK(iban) {
			t.Errorf("IBAN %s fails mod 97", iban)
		}
		if card := p.card(); !luhnOK(card) || len(onlyDigits(card)) != 16 {
			t.Errorf("card %s fails Luhn", card)
		}
		if nrn := p.nationalNumber(); !nrnOK(nrn) {
			t.Errorf("national number %s fails its check", nrn)
		}
	}
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
