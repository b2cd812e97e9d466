package local

import "strings"

// minFuzzy is the shortest word that may match with one typo: shorter
// words differ by one letter far too often ("later" and "laser" are
// already a risk).
const minFuzzy = 5

// minStem is the shortest word a visitor's word may extend ("kost" in
// "kosten").
const minStem = 3

// sigKind says what a recognised term points at.
type sigKind uint8

const (
	kindIntent    sigKind = iota // id is an intent
	kindDay                      // id is a time.Weekday
	kindRel                      // id is relToday, relTomorrow or relNow
	kindAll                      // the visitor asks about everything
	kindTreatment                // id indexes the clinic's treatments
	kindFAQ                      // id indexes the clinic's FAQ
	kindNone                     // words that mean nothing to answer
	kindNot                      // a negation: "not", "geen", "pas", "kein"
	kindBut                      // a contrast: "but", "maar", "mais", "sondern"
)

// sig is the meaning of a term: what it points at and how strongly.
type sig struct {
	kind   sigKind
	id     int
	weight int
}

// stemKind says how a visitor's word may extend a term's word.
type stemKind uint8

const (
	stemNone stemKind = iota // the word must be written as it is
	stemAny                  // any ending: "kost*" in "kostet"
	// stemParts allows an inflection ("peelings") or compound parts
	// ("oksel" in "okselontharing"), but not just any letters: "bein"
	// must not match "beinahe", nor "face" "facebook". See extends.
	stemParts
)

// entry is one term: one or more normalised words in a row.
type entry struct {
	words []string
	stem  []stemKind // how a visitor's word may extend words[i]
	sig   sig
}

// fuzzyWord lists the entries whose first word is word, for matching a
// visitor's word with one typo.
type fuzzyWord struct {
	word    string
	entries []int32
}

// termKey identifies a term with its meaning while a lexicon is built.
type termKey struct {
	words string
	sig   sig
}

// hit is a term found in a question: at token pos, covering span tokens.
// A term found inside a compound has part set to the number of the
// compound's part it starts at, from 1, and covers the compound.
type hit struct {
	pos, span int
	part      int
	sig       sig
}

// samePlace reports whether a and b were found at the same word, and at
// the same part of it.
func samePlace(a, b hit) bool { return a.pos == b.pos && a.part == b.part }

// lexicon finds terms in tokenised text. It is built once and read-only
// afterwards, so any number of goroutines may scan with it.
type lexicon struct {
	entries []entry
	exact   map[string][]int32 // first word -> entries
	stems   map[string][]int32 // first word that may be extended -> entries
	fuzzy   map[byte][]fuzzyWord
	known   map[string]bool  // every word of every entry
	seen    map[termKey]bool // build-time dedupe
	maxStem int
	// parts are the words compounds may be split into: one-word terms,
	// and compoundParts if there are any. heads holds their first minPart
	// bytes, and maxPart is the length of the longest.
	parts   map[string]bool
	heads   map[string]bool
	maxPart int
	// preferExact keeps, among terms of the same length found at one
	// place, only the most exact ones: "face" must not beat "facial"
	// when the visitor wrote "facial".
	preferExact bool
}

func newLexicon(preferExact bool) *lexicon {
	return &lexicon{
		exact:       map[string][]int32{},
		stems:       map[string][]int32{},
		fuzzy:       map[byte][]fuzzyWord{},
		known:       map[string]bool{},
		seen:        map[termKey]bool{},
		parts:       map[string]bool{},
		heads:       map[string]bool{},
		preferExact: preferExact,
	}
}

