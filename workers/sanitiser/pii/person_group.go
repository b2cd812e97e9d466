package pii

import "strings"

// nameGroup is a run of tokens that may be one name: given names,
// surnames, particles and initials.
type nameGroup struct {
	first, end int // tokens [first, end)
	units      int // words of the name, particles not counted
	lower      bool
	initial    bool // starts with an initial: "J. de Graaf"
	given      bool // has a given name that is no ordinary word
	givenAny   bool // has a given name
	surname    bool // has a surname that is no ordinary word
	known      bool // has a word of the name lists
}

// context returns the strongest cue before token i.
func (p *personPass) context(i int) cueKind {
	if i == 0 {
		return cueNone
	}
	gap, prev := p.toks[i].gap, &p.toks[i-1]
	if prev.bits&lexTitle != 0 && (gap == gapSpace || gap == gapStop|gapSpace) {
		return cueTitle
	}
	kind := p.phraseEnding(i-1, gap)
	if kind < cueLabel && gap == gapSpace && p.neeAt(i-1) {
		return cueLabel // "Marie Martin, née Dubois"
	}
	if kind < cueSelf && p.relationBefore(i) {
		return cueSelf // "my daughter is Iris"
	}
	if kind == cueNone && prev.bits&lexLinker != 0 && gap == gapSpace &&
		prev.gap == gapSpace {
		// "de mama van Nour", "le mari de Brigitte", "groetjes van Bieke"
		if k := p.phraseEnding(i-2, gapSpace); k == cueRelation || k == cueSignoff {
			kind = k
		}
	}
	return kind
}

// neeAt reports whether token k is French "née", written with its
// accent: a maiden name follows. Without the accent it is Dutch "nee",
// no: "Nee, Sofie kan niet".
func (p *personPass) neeAt(k int) bool {
	t := &p.toks[k]
	w := p.text[t.start:t.end]
	return len(w) == len("née") && w[0]|0x20 == 'n' &&
		(w[1:] == "ée" || w[1:] == "ÉE")
}

// underAt reports whether token k is "under", "onder", "sous" or
// "unter" before a name, as in "the booking is under Dubois".
func (p *personPass) underAt(k int) bool {
	return k >= 0 && p.toks[k+1].gap == gapSpace &&
		(p.wordIs(k, "under") || p.wordIs(k, "onder") ||
			p.wordIs(k, "sous") || p.wordIs(k, "unter"))
}

// phraseEnding returns the strongest cue phrase that ends at token j and
// may be followed by gap.
func (p *personPass) phraseEnding(j int, gap gapBits) cueKind {
	if j < 0 || p.toks[j].entry < 0 {
		return cueNone
	}
	e := &p.lx.entries[p.toks[j].entry]
	best := cueNone
	for _, ph := range cuePhrases[e.phr : e.phr+e.nphr] {
		if ph.kind <= best || !cueGapAllowed(ph.kind, gap) || !p.matches(j, ph) {
			continue
		}
		if ph.kind == cueGreeting && !p.sentenceStart(j-len(ph.words)+1) {
			continue
		}
		best = ph.kind
	}
	if best == cueGreeting && gap&gapComma != 0 {
		return cueThanks // "Hallo, Sofie": a known name, or one at the end
	}
	return best
}

// cueGapAllowed reports whether a cue of the kind may be separated from
// the name by gap.
func cueGapAllowed(kind cueKind, gap gapBits) bool {
	var ok gapBits
	switch kind {
	case cueName:
		ok = gapSpace | gapColon | gapDash | gapOpen | gapNewline | gapStop
	case cueLabel:
		// "my maiden name, Dubois, …": after a comma acceptCue wants a
		// capital
		ok = gapSpace | gapColon | gapDash | gapOpen | gapNewline | gapStop |
			gapComma
	case cueSelf:
		return gap == gapSpace
	case cueRelation:
		ok = gapSpace | gapComma | gapColon | gapOpen
	case cueGreeting:
		ok = gapSpace | gapComma
	case cueSignoff, cueThanks:
		return gap&(gapGlue|gapHyphen|gapApos) == 0
	}
	return gap != 0 && gap&^ok == 0
}

