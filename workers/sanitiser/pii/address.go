package pii

import (
	"bufio"
	"embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reasons of the address detector.
const (
	// ReasonStreet is a house number next to a street name known by its
	// shape: a street ending ("Kerkstraat", "Hauptstraße"), a street type
	// ("rue de la Loi", "Baker Street") or an adjective ("Grote Markt").
	ReasonStreet Reason = "pattern:street"
	// ReasonStreetList is a house number after a well-known street whose
	// name has no street ending, such as "Meir" or "Damrak".
	ReasonStreetList Reason = "list:streets"
	// ReasonStreetResidence is a street without a house number after a
	// word of residence: "ik woon in de Kerkstraat".
	ReasonStreetResidence Reason = "context:residence"
)

// addressDetector finds postal addresses: a street with a house number,
// and the box, postcode, city and country written with them, as one
// span.
//
//   - Dutch and German street names of one word, by their ending:
//     "Kerkstraat 12 bus 3, 9000 Gent", "Kerkstraat 12/3", "Hauptstraße
//     5, 10115 Berlin", "Hauptstr. 5"; a lone ending after an adjective:
//     "Grote Markt 7", "Berliner Straße 5"; with the name of the person
//     the street is named after: "Jan Van Rijswijcklaan 5";
//   - French street types before the name, the number after it or
//     before it: "rue de la Loi 16 boîte 4, 1000 Bruxelles", "Bd
//     Anspach 1", "16 rue de la Paix, 75002 Paris";
//   - English street types after the name: "221B Baker Street, NW1 6XE
//     London";
//   - a short list of well-known streets without an ending: "Meir 45 b2",
//     "Damrak 1, 1012 LG Amsterdam";
//   - streets named after a preposition, without a street ending:
//     "Unter den Linden 7", "Aan de Stroom 5", "Op de Beek 12", when the
//     preposition is written with a capital inside a sentence, a word
//     of residence comes before ("ik woon op de Beek 12"), a postcode
//     or city after, or the street is alone on its line: in a sentence
//     of its own, "Op de Foto 2" and "In der Woche 3" are more often no
//     street;
//   - a street without a number after a word of residence: "ik woon in
//     de Kerkstraat", "I live on Baker Street", "j'habite rue de la
//     Paix" (see streetsAfterResidence).
//
// An address is found around a run of digits, its house number, or
// after a word of residence. A number followed by a unit ("snelweg 5
// km") is a quantity, and a clinic's own address ("vous êtes bien au 12
// rue de la Paix ?") is not personal data. A city or a postcode alone
// is left: it names thousands of people.
type addressDetector struct{}

func init() { register(prioAddress, addressDetector{}) }

func (addressDetector) Type() Type { return Address }

// addr is an address found in the text.
type addr struct {
	start, end int
	reason     Reason
}

func (addressDetector) Find(in *Input, dst []Span) []Span {
	s := in.Text
	from := len(dst)
	done := 0
	for _, r := range in.digitRuns() {
		g := in.groups[r.first]
		if g.start < done || r.gluedLeft || g.plus || g.open ||
			g.len() > 4 || s[g.start] == '0' {
			continue
		}
		a, ok := in.addressAt(r)
		if !ok {
			continue
		}
		done = a.end
		if clinicAddress(s, a.start, a.end) {
			continue
		}
		dst = append(dst, Span{
			Start: a.start, End: a.end, Reason: a.reason,
			Key: addressKey(s[a.start:a.end]),
		})
	}
	return streetsAfterResidence(s, dst, from)
}

// addressAt reads an address whose house number is the first group of
// run r: the street before the number, or, in French and English, after
// it, then the box, postcode and city.
func (in *Input) addressAt(r run) (addr, bool) {
	s := in.Text
	g := in.groups[r.first]
	num := in.houseNumberEnd(r)
	if num < 0 {
		return addr{}, false
	}
	if st, ok := streetBefore(s, g.start); ok {
		end := boxEnd(s, num)
		if quantityAfter(s, end) {
			return addr{}, false
		}
		end = unitsEnd(s, end)
		place := placeEnd(s, end)
		if g.len() == 4 && !st.long && !postcodeAfter(s, end, place) {
			// "Kerkstraat 2024" is a year; "Aachener Str. 1182, 50858
			// Köln" a house on a long road all the same.
			return addr{}, false
		}
		if st.weak && place == end && !prepEvidence(s, st.start, end) {
			return addr{}, false
		}
		return addr{unitsStart(s, st.start), countryEnd(s, place, end),
			st.reason}, true
	}
	if g.len() == 4 {
		return addr{}, false
	}
	if end := streetAfter(s, num); end >= 0 {
		end = unitsEnd(s, end)
		place := placeEnd(s, end)
		return addr{unitsStart(s, g.start), countryEnd(s, place, end),
			ReasonStreet}, true
	}
	return addr{}, false
}

// postcodeAfter reports whether the place that placeEnd read between
// end and place starts with a postcode.
func postcodeAfter(s string, end, place int) bool {
	if place == end {
		return false
	}
	q := end
	for q < place && !isDigit(s[q]) && !isLetter(s[q]) {
		q++
	}
	if q+1 < place && isLetter(s[q]) && s[q+1] == '-' {
		q += 2 // "B-1000"
	}
	return postcodeEnd(s, q) > q
}

// houseNumberEnd returns the end of the house number that starts run r:
// "12", "12a", "221B", "16bis", "12/3" (with its box), "12-14"; or -1
// when the run is a decimal, a time, a date or glued to a word.
func (in *Input) houseNumberEnd(r run) int {
	k := r.first
	end := in.groups[k].end
	if k < r.last {
		next := in.groups[k+1]
		switch next.sep {
		case '/', '-':
			if next.len() > 4 || k+2 <= r.last && in.groups[k+2].sep != ' ' {
				return -1
			}
			end, k = next.end, k+1
		case ' ':
		default:
			return -1
		}
	}
	if k == r.last && r.gluedRight {
		return numberSuffixEnd(in.Text, end)
	}
	return end
}

// numberSuffixes are the letters written right after a house number.
var numberSuffixes = wordSet("a", "b", "c", "d", "bis", "ter")

// numberSuffixEnd returns the end of the letters glued to a house number
// ending at p, or -1 when they are not a house number's ("14u", "12h",
// "3x") or something else is glued to it ("12,5", "12:30").
func numberSuffixEnd(s string, p int) int {
	e := letterEnd(s, p)
	if e == p || !inSet(numberSuffixes, s[p:e]) {
		return -1
	}
	return e
}

// street is a street name found before a house number.
type street struct {
	start  int
	reason Reason
	long   bool // a road long enough for four-digit numbers
	// weak marks a street named after a preposition ("Op de Beek"),
	// which needs more evidence: see prepEvidence.
	weak bool
}

// streetBefore reads the street name that ends before the house number
// at offset p, with an optional "nr." or "n°" between them.
func streetBefore(s string, p int) (street, bool) {
	q := skipSpacesBack(s, p, 3)
	if q == p {
		return street{}, false
	}
	q = numberSignBefore(s, q)
	dot := q > 0 && s[q-1] == '.'
	if dot {
		q--
	}
	st := nameStart(s, q)
	if st == q || len(s[st:q]) > maxFold || st > 0 && isDigit(s[st-1]) {
		// no word, or one glued to digits ("1900AAstr"): not a street
		return street{}, false
	}
	var buf [maxFold]byte
	w := foldInto(buf[:0], s[st:q])
	if str, ok := compoundStreet(s, st, w, dot); ok {
		return str, true
	}
	if dot {
		return street{}, false
	}
	if isUpperAt(s, st) && kindOf(w)&kindKnown != 0 {
		return street{start: st, reason: ReasonStreetList}, true
	}
	if str, ok := leadStreet(s, st, q); ok {
		return str, true
	}
	return prepStreet(s, st, q)
}

// maxFold is the longest word, in bytes, looked up in the word lists.
const maxFold = 64

// compoundStreet checks a Dutch or German street name ending at the
// house number: w, the folded word starting at st, ends with a street
// ending, or is one after an adjective. A full stop after the word is
// allowed only for "str.".
func compoundStreet(s string, st int, w []byte, dot bool) (street, bool) {
	if len(w) < 3 {
		return street{}, false
	}
	for _, suf := range suffixesByEnd[string(w[len(w)-3:])] {
		if !hasSuffix(w, suf) || dot && suf != "str" {
			continue
		}
		long := wordKinds[suf]&kindLong != 0
		str := street{start: st, reason: ReasonStreet, long: long}
		if len(w) == len(suf) {
			str.start = adjectiveBefore(s, st)
			return str, str.start >= 0
		}
		if len(w)-len(suf) < 2 || kindOf(w)&kindNotStreet != 0 ||
			suf == "ring" && (hasSuffix(w, "ering") || !isUpperAt(s, st)) {
			return street{}, false
		}
		str.start = prefixesBefore(s, st)
		if str.start == st {
			str.start = namesBefore(s, st)
		}
		str.start = articleBefore(s, str.start)
		return str, true
	}
	return street{}, false
}

// adjectiveBefore returns where the street name starts whose last word,
// a lone street ending such as "Markt" or "Straße", starts at st: at a
// prefix ("Grote Markt"), a capitalised adjective of a place
// ("Berliner Straße") or a German preposition ("Am Markt"), or -1 when
// there is none.
func adjectiveBefore(s string, st int) int {
	e := skipSpacesBack(s, st, 1)
	if e == st {
		return -1
	}
	a := nameStart(s, e)
	w := s[a:e]
	if a == e || len(w) > maxFold {
		return -1
	}
	var buf [maxFold]byte
	f := foldInto(buf[:0], w)
	if kindOf(f)&kindPrefix != 0 {
		return prefixesBefore(s, a)
	}
	if inSet(germanArticles, s[a:e]) {
		return a // "Am Markt 5"
	}
	if isUpperAt(s, a) && len(f) >= 6 && hasSuffix(f, "er") {
		return a
	}
	return -1
}

// articleBefore returns where a street name starting at st starts with
// the German preposition written before it with a capital, as part of
// the name: "Am Lindenhof", "Zur Mühlenbach"; st itself when there is
// none.
func articleBefore(s string, st int) int {
	e := skipSpacesBack(s, st, 1)
	a := letterStart(s, e)
	if e == st || a == e || !isUpperAt(s, a) || !inSet(germanArticles, s[a:e]) ||
		a > 0 && isAlnum(s[a-1]) {
		return st
	}
	return a
}

// germanArticles begin German street names made of a preposition and a
// lone street ending: "Am Markt", "Im Hof", "Zum Ring".
var germanArticles = wordSet("am", "im", "zum", "zur", "beim")

// prefixesBefore extends a street name starting at st to the left over
// the words that begin street names ("Lange", "Sint", "Burgemeester")
// and the names between them and st ("Burgemeester Van Gansberghelaan").
func prefixesBefore(s string, st int) int {
	start := st
	for n := 0; n < 3; n++ {
		e := skipSpacesBack(s, st, 1)
		if e == st {
			break
		}
		a := nameStart(s, e)
		if a == e || e-a > maxFold {
			break
		}
		var buf [maxFold]byte
		f := foldInto(buf[:0], s[a:e])
		switch k := kindOf(f); {
		case k&kindPrefix != 0:
			start = a
		case !isUpperAt(s, a) && k&kindParticle == 0:
			return start
		}
		st = a
	}
	return start
}

// numberSignBefore skips a "nr.", "no", "n°" or "nummer" and the spaces
// before it, ending at offset q.
func numberSignBefore(s string, q int) int {
	e := q
	if e > 0 && s[e-1] == '.' {
		e--
	}
	if e >= 3 && (s[e-3:e] == "n°" || s[e-3:e] == "N°" || s[e-3:e] == "nº") {
		return skipSpacesBack(s, e-3, 3)
	}
	a := letterStart(s, e)
	if a < e && inSet(numberSigns, s[a:e]) && a > 0 && s[a-1] == ' ' {
		return skipSpacesBack(s, a, 3)
	}
	return q
}

// numberSigns are the words written between a street and its number.
var numberSigns = wordSet("nr", "no", "nummer", "num")

// streetParticles are the short words inside street and city names.
var streetParticles = []string{"de", "du", "des", "d", "la", "le",
	"les", "l", "aux", "au", "sur", "sous", "en", "lez", "van", "der",
	"den", "von", "ter", "ten", "het", "am", "an", "aan", "bei", "im",
	"op"}

// leadStreet reads back from the word [st, end) before a house number
// to a French street type: "rue de la Loi 16", "Avenue Louise 235", "Av.
// Louise 5". The name between holds at least one word; its words are
// capitalised, or, after the common types, may be in lower case when
// each follows a particle or the type ("rue de la loi 16").
func leadStreet(s string, st, end int) (street, bool) {
	names, lower, needLink := 0, false, false
	for n := 0; n < 7; n++ {
		k := kindAt(s, st, end)
		if k&kindLead != 0 {
			ok := names > 0 && (!lower || k&kindLoose != 0)
			return street{start: st, reason: ReasonStreet,
				long: k&kindLong != 0}, ok
		}
		switch {
		case needLink && k&kindParticle == 0:
			return street{}, false
		case k&kindParticle != 0:
			needLink = false
		case k&notName != 0:
			return street{}, false
		case nameCapital(s, st):
			names++
		default:
			names, lower, needLink = names+1, true, true
		}
		e := skipSpacesBack(s, st, 2)
		if e == st {
			return street{}, false
		}
		dotted := e > 0 && s[e-1] == '.'
		if dotted {
			e--
		}
		st, end = nameStart(s, e), e
		if st == end || dotted && kindAt(s, st, end)&kindLead == 0 {
			return street{}, false
		}
	}
	return street{}, false
}

// nameWord reports whether s[st:end] may be a word of a street name: not
// a month, a day of the week or a unit ("une place libre le 12 mars").
func nameWord(s string, st, end int) bool {
	return kindAt(s, st, end)&notName == 0
}

// weekdays are the days of the week in the four languages.
var weekdays = []string{"maandag", "dinsdag", "woensdag", "donderdag",
	"vrijdag", "zaterdag", "zondag", "lundi", "mardi", "mercredi", "jeudi",
	"vendredi", "samedi", "dimanche", "montag", "dienstag", "mittwoch",
	"donnerstag", "freitag", "samstag", "sonntag", "monday", "tuesday",
	"wednesday", "thursday", "friday", "saturday", "sunday"}

// nameCapital reports whether the name word at st is capitalised, after
// an elided article: "Loi", "d'Arlon", "l’Étoile".
func nameCapital(s string, st int) bool {
	if st+1 < len(s) && (s[st]|0x20 == 'd' || s[st]|0x20 == 'l') {
		if s[st+1] == '\'' {
			return isUpperAt(s, st+2)
		}
		if strings.HasPrefix(s[st+1:], "’") {
			return isUpperAt(s, st+4)
		}
	}
	return isUpperAt(s, st)
}

// streetAfter reads the street written after a house number ending at
// offset p, French or English: "16 rue de la Paix", "16 bis, avenue
// Louise", "221B Baker Street". It returns the end of the street name,
// or -1.
func streetAfter(s string, p int) int {
	q := p
	if w := skipSpaces(s, q, 1); w > q {
		if e := letterEnd(s, w); e-w == 3 && inSet(numberSuffixes, s[w:e]) {
			q = e
		}
	}
	if q < len(s) && s[q] == ',' {
		q++
	}
	r := skipSpaces(s, q, 2)
	e := nameEnd(s, r)
	if r == q || e == r || e-r > maxFold {
		return -1
	}
	if k := kindAt(s, r, e); k&kindLead != 0 {
		if e < len(s) && s[e] == '.' {
			e++
		}
		return leadNameEnd(s, e, k&kindLoose != 0)
	}
	return englishStreetEnd(s, r)
}

// leadNameEnd reads the name after a French street type ending at p:
// particles and capitalised words ("de la Paix", "Émile Zola"), or,
// after a common type, lower-case words that each follow a particle or
// the type ("de la paix"). It returns the end of the last name word, or
// -1 when there is none.
func leadNameEnd(s string, p int, loose bool) int {
	end, link := -1, true
	for n := 0; n < 6; n++ {
		q := skipSpaces(s, p, 2)
		e := nameEnd(s, q)
		k := kindAt(s, q, e)
		if q == p || e == q || k&notName != 0 {
			break
		}
		switch {
		case k&kindParticle != 0:
			link = true
		case nameCapital(s, q) || loose && link:
			end, link = e, false
		default:
			return end
		}
		p = e
	}
	return end
}

// englishStreetEnd reads capitalised words and an English street type
// from offset r: "Baker Street", "Downing St", "Kensington Gardens
// Square". It returns the end of the last type, or -1.
func englishStreetEnd(s string, r int) int {
	end := -1
	for n := 0; n < 4; n++ {
		e := nameEnd(s, r)
		if e == r || e-r > maxFold {
			break
		}
		k := kindAt(s, r, e)
		if n > 0 && k&kindTrail != 0 {
			end = e
		} else if !isUpperAt(s, r) || k&notName != 0 {
			break
		}
		q := skipSpaces(s, e, 1)
		if q == e {
			break
		}
		r = q
	}
	return end
}

// boxWords name a box or flat after the house number.
var boxWords = wordSet("bus", "b", "bte", "bt", "boite", "box")

// boxEnd returns the end of a box after the house number ending at p:
// "bus 3", "b2", "b.2", "bte 4", ", boîte 4"; p itself when none.
func boxEnd(s string, p int) int {
	q := p
	if q < len(s) && s[q] == ',' {
		q++
	}
	w := skipSpaces(s, q, 2)
	e := letterEnd(s, w)
	if w == q || e == w || !inSet(boxWords, s[w:e]) {
		return p
	}
	if e < len(s) && s[e] == '.' {
		e++
	}
	d := skipSpaces(s, e, 1)
	n := digitsEnd(s, d, 4)
	if n == d {
		return p
	}
	if x := letterEnd(s, n); x-n == 1 {
		return x
	} else if x > n {
		return p
	}
	return n
}

// quantityAfter reports whether a unit, a currency or a per cent sign
// follows the number ending at p: "snelweg 5 km", "Bahnhof 5 Minuten".
func quantityAfter(s string, p int) bool {
	q := skipSpaces(s, p, 2)
	if strings.HasPrefix(s[q:], "€") || strings.HasPrefix(s[q:], "%") {
		return true
	}
	e := letterEnd(s, q)
	return e > q && kindAt(s, q, e)&kindUnit != 0
}

// placeEnd extends an address ending at p over the postcode and city
// written after it: ", 9000 Gent", " 1012 LG Amsterdam", " - B-1000
// Brussel", or a known city after a comma (", Gent"). It returns the
// new end, p itself when there is none.
func placeEnd(s string, p int) int {
	q := p
	comma := q < len(s) && s[q] == ','
	if comma {
		q++
	} else if strings.HasPrefix(s[q:], " -") {
		q += 2
	}
	r := skipSpaces(s, q, 2)
	if n := lineBreakLen(s, r); n > 0 && (r == p || comma) {
		// "Kerkstraat 12\n9000 Gent", as an address block is written
		comma, r = true, r+n
	} else if r == q {
		return p
	}
	if pc := postcodeEnd(s, r); pc > r {
		c := skipSpaces(s, pc, 2)
		if e := cityEnd(s, c, false); c > pc && e > c {
			return e
		}
		if letterEnd(s, c) == c {
			return pc
		}
		return p
	}
	if !comma {
		return p
	}
	if pc := ukPostcodeEnd(s, r); pc > r {
		// "221B Baker Street, NW1 6XE London"
		c := skipSpaces(s, pc, 1)
		if e := cityEnd(s, c, false); c > pc && e > c {
			return e
		}
		return pc
	}
	if e := cityEnd(s, r, false); e > r {
		q := e
		if q < len(s) && s[q] == ',' {
			q++ // "London, NW1 6XE"
		}
		if pc := ukPostcodeEnd(s, skipSpaces(s, q, 1)); pc > q+1 {
			return pc
		}
	}
	if e := cityEnd(s, r, true); e > r {
		return e
	}
	return p
}

// lineBreakLen returns the length of the line break at offset i, or 0.
func lineBreakLen(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "\n"):
		return 1
	case strings.HasPrefix(s[i:], "\r\n"):
		return 2
	}
	return 0
}

