package triage

import (
	"fmt"
	"strings"
)

// set identifies a list of terms, such as the words for trouble
// breathing in four languages.
type set uint8

// maxSets is how many sets the bit field of a match holds.
const maxSets = 128

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
// with it when written with a final '*', or, written "...", a gap of up
// to maxGap words, so that "zie ... dubbel" also matches the inverted
// "zie ik dubbel".
type pattern struct {
	text   string
	prefix bool
	gap    bool
}

// maxGap is the most words a "..." in a term skips.
const maxGap = 3

func (p pattern) match(w string) bool {
	if p.prefix {
		return strings.HasPrefix(w, p.text)
	}
	return w == p.text
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
// word and per prefix length of a word.
type index struct {
	exact     map[string][]term
	prefix    map[string][]term
	maxPrefix int
	next      set
}

var terms = &index{exact: map[string][]term{}, prefix: map[string][]term{}}

// define adds a set of terms, written in folded lower case (see parse):
// "short of breath", "anaphyla*", "n arrive pas a respirer". It panics on
// a malformed term, which is a programming error caught by any test.
func define(list ...string) set {
	id := terms.next
	if int(id) >= maxSets {
		panic("triage: too many term sets")
	}
	terms.next++
	for _, t := range list {
		words := strings.Fields(t)
		if len(words) == 0 {
			panic("triage: empty term")
		}
		pats := make([]pattern, len(words))
		for i, w := range words {
			pats[i] = parsePattern(w)
		}
		first, tm := pats[0], term{rest: pats[1:], set: id}
		if first.gap || pats[len(pats)-1].gap {
			panic(fmt.Sprintf("triage: term %q starts or ends with a gap", t))
		}
		if first.prefix {
			terms.prefix[first.text] = append(terms.prefix[first.text], tm)
			terms.maxPrefix = max(terms.maxPrefix, len(first.text))
		} else {
			terms.exact[first.text] = append(terms.exact[first.text], tm)
		}
	}
	return id
}

func parsePattern(w string) pattern {
	if w == "..." {
		return pattern{gap: true}
	}
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
	for n := minPrefix; n <= min(len(w), x.maxPrefix); n++ {
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