// matches reports whether phrase ph ends at token j.
func (p *personPass) matches(j int, ph cuePhrase) bool {
	s := j - len(ph.words) + 1
	if s < 0 {
		return false
	}
	for x, h := range ph.words {
		t := &p.toks[s+x]
		if t.hash != h || x > 0 && t.gap&gapNewline != 0 {
			return false
		}
	}
	return true
}

// sentenceStart reports whether token k starts a sentence or a line.
func (p *personPass) sentenceStart(k int) bool {
	const starts = gapStart | gapNewline | gapStop | gapOther | gapDash
	return k == 0 || p.toks[k].gap&starts != 0
}

// group returns the name that starts at token i, or a group of no units.
func (p *personPass) group(i int, ctx cueKind) nameGroup {
	g := nameGroup{first: i, lower: p.toks[i].shape == shLower}
	k := i
	if p.initialAt(i) {
		g.initial, k = true, i+1
	}
	for g.units < maxNameUnits && k < len(p.toks) {
		if k > i && !p.joined(k, g.initial && k == i+1) {
			break
		}
		next, ok := p.nextUnit(&g, k, ctx)
		if !ok {
			break
		}
		k = next
	}
	g.end = k
	if g.units == 0 || p.blocked(i, k) {
		return nameGroup{}
	}
	return g
}

// joined reports whether token k continues a name: only spaces before
// it, or a full stop and a space after an initial.
func (p *personPass) joined(k int, afterInitial bool) bool {
	gap := p.toks[k].gap
	return gap == gapSpace || afterInitial && gap == gapStop|gapSpace
}

// nextUnit adds to g the particles and the word at token k, and returns
// the token after them.
func (p *personPass) nextUnit(g *nameGroup, k int, ctx cueKind) (int, bool) {
	j := k
	for j < len(p.toks) && j-k < 3 && p.toks[j].bits&lexParticle != 0 &&
		(j == k || p.toks[j].gap == gapSpace) {
		j++
	}
	if j > k && j < len(p.toks) && p.toks[j].gap == gapSpace {
		if end, ok := p.addUnit(g, j, true, ctx); ok {
			return end, true
		}
	}
	return p.addUnit(g, k, false, ctx)
}

// addUnit adds the word at token j (with the parts glued to it) to g if
// it may be part of a name there.
func (p *personPass) addUnit(g *nameGroup, j int, afterParticle bool,
	ctx cueKind) (int, bool) {
	t := &p.toks[j]
	if !t.word() {
		return j, false
	}
	end, bits := p.unit(j)
	core := afterParticle && bits&(lexCore|lexSurname) != 0
	known := bits&lexName != 0 || core
	if bits&lexTitle != 0 {
		return j, false
	}
	if bits&lexKeep != 0 && !core {
		if !p.keptName(g, j, end, bits, ctx) {
			return j, false
		}
		bits |= lexWord // a name only here: "Lieve", "Lang"
	}
	first := g.units == 0
	if !p.nameLike(g, j, bits, known, first, ctx) {
		return j, false
	}
	if afterParticle && !core && (known || ctx < cueSignoff && !p.givenThenParticle(g, j)) {
		// "op naam van Dirk": a given name after "van" is no surname;
		// "Sofie van Zwijndrecht" is not sure enough without a cue.
		return j, false
	}
	if !first && !known && p.german && !p.boundaryAfter(end) {
		return j, false // "Hat Anna Zeit?": a German noun
	}
	g.units++
	g.known = g.known || known
	word := bits&lexWord != 0
	g.givenAny = g.givenAny || bits&lexGiven != 0
	g.given = g.given || bits&lexGiven != 0 && !word
	g.surname = g.surname || core || bits&lexSurname != 0 && !word
	return end, true
}

