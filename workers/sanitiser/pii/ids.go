package pii

import "strings"

// National identification numbers of the countries the clinics' visitors
// come from. Whether a checksum alone is enough depends on how strong it
// is and on what else has the same shape in a chat about treatments:
//
//   - Belgian national register and BIS numbers (11 digits): a birth
//     date and mod-97 check digits; one random 11-digit number in 400
//     passes, and Belgian phones have 9 or 10 digits. The checksum
//     suffices.
//   - French NIR (13 digits and a 2-digit key): sex, month and
//     department must be valid and the key is mod 97; one random
//     15-digit number in 300 passes, but 15-digit numbers are rare and
//     cards of 15 digits start with 3. The checksum suffices.
//   - German Steuer-IdNr (11 digits): the repetition rule lets about
//     one random 10-digit string in 30 through, the MOD 11,10 check
//     digit one in 10, so one 11-digit number in 300; German phones
//     start with 0 or '+'. The checksum suffices for the plain form and
//     the printed 2-3-3-3 grouping; other groupings need a cue.
//   - Dutch BSN (9 digits): the 11-check lets one random number in 11
//     through, and 9-digit order numbers, Luxembourg phones and amounts
//     are common. It needs a cue ("BSN", "burgerservicenummer",
//     "sofinummer") or the written form 1234.56.782 not starting with 0.
//
// TestChanceRates measures these rates on random digits. Together one
// random 11-digit number in 170 passes a check, so an order, invoice or
// parcel number is refused when a reference cue ("bestelling",
// "ordernummer", "commande", "Rechnung", "invoice", "ref", "tracking",
// "pakket"...) ends within a few words before it and no cue of a
// national id comes between it and the number before: "order
// 85073003328" stays, "rijksregisternummer voor de factuur:
// 85073003328" does not. A
// reference number written without its cue still passes a check by
// chance at the rates above.
//
// After a cue, a number of the right length and shape is taken even when
// its checksum fails (reason "context"): visitors mistype, and a 9-digit
// number right after "BSN" is a BSN whatever its check digit.

// The reasons of the national identification numbers.
const (
	// ReasonMod11 is a Dutch BSN in its written form whose 11-check
	// holds.
	ReasonMod11 Reason = "checksum:mod11"
	// ReasonMod11Cue is a Dutch BSN whose 11-check holds, after a cue.
	ReasonMod11Cue Reason = "checksum:mod11+context"
	// ReasonMod1110 is a German Steuer-IdNr whose ISO 7064 MOD 11,10
	// check digit and repetition rule hold.
	ReasonMod1110 Reason = "checksum:mod11-10"
)

// idCueWords is how many words before a number a cue may end.
const idCueWords = 4

// Cue phrases of each identification number, in the four languages.
var (
	bsnCues = newCueSet("bsn", "burgerservicenummer", "burger service nummer",
		"burgerservice nummer", "sofinummer", "sofi nummer", "sofi",
		"citizen service number")
	nrnCues = newCueSet("rijksregisternummer", "rijksregister",
		"rijksregisternr", "insz", "niss", "registre national",
		"national register", "national register number",
		"nationalregisternummer", "nationalregister", "bisnummer",
		"bis nummer", "numero bis", "bis number", "nrn", "rrn")
	nirCues = newCueSet("nir", "securite sociale", "secu", "carte vitale",
		"insee", "social security number", "social security")
	steuerCues = newCueSet("steuer id", "steuerid", "steuer idnr", "idnr",
		"steueridentifikationsnummer", "identifikationsnummer",
		"steuer identifikationsnummer", "tax id", "tin",
		"tax identification number", "steuerliche identifikationsnummer")

	// idCueSets are the cues of every national id, for referenceBefore.
	idCueSets = []*cueSet{&bsnCues, &nrnCues, &nirCues, &steuerCues}

	// refCues name an order, invoice, parcel or booking number.
	refCues = newCueSet(
		// English
		"order", "order number", "order no", "order nr", "invoice",
		"invoice number", "invoice no", "ref", "reference",
		"reference number", "tracking", "tracking number", "tracking code",
		"parcel", "package", "shipment", "customer number", "booking",
		"booking number", "transaction", "ticket", "voucher",
		// Dutch
		"bestelling", "bestelnummer", "bestelnr", "bestel nr", "ordernummer",
		"ordernr", "factuur", "factuurnummer", "factuurnr", "referentie",
		"referentienummer", "kenmerk", "trackingnummer", "track and trace",
		"pakket", "pakketnummer", "zending", "klantnummer",
		"boekingsnummer", "reservering", "reserveringsnummer", "transactie",
		"cadeaubon",
		// French
		"commande", "numero de commande", "facture", "numero de facture",
		"numero de suivi", "colis", "numero client",
		"reservation", "bon de commande",
		// German
		"bestellung", "bestellnummer", "bestellnr", "auftrag",
		"auftragsnummer", "rechnung", "rechnungsnummer", "rechnungsnr",
		"referenz", "sendung", "sendungsnummer", "paket", "paketnummer",
		"kundennummer", "buchung", "buchungsnummer", "gutschein")
)

