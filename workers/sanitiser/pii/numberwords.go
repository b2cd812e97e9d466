package pii

import "strings"

// This file spells numbers in English, Dutch, French and German, for
// dates of birth written in words: "the third of June 1961", "ersten
// Juni 1961", "vingt-deux octobre mille neuf cent cinquante-huit",
// "twaalf november negentienzevenenveertig". Spellings are generated
// once into tables keyed by the folded words run together, without
// spaces or hyphens, so "vingt-deux", "vingt deux" and "vingtdeux" are
// one key.

// maxNumberWords bounds the words of one spelled number: "mille neuf
// cent quatre vingt dix neuf".
const maxNumberWords = 8

// dayWords maps the spelled days 1 to 31, cardinal and ordinal, to
// their value; yearWords the spelled years from 1900 to thisYear.
var dayWords, yearWords = func() (map[string]int, map[string]int) {
	days, years := map[string]int{}, map[string]int{}
	add := func(m map[string]int, n int, spellings ...string) {
		for _, s := range spellings {
			m[numberKey(s)] = n
		}
	}
	for n := 1; n <= 31; n++ {
		add(days, n, enCardinal(n), enOrdinal(n), nlCardinal(n),
			nlOrdinal(n), frCardinal(n, false), frCardinal(n, true),
			deCardinal(n))
		for _, end := range []string{"e", "en", "er", "em"} {
			add(days, n, deOrdinal(n)+end)
		}
	}
	add(days, 1, "premier")
	for y := 1900; y <= thisYear; y++ {
		add(years, y, yearSpellings(y)...)
	}
	return days, years
}()

// numberKey folds s and drops its spaces and hyphens.
func numberKey(s string) string {
	f := foldWord(s)
	return strings.NewReplacer(" ", "", "-", "").Replace(f)
}

var (
	enOnes = []string{"", "one", "two", "three", "four", "five", "six",
		"seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
		"fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
		"nineteen"}
	enTens = []string{"", "", "twenty", "thirty", "forty", "fifty",
		"sixty", "seventy", "eighty", "ninety"}
	enOrd = map[int]string{1: "first", 2: "second", 3: "third", 5: "fifth",
		8: "eighth", 9: "ninth", 12: "twelfth"}
)

func enCardinal(n int) string {
	if n < 20 {
		return enOnes[n]
	}
	if n%10 == 0 {
		return enTens[n/10]
	}
	return enTens[n/10] + "-" + enOnes[n%10]
}

func enOrdinal(n int) string {
	if o, ok := enOrd[n]; ok {
		return o
	}
	if n > 20 && n%10 != 0 {
		return enTens[n/10] + "-" + enOrdinal(n%10)
	}
	if n%10 == 0 && n >= 20 {
		return strings.TrimSuffix(enTens[n/10], "y") + "ieth"
	}
	return enOnes[n] + "th"
}

var (
	nlOnes = []string{"", "een", "twee", "drie", "vier", "vijf", "zes",
		"zeven", "acht", "negen", "tien", "elf", "twaalf", "dertien",
		"veertien", "vijftien", "zestien", "zeventien", "achttien",
		"negentien"}
	nlTens = []string{"", "", "twintig", "dertig", "veertig", "vijftig",
		"zestig", "zeventig", "tachtig", "negentig"}
)

// unitsFirst spells n below 100 as Dutch and German do, the unit before
// the tens and joined to them by and: "tweeentwintig" (tweeëntwintig,
// folded), "einundzwanzig", with one the unit of 21, 31….
func unitsFirst(n int, ones, tens []string, and, one string) string {
	switch {
	case n < 20:
		return ones[n]
	case n%10 == 0:
		return tens[n/10]
	case n%10 == 1:
		return one + and + tens[n/10]
	}
	return ones[n%10] + and + tens[n/10]
}

func nlCardinal(n int) string { return unitsFirst(n, nlOnes, nlTens, "en", "een") }

func nlOrdinal(n int) string {
	switch n {
	case 1:
		return "eerste"
	case 3:
		return "derde"
	case 8:
		return "achtste"
	}
	if n < 20 {
		return nlOnes[n] + "de"
	}
	return nlCardinal(n) + "ste"
}