// ukPostcodeEnd reads a British postcode at offset p: "CB2 8FH", "W2
// 4BB", "SW1A 2AA". It returns its end, or p.
func ukPostcodeEnd(s string, p int) int {
	q := p
	for q < len(s) && q-p < 2 && isUpper(s[q]) {
		q++
	}
	if q == p || q >= len(s) || !isDigit(s[q]) {
		return p
	}
	q++
	if q < len(s) && (isDigit(s[q]) || isUpper(s[q])) {
		q++
	}
	if q+4 > len(s) || s[q] != ' ' || !isDigit(s[q+1]) || !isUpper(s[q+2]) ||
		!isUpper(s[q+3]) || q+4 < len(s) && isAlnum(s[q+4]) {
		return p
	}
	return q + 4
}

// countryPrefixes are the country letters written before postcodes.
var countryPrefixes = wordSet("b", "be", "nl", "f", "fr", "d", "de", "l",
	"lu")

// postcodeEnd reads a postcode at offset r: four digits (Belgium,
// Luxembourg, the Netherlands with its two letters: "1012 LG"), five
// digits (France, Germany), with an optional country prefix ("B-1000",
// "L-1234"). It returns its end, or r.
func postcodeEnd(s string, r int) int {
	q := r
	if e := letterEnd(s, q); e > q && e-q <= 2 && e < len(s) && s[e] == '-' &&
		isUpperAt(s, q) && inSet(countryPrefixes, s[q:e]) {
		q = e + 1
	}
	d := digitsEnd(s, q, 5)
	switch {
	case d-q == 4 && s[q] != '0':
		if e := dutchLettersEnd(s, d); e > d {
			return e
		}
	case d-q != 5:
		return r
	}
	if letterEnd(s, d) > d {
		return r
	}
	return d
}

