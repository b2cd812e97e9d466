package pii

import "strings"

// passportDetector finds passport and identity card numbers. Most have
// no checksum that is written out, and their shapes ("EH123456",
// "C01X00T47", "21FK08342", "538214790") are those of order and product
// codes, so they need a cue within a few words before: "passport",
// "paspoort", "passeport", "Reisepass", "Pass-Nr", "identity card",
// "identiteitskaart", "carte d'identité", "Personalausweis"... A Belgian
// identity card number written 592-1234567-32, three groups of 3, 7
// and 2 digits whose last two are the first ten modulo 97, is taken
// without a cue: the grouping and the check together are rare enough.
//
// A number written before its cue ("EH123456 is mijn paspoort",
// "C01X00T47 ist meine Reisepassnummer") is taken when the cue starts
// within a few words after it and only link words ("is", "mijn", "c'est
// le numéro de", "meine") stand between, unless a reference cue such as
// "bestelling" or "order" comes right before the number.
type passportDetector struct{}

func init() { register(prioPassport, passportDetector{}) }

func (passportDetector) Type() Type { return Passport }

// passportCueWords is how many words before a number a cue may end.
const passportCueWords = 5

// passportRules allow up to seven letters in a chunk: German passport
// numbers such as "C7HL9R2T4" mix five letters with four digits.
var passportRules = codeRules{
	seps: " -", maxBytes: 16, maxLetters: 7, spacedPrefix: true, minLone: 6,
}

var passportCues = newCueSet(
	// English
	"passport", "passports", "passport number", "passport no",
	"identity card", "identity cards",
	"id card", "identity card number", "id card number",
	"identity document", "residence permit", "residence card",
	// Dutch
	"paspoort", "paspoorten", "paspoortnummer", "paspoortnr", "reispas",
	"identiteitskaart", "identiteitskaarten", "identiteitskaartnummer",
	"id kaart",
	"identiteitsbewijs", "eid", "eid kaart", "verblijfskaart",
	"verblijfsvergunning", "kids id",
	// French
	"passeport", "passeports", "numero de passeport", "carte d identite",
	"cartes d identite", "cni",
	"piece d identite", "titre de sejour", "carte de sejour",
	// German
	"reisepass", "reisepasse", "reisepassnummer", "pass nr", "passnummer",
	"passnr",
	"pass nummer", "personalausweis", "personalausweisnummer", "ausweis",
	"ausweisnummer", "ausweis nr", "aufenthaltstitel")

func (passportDetector) Find(in *Input, dst []Span) []Span {
	prev := 0 // end of the last number taken
	in.codes(passportRules, func(c code) {
		reason := passportReason(in, c, prev)
		if reason == "" {
			return
		}
		dst = append(dst, Span{
			Start: c.start, End: c.end, Reason: reason, Key: c.key(in.Text),
		})
		prev = c.end
	})
	return dst
}

// passportReason returns why c is a document number, or "". Prev is the
// end of the number taken last.
func passportReason(in *Input, c code, prev int) Reason {
	n := c.digits + c.letters
	if n < 6 || n > 12 || c.digits < 2 || c.mixedSeps || c.numberLike(in.Text) {
		return ""
	}
	if c.upper != 0 && c.upper != c.letters {
		return "" // "Ref12345678": a word and a number
	}
	if listedAfter(in.Text, prev, c.start, passportCueWords) ||
		cuesBefore(passportCues, in.Text, c.start, passportCueWords) {
		return ReasonContext
	}
	if found, _ := linkedCue(passportCues, in.Text, c.end); found &&
		!referenceBefore(in.Text, c.start, c.start) {
		return ReasonContext
	}
	if c.passportShape(in.Text) && !cuesBefore(refCues, in.Text, c.start, 1) &&
		(prev == 0 && cuesBefore(passportCues, in.Text, c.start, passportShapeWords) ||
			cueInParens(in.Text, c.end, passportCues, passportShapeAfter)) {
		// "You asked my passport for the package earlier: PX4471820",
		// "EM482915 (Belgian passport)": the shape and the cue outweigh a
		// reference cue ("package form:") unless it names the number
		// itself ("order EH123456 is my passport cover").
		return ReasonContext
	}
	if c.eIDCard(in.Text) {
		return ReasonMod97
	}
	return ""
}

// A number of the passport shape, two capitals and six or seven digits
// in one block, is taken with a cue further away: up to
// passportShapeWords words before it when no number was taken since, or
// within passportShapeAfter words in brackets right after it.
const (
	passportShapeWords = 12
	passportShapeAfter = 3
)

// passportShape reports whether c is two capitals and six or seven
// digits in one block, as Belgian, Irish, French and many other
// passports are numbered.
func (c code) passportShape(s string) bool {
	return c.chunks == 1 && c.letters == 2 && c.upper == 2 &&
		(c.digits == 6 || c.digits == 7) && isUpper(s[c.start]) &&
		isUpper(s[c.start+1])
}

// eIDCard reports whether c is a Belgian identity card number written
// in three groups of 3, 7 and 2 digits with valid check digits.
func (c code) eIDCard(s string) bool {
	if c.letters > 0 || c.digits != 12 || c.chunks != 3 {
		return false
	}
	if l := c.chunkLens(s); l[0] != 3 || l[1] != 7 || l[2] != 2 {
		return false
	}
	var buf [12]byte
	d := buf[:0]
	for i := c.start; i < c.end; i++ {
		if isDigit(s[i]) {
			d = append(d, s[i])
		}
	}
	return validEIDCard(d)
}

// cueInParens reports whether a phrase of c starts within `within`
// words inside the brackets that open right after offset end:
// "EM482915 (Belgian passport)".
func cueInParens(s string, end int, c cueSet, within int) bool {
	q := skipSpaces(s, end, 1)
	if q >= len(s) || s[q] != '(' {
		return false
	}
	close := strings.IndexByte(s[q:], ')')
	if close < 0 {
		close = len(s) - q
	}
	var w cueWords
	w.after(s[:q+close], q+1, c.span(within))
	return w.startsWithin(c, within)
}
