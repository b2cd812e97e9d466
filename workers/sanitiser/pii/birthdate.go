package pii

import (
	"strconv"
	"strings"
	"time"
)

// Reasons of the date-of-birth detector.
const (
	// ReasonBirthCue is a date next to a cue such as "geboren op",
	// "date de naissance", "Geburtsdatum", "DOB" or the Belgian "°".
	ReasonBirthCue Reason = "context:cue"
	// ReasonBirthAge is a full date too far in the past to be an
	// appointment or a recent treatment.
	ReasonBirthAge Reason = "pattern:old-date"
)

// birthDateDetector finds dates of birth: a date, numeric
// ("12/03/1985", "12.03.1985", "1985-03-12", "3/12/85") or written
// ("12 maart 1985", "1er mars 1979", "12. März 1985", "March 12, 1985",
// "12th of March 1985", "3 févr. 1979", "3 mars 79"), that a cue phrase
// before or after it makes one. A full date at least adultYears in the
// past is one without a cue: nobody books or remembers a treatment that
// old. Other dates are appointments and stay: "op 12 maart om 14u30".
//
// A month and a year without a day ("geboren in maart 1985", "né en
// mars 1979", "born in March 1985", "DOB 03/1985") is one after a cue
// only: "in maart 2019 had ik botox" is a treatment. A year alone
// ("geboren in 1985") is left, as an age is: it names a fifth of a
// school class, not a person.
type birthDateDetector struct{}

func init() { register(prioBirthDate, birthDateDetector{}) }

func (birthDateDetector) Type() Type { return DateOfBirth }

// adultYears is how many years back a full date is taken to be a date
// of birth without any cue.
const adultYears = 18

// thisYear bounds the years of birth; a process runs for days, not years.
var thisYear = time.Now().Year()

// Cue phrases, matched word by word without case or accents. Labels may
// stand a few words before the date ("Geburtsdatum meiner Tochter: …"),
// verbs and feast days only close to it, and "ik ben van" right before.
var (
	birthLabels = newCueSet(
		"geboortedatum", "geb", "gebdatum", "date de naissance",
		"naissance", "ddn", "geburtsdatum", "date of birth", "birth date",
		"birthdate", "dob", "d o b",
	)
	birthVerbs = newCueSet(
		"geboren", "ne le", "nee le", "ne e le", "suis ne", "suis nee",
		"est ne", "est nee", "born", "birthday", "verjaardag", "jarig",
		"anniversaire", "geburtstag", "geboortedag",
	)
	birthTight = newCueSet("ik ben van", "je suis du", "ich bin vom")
	birthdays  = newCueSet("verjaardag", "jarig", "anniversaire",
		"geburtstag", "birthday")
	birthAfter = newCueSet(
		"geboortedatum", "geboren", "date de naissance", "naissance",
		"geburtsdatum", "geburtstag", "date of birth", "dob", "birthday",
		"born", "verjaardag", "anniversaire", "jarig",
	)
)

// eventWords, right before an old date without a cue, make it the date
// of an event: "sinds 12/05/1999", "depuis le 3 mars 2001", "am
// 12.03.2000 hatte ich einen Unfall".
var eventWords = wordSet("sinds", "vanaf", "sedert", "op", "tot", "na",
	"voor", "tussen", "since", "from", "on", "until", "after", "before",
	"between", "depuis", "le", "du", "au", "jusqu", "apres", "avant",
	"entre", "seit", "ab", "am", "bis", "nach", "vor", "zwischen", "vom")

// Cue windows, in words between the cue and the date.
const (
	labelWithin = 5
	verbWithin  = 3
	afterWithin = 4
	// birthdayWithin is the window after a date without a year: "12.
	// März Geburtstag", "on 12/03, birthday treat?".
	birthdayWithin = 3
	// sentenceBytes bounds the look back and ahead for a sentence end.
	sentenceBytes = 160
)

// date is a calendar date in the text. year is 0 when not written, day
// is 0 for a month and a year alone.
type date struct {
	start, end       int
	year, month, day int
	short            bool // a two-digit year
}

func (birthDateDetector) Find(in *Input, dst []Span) []Span {
	done := 0 // where the last date ended: cues are looked for after it
	for _, r := range in.digitRuns() {
		for k := r.first; k <= r.last; k++ {
			d, n, ok := in.dateAt(r, k)
			if !ok || d.start < done {
				continue
			}
			k += n - 1
			if reason, ok := in.isBirthDate(d, done); ok {
				dst = append(dst, Span{
					Start: d.start, End: d.end, Reason: reason, Key: d.key(),
				})
			}
			done = d.end
		}
	}
	return in.spelledDates(dst)
}

