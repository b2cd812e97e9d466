package pii

import (
	"slices"
	"strings"
)

// This file holds the parts of an address that no house number leads
// to, or that come before or after the street: streets named after a
// preposition ("Unter den Linden 7"), the names of people before a
// street ending ("Jan Van Rijswijcklaan 5"), the country after the city,
// and streets without a number after a word of residence ("ik woon in
// de Kerkstraat").

// Words that begin a street named after a preposition: the preposition,
// then an article ("Aan de Stroom", "Unter den Linden", "An der
// Alster"), or a preposition joined with its article ("Am Kanal", "Zum
// Hafen", "Ten Bos").
var (
	streetPreps = wordSet("aan", "op", "in", "bij", "achter", "over",
		"onder", "langs", "naast", "voor", "tegen", "tussen", "buiten",
		"binnen", "om", "unter", "an", "auf", "hinter", "vor", "neben",
		"bei", "uber", "zwischen")
	streetArticles = wordSet("de", "het", "t", "den", "der", "dem", "die")
	streetFused    = wordSet("am", "im", "zum", "zur", "beim", "vom", "ten",
		"ter")
)

// prepStreet reads back from the word [st, end) before a house number
// over one or two capitalised words to a preposition and an article, or
// a preposition fused with its article: "Unter den Linden 7", "Aan de
// Stroom 5", "Op de Beek 12", "Am Kanal 5", "An der Schönen Aussicht
// 3". Such a street is weak: see prepEvidence.
func prepStreet(s string, st, end int) (street, bool) {
	for n := 0; n < 2; n++ {
		if !isUpperAt(s, st) || !nameWord(s, st, end) ||
			inSet(streetArticles, s[st:end]) {
			return street{}, false
		}
		a, e, ok := wordBefore(s, st)
		if !ok {
			return street{}, false
		}
		if inSet(streetFused, s[a:e]) {
			return street{start: a, reason: ReasonStreet, weak: true}, true
		}
		if inSet(streetArticles, s[a:e]) {
			pa, pe, ok := wordBefore(s, a)
			if !ok || !inSet(streetPreps, s[pa:pe]) {
				return street{}, false
			}
			return street{start: pa, reason: ReasonStreet, weak: true}, true
		}
		st, end = a, e
	}
	return street{}, false
}

// wordBefore returns the word that ends one space before offset i.
func wordBefore(s string, i int) (start, end int, ok bool) {
	end = skipSpacesBack(s, i, 1)
	if end == i {
		return 0, 0, false
	}
	start = letterStart(s, end)
	return start, end, start < end && end-start <= maxFold
}

// prepEvidence reports whether a street named after a preposition, the
// address [st, end) with no postcode or city after it, is an address
// all the same: the preposition is written with a capital inside a
// sentence, as the first word of a name ("ich wohne Unter den Linden
// 7"), the address is alone on its line, as in an address block, or a
// word of residence comes shortly before it ("ik woon op de Beek 12").
func prepEvidence(s string, st, end int) bool {
	if isUpperAt(s, st) {
		q := skipSpacesBack(s, st, 3)
		if q > 0 && q < st && (isAlnum(s[q-1]) || s[q-1] == ',' || s[q-1] >= 0x80) {
			return true
		}
		e := skipSpaces(s, end, 3)
		if (q == 0 || s[q-1] == '\n') && (e == len(s) || lineBreakLen(s, e) > 0) {
			return true
		}
	}
	return residenceBefore(s, st)
}

// residenceCues are the words of a visitor saying where they live, or
// labelling an address.
var residenceCues = newCueSet(
	"woon", "woont", "wonen", "woonachtig", "adres", "live", "lives",
	"living", "address", "habite", "habites", "habitons", "habitez",
	"habitent", "adresse", "domicile", "domicilie", "domiciliee", "wohne",
	"wohnt", "wohnen", "wohnhaft", "anschrift",
)

// residenceWithin is how many words may stand between a word of
// residence and the street: "ik woon in de Kerkstraat", "I live on the
// corner of Baker Street".
const residenceWithin = 4

// residenceBefore reports whether a word of residence ends within
// residenceWithin words before offset st, in its sentence.
func residenceBefore(s string, st int) bool {
	lo := sentenceStart(s, st)
	var w cueWords
	w.before(s[lo:st], st-lo, residenceCues.span(residenceWithin))
	return w.endsWithin(residenceCues, residenceWithin)
}

// streetNameParticles are the particles of a surname in a street named
// after a person: "Jan Van Rijswijcklaan", "Frans van Cauwelaertlaan".
var streetNameParticles = wordSet("van", "von", "de", "der", "den", "ter",
	"ten", "vander", "vanden", "vande", "le", "la", "du", "des")

