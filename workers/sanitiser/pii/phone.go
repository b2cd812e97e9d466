package pii

// phoneDetector finds telephone numbers in the runs of digits:
//
//   - international: "+32 470 12 34 56", "+32 (0)2 123 45 67",
//     "0032 2 123 45 67", "+49 30 1234567", "+1 (555) 123-4567", checked
//     against the national number length of common country codes and, for
//     other codes after '+', against the E.164 length;
//   - national with a trunk 0 (Belgium, the Netherlands, France, Germany,
//     the United Kingdom): "0470 12 34 56", "02/123.45.67",
//     "06-12345678", "06 12 34 56 78", "0151 23456789", 9 to 12 digits;
//   - North American "(555) 123-4567" and "555-123-4567", and
//     Luxembourg mobiles "621 123 456", by their grouping.
//
// Prices, quantities, years, dates and times do not have these shapes:
// they are too short, do not start with 0 or '+', or are refused by the
// date and time checks below.
type phoneDetector struct{}

func init() { register(prioPhone, phoneDetector{}) }

func (phoneDetector) Type() Type { return Phone }

// maxPhoneDigits is the most digits a phone number can have as written:
// "00" and an E.164 number of 15 digits.
const maxPhoneDigits = 17

func (phoneDetector) Find(in *Input, dst []Span) []Span {
	for _, r := range in.digitRuns() {
		if in.runDigits(r) < minPhoneDigits {
			dst = in.cuedPhone(r, dst)
			continue
		}
		found := len(dst)
		in.candidates(r, maxPhoneDigits, func(i, j int) bool {
			key, ok := in.phone(i, j)
			if ok {
				start, end := in.spanOf(i, j)
				dst = append(dst, Span{
					Start: start, End: end, Reason: ReasonPattern, Key: key,
				})
			}
			return ok
		})
		if len(dst) == found {
			dst = in.cuedPhone(r, dst)
		}
	}
	return dst
}

// phoneCues are the words that say a number right after them is a
// telephone number.
var phoneCues = newCueSet("tel", "tél", "telefoon", "telefoonnummer",
	"telefon", "telefonnummer", "telephone", "phone", "gsm", "handy",
	"mobile", "mobiel", "portable", "festnetz", "fixe", "vaste lijn",
	"bel me op", "bel mij op", "call me on", "appelez moi au", "rufen sie mich an unter",
	"ruf mich an", "rufen sie mich an", "erreichbar unter", "mijn nummer",
	"meine nummer", "ihre nummer", "seine nummer", "deine nummer",
	"zijn nummer", "haar nummer", "his number", "her number",
	"son numero", "my number", "mon numero", "appelle moi au",
	"rufen sie mich zuruck", "ruf mich zuruck", "bel me terug",
	"bel mij terug", "call me back on", "rappelez moi au", "rappelle moi au")

// cuedPhone takes a whole run of 6 to 10 digits in groups ("26 48 31 57",
// "44 55 667") that is no phone number by its shape as one when a phone
// cue stands right before it: Luxembourg landlines have no trunk prefix
// and are this short. Without the cue such a number is anything.
func (in *Input) cuedPhone(r run, dst []Span) []Span {
	n := in.runDigits(r)
	if n < 6 || n > 10 || r.gluedLeft || r.gluedRight || r.last-r.first < 1 || in.groups[r.first].plus {
		return dst
	}
	start, end := in.spanOf(r.first, r.last)
	var w cueWords
	w.before(in.Text, start, phoneCues.span(1))
	spacedDate := r.last-r.first <= 2 && in.isYear(in.groups[r.last])
	if !w.endsWithin(phoneCues, 1) || spacedDate || in.looksLikeDate(r.first, r.last) {
		return dst
	}
	return append(dst, Span{Start: start, End: end, Reason: ReasonContext,
		Key: string(in.digitsOf(r.first, r.last, false))})
}

// minPhoneDigits is the fewest digits of a number the detector accepts.
const minPhoneDigits = 8

// runDigits counts the digits of run r.
func (in *Input) runDigits(r run) int {
	n := 0
	for k := r.first; k <= r.last; k++ {
		n += in.groups[k].len()
	}
	return n
}

