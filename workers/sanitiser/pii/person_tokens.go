package pii

import (
	"unicode"
	"unicode/utf8"
)

// gapBits describe what separates a token from the one before it.
type gapBits uint16

const (
	gapStart   gapBits = 1 << iota // nothing but spaces before: text start
	gapSpace                       // white space
	gapNewline                     // a line break
	gapStop                        // '.', '!', '?', '…'
	gapComma                       // ',' or ';'
	gapColon                       // ':'
	gapDash                        // a dash between spaces, '–' or '—'
	gapHyphen                      // exactly '-': "Anne-Sophie"
	gapApos                        // exactly an apostrophe: "D'Hondt"
	gapGlue                        // '.', '@', '/', '_'... without space
	gapOpen                        // '(', '[', '"', '«'
	gapClose                       // ')', ']', '»'
	gapOther                       // anything else: emoji, symbols
	gapAnd                         // '&' or '+' between spaces
)

// gapBoundary is any gap that ends a phrase or a name.
const gapBoundary = gapNewline | gapStop | gapComma | gapColon | gapDash |
	gapOpen | gapClose | gapOther

// tokShape is the case pattern of a token.
type tokShape uint8

const (
	shLower       tokShape = iota + 1 // "sofie", "van"
	shCap                             // "Sofie", "McDonald"
	shUpper                           // "SOFIE", "IPL"
	shInitial                         // "J" (one capital letter)
	shNumber                          // "0470", "14u", "Morpheus8"
	shPlaceholder                     // "[PERSON_1]"
)

// ptok is one token of a text for the person detector.
type ptok struct {
	start, end int32
	hash       uint64 // of the folded word; 0 for numbers and placeholders
	entry      int32  // lexicon entry, or -1
	bits       lexBits
	gap        gapBits
	shape      tokShape
}

// capital reports whether the token is written with a capital.
func (t *ptok) capital() bool {
	return t.shape == shCap || t.shape == shUpper || t.shape == shInitial
}

// value reports whether the token is a number or a placeholder, which
// stands for a value a first pass removed.
func (t *ptok) value() bool { return t.shape == shNumber || t.shape == shPlaceholder }

// word reports whether the token is made of letters.
func (t *ptok) word() bool { return t.shape != 0 && t.shape <= shInitial }

