package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cues is a set of cue phrases ("geboren op", "date of birth", "né le")
// that make a nearby value personal data. Phrases are matched word by
// word, without regard to case or accents, across punctuation, so that
// "Geboortedatum:" and "geboortedatum -" both match "geboortedatum".
type Cues struct {
	phrases  [][]string
	maxWords int
	// byLast and byFirst index the phrases by their last and first
	// folded word.
	byLast, byFirst map[string][]int
}

// NewCues returns the cues for the given phrases.
func NewCues(phrases ...string) *Cues {
	c := &Cues{byLast: map[string][]int{}, byFirst: map[string][]int{}}
	for _, p := range phrases {
		words := splitWords(p, nil)
		if len(words) == 0 {
			continue
		}
		for i, w := range words {
			words[i] = foldWord(w)
		}
		n := len(c.phrases)
		c.byLast[words[len(words)-1]] = append(c.byLast[words[len(words)-1]], n)
		c.byFirst[words[0]] = append(c.byFirst[words[0]], n)
		c.phrases = append(c.phrases, words)
		c.maxWords = max(c.maxWords, len(words))
	}
	return c
}

// Before reports whether a cue phrase ends within the last `within`
// words before byte offset pos of text.
func (c *Cues) Before(text string, pos, within int) bool {
	var buf [16]string
	words := lastWords(text[:pos], within+c.maxWords-1, buf[:0])
	// words are nearest first; a phrase ending k words before pos
	// occupies words[k+len-1] … words[k], read backwards.
	for k := 0; k < within && k < len(words); k++ {
		if c.matchEndingAt(words, k) {
			return true
		}
	}
	return false
}

// After reports whether a cue phrase starts within the first `within`
// words after byte offset pos of text.
func (c *Cues) After(text string, pos, within int) bool {
	var buf [16]string
	words := splitWordsLimit(text[pos:], within+c.maxWords-1, buf[:0])
	var fold [maxCueWord]byte
	for k := 0; k < within && k < len(words); k++ {
		for _, i := range c.byFirst[string(foldCueWord(fold[:0], words[k]))] {
			p := c.phrases[i]
			if k+len(p) <= len(words) && foldedEqual(words[k:k+len(p)], p) {
				return true
			}
		}
	}
	return false
}

func (c *Cues) matchEndingAt(nearestFirst []string, k int) bool {
	var fold [maxCueWord]byte
	for _, i := range c.byLast[string(foldCueWord(fold[:0], nearestFirst[k]))] {
		p := c.phrases[i]
		n := len(p)
		if k+n > len(nearestFirst) {
			continue
		}
		ok := true
		for i := 0; i < n && ok; i++ {
			ok = foldsTo(nearestFirst[k+n-1-i], p[i])
		}
		if ok {
			return true
		}
	}
	return false
}

// maxCueWord is the longest word, in bytes, that can match a cue; longer
// words are folded only up to it, and then match nothing.
const maxCueWord = 48

// foldCueWord appends w folded as foldWord does to dst, up to cap(dst).
func foldCueWord(dst []byte, w string) []byte {
	for _, r := range w {
		f := foldRune(unicode.ToLower(r))
		if len(dst)+len(f) > cap(dst) {
			return append(dst[:0], 0) // too long: no phrase word has a NUL
		}
		dst = append(dst, f...)
	}
	return dst
}

// foldedEqual reports whether the words of text fold to the phrase's.
func foldedEqual(text, phrase []string) bool {
	for i := range phrase {
		if !foldsTo(text[i], phrase[i]) {
			return false
		}
	}
	return true
}

// foldsTo reports whether w, folded as foldWord does, is folded, without
// building the folded word.
func foldsTo(w, folded string) bool {
	j := 0
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if j >= len(folded) || folded[j] != c {
				return false
			}
			i, j = i+1, j+1
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		f := foldRune(unicode.ToLower(r))
		if !strings.HasPrefix(folded[j:], f) {
			return false
		}
		i, j = i+size, j+len(f)
	}
	return j == len(folded)
}

// lastWords returns up to n words of s, the last one first, as they are
// written: matching folds them.
func lastWords(s string, n int, dst []string) []string {
	end := len(s)
	for len(dst) < n && end > 0 {
		for end > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:end])
			if isWordRune(r) {
				break
			}
			end -= size
		}
		start := end
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:start])
			if !isWordRune(r) {
				break
			}
			start -= size
		}
		if start == end {
			break
		}
		dst = append(dst, s[start:end])
		end = start
	}
	return dst
}

// splitWords returns the words of s, as they are written.
func splitWords(s string, dst []string) []string {
	return splitWordsLimit(s, len(s), dst)
}

func splitWordsLimit(s string, n int, dst []string) []string {
	for i := 0; i < len(s) && len(dst) < n; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		dst = append(dst, s[i:j])
		i = j
	}
	return dst
}

// isWordRune reports whether r belongs to a word: a letter or a digit.
// An apostrophe ends a word, so "m'appelle" is "m" and "appelle".
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// foldWord lowers w and removes the accents of Latin letters, so "Né"
// matches "ne" and "Straße" matches "strasse".
func foldWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf || 'A' <= w[i] && w[i] <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		b.WriteString(foldRune(unicode.ToLower(r)))
	}
	return b.String()
}

// foldRune writes a lower-case Latin letter without its accent.
func foldRune(r rune) string {
	switch {
	case r < utf8.RuneSelf:
		return string(r)
	case strings.ContainsRune("àáâãäå", r):
		return "a"
	case strings.ContainsRune("èéêë", r):
		return "e"
	case strings.ContainsRune("ìíîï", r):
		return "i"
	case strings.ContainsRune("òóôõöø", r):
		return "o"
	case strings.ContainsRune("ùúûü", r):
		return "u"
	case r == 'ç':
		return "c"
	case r == 'ñ':
		return "n"
	case r == 'ý' || r == 'ÿ':
		return "y"
	case r == 'ß':
		return "ss"
	case r == 'æ':
		return "ae"
	case r == 'œ':
		return "oe"
	}
	return string(r)
}