// phone reports whether groups [i, j] are a telephone number, and returns
// its national significant number as key, so that "0470 12 34 56" and
// "+32 470 12 34 56" share a placeholder.
func (in *Input) phone(i, j int) (string, bool) {
	first := in.groups[i]
	d := in.digitsOf(i, j, true)
	intl := first.plus || (len(d) > 2 && d[0] == '0' && d[1] == '0')
	if !in.phoneSeparators(i, j, intl) || in.looksLikeDate(i, j) {
		return "", false
	}
	switch {
	case first.plus:
		return international(d, true)
	case intl:
		return international(d[2:], false)
	case d[0] == '0':
		return in.national(i, j, d)
	}
	return in.groupedForeign(i, j, d)
}

// phoneSeparators checks that groups [i, j] are written like one phone
// number: after the first separator (and, for international numbers,
// the one after the country code), all separators are the same, so
// "02/123.45.67" passes and "09.30 0470 12" does not. Parenthesised
// parts such as "(0)" are not counted.
func (in *Input) phoneSeparators(i, j int, intl bool) bool {
	var seps [maxPhoneDigits]byte
	n := 0
	for k := i + 1; k <= j; k++ {
		if s := in.groups[k].sep; s != '(' && s != ')' {
			seps[n] = s
			n++
		}
	}
	s := seps[:n]
	if intl && in.groups[i].len() <= 4 && len(s) > 0 {
		s = s[1:]
	}
	if len(s) < 2 {
		return true
	}
	for _, c := range s[2:] {
		if c != s[1] {
			return false
		}
	}
	if intl {
		return true
	}
	// "09.30 0470 12": a time followed by other numbers.
	g0, g1 := in.groups[i], in.groups[i+1]
	return !(s[0] == '.' && s[1] != '.' && g0.len() <= 2 && g1.len() == 2)
}

// looksLikeDate reports whether groups [i, j] hold a date with a
// four-digit year, such as "01/03/2025", "2025-03-01" or "03.2025".
func (in *Input) looksLikeDate(i, j int) bool {
	for k := i; k < j; k++ {
		a, b := in.groups[k], in.groups[k+1]
		if b.sep != '/' && b.sep != '.' && b.sep != '-' {
			continue
		}
		if a.len() <= 2 && in.isYear(b) || in.isYear(a) && b.len() <= 2 {
			return true
		}
	}
	return false
}

// isYear reports whether g is a year from 1900 to 2099.
func (in *Input) isYear(g group) bool {
	y := in.Text[g.start:g.end]
	return len(y) == 4 && (y[:2] == "19" || y[:2] == "20")
}

// national checks a number with a trunk 0: 9 to 12 digits, the first
// group holding at least the 0 and one more digit, at most one group of
// a single digit, and 12 digits only for German mobiles (015x-017x),
// numbers whose area code is set apart, or after a phone cue.
func (in *Input) national(i, j int, d []byte) (string, bool) {
	if len(d) < 9 || len(d) > 12 || d[1] == '0' {
		return "", false
	}
	if i < j && in.groups[i].len() < 2 {
		return "", false
	}
	if len(d) == 12 && !germanMobile(d) && !in.areaApart(i, j) &&
		!in.phoneCueBefore(i) {
		return "", false
	}
	if in.singleDigitGroups(i, j) > 1 {
		return "", false
	}
	return string(d[1:]), true
}

// phoneCueBefore reports whether a phone cue ends at most two words
// before group i: "ruf mich an: 0241 4706 5521", a German landline of
// 12 digits written in groups of four.
func (in *Input) phoneCueBefore(i int) bool {
	var w cueWords
	w.before(in.Text, in.groups[i].start, phoneCues.span(3))
	return w.endsWithin(phoneCues, 3)
}

// germanMobile reports whether the national digits d, trunk 0 included,
// are a German mobile number (015x to 017x).
func germanMobile(d []byte) bool { return d[1] == '1' && d[2] >= '5' && d[2] <= '7' }

