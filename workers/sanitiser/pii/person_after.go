package pii

// This file holds the evidence for a name that comes after it or around
// it rather than in a cue phrase before it: a relation that follows ("Iris
// is my daughter"), a name in lower case signing off at the very end
// ("… - sam"), a surname that is also a word after a cue ("Herzliche
// Grüße, Ursula Lang"), and the verbs after which a name that is also a
// language is the language ("ik spreek Frans").

// maxKinWords bounds the words between a possessive and its relation:
// "my little sister", "ma belle-mère", "my 16-year-old daughter".
const maxKinWords = 4

// relationAfter reports whether a relation follows group g: a copula, a
// possessive, then a relation word, as in "Iris is my daughter", "Lotte
// is mijn dochter", "Chloé est ma fille" or "Hope ist meine Tochter".
// A known name may also be set apart by a comma or followed by "c'est":
// "Iris, my daughter, …", "Rose, c'est ma mère"; an unknown word there
// is more often an adverb ("Sinon, ma mère…", "Sinon c'est ma mère").
func (p *personPass) relationAfter(g *nameGroup) bool {
	k := g.end
	if k >= len(p.toks) {
		return false
	}
	t := &p.toks[k]
	const apposition = gapComma | gapOpen | gapDash
	switch {
	case t.bits&lexCopula != 0 && t.gap == gapSpace:
		k++
	case g.known && p.cestAt(k):
		k += 2 // "Iris c'est ma fille", not "Sinon c'est ma mère"
	case !g.known || t.gap&apposition == 0 ||
		t.gap&^(apposition|gapSpace) != 0:
		return false
	}
	k = p.possessiveEnd(k)
	if k == 0 {
		return false
	}
	r := p.relationFrom(k)
	if r == 0 {
		return false
	}
	if n := p.genitiveEnd(r + 1); n > 0 {
		// "Iris is my daughter's friend", but "Parking is my
		// husband's job": a known name, and a person owned
		return g.known && p.relationFrom(p.skipBest(n)) > 0
	}
	return true
}

// skipBest returns the token after "best" at token k ("my daughter's
// best friend"), or k. It is no adjective of relations elsewhere:
// "Retinol is my best friend" names no one.
func (p *personPass) skipBest(k int) int {
	if k+1 < len(p.toks) && p.toks[k].gap == gapSpace &&
		(p.wordIs(k, "best") || p.wordIs(k, "beste")) {
		return k + 1
	}
	return k
}

// genitiveEnd returns the token after a genitive at token k, which makes
// the relation before it own something: "my husband's job", "mijn man
// zijn ding", "mijn dochter haar vriendin", "m'n zus d'r collega"; or 0
// when there is none.
func (p *personPass) genitiveEnd(k int) int {
	if k >= len(p.toks) {
		return 0
	}
	switch p.toks[k].gap {
	case gapApos:
		if p.wordIs(k, "s") {
			return k + 1
		}
	case gapSpace:
		if p.wordIs(k, "zijn") || p.wordIs(k, "haar") {
			return k + 1
		}
		if p.wordIs(k, "z") || p.wordIs(k, "d") {
			// "z'n", "d'r": the rest glued by an apostrophe
			if k+1 < len(p.toks) && p.toks[k+1].gap == gapApos {
				return k + 2
			}
			return k + 1
		}
	}
	return 0
}

// cestAt reports whether French "c'est" is at token k, after a space or
// a comma.
func (p *personPass) cestAt(k int) bool {
	return k+1 < len(p.toks) && p.toks[k].gap&^(gapSpace|gapComma) == 0 &&
		p.wordIs(k, "c") && p.toks[k+1].gap == gapApos && p.wordIs(k+1, "est")
}

// possessiveEnd returns the token after a possessive at token k ("my",
// "mijn", "m'n", "ma", "meine"), or 0 when there is none.
func (p *personPass) possessiveEnd(k int) int {
	if k >= len(p.toks) || !p.toks[k].word() {
		return 0
	}
	if p.toks[k].bits&lexPossess != 0 {
		return k + 1
	}
	// Dutch "m'n": "m", an apostrophe, "n"
	if k+1 < len(p.toks) && p.wordIs(k, "m") && p.toks[k+1].gap == gapApos &&
		p.wordIs(k+1, "n") {
		return k + 2
	}
	return 0
}