// refCueWords is how many words before a number a reference cue may end
// for the number to be taken as a reference.
const refCueWords = 4

// referenceBefore reports whether a reference cue ends within
// refCueWords words before offset pos of text, and no cue of a national
// id ends among the words of text[from:pos], which holds no other
// number: the number at pos is an order's or a parcel's. "Steuer-ID for
// the invoice: 60392184709" keeps its id; in "BSN 123456782, bestelling
// 111222333" the cue was the first number's.
func referenceBefore(text string, from, pos int) bool {
	var w cueWords
	w.before(text, pos, refCues.span(refCueWords))
	if !w.endsWithin(refCues, refCueWords) {
		return false
	}
	w.before(text[from:pos], pos-from, maxCueWords)
	for _, c := range idCueSets {
		if w.endsWithin(*c, maxCueWords) {
			return false
		}
	}
	return true
}

// reference reports whether group i follows a reference cue, as
// referenceBefore tells, reading back to the group before it.
func (in *Input) reference(i int) bool {
	from := 0
	if i > 0 {
		from = in.groups[i-1].end
	}
	return referenceBefore(in.Text, from, in.spanStart(i))
}

// spanStart returns where a value starting with group i starts: at a
// '+' or '(' before it, if any.
func (in *Input) spanStart(i int) int {
	g := in.groups[i]
	if g.plus || g.open {
		return g.start - 1
	}
	return g.start
}

// Lengths of the national identification numbers, in digits.
const (
	minIDDigits = 9
	maxIDDigits = 15
)

// nationalID reports whether groups [i, j] are a national identification
// number, and returns its span. Listed tells that another one was found
// a few words before, as in "our BSNs: 123456782 and 111222333": it
// serves as a cue for a BSN whose check holds.
func (in *Input) nationalID(i, j int, listed bool) (Span, bool) {
	n := in.groupDigits(i, j)
	if n != 9 && n != 11 && n != 15 || !in.plainGroups(i, j) {
		return Span{}, false
	}
	d := in.digitsOf(i, j, false)
	groups := j - i + 1
	var reason Reason
	switch {
	case len(d) == 9 && groups <= 4:
		reason = in.bsn(i, j, d, listed)
	case len(d) == 11 && groups <= 5:
		reason = in.elevenDigitID(i, j, d)
	case len(d) == 15 && groups <= 7:
		reason = in.nir(i, d)
	}
	if reason == "" || in.reference(i) {
		return Span{}, false
	}
	start, end := in.spanOf(i, j)
	return Span{Start: start, End: end, Reason: reason, Key: string(d)}, true
}

// bsnCueWords is how many words before a BSN whose check holds a cue
// may end; a number whose check fails needs the cue within idCueWords.
const bsnCueWords = 8

// bsn returns the reason groups [i, j], holding the 9 digits d, are a
// Dutch BSN, or "".
func (in *Input) bsn(i, j int, d []byte, listed bool) Reason {
	valid := validBSN(d)
	switch {
	case valid && d[0] != '0' && in.bsnForm(i, j):
		return ReasonMod11
	case valid && (listed ||
		cuesBefore(bsnCues, in.Text, in.groups[i].start, bsnCueWords)):
		return ReasonMod11Cue
	case !valid && d[0] != '0' && in.cueBefore(bsnCues, i):
		// A leading 0 with a failing check is rather a phone number.
		return ReasonContext
	}
	return ""
}

// listWords is how many words may separate two numbers of a list.
const listWords = 5