// dutchLettersEnd returns the end of the two letters of a Dutch postcode
// whose digits end at d, with a space or glued ("1012 LG", "1012LG"), or
// d when there are none.
func dutchLettersEnd(s string, d int) int {
	l := d
	if l < len(s) && s[l] == ' ' {
		l++
	}
	if l+2 <= len(s) && isUpper(s[l]) && isUpper(s[l+1]) &&
		letterEnd(s, l+2) == l+2 {
		return l + 2
	}
	return d
}

// cityConnectors join the words of a city name: "Frankfurt am Main",
// "Alphen aan den Rijn", "Boulogne sur Mer".
var cityConnectors = wordSet("am", "an", "der", "den", "aan", "de", "sur",
	"en", "bei", "im", "ob", "op", "la", "le")

// cityEnd reads a city name at offset c: a known city in any case, or,
// unless listed is set, one to four capitalised words joined by
// connectors ("Frankfurt am Main", "Sint Niklaas"). It returns its end,
// or c.
func cityEnd(s string, c int, listed bool) int {
	e := nameEnd(s, c)
	if e == c || e-c > maxFold {
		return c
	}
	if two := cityPair(s, c, e); two > e {
		return two
	}
	known := inSet(cities, s[c:e])
	if !nameCapital(s, c) || listed && !known {
		if known {
			return e
		}
		return c
	}
	end, first, link := e, inSet(cityFirsts, s[c:e]), false
	for n := 0; n < 3; n++ {
		from := end
		if n == 0 && first && from < len(s) && s[from] == '.' {
			from++ // "St. Vith"
		}
		q := skipSpaces(s, from, 1)
		w := nameEnd(s, q)
		if q == from || w == q || w-q > maxFold {
			break
		}
		upper := isUpperAt(s, q)
		if !upper && inSet(cityConnectors, s[q:w]) {
			link = true
		} else if upper && (link || n == 0 && first) {
			link = false
		} else {
			break
		}
		end = w
	}
	return trimConnectors(s, c, end)
}