// relationFrom returns the token of a relation word at token k, after a
// space, or a few words later past adjectives, numbers and the first
// parts of hyphenated words ("my little sister", "ma belle-mère"), or
// 0 when there is none.
func (p *personPass) relationFrom(k int) int {
	for x := k; x < len(p.toks) && x < k+maxKinWords; x++ {
		t := &p.toks[x]
		if x == k && t.gap != gapSpace ||
			x > k && t.gap != gapSpace && t.gap != gapHyphen {
			return 0
		}
		if t.bits&lexRelation != 0 && t.shape != shUpper {
			return x
		}
		hyphened := x+1 < len(p.toks) && p.toks[x+1].gap == gapHyphen
		if t.bits&lexKinAdj == 0 && t.shape != shNumber && !hyphened {
			return 0
		}
	}
	return 0
}

// relationBefore reports whether a possessive, a relation and a copula
// end just before token i, a known name: "my daughter is Iris", "mijn
// zus is Noor". An unknown word there is more often an adjective: "my
// husband is Diabetic".
func (p *personPass) relationBefore(i int) bool {
	if i < 3 || p.toks[i].gap != gapSpace || p.toks[i].bits&lexName == 0 {
		return false
	}
	cop, rel := &p.toks[i-1], &p.toks[i-2]
	if cop.bits&lexCopula == 0 || cop.gap != gapSpace ||
		rel.bits&lexRelation == 0 {
		return false
	}
	for k := i - 3; k >= 0 && k >= i-2-maxKinWords; k-- {
		if end := p.possessiveEnd(k); end > 0 {
			return p.relationFrom(end) > 0
		}
	}
	return false
}

// wordIs reports whether token k is the ASCII word w, in any case.
func (p *personPass) wordIs(k int, w string) bool {
	t := &p.toks[k]
	if int(t.end-t.start) != len(w) {
		return false
	}
	for x := 0; x < len(w); x++ {
		if p.text[int(t.start)+x]|0x20 != w[x] {
			return false
		}
	}
	return true
}

// lowerSignature reports whether g, in lower case, is a given name that
// signs the message off at its very end, after a dash or alone on its
// line: "ok thanks, see u thursday then - sam", "merci!\njulie". Only
// given names that are no ordinary word count.
func (p *personPass) lowerSignature(g *nameGroup) bool {
	if !g.given || g.end < len(p.toks) {
		return false
	}
	return p.toks[g.first].gap&(gapDash|gapNewline|gapStart) != 0
}

// keptName reports whether the word at token j, which a keep-list holds
// but the name lists know too ("Lieve", "Ben", "Lang"), is a word of the
// name g after a cue of kind ctx: first, when a surname follows ("Kind
// regards, Lieve Goossens"), when it ends a sign-off ("Groetjes,
// Lieve"), or after a title, a label or "my name is" ("Herr Lang",
// "Geburtsname: Lang"); later, as the last word of a
// sign-off or of a cue phrase after a given name ("Herzliche Grüße,
// Ursula Lang").
func (p *personPass) keptName(g *nameGroup, j, end int, bits lexBits,
	ctx cueKind) bool {
	const place = lexTitle | lexStreet | lexCompany
	if ctx == cueNone || end != j+1 || p.toks[j].shape != shCap ||
		bits&lexName == 0 || bits&place != 0 {
		return false
	}
	if g.units == 0 {
		return ctx >= cueLabel || p.surnameAt(end, false) ||
			ctx == cueSignoff && p.lineEndsAt(end) || // "Groetjes, Lieve"
			ctx == cueThanks && p.thankedName(bits, end)
	}
	return g.givenAny && ctx != cueGreeting && p.boundaryAfter(end)
}

// thankedName reports whether a kept word with the bits given, ending
// before token end, is the name of the one thanked: a given name that
// is no place, day or month, at the end of the text or its line:
// "Bedankt, Ben", "Thanks, Will", but not "Merci, Paris!" nor "Thanks,
// April" (a month first), nor "Bedankt, Anders bel ik morgen".
func (p *personPass) thankedName(bits lexBits, end int) bool {
	return bits&lexGiven != 0 && bits&lexPlace == 0 && p.lineEndsAt(end)
}

