package pii

import (
	"unicode"
	"unicode/utf8"
)

// ibanLengths holds the IBAN length of the SEPA countries and a few
// neighbours, by ISO 3166 country code.
var ibanLengths = map[string]int{
	"AD": 24, "AL": 28, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21,
	"CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18,
	"FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21,
	"HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18,
	"NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19,
	"SK": 24, "SM": 27, "TR": 26, "UA": 29, "VA": 22, "XK": 20,
}

// maxIBAN is the longest IBAN in ibanLengths.
const maxIBAN = 34

// ibanBBAN holds the shape of the national part (BBAN) of the IBAN of
// each country of ibanLengths: runs of n digits ("8n"), capital letters
// ("4a") or either ("11c"), as ISO 13616 registers them.
var ibanBBAN = map[string]string{
	"AD": "8n12c", "AL": "8n16c", "AT": "16n", "BA": "16n", "BE": "12n",
	"BG": "4a6n8c", "CH": "5n12c", "CY": "8n16c", "CZ": "20n", "DE": "18n",
	"DK": "14n", "EE": "16n", "ES": "20n", "FI": "14n", "FO": "14n",
	"FR": "10n11c2n", "GB": "4a14n", "GI": "4a15c", "GL": "14n",
	"GR": "7n16c", "HR": "17n", "HU": "24n", "IE": "4a14n", "IS": "22n",
	"IT": "1a10n12c", "LI": "5n12c", "LT": "16n", "LU": "3n13c",
	"LV": "4a13c", "MC": "10n11c2n", "MD": "20c", "ME": "18n",
	"MK": "3n10c2n", "MT": "4a5n18c", "NL": "4a10n", "NO": "11n",
	"PL": "24n", "PT": "21n", "RO": "4a16c", "RS": "18n", "SE": "20n",
	"SI": "15n", "SK": "20n", "SM": "1a10n12c", "TR": "6n16c",
	"UA": "6n19c", "VA": "18n", "XK": "16n",
}

// ReasonIBANShape is an IBAN whose mod-97 check fails but whose shape
// leaves no doubt: a mistyped IBAN.
const ReasonIBANShape Reason = "pattern:iban-shape"

// ibanDetector finds IBANs, written in one block ("BE68539007547034") or
// in the print format of groups of four ("BE68 5390 0754 7034"), in
// either case, whose length fits the country and whose mod-97 check
// digits hold.
//
// A visitor who mistypes a digit still gave away an account, so an IBAN
// whose check fails is taken too (reason "pattern:iban-shape") when its
// shape is unambiguous: a listed country code, check digits from 02 to
// 98, the country's exact length, the national part shaped as that
// country registers it (digits only for Belgium, four letters and ten
// digits for the Netherlands...), and either the print format with no
// group of digits after it or, in one block, an IBAN cue within a few
// words before ("IBAN", "rekeningnummer", "compte", "Konto"). VAT
// numbers ("BE 0712.345.678", "NL123456789B01") and product codes have
// neither the length nor the grouping. A typo that drops or adds a
// character, or a grouping other than fours, leaves the value in clear.
type ibanDetector struct{}

func init() { register(prioIBAN, ibanDetector{}) }

func (ibanDetector) Type() Type { return IBAN }

func (ibanDetector) Find(in *Input, dst []Span) []Span {
	s := in.Text
	for i := 2; i+1 < len(s); i++ {
		if !isDigit(s[i]) || !isDigit(s[i+1]) {
			continue
		}
		start := i - 2
		if !isLetter(s[start]) || !isLetter(s[start+1]) ||
			gluedLetter(s, start) {
			continue
		}
		var iban parsedIBAN
		if !iban.parse(s, start) {
			continue
		}
		reason := iban.reason(s, start)
		if reason == "" {
			continue
		}
		dst = append(dst, Span{
			Start: start, End: iban.end, Reason: reason,
			Key: string(iban.key()),
		})
		i = iban.end
	}
	return dst
}

// parsedIBAN is a value of the length and grouping of an IBAN.
type parsedIBAN struct {
	buf    [maxIBAN]byte // buf[:n] is the value, upper case, no spaces
	n      int
	end    int  // offset just past it
	spaced bool // written in groups of four
	more   bool // another group of digits follows, a space apart
}

// key returns the value in upper case without spaces, valid as long as
// p is.
func (p *parsedIBAN) key() []byte { return p.buf[:p.n] }