// cityFirsts are words after which a city name goes on: "Sint Niklaas",
// "Den Haag", "Bad Homburg", "La Hulpe".
var cityFirsts = wordSet("sint", "st", "saint", "sankt", "den", "bad",
	"la", "le", "les")

// cityPair returns the end of a listed city of two words starting at c,
// whose first word ends at e ("Den Haag"), or e.
func cityPair(s string, c, e int) int {
	q := skipSpaces(s, e, 1)
	w := nameEnd(s, q)
	if q == e || w == q || w-c > maxFold {
		return e
	}
	var buf [maxFold]byte
	f := foldInto(buf[:0], s[c:e])
	f = append(f, ' ')
	if cities[string(foldInto(f, s[q:w]))] {
		return w
	}
	return e
}

// trimConnectors cuts the connectors that end a city name at end.
func trimConnectors(s string, c, end int) int {
	for end > c {
		a := nameStart(s, end)
		if a == c || !inSet(cityConnectors, s[a:end]) || isUpperAt(s, a) {
			return end
		}
		end = skipSpacesBack(s, a, 1)
	}
	return end
}

// clinicCues are the words before an address that make it the
// clinic's: the visitor asks where the clinic is, and its address is
// not personal data. They name the clinic being somewhere, not just the
// clinic, so that "ik kom naar jullie kliniek vanuit de Kerkstraat 12"
// keeps its address redacted.
var clinicCues = newCueSet(
	"jullie zitten", "zitten jullie", "zit jullie", "zit u", "gevestigd",
	"jullie adres", "uw adres", "adres van jullie", "jullie praktijk is",
	"is jullie praktijk", "jullie kliniek is", "is jullie kliniek",
	"de kliniek is", "jullie vestiging", "uw vestiging",
	"vous etes", "etes vous", "vous situez", "vous trouvez",
	"se trouve votre", "votre adresse", "votre cabinet est",
	"est votre cabinet", "votre clinique est", "est votre clinique",
	"la clinique est", "le cabinet est",
	"ihre praxis ist", "ist ihre praxis", "ihre klinik ist",
	"ist ihre klinik", "ihre adresse", "sind sie", "befinden sie sich",
	"befindet sich ihre", "die praxis ist", "die klinik ist",
	"ihre filiale",
	"your clinic is", "is your clinic", "your address", "your practice is",
	"is your practice", "you are at", "are you at", "you re at",
	"are you located", "you are located", "the clinic is",
	"is the clinic", "your branch",
)