// namesBefore extends a street name starting at st, a word with a street
// ending, to the left over the name of the person it is named after:
// capitalised particles ("Van Rijswijcklaan"), and the given names the
// lists know before them ("Jan Van Rijswijcklaan", "Frans van
// Cauwelaertlaan", "Pieter Coutereelstraat"). A particle in lower case
// with no given name before it is an article: "in de Kerkstraat".
func namesBefore(s string, st int) int {
	at, upper := st, st
	for n := 0; n < 3; n++ {
		a, e, ok := wordBefore(s, at)
		if !ok || !inSet(streetNameParticles, s[a:e]) {
			break
		}
		at = a
		if isUpperAt(s, a) {
			upper = a // the leftmost in capitals: "de Van Rijswijcklaan"
		}
	}
	given := at
	for n := 0; n < 2; n++ {
		a, e, ok := wordBefore(s, given)
		if !ok || !isUpperAt(s, a) || names().bitsOf(s[a:e])&lexGiven == 0 {
			break
		}
		given = a
	}
	if given < at {
		return given
	}
	return upper
}

// countries are the countries written after a city, folded; see
// data/address/countries.txt.
var countries = wordSet(readWords("countries.txt")...)

// countryCodes are the country codes written in capitals after a city:
// "9000 Gent BE".
var countryCodes = []string{"BE", "NL", "FR", "DE", "LU", "UK", "GB", "CH"}

// countryEnd extends an address whose street ends at end and whose
// postcode or city ends at place over the country written after them:
// ", België", " - Belgium", " (France)", or on the next line. Without
// a postcode or a city, a country is no part of the address:
// "Kerkstraat 12, België" is rare, "Rue Haute 5, France est loin"
// rarer still. It returns the new end, place itself when there is none.
func countryEnd(s string, place, end int) int {
	if place == end {
		return place
	}
	q, paren := place, strings.HasPrefix(s[place:], " (")
	switch {
	case strings.HasPrefix(s[q:], ","):
		q++
	case paren, strings.HasPrefix(s[q:], " -"):
		q += 2
	}
	r := skipSpaces(s, q, 2)
	if n := lineBreakLen(s, place); n > 0 {
		r = place + n // on a line of its own, in an address block
	} else if r == place {
		return place
	}
	e := nameEnd(s, r)
	if e == r || e-r > maxFold || !nameCapital(s, r) {
		return place
	}
	if two := countryPair(s, r, e); two > e {
		e = two
	} else if !inSet(countries, s[r:e]) && !isCountryCode(s[r:e]) {
		return place
	}
	if paren {
		if !strings.HasPrefix(s[e:], ")") {
			return place
		}
		e++
	}
	return e
}

// isCountryCode reports whether w is a country code in capitals.
func isCountryCode(w string) bool {
	for _, c := range countryCodes {
		if w == c {
			return true
		}
	}
	return false
}

// countryPair returns the end of a listed country of two or three words
// starting at r, whose first word ends at e ("United Kingdom", "The
// Netherlands"), or e.
func countryPair(s string, r, e int) int {
	var buf [maxFold]byte
	f := foldInto(buf[:0], s[r:e])
	end := e
	for n := 0; n < 2; n++ {
		q := skipSpaces(s, end, 1)
		w := nameEnd(s, q)
		if q == end || w == q || len(f)+1+w-q > maxFold {
			break
		}
		f = foldInto(append(f, ' '), s[q:w])
		if countries[string(f)] {
			return w
		}
		end = w
	}
	return e
}

// residenceWords are the words of residenceCues.
var residenceWords = wordSet("woon", "woont", "wonen", "woonachtig",
	"adres", "live", "lives", "living", "address", "habite", "habites",
	"habitons", "habitez", "habitent", "adresse", "domicile", "domicilie",
	"domiciliee", "wohne", "wohnt", "wohnen", "wohnhaft", "anschrift")

// residenceStarts are the first three letters of residenceWords, in
// lower case, as residenceKey packs them, and residencePairs their first
// two letters, by 'a'..'z' each: a word that starts otherwise is passed
// over with one table read.
var residenceStarts, residencePairs = func() ([]uint32, *[26 * 26]bool) {
	var keys []uint32
	pairs := new([26 * 26]bool)
	for w := range residenceWords {
		if k := residenceKey(w); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
		pairs[int(w[0]-'a')*26+int(w[1]-'a')] = true
	}
	return keys, pairs
}()

// residenceStart reports whether a word of residence may start at
// offset i, the start of a word of at least three ASCII letters.
func residenceStart(s string, i int) bool {
	a, b := s[i]|0x20, s[i+1]|0x20
	return residencePairs[int(a-'a')*26+int(b-'a')] &&
		slices.Contains(residenceStarts, residenceKey(s[i:]))
}