// dateAt reads a date that begins with group k of run r: a numeric one
// made of its groups, or a written one whose day is group k. It returns
// the date and how many groups of r it took.
func (in *Input) dateAt(r run, k int) (date, int, bool) {
	if d, n, ok := in.numericDate(r, k); ok {
		return d, n, true
	}
	if k == r.first && r.gluedLeft || k > r.first && in.groups[k].sep != ' ' {
		return date{}, 0, false
	}
	if d, ok := in.writtenDate(in.groups[k]); ok {
		return d, 1, true
	}
	free := k == r.last && !r.gluedRight || k < r.last && in.groups[k+1].sep == ' '
	d, ok := in.writtenMonthYear(in.groups[k])
	return d, 1, ok && free
}

// isBirthDate tells whether date d is a date of birth and why. Cues
// are looked for in its sentence, after offset from.
func (in *Input) isBirthDate(d date, from int) (Reason, bool) {
	s := in.Text
	if d.year > thisYear || d.year != 0 && d.year < 1900 {
		return "", false
	}
	if d.year == 0 && isStreetBefore(s, d.start) {
		return "", false // "Kerkstraat 12/3" is a house and a box
	}
	lo := max(from, sentenceStart(s, d.start))
	var w cueWords
	w.before(s[lo:d.start], d.start-lo, birthLabels.span(labelWithin))
	switch {
	case degreeBefore(s, d.start),
		w.endsWithin(birthLabels, labelWithin),
		w.endsWithin(birthVerbs, verbWithin),
		w.endsWithin(birthTight, 1):
		return ReasonBirthCue, true
	case answersBirthQuestion(s, lo, d.start),
		d.day == 0 && bornEnBefore(s, d.start):
		return ReasonBirthCue, true
	case d.day == 0:
		return ReasonBirthCue, cueAfter(s, d.end, birthAfter, afterWithin)
	case d.year == 0:
		return ReasonBirthCue, cueAfter(s, d.end, birthdays, birthdayWithin)
	case d.year < thisYear && cueAfter(s, d.end, birthAfter, afterWithin):
		return ReasonBirthCue, true
	case !d.short && d.year <= thisYear-adultYears &&
		(w.n == 0 || !eventWords[string(w.word(0))]):
		return ReasonBirthAge, true
	}
	return "", false
}

// answersBirthQuestion reports whether the date at offset at opens, after
// at most three words ("C'est le", "Het is", "Das ist der"), the answer
// to a question that asks for a date of birth: "Il vous faut ma date de
// naissance ? C'est le 8 août 1987". lo is where the date's sentence
// starts.
func answersBirthQuestion(s string, lo, at int) bool {
	if lo == 0 || s[lo-1] != '?' {
		return false
	}
	var w cueWords
	w.before(s[lo:at], at-lo, 4)
	if w.n > 3 {
		return false
	}
	q := sentenceStart(s, lo-1)
	w.before(s[q:lo-1], lo-1-q, maxCueWords)
	return w.endsWithin(birthLabels, maxCueWords)
}

// isStreetBefore reports whether a street name ends before offset i.
func isStreetBefore(s string, i int) bool {
	_, ok := streetBefore(s, i)
	return ok
}

// cueAfter reports whether a phrase of c starts within `within` words
// after offset end, in the same sentence.
func cueAfter(s string, end int, c cueSet, within int) bool {
	var w cueWords
	w.after(s[:sentenceEnd(s, end)], end, c.span(within))
	return w.startsWithin(c, within)
}

// degreeBefore reports whether the Belgian "°" for "born" (or the "º"
// often typed for it) stands right before offset i, as in "(°12/03/1985)".
func degreeBefore(s string, i int) bool {
	for i > 0 && s[i-1] == ' ' {
		i--
	}
	return i >= 2 && (s[i-2:i] == "°" || s[i-2:i] == "º")
}

// sentenceStart returns where the sentence holding offset i starts: after
// the last '?', '!', ';' or line break, looking back a bounded distance.
// A full stop does not end it: "geb. 12/03/1985".
func sentenceStart(s string, i int) int {
	for k := i - 1; k >= 0 && k >= i-sentenceBytes; k-- {
		switch s[k] {
		case '?', '!', ';', '\n':
			return k + 1
		}
	}
	return max(0, i-sentenceBytes)
}