// clinicAfterCues are the words after an address that make it the
// clinic's: "Kerkstraat 12, is dat jullie adres?".
var clinicAfterCues = newCueSet(
	"jullie adres", "uw adres", "adres van jullie", "adres van de kliniek",
	"votre adresse", "adresse de la clinique", "ihre adresse",
	"adresse der praxis", "your address", "address of the clinic",
)

// Clinic cue windows, in words.
const (
	clinicBefore = 8
	clinicAfter  = 5
)

// clinicAddress reports whether the address [start, end) is the
// clinic's, by the cues in its sentence.
func clinicAddress(s string, start, end int) bool {
	lo, hi := sentenceStart(s, start), sentenceEnd(s, end)
	var w cueWords
	w.before(s[lo:start], start-lo, clinicCues.span(clinicBefore))
	if w.endsWithin(clinicCues, clinicBefore) {
		return true
	}
	w.after(s[:hi], end, clinicAfterCues.span(clinicAfter))
	return w.startsWithin(clinicAfterCues, clinicAfter)
}

// addressKey is the address folded to its letters and digits, so that
// "Kerkstraat 12, 9000 Gent" and "kerkstraat 12 9000 gent" share a
// placeholder.
func addressKey(a string) string {
	var buf [maxFold]byte
	b := buf[:0]
	for i := 0; i < len(a); {
		e := letterEnd(a, i)
		if e > i {
			b = foldInto(b, a[i:e])
			i = e
			continue
		}
		if isDigit(a[i]) {
			b = append(b, a[i])
		}
		i++
	}
	return string(b)
}