// tokenizeNames splits s into tokens, appended to dst, and looks each word up
// in l. The scan is one pass over the bytes; a word is a run of letters,
// digits and combining marks.
func tokenizeNames(s string, l *nameLexicon, dst []ptok) []ptok {
	gap := gapStart
	for i := 0; i < len(s); {
		c := s[i]
		if c == '[' {
			if size, _, _ := parsePlaceholder(s[i:]); size > 0 {
				g := finishGapOf(gap)
				if g == gapHyphen || g == gapApos {
					// Glued to the word before like the rest of a
					// name: "Peter'AA@0.be" was no name, and its
					// "Peter'[EMAIL_1]" must not become one.
					g = gapGlue
				}
				dst = append(dst, ptok{start: int32(i), end: int32(i + size),
					entry: -1, gap: g, shape: shPlaceholder})
				gap, i = 0, i+size
				continue
			}
		}
		if c < utf8.RuneSelf && !isAlnum(c) {
			gap |= asciiGapOf(c)
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !isNameRune(r) {
			gap |= runeGapOf(r)
			i += size
			continue
		}
		dst = append(dst, ptok{})
		t := &dst[len(dst)-1]
		scanNameToken(t, s, i, l)
		t.gap = finishGapOf(gap)
		if t.bits&lexAccented != 0 && l.accentedKeep(s[t.start:t.end]) {
			t.bits = lexKeep
		}
		gap, i = 0, int(t.end)
	}
	return dst
}

// finishGapOf turns the characters seen between two tokens into their
// kind: a lone hyphen or apostrophe glues, other punctuation without
// space glues too (e-mail addresses, links, handles).
func finishGapOf(g gapBits) gapBits {
	if g&(gapSpace|gapNewline|gapStart) != 0 {
		if g&gapHyphen != 0 {
			g |= gapDash
		}
		if g&gapGlue != 0 {
			g |= gapOther // "Filip & Veerle", "Sofie @ kliniek"
		}
		return g &^ (gapHyphen | gapApos | gapGlue)
	}
	switch {
	case g == gapHyphen || g == gapApos:
		return g
	case g&(gapHyphen|gapApos|gapGlue|gapStop|gapColon) != 0:
		return g | gapGlue
	}
	return g
}

// asciiGapOf classifies an ASCII byte between tokens.
func asciiGapOf(c byte) gapBits {
	switch c {
	case ' ', '\t':
		return gapSpace
	case '\n', '\r':
		return gapNewline
	case '.', '!', '?':
		return gapStop
	case ',', ';':
		return gapComma
	case ':':
		return gapColon
	case '-':
		return gapHyphen
	case '\'', '`':
		return gapApos
	case '&', '+':
		return gapGlue | gapAnd
	case '@', '/', '_', '#', '\\', '=', '~', '|', '%':
		return gapGlue
	case '(', '[', '{', '"', '<':
		return gapOpen
	case ')', ']', '}', '>':
		return gapClose
	}
	return gapOther
}

// runeGapOf classifies a non-ASCII character between tokens.
func runeGapOf(r rune) gapBits {
	switch r {
	case '’', '‘', 'ʼ':
		return gapApos
	case '–', '—':
		return gapDash
	case '…':
		return gapStop
	case '«', '“', '„':
		return gapOpen
	case '»', '”':
		return gapClose
	case 0xA0, 0x2009, 0x202F:
		return gapSpace
	case 0x2028, 0x2029:
		return gapNewline
	}
	return gapOther
}

// isNameRune reports whether r belongs to a token.
func isNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scanNameToken reads the token starting at i, finds its shape and, for
// a word, its lexicon entry. Letters are folded and hashed as they are
// read, so each byte is seen once.
func scanNameToken(t *ptok, s string, i int, l *nameLexicon) {
	t.start, t.entry = int32(i), -1
	f := newFolder()
	var cc caseCount
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !isAlnum(c) {
				break
			}
			cc.add('A' <= c && c <= 'Z', isLetter(c), isDigit(c))
			f.byte(c | 0x20) // lower case; digits have the bit already
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNameRune(r) {
			break
		}
		cc.add(unicode.IsUpper(r), unicode.IsLetter(r), unicode.IsDigit(r))
		f.rune(r)
		i += size
	}
	t.end = int32(i)
	t.finish(&f, l, cc)
}

// caseCount counts the letters of a token by case.
type caseCount struct {
	upper, lower      int
	firstUpper, digit bool
}

func (c *caseCount) add(upper, letter, digit bool) {
	switch {
	case upper:
		c.firstUpper = c.firstUpper || c.upper+c.lower == 0
		c.upper++
	case letter:
		c.lower++
	case digit:
		c.digit = true
	}
}

// shape returns the shape of a token with these letters.
func (c *caseCount) shape() tokShape {
	switch {
	case c.digit || c.upper+c.lower == 0:
		return shNumber
	case !c.firstUpper:
		return shLower
	case c.upper == 1 && c.lower == 0:
		return shInitial
	case c.lower == 0:
		return shUpper
	}
	return shCap
}

// finish sets the shape of t and looks a word up.
func (t *ptok) finish(f *nameFolder, l *nameLexicon, cc caseCount) {
	t.shape = cc.shape()
	if t.shape > shInitial || f.over {
		return
	}
	t.hash = f.h
	if e := l.find(f.folded(), f.h); e >= 0 {
		t.entry = int32(e)
		t.bits = l.entries[e].bits
	}
}

// accentedKeep reports whether word, as written, is a kept word whose
// letters without accents are a name: "Rosé".
func (l *nameLexicon) accentedKeep(word string) bool {
	var buf [maxNameBytes]byte
	n := 0
	for _, r := range word {
		if n+utf8.UTFMax > len(buf) {
			return false
		}
		n += utf8.EncodeRune(buf[n:], unicode.ToLower(r))
	}
	return l.accented[string(buf[:n])]
}
