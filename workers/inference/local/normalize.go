package local

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPlaceholder bounds the length of a redaction placeholder such as
// "[EMAIL_1]"; longer bracketed runs are read as ordinary text.
const maxPlaceholder = 40

// clauseMark is the word that normalizeClauses puts where a clause ends.
const clauseMark = "|"

// normalize folds s for matching: lower case, accents removed ("é" to "e",
// "ß" to "ss"), every run of punctuation, apostrophes, hyphens or spaces
// turned into one space, and redaction placeholders such as "[EMAIL_1]"
// dropped so that they never count as words. Invalid UTF-8 is a separator.
func normalize(s string) string {
	return fold(s, false)
}

// normalizeClauses is normalize, but punctuation that ends a clause
// (".", ",", ";", ":", "!", "?", brackets, a line break) becomes the word
// clauseMark: "no botox, filler" is "no botox | filler".
func normalizeClauses(s string) string {
	return fold(s, true)
}

// fold implements normalize, and normalizeClauses if clauses is set.
func fold(s string, clauses bool) string {
	b := make([]byte, 0, len(s)+4)
	for i := 0; i < len(s); {
		c := s[i]
		if c == '[' {
			if n := placeholderLen(s[i:]); n > 0 {
				b = separate(b)
				i += n
				continue
			}
		}
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				b = append(b, c)
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			case c == ' ':
				b = separate(b)
			case clauses && endsClause(c):
				b = append(separate(b), clauseMark[0], ' ')
			default:
				b = separate(b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		b = appendFolded(b, r)
	}
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return string(b)
}

// tokenize returns the words of s after normalize.
func tokenize(s string) []string {
	return strings.Fields(normalize(s))
}

// endsClause reports whether c is punctuation that ends a clause.
func endsClause(c byte) bool {
	switch c {
	case '.', ',', ';', ':', '!', '?', '(', ')', '\n':
		return true
	}
	return false
}

// separate appends a space unless b is empty or already ends with one.
func separate(b []byte) []byte {
	if len(b) == 0 || b[len(b)-1] == ' ' {
		return b
	}
	return append(b, ' ')
}

// placeholderLen returns the length of the redaction placeholder at the
// start of s ("[" + upper-case letter + [A-Z0-9_]* + "]"), or 0.
func placeholderLen(s string) int {
	if len(s) < 3 || s[1] < 'A' || s[1] > 'Z' {
		return 0
	}
	for j := 2; j < len(s) && j <= maxPlaceholder; j++ {
		switch c := s[j]; {
		case c == ']':
			return j + 1
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_':
		default:
			return 0
		}
	}
	return 0
}

// appendFolded appends the matching form of one non-ASCII rune.
func appendFolded(b []byte, r rune) []byte {
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā':
		return append(b, 'a')
	case 'æ':
		return append(b, 'a', 'e')
	case 'ç', 'č', 'ć':
		return append(b, 'c')
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę':
		return append(b, 'e')
	case 'ì', 'í', 'î', 'ï':
		return append(b, 'i')
	case 'ĳ':
		return append(b, 'i', 'j')
	case 'ñ', 'ń':
		return append(b, 'n')
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō':
		return append(b, 'o')
	case 'œ':
		return append(b, 'o', 'e')
	case 'ß':
		return append(b, 's', 's')
	case 'š', 'ś':
		return append(b, 's')
	case 'ù', 'ú', 'û', 'ü', 'ū':
		return append(b, 'u')
	case 'ý', 'ÿ':
		return append(b, 'y')
	case 'ž', 'ź', 'ż':
		return append(b, 'z')
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return utf8.AppendRune(b, r)
	}
	return separate(b)
}

// withinOne reports whether a and b differ by at most one edit: one byte
// inserted, deleted or replaced, or two adjacent bytes swapped.
func withinOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) < len(b) {
		return a[i:] == b[i+1:]
	}
	if a[i+1:] == b[i+1:] {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] &&
		a[i+2:] == b[i+2:]
}