// residenceKey packs the first three bytes of s, ASCII letters in lower
// case, or returns 0 when s is shorter.
func residenceKey(s string) uint32 {
	if len(s) < 3 {
		return 0
	}
	return uint32(s[0]|0x20)<<16 | uint32(s[1]|0x20)<<8 | uint32(s[2]|0x20)
}

// streetsAfterResidence appends to dst the streets named without a
// house number shortly after a word of residence: "ik woon in de
// Kerkstraat", "I live on Baker Street", "j'habite rue de la Paix",
// "ich wohne in der Hauptstraße", "Adres: Lange Kievitstraat, 2018
// Antwerpen". Only a street known by its shape counts, written with a
// capital when a street ending makes it one, and never the clinic's
// own. A street with a number was found with it; spans dst[from:] are
// those. One pass reads the words of ASCII letters; only the few that
// begin as a word of residence does are looked up.
func streetsAfterResidence(s string, dst []Span, from int) []Span {
	for i := 0; i < len(s); {
		if !isLetter(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		ws := i
		i = j
		if j-ws < 3 || ws > 0 && s[ws-1] >= 0x80 || j < len(s) && s[j] >= 0x80 ||
			!residenceStart(s, ws) || !inSet(residenceWords, s[ws:j]) {
			continue
		}
		a, ok := streetAfterWord(s, j)
		if !ok || clinicAddress(s, a.start, a.end) || overlapsAny(dst[from:], a) {
			continue
		}
		dst = append(dst, Span{Start: a.start, End: a.end,
			Reason: a.reason, Key: addressKey(s[a.start:a.end])})
		i = a.end
	}
	return dst
}

// residenceSkips are the words that may stand between a word of
// residence and the street: "ik woon in de", "I live on the", "mijn
// adres is", "j'habite à la", "ich wohne in der".
var residenceSkips = wordSet("in", "de", "het", "t", "op", "aan", "is",
	"the", "on", "at", "la", "le", "l", "au", "a", "dans", "en", "der",
	"den", "dem", "die", "im", "am", "an", "ist", "est", "nu", "now",
	"maintenant", "jetzt")

// streetAfterWord reads a street named without a number in the words
// after offset p, where a word of residence ends: past at most
// residenceWithin words of residenceSkips, prefixes ("Lange") and names
// ("Jan Van"), a street ending ("Kerkstraat"), a French street type and
// its name ("rue de la Paix"), an English name and street type ("Baker
// Street") or a street of the list ("Meir"). A house number after it
// makes it an address found around its number instead.
func streetAfterWord(s string, p int) (addr, bool) {
	first := -1
	for n := 0; n < residenceWithin+2; n++ {
		q := skipSpaces(s, p, 2)
		if n == 0 && q < len(s) && s[q] == ':' {
			q = skipSpaces(s, q+1, 2)
		}
		e := nameEnd(s, q)
		if q == p || e == q || e-q > maxFold {
			return addr{}, false
		}
		if first < 0 {
			first = q
		}
		if start, end, ok := streetFrom(s, q, e); ok {
			return residenceAddress(s, max(start, first), end)
		}
		if !inSet(residenceSkips, s[q:e]) && !nameCapital(s, q) {
			return addr{}, false
		}
		p = e
	}
	return addr{}, false
}

// streetFrom reports whether a street name begins with the word [q, e),
// or ends with it after prefixes and names, and returns its bounds.
func streetFrom(s string, q, e int) (start, end int, ok bool) {
	k := kindAt(s, q, e)
	switch {
	case k&kindLead != 0:
		if e < len(s) && s[e] == '.' {
			e++
		}
		end := leadNameEnd(s, e, k&kindLoose != 0)
		return q, end, end > 0
	case !nameCapital(s, q):
		return 0, 0, false
	case k&kindKnown != 0:
		return q, e, true
	}
	if end := englishStreetEnd(s, q); end > 0 {
		return q, end, true
	}
	var buf [maxFold]byte
	if str, ok := compoundStreet(s, q, foldInto(buf[:0], s[q:e]), false); ok {
		return str.start, e, true
	}
	return 0, 0, false
}

// residenceAddress returns the address of the street [start, end)
// named after a word of residence, with the postcode, city and country
// after it, unless a house number follows, which the search around
// numbers has seen.
func residenceAddress(s string, start, end int) (addr, bool) {
	q := skipSpaces(s, end, 2)
	if q < len(s) && isDigit(s[q]) {
		return addr{}, false
	}
	place := placeEnd(s, end)
	return addr{start, countryEnd(s, place, end), ReasonStreetResidence}, true
}

// overlapsAny reports whether a overlaps one of spans.
func overlapsAny(spans []Span, a addr) bool {
	for _, sp := range spans {
		if sp.Start < a.end && a.start < sp.End {
			return true
		}
	}
	return false
}