// reason returns why the value starting at offset start is an IBAN, or
// "" when it is not one.
func (p *parsedIBAN) reason(s string, start int) Reason {
	switch {
	case validIBAN(p.key()):
		return ReasonMod97
	case !ibanShape(p.key()):
		return ""
	case p.spaced && !p.more:
		return ReasonIBANShape
	case cuesBefore(ibanCues, s, start, ibanCueWords):
		return ReasonContext
	}
	return ""
}

// ibanCueWords is how many words before an IBAN in one block whose check
// fails a cue may end.
const ibanCueWords = 3

// ibanCues name a bank account.
var ibanCues = newCueSet("iban", "iban nummer", "ibannummer", "bic",
	"rekening", "rekeningnummer", "rekeningnr", "bankrekening",
	"bankrekeningnummer", "account", "account number", "bank account",
	"compte", "numero de compte", "compte bancaire", "rib", "konto",
	"kontonummer", "bankkonto", "bankverbindung")

// ibanShape reports whether key, an IBAN in upper case without spaces
// of its country's length, has check digits that a valid IBAN can have
// (02 to 98) and a national part shaped as its country registers it.
func ibanShape(key []byte) bool {
	if check := num(key[2:4]); !allDigits(key[2:4]) || check < 2 || check > 98 {
		return false
	}
	shape, ok := ibanBBAN[string(key[:2])]
	if !ok {
		return false
	}
	k := 4
	for n := 0; shape != ""; shape = shape[1:] {
		if isDigit(shape[0]) {
			n = n*10 + int(shape[0]-'0')
			continue
		}
		for ; n > 0; n-- {
			if k >= len(key) || !ibanChar(shape[0], key[k]) {
				return false
			}
			k++
		}
	}
	return k == len(key)
}

// ibanChar reports whether c fits the BBAN class: 'n' a digit, 'a' a
// capital, 'c' either.
func ibanChar(class, c byte) bool {
	switch class {
	case 'n':
		return isDigit(c)
	case 'a':
		return isUpper(c)
	}
	return isDigit(c) || isUpper(c)
}

// gluedLetter reports whether a letter, digit or other word character
// comes right before offset k.
func gluedLetter(s string, k int) bool {
	if k == 0 {
		return false
	}
	if c := s[k-1]; c < utf8.RuneSelf {
		return isWordByte(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s[:k])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordAt reports whether a letter, digit or other word character starts
// at offset k.
func wordAt(s string, k int) bool {
	if k >= len(s) {
		return false
	}
	if c := s[k]; c < utf8.RuneSelf {
		return isWordByte(c)
	}
	r, _ := utf8.DecodeRuneInString(s[k:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// parse reads into p a value of the length and grouping of an IBAN
// starting at offset start of s: a listed country code and then letters
// and digits up to the country's length, in one block or in groups of
// four parted by single spaces, not glued to a word after it. One of
// the spaces may be a line break, as an IBAN copied from a statement
// often is: "BE71 0308\n2462 8169".
func (p *parsedIBAN) parse(s string, start int) bool {
	p.buf[0], p.buf[1] = s[start]&^0x20, s[start+1]&^0x20
	want := ibanLengths[string(p.buf[:2])]
	if want == 0 {
		return false
	}
	n, group := 2, 2
	i := start + 2
	for n < want {
		if i >= len(s) {
			return false
		}
		c := s[i]
		switch {
		case isAlnum(c):
			if isLetter(c) {
				c &^= 0x20
			}
			p.buf[n] = c
			n, group, i = n+1, group+1, i+1
		case group == 4 && (p.spaced || n == 4):
			k := groupSepLen(s, i)
			if k == 0 || i+k >= len(s) || !isAlnum(s[i+k]) {
				return false
			}
			group, p.spaced, i = 0, true, i+k
		default:
			return false
		}
	}
	p.n, p.end = n, i
	p.more = i+1 < len(s) && s[i] == ' ' && isDigit(s[i+1])
	return !(p.spaced && group > 4) && !wordAt(s, i)
}

// groupSepLen returns the length of the separator between two groups of
// an IBAN at offset i: a space, or a line break with at most a space on
// either side; 0 when there is none.
func groupSepLen(s string, i int) int {
	j := i
	if j < len(s) && s[j] == ' ' {
		j++
	}
	if n := lineBreakLen(s, j); n > 0 {
		j += n
		if j < len(s) && s[j] == ' ' {
			j++
		}
	}
	return j - i
}
