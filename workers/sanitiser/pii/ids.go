package pii

// National identification numbers of the countries the clinics' visitors
// come from. Whether a checksum alone is enough depends on how strong it
// is and on what else has the same shape in a chat about treatments:
//
//   - Belgian national register and BIS numbers (11 digits): a birth
//     date and mod-97 check digits; about one random 11-digit number in
//     300 passes, and Belgian phones have 9 or 10 digits. The checksum
//     suffices.
//   - French NIR (13 digits and a 2-digit key): sex, month and
//     department must be valid and the key is mod 97; 15-digit numbers
//     are rare and cards of 15 digits start with 3. The checksum
//     suffices.
//   - German Steuer-IdNr (11 digits): the repetition rule lets about
//     one random 10-digit string in 50 through, the MOD 11,10 check
//     digit one in 10, and German phones start with 0 or '+'. The
//     checksum suffices for the plain form and the printed 2-3-3-3
//     grouping; other groupings need a cue.
//   - Dutch BSN (9 digits): the 11-check lets one random number in 11
//     through, and 9-digit order numbers, Luxembourg phones and amounts
//     are common. It needs a cue ("BSN", "burgerservicenummer",
//     "sofinummer") or the written form 1234.56.782 not starting with 0.
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
	bsnCues = NewCues("bsn", "burgerservicenummer", "burger service nummer",
		"burgerservice nummer", "sofinummer", "sofi nummer", "sofi",
		"citizen service number")
	nrnCues = NewCues("rijksregisternummer", "rijksregister",
		"rijksregisternr", "insz", "niss", "registre national",
		"national register", "national register number",
		"nationalregisternummer", "nationalregister", "bisnummer",
		"bis nummer", "numero bis", "bis number", "nrn", "rrn")
	nirCues = NewCues("nir", "securite sociale", "secu", "carte vitale",
		"insee", "social security number", "social security")
	steuerCues = NewCues("steuer id", "steuerid", "steuer idnr", "idnr",
		"steueridentifikationsnummer", "identifikationsnummer",
		"steuer identifikationsnummer", "tax id", "tin",
		"tax identification number", "steuerliche identifikationsnummer")
)

// Lengths of the national identification numbers, in digits.
const (
	minIDDigits = 9
	maxIDDigits = 15
)

// nationalID reports whether groups [i, j] are a national identification
// number, and returns its span.
func (in *Input) nationalID(i, j int) (Span, bool) {
	if !in.plainGroups(i, j) {
		return Span{}, false
	}
	d := in.digitsOf(i, j, false)
	groups := j - i + 1
	var reason Reason
	switch {
	case len(d) == 9 && groups <= 4:
		reason = in.bsn(i, j, d)
	case len(d) == 11 && groups <= 5:
		reason = in.elevenDigitID(i, j, d)
	case len(d) == 15 && groups <= 7:
		reason = in.nir(i, d)
	}
	if reason == "" {
		return Span{}, false
	}
	start, end := in.spanOf(i, j)
	return Span{Start: start, End: end, Reason: reason, Key: string(d)}, true
}

// bsn returns the reason groups [i, j], holding the 9 digits d, are a
// Dutch BSN, or "".
func (in *Input) bsn(i, j int, d []byte) Reason {
	valid := validBSN(d)
	if valid && d[0] != '0' && in.bsnForm(i, j) {
		return ReasonMod11
	}
	if !in.cueBefore(bsnCues, i) {
		return ""
	}
	if valid {
		return ReasonMod11Cue
	}
	return ReasonContext
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
	case in.cueBefore(steuerCues, i):
		if validSteuerID(d) {
			return ReasonMod1110
		}
		if d[0] != '0' {
			return ReasonContext
		}
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
func (in *Input) cueBefore(c *Cues, i int) bool {
	return c.Before(in.Text, in.groups[i].start, idCueWords)
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
	if !validNIR(d) {
		return Span{}, false
	}
	start, _ := in.spanOf(i, r.last)
	_, end := in.spanOf(next.first, j)
	return Span{Start: start, End: end, Reason: ReasonMod97, Key: string(d)}, true
}