// closeAfter reports whether at most listWords words, in at most 80
// bytes, lie between offsets a and b of the text.
func (in *Input) closeAfter(a, b int) bool {
	if b < a || b-a > 80 {
		return false
	}
	return wordsBetween(in.Text, a, b, listWords) <= listWords
}

// bsnForm reports whether groups [i, j] are written 1234.56.782 or
// 1234 56 782, the way a BSN is printed.
func (in *Input) bsnForm(i, j int) bool {
	if j-i != 2 {
		return false
	}
	a, b, c := in.groups[i], in.groups[i+1], in.groups[j]
	return a.len() == 4 && b.len() == 2 && c.len() == 3 &&
		b.sep == c.sep && (b.sep == '.' || b.sep == ' ')
}

// elevenDigitID returns the reason groups [i, j], holding the 11 digits
// d, are a Belgian national register or BIS number or a German
// Steuer-IdNr, or "".
func (in *Input) elevenDigitID(i, j int, d []byte) Reason {
	switch {
	case validNRN(d):
		return ReasonMod97
	case validSteuerID(d) && in.steuerForm(i, j):
		return ReasonMod1110
	case d[0] != '0' && in.cueBefore(steuerCues, i):
		if validSteuerID(d) {
			return ReasonMod1110
		}
		return ReasonContext
	case nrnDate(d) && in.cueBefore(nrnCues, i):
		return ReasonContext
	}
	return ""
}

// steuerForm reports whether groups [i, j] are written as one block or
// as 12 345 678 901, the way a Steuer-IdNr is printed.
func (in *Input) steuerForm(i, j int) bool {
	if i == j {
		return true
	}
	return j-i == 3 && in.groups[i].len() == 2 &&
		in.uniformGroups(i, j, " .", 2)
}

// nrnDate reports whether the 11 digits d start with a date that a
// national register or BIS number can hold.
func nrnDate(d []byte) bool {
	m := num(d[2:4])
	return m < 60 && m%20 <= 12 && num(d[4:6]) <= 31
}

// nir returns the reason the 15 digits d, starting at group i, are a
// French NIR, or "".
func (in *Input) nir(i int, d []byte) Reason {
	if validNIR(d) {
		return ReasonMod97
	}
	if d[0] != '0' && in.cueBefore(nirCues, i) {
		return ReasonContext
	}
	return ""
}

// cueBefore reports whether a phrase of c ends shortly before group i.
func (in *Input) cueBefore(c cueSet, i int) bool {
	return cuesBefore(c, in.Text, in.groups[i].start, idCueWords)
}

// corsicanNIRs appends the NIRs of people born in Corsica, whose
// department 2A or 2B splits the number into two runs of digits:
// "2 85 05 2A 006 084 27".
func (in *Input) corsicanNIRs(dst []Span) []Span {
	runs := in.digitRuns()
	for n := 0; n+1 < len(runs); n++ {
		r := runs[n]
		end := in.groups[r.last].end
		if !r.gluedRight || end+1 >= len(in.Text) ||
			in.Text[end-1] != '2' || !containsByte("AaBb", in.Text[end]) {
			continue
		}
		if s, ok := in.corsicanNIR(r, runs[n+1]); ok {
			dst = append(dst, s)
		}
	}
	return dst
}

// corsicanNIR reads a NIR whose first six digits end run r, right before
// an A or B, and whose last eight digits start run next.
func (in *Input) corsicanNIR(r, next run) (Span, bool) {
	s := in.Text
	letter := in.groups[r.last].end
	i, n := r.last, 0
	for ; i >= r.first && n < 6; i-- {
		n += in.groups[i].len()
	}
	i++
	if n != 6 || i == r.first && r.gluedLeft || !in.plainGroups(i, r.last) {
		return Span{}, false
	}
	g := in.groups[next.first]
	gap := g.start - letter - 1
	if gap > 1 || gap == 1 && !containsByte(" .-", s[letter+1]) {
		return Span{}, false
	}
	j, m := next.first, 0
	for ; j <= next.last && m < 8; j++ {
		m += in.groups[j].len()
	}
	j--
	if m != 8 || j == next.last && next.gluedRight ||
		!in.plainGroups(next.first, j) {
		return Span{}, false
	}
	var buf [15]byte
	d := append(append(buf[:0], in.digitsOf(i, r.last, false)...),
		s[letter]&^0x20)
	d = append(d, in.digitsOf(next.first, j, false)...)
	start, _ := in.spanOf(i, r.last)
	if !validNIR(d) || in.reference(i) {
		return Span{}, false
	}
	_, end := in.spanOf(next.first, j)
	return Span{Start: start, End: end, Reason: ReasonMod97, Key: string(d)}, true
}

