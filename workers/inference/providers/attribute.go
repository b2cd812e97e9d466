package providers

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/iglowly/assistant/config"
)

// A hosted model writes what it likes, so its answer's sources are not
// taken from the model: they are found afterwards, by matching the
// answer against the clinic's facts that the prompt gave it. The match
// is deterministic and leans towards missing a source rather than
// naming a wrong one:
//
//   - "treatments/<id>": the answer names the treatment, by its name or
//     a part of its name such as "botox" in "Injections antirides
//     (botox)", in any of the clinic's languages, and that phrase
//     belongs to no other fact; or it has two words of the
//     treatment's keywords or text that no other fact has; or, naming
//     no treatment, it gives a price with its currency that is this
//     treatment's only.
//   - "prices": the answer gives prices of three treatments or more,
//     which then stand for the whole list instead of one source each.
//   - "hours": a time the clinic opens or closes, with a day's name or
//     a second such time.
//   - "address": the street's name, or the postcode next to the city.
//   - "contact": the phone number, in any spacing, or the e-mail address.
//   - "booking": the booking URL.
//   - "faq/<id>": two phrases of the answer that are that FAQ's only:
//     its own keywords, or words of its answer in no other fact.
//
// Text that spells a key ("treatments/botox") mentions nothing.
//
// A fact named in a denial ("we do not offer botox", "wir bieten kein
// Botox an") is no source: a negation masks the few words after it.
// Text is read in composed Unicode (NFC), so an accent typed as a
// combining mark matches as the letter it makes.

// everydayWords name no fact, alone or in a phrase, even where a clinic
// lists them: the prompt tells every model to suggest a consultation and
// to give the contact, and the others come in answers about anything.
var everydayWords = withStems(map[string]bool{
	"consultation": true, "consultatie": true, "consult": true,
	"beratung": true, "doctor": true, "dokter": true, "contact": true,
	"treatment": true, "behandeling": true, "traitement": true,
	"behandlung": true, "first": true, "clinic": true, "kliniek": true,
	"clinique": true, "klinik": true, "website": true, "available": true,
	"appointment": true, "afspraak": true, "straight": true, "visit": true,
	"price": true, "present": true, "station": true, "route": true,
	"train": true, "directions": true, "minor": true, "front": true,
	"rides": true, "about": true, "there": true, "their": true,
	"where": true, "which": true, "would": true, "could": true,
})

// weakWords name no fact alone, for they are used of several, but may
// in a phrase: "filler" alone, but "lip filler".
var weakWords = withStems(map[string]bool{
	"skin": true, "face": true, "visage": true, "gesicht": true,
	"gezicht": true, "filler": true, "laser": true, "peeling": true,
	"injection": true, "hydration": true, "hydratatie": true,
})

// withStems adds the stem of each word of m to it.
func withStems(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for w := range m {
		out[w], out[stem(w)] = true, true
	}
	return out
}

// facts is what a clinic's answers are matched against.
type facts struct {
	// phrases maps a normalised phrase, a name or a keyword, to the
	// facts it refers to.
	phrases map[string][]string
	// names are the phrases that are treatments' names or their parts.
	names map[string]bool
	// words maps a normalised word to the facts whose text has it; ""
	// stands for the clinic's name.
	words map[string][]string
	// prices maps a whole-euro amount to the treatments with that price.
	prices map[int][]string
	// times are the opening and closing times, as minutes after midnight.
	times map[int]bool
	// faqIDs are the "faq/<id>" keys, in the clinic's order.
	faqIDs []string
	// order is the order of keys in a result: the clinic's own.
	order []string
	// street is the street's name without its number, or "" if it is
	// not specific; postcode and city are normalised words.
	street, postcode, city string
	// phone is as the clinic writes it; email and booking normalised.
	phone, email, booking string
	// prefixes are the starts of the phrases, the street's name and the
	// postcode, shorter than they are.
	prefixes map[string]bool
}

// factsCache holds each clinic's facts, one entry per clinic id: a
// changed clinic is a new *config.Clinic and replaces its entry.
var factsCache sync.Map // clinic id -> cachedFacts

type cachedFacts struct {
	from *config.Clinic
	f    *facts
}

func factsOf(c *config.Clinic) *facts {
	if v, ok := factsCache.Load(c.ID); ok && v.(cachedFacts).from == c {
		return v.(cachedFacts).f
	}
	f := buildFacts(c)
	factsCache.Store(c.ID, cachedFacts{from: c, f: f})
	return f
}

// attribute returns the keys of the facts of c that answer shows, in
// the clinic's order of facts; never nil.
func attribute(c *config.Clinic, answer string) []string {
	f := factsOf(c)
	answer = norm.NFC.String(answer)
	toks := tokenize(answer)
	seq := maskDenials(wordSeq(toks))
	found := map[string]bool{}
	evidence := f.evidence(seq)
	f.matchTreatments(toks, seq, evidence, found)
	f.matchFAQ(evidence, found)
	found["hours"] = f.matchHours(toks)
	found["address"] = f.matchAddress(seq)
	found["contact"] = f.matchContact(answer)
	found["booking"] = f.matchBooking(answer)
	out := []string{}
	for _, k := range f.order {
		if found[k] {
			out = append(out, k)
		}
	}
	return out
}

// unique returns the one key of keys, or "" if there are none or more.
func unique(keys []string) string {
	if len(keys) != 1 {
		return ""
	}
	return keys[0]
}

func addKey(keys []string, k string) []string {
	if slices.Contains(keys, k) {
		return keys
	}
	return append(keys, k)
}

// fold lowers r and drops its accent, for the letters of the clinic's
// languages.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	if f, ok := accents[r]; ok {
		return f
	}
	return r
}

var accents = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a',
	'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ì': 'i',
	'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o',
	'ô': 'o', 'ö': 'o', 'õ': 'o', 'ù': 'u', 'ú': 'u', 'û': 'u',
	'ü': 'u', 'ý': 'y', 'ÿ': 'y', 'œ': 'o', 'ß': 's',
}

// words splits s into folded, stemmed words of letters and digits.
func words(s string) []string {
	ws := strings.FieldsFunc(strings.Map(fold, s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range ws {
		ws[i] = stem(w)
	}
	return ws
}

// stem drops a plural's s from a word of five letters or more, so that
// "injections" matches "injection".
func stem(w string) string {
	if len(w) >= 5 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// specific reports whether a phrase of the clinic's is specific enough
// to name a fact: a strong word, several words one of which is telling,
// or an acronym of three letters or more that the clinic writes in
// capitals.
func specific(raw string, ws []string) bool {
	for _, w := range ws {
		if strong(w) || len(ws) > 1 && telling(w) {
			return true
		}
	}
	return len(ws) == 1 && len([]rune(ws[0])) >= 3 && !allDigits(ws[0]) &&
		strings.ToUpper(raw) == raw && strings.ToLower(raw) != raw
}

// strong reports whether a normalised word means something on its own:
// a telling word that is not weak.
func strong(w string) bool {
	return telling(w) && !weakWords[w]
}

// telling reports whether a normalised word means something in a
// phrase: five letters or more, not a number nor an everyday word.
func telling(w string) bool {
	return len([]rune(w)) >= 5 && !everydayWords[w] && !allDigits(w)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