//go:embed data/address/*.txt
var addressData embed.FS

// wordKind tells what a word is to the address detector. A word may be
// of several kinds: "place" is a French and an English street type.
type wordKind uint16

// The kinds of words.
const (
	kindLead      wordKind = 1 << iota // French type before the name
	kindLoose                          // a lead after which lower case may follow
	kindTrail                          // English type after the name
	kindParticle                       // "de", "la", "van"
	kindUnit                           // "km", "Minuten": a quantity
	kindDay                            // a month or a day of the week
	kindKnown                          // a street without a street ending
	kindPrefix                         // "Lange", "Sint", "Burgemeester"
	kindNotStreet                      // "onderweg": a street ending, no street
	kindLong                           // a road whose numbers reach the thousands
)

// notName are the kinds of word that cannot be in a street name.
const notName = kindUnit | kindDay

// The word lists of the address detector, folded; see the files in
// data/address for what each holds.
var (
	streetSuffixes = readWords("suffixes.txt")
	suffixesByEnd  = indexSuffixes(streetSuffixes)
	wordKinds      = readKinds()
	cities         = wordSet(readWords("cities.txt")...)
)

// longRoads are the street types whose numbers reach the thousands.
var longRoads = []string{"steenweg", "baan", "chaussee", "route", "avenue",
	"av", "boulevard", "bd"}