// code is a membership or document number: chunks of letters and digits,
// such as "A123456789", "592-1234567-89" or "7730 2214 589".
type code struct {
	start, end int // byte offsets in the text
	digits     int // how many digits
	letters    int // how many ASCII letters
	upper      int // how many of them are capitals
	chunks     int // how many chunks of letters and digits
	sep        byte
	mixedSeps  bool // chunks joined by more than one kind of separator
}

// codeRules say what a code may look like.
type codeRules struct {
	seps       string // separators allowed between chunks
	maxBytes   int    // longest code, separators included
	maxLetters int    // most letters in one chunk
	// spacedPrefix lets a code start with one to three capitals and a
	// space, as in "EH 123456".
	spacedPrefix bool
	// minLone is the fewest characters of a code made of one run of
	// digits alone: shorter runs are skipped without reading them.
	minLone int
}

// codes calls take with each code that holds digits of the runs, from
// left to right; a code taken or refused is not read again. A code
// starts at a group of digits or at the letters glued before it, never
// inside a word.
func (in *Input) codes(rules codeRules, take func(c code)) {
	s := in.Text
	next := 0
	for _, r := range in.digitRuns() {
		left := in.groupDigits(r.first, r.last) // digits of groups k…last
		for k := r.first; k <= r.last; k++ {
			if k > r.first {
				left -= in.groups[k-1].len()
			}
			g := in.groups[k]
			if g.start < next {
				continue
			}
			if left < rules.minLone && in.lone(k, r.last, rules) {
				break
			}
			p := codeStart(s, g.start, rules)
			if p < 0 {
				continue
			}
			c, ok := scanCode(s, p, rules)
			next = max(c.end, g.end)
			if ok {
				take(c)
			}
		}
	}
}

// groupDigits counts the digits of groups [i, j].
func (in *Input) groupDigits(i, j int) int {
	n := 0
	for k := i; k <= j; k++ {
		n += in.groups[k].len()
	}
	return n
}

// lone reports whether groups [i, j] make a code alone: no letters glued
// to them, no chunk of letters after them, no spaced prefix before them.
func (in *Input) lone(i, j int, rules codeRules) bool {
	s := in.Text
	start, end := in.groups[i].start, in.groups[j].end
	if gluedLetter(s, start) || wordAt(s, end) {
		return false
	}
	if end+1 < len(s) && containsByte(rules.seps, s[end]) && isLetter(s[end+1]) {
		return false
	}
	return !rules.spacedPrefix || start < 2 || s[start-1] != ' ' ||
		!isUpper(s[start-2])
}

// listedAfter reports whether a number starting at offset start follows
// one of the same kind taken by a cue, ending at prev, closely enough to
// share its cue: within `within` words of where a cue right before the
// first would end. Redacting twice needs it too: the placeholder of the
// first, "[PASSPORT_1]" or "[HEALTH_INSURANCE_1]", reads as a cue.
func listedAfter(s string, prev, start, within int) bool {
	return prev > 0 && start-prev <= 80 &&
		wordsBetween(s, prev, start, within) <= within-2
}

// wordsBetween counts the words of s[a:b], up to limit+1.
func wordsBetween(s string, a, b, limit int) int {
	words, inWord := 0, false
	for _, r := range s[a:b] {
		w := isWordRune(r)
		if w && !inWord {
			words++
			if words > limit {
				break
			}
		}
		inWord = w
	}
	return words
}

// codeStart returns where a code holding the digit at offset p starts,
// or -1 if the digits are part of a word.
func codeStart(s string, p int, rules codeRules) int {
	k := p
	for k > 0 && isLetter(s[k-1]) && p-k < rules.maxLetters {
		k--
	}
	if gluedLetter(s, k) || codeRunsInto(s, k) {
		return -1
	}
	if rules.spacedPrefix && k == p && k >= 3 && s[k-1] == ' ' {
		w := k - 1
		for w > 0 && isUpper(s[w-1]) && k-1-w < 3 {
			w--
		}
		if w < k-1 && !gluedLetter(s, w) {
			return w
		}
	}
	return k
}

