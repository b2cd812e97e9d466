package triage

import (
	"fmt"
	"slices"
	"strings"
)

// set identifies a list of terms, such as the words for trouble
// breathing in four languages.
type set uint8

// maxSets is how many sets the bit field of a match holds.
const maxSets = 256

// sets is a bit field of sets, the result of matching a message.
type sets [maxSets / 64]uint64

func (s *sets) add(id set)      { s[id/64] |= 1 << (id % 64) }
func (s *sets) has(id set) bool { return s[id/64]&(1<<(id%64)) != 0 }

// any reports whether s holds one of ids.
func (s *sets) any(ids ...set) bool {
	for _, id := range ids {
		if s.has(id) {
			return true
		}
	}
	return false
}

// pattern is one word of a term: the word itself, any word starting
// with it when written with a final '*', any word of a class when
// written "@name" (see classes), any one word when written "_", or,
// written "...", a gap of up to maxGap words, so that "zie ... dubbel"
// also matches the inverted "zie ik dubbel".
type pattern struct {
	text   string
	prefix bool
	gap    bool
	any    bool
	class  *class
}

// maxGap is the most words a "..." in a term skips.
const maxGap = 3

func (p pattern) match(w string) bool {
	switch {
	case p.any:
		return true
	case p.class != nil:
		return p.class.match(w)
	case p.prefix:
		return strings.HasPrefix(w, p.text)
	}
	return w == p.text
}

// class is a list of interchangeable words, such as the words for an
// eye in four languages, that terms refer to by name.
type class struct {
	exact    map[string]bool
	prefixes []string
}

// newClass returns the class of words, written as the words of a term
// (see define) but without gaps or classes.
func newClass(list string) *class {
	c := &class{exact: map[string]bool{}}
	for _, f := range strings.Fields(list) {
		for _, w := range spellings(f) {
			p := parseWord(w)
			if p.prefix {
				c.prefixes = append(c.prefixes, p.text)
			} else {
				c.exact[p.text] = true
			}
		}
	}
	return c
}

func (c *class) match(w string) bool {
	if c.exact[w] {
		return true
	}
	for _, p := range c.prefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// term is a sequence of words, indexed by its first; rest holds the
// others.
type term struct {
	rest []pattern
	set  set
}

// minPrefix is the shortest prefix pattern allowed, so that a pattern
// cannot match most words by accident.
const minPrefix = 3

// index finds the terms of all sets in a message with one lookup per
// word and per prefix length in use.
type index struct {
	exact  map[string][]term
	prefix map[string][]term
	// lens holds the lengths of the prefixes in prefix, in order.
	lens []int
	next set
}

var terms = &index{exact: map[string][]term{}, prefix: map[string][]term{}}

// define adds a set of terms, written in lower case with accents
// folded as parse does: "short of breath", "anaphyla*", "@see ...
// @blurred". A German umlaut may be kept, as in "hört nicht auf": the
// term then also matches "hort" and "hoert", the two ways people type
// it without one. define panics on a malformed term, which is a
// programming error caught by any test.
func define(list ...string) set {
	id := terms.next
	if int(id) >= maxSets {
		panic("triage: too many term sets")
	}
	terms.next++
	for _, t := range list {
		for _, v := range spellings(t) {
			terms.add(id, v)
		}
	}
	return id
}

// add indexes term t of set id.
func (x *index) add(id set, t string) {
	words := strings.Fields(t)
	if len(words) == 0 {
		panic("triage: empty term")
	}
	pats := make([]pattern, len(words))
	for i, w := range words {
		pats[i] = parsePattern(w)
	}
	first, tm := pats[0], term{rest: pats[1:], set: id}
	if first.gap || first.any || pats[len(pats)-1].gap {
		panic(fmt.Sprintf("triage: term %q starts or ends with a gap", t))
	}
	switch {
	case first.class != nil:
		for w := range first.class.exact {
			x.exact[w] = append(x.exact[w], tm)
		}
		for _, p := range first.class.prefixes {
			x.addPrefix(p, tm)
		}
	case first.prefix:
		x.addPrefix(first.text, tm)
	default:
		x.exact[first.text] = append(x.exact[first.text], tm)
	}
}

func (x *index) addPrefix(p string, tm term) {
	x.prefix[p] = append(x.prefix[p], tm)
	if !slices.Contains(x.lens, len(p)) {
		x.lens = append(x.lens, len(p))
		slices.Sort(x.lens)
	}
}

// umlauts maps each German umlaut to its two spellings without one.
var umlauts = []struct{ letter, plain, digraph string }{
	{"ä", "a", "ae"}, {"ö", "o", "oe"}, {"ü", "u", "ue"},
}

// spellings returns the spellings of t: itself, or, when it holds an
// umlaut, one with the plain vowel and one with the vowel followed by e.
func spellings(t string) []string {
	if !strings.ContainsAny(t, "äöü") {
		return []string{t}
	}
	plain, digraph := t, t
	for _, u := range umlauts {
		plain = strings.ReplaceAll(plain, u.letter, u.plain)
		digraph = strings.ReplaceAll(digraph, u.letter, u.digraph)
	}
	return []string{plain, digraph}
}

func parsePattern(w string) pattern {
	switch w {
	case "...":
		return pattern{gap: true}
	case "_":
		return pattern{any: true}
	}
	if name, ok := strings.CutPrefix(w, "@"); ok {
		c, ok := classes[name]
		if !ok {
			panic(fmt.Sprintf("triage: unknown class %q", w))
		}
		return pattern{class: c}
	}
	return parseWord(w)
}

// parseWord parses a word or a prefix of a term.
func parseWord(w string) pattern {
	p := pattern{text: strings.TrimSuffix(w, "*")}
	p.prefix = p.text != w
	for i := 0; i < len(p.text); i++ {
		c := p.text[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			panic(fmt.Sprintf("triage: term word %q is not folded lower case", w))
		}
	}
	if p.prefix && len(p.text) < minPrefix {
		panic(fmt.Sprintf("triage: prefix %q is too short", w))
	}
	return p
}

// match returns the sets with a term in m.
func (x *index) match(m *message) sets {
	var found sets
	for k := range m.words {
		x.matchAt(m.words, k, &found)
	}
	return found
}

// matchAt adds to found the sets with a term starting at words[k].
func (x *index) matchAt(words []string, k int, found *sets) {
	w := words[k]
	x.try(x.exact[w], words[k+1:], found)
	for _, n := range x.lens {
		if n > len(w) {
			break
		}
		if ts, ok := x.prefix[w[:n]]; ok {
			x.try(ts, words[k+1:], found)
		}
	}
}

// try adds the sets of the terms whose remaining words follow.
func (x *index) try(ts []term, next []string, found *sets) {
	for _, t := range ts {
		if !found.has(t.set) && follows(t.rest, next) {
			found.add(t.set)
		}
	}
}

// follows reports whether words start with the patterns pats.
func follows(pats []pattern, words []string) bool {
	for i, p := range pats {
		if p.gap {
			for skip := 0; skip <= maxGap && skip <= len(words); skip++ {
				if follows(pats[i+1:], words[skip:]) {
					return true
				}
			}
			return false
		}
		if len(words) == 0 || !p.match(words[0]) {
			return false
		}
		words = words[1:]
	}
	return true
}
