package pii

// This file holds the part of an address that names a flat, a floor or
// a building, written after the house number ("Bergstraße 5a, 2. OG",
// "Kaiserallee 23, App. 14", "Kerkstraat 14, 3rd floor", "Oudegracht
// 112 bis", "Am Lindenhof 3/Top 7", "Rue du Marché 7/B2") or before
// the number in French and English ("Flat 2B, 14 Rue de la Loi",
// "Bât. C, appt 14, 3 allée des Tilleuls").

var (
	// unitWords come before the number or letter of a flat or building:
	// "App. 14", "Top 7", "Whg. 3", "Bk. 2", "Flat 2B", "Bât. C".
	unitWords = wordSet("app", "appt", "apt", "apartment", "appartement",
		"flat", "unit", "suite", "whg", "wohnung", "tur", "tür",
		"stiege", "stg", "bk", "bat", "bât", "batiment", "bâtiment",
		"bloc", "block", "gebouw", "blok", "etage", "étage", "stock",
		"floor", "verdieping", "etg")
	// slashUnits name a unit only after a slash: "Am Lindenhof 3/Top 7",
	// not "Kerkstraat 5, top 3 treatments".
	slashUnits = wordSet("top")
	// floorWords come after the number of a floor: "2. OG", "3rd floor",
	// "2e étage", "3de verdieping".
	floorWords = wordSet("og", "obergeschoss", "stock", "etage", "étage",
		"floor", "verdieping", "verd", "etg")
	// ordinalEnds are the letters that make a number an ordinal: "3rd",
	// "2e", "2de", "1er", "3ème", "2ieme".
	ordinalEnds = wordSet("st", "nd", "rd", "th", "e", "de", "ste", "er",
		"ere", "ère", "eme", "ème", "ieme", "ième")
	// suffixWords follow a house number as a word of their own: "112
	// bis", and then a comma, a line break or the postcode, never a word:
	// "Hauptstraße 5 bis 7 Uhr", "Kerkstraat 5 ter hoogte van".
	suffixWords = wordSet("bis", "ter")
)

// maxUnits bounds the unit parts read on one side of an address.
const maxUnits = 2

// unitsEnd extends an address ending at p over the unit parts written
// after it, each after a comma, a space or a slash. It returns the new
// end, p itself when there is none.
func unitsEnd(s string, p int) int {
	for n := 0; n < maxUnits; n++ {
		q := p
		if q < len(s) && (s[q] == ',' || s[q] == '/') {
			q++
		}
		e := unitAt(s, skipSpaces(s, q, 1), q > p && s[p] == '/')
		if e < 0 {
			break
		}
		p = e
	}
	return p
}

// unitAt returns the end of the unit part that starts at offset i, or
// -1 when none does; slash says a slash comes before it.
func unitAt(s string, i int, slash bool) int {
	if i >= len(s) || i > 0 && isAlnum(s[i-1]) {
		return -1
	}
	if e := letterEnd(s, i); e > i {
		w := s[i:e]
		switch {
		case inSet(suffixWords, w):
			if suffixEnds(s, e) {
				return e
			}
			return -1
		case inSet(unitWords, w) || slash && inSet(slashUnits, w):
			return unitNumberEnd(s, skipDot(s, e))
		case slash:
			return letterDigitsEnd(s, i) // "7/B2"
		}
		return -1
	}
	// a floor: "2. OG", "3rd floor", "2e étage"
	d := digitsEnd(s, i, 2)
	if d == i {
		return -1
	}
	o := d
	if o < len(s) && s[o] == '.' {
		o++
	} else if e := letterEnd(s, o); e > o && inSet(ordinalEnds, s[o:e]) {
		o = e
	}
	w := skipSpaces(s, o, 1)
	e := letterEnd(s, w)
	if w == o || e == w || !inSet(floorWords, s[w:e]) {
		return -1
	}
	return skipDot(s, e)
}

// unitNumberEnd returns the end of the number or letter of a unit that
// starts, after at most one space, at offset i: "14", "2B", "C", "B2";
// -1 when there is none.
func unitNumberEnd(s string, i int) int {
	i = skipSpaces(s, i, 1)
	if d := digitsEnd(s, i, 4); d > i {
		if e := letterEnd(s, d); e-d == 1 {
			return e
		} else if e > d {
			return -1
		}
		return d
	}
	if e := letterEnd(s, i); e-i == 1 && (e == len(s) || !isAlnum(s[e])) {
		return e
	}
	return letterDigitsEnd(s, i)
}

// letterDigitsEnd returns the end of one letter and one to three digits
// at offset i ("B2"), or -1.
func letterDigitsEnd(s string, i int) int {
	if i+1 >= len(s) || !isLetter(s[i]) {
		return -1
	}
	d := digitsEnd(s, i+1, 3)
	if d == i+1 || d < len(s) && isAlnum(s[d]) {
		return -1
	}
	return d
}

// unitsStart extends an address starting at p back over the unit parts
// written before it, each followed by a comma: "Flat 2B, 14 Rue de la
// Loi". It returns the new start, p itself when there is none.
func unitsStart(s string, p int) int {
	for n := 0; n < maxUnits; n++ {
		q := skipSpacesBack(s, p, 1)
		if q == 0 || s[q-1] != ',' {
			break
		}
		st := unitBefore(s, q-1)
		if st < 0 {
			break
		}
		p = st
	}
	return p
}

// unitBefore returns the start of the unit part, a unit word and its
// number or letter, that ends at offset end, or -1.
func unitBefore(s string, end int) int {
	ns := end
	for ns > 0 && isAlnum(s[ns-1]) {
		ns--
	}
	if ns == end || end-ns > 5 || unitNumberEnd(s, ns) != end {
		return -1
	}
	q := skipSpacesBack(s, ns, 1)
	if q > 0 && s[q-1] == '.' {
		q--
	}
	ws := letterStart(s, q)
	if ws == q || !inSet(unitWords, s[ws:q]) || ws > 0 && isDigit(s[ws-1]) {
		return -1
	}
	return ws
}

// skipDot returns i past a full stop at offset i, i itself otherwise.
func skipDot(s string, i int) int {
	if i < len(s) && s[i] == '.' {
		return i + 1
	}
	return i
}

// suffixEnds reports whether a house number's suffix word ending at i
// ends the street part: the text ends, or a comma, a line break or a
// postcode follows.
func suffixEnds(s string, i int) bool {
	q := skipSpaces(s, i, 1)
	return q == len(s) || s[q] == ',' || s[q] == '\n' || s[q] == '\r' ||
		q > i && digitsEnd(s, q, 5)-q >= 4
}