var (
	deOnes = []string{"", "eins", "zwei", "drei", "vier", "fünf", "sechs",
		"sieben", "acht", "neun", "zehn", "elf", "zwölf", "dreizehn",
		"vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
		"neunzehn"}
	deTens = []string{"", "", "zwanzig", "dreißig", "vierzig", "fünfzig",
		"sechzig", "siebzig", "achtzig", "neunzig"}
)

func deCardinal(n int) string { return unitsFirst(n, deOnes, deTens, "und", "ein") }

// deOrdinal returns the stem of a German ordinal, before its ending:
// "erst", "dritt", "zwanzigst".
func deOrdinal(n int) string {
	switch n {
	case 1:
		return "erst"
	case 3:
		return "dritt"
	case 7:
		return "siebt"
	case 8:
		return "acht"
	}
	if n < 20 {
		return deOnes[n] + "t"
	}
	return deCardinal(n) + "st"
}

var (
	frOnes = []string{"", "un", "deux", "trois", "quatre", "cinq", "six",
		"sept", "huit", "neuf", "dix", "onze", "douze", "treize",
		"quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"}
	frTens = []string{"", "", "vingt", "trente", "quarante", "cinquante",
		"soixante", "septante", "quatre-vingt", "nonante"}
)

// frCardinal spells n below 100 in French, with the seventies and
// nineties of France, or of Belgium and Switzerland when belgian.
func frCardinal(n int, belgian bool) string {
	if n < 20 {
		return frOnes[n]
	}
	t, u := n/10, n%10
	if !belgian && (t == 7 || t == 9) {
		t, u = t-1, u+10
	}
	tens := frTens[t]
	switch {
	case u == 0 && t == 8:
		return "quatre-vingts"
	case u == 0:
		return tens
	case (u == 1 || u == 11) && t != 8:
		return tens + " et " + frOnes[u]
	}
	return tens + "-" + frOnes[u]
}

// yearSpellings returns the ways a year from 1900 on is spelled.
func yearSpellings(y int) []string {
	r := y % 100
	var out []string
	if y < 2000 {
		out = append(out,
			"nineteen hundred and "+enCardinal(r),
			"nineteen hundred "+enCardinal(r),
			"negentienhonderd"+nlCardinal(r),
			"neunzehnhundert"+deCardinal(r),
			"mille neuf cent "+frCardinal(r, false),
			"mille neuf cent "+frCardinal(r, true),
			"dix-neuf cent "+frCardinal(r, false),
			"dix-neuf cent "+frCardinal(r, true))
		if r >= 10 {
			out = append(out, "nineteen "+enCardinal(r),
				"negentien"+nlCardinal(r))
		} else if r > 0 {
			out = append(out, "nineteen oh "+enCardinal(r))
		}
	} else {
		out = append(out,
			"two thousand and "+enCardinal(r), "two thousand "+enCardinal(r),
			"tweeduizend"+nlCardinal(r), "tweeduizend en "+nlCardinal(r),
			"zweitausend"+deCardinal(r), "deux mille "+frCardinal(r, false),
			"deux mille "+frCardinal(r, true))
		if r >= 10 {
			out = append(out, "twenty "+enCardinal(r), "twintig"+nlCardinal(r))
		}
	}
	return out
}

// numberWordsAt reads a number spelled in at most maxNumberWords words
// from offset i, words joined by one space or hyphen. It returns the
// value in table m of the longest run of words that is in it, and the
// end of that run, or 0 and i.
func numberWordsAt(s string, i int, m map[string]int) (int, int) {
	var buf [96]byte
	key := buf[:0]
	val, end := 0, i
	for n, w := 0, i; n < maxNumberWords; n++ {
		e := letterEnd(s, w)
		if e == w || len(key)+e-w > len(buf) {
			break
		}
		key = foldInto(key, s[w:e])
		if v, ok := m[string(key)]; ok {
			val, end = v, e
		}
		if e+1 >= len(s) || s[e] != ' ' && s[e] != '-' {
			break
		}
		w = e + 1
	}
	return val, end
}

