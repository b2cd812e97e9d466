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
)

// sig is the meaning of a term: what it points at and how strongly.
type sig struct {
	kind   sigKind
	id     int
	weight int
}

// entry is one term: one or more normalised words in a row.
type entry struct {
	words []string
	// stem[i] is set when a visitor's word may extend words[i].
	stem []bool
	sig  sig
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
type hit struct {
	pos, span int
	sig       sig
}

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
		preferExact: preferExact,
	}
}

// add records term with meaning s. A trailing "*" lets visitors extend
// the last word; autoStem lets them extend every word of four letters or
// more, which suits clinic keywords ("peel" in "peeling").
func (lx *lexicon) add(term string, s sig, autoStem bool) {
	star := strings.HasSuffix(term, "*")
	words := tokenize(strings.TrimSuffix(term, "*"))
	if len(words) == 0 {
		return
	}
	stem := make([]bool, len(words))
	for i, w := range words {
		stem[i] = autoStem && len(w) >= 4
	}
	if star && len(words[len(words)-1]) >= minStem {
		stem[len(words)-1] = true
	}
	lx.addWords(words, stem, s)
}

func (lx *lexicon) addWords(words []string, stem []bool, s sig) {
	key := termKey{strings.Join(words, " "), s}
	if lx.seen[key] {
		return
	}
	lx.seen[key] = true
	n := int32(len(lx.entries))
	lx.entries = append(lx.entries, entry{words: words, stem: stem, sig: s})
	first := words[0]
	lx.exact[first] = append(lx.exact[first], n)
	if stem[0] {
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

// finish drops build-only state; the lexicon is read-only afterwards.
func (lx *lexicon) finish() *lexicon {
	lx.seen = nil
	return lx
}

// scan appends to hits the terms found in toks, left to right. At each
// place the longest term wins; several terms of that length are all
// reported. fuzzy[i] allows toks[i] to match with one typo, tried only
// when nothing matches it exactly or by stem.
func (lx *lexicon) scan(toks []string, fuzzy []bool, hits []hit) []hit {
	var buf [32]int32
	for i := 0; i < len(toks); {
		cands := lx.candidates(toks[i], buf[:0])
		span, quality := lx.best(cands, toks, i, fuzzy)
		if span == 0 && fuzzy[i] {
			cands = lx.fuzzyCandidates(toks[i], cands[:0])
			span, quality = lx.best(cands, toks, i, fuzzy)
		}
		if span == 0 {
			i++
			continue
		}
		for _, e := range cands {
			n, q := lx.entries[e].matchAt(toks, i, fuzzy)
			if n == span && (q == quality || !lx.preferExact) {
				hits = appendHit(hits, hit{pos: i, span: span,
					sig: lx.entries[e].sig})
			}
		}
		i += span
	}
	return hits
}

// best returns the longest match among cands at toks[i], and its quality.
func (lx *lexicon) best(cands []int32, toks []string, i int,
	fuzzy []bool,
) (span, quality int) {
	for _, e := range cands {
		n, q := lx.entries[e].matchAt(toks, i, fuzzy)
		if n > span || n == span && q > quality {
			span, quality = n, q
		}
	}
	return span, quality
}

// appendHit appends h unless the same meaning was already found at the
// same place.
func appendHit(hits []hit, h hit) []hit {
	for j := len(hits) - 1; j >= 0 && hits[j].pos == h.pos; j-- {
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

// matchAt reports how many tokens from toks[i] the entry covers (0 if it
// does not match there) and how exactly: 2 per word equal, 1 per word
// extended, 0 per word with a typo.
func (e *entry) matchAt(toks []string, i int, fuzzy []bool) (span, quality int) {
	if i+len(e.words) > len(toks) {
		return 0, 0
	}
	for k, w := range e.words {
		q := wordMatch(toks[i+k], w, e.stem[k], fuzzy[i+k])
		if q < 0 {
			return 0, 0
		}
		quality += q
	}
	return len(e.words), quality
}

// wordMatch compares a visitor's word with a term's word: 2 if equal, 1
// if tok extends a stem, 0 if one typo away, -1 if different.
func wordMatch(tok, w string, stem, fuzzy bool) int {
	switch {
	case tok == w:
		return 2
	case stem && len(tok) > len(w) && strings.HasPrefix(tok, w):
		return 1
	case fuzzy && len(w) >= minFuzzy && tok[0] == w[0] && withinOne(tok, w):
		return 0
	}
	return -1
}
