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

// ibanDetector finds IBANs, written in one block ("BE68539007547034") or
// in the print format of groups of four ("BE68 5390 0754 7034"), in
// either case, whose length fits the country and whose mod-97 check
// digits hold.
//
// TODO(#3): IBANs with a typo fail the check and stay in clear; catch
// the shape after words such as "IBAN" or "rekening".
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
		end, key, ok := parseIBAN(s, start)
		if ok {
			dst = append(dst, Span{
				Start: start, End: end, Reason: ReasonMod97, Key: key,
			})
			i = end
		}
	}
	return dst
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

// parseIBAN reads an IBAN starting at offset start. It returns where it
// ends and its canonical form (upper case, no spaces).
func parseIBAN(s string, start int) (end int, key string, ok bool) {
	var buf [maxIBAN]byte
	buf[0], buf[1] = s[start]&^0x20, s[start+1]&^0x20
	want := ibanLengths[string(buf[:2])]
	if want == 0 {
		return 0, "", false
	}
	n, group, spaced := 2, 2, false
	i := start + 2
	for n < want {
		if i >= len(s) {
			return 0, "", false
		}
		c := s[i]
		switch {
		case isAlnum(c):
			if isLetter(c) {
				c &^= 0x20
			}
			buf[n] = c
			n, group, i = n+1, group+1, i+1
		case c == ' ' && group == 4 && (spaced || n == 4) &&
			i+1 < len(s) && isAlnum(s[i+1]):
			group, spaced, i = 0, true, i+1
		default:
			return 0, "", false
		}
	}
	if (spaced && group > 4) || wordAt(s, i) {
		return 0, "", false
	}
	if !validIBAN(buf[:n]) {
		return 0, "", false
	}
	return i, string(buf[:n]), true
}