// readKinds builds the kinds of the words of the lists.
func readKinds() map[string]wordKind {
	m := make(map[string]wordKind)
	add := func(k wordKind, words ...string) {
		for _, w := range words {
			m[foldWord(w)] |= k
		}
	}
	for _, line := range readWords("leads.txt") {
		word, flag, _ := strings.Cut(line, " ")
		add(kindLead, word)
		if flag == "loose" {
			add(kindLoose, word)
		}
	}
	add(kindTrail, readWords("trails.txt")...)
	add(kindParticle, streetParticles...)
	add(kindUnit, readWords("units.txt")...)
	add(kindDay, weekdays...)
	for _, names := range monthNames {
		add(kindDay, names...)
	}
	add(kindKnown, readWords("streets.txt")...)
	add(kindPrefix, readWords("prefixes.txt")...)
	add(kindNotStreet, readWords("notstreets.txt")...)
	add(kindLong, longRoads...)
	return m
}

// indexSuffixes indexes the street endings by their last three bytes.
func indexSuffixes(suffixes []string) map[string][]string {
	m := make(map[string][]string)
	for _, suf := range suffixes {
		k := suf[len(suf)-3:]
		m[k] = append(m[k], suf)
	}
	return m
}

// kindOf returns the kind of the folded word f.
func kindOf(f []byte) wordKind { return wordKinds[string(f)] }