// sentenceEnd returns where the sentence holding offset i ends.
func sentenceEnd(s string, i int) int {
	for k := i; k < len(s) && k < i+sentenceBytes; k++ {
		switch s[k] {
		case '?', '!', ';', '\n':
			return k
		}
	}
	return min(len(s), i+sentenceBytes)
}

// numericDate reads a date made of groups k.. of run r: day, month and
// year joined by one separator ("12/03/1985", "12.03.85", "1985-03-12",
// US "3/12/1985" when the month cannot come second), or a day and a
// month ("12/03", "12.03."). It returns the date and how many groups it
// took. The groups before and after must be joined by a space, so
// version numbers and identity numbers ("01.02.03-123.45") are no dates.
func (in *Input) numericDate(r run, k int) (date, int, bool) {
	if k == r.first && r.gluedLeft || k > r.first && in.groups[k].sep != ' ' {
		return date{}, 0, false
	}
	free := func(next int) bool { // nothing glued after group next-1
		if next > r.last {
			return !r.gluedRight
		}
		return in.groups[next].sep == ' '
	}
	if k+2 <= r.last && in.sameDateSep(k+1, k+2) && free(k+3) {
		d, ok := in.dayMonthYear(k)
		return d, 3, ok
	}
	if k+1 <= r.last && free(k+2) {
		if d, ok := in.numericMonthYear(k); ok {
			return d, 2, true
		}
		sep := in.groups[k+1].sep
		if sep != '/' && sep != '.' {
			return date{}, 0, false
		}
		day, month := in.groupInt(k), in.groupInt(k+1)
		d := date{day: day, month: month}
		d.start, d.end = in.groups[k].start, in.groups[k+1].end
		ok := in.groups[k].len() <= 2 && in.groups[k+1].len() <= 2
		return d, 2, ok && d.valid()
	}
	return date{}, 0, false
}

// numericMonthYear reads groups k and k+1 as a month and a year:
// "03/1985", "3.1985", "03-1985".
func (in *Input) numericMonthYear(k int) (date, bool) {
	a, b := in.groups[k], in.groups[k+1]
	if a.len() > 2 || b.len() != 4 || !strings.ContainsRune("/.-", rune(b.sep)) {
		return date{}, false
	}
	d := date{start: a.start, end: b.end, month: in.groupInt(k),
		year: in.groupInt(k + 1)}
	return d, d.month >= 1 && d.month <= 12 && d.year >= 1900
}

// sameDateSep reports whether groups a and b follow the same separator,
// one of "/.-".
func (in *Input) sameDateSep(a, b int) bool {
	s := in.groups[a].sep
	return s == in.groups[b].sep && (s == '/' || s == '.' || s == '-')
}

// dayMonthYear reads the three groups from k as a date.
func (in *Input) dayMonthYear(k int) (date, bool) {
	a, b, c := in.groups[k], in.groups[k+1], in.groups[k+2]
	d := date{start: a.start, end: c.end}
	switch {
	case a.len() == 4 && b.len() <= 2 && c.len() <= 2:
		d.year, d.month, d.day = in.groupInt(k), in.groupInt(k+1), in.groupInt(k+2)
	case a.len() <= 2 && b.len() <= 2 && (c.len() == 4 || c.len() == 2):
		d.day, d.month, d.year = in.groupInt(k), in.groupInt(k+1), in.groupInt(k+2)
		if c.len() == 2 {
			d.short = true
			d.year = fullYear(d.year)
		}
		if d.month > 12 && d.day <= 12 {
			d.day, d.month = d.month, d.day
		}
	default:
		return d, false
	}
	return d, d.valid()
}

// fullYear reads a two-digit year as the latest year not in the future.
func fullYear(yy int) int {
	y := thisYear/100*100 + yy
	if y > thisYear {
		y -= 100
	}
	return y
}

// groupInt returns the value of group k (at most four digits).
func (in *Input) groupInt(k int) int { return in.atoi(in.groups[k]) }

// daysIn holds the most days of each month, leap years included.
var daysIn = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// valid reports whether the day exists in the month.
func (d date) valid() bool {
	return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysIn[d.month]
}

