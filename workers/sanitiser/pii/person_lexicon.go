package pii

import (
	"embed"
	"path"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The name lists and keep-lists of the person detector, written for this
// package: see the comment at the top of each file.
//
//go:embed data/names/*.txt
var nameData embed.FS

// lexBits says what the lexicon knows of a word.
type lexBits uint32

const (
	lexGiven    lexBits = 1 << iota // a given name
	lexSurname                      // a surname on its own
	lexCore                         // a surname after particles ("De Smet")
	lexWord                         // also an ordinary word: needs context
	lexKeep                         // never a name
	lexParticle                     // "van", "de", "el", "dos"
	lexTitle                        // "Dr", "Mme", "Herr", "mevrouw"
	lexGerman                       // marks a German text
	lexOther                        // marks an English, Dutch or French text
	lexStreet                       // "rue", "avenue": a place name follows
	lexCompany                      // "BV", "GmbH": the words before are a firm
	lexHere                         // "here", "hier", "ici" after a name
	lexLinker                       // "van", "de", "of": "de mama van Nour"
	lexAnd                          // "en", "and", "et", "und"
	lexBefore                       // "the", "een", "la", "in": a word follows
	lexMonth                        // "Jan", "May": a month next to a number
	lexBrand                        // starts a brand named after a person
	lexAccented                     // a kept word has this name's letters
	lexCopula                       // "is", "ist", "est": "Iris is my…"
	lexPossess                      // "my", "mijn", "ma", "meine"
	lexKinAdj                       // "little", "jongste": "my little sister"
	lexRelation                     // "daughter", "dochter": ends a relation
	lexSpeak                        // "speak", "spreek": a language follows
	lexPlace                        // kept as a place, day or month: "Paris"
)

// lexName is any bit that makes a word a known name.
const lexName = lexGiven | lexSurname

// nameTitles are honorifics before a name; they are never part of its span.
var nameTitles = []string{
	"dr", "dokter", "docter", "doctor", "docteur", "doktor", "prof",
	"professor", "professeur", "mr", "mrs", "ms", "mx", "miss", "mme",
	"mlle", "mmes", "madame", "mademoiselle", "monsieur", "herr", "herrn",
	"frau", "mevrouw", "mevr", "mw", "meneer", "mijnheer", "mnr", "dhr",
	"heer", "juffrouw", "sir", "lady", "signora", "signor", "sra", "sr",
	"senora", "senor", "meester", "maitre", "pr",
}

// nameParticles join the parts of a surname: "Van den Broeck", "El Amrani",
// "dos Santos", "D'Hondt".
var nameParticles = []string{
	"van", "von", "de", "der", "den", "het", "t", "ten", "ter", "te", "la",
	"le", "du", "des", "di", "da", "dos", "das", "do", "del", "della",
	"dei", "el", "al", "ben", "bin", "ibn", "abou", "abu", "ait", "mac",
	"mc", "op", "in", "vande", "vanden", "vander", "dela", "delos", "d",
	"o", "l", "zu", "zur", "y",
}

// nameStreets are words after which capitalised words name a place.
var nameStreets = []string{
	"rue", "avenue", "av", "boulevard", "bd", "bld", "chaussee", "place",
	"allee", "quai", "impasse", "chemin", "route", "dreve", "clos",
	"sentier", "square", "rond", "straat", "laan", "steenweg", "plein",
	"az", "uz", "chu", "chr", "hopital", "clinique", "kliniek", "klinik",
	"ziekenhuis", "krankenhaus", "hospital", "universiteit", "universite",
	"universitat", "university", "school", "college", "campus", "station",
	"gare", "bahnhof", "metro", "hotel", "residence", "residentie",
	"street", "road", "lane", "drive", "gardens", "court", "close", "way",
	"crescent", "terrace", "parkway", "boulevard", "strasse", "gasse",
	"weg", "dreef", "lei", "kaai", "markt", "park",
}

// nameCompanies are words that end the name of a firm.
var nameCompanies = []string{
	"bv", "nv", "sa", "srl", "sprl", "bvba", "vzw", "asbl", "gmbh", "ag",
	"ltd", "llc", "inc", "plc", "sarl", "sas", "cv", "vof", "comm", "kg",
}

// nameHeres are words that follow a name to say who writes: "Ruth here".
var nameHeres = []string{"here", "hier", "ici", "speaking"}

// nameLinkers join a relation to a name: "le mari de Brigitte".
var nameLinkers = []string{"van", "de", "of", "von", "du", "d", "vom"}

// nameBefores are articles and prepositions of place, after which a
// name that is also a word is the word: "la Marine", "in Florence".
var nameBefores = []string{
	"the", "a", "an", "in", "at", "from", "to", "of", "de", "het", "een",
	"uit", "naar", "le", "la", "les", "l", "un", "une", "au", "aux", "du",
	"des", "my", "your", "our", "mijn", "je", "uw", "ons", "onze", "mon",
	"ma", "mes", "votre", "notre", "en", "bij", "chez", "near", "via",
}

// nameMonths are month names that are also names: "15 Jan 2026".
var nameMonths = []string{
	"jan", "feb", "mar", "apr", "april", "may", "june", "jun", "jul",
	"july", "aug", "august", "sep", "sept", "oct", "nov", "dec", "mei",
	"mai", "juni", "juli", "augustus", "maart", "avril", "juin",
}

// nameAnds join two names that share a cue: "Groetjes Lars en Noor".
var nameAnds = []string{"en", "and", "et", "und", "e", "y", "or", "of", "ou"}

// nameCopulas join a name to the relation that follows it: "Iris is my
// daughter", "Lotte is mijn dochter", "Hope ist meine Tochter".
var nameCopulas = []string{"is", "was", "ist", "war", "est", "etait"}

// namePossessives come before a relation: "my daughter", "ma fille".
// French "son", "sa" and "ses" are left out: they also mean "his" or
// "her" before any noun ("Son GSM"), so they are no evidence of a
// relation on their own.
var namePossessives = []string{
	"my", "our", "mijn", "onze", "ons", "ma", "mon", "mes", "notre",
	"mein", "meine", "meinen", "meinem", "meiner", "unser", "unsere",
}

// nameKinAdjs may stand between a possessive and a relation: "my little
// sister", "mijn jongste dochter", "ma petite-fille".
var nameKinAdjs = []string{
	"little", "big", "older", "younger", "oldest", "eldest", "youngest",
	"dear", "kleine", "grote", "jongste", "oudste", "lieve", "petite",
	"petit", "grande", "grand", "chere", "cher", "jungste", "alteste",
	"altere", "jungere", "grosse", "liebe", "old", "year", "years", "jaar",
	"jarige",
}

// nameSpeaks are verbs after which a language is named: "ik spreek
// Frans", "je parle Anglais", "I speak French".
var nameSpeaks = []string{
	"speak", "speaks", "spoke", "spreek", "spreekt", "spreken", "sprak",
	"praat", "praten", "parle", "parles", "parlez", "parlons", "parlent",
	"spreche", "sprichst", "spricht", "sprechen",
}

// lexEntry is one word of the lexicon.
type lexEntry struct {
	key  string
	hash uint64
	bits lexBits
	// phrases ending in this word are cuePhrases[phr : phr+nphr].
	phr, nphr uint16
}

// lexSlot is a slot of the hash table: the hash is kept inline so that a
// probe reads one cache line.
type lexSlot struct {
	hash uint64
	idx  int32 // index+1 into entries; 0 is empty
}

// nameLexicon is an open-addressing hash table of folded words, so that a
// lookup costs one hash of bytes already folded and no allocation.
type nameLexicon struct {
	slots   []lexSlot
	entries []lexEntry
	mask    uint64
	brands  [][]uint64 // word hashes of brands named after people
	// accented holds, in lower case, the kept words with accents whose
	// letters are those of a name: "rosé" is kept, "Rose" is a name.
	accented map[string]bool
}

var (
	nameLexOnce sync.Once
	nameLex     *nameLexicon
)

// names returns the lexicon, built on first use.
func names() *nameLexicon {
	nameLexOnce.Do(func() { nameLex = buildLexicon() })
	return nameLex
}

// add sets bits on the entry for word, creating it if needed, and returns
// its index.
func (l *nameLexicon) add(word string, bits lexBits) int {
	f := foldName(word)
	if f.over || f.n == 0 {
		return -1
	}
	if i := l.find(f.folded(), f.h); i >= 0 {
		l.entries[i].bits |= bits
		return i
	}
	if 2*(len(l.entries)+1) > len(l.slots) {
		l.grow()
	}
	l.entries = append(l.entries, lexEntry{key: string(f.folded()), hash: f.h, bits: bits})
	l.insert(f.h, int32(len(l.entries)))
	return len(l.entries) - 1
}

func (l *nameLexicon) insert(h uint64, idx int32) {
	for s := h & l.mask; ; s = (s + 1) & l.mask {
		if l.slots[s].idx == 0 {
			l.slots[s] = lexSlot{hash: h, idx: idx}
			return
		}
	}
}

func (l *nameLexicon) grow() {
	size := max(1024, 2*len(l.slots))
	l.slots = make([]lexSlot, size)
	l.mask = uint64(size - 1)
	for i := range l.entries {
		l.insert(l.entries[i].hash, int32(i+1))
	}
}

// find returns the index of the entry for the folded word w of hash h, or
// -1.
func (l *nameLexicon) find(w []byte, h uint64) int {
	if len(l.slots) == 0 {
		return -1
	}
	for s := h & l.mask; ; s = (s + 1) & l.mask {
		slot := &l.slots[s]
		if slot.idx == 0 {
			return -1
		}
		if slot.hash == h && l.entries[slot.idx-1].key == string(w) {
			return int(slot.idx - 1)
		}
	}
}

// bitsOf returns the bits of a word as written, for tests and data checks.
func (l *nameLexicon) bitsOf(word string) lexBits {
	f := foldName(word)
	if f.over {
		return 0
	}
	if i := l.find(f.folded(), f.h); i >= 0 {
		return l.entries[i].bits
	}
	return 0
}

// buildLexicon reads the embedded lists. Keep-lists win over name lists,
// except that a German noun which is also a surname ("Winter", "Vogel")
// only needs context, and a word after particles stays a surname there
// ("De Vos" though "vos" is French).
func buildLexicon() *nameLexicon {
	l := &nameLexicon{}
	files, _ := nameData.ReadDir("data/names")
	kinds := map[string]func(entry string){}
	kinds["given"] = func(e string) { l.addName(e, lexGiven) }
	kinds["surnames"] = func(e string) { l.addName(e, lexSurname) }
	order := []string{"given", "surnames", "words", "keep", "lang", "brands"}
	byKind := map[string][]string{}
	for _, f := range files {
		kind, _, _ := strings.Cut(strings.TrimSuffix(f.Name(), ".txt"), "_")
		byKind[kind] = append(byKind[kind], f.Name())
	}
	for _, kind := range order {
		for _, name := range byKind[kind] {
			data, _ := nameData.ReadFile(path.Join("data/names", name))
			l.addFile(kind, name, string(data), kinds)
		}
	}
	l.addStructural()
	buildCues(l)
	return l
}

// addFile adds the entries of one list file of the given kind.
func (l *nameLexicon) addFile(kind, name, data string, kinds map[string]func(string)) {
	for line := range strings.Lines(data) {
		line, _, _ = strings.Cut(line, "#")
		for entry := range strings.SplitSeq(line, ",") {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			switch {
			case kinds[kind] != nil:
				kinds[kind](entry)
			case kind == "words":
				l.addWord(entry)
			case kind == "keep":
				l.addKeep(entry, name)
			case kind == "brands":
				l.addBrand(entry)
			case name == "lang_de.txt":
				l.addEach(entry, lexGerman|lexKeep)
			case kind == "lang":
				l.addEach(entry, lexOther|lexKeep)
			}
		}
	}
}

// addName adds a name; for a surname with particles ("Van den Broeck")
// the particles become particles and the last word a core.
func (l *nameLexicon) addName(entry string, bit lexBits) {
	words := strings.Fields(entry)
	if len(words) == 1 {
		l.add(joinNameParts(entry), bit)
		return
	}
	for _, w := range words[:len(words)-1] {
		l.addEach(w, lexParticle)
	}
	l.add(joinNameParts(words[len(words)-1]), lexCore)
}

// addWord marks a name as an ordinary word too; a word that is no name
// yet becomes a given name.
func (l *nameLexicon) addWord(entry string) {
	i := l.add(joinNameParts(entry), lexWord)
	if i >= 0 && l.entries[i].bits&(lexName|lexCore) == 0 {
		l.entries[i].bits |= lexGiven
	}
}

// addKeep adds a word of the keep-list file named file: a word that is
// never a name. A German noun that is also a surname needs context
// instead. A word whose accents set it apart from a name ("Rosé",
// "Noël") is kept as written, so the name still counts. The words of
// places, days and months are marked as such: "Merci, Paris!" thanks a
// city.
func (l *nameLexicon) addKeep(entry, file string) {
	german := file == "keep_german.txt"
	if file == "keep_places.txt" {
		l.addEach(entry, lexPlace)
	}
	for w := range strings.FieldsFuncSeq(entry, isNameGlue) {
		i := l.add(w, 0)
		if i < 0 {
			continue
		}
		e := &l.entries[i]
		switch {
		case german && e.bits&lexSurname != 0:
			e.bits |= lexWord
		case e.bits&lexName != 0 && !isASCII(w):
			if l.accented == nil {
				l.accented = map[string]bool{}
			}
			l.accented[strings.ToLower(w)] = true
			e.bits |= lexAccented
		default:
			e.bits |= lexKeep
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// addBrand adds a brand named after a person ("Yves Rocher").
func (l *nameLexicon) addBrand(entry string) {
	var words []uint64
	for w := range strings.FieldsFuncSeq(entry, isNameGlue) {
		bit := lexBits(0)
		if len(words) == 0 {
			bit = lexBrand
		}
		if i := l.add(w, bit); i >= 0 {
			words = append(words, l.entries[i].hash)
		}
	}
	if len(words) > 0 {
		l.brands = append(l.brands, words)
	}
}

// addEach adds bits to every word of entry.
func (l *nameLexicon) addEach(entry string, bits lexBits) {
	for w := range strings.FieldsFuncSeq(entry, isNameGlue) {
		l.add(w, bits)
	}
}

// addStructural adds the titles, particles and other small closed lists.
func (l *nameLexicon) addStructural() {
	for _, set := range []struct {
		words []string
		bits  lexBits
	}{
		{nameTitles, lexTitle | lexKeep},
		{nameParticles, lexParticle},
		{nameStreets, lexStreet | lexKeep},
		{nameCompanies, lexCompany | lexKeep},
		{nameHeres, lexHere},
		{nameLinkers, lexLinker},
		{nameAnds, lexAnd},
		{nameBefores, lexBefore},
		{nameMonths, lexMonth},
		{nameCopulas, lexCopula},
		{namePossessives, lexPossess},
		{nameKinAdjs, lexKinAdj},
		{nameSpeaks, lexSpeak},
	} {
		for _, w := range set.words {
			l.add(w, set.bits)
		}
	}
}

// isNameGlue reports whether r joins or separates the words of a list
// entry or cue phrase.
func isNameGlue(r rune) bool {
	return unicode.IsSpace(r) || r == '\'' || r == '’' || r == '-' || r == '.'
}

// joinNameParts removes the hyphens and apostrophes of a name, so "D'Hondt"
// and "Anne-Sophie" are keyed as the tokens they are made of, run
// together.
func joinNameParts(s string) string {
	if !strings.ContainsAny(s, "'’-") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\'' || r == '’' || r == '-' {
			return -1
		}
		return r
	}, s)
}

// maxNameBytes bounds the folded length of a word the lexicon knows.
const maxNameBytes = 40

const (
	nameFNVOffset = 14695981039346656037
	nameFNVPrime  = 1099511628211
)

// nameFNV returns the FNV-1a hash of s.
func nameFNV(s string) uint64 {
	h := uint64(nameFNVOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * nameFNVPrime
	}
	return h
}

// nameFolder folds a word into a buffer, in lower case and without
// accents, and hashes it (FNV-1a) as it goes.
type nameFolder struct {
	buf  [maxNameBytes]byte
	n    int
	h    uint64
	over bool // the word did not fit
}

// newFolder returns an empty folder.
func newFolder() nameFolder { return nameFolder{h: nameFNVOffset} }

// foldName returns word folded.
func foldName(word string) nameFolder {
	f := newFolder()
	f.word(word)
	return f
}

// folded returns the folded bytes; they are valid until f changes.
func (f *nameFolder) folded() []byte { return f.buf[:f.n] }

// word folds every letter of s after those already in f, so that glued
// tokens can be looked up as one word.
func (f *nameFolder) word(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			f.byte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		f.rune(r)
		i += size
	}
}

func (f *nameFolder) byte(c byte) {
	f.h = (f.h ^ uint64(c)) * nameFNVPrime
	if f.n < maxNameBytes {
		f.buf[f.n] = c
		f.n++
		return
	}
	f.over = true
}

func (f *nameFolder) rune(r rune) {
	if s, ok := nameLatinFold[r]; ok {
		for k := 0; k < len(s); k++ {
			f.byte(s[k])
		}
		return
	}
	var tmp [utf8.UTFMax]byte
	for _, b := range utf8.AppendRune(tmp[:0], unicode.ToLower(r)) {
		f.byte(b)
	}
}

// nameLatinFolds maps Latin letters with diacritics to their base letters.
var nameLatinFolds = [...]struct{ from, to string }{
	{"àáâãäåāăąÀÁÂÃÄÅĀĂĄ", "a"}, {"çćĉċčÇĆĈĊČ", "c"}, {"ďđĎĐ", "d"},
	{"èéêëēĕėęěÈÉÊËĒĔĖĘĚ", "e"}, {"ĝğġģĜĞĠĢ", "g"}, {"ĥħĤĦ", "h"},
	{"ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ", "i"}, {"ĵĴ", "j"}, {"ķĶ", "k"},
	{"ĺļľŀłĹĻĽĿŁ", "l"}, {"ñńņňÑŃŅŇ", "n"},
	{"òóôõöøōŏőÒÓÔÕÖØŌŎŐ", "o"},
	{"ŕŗřŔŖŘ", "r"}, {"śŝşšșŚŜŞŠȘ", "s"}, {"ţťțŢŤȚ", "t"},
	{"ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ", "u"}, {"ŵŴ", "w"}, {"ýÿŷÝŸŶ", "y"},
	{"źżžŹŻŽ", "z"}, {"ßẞ", "ss"}, {"æÆ", "ae"}, {"œŒ", "oe"},
	{"þÞ", "th"},
}

// nameLatinFold is nameLatinFolds by letter.
var nameLatinFold = func() map[rune]string {
	m := make(map[rune]string, 256)
	for _, f := range nameLatinFolds {
		for _, r := range f.from {
			m[r] = f.to
		}
	}
	return m
}()