// surnameAt reports whether a surname that is no ordinary word, or a
// particle before a known surname, is at token k after a space, with a
// capital or, if lower, in lower case: "Goossens", "De Smet", "de smet",
// but not "La Défense".
func (p *personPass) surnameAt(k int, lower bool) bool {
	if k >= len(p.toks) || p.toks[k].gap != gapSpace ||
		lower != (p.toks[k].shape == shLower) || !p.toks[k].word() {
		return false
	}
	b := p.toks[k].bits
	if b&lexParticle != 0 {
		j := k + 1
		for j < len(p.toks) && j < k+3 && p.toks[j].bits&lexParticle != 0 {
			j++
		}
		return j < len(p.toks) && p.toks[j].gap == gapSpace &&
			p.toks[j].bits&(lexCore|lexSurname) != 0
	}
	return b&lexSurname != 0 && b&(lexWord|lexKeep) == 0
}

// aloneEvidence reports whether g, alone at the end of the text or on a
// line, says enough to be a name. A name that is also a word ("Winter",
// "Summer", "Rose") needs a comma, a dash or a line break before it and
// no question mark after it: "Merci, Rose" but not "Laser? Winter?".
// German capitalises its nouns, so there such a word never suffices.
func (p *personPass) aloneEvidence(g *nameGroup) bool {
	if g.given || g.surname {
		return true
	}
	if p.german || p.toks[g.first].gap&(gapComma|gapDash|gapNewline) == 0 {
		return false
	}
	return !p.questionAfter(g.end)
}

// questionAfter reports whether a question mark comes after the token
// before k and before the next token.
func (p *personPass) questionAfter(k int) bool {
	from, to := int(p.toks[k-1].end), len(p.text)
	if k < len(p.toks) {
		to = int(p.toks[k].start)
	}
	for x := from; x < to; x++ {
		if p.text[x] == '?' {
			return true
		}
	}
	return false
}

// maxSpeakGap bounds the words between a verb of speaking and the
// language it names: "ik spreek Nederlands en een beetje Frans".
const maxSpeakGap = 5

// nameWiths are prepositions after which a name is a person spoken to,
// even after a verb of speaking: "ik spreek morgen met Frans".
var nameWiths = []string{"met", "with", "avec", "mit", "tegen", "to", "naar"}

// nearSpeak reports whether a verb of speaking comes shortly before
// token k, with only words in lower case, kept words or "and" between,
// or right after it: a name that is also a language ("Frans") is the
// language there, as in "ik spreek Frans", "Spreekt u ook Engels of
// Frans?", "Kan ik Frans spreken?", but not in "ik spreek met Frans".
func (p *personPass) nearSpeak(k int) bool {
	if k+1 < len(p.toks) && p.toks[k+1].gap == gapSpace &&
		p.toks[k+1].bits&lexSpeak != 0 {
		return true
	}
	if k > 0 {
		for _, w := range nameWiths {
			if p.wordIs(k-1, w) {
				return false
			}
		}
	}
	for b := k - 1; b >= 0 && b >= k-1-maxSpeakGap; b-- {
		if p.toks[b+1].gap&^(gapSpace|gapComma) != 0 {
			return false
		}
		t := &p.toks[b]
		if t.bits&lexSpeak != 0 {
			return true
		}
		if !t.word() || t.bits&lexName != 0 && t.bits&lexWord == 0 {
			return false // "ik spreek Sofie en Frans"
		}
	}
	return false
}

// afterWordAnd reports whether token k follows "and" or "or" after a
// capitalised word that is no name: in "Winter or Summer" or "Frans of
// Engels" both are the words, but in "Noor en Roos", where "Noor" was
// taken for a name, both are names.
func (p *personPass) afterWordAnd(k int) bool {
	if k < 2 || p.toks[k-1].bits&lexAnd == 0 || p.toks[k-1].gap != gapSpace ||
		p.named == k-1 {
		return false
	}
	t := &p.toks[k-2]
	return t.capital() &&
		(t.bits&lexName == 0 || t.bits&(lexWord|lexKeep) != 0)
}
