package pii

import (
	"slices"
	"strings"
	"sync"
)

// The reasons the person detector gives.
const (
	// ReasonNameCue is a name after a cue phrase: "my name is", "ik ben",
	// "je m'appelle", "ma fille", "au nom de", or before "here".
	ReasonNameCue Reason = "context:cue"
	// ReasonNameTitle is a name after a title: "Dr.", "Mme", "Herr".
	ReasonNameTitle Reason = "context:title"
	// ReasonNameSignoff is a name after a greeting or in a sign-off:
	// "Beste Nathalie", "groetjes, Sofie", "Merci, Aurélie".
	ReasonNameSignoff Reason = "context:signoff"
	// ReasonNameLine is a known name alone at the end of a message or on
	// a line of its own, or a given name in lower case signing off after
	// a dash ("… - sam").
	ReasonNameLine Reason = "context:line"
	// ReasonNameRepeat is another occurrence of a word of a name found in
	// the same text or earlier in the request (in the history).
	ReasonNameRepeat Reason = "context:repeat"
	// ReasonNameList is a given name of the name lists, with or without a
	// surname: "Sofie", "Jan Peeters", "J. de Graaf".
	ReasonNameList Reason = "list:names"
)

// personDetector finds the names of people. No model is reachable, so it
// combines what works offline, in English, Dutch, French and German:
//
//   - cue phrases before a name ("my name is", "ik ben", "je m'appelle",
//     "ich heiße", "mijn dochter", "au nom de", "t.a.v."), titles ("Dr.",
//     "Mme", "Herr", "mevrouw"), greetings ("Beste Nathalie") and
//     sign-offs ("groetjes, Sofie", "mvg Jan Peeters", "LG Anna");
//   - lists of given names and surnames of the many origins common in
//     Belgium, with particles ("Van den Broeck", "El Amrani", "dos
//     Santos", "D'Hondt") and hyphens ("Anne-Sophie");
//   - evidence after a name: its relation ("Iris is my daughter", "Hope
//     ist meine Tochter"), "here" ("Ruth here"), and a given name in
//     lower case signing off at the very end ("… - sam");
//   - shapes: capitals, initials ("J. de Graaf"), a known name alone at
//     the end of a message or on a line, a name that is also a word
//     written with a capital inside a sentence ("Est-ce que Claire…"),
//     and the other occurrences in the text of a name found by its cue;
//   - keep-lists of words that are never names (treatments, brands, body
//     areas, function words, German nouns, places), and a list of names
//     that are also words (Rose, Mark, Will, Roos), which need context.
//     A kept word the name lists know ("Lieve", "Lang") is a name only
//     next to a cue and another name: "Kind regards, Lieve Goossens",
//     "Herzliche Grüße, Ursula Lang"; a name that is also a language is
//     the language after a verb of speaking ("ik spreek Frans").
//
// German capitalises every noun, so there a capital letter is no evidence
// and unknown words need a stronger cue. Streets ("Jan Van
// Rijswijcklaan"), firms ("… BV") and brands named after people ("Yves
// Rocher") are no persons. Words are looked up once each in a hash
// table, so the cost is linear in the text.
//
// A named-entity model would not fit the budget of a microsecond a
// message: the pure-Go tagger of github.com/jdkato/prose takes about
// 2.5 ms a sentence here and knows English only; the pure-Go ONNX
// runtimes have no named-entity model to run (none can be fetched), and
// a transformer would take milliseconds too.
//
// Names are keyed by their folded words, so "Sofie Peeters" and "SOFIE
// PEETERS" share a placeholder, but "Sofie" alone gets one of its own:
// keying a full name by its given name would merge two people who share
// it, which misleads the model more than two numbers for one person.
//
// A name found by its cue is found again without it: later in the same
// text, and in the later texts of the request (the message after its
// history), by the hashes of the words the Placeholders numbered.
type personDetector struct {
	scratch sync.Pool
}

func init() { register(prioPerson, newPersonDetector()) }