// key returns the date as ISO 8601, "--MM-DD" without a year and
// "YYYY-MM" without a day, so that every spelling of one date shares a
// placeholder.
func (d date) key() string {
	var buf [10]byte
	b := buf[:0]
	if d.year != 0 {
		b = strconv.AppendInt(b, int64(d.year), 10)
	} else {
		b = append(b, '-')
	}
	b = append(b, '-', byte('0'+d.month/10), byte('0'+d.month%10))
	if d.day != 0 {
		b = append(b, '-', byte('0'+d.day/10), byte('0'+d.day%10))
	}
	return string(b)
}

// writtenDate reads a date with a month name whose day is group g:
// "12 maart 1985", "1er mars 1979", "12. März 1985", "12th of March
// 1985", "3 févr. 1979", or, month first, "March 12th, 1985". The year
// may be left out.
func (in *Input) writtenDate(g group) (date, bool) {
	s := in.Text
	if g.len() > 2 {
		return date{}, false
	}
	d := date{start: g.start, day: in.atoi(g)}
	end := ordinalEnd(s, g.end)
	if end < 0 {
		return d, false
	}
	if m, e := monthAfter(s, end); m != 0 {
		d.month, d.end = m, e
	} else if m, st := monthBefore(s, g.start); m != 0 {
		d.month, d.start, d.end = m, st, end
	} else {
		return d, false
	}
	if y, e := yearAfter(s, d.end); y != 0 {
		d.year, d.end = y, e
	} else if y, e := spelledYearAfter(s, d.end); y != 0 {
		d.year, d.end = y, e // "12 november negentienzevenenveertig"
	} else if d.start == g.start {
		if y, e := shortYearAfter(s, d.end); y != 0 {
			d.year, d.end, d.short = y, e, true // "3 mars 79"
		}
	}
	return d, d.valid()
}

// writtenMonthYear reads a year whose group is g after a month name:
// "maart 1985", "März 1985", "Mar. 1985". A day before the month would
// have made it a written date.
func (in *Input) writtenMonthYear(g group) (date, bool) {
	s := in.Text
	if g.len() != 4 {
		return date{}, false
	}
	m, st := monthBefore(s, g.start)
	if m == 0 || st > 0 && isAlnum(s[st-1]) {
		return date{}, false
	}
	d := date{start: st, end: g.end, month: m, year: in.atoi(g)}
	if day, ds := dayWordsBefore(s, st); day != 0 {
		d.day, d.start = day, ds // "ersten Juni 1961"
		return d, d.year >= 1900 && d.valid()
	}
	return d, d.year >= 1900
}

// shortYearAfter reads a two-digit year after a space, or a space and
// an apostrophe, after the month name of a written date that ends at p:
// "3 mars 79", "12 maart '85". It returns the year and its end, or 0
// when the digits are a time, a quantity or part of a longer number:
// "3 mars 10h", "12 maart 20 min", "3 mars 10:30".
func shortYearAfter(s string, p int) (int, int) {
	q := p + 1
	if q >= len(s) || s[p] != ' ' {
		return 0, 0
	}
	if s[q] == '\'' {
		q++
	} else if strings.HasPrefix(s[q:], "’") {
		q += len("’")
	}
	e := q + 2
	if e > len(s) || !isDigit(s[q]) || !isDigit(s[q+1]) {
		return 0, 0
	}
	if e < len(s) && (isAlnum(s[e]) || s[e] == ':' ||
		(s[e] == '.' || s[e] == ',') && e+1 < len(s) && isDigit(s[e+1])) {
		return 0, 0
	}
	if quantityAfter(s, e) {
		return 0, 0
	}
	return fullYear(int(s[q]-'0')*10 + int(s[q+1]-'0')), e
}

// bornEnBefore reports whether French "né en" or "née en" ends before
// offset i, written with the accent: "né en mars 1979". Folded, it
// would be Dutch "nee en" (no, and).
func bornEnBefore(s string, i int) bool {
	q := skipSpacesBack(s, i, 2)
	if q < 3 || s[q-2:q] != "en" || s[q-3] != ' ' {
		return false
	}
	q = skipSpacesBack(s, q-3, 2)
	if q >= 1 && s[q-1] == 'e' {
		q-- // née
	}
	a := letterStart(s, q)
	return q-a == len("né") && s[a]|0x20 == 'n' && s[a+1:q] == "é"
}

// atoi returns the value of group g of at most four digits.
func (in *Input) atoi(g group) int {
	n := 0
	for i := g.start; i < g.end && i < g.start+4; i++ {
		n = n*10 + int(in.Text[i]-'0')
	}
	return n
}

// ordinals are the endings written after a day number: English "12th",
// French "1er", Dutch "1ste", German "1.".
var ordinals = wordSet("st", "nd", "rd", "th", "er", "re", "e", "eme",
	"ste", "de", "te")