// add records term with meaning s. A trailing "*" lets visitors extend
// the last word with anything. autoStem, which suits clinic keywords,
// lets them extend every word of four letters or more with an inflection
// or compound parts ("peel" in "peeling", "oksel" in "okselontharing"),
// and makes a one-word term a part that compounds may be split into.
func (lx *lexicon) add(term string, s sig, autoStem bool) {
	star := strings.HasSuffix(term, "*")
	words := tokenize(strings.TrimSuffix(term, "*"))
	if len(words) == 0 {
		return
	}
	stem := make([]stemKind, len(words))
	for i, w := range words {
		if autoStem && len(w) >= 4 {
			stem[i] = stemParts
		}
	}
	if star && len(words[len(words)-1]) >= minStem {
		stem[len(words)-1] = stemAny
	}
	if w := words[0]; autoStem && len(words) == 1 && !stopwords[w] {
		lx.addPart(w)
	}
	lx.addWords(words, stem, s)
}

func (lx *lexicon) addWords(words []string, stem []stemKind, s sig) {
	key := termKey{strings.Join(words, " "), s}
	if lx.seen[key] {
		return
	}
	lx.seen[key] = true
	n := int32(len(lx.entries))
	lx.entries = append(lx.entries, entry{words: words, stem: stem, sig: s})
	first := words[0]
	lx.exact[first] = append(lx.exact[first], n)
	if stem[0] != stemNone {
		lx.stems[first] = append(lx.stems[first], n)
		lx.maxStem = max(lx.maxStem, len(first))
	}
	for _, w := range words {
		lx.known[w] = true
	}
	if len(first) >= minFuzzy {
		lx.addFuzzy(first, n)
	}
}

func (lx *lexicon) addFuzzy(word string, n int32) {
	bucket := lx.fuzzy[word[0]]
	for i := range bucket {
		if bucket[i].word == word {
			bucket[i].entries = append(bucket[i].entries, n)
			return
		}
	}
	lx.fuzzy[word[0]] = append(bucket, fuzzyWord{word, []int32{n}})
}

func (lx *lexicon) addPart(w string) {
	if len(w) < minPart || len(w) > maxCompound {
		return
	}
	lx.parts[w] = true
	lx.heads[w[:minPart]] = true
	lx.maxPart = max(lx.maxPart, len(w))
}

// finish drops build-only state, and adds compoundParts to the parts of
// a lexicon that has any; the lexicon is read-only afterwards.
func (lx *lexicon) finish() *lexicon {
	lx.seen = nil
	if len(lx.parts) > 0 {
		for w := range compoundParts {
			lx.addPart(w)
		}
	}
	return lx
}

// scan appends to hits the terms found in toks, left to right. At each
// place the longest term wins; several terms of that length are all
// reported. fuzzy[i] allows toks[i] to match with one typo, tried only
// when nothing matches it exactly or by stem. split[i] allows toks[i],
// when nothing matches it, to be read as a compound of known parts
// ("okselontharing"); split may be nil.
func (lx *lexicon) scan(toks []string, fuzzy, split []bool,
	hits []hit,
) []hit {
	for i := 0; i < len(toks); {
		var span int
		hits, span = lx.termsAt(toks, i, fuzzy, hit{pos: i}, hits)
		if span == 0 && split != nil && split[i] {
			hits = lx.scanCompound(toks[i], i, hits)
		}
		i += max(span, 1)
	}
	return hits
}

// termsAt appends the longest terms that start at toks[i], placed as at
// says, and returns how many tokens they cover (0 if none). at.span is
// set to that number unless it is set already.
func (lx *lexicon) termsAt(toks []string, i int, fuzzy []bool, at hit,
	hits []hit,
) ([]hit, int) {
	var buf [32]int32
	cands := lx.candidates(toks[i], buf[:0])
	span, quality := lx.best(cands, toks, i, fuzzy)
	if span == 0 && fuzzy[i] {
		cands = lx.fuzzyCandidates(toks[i], cands[:0])
		span, quality = lx.best(cands, toks, i, fuzzy)
	}
	if span == 0 {
		return hits, 0
	}
	if at.span == 0 {
		at.span = span
	}
	for _, e := range cands {
		n, q := lx.matchAt(&lx.entries[e], toks, i, fuzzy)
		if n == span && (q == quality || !lx.preferExact) {
			at.sig = lx.entries[e].sig
			hits = appendHit(hits, at)
		}
	}
	return hits, span
}