// areaApart reports whether groups [i, j] begin with an area code of 3
// to 5 digits set apart by a slash or a dash ("0211 / 43860210",
// "030-12345678"), as German numbers of 12 digits are written.
func (in *Input) areaApart(i, j int) bool {
	g := in.groups[i]
	return i < j && g.len() >= 3 && g.len() <= 5 &&
		(in.groups[i+1].sep == '/' || in.groups[i+1].sep == '-')
}

// singleDigitGroups counts the groups of one digit in [i, j].
func (in *Input) singleDigitGroups(i, j int) int {
	n := 0
	for k := i; k <= j; k++ {
		if in.groups[k].len() == 1 && !in.isTrunk(k) {
			n++
		}
	}
	return n
}

// groupedForeign checks numbers without a 0 or '+' that are recognised by
// their grouping: North American 3-3-4 and Luxembourg mobiles 3-3-3.
func (in *Input) groupedForeign(i, j int, d []byte) (string, bool) {
	if j-i != 2 || in.groups[i].plus {
		return "", false
	}
	a, b, c := in.groups[i], in.groups[i+1], in.groups[j]
	if b.sep == '/' || c.sep == '/' {
		return "", false
	}
	switch {
	case a.len() == 3 && b.len() == 3 && c.len() == 4:
		if d[0] >= '2' {
			return string(d), true
		}
	case a.len() == 3 && b.len() == 3 && c.len() == 3:
		if d[0] == '6' && (d[2] == '1' || d[2] == '8') &&
			(d[1] == '2' || d[1] == '6' || d[1] == '7' || d[1] == '9') {
			return string(d), true
		}
	}
	return "", false
}

// nsnRange is the length range of national significant numbers (without
// trunk prefix) of a country calling code.
type nsnRange struct{ min, max int }

// callingCodes lists the country calling codes visitors of Benelux,
// French and German clinics most often give, with the length range of
// their national significant numbers.
var callingCodes = map[string]nsnRange{
	"1": {10, 10}, "7": {10, 10}, "20": {9, 10}, "27": {9, 9},
	"30": {10, 10}, "31": {9, 9}, "32": {8, 9}, "33": {9, 9},
	"34": {9, 9}, "36": {8, 9}, "39": {6, 11}, "40": {9, 9},
	"41": {9, 9}, "43": {6, 13}, "44": {9, 10}, "45": {8, 8},
	"46": {7, 10}, "47": {8, 8}, "48": {9, 9}, "49": {6, 11},
	"61": {9, 9}, "90": {10, 10}, "212": {9, 9}, "213": {8, 9},
	"216": {8, 8}, "351": {9, 9}, "352": {6, 11}, "353": {7, 9},
	"354": {7, 9}, "356": {8, 8}, "357": {8, 8}, "358": {6, 10},
	"359": {8, 9}, "370": {8, 8}, "371": {8, 8}, "372": {7, 8},
	"380": {9, 9}, "385": {8, 9}, "386": {8, 8}, "420": {9, 9},
	"421": {9, 9}, "423": {7, 9},
}

// international checks the digits after '+' or "00": a known calling code
// with a national number of the right length (a trunk 0 written after
// the code is dropped), or, after '+', any E.164 length of 8 to 15
// digits.
func international(d []byte, plus bool) (string, bool) {
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", false
	}
	for n := 1; n <= 3; n++ {
		r, ok := callingCodes[string(d[:n])]
		if !ok {
			continue
		}
		nsn := d[n:]
		if len(nsn) > 0 && nsn[0] == '0' && string(d[:n]) != "39" {
			nsn = nsn[1:]
		}
		if len(nsn) < r.min || len(nsn) > r.max || !plausibleNSN(d[:n], nsn) {
			return "", false
		}
		return string(nsn), true
	}
	if plus {
		return string(d), true
	}
	return "", false
}

// plausibleNSN applies the extra rules of a few countries: Belgian
// 9-digit numbers are mobiles (4xx), North American area codes do not
// start with 0 or 1.
func plausibleNSN(cc, nsn []byte) bool {
	switch string(cc) {
	case "32":
		return len(nsn) == 8 || nsn[0] == '4'
	case "1":
		return nsn[0] >= '2'
	}
	return true
}
