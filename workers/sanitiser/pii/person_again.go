package pii

import "slices"

// again appends the other occurrences of names outside the spans
// dst[from:], which are in order: words of the names found in this text
// ("Mijn vriendin Noor… Noor wil botox") and words of the names found
// earlier in the request, which Input.seenWord knows by their hashes
// ("ik ben Sofie" in the history, "Sofie hier" in the message). A word
// or two next to each other are taken as one name. The words of a name
// are those of its key, as Placeholders splits them, so that a second
// pass over the redacted text finds nothing the first did not. The
// walks go through the tokens and the spans once; only the words that
// could be names are looked up.
//
// A word of a longer name met alone gets a number of its own ("Sofie
// Peeters", then "Peeters" or "Sofie"), by design. A placeholder tells
// the model who is meant, and the detector sees a word, not whom the
// writer means by it: visitors book for the relatives who share their
// surname ("Ik ben Sofie Peeters, mijn dochter Lotte…", then "staat het
// op naam van Peeters?"), and a daughter's surname is often not
// written, so even a word that only one name found so far holds may
// mean another person. Giving it that name's placeholder would then
// merge mother and daughter, and the model would book one's treatment
// for the other; two numbers for one person only leave it asking who
// [PERSON_2] is. It would also need the Placeholders to keep which name
// each word came from. The cost is that "Peeters" after "Sofie Peeters"
// reads as someone new.
func (p *personPass) again(dst []Span, from int) []Span {
	r := repeater{p: p, seen: p.in != nil && p.in.seenAny(Person)}
	for _, sp := range dst[from:] {
		r.words.addKey(sp.Key)
	}
	if r.words.empty() && !r.seen {
		return dst
	}
	w := spanWalker{spans: dst[from:]}
	for k := 0; k < len(p.toks); k++ {
		if w.inside(int(p.toks[k].start)) {
			continue
		}
		end := r.unitAt(k)
		if end == 0 {
			continue
		}
		if end < len(p.toks) && p.toks[end].gap == gapSpace &&
			!w.inside(int(p.toks[end].start)) {
			if next := r.unitAt(end); next > 0 {
				end = next // "Sofie Peeters"
			}
		}
		if !p.isolatedRange(k, end) || p.blocked(k, end) || p.inBrand(k) {
			continue
		}
		dst = append(dst, p.span(&nameGroup{first: k, end: end}, ReasonNameRepeat))
		k = end - 1
	}
	return dst
}

// smallNameWords is how many word hashes a nameWordSet holds before it needs
// a map.
const smallNameWords = 32

// nameWordSet holds the hashes of the words of the names of one text: in an
// array while they are few, as they nearly always are, then in a map, so
// that a lookup costs the same however many names a long text holds.
type nameWordSet struct {
	small [smallNameWords]uint64
	n     int
	big   map[uint64]struct{}
}

// addKey adds the words of a name's key, split at spaces, hashing them
// as nameFNV does in one pass over the key.
func (s *nameWordSet) addKey(key string) {
	h, n := uint64(nameFNVOffset), 0
	for i := 0; i <= len(key); i++ {
		if i < len(key) && key[i] != ' ' {
			h = (h ^ uint64(key[i])) * nameFNVPrime
			n++
			continue
		}
		if n > 0 {
			s.add(h)
		}
		h, n = nameFNVOffset, 0
	}
}

func (s *nameWordSet) add(h uint64) {
	if s.has(h) {
		return
	}
	if s.big == nil && s.n < len(s.small) {
		s.small[s.n] = h
		s.n++
		return
	}
	if s.big == nil {
		s.big = make(map[uint64]struct{}, 2*len(s.small))
		for _, x := range s.small[:s.n] {
			s.big[x] = struct{}{}
		}
	}
	s.big[h] = struct{}{}
}

func (s *nameWordSet) has(h uint64) bool {
	if s.big != nil {
		_, ok := s.big[h]
		return ok
	}
	return slices.Contains(s.small[:s.n], h)
}

func (s *nameWordSet) empty() bool { return s.n == 0 && s.big == nil }

// repeater finds words of names known already.
type repeater struct {
	p     *personPass
	words nameWordSet // the words of the names of this text
	seen  bool        // names were found earlier in the request
}

// unitAt returns the end of the word at token k, with the parts glued to
// it, if it is a word of a known name, else 0.
func (r *repeater) unitAt(k int) int {
	p := r.p
	if !p.repeatable(k) || !p.canStart(k) {
		return 0
	}
	if p.toks[k].bits&lexWord != 0 && p.nearSpeak(k) {
		return 0 // "ik spreek Frans"
	}
	end, f := p.foldUnit(k)
	if f.over || f.n < 2 {
		return 0
	}
	if r.words.has(f.h) || r.seen && p.in.seenWord(Person, f.folded()) {
		return end
	}
	return 0
}

// repeatable reports whether a name met again may start at token k: a
// word that is no particle, title or kept word, with a capital, or in
// lower case when it is a name that is no word ("sofie" but not "rose").
func (p *personPass) repeatable(k int) bool {
	t := &p.toks[k]
	if !t.word() || t.bits&(lexKeep|lexParticle|lexTitle) != 0 ||
		k > 0 && t.gap&(gapHyphen|gapApos) != 0 {
		return false
	}
	return t.capital() ||
		t.bits&lexName != 0 && t.bits&lexWord == 0
}

// foldUnit returns the end of the word at token k with the parts glued
// to it ("Anne-Sophie", "D'Hondt") and the word folded as keys hold it.
func (p *personPass) foldUnit(k int) (int, nameFolder) {
	end, _ := p.unit(k)
	f := newFolder()
	for j := k; j < end; j++ {
		t := &p.toks[j]
		f.word(p.text[t.start:t.end])
	}
	return end, f
}

// isolatedRange reports whether tokens [k, end) stand apart from
// capitalised words and placeholders: they are no part of a longer run
// that was refused as a whole, and a second pass sees the same
// neighbours.
func (p *personPass) isolatedRange(k, end int) bool {
	near := func(j int) bool {
		return p.toks[j].capital() || p.toks[j].shape == shPlaceholder
	}
	if k > 0 && p.toks[k].gap == gapSpace && near(k-1) {
		return false
	}
	return end >= len(p.toks) || p.toks[end].gap != gapSpace || !near(end)
}
