package local

import (
	"sort"
	"strings"
)

// Limits that keep the cost of a request bounded whatever the input.
const (
	maxQuestionBytes = 4096 // only this much of a question is read
	maxTokens        = 200  // only this many words of it are matched
	maxHistoryTurns  = 4    // earlier questions read for a follow-up
	maxTreatments    = 6    // treatments in one answer
	maxFAQs          = 2    // FAQ answers in one answer
)

// answerIntents are the intents that produce facts; scopedIntents need a
// treatment to answer.
const (
	answerIntents = 1<<intentPrice | 1<<intentHours | 1<<intentAddress |
		1<<intentBooking | 1<<intentContact | 1<<intentWhat |
		1<<intentDuration | 1<<intentRecovery | 1<<intentList
	scopedIntents = 1<<intentPrice | 1<<intentWhat | 1<<intentDuration |
		1<<intentRecovery
)

// intentSet is a set of intents, one bit each.
type intentSet uint32

func (s intentSet) has(i intent) bool { return s&(1<<i) != 0 }

// analysis is what one question asks, before any conversation context.
type analysis struct {
	score      [numIntents]int
	days       uint8 // bit d: time.Weekday d was named
	rel        uint8 // bit r: relToday, relTomorrow or relNow was named
	all        bool  // the visitor asked about everything ("all prices")
	treatments []int // indexes into the clinic's treatments
	faqs       []int // indexes into the clinic's FAQ
	// unexplained counts the words that are neither recognised nor
	// frequent: "weather" and "paris" in "what is the weather tomorrow
	// in Paris?".
	unexplained int
}

// analyse finds intents, days, treatments and FAQ topics in a question.
func analyse(question string, idx *clinicIndex) analysis {
	fields := questionFields(question)
	// One slice each, not one shared: small ones then stay on the stack.
	breaks := make([]bool, len(fields)) // toks[i] starts a clause
	toks := dropMarks(fields, breaks)
	breaks = breaks[:len(toks)]
	fuzzy := make([]bool, len(toks))   // toks[i] may match with a typo
	covered := make([]bool, len(toks)) // a term covers toks[i]
	split := make([]bool, len(toks))   // toks[i] may be a compound
	negated := make([]bool, len(toks)) // the visitor rules toks[i] out
	markFuzzy(toks, idx, fuzzy)

	var a analysis
	var buf [32]hit
	hits := globalLexicon().scan(toks, fuzzy, nil, buf[:0])
	for _, h := range hits {
		a.addGlobal(h)
		cover(covered, h)
	}
	negation := markNegated(hits, breaks, negated)
	for i, t := range toks {
		split[i] = !covered[i] && len(t) >= minCompound
	}
	hits = idx.lex.scan(toks, fuzzy, split, hits[:0])
	for _, h := range hits {
		cover(covered, h)
	}
	if negation {
		hits = ruleOut(hits, negated)
	}
	a.treatments = pickTreatments(hits)
	a.faqs = pickFAQs(hits)
	for i, t := range toks {
		if !covered[i] && len(t) >= 3 && !stopwords[t] {
			a.unexplained++
		}
	}
	return a
}

// questionFields returns the words of a question, at most maxTokens,
// with a clauseMark wherever a clause ends.
func questionFields(question string) []string {
	if len(question) > maxQuestionBytes {
		question = question[:maxQuestionBytes]
	}
	fields := strings.Fields(normalizeClauses(question))
	if len(fields) <= maxTokens {
		return fields
	}
	n := 0
	for i, f := range fields {
		if f == clauseMark {
			continue
		}
		if n == maxTokens {
			return fields[:i]
		}
		n++
	}
	return fields
}

// dropMarks removes the clause marks from fields, in place, and returns
// the words left; breaks[i] is set when the i-th of them starts a clause.
func dropMarks(fields []string, breaks []bool) []string {
	toks := fields[:0]
	for _, f := range fields {
		if f == clauseMark {
			breaks[len(toks)] = true
			continue
		}
		toks = append(toks, f)
	}
	return toks
}