// givenThenParticle reports whether the word at token j, after
// particles, follows a given name that g holds alone, and is written
// with a capital: "Katharina von Bergen", "Marc De Coster". Were it a
// place ("Sofie van Zwijndrecht", Sofie from Zwijndrecht), it would
// still say who the visitor is.
func (p *personPass) givenThenParticle(g *nameGroup, j int) bool {
	t := &p.toks[j]
	return g.units == 1 && g.given && t.shape == shCap
}

// nameLike reports whether token t, with the lexicon bits of its unit,
// may be a word of a name in g after a cue of kind ctx.
func (p *personPass) nameLike(g *nameGroup, j int, bits lexBits,
	known, first bool, ctx cueKind) bool {
	t := &p.toks[j]
	if t.capital() {
		// An unknown word in capitals is an acronym unless a cue says so.
		return t.shape != shUpper || known || ctx >= cueSignoff
	}
	if !first {
		// "ik heet sofie peeters"; a surname that is also a word only
		// right after a naming cue: "ich heiße marie schäfer".
		return g.lower && known && (bits&lexWord == 0 || ctx == cueName)
	}
	switch {
	case ctx == cueName:
		return known || t.end-t.start >= 3
	case bits&lexWord != 0:
		// "ik ben roos", "i'm will", but "groetjes, mark de smet"
		return ctx >= cueSignoff && p.surnameAt(j+1, true)
	}
	return known
}

// unit returns the end of the word at token j with the tokens glued to
// it by hyphens and apostrophes ("Anne-Sophie", "D'Hondt"), and its bits.
func (p *personPass) unit(j int) (int, lexBits) {
	end := j + 1
	for end < len(p.toks) && end-j < 4 && p.toks[end].word() {
		n := &p.toks[end]
		if n.gap != gapHyphen && !(n.gap == gapApos && n.capital()) {
			break
		}
		end++
	}
	if end == j+1 {
		return end, p.toks[j].bits
	}
	return end, p.gluedBits(j, end)
}

// gluedBits returns the bits of the glued tokens [j, end): those of the
// whole when the lexicon knows it ("D'Hondt"), else those all parts
// share ("Anne-Sophie"), and keep if any part is kept ("Sint-Jan").
func (p *personPass) gluedBits(j, end int) lexBits {
	f := newFolder()
	all, any := ^lexBits(0), lexBits(0)
	for k := j; k < end; k++ {
		t := &p.toks[k]
		f.word(p.text[t.start:t.end])
		all &= t.bits
		any |= t.bits
	}
	if !f.over {
		if e := p.lx.find(f.folded(), f.h); e >= 0 {
			return p.lx.entries[e].bits
		}
	}
	if any&lexKeep != 0 {
		return lexKeep
	}
	return all & (lexName | lexCore | lexWord)
}

// boundaryAfter reports whether the token before k ends a phrase: k is
// the end of the text or follows punctuation.
func (p *personPass) boundaryAfter(k int) bool {
	return k >= len(p.toks) || p.toks[k].gap&gapBoundary != 0
}

// blocked reports whether tokens [i, end) name a place or a firm rather
// than a person: "rue de la Loi", "Avenue Louise", "Lange Nieuwstraat",
// "AZ Sint-Jan", "Orbit Analytics BV".
func (p *personPass) blocked(i, end int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := &p.toks[k]
		if p.toks[k+1].gap != gapSpace {
			break
		}
		if t.bits&lexStreet != 0 && p.loose(k) {
			return true
		}
		if t.bits&lexParticle == 0 {
			break
		}
	}
	if end < len(p.toks) && p.toks[end].gap == gapSpace &&
		(p.toks[end].bits&(lexStreet|lexCompany) != 0 && p.loose(end) ||
			p.isAddress(end)) {
		return true
	}
	if i > 0 && p.toks[i].gap == gapSpace && p.isAddress(i-1) {
		return true
	}
	// the name itself or the capitalised words after it name a street:
	// "Kerkstraat", "Jan Van Rijswijcklaan", "Frans Van Cauwelaertlaan"
	for k := i; k < len(p.toks) && k < end+3; k++ {
		t := &p.toks[k]
		if k >= end && t.gap != gapSpace {
			break
		}
		if k >= end && p.isAddress(k) {
			return true
		}
		if k >= end && !t.capital() && t.bits&lexParticle == 0 {
			break
		}
		if endsLikeStreet(p.text[t.start:t.end]) {
			return true
		}
	}
	return false
}

