package triage

import (
	"strings"
	"unicode"
)

// maxWords bounds the words looked at in one message: the start of a
// long message says what it is about, and the bound keeps the cost flat.
const maxWords = 200

// message is a text prepared for matching: lower case, accents folded
// ("coûte" -> "coute", "für" -> "fur", "weiß" -> "weiss"), split into
// words of letters and digits. Apostrophes and hyphens split words, so
// "can't" is "can t" and "qu'est-ce" is "qu est ce".
type message struct {
	words    []string
	question bool // the text holds a question mark
	// cues counts characters typical of a language, by language index.
	cues [numLangs]int
}

// parse prepares text for matching.
func parse(text string) *message {
	m := &message{words: make([]string, 0, 32)}
	var b strings.Builder
	b.Grow(len(text))
	start := 0
	flush := func() {
		if b.Len() > start && len(m.words) < maxWords {
			m.words = append(m.words, b.String()[start:])
		}
		start = b.Len()
	}
	prevSpace := false
	for _, r := range text {
		if r == '?' || r == '¿' {
			m.question = true
			if prevSpace {
				m.cues[fr]++ // French typography: "botox ?"
			}
		}
		prevSpace = r == ' ' || r == '\u00a0' || r == '\u202f'
		r = unicode.ToLower(r)
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteByte(byte(r))
			continue
		}
		if f, lang := fold(r); f != "" {
			if lang >= 0 {
				m.cues[lang]++
			}
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			continue
		}
		flush()
	}
	flush()
	m.words = expandContractions(m.words)
	return m
}

// contractions spells out English contractions typed without an
// apostrophe, as parse splits those typed with one: "cant" is "can t".
// "im" is not among them: it is German for "in the".
// French elisions typed without an apostrophe are spelt out too: "jai"
// is "j ai".
var contractions = map[string][2]string{
	"cant": {"can", "t"}, "dont": {"don", "t"}, "wont": {"won", "t"},
	"doesnt": {"doesn", "t"}, "isnt": {"isn", "t"},
	"couldnt": {"couldn", "t"}, "didnt": {"didn", "t"},
	"havent": {"haven", "t"}, "wasnt": {"wasn", "t"},
	"arent": {"aren", "t"}, "ive": {"i", "ve"}, "youre": {"you", "re"},
	"theres": {"there", "s"}, "whats": {"what", "s"},
	"jai": {"j", "ai"}, "jarrive": {"j", "arrive"},
}

// expandContractions replaces the words in contractions, in place when
// there are none.
func expandContractions(words []string) []string {
	n := 0
	for _, w := range words {
		if _, ok := contractions[w]; ok {
			n++
		}
	}
	if n == 0 {
		return words
	}
	out := make([]string, 0, len(words)+n)
	for _, w := range words {
		if c, ok := contractions[w]; ok {
			out = append(out, c[0], c[1])
			continue
		}
		out = append(out, w)
	}
	return out
}

// fold returns the ASCII spelling of an accented lower-case letter, and
// the index of the language it hints at, or -1.
func fold(r rune) (string, int) {
	switch r {
	case 'ä':
		return "a", de
	case 'ö':
		return "o", de
	case 'ü':
		return "u", de
	case 'ß':
		return "ss", de
	case 'à', 'â':
		return "a", fr
	case 'ç':
		return "c", fr
	case 'é', 'è', 'ê':
		return "e", fr
	case 'î':
		return "i", fr
	case 'ô':
		return "o", fr
	case 'û', 'ù':
		return "u", fr
	case 'œ':
		return "oe", fr
	case 'ë':
		return "e", nl
	case 'ï':
		return "i", nl
	case 'á', 'ã', 'å':
		return "a", -1
	case 'í', 'ì':
		return "i", -1
	case 'ó', 'ò', 'õ':
		return "o", -1
	case 'ú':
		return "u", -1
	case 'ñ':
		return "n", -1
	case 'ÿ':
		return "y", -1
	case 'æ':
		return "ae", -1
	}
	return "", -1
}