// markFuzzy sets fuzzy[i] when toks[i] may match a term with a typo: a
// long word that is neither frequent nor a term's word.
func markFuzzy(toks []string, idx *clinicIndex, fuzzy []bool) {
	global := globalLexicon()
	for i, t := range toks {
		fuzzy[i] = len(t) >= minFuzzy && !stopwords[t] &&
			!global.known[t] && !idx.lex.known[t]
	}
}

func cover(covered []bool, h hit) {
	for k := h.pos; k < h.pos+h.span; k++ {
		covered[k] = true
	}
}

func (a *analysis) addGlobal(h hit) {
	switch h.sig.kind {
	case kindIntent:
		// A greeting opens a message; "dag" later on is not one.
		if intent(h.sig.id) == intentGreeting && h.pos > 1 {
			return
		}
		a.score[h.sig.id] += h.sig.weight
	case kindDay:
		a.days |= 1 << h.sig.id
	case kindRel:
		a.rel |= 1 << h.sig.id
	case kindAll:
		a.all = true
	}
}

// markNegated sets negated[i] for the words a negation rules out: those
// after it up to the end of its clause or a contrast word, so that "not
// botox but filler" and "no botox, filler please" rule out botox only.
// hits are the global lexicon's; it reports whether it set any.
func markNegated(hits []hit, breaks, negated []bool) bool {
	marked := false
	for k, h := range hits {
		if h.sig.kind != kindNot {
			continue
		}
		end := len(negated)
		for _, c := range hits[k+1:] {
			if c.sig.kind == kindBut {
				end = c.pos
				break
			}
		}
		for j := h.pos + h.span; j < end && !breaks[j]; j++ {
			negated[j] = true
			marked = true
		}
	}
	return marked
}

// ruleOut drops, in place, the hits of treatments named where negated is
// set, if another treatment is named elsewhere: "I don't want botox, what
// does filler cost?" is about filler. A treatment also named outside a
// negation stays.
//
// When every treatment named is ruled out, all are kept: "not botox?",
// "no botox on Saturdays?" or "geen botox voor mannen?" name botox alone
// and most likely ask about it. Answering about what the visitor named, with
// its facts, is what they expect; a list or a question back would ignore
// the one thing they said.
func ruleOut(hits []hit, negated []bool) []hit {
	kept := false
	for _, h := range hits {
		kept = kept || h.sig.kind == kindTreatment && !negated[h.pos]
	}
	if !kept {
		return hits
	}
	out := hits[:0]
	for _, h := range hits {
		if h.sig.kind != kindTreatment || !negated[h.pos] {
			out = append(out, h)
		}
	}
	return out
}

// pickTreatments decides which treatments the visitor named. A word, or a
// part of a compound, that names one treatment only (such as "lips")
// settles it; when every word is shared ("laser" for each laser area),
// all treatments with the best coverage are meant.
func pickTreatments(hits []hit) []int {
	var unique, all []int
	cover := map[int]int{}
	for i := 0; i < len(hits); {
		j := i
		var group []int
		for ; j < len(hits) && samePlace(hits[j], hits[i]); j++ {
			if hits[j].sig.kind == kindTreatment {
				group = append(group, hits[j].sig.id)
			}
		}
		for _, id := range group {
			if cover[id] == 0 {
				all = append(all, id)
			}
			cover[id] += hits[i].span
		}
		if len(group) == 1 && !contains(unique, group[0]) {
			unique = append(unique, group[0])
		}
		i = j
	}
	if len(unique) == 0 {
		best := 0
		for _, id := range all {
			best = max(best, cover[id])
		}
		for _, id := range all {
			if cover[id] == best {
				unique = append(unique, id)
			}
		}
	}
	sort.Ints(unique)
	if len(unique) > maxTreatments {
		unique = unique[:maxTreatments]
	}
	return unique
}

// pickFAQs returns the FAQ entries the visitor's words point at, best
// covered first.
func pickFAQs(hits []hit) []int {
	var ids []int
	cover := map[int]int{}
	for _, h := range hits {
		if h.sig.kind != kindFAQ {
			continue
		}
		if cover[h.sig.id] == 0 {
			ids = append(ids, h.sig.id)
		}
		cover[h.sig.id] += h.span
	}
	sort.SliceStable(ids, func(i, j int) bool {
		return cover[ids[i]] > cover[ids[j]]
	})
	if len(ids) > maxFAQs {
		ids = ids[:maxFAQs]
	}
	return ids
}