// scanCode reads the code starting at offset p. A chunk after the first
// must hold a digit and, after a space, at least two characters, so that
// "A123456789 und" and "123456 2 ml" end before the word or the count.
// The code is refused when it runs on into a word, a decimal or a date.
func scanCode(s string, p int, rules codeRules) (code, bool) {
	c := code{start: p}
	for i := p; ; {
		j, digits, letters := chunkEnd(s, i)
		if letters > rules.maxLetters || j-p > rules.maxBytes {
			c.end = j
			return c, false
		}
		c.end, c.chunks = j, c.chunks+1
		c.digits, c.letters = c.digits+digits, c.letters+letters
		if j+1 >= len(s) || !containsByte(rules.seps, s[j]) {
			break
		}
		k, nd, nl := chunkEnd(s, j+1)
		if nd == 0 || nl > rules.maxLetters || s[j] == ' ' && k-j-1 < 2 {
			break
		}
		if c.sep != 0 && c.sep != s[j] {
			c.mixedSeps = true
		}
		c.sep, i = s[j], j+1
	}
	c.upper = countUpper(s, c.start, c.end)
	return c, c.digits > 0 && !codeRunsOn(s, c.end)
}

// chunkEnd returns the end of the letters and digits starting at offset
// i, with how many of each it holds.
func chunkEnd(s string, i int) (end, digits, letters int) {
	for ; i < len(s) && isAlnum(s[i]); i++ {
		if isDigit(s[i]) {
			digits++
		} else {
			letters++
		}
	}
	return i, digits, letters
}

// countUpper counts the capitals of s[a:b].
func countUpper(s string, a, b int) int {
	n := 0
	for i := a; i < b; i++ {
		if isUpper(s[i]) {
			n++
		}
	}
	return n
}

// codeRunsOn reports whether the text at offset k continues a code that
// ends there: a word character, or punctuation glued to a letter or
// digit as in a decimal, a date or a link.
func codeRunsOn(s string, k int) bool {
	if wordAt(s, k) {
		return true
	}
	return k+1 < len(s) && containsByte(".,/-:", s[k]) &&
		(isAlnum(s[k+1]) || s[k+1] == '[')
}

// codeRunsInto reports whether the text before offset k runs into a
// code that starts there: punctuation glued to a digit, as in
// "12,345678", or to a placeholder, as in "[PHONE_1]/123456". After a
// letter it does not: "Nr.123456".
func codeRunsInto(s string, k int) bool {
	return k >= 2 && containsByte(".,/-:", s[k-1]) &&
		(isDigit(s[k-2]) || s[k-2] == ']')
}

// key returns c in upper case without separators.
func (c code) key(s string) string {
	b := make([]byte, 0, c.digits+c.letters)
	for i := c.start; i < c.end; i++ {
		switch {
		case isDigit(s[i]):
			b = append(b, s[i])
		case isLetter(s[i]):
			b = append(b, s[i]&^0x20)
		}
	}
	return string(b)
}

// numberLike reports whether c, digits only, is rather a date, a phone
// number or an amount than an identifier.
func (c code) numberLike(s string) bool {
	return c.phoneLike(s) || c.letters == 0 && (c.dateLike(s) || c.amountLike(s))
}

// phoneLike reports whether c, digits only, may be a phone number: after
// a '+', or 9 to 13 digits starting with a trunk 0. Identifiers rarely
// start with 0, so a detector may still take the latter after a cue
// that names the number.
func (c code) phoneLike(s string) bool {
	if c.letters > 0 {
		return false
	}
	return c.intlPhone(s) || s[c.start] == '0' && c.digits >= 9 && c.digits <= 13
}

// intlPhone reports whether c comes after a '+', as phone numbers do.
func (c code) intlPhone(s string) bool {
	return c.start > 0 && s[c.start-1] == '+'
}

// chunkLens returns the lengths of the first chunks of c, up to three.
func (c code) chunkLens(s string) (lens [3]int) {
	n := 0
	for i := c.start; i < c.end && n < len(lens); i++ {
		if isAlnum(s[i]) {
			lens[n]++
		} else {
			n++
		}
	}
	return lens
}