// dayWordsBefore reads a day spelled in words that ends, after at most
// one space and an optional "the" before and "of" after it ("the third
// of"), at offset p: "ersten", "vingt-deux", "twenty first". It returns
// the day and where its words start, or 0 and p.
func dayWordsBefore(s string, p int) (int, int) {
	q := skipSpacesBack(s, p, 1)
	if q == p {
		return 0, p
	}
	if a := letterStart(s, q); q-a == 2 && strings.EqualFold(s[a:q], "of") {
		q = skipSpacesBack(s, a, 1)
	}
	// the words ending at q, nearest last, at most four
	var starts [4]int
	n, w := 0, q
	for n < len(starts) {
		a := letterStart(s, w)
		if a == w {
			break
		}
		starts[n] = a
		n++
		if a < 2 || s[a-1] != ' ' && s[a-1] != '-' {
			break
		}
		w = a - 1
	}
	for k := n - 1; k >= 0; k-- {
		if v, e := numberWordsAt(s, starts[k], dayWords); v != 0 && e == q {
			st := starts[k]
			if t := skipSpacesBack(s, st, 1); t < st {
				if a := letterStart(s, t); t-a == 3 && strings.EqualFold(s[a:t], "the") {
					st = a
				}
			}
			if st > 0 && isAlnum(s[st-1]) {
				return 0, p
			}
			return v, st
		}
	}
	return 0, p
}

// spelledYearAfter reads a year spelled in words after a month name or
// day ending at offset p, and an optional comma: "juni
// negentienzevenenveertig", "octobre mille neuf cent cinquante-huit".
// It returns the year and its end, or 0.
func spelledYearAfter(s string, p int) (int, int) {
	q := p
	if q < len(s) && s[q] == ',' {
		q++
	}
	r := skipSpaces(s, q, 2)
	if r == q || r >= len(s) || !isLetter(s[r]) {
		return 0, 0
	}
	y, e := numberWordsAt(s, r, yearWords)
	if y == 0 || e < len(s) && isAlnum(s[e]) {
		return 0, 0
	}
	return y, e
}

// spelledDates appends to dst the dates of birth written without a
// digit, a month name with a spelled day before it or a spelled year
// after it, or both: "dritten Oktober neunzehnhundertachtundvierzig",
// "twaalf november negentienzevenenveertig". Dates with digits were
// read from the digit runs.
func (in *Input) spelledDates(dst []Span) []Span {
	s := in.Text
	for i := 0; i < len(s); {
		if !isLetter(s[i]) {
			i++
			continue
		}
		e := letterEnd(s, i)
		ws := i
		i = e
		if e-ws < 3 || !monthPairAt(s, ws) {
			continue
		}
		m := monthOf(s[ws:e])
		if m == 0 || ws > 0 && isAlnum(s[ws-1]) || digitNear(s, ws, e) {
			continue
		}
		d := date{start: ws, end: e, month: m}
		d.day, d.start = dayWordsBefore(s, ws)
		d.year, d.end = spelledYearAfter(s, e)
		if d.year == 0 {
			d.end = e
		}
		if d.day == 0 && d.year == 0 || d.day != 0 && !d.valid() {
			continue
		}
		if reason, ok := in.isBirthDate(d, 0); ok {
			dst = append(dst, Span{Start: d.start, End: d.end, Reason: reason,
				Key: d.key()})
		}
		i = d.end
	}
	return dst
}

// digitNear reports whether a digit stands right around the word
// [st, end), after at most two spaces: a date the digit runs read.
func digitNear(s string, st, end int) bool {
	b := skipSpacesBack(s, st, 2)
	a := skipSpaces(s, end, 2)
	return b > 0 && isDigit(s[b-1]) || a < len(s) && isDigit(s[a])
}

// monthPairs marks the first two letters of the month names, 'a'..'z'
// each: a word that starts otherwise is passed over with one read.
var monthPairs = func() *[26 * 26]bool {
	t := new([26 * 26]bool)
	for _, names := range monthNames {
		for _, n := range names {
			t[int(n[0]-'a')*26+int(n[1]-'a')] = true
		}
	}
	return t
}()

// monthPairAt reports whether a month name may start at offset i, the
// start of a word of at least three bytes whose first is an ASCII
// letter. A second byte outside ASCII ("février" typed "Février") may.
func monthPairAt(s string, i int) bool {
	b := s[i+1]
	if b >= 0x80 {
		return true
	}
	if !isLetter(b) {
		return false
	}
	return monthPairs[int(s[i]|0x20-'a')*26+int(b|0x20-'a')]
}