// selected returns the answer intents the question asks for: every intent
// with a strong score, and weak ones only when nothing stronger (an intent
// or a FAQ topic) was found.
func (a *analysis) selected() intentSet {
	anyStrong := len(a.faqs) > 0
	for i := range numIntents {
		if answerIntents&(1<<i) != 0 && a.score[i] >= strongTerm {
			anyStrong = true
		}
	}
	var set intentSet
	for i := range numIntents {
		if answerIntents&(1<<i) == 0 {
			continue
		}
		if s := a.score[i]; s >= strongTerm || s >= weakTerm && !anyStrong {
			set |= 1 << i
		}
	}
	return set
}

func contains(ids []int, id int) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// plan is what an answer will say.
type plan struct {
	urgent, medical bool
	caution         bool // a hint of a personal medical question
	// unsure is set when the visitor asked about something unknown
	// ("do you do tattoo removal?"): say so before listing what is known.
	unsure             bool
	greet, thanks, bye bool
	intents            intentSet
	treatments         []int
	faqs               []int
	days, rel          uint8
	overview           bool // describe the treatments with their prices
}

// makePlan turns the analysis of the question, and of earlier questions
// when it is a follow-up, into a plan. history is oldest first.
func makePlan(q analysis, history []string, idx *clinicIndex) plan {
	p := plan{
		urgent:     q.score[intentUrgent] >= strongTerm,
		medical:    q.score[intentMedical] >= strongTerm,
		caution:    q.score[intentMedical] > 0,
		greet:      q.score[intentGreeting] > 0,
		thanks:     q.score[intentThanks] > 0,
		bye:        q.score[intentBye] > 0,
		intents:    q.selected(),
		treatments: q.treatments,
		faqs:       q.faqs,
		days:       q.days,
		rel:        q.rel,
	}
	if p.urgent || p.medical {
		return p
	}
	p.followUp(q, history, idx)
	p.unsure = p.intents == 1<<intentList && q.unexplained > 0
	p.namedDays(q)
	return p
}

// followUp completes a question with the conversation: "and how long does
// it take?" takes its treatment from an earlier question, "and for the
// lips?" its question.
func (p *plan) followUp(q analysis, history []string, idx *clinicIndex) {
	if len(p.treatments) > 0 || len(p.faqs) > 0 {
		// "Do you offer botox?" asks about botox, not for the list.
		p.intents &^= 1 << intentList
	}
	needsTreatment := p.intents&scopedIntents != 0 &&
		!(p.intents == 1<<intentPrice && q.all)
	switch {
	case len(p.treatments) == 0 && needsTreatment:
		p.treatments, _ = fromHistory(history, idx)
	case len(p.treatments) > 0 && p.intents == 0 && len(p.faqs) == 0:
		_, p.intents = fromHistory(history, idx)
		p.overview = p.intents == 0
	}
	if len(p.treatments) == 0 {
		p.intents &^= 1 << intentWhat
	}
}

// namedDays asks for the hours of named days ("and on Saturday?", "can I
// book on Saturday?", "botox on Saturday?"), unless the question is about
// something else the model does not know ("the weather tomorrow in
// Paris").
func (p *plan) namedDays(q analysis) {
	if p.days == 0 && p.rel == 0 || len(p.faqs) > 0 {
		return
	}
	onlyTreatments := p.intents&^scopedIntents == 0
	if p.intents.has(intentBooking) || onlyTreatments && q.unexplained <= 1 {
		p.intents |= 1 << intentHours
	}
}

// fromHistory looks back through earlier questions, newest first, for the
// treatments they named and the treatment questions they asked.
func fromHistory(history []string, idx *clinicIndex) ([]int, intentSet) {
	var treatments []int
	var scoped intentSet
	for i, n := len(history)-1, 0; i >= 0 && n < maxHistoryTurns; i, n = i-1, n+1 {
		a := analyse(history[i], idx)
		if treatments == nil && len(a.treatments) > 0 {
			treatments = a.treatments
		}
		if scoped == 0 {
			scoped = a.selected() & scopedIntents
		}
		if treatments != nil && scoped != 0 {
			break
		}
	}
	return treatments, scoped
}