// loose reports whether token k is a word of its own, glued to no other
// token as the parts of an address, a link or a handle are: "AZ" in
// "x@y.AZ" names no hospital, and a second pass, which sees a
// placeholder there, must find what the first found.
func (p *personPass) loose(k int) bool {
	return p.toks[k].gap&gapGlue == 0 &&
		(k+1 >= len(p.toks) || p.toks[k+1].gap&gapGlue == 0)
}

// nameStreetEnds end the names of nameStreets and squares.
var nameStreetEnds = []string{
	"straat", "laan", "lei", "steenweg", "weg", "dreef", "plein", "kaai",
	"baan", "singel", "gracht", "markt", "dijk", "vest", "strasse",
	"straße", "gasse", "platz", "allee", "damm", "ufer",
}

// endsLikeStreet reports whether word is a street name such as
// "Kerkstraat" or "Bondgenotenlaan": a suffix after at least three
// letters.
func endsLikeStreet(word string) bool {
	if len(word) < 7 {
		return false
	}
	for _, s := range nameStreetEnds {
		if len(word) >= len(s)+3 && strings.EqualFold(word[len(word)-len(s):], s) {
			return true
		}
	}
	return false
}

// accept reports whether group g, after a cue of kind ctx, is a name,
// and why.
func (p *personPass) accept(g *nameGroup, ctx cueKind) (Reason, bool) {
	if p.acceptCue(g, ctx) {
		switch ctx {
		case cueTitle:
			return ReasonNameTitle, true
		case cueGreeting, cueSignoff, cueThanks:
			return ReasonNameSignoff, true
		}
		return ReasonNameCue, true
	}
	switch {
	case g.lower:
		if p.lowerSignature(g) {
			return ReasonNameLine, true
		}
		return "", false
	case g.given && (g.units > 1 || !p.afterEnglishArticle(g.first)),
		g.givenAny && g.surname && g.units > 1, g.initial && g.surname:
		return ReasonNameList, true
	case (g.known || !p.german) && p.relationAfter(g):
		return ReasonNameCue, true
	case g.known && p.alone(g) && p.aloneEvidence(g):
		return ReasonNameLine, true
	case p.wordNameInSentence(g):
		return ReasonNameList, true
	case (g.known || !p.german) && p.hereAfter(g):
		return ReasonNameCue, true
	case g.surname && p.underAt(g.first-1):
		// "the booking is under Dubois", not "under Review": a surname
		// that is no ordinary word
		return ReasonNameCue, true
	}
	return "", false
}

// acceptCue reports whether the cue before g makes it a name. The group
// was built knowing the cue, so words in lower case are already known
// names there.
func (p *personPass) acceptCue(g *nameGroup, ctx cueKind) bool {
	atEnd := p.lineEndsAt(g.end)
	switch ctx {
	case cueName, cueTitle:
		return true
	case cueLabel:
		// after a comma, only a known name: "my maiden name, Dubois"
		// but not "Welke naam, Adres en telefoon"; and no article with
		// a noun: "Name des Produkts"
		if g.lower && !g.known {
			return false
		}
		return p.toks[g.first].gap&gapComma == 0 || !g.lower && g.known
	case cueSelf, cueRelation:
		return g.given || !g.lower && (g.known || !p.german)
	case cueSignoff:
		return g.given || g.surname || !g.lower && (g.known || !p.german || atEnd)
	case cueThanks:
		return (g.known || !g.lower) && atEnd || g.known && !g.lower
	case cueGreeting:
		return g.given || !g.lower && (g.known ||
			!p.german && (g.units > 1 || p.boundaryAfter(g.end)))
	}
	return false
}

// lineEndsAt reports whether the text or its line ends before token k.
func (p *personPass) lineEndsAt(k int) bool {
	return k >= len(p.toks) || p.toks[k].gap&gapNewline != 0
}