// scanCompound appends the terms found in the parts of tok, the word at
// pos, if it splits into known parts: "rugontharing" names what
// "ontharing" names. Each part must be a whole term or compound part, so
// that "hartslag" does not name what "arts" names.
func (lx *lexicon) scanCompound(tok string, pos int, hits []hit) []hit {
	var buf [maxParts]string
	parts, ok := lx.splitParts(tok, false, buf[:0])
	if !ok || len(parts) < 2 {
		return hits
	}
	var exact [maxParts]bool // parts are known words: no typos
	for k := 0; k < len(parts); {
		var span int
		hits, span = lx.termsAt(parts, k, exact[:len(parts)],
			hit{pos: pos, span: 1, part: k + 1}, hits)
		k += max(span, 1)
	}
	return hits
}

// best returns the longest match among cands at toks[i], and its quality.
func (lx *lexicon) best(cands []int32, toks []string, i int,
	fuzzy []bool,
) (span, quality int) {
	for _, e := range cands {
		n, q := lx.matchAt(&lx.entries[e], toks, i, fuzzy)
		if n > span || n == span && q > quality {
			span, quality = n, q
		}
	}
	return span, quality
}

// appendHit appends h unless the same meaning was already found at the
// same place.
func appendHit(hits []hit, h hit) []hit {
	for j := len(hits) - 1; j >= 0 && samePlace(hits[j], h); j-- {
		if hits[j].sig == h.sig {
			return hits
		}
	}
	return append(hits, h)
}

// candidates appends the entries whose first word is tok or a stem of
// tok.
func (lx *lexicon) candidates(tok string, out []int32) []int32 {
	out = append(out, lx.exact[tok]...)
	for l := minStem; l < len(tok) && l <= lx.maxStem; l++ {
		out = append(out, lx.stems[tok[:l]]...)
	}
	return out
}

// fuzzyCandidates appends the entries whose first word is one typo away
// from tok.
func (lx *lexicon) fuzzyCandidates(tok string, out []int32) []int32 {
	for _, fw := range lx.fuzzy[tok[0]] {
		if d := len(fw.word) - len(tok); d >= -1 && d <= 1 &&
			withinOne(tok, fw.word) {
			out = append(out, fw.entries...)
		}
	}
	return out
}

// matchAt reports how many tokens from toks[i] the entry e covers (0 if
// it does not match there) and how exactly: 2 per word equal, 1 per word
// extended, 0 per word with a typo.
func (lx *lexicon) matchAt(e *entry, toks []string, i int,
	fuzzy []bool,
) (span, quality int) {
	if i+len(e.words) > len(toks) {
		return 0, 0
	}
	for k, w := range e.words {
		q := lx.wordMatch(toks[i+k], w, e.stem[k], fuzzy[i+k])
		if q < 0 {
			return 0, 0
		}
		quality += q
	}
	return len(e.words), quality
}

// wordMatch compares a visitor's word with a term's word: 2 if equal, 1
// if tok extends it as stem allows, 0 if one typo away, -1 if different.
func (lx *lexicon) wordMatch(tok, w string, stem stemKind, fuzzy bool) int {
	switch {
	case tok == w:
		return 2
	case stem != stemNone && len(tok) > len(w) && strings.HasPrefix(tok, w) &&
		(stem == stemAny || lx.extends(w, tok[len(w):])):
		return 1
	case fuzzy && len(w) >= minFuzzy && tok[0] == w[0] && withinOne(tok, w):
		return 0
	}
	return -1
}

// extends reports whether rest, what a visitor's word adds to a term's
// word w, may follow w: an inflection or compound parts ("s" in
// "peelings", "ontharing" in "okselontharing", but not "ahe" in
// "beinahe"), or after a long w any part ("vlekjes" in "pigmentvlekjes").
func (lx *lexicon) extends(w, rest string) bool {
	if len(w) >= minFreeStem && len(rest) >= minPart {
		return true
	}
	var buf [maxParts]string
	_, ok := lx.splitParts(rest, true, buf[:0])
	return ok
}
