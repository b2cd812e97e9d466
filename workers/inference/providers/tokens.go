package providers

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Kinds of token in an answer.
const (
	tokWord  = iota // letters, folded and stemmed
	tokNum          // digits, perhaps with two decimals: "250", "250,00"
	tokTime         // a clock time: "09:00", "9h", "18h30"
	tokMoney        // a currency: "€", "eur", "euro"
	tokDash         // a dash between numbers
	tokAtom         // a chunk with "/" or "@" in it, matched as a whole
)

// token is one piece of an answer.
type token struct {
	kind int
	text string
	// n is a number's whole value, or a time's minutes after midnight.
	n int
	// frac is a number's decimals: "" or two digits.
	frac string
}

// keySpelling is a fact key written out, with or without spaces around
// the slash: it names no fact.
var keySpelling = regexp.MustCompile(`(?i)\b(?:treatments|faq)\s*/\s*[\p{L}\d_-]+`)

// tokenize splits an answer into tokens.
func tokenize(s string) []token {
	if strings.Contains(s, "/") {
		s = keySpelling.ReplaceAllString(s, " ")
	}
	var out []token
	for _, chunk := range strings.Fields(s) {
		if strings.ContainsAny(chunk, "/@") {
			out = append(out, token{kind: tokAtom, text: strings.ToLower(
				strings.Trim(chunk, ".,;:!?()[]<>\"'*"))})
			continue
		}
		out = scanChunk(out, []rune(chunk))
	}
	return out
}

// scanChunk appends the tokens of a chunk without spaces.
func scanChunk(out []token, rs []rune) []token {
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			out = appendWord(out, string(rs[i:j]))
			i = j
		case unicode.IsDigit(r):
			var t token
			t, i = scanNumber(rs, i)
			out = append(out, t)
		case r == '€':
			out = append(out, token{kind: tokMoney, text: "€"})
			i++
		case r == '-' || r == '–' || r == '—':
			out = append(out, token{kind: tokDash, text: "-"})
			i++
		default:
			i++
		}
	}
	return out
}

// appendWord appends a word, or the currency or time suffix it is.
func appendWord(out []token, w string) []token {
	f := words(w)
	if len(f) == 0 {
		return out
	}
	switch f[0] {
	case "eur", "euro":
		return append(out, token{kind: tokMoney, text: f[0]})
	}
	return append(out, token{kind: tokWord, text: f[0]})
}

// scanNumber reads digits at rs[i]: "250", "250,00", "1.250", "9:30",
// "18h", "18h30", "18u"; it returns the token and the index after it.
func scanNumber(rs []rune, i int) (token, int) {
	j := i
	for j < len(rs) && unicode.IsDigit(rs[j]) {
		j++
	}
	whole := string(rs[i:j])
	// Groups of three after a point or comma are thousands: "1.250,00".
	for j+4 <= len(rs) && (rs[j] == '.' || rs[j] == ',') && threeDigits(rs, j+1) {
		whole += string(rs[j+1 : j+4])
		j += 4
	}
	n, _ := strconv.Atoi(whole)
	if len(whole) > 6 {
		n = -1
	}
	two := func(k int) bool {
		return k+2 <= len(rs) && unicode.IsDigit(rs[k]) && unicode.IsDigit(rs[k+1]) &&
			(k+2 == len(rs) || !unicode.IsDigit(rs[k+2]))
	}
	if j < len(rs) {
		switch c := rs[j]; {
		case c == ':' && two(j+1):
			m, _ := strconv.Atoi(string(rs[j+1 : j+3]))
			return clock(whole, n, m), j + 3
		case hourMark(c) && two(j+1):
			m, _ := strconv.Atoi(string(rs[j+1 : j+3]))
			return clock(whole, n, m), j + 3
		case hourMark(c) && (j+1 == len(rs) || !unicode.IsLetter(rs[j+1])):
			return clock(whole, n, 0), j + 1
		case (c == ',' || c == '.') && two(j+1):
			return token{kind: tokNum, text: whole, n: n,
				frac: string(rs[j+1 : j+3])}, j + 3
		}
	}
	return token{kind: tokNum, text: whole, n: n}, j
}

func clock(text string, h, m int) token {
	if h < 0 || h > 24 || m > 59 {
		return token{kind: tokNum, text: text, n: -1}
	}
	return token{kind: tokTime, text: text, n: h*60 + m}
}

// threeDigits reports whether rs[k:] starts with three digits and no
// fourth.
func threeDigits(rs []rune, k int) bool {
	for n := 0; n < 3; n++ {
		if k+n >= len(rs) || !unicode.IsDigit(rs[k+n]) {
			return false
		}
	}
	return k+3 == len(rs) || !unicode.IsDigit(rs[k+3])
}

// hourMark reports whether r marks the hours of a time: "18h30" in
// French and German, "18u30" in Flemish.
func hourMark(r rune) bool {
	return r == 'h' || r == 'H' || r == 'u'
}