// dateLike reports whether c is written like a date: "12/03/2025",
// "2025-03-12", "12.03.25" or "03/2025".
func (c code) dateLike(s string) bool {
	if c.chunks < 2 || c.chunks > 3 || c.sep == ' ' {
		return false
	}
	l := c.chunkLens(s)
	if c.chunks == 2 {
		return l[0] <= 2 && l[1] == 4 || l[0] == 4 && l[1] <= 2
	}
	return l[0] <= 2 && l[1] <= 2 && (l[2] == 2 || l[2] == 4) ||
		l[0] == 4 && l[1] <= 2 && l[2] <= 2
}

// amountLike reports whether c is an amount: next to a currency, or
// written with dots between thousands as in "1.250.000". Spaces between
// thousands ("125 000") are not counted: numbers are grouped that way
// too, and such an amount right after a cue is rare.
func (c code) amountLike(s string) bool {
	if currencyNear(s, c.start, c.end) {
		return true
	}
	if c.chunks < 2 || c.mixedSeps || c.sep != '.' {
		return false
	}
	n, first := 0, true
	for i := c.start; i <= c.end; i++ {
		if i < c.end && isDigit(s[i]) {
			n++
			continue
		}
		if first && n > 3 || !first && n != 3 {
			return false
		}
		n, first = 0, false
	}
	return true
}

// currencyNear reports whether a currency sign or word comes right
// before offset start or right after offset end, a space apart at most.
func currencyNear(s string, start, end int) bool {
	b := s[:start]
	b = strings.TrimSuffix(b, " ")
	if strings.HasSuffix(b, "€") || strings.HasSuffix(b, "$") ||
		strings.HasSuffix(b, "£") {
		return true
	}
	a := strings.TrimPrefix(s[end:], " ")
	if strings.HasPrefix(a, "€") {
		return true
	}
	return len(a) >= 3 && strings.EqualFold(a[:3], "eur")
}

// afterCueWords is how many words after a number a cue may start.
const afterCueWords = 7

// linkWords may stand between a number and a cue after it, folded as
// cue words are: "EH123456 is mijn paspoort", "21FK08342, c'est le
// numéro de mon passeport", "K987654321 ist meine Versichertennummer".
var linkWords = map[string]bool{
	// English
	"is": true, "was": true, "are": true, "my": true, "our": true,
	"his": true, "her": true, "their": true, "the": true, "that": true,
	"this": true, "it": true, "its": true, "s": true, "number": true,
	"no": true, "nr": true, "of": true, "at": true, "with": true,
	// Dutch
	"mijn": true, "m": true, "n": true, "onze": true, "ons": true,
	"zijn": true, "haar": true, "hun": true, "het": true, "de": true,
	"dat": true, "dit": true, "nummer": true, "van": true, "bij": true,
	// French
	"est": true, "c": true, "ce": true, "sont": true, "mon": true,
	"ma": true, "mes": true, "notre": true, "son": true, "sa": true,
	"le": true, "la": true, "l": true, "du": true, "d": true, "numero": true,
	"chez": true, "aupres": true,
	// German
	"ist": true, "sind": true, "war": true, "mein": true, "meine": true,
	"meines": true, "meiner": true, "meinem": true, "unser": true,
	"unsere": true, "die": true, "der": true, "das": true, "des": true,
	"dem": true, "von": true, "vom": true, "bei": true, "beim": true,
}

// numberWords among the link words name a number, as in "A123456789 is
// mijn nummer bij het ziekenfonds".
var numberWords = map[string]bool{
	"number": true, "no": true, "nr": true, "n": true, "nummer": true,
	"numero": true,
}

// linkedCue reports whether a phrase of c starts within afterCueWords
// words after offset end of text with only link words before it, and
// whether a number word is among them. Other words part a number from
// the cue: "EH123456 voor mijn paspoort" is no passport number.
func linkedCue(c cueSet, text string, end int) (found, numbered bool) {
	var w cueWords
	w.after(text, end, c.span(afterCueWords))
	for k := 0; k < afterCueWords && k < w.n; k++ {
		if w.startsWithin(c, k+1) {
			return true, numbered
		}
		if !linkWords[string(w.word(k))] {
			return false, false
		}
		numbered = numbered || numberWords[string(w.word(k))]
	}
	return false, false
}

// cuesBefore reports whether a phrase of c ends within the last `within`
// words before byte offset pos of text, as Cues.Before does, without
// allocating (cueSet and cueWords are in address.go).
func cuesBefore(c cueSet, text string, pos, within int) bool {
	var w cueWords
	w.before(text, pos, c.span(within))
	return w.endsWithin(c, within)
}