func newPersonDetector() *personDetector {
	d := &personDetector{}
	d.scratch.New = func() any { return new([]ptok) }
	return d
}

func (*personDetector) Type() Type { return Person }

// maxPooledTokens bounds the token buffer kept between calls.
const maxPooledTokens = 4096

func (d *personDetector) Find(in *Input, dst []Span) []Span {
	buf := d.scratch.Get().(*[]ptok)
	p := personPass{in: in, text: in.Text, lx: names()}
	p.toks = tokenizeNames(in.Text, p.lx, (*buf)[:0])
	p.german = p.isGerman()
	dst = p.find(dst)
	*buf = p.toks[:0]
	if cap(*buf) > maxPooledTokens {
		*buf = nil
	}
	d.scratch.Put(buf)
	return dst
}

// personPass is one search of one text.
type personPass struct {
	in     *Input
	text   string
	lx     *nameLexicon
	toks   []ptok
	german bool
	named  int // the token after the last name found, left to right
}

// maxNameUnits bounds the words of one name, particles not counted.
const maxNameUnits = 4

// find appends the names of the text to dst, left to right, then the
// other occurrences of their words and of the names found earlier in
// the request.
func (p *personPass) find(dst []Span) []Span {
	from := len(dst)
	carry, carryAt := cueNone, -1
	for i := 0; i < len(p.toks); i++ {
		if n := p.brandLen(i); n > 0 {
			i += n - 1 // "Yves Rocher" is a brand, not a person
			continue
		}
		if !p.canStart(i) || p.particleEndsCue(i) {
			continue
		}
		ctx := p.context(i)
		if i == carryAt+1 && ctx < carry && p.toks[i].gap&^(gapOther|gapAnd) == gapSpace {
			ctx = carry // "Groetjes Lars en Noor"
		}
		g := p.group(i, ctx)
		if g.units == 0 {
			continue
		}
		r, ok := p.accept(&g, ctx)
		if !ok {
			continue
		}
		dst = append(dst, p.span(&g, r))
		i, p.named = g.end-1, g.end
		carry, carryAt = cueNone, -1
		switch {
		case g.end >= len(p.toks):
		case p.toks[g.end].bits&lexAnd != 0 && p.toks[g.end].gap == gapSpace:
			carry, carryAt = ctx, g.end
		case p.toks[g.end].gap == gapSpace|gapOther|gapAnd:
			carry, carryAt = ctx, g.end-1 // "Filip & Veerle"
		}
	}
	dst = p.again(dst, from)
	if len(dst) > from {
		slices.SortFunc(dst[from:], func(a, b Span) int { return a.Start - b.Start })
	}
	return dst
}

// spanWalker tells whether increasing offsets fall inside spans sorted
// by position, in one pass over both.
type spanWalker struct {
	spans []Span
	next  int
}

// inside reports whether offset at, no smaller than the last one asked
// about, falls inside a span.
func (w *spanWalker) inside(at int) bool {
	for w.next < len(w.spans) && w.spans[w.next].End <= at {
		w.next++
	}
	return w.next < len(w.spans) && w.spans[w.next].Start <= at
}

// isGerman reports whether the text has at least two German function
// words and more of them than English, Dutch or French ones. The German
// words that are also particles of names ("der", "den") are not counted.
func (p *personPass) isGerman() bool {
	de, other := 0, 0
	for k := range p.toks {
		b := p.toks[k].bits
		if b&lexGerman != 0 {
			de++
		}
		if b&lexOther != 0 {
			other++
		}
	}
	return de >= 2 && de > other
}

