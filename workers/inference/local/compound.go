package local

import "strings"

// Limits of compound splitting: they keep its cost small and bounded.
const (
	minCompound = 6  // shortest word read as a compound: two parts
	minPart     = 3  // shortest part
	maxCompound = 40 // longest word split, in bytes
	maxParts    = 5  // most parts in one word
)

// minFreeStem is the shortest term's word that may start a visitor's word
// with any part after it ("pigment-vlekjes"). Shorter ones occur by chance
// at the start of other words ("bein-ahe", "face-book", "gift-ig"), so
// what follows them must be known parts or an inflection.
const minFreeStem = 6

// compoundParts are words that Dutch and German compounds around clinic
// keywords are made of: body areas and where on them, hair, and the words
// that name a treatment or what is asked about it. They let a compound
// split into parts ("unter-achsel-haare", "rug-ontharing") but name
// nothing by themselves; only a clinic's terms point at its treatments.
var compoundParts = wordSet(
	// where on the body
	"ober", "unter", "boven", "onder", "voll", "ganz", "heel", "volledig",
	"gezicht", "gesicht", "voorhoofd", "stirn", "lip", "lippe", "lippen",
	"mond", "mund", "kin", "kinn", "wang", "wange", "wangen", "oog", "ogen",
	"auge", "augen", "ooglid", "lid", "lach", "frons", "zornes", "hals",
	"nek", "nacken", "oksel", "achsel", "arm", "arme", "armen", "hand",
	"rug", "rücken", "buik", "bauch", "been", "benen", "bein", "beine",
	"bikini", "intim", "lijf", "körper", "zone", "bereich",
	// hair and its removal
	"haar", "haare", "haren", "hair", "beharing", "behaarung", "bart",
	"snor", "ontharing", "ontharen", "enthaarung", "entfernung",
	"verwijdering", "epilatie", "laser", "lasern", "laseren",
	// lines and volume
	"rimpel", "falte", "falten", "lijn", "lijnen", "linie", "volume",
	"vergroting", "vergrößerung", "correctie", "korrektur", "aufbau",
	// treatments, sessions and what visitors ask about them
	"behandeling", "behandlung", "kuur", "kur", "sessie", "sitzung",
	"injectie", "injektion", "spritze", "unterspritzung", "aufspritzung",
	"filler", "peeling", "gesprek", "gespräch", "prijs", "preis", "kosten",
	"tarief", "termin", "afspraak",
	// skin and where to find things
	"vlek", "vlekken", "fleck", "flecken", "plek", "plekken", "litteken",
	"narbe", "narben", "porie", "gelegenheid", "mogelijkheid",
	"möglichkeit", "plaats", "platz",
)

// linkers are the letters Dutch and German may put between the parts of
// a compound ("gezicht-s-behandeling", "lippe-n-vergroting"), and the
// stem of Dutch verbs in -eren that starts many ("park-eer-gelegenheid").
var linkers = [...]string{"s", "e", "n", "en", "es", "er", "eer"}

// isEnding reports whether s may end a word after its last part: nothing,
// or an inflection ("peelings", "beinen", "ontharingen", "rimpeltjes").
func isEnding(s string) bool {
	switch s {
	case "", "s", "e", "n", "en", "es", "er", "ern", "ing", "ings", "ed",
		"je", "jes", "tje", "tjes", "pje", "pjes", "chen":
		return true
	}
	return false
}

// splitState is the table of splitParts: for each length k of a prefix
// of the word, the fewest parts it splits into.
type splitState struct {
	count [maxCompound + 1]int8 // fewest parts; -1 if it does not split
	from  [maxCompound + 1]int8 // where the last of them starts
	prev  [maxCompound + 1]int8 // where the one before it ends
}

// splitParts splits s into parts, each a whole word of lx.parts, with
// linkers between them and an inflection after the last. It appends the
// parts of the split with fewest parts to out, and reports whether s
// splits. lead allows s to start with a
// linker, or to be just an inflection with no part: s is then what a
// visitor's word adds to a term's word ("nhaare" after "oberlippe").
func (lx *lexicon) splitParts(s string, lead bool,
	out []string,
) ([]string, bool) {
	if len(s) > maxCompound {
		return out, false
	}
	var st splitState
	for k := range len(s) + 1 {
		st.count[k] = -1
	}
	st.count[0] = 0
	for k := range len(s) {
		if st.count[k] >= 0 && st.count[k] < maxParts {
			lx.nextParts(s, k, lead || k > 0, &st)
		}
	}
	end := -1
	for k := len(s); k >= 0; k-- {
		if st.count[k] >= 0 && isEnding(s[k:]) &&
			(end < 0 || st.count[k] < st.count[end]) {
			end = k
		}
	}
	if end < 0 {
		return out, false
	}
	n := len(out)
	for k := end; st.count[k] > 0; k = int(st.prev[k]) {
		out = append(out, s[st.from[k]:k])
	}
	for i, j := n, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, true
}

// nextParts records in st the parts that may follow the first k bytes of
// s, after a linker if link is set; longer parts are tried first.
func (lx *lexicon) nextParts(s string, k int, link bool, st *splitState) {
	var starts [1 + len(linkers)]int
	starts[0] = k
	n := 1
	for _, l := range linkers {
		if link && strings.HasPrefix(s[k:], l) {
			starts[n] = k + len(l)
			n++
		}
	}
	c := st.count[k] + 1
	for _, b := range starts[:n] {
		if b+minPart > len(s) || !lx.heads[s[b:b+minPart]] {
			continue
		}
		for j := min(len(s), b+lx.maxPart); j >= b+minPart; j-- {
			if (st.count[j] < 0 || c < st.count[j]) && lx.parts[s[b:j]] {
				st.count[j] = c
				st.from[j] = int8(b)
				st.prev[j] = int8(k)
			}
		}
	}
}