// kindAt returns the kind of the word s[st:end].
func kindAt(s string, st, end int) wordKind {
	if end-st > maxFold {
		return 0
	}
	var buf [maxFold]byte
	return wordKinds[string(foldInto(buf[:0], s[st:end]))]
}

// readWords returns the lines of a word list, without comments and
// blank lines. The lists are part of the binary: a broken one is a bug.
func readWords(name string) []string {
	f, err := addressData.Open("data/address/" + name)
	if err != nil {
		panic("pii: reading word list: " + err.Error())
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && line[0] != '#' {
			out = append(out, line)
		}
	}
	return out
}

// wordSet returns a set of words, folded as foldInto does.
func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[foldWord(w)] = true
	}
	return m
}

// inSet reports whether w, folded, is in set.
func inSet(set map[string]bool, w string) bool {
	if len(w) > maxFold {
		return false
	}
	var buf [maxFold]byte
	return set[string(foldInto(buf[:0], w))]
}

// foldInto appends w in lower case and without accents to dst, as
// foldWord does, without allocating when dst has room: a folded word is
// never longer than the word.
func foldInto(dst []byte, w string) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		dst = append(dst, foldRune(unicode.ToLower(r))...)
		i += size
	}
	return dst
}

func hasSuffix(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}

// isUpperAt reports whether the character at offset i is an upper-case
// letter.
func isUpperAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	if s[i] < utf8.RuneSelf {
		return isUpper(s[i])
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsUpper(r)
}

// letterEnd returns the end of the letters from offset i.
func letterEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !isLetter(c) {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += size
	}
	return i
}

// letterStart returns the start of the letters that end at offset i.
func letterStart(s string, i int) int {
	for i > 0 {
		if c := s[i-1]; c < utf8.RuneSelf {
			if !isLetter(c) {
				break
			}
			i--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) {
			break
		}
		i -= size
	}
	return i
}

// maxNameParts bounds the parts of a hyphenated name.
const maxNameParts = 6

// nameEnd returns the end of the name from offset i: letters, with
// hyphens and apostrophes between them ("Sint-Niklaas", "d'Arlon") and
// an elided "'s-" before them ("'s-Hertogenbosch").
func nameEnd(s string, i int) int {
	if strings.HasPrefix(s[i:], "'s-") {
		i += 3
	}
	e := letterEnd(s, i)
	for n := 0; n < maxNameParts && e > i; n++ {
		j := joinerLen(s, e)
		if j == 0 || letterEnd(s, e+j) == e+j {
			break
		}
		e = letterEnd(s, e+j)
	}
	return e
}

// nameStart returns the start of the name that ends at offset i.
func nameStart(s string, i int) int {
	st := letterStart(s, i)
	for n := 0; n < maxNameParts && st < i; n++ {
		j := joinerLenBefore(s, st)
		if j == 0 || letterStart(s, st-j) == st-j {
			break
		}
		st = letterStart(s, st-j)
	}
	if st >= 3 && s[st-3:st] == "'s-" {
		st -= 3
	}
	return st
}

// joinerLen returns the length of a hyphen or apostrophe at offset i.
func joinerLen(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == '-' || s[i] == '\'':
		return 1
	case strings.HasPrefix(s[i:], "’"):
		return len("’")
	}
	return 0
}

// joinerLenBefore returns the length of a hyphen or apostrophe ending
// at offset i.
func joinerLenBefore(s string, i int) int {
	switch {
	case i == 0:
		return 0
	case s[i-1] == '-' || s[i-1] == '\'':
		return 1
	case strings.HasSuffix(s[:i], "’"):
		return len("’")
	}
	return 0
}

// skipSpacesBack returns the offset before at most n spaces ending at p.
func skipSpacesBack(s string, p, n int) int {
	q := p
	for q > 0 && p-q < n && s[q-1] == ' ' {
		q--
	}
	return q
}

// digitsEnd returns the end of the digits from offset i, or i when
// there are none or more than n.
func digitsEnd(s string, i, n int) int {
	e := i
	for e < len(s) && isDigit(s[e]) {
		e++
	}
	if e-i > n {
		return i
	}
	return e
}