// alone reports whether g is all of the last segment of the text
// ("…, Greet", "… 081 22 33 44. Nathalie Renard") or all of a line.
func (p *personPass) alone(g *nameGroup) bool {
	before := p.toks[g.first].gap
	if g.end >= len(p.toks) {
		return before&(gapBoundary|gapStart) != 0
	}
	return before&(gapNewline|gapStart) != 0 && p.toks[g.end].gap&gapNewline != 0
}

// hereAfter reports whether "here", "hier" or "ici" follows g at the
// start of a sentence: "Ruth here.", "Julie ici,".
func (p *personPass) hereAfter(g *nameGroup) bool {
	k := g.end
	if k >= len(p.toks) || p.toks[k].bits&lexHere == 0 || p.toks[k].gap != gapSpace {
		return false
	}
	const starts = gapStart | gapNewline | gapStop | gapComma | gapOther
	return p.boundaryAfter(k+1) && (g.first == 0 || p.toks[g.first].gap&starts != 0)
}

// wordNameInSentence reports whether g is a name that is also a word
// ("Claire", "Roos", "Will"), written with a capital inside a sentence
// and not after an article or a preposition of place: "Est-ce que Claire
// peut…" but not "peau claire", "la Marine", "in Florence". German
// capitalises nouns, so there it needs context.
func (p *personPass) wordNameInSentence(g *nameGroup) bool {
	if p.german || g.units != 1 || g.end-g.first != 1 || !g.givenAny {
		return false
	}
	t := &p.toks[g.first]
	if t.shape != shCap || p.sentenceStart(g.first) || t.gap != gapSpace {
		return false
	}
	prev := &p.toks[g.first-1]
	if prev.bits&lexBefore != 0 || prev.value() || prev.capital() ||
		p.nearSpeak(g.first) || p.afterWordAnd(g.first) {
		return false
	}
	// alone between lower-case words: not part of a run of capitals or
	// next to a placeholder, which a first pass may have left
	if g.end < len(p.toks) {
		next := &p.toks[g.end]
		return next.gap != gapSpace || !next.capital() && next.shape != shPlaceholder
	}
	return true
}

// brandLen returns how many tokens a brand named after a person has if
// one starts at token k ("Yves Rocher", "Paula's Choice", "Dr.
// Hauschka"), else 0.
func (p *personPass) brandLen(k int) int {
	if p.toks[k].bits&lexBrand == 0 {
		return 0
	}
	for _, b := range p.lx.brands {
		if k+len(b) > len(p.toks) || p.toks[k].hash != b[0] {
			continue
		}
		ok := true
		for x := 1; x < len(b) && ok; x++ {
			t := &p.toks[k+x]
			ok = t.hash == b[x] && t.gap&^(gapSpace|gapApos|gapStop) == 0
		}
		if ok {
			return len(b)
		}
	}
	return 0
}

// inBrand reports whether token k is part of a brand.
func (p *personPass) inBrand(k int) bool {
	for b := max(0, k-3); b <= k; b++ {
		if p.brandLen(b) > k-b {
			return true
		}
	}
	return false
}

// isAddress reports whether token k is an address placeholder: the words
// next to it were taken as part of an address by a first pass, as
// "Jan Van Rijswijcklaan 5" is, so they stay out of names in a second.
func (p *personPass) isAddress(k int) bool {
	t := &p.toks[k]
	return t.shape == shPlaceholder &&
		strings.HasPrefix(p.text[t.start+1:t.end], string(Address)+"_")
}

// afterEnglishArticle reports whether "the", "a" or "an" comes right
// before token k: "the Louise gallery" names a place. Articles before
// names are common in Flemish and German speech ("de Sofie", "die
// Anna"), so only English ones count.
func (p *personPass) afterEnglishArticle(k int) bool {
	if k == 0 || p.toks[k].gap != gapSpace {
		return false
	}
	t := &p.toks[k-1]
	w := p.text[t.start:t.end]
	return strings.EqualFold(w, "the") || strings.EqualFold(w, "a") ||
		strings.EqualFold(w, "an")
}