// ordinalEnd returns the end of the ordinal ending at offset p, p itself
// when there is none, or -1 when letters follow that are no ordinal, as
// in "14u" or "12h".
func ordinalEnd(s string, p int) int {
	if p < len(s) && s[p] == '.' {
		return p + 1
	}
	e := letterEnd(s, p)
	if e == p {
		return p
	}
	if !inSet(ordinals, s[p:e]) {
		return -1
	}
	return e
}

// monthAfter reads spaces (or a dash or slash), an optional "of", and
// a month name from offset p. It returns the month and the end of its name, or 0.
func monthAfter(s string, p int) (int, int) {
	q := skipSpaces(s, p, 2)
	if q == p && p < len(s) && (s[p] == '-' || s[p] == '/') {
		q++ // "12-mrt-1985"
	}
	if q == p {
		return 0, 0
	}
	e := letterEnd(s, q)
	if e-q == 2 && (s[q:e] == "of" || s[q:e] == "Of") {
		q = skipSpaces(s, e, 2)
		e = letterEnd(s, q)
	}
	return monthOf(s[q:e]), e
}

// monthBefore reads a month name, and an optional full stop, then
// spaces, ending at offset p, as in "March 12" or "Mar. 12". It returns
// the month and where its name starts, or 0.
func monthBefore(s string, p int) (int, int) {
	q := p
	for q > 0 && p-q < 2 && s[q-1] == ' ' {
		q--
	}
	if q == p {
		return 0, 0
	}
	if q > 0 && s[q-1] == '.' {
		q--
	}
	st := letterStart(s, q)
	return monthOf(s[st:q]), st
}

// yearAfter reads a year from 1900 to 2099 after a month name or day
// ending at offset p: "maart 1985", "März 1985", "Jan. 1985", "March
// 12, 1985". It returns the year and its end, or 0.
func yearAfter(s string, p int) (int, int) {
	q, dash := p, false
	if q < len(s) && strings.IndexByte(".,-/", s[q]) >= 0 {
		dash = s[q] == '-' || s[q] == '/'
		q++
	}
	r := skipSpaces(s, q, 2)
	if r == q && !dash || r+4 > len(s) || r+4 < len(s) && isAlnum(s[r+4]) {
		return 0, 0
	}
	y := s[r : r+4]
	if y[:2] != "19" && y[:2] != "20" || !isDigit(y[2]) || !isDigit(y[3]) {
		return 0, 0
	}
	return int(y[0]-'0')*1000 + int(y[1]-'0')*100 + int(y[2]-'0')*10 +
		int(y[3]-'0'), r + 4
}

// skipSpaces returns the offset after at most n spaces from p.
func skipSpaces(s string, p, n int) int {
	for q := p; q < len(s) && q-p < n; q++ {
		if s[q] != ' ' {
			return q
		}
	}
	return min(len(s), p+n)
}

// monthNames holds the month names and common abbreviations of English,
// Dutch, French and German, folded, by month number.
var monthNames = [13][]string{
	1:  {"january", "januari", "janvier", "januar", "janner", "jan", "janv"},
	2:  {"february", "februari", "fevrier", "februar", "feb", "febr", "fev", "fevr"},
	3:  {"march", "maart", "mars", "marz", "maerz", "mar", "mrt", "mrz"},
	4:  {"april", "avril", "apr", "avr"},
	5:  {"may", "mei", "mai"},
	6:  {"june", "juni", "juin", "jun"},
	7:  {"july", "juli", "juillet", "jul", "juil"},
	8:  {"august", "augustus", "aout", "aug"},
	9:  {"september", "septembre", "sep", "sept"},
	10: {"october", "oktober", "octobre", "oct", "okt"},
	11: {"november", "novembre", "nov"},
	12: {"december", "decembre", "dezember", "dec", "dez"},
}

// months maps a folded month name to its number.
var months = func() map[string]int {
	m := make(map[string]int)
	for n, names := range monthNames {
		for _, name := range names {
			m[name] = n
		}
	}
	return m
}()

// monthOf returns the number of the month named w, in any case and
// with or without accents, or 0.
func monthOf(w string) int {
	if len(w) < 3 || len(w) > 12 || !strings.ContainsRune("jfmasond", rune(w[0]|0x20)) {
		return 0
	}
	var buf [12]byte
	return months[string(foldInto(buf[:0], w))]
}
