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
// Detectors of this package use the same matching through cueSet and
// cueWords, which let them read the words around a value once and look
// for several sets in them.
type Cues struct{ set cueSet }

// NewCues returns the cues for the given phrases.
func NewCues(phrases ...string) *Cues { return &Cues{set: newCueSet(phrases...)} }

// Before reports whether a cue phrase ends within the last `within`
// words before byte offset pos of text. At most maxCueWords words are
// read.
func (c *Cues) Before(text string, pos, within int) bool {
	var w cueWords
	w.before(text, pos, c.set.span(within))
	return w.endsWithin(c.set, within)
}

// After reports whether a cue phrase starts within the first `within`
// words after byte offset pos of text.
func (c *Cues) After(text string, pos, within int) bool {
	var w cueWords
	w.after(text, pos, c.set.span(within))
	return w.startsWithin(c.set, within)
}

// maxCueWords bounds the words read around a value to look for cues.
const maxCueWords = 12

// cueSet is a set of cue phrases like Cues, indexed by their first and
// last words so that looking for them near a value costs one map look-up
// a word, and read with cueWords so that it allocates nothing.
type cueSet struct {
	byFirst, byLast map[string][][]string
	maxWords        int // words of the longest phrase
}

// span returns how many words to read to find the phrases of c that end
// or start within `within` words.
func (c cueSet) span(within int) int {
	return min(within+c.maxWords-1, maxCueWords)
}

// newCueSet returns the cue set of the given phrases, matched word by
// word without case or accents, as NewCues matches them.
func newCueSet(phrases ...string) cueSet {
	c := cueSet{byFirst: make(map[string][][]string),
		byLast: make(map[string][][]string)}
	for _, p := range phrases {
		words := splitWords(p, nil)
		if len(words) == 0 {
			continue
		}
		for i, w := range words {
			words[i] = foldWord(w)
		}
		first, last := words[0], words[len(words)-1]
		c.byFirst[first] = append(c.byFirst[first], words)
		c.byLast[last] = append(c.byLast[last], words)
		c.maxWords = max(c.maxWords, len(words))
	}
	return c
}

// cueWords holds the words next to a value, folded as foldWord folds
// them, nearest first, in a fixed buffer.
type cueWords struct {
	buf        [192]byte
	start, end [maxCueWords]int // word i is buf[start[i]:end[i]]
	n          int
}

// word returns word i, nearest first, valid until the next read.
func (w *cueWords) word(i int) []byte {
	return w.buf[w.start[i]:w.end[i]]
}

// add appends a word of the text, folded; it reports false when the
// buffer is full.
func (w *cueWords) add(word string) bool {
	used := 0
	if w.n > 0 {
		used = w.end[w.n-1]
	}
	if w.n == maxCueWords || used+len(word) > len(w.buf) {
		return false
	}
	f := foldInto(w.buf[used:used], word)
	w.start[w.n], w.end[w.n] = used, used+len(f)
	w.n++
	return true
}

// before reads up to n words of text that end before offset pos.
func (w *cueWords) before(text string, pos, n int) {
	w.n = 0
	for end := pos; w.n < n && end > 0; {
		for end > 0 {
			if p := placeholderEndingAt(text, end); p >= 0 {
				break
			}
			r, size := lastRune(text[:end])
			if isWordRune(r) {
				break
			}
			end -= size
		}
		if p := placeholderEndingAt(text, end); p >= 0 {
			// A placeholder is one word that matches no cue, as the
			// value it stands for did not: "[DATE_OF_BIRTH_1]" must
			// not read as "date of birth" on a second pass. Nor does
			// a cue reach across it: it may stand for several words,
			// and a second pass must not find a cue nearer than the
			// first did.
			w.add(opaqueWord)
			return
		}
		start := end
		for start > 0 {
			r, size := lastRune(text[:start])
			if !isWordRune(r) {
				break
			}
			start -= size
		}
		if start == end || !w.add(text[start:end]) {
			return
		}
		end = start
	}
}

// opaqueWord stands for a placeholder among the words around a value: no
// phrase has it.
const opaqueWord = "\x00"

// placeholderEndingAt returns where the placeholder that ends at offset
// end of text starts, or -1 if none does: "[DATE_OF_BIRTH_1]" must not
// read as the cue "date of birth" once a first pass wrote it.
func placeholderEndingAt(text string, end int) int {
	if end == 0 || text[end-1] != ']' {
		return -1
	}
	start := strings.LastIndexByte(text[max(0, end-maxPlaceholderLen):end], '[')
	if start < 0 {
		return -1
	}
	start += max(0, end-maxPlaceholderLen)
	if size, _, _ := parsePlaceholder(text[start:]); start+size == end {
		return start
	}
	return -1
}

// maxPlaceholderLen bounds a placeholder's length, brackets included, as
// parsePlaceholder reads it.
const maxPlaceholderLen = 49

// after reads up to n words of text that start after offset pos.
func (w *cueWords) after(text string, pos, n int) {
	w.n = 0
	for i := pos; w.n < n && i < len(text); {
		if text[i] == '[' {
			if size, _, _ := parsePlaceholder(text[i:]); size > 0 {
				w.add(opaqueWord) // one word, no cue, the last: see before
				return
			}
		}
		r, size := firstRune(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := firstRune(text[j:])
			if !isWordRune(r) {
				break
			}
			j += size
		}
		if !w.add(text[i:j]) {
			return
		}
		i = j
	}
}

// lastRune decodes the last rune of s, quickly when it is ASCII.
func lastRune(s string) (rune, int) {
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeLastRuneInString(s)
}

// firstRune decodes the first rune of s, quickly when it is ASCII.
func firstRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

// endsWithin reports whether, in words read by before, a phrase of c
// ends within the first `within` words, as Cues.Before does.
func (w *cueWords) endsWithin(c cueSet, within int) bool {
	for k := 0; k < within && k < w.n; k++ {
		for _, p := range c.byLast[string(w.word(k))] {
			ok := k+len(p) <= w.n
			for i := 0; i < len(p)-1 && ok; i++ {
				ok = string(w.word(k+len(p)-1-i)) == p[i]
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// startsWithin reports whether, in words read by after, a phrase of c
// starts within the first `within` words, as Cues.After does.
func (w *cueWords) startsWithin(c cueSet, within int) bool {
	for k := 0; k < within && k < w.n; k++ {
		for _, p := range c.byFirst[string(w.word(k))] {
			ok := k+len(p) <= w.n
			for i := 1; i < len(p) && ok; i++ {
				ok = string(w.word(k+i)) == p[i]
			}
			if ok {
				return true
			}
		}
	}
	return false
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
