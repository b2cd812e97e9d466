package local

import (
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/iglowly/assistant/config"
)

// span is one opening period of a day, as "HH:MM" strings.
type span struct {
	open, close string
}

// clinicIndex is what the model precomputes for one clinic. It is
// immutable once built and shared by every request for that clinic.
//
// It must not point at the config.Clinic itself (only at its slices), or
// the cache below would keep every clinic ever seen alive.
type clinicIndex struct {
	lex        *lexicon
	treatments []config.Treatment
	faq        []config.FAQ
	week       [7][]span // by time.Weekday
}

// indexes caches one clinicIndex per *config.Clinic. Keys are weak, and an
// entry is dropped when its clinic is garbage collected, so replacing a
// clinic's configuration (a new *config.Clinic) does not leak.
var indexes sync.Map // weak.Pointer[config.Clinic] -> *clinicIndex

// indexFor returns the index of c, building it on first use. A Clinic is
// treated as immutable once used: changes are published as a new
// *config.Clinic. As a safety net, an index whose treatment or FAQ slices
// no longer match the clinic's is rebuilt.
func indexFor(c *config.Clinic) *clinicIndex {
	key := weak.Make(c)
	v, ok := indexes.Load(key)
	if ok {
		idx := v.(*clinicIndex)
		if idx.matches(c) {
			return idx
		}
		fresh := buildIndex(c)
		indexes.CompareAndSwap(key, idx, fresh)
		return fresh
	}
	v, loaded := indexes.LoadOrStore(key, buildIndex(c))
	if !loaded {
		runtime.AddCleanup(c, func(k weak.Pointer[config.Clinic]) {
			indexes.Delete(k)
		}, key)
	}
	return v.(*clinicIndex)
}

// matches reports whether idx was built from c's current slices.
func (idx *clinicIndex) matches(c *config.Clinic) bool {
	return sameSlice(idx.treatments, c.Treatments) &&
		sameSlice(idx.faq, c.FAQ)
}

func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// buildIndex indexes a clinic's treatments and FAQ by their ids, names in
// every language and keywords, and its opening hours by weekday.
func buildIndex(c *config.Clinic) *clinicIndex {
	lx := newLexicon(true)
	for i, t := range c.Treatments {
		s := sig{kind: kindTreatment, id: i, weight: weakTerm}
		lx.add(t.ID, s, true)
		for _, lang := range textLanguages(t.Name) {
			addName(lx, t.Name[lang], s)
		}
		for _, k := range t.Keywords {
			lx.add(k, s, true)
		}
	}
	for i, f := range c.FAQ {
		s := sig{kind: kindFAQ, id: i, weight: weakTerm}
		lx.add(f.ID, s, true)
		for _, k := range f.Keywords {
			lx.add(k, s, true)
		}
	}
	return &clinicIndex{
		lex:        lx.finish(),
		treatments: c.Treatments,
		faq:        c.FAQ,
		week:       weekOf(c.Hours),
	}
}

// addName indexes a treatment name: each telling word on its own, and
// short names also as a phrase ("lip filler").
func addName(lx *lexicon, name string, s sig) {
	var words []string
	for _, w := range tokenize(name) {
		if len(w) >= 3 && !stopwords[w] && !nameNoise[w] {
			words = append(words, w)
		}
	}
	for _, w := range words {
		lx.add(w, s, true)
	}
	if len(words) == 2 || len(words) == 3 {
		lx.add(strings.Join(words, " "), s, true)
	}
}

// textLanguages lists the languages of t in a fixed order: the supported
// languages first, then any others sorted, so that indexes are
// deterministic.
func textLanguages(t config.Text) []string {
	var out, extra []string
	for _, l := range config.Languages {
		if _, ok := t[l]; ok {
			out = append(out, l)
		}
	}
	for l := range t {
		if !config.SupportedLanguage(l) {
			extra = append(extra, l)
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// dayNumbers maps config day keys to time.Weekday.
var dayNumbers = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday,
	"sat": time.Saturday,
}

// weekOf groups opening hours by weekday, each day's periods sorted.
// Entries with an unknown day are skipped (Validate refuses them).
func weekOf(hours []config.OpeningHours) [7][]span {
	var week [7][]span
	for _, h := range hours {
		d, ok := dayNumbers[h.Day]
		if !ok {
			continue
		}
		week[d] = append(week[d], span{h.Open, h.Close})
	}
	for d := range week {
		sort.Slice(week[d], func(i, j int) bool {
			return week[d][i].open < week[d][j].open
		})
	}
	return week
}
