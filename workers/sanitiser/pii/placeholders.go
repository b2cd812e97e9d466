package pii

import (
	"hash/maphash"
	"log/slog"
	"strconv"
	"strings"
	"sync"
)

// Placeholders numbers the personal values of one request so that a value
// gets the same placeholder wherever it appears in the message and its
// history, and different values of a type get different numbers:
// [PHONE_1], [PHONE_2]... It keeps only keyed hashes, in memory: of each
// value, and of each word of a name, so that the person detector can
// find again in a later text a name numbered earlier without the
// context that gave it away ("ik ben Sofie", then "Sofie hier"). It is
// meant to be dropped when the request is answered; it cannot turn a
// placeholder back into a value.
//
// The zero value is ready to use. A Placeholders is safe for concurrent
// use, though one request normally uses it from one goroutine.
type Placeholders struct {
	mu   sync.Mutex
	seed maphash.Seed
	// ids holds the number of each value by its hash, and the hashes of
	// the words of names, in a domain of their own, with number 0.
	ids    map[uint64]int
	values int // how many values ids numbers
	next   map[Type]int
}

// NewPlaceholders returns an empty set of placeholders.
func NewPlaceholders() *Placeholders {
	return &Placeholders{}
}

// Len returns how many distinct values have been given a placeholder.
func (p *Placeholders) Len() int {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.values
}

// LogValue shows only how many values p numbers.
func (p *Placeholders) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("values", p.Len()))
}

// String describes p without any value.
func (p *Placeholders) String() string {
	return "pii.Placeholders{" + strconv.Itoa(p.Len()) + " values}"
}

// Domains of the hashes Placeholders keeps.
const (
	hashValue byte = 0 // a whole value
	hashWord  byte = 1 // one word of a value
)

// label returns the placeholder of the value with canonical key key.
func (p *Placeholders) label(t Type, key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()

	var h maphash.Hash
	p.start(&h, t, hashValue)
	h.WriteString(key)
	sum := h.Sum64()

	n, ok := p.ids[sum]
	if !ok {
		p.next[t]++
		n = p.next[t]
		p.ids[sum] = n
		p.values++
		if t == Person {
			p.addWords(t, key)
		}
	}
	return placeholder(t, n)
}

// start readies h to hash a key of type t in a domain.
func (p *Placeholders) start(h *maphash.Hash, t Type, domain byte) {
	h.SetSeed(p.seed)
	h.WriteString(string(t))
	h.WriteByte(domain)
}

// addWords keeps the hashes of the words of key, split at spaces. Only
// names are looked for again by their words ("Sofie" of "Sofie
// Peeters"); values of other types are found by their shape wherever
// they are.
func (p *Placeholders) addWords(t Type, key string) {
	var h maphash.Hash
	for key != "" {
		w, rest, _ := strings.Cut(key, " ")
		if w != "" {
			p.start(&h, t, hashWord)
			h.WriteString(w)
			if _, ok := p.ids[h.Sum64()]; !ok {
				p.ids[h.Sum64()] = 0
			}
		}
		key = rest
	}
}

// hasWord reports whether word, in canonical form, is one of the words
// of a value of type t numbered so far: the whole of "sofie" or a part
// of "sofie peeters".
func (p *Placeholders) hasWord(t Type, word []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next[t] == 0 {
		return false
	}
	var h maphash.Hash
	p.start(&h, t, hashWord)
	h.Write(word)
	n, ok := p.ids[h.Sum64()]
	return ok && n == 0
}

// numbered reports whether a value of type t has been numbered, or a
// placeholder of that type was met in a text.
func (p *Placeholders) numbered(t Type) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.next[t] > 0
}

// reserve marks number n of type t as used by a placeholder already in a
// text, so that new values get higher numbers.
func (p *Placeholders) reserve(t Type, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()
	if n > p.next[t] {
		p.next[t] = n
	}
}

func (p *Placeholders) init() {
	if p.ids == nil {
		p.seed = maphash.MakeSeed()
		p.ids = make(map[uint64]int)
		p.next = make(map[Type]int)
	}
}

func placeholder(t Type, n int) string {
	return "[" + string(t) + "_" + strconv.Itoa(n) + "]"
}

// maxPlaceholderDigits bounds the number in a placeholder read from a
// text; longer ones are not placeholders this package wrote.
const maxPlaceholderDigits = 6

// parsePlaceholder reads a placeholder such as [CREDIT_CARD_12] at the
// start of s. It returns its length, type and number, or 0.
func parsePlaceholder(s string) (size int, t Type, n int) {
	if len(s) < 5 || s[0] != '[' || !isUpper(s[1]) {
		return 0, "", 0
	}
	end := strings.IndexByte(s, ']')
	if end < 0 || end > 48 {
		return 0, "", 0
	}
	body := s[1:end]
	us := strings.LastIndexByte(body, '_')
	if us < 1 {
		return 0, "", 0
	}
	for i := 0; i < us; i++ {
		if !isUpper(body[i]) && body[i] != '_' {
			return 0, "", 0
		}
	}
	num := body[us+1:]
	if num == "" || len(num) > maxPlaceholderDigits || num[0] == '0' {
		return 0, "", 0
	}
	n = 0
	for i := 0; i < len(num); i++ {
		if !isDigit(num[i]) {
			return 0, "", 0
		}
		n = n*10 + int(num[i]-'0')
	}
	return end + 1, Type(body[:us]), n
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// protect finds the placeholders already in text, reserves their numbers
// in p and appends them to dst as spans no detector may take.
func protect(text string, p *Placeholders, dst []candidate) []candidate {
	for off := 0; ; {
		k := strings.IndexByte(text[off:], '[')
		if k < 0 {
			return dst
		}
		at := off + k
		size, t, n := parsePlaceholder(text[at:])
		if size == 0 {
			off = at + 1
			continue
		}
		p.reserve(t, n)
		dst = append(dst, candidate{
			Span:      Span{Start: at, End: at + size},
			protected: true,
		})
		off = at + size
	}
}

// replace writes text with the kept spans, sorted by position, replaced
// by their placeholders.
func replace(text string, kept []candidate, p *Placeholders) (string, []Finding) {
	var b strings.Builder
	b.Grow(len(text) + 8*len(kept))
	var found []Finding
	last := 0
	for _, c := range kept {
		if c.protected {
			continue
		}
		key := c.Key
		if key == "" {
			key = text[c.Start:c.End]
		}
		b.WriteString(text[last:c.Start])
		b.WriteString(p.label(c.typ, key))
		last = c.End
		found = append(found, Finding{
			Type: c.typ, Start: c.Start, End: c.End, Reason: c.Reason,
		})
	}
	if found == nil {
		return text, nil
	}
	b.WriteString(text[last:])
	return b.String(), found
}