// canStart reports whether a name may begin at token i.
func (p *personPass) canStart(i int) bool {
	t := &p.toks[i]
	if !t.word() || t.bits&lexTitle != 0 || t.gap&(gapHyphen|gapGlue|gapApos) != 0 {
		return false
	}
	if i+1 < len(p.toks) && p.toks[i+1].gap&gapGlue != 0 {
		return false // part of an address, a link or a handle
	}
	if t.bits&lexMonth != 0 && p.nextToNumber(i) {
		return false // "15 Jan 2026"
	}
	if t.bits&lexWord != 0 && p.afterPossessiveS(i) {
		return false // "Mother's Day": a word, whatever the lists say
	}
	switch {
	case t.shape == shInitial:
		return p.initialAt(i) || p.apostropheUnit(i)
	case t.bits&lexKeep != 0 && t.bits&lexParticle == 0:
		// a kept word the name lists know may start a name after a
		// cue: "Kind regards, Lieve Goossens" (see keptName)
		return t.shape == shCap && t.bits&lexName != 0
	case t.shape == shLower:
		return t.bits&(lexName|lexParticle) != 0 || p.endsPhrase(i-1)
	}
	return true
}

// afterPossessiveS reports whether token i follows an English "'s"
// glued to a word, after a space: "Mother's Day", but not "it's Jade",
// where "'s" is "is".
func (p *personPass) afterPossessiveS(i int) bool {
	if i < 2 || p.toks[i].gap != gapSpace {
		return false
	}
	s, w := &p.toks[i-1], &p.toks[i-2]
	return s.gap == gapApos && s.end-s.start == 1 && p.text[s.start]|0x20 == 's' &&
		!inSet(contractedIs, p.text[w.start:w.end])
}

// contractedIs are the words whose "'s" is "is": "it's", "that's".
var contractedIs = wordSet("it", "that", "this", "here", "there", "he",
	"she", "who", "what", "where", "name")

// particleEndsCue reports whether token i is a particle that ends a cue
// phrase before a word: in "op naam van Peeters" and "de la part de
// Dubois" the name is the word after it.
func (p *personPass) particleEndsCue(i int) bool {
	return p.toks[i].bits&lexParticle != 0 && i+1 < len(p.toks) &&
		p.toks[i+1].gap == gapSpace && p.toks[i+1].word() &&
		p.phraseEnding(i, gapSpace) != cueNone
}

// nextToNumber reports whether a number, or a placeholder that may
// stand for one, is next to token i.
func (p *personPass) nextToNumber(i int) bool {
	if i > 0 && p.toks[i-1].value() && p.toks[i].gap == gapSpace {
		return true
	}
	return i+1 < len(p.toks) && p.toks[i+1].value() && p.toks[i+1].gap == gapSpace
}

// initialAt reports whether token i is an initial: one capital letter
// followed by a full stop and a space.
func (p *personPass) initialAt(i int) bool {
	return p.toks[i].shape == shInitial && i+1 < len(p.toks) &&
		p.toks[i+1].gap == gapStop|gapSpace
}

// apostropheUnit reports whether token i starts a name such as "D'Hondt"
// or "O'Neill".
func (p *personPass) apostropheUnit(i int) bool {
	return i+1 < len(p.toks) && p.toks[i+1].gap == gapApos &&
		p.toks[i+1].capital()
}

// endsPhrase reports whether a cue phrase may end at token j.
func (p *personPass) endsPhrase(j int) bool {
	if j < 0 || p.toks[j].entry < 0 {
		return false
	}
	return p.lx.entries[p.toks[j].entry].nphr > 0
}

// span returns the span of group g, keyed by its folded words.
func (p *personPass) span(g *nameGroup, r Reason) Span {
	var b strings.Builder
	for k := g.first; k < g.end; k++ {
		t := &p.toks[k]
		if k > g.first && t.gap&(gapHyphen|gapApos) == 0 {
			b.WriteByte(' ')
		}
		word := p.text[t.start:t.end]
		if f := foldName(word); !f.over {
			b.Write(f.folded())
		} else {
			b.WriteString(strings.ToLower(word))
		}
	}
	return Span{
		Start:  int(p.toks[g.first].start),
		End:    int(p.toks[g.end-1].end),
		Reason: r,
		Key:    b.String(),
	}
}
