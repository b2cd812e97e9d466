package pii

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emailDetector finds e-mail addresses: a local part, '@', and a domain of
// at least two labels whose last label is letters only. It looks only
// around '@' signs, so text without one costs a single byte search, and
// then for addresses spelled out against robots (spelledEmails).
type emailDetector struct{}

func init() { register(prioEmail, emailDetector{}) }

func (emailDetector) Type() Type { return Email }

func (emailDetector) Find(in *Input, dst []Span) []Span {
	s := in.Text
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], '@')
		if k < 0 {
			break
		}
		at := off + k
		off = at + 1
		start := localStart(s, at)
		if start == at || start > 0 && s[start-1] == '@' &&
			fediverseHandle(s, start-1) >= 0 {
			continue // "@sofie@mastodon.social" is a URL
		}
		end := domainEnd(s, at+1)
		if end < 0 {
			continue
		}
		dst = append(dst, Span{
			Start: start, End: end, Reason: ReasonPattern,
			Key: strings.ToLower(s[start:end]),
		})
	}
	return spelledEmails(s, dst)
}

// localStart returns where the local part ending at offset at begins; at
// itself when there is none.
func localStart(s string, at int) int {
	k := at
	for k > 0 {
		c := s[k-1]
		if c < utf8.RuneSelf {
			if !isAlnum(c) && !strings.ContainsRune("._%+-", rune(c)) {
				break
			}
			k--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:k])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		k -= size
	}
	for k < at && s[k] == '.' {
		k++
	}
	return k
}

// domainEnd returns where the domain starting at offset p ends, or -1 if
// there is no valid domain there. It stops after the last label that can
// end a domain (letters only, two or more), so "x@mail.com." ends before
// the full stop.
func domainEnd(s string, p int) int {
	end, labels := -1, 0
	for i := p; ; {
		ls := i
		i = labelEnd(s, i)
		if i == ls {
			break
		}
		labels++
		if labels >= 2 && isTLD(s[ls:i]) {
			end = i
		}
		if i+1 < len(s) && s[i] == '.' {
			i++
			continue
		}
		break
	}
	return end
}

// labelEnd returns the end of the domain label starting at offset i.
func labelEnd(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isAlnum(c) && c != '-' {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		i += size
	}
	return i
}

// isTLD reports whether label can be a top-level domain: two or more
// letters.
func isTLD(label string) bool {
	n := 0
	for _, r := range label {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= 2
}

// ReasonSpelled is an e-mail address with "at" and "dot" written out,
// as in "jan dot peeters at gmail dot com" or "jan[at]telenet[dot]be".
const ReasonSpelled Reason = "pattern:spelled"

var (
	//go:embed data/email/tlds.txt
	tldsText string
	//go:embed data/email/notlocal.txt
	notLocalText string
	//go:embed data/email/notdomain.txt
	notDomainText string

	// spelledTLDs are the top-level domains a spelled-out address may
	// end in: a closed list, so that "at 10.30" or "at Brussels.Thanks"
	// are no addresses.
	spelledTLDs = emailWordSet(tldsText)
	// notLocal are words that come before an ordinary "at" ("look at",
	// "je suis chez").
	notLocal = emailWordSet(notLocalText)
	// notDomain are words that come after an ordinary "at" or "chez"
	// ("at home", "chez moi") or after an ordinary "dot" or "point"
	// ("point final"): no label of an address ending in a top-level
	// domain not listed.
	notDomain = emailWordSet(notDomainText)
)

// emailWordSet reads a list of one word a line, with '#' comments.
func emailWordSet(text string) map[string]bool {
	m := make(map[string]bool)
	for _, line := range strings.Split(text, "\n") {
		if w := strings.TrimSpace(line); w != "" && w[0] != '#' {
			m[w] = true
		}
	}
	return m
}

// The words spelled for '@' and '.', in the four languages.
var (
	atWords  = []string{"at", "apenstaartje", "arobase", "chez"}
	dotWords = []string{"dot", "punt", "point", "punkt"}
)

// spelledEmails appends the addresses of s whose '@' is a word ("at",
// "apenstaartje", "arobase", "chez", bare or in brackets, or "a" in
// brackets as in "jan (a) gmail.com") or an '@' between spaces, whose
// local part is one or more words joined by '.' or a spelled dot, and
// whose domain is labels joined the same way and ending in a top-level
// domain. A bare "at" or "chez" is a common word, so there the local part
// may not be a word like "look" or "me".
//
// The top-level domain is one of a list, or any of two to six letters
// after a spelled dot when the address reads as one (looseAddress):
// "marie at creperie dot bzh" and "tom at studio dot ninja" are taken,
// "I'm at work dot dot dot" and "chez moi point final" are not. Names
// glued with underscores ("jan_at_gmail_dot_com") are read by
// underscoredEmails.
func spelledEmails(s string, dst []Span) []Span {
	for p := 0; p+2 < len(s); p++ {
		i := p + 1
		if !beforeSpelledAt[s[p]] {
			continue
		}
		if s[i] == '@' {
			dst = spelledAt(s, i, i+1, dst)
			continue
		}
		if c := s[i] | 0x20; c != 'a' && c != 'c' {
			continue
		}
		j := i
		for j < len(s) && (isLetter(s[j]) || s[j] >= utf8.RuneSelf) {
			j++
		}
		if isAtWord(s[i:j]) || j == i+1 && bracketedAt(s, i, j) {
			n := len(dst)
			dst = spelledAt(s, i, j, dst)
			if len(dst) > n {
				j = max(j, dst[n].End)
			}
		}
		p = j - 1
	}
	if strings.IndexByte(s, '_') >= 0 {
		dst = underscoredEmails(s, dst)
	}
	return dst
}

// bracketedAt reports whether the letter s[i:j] stands in brackets,
// as the "a" of "jan (a) gmail.com" does.
func bracketedAt(s string, i, j int) bool {
	_, _, bracketed := spelledToken(s, i, j)
	return bracketed
}

// beforeSpelledAt marks the bytes a spelled '@' follows: a space or an
// opening bracket.
var beforeSpelledAt = [256]bool{' ': true, '[': true, '(': true, '{': true, '<': true}

// isAtWord reports whether w is one of atWords, in any case. It looks at
// the length and first letter before comparing, as most words are not.
func isAtWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	switch c := w[0] | 0x20; {
	case c == 'a' && (len(w) == 2 || len(w) == 7 || len(w) == 12),
		c == 'c' && len(w) == 4:
		return isWordOf(w, atWords)
	}
	return false
}

// spelledAt appends the address around the spelled '@' s[i:j], if any.
func spelledAt(s string, i, j int, dst []Span) []Span {
	ta, tb, bracketed := spelledToken(s, i, j)
	if ta < 0 {
		return dst
	}
	start, local := spelledLocal(s, ta)
	if start < 0 {
		return dst
	}
	if !bracketed && s[i] != '@' && len(local) == 1 &&
		notLocal[strings.ToLower(s[local[0].a:local[0].b])] {
		return dst
	}
	end, domain, loose := spelledDomain(s, tb)
	if end < 0 || loose && !looseAddress(s, local, domain) {
		return dst
	}
	return append(dst, Span{
		Start: start, End: end, Reason: ReasonSpelled,
		Key: spelledKey(s, local, domain),
	})
}

// looseAddress reports whether a spelled address whose top-level domain
// is not listed reads as an address rather than a sentence: no word of
// its local part or label of its domain is a word of notLocal or
// notDomain, the domain is ASCII letters, digits and dashes in lower
// case (or the whole address in capitals), and each label but the last
// has two characters or more.
func looseAddress(s string, local, domain []spelledPart) bool {
	upper := true
	for _, p := range local {
		w := strings.ToLower(s[p.a:p.b])
		if notLocal[w] || notDomain[w] {
			return false
		}
		upper = upper && strings.ToUpper(s[p.a:p.b]) == s[p.a:p.b]
	}
	for n, p := range domain {
		label := s[p.a:p.b]
		if n < len(domain)-1 && len(label) < 2 {
			return false
		}
		lower, caps := true, true
		for k := 0; k < len(label); k++ {
			c := label[k]
			if !isAlnum(c) && c != '-' {
				return false
			}
			lower, caps = lower && !isUpper(c), caps && !('a' <= c && c <= 'z')
		}
		w := strings.ToLower(label)
		if !lower && !(caps && upper) || notLocal[w] || notDomain[w] {
			return false
		}
	}
	return true
}

// spelledToken returns the bounds of the spelled '@' s[i:j] with its
// brackets, if any: "[at]", "(at)", "{at}", "<at>", with a space inside
// at most. A token without brackets must stand between spaces.
func spelledToken(s string, i, j int) (ta, tb int, bracketed bool) {
	o, c := i-1, j
	if o >= 0 && s[o] == ' ' {
		o--
	}
	if c < len(s) && s[c] == ' ' {
		c++
	}
	if o >= 0 && c < len(s) && bracketCloser(s[o]) != 0 && s[c] == bracketCloser(s[o]) {
		return o, c + 1, true
	}
	if i > 0 && s[i-1] == ' ' && j < len(s) && s[j] == ' ' {
		return i, j, false
	}
	return -1, -1, false
}

// bracketCloser returns the bracket that closes the opening bracket c, or 0.
func bracketCloser(c byte) byte {
	switch c {
	case '[':
		return ']'
	case '(':
		return ')'
	case '{':
		return '}'
	case '<':
		return '>'
	}
	return 0
}

// spelledPart is the byte range of one word of a spelled address.
type spelledPart struct{ a, b int }

// maxSpelledParts bounds the words of a local part or a domain.
const maxSpelledParts = 6

// spelledLocal reads the local part that ends before offset ta, over
// spaces: words joined by '.' or spelled dots. It returns where it
// starts and its words, nearest last, or -1.
func spelledLocal(s string, ta int) (int, []spelledPart) {
	var parts []spelledPart
	k := spelledSpacesBack(s, ta)
	for len(parts) < maxSpelledParts {
		ls := localStart(s, k)
		if ls == k {
			break
		}
		parts = append(parts, spelledPart{ls, k})
		k = ls
		d := dotBefore(s, k)
		if d < 0 || localStart(s, d) == d {
			break
		}
		k = d
	}
	if len(parts) == 0 || gluedLetter(s, k) {
		return -1, nil
	}
	for l, r := 0, len(parts)-1; l < r; l, r = l+1, r-1 {
		parts[l], parts[r] = parts[r], parts[l]
	}
	return k, parts
}

// spelledDomain reads the domain that starts after offset tb, over
// spaces: labels joined by '.' or spelled dots, up to the last label
// that is a known top-level domain or, failing one, up to the last label
// of two to six letters after a spelled dot (loose). It returns where it
// ends and its labels, or -1.
func spelledDomain(s string, tb int) (end int, labels []spelledPart, loose bool) {
	var parts []spelledPart
	end, good, looseEnd, looseGood := -1, 0, -1, 0
	spoken := false // the label at k follows a spelled dot
	for k := spelledSpaces(s, tb); len(parts) < maxSpelledParts; {
		le := labelEnd(s, k)
		if le == k {
			break
		}
		parts = append(parts, spelledPart{k, le})
		if len(parts) >= 2 {
			switch label := s[k:le]; {
			case spelledTLDs[strings.ToLower(label)]:
				end, good = le, len(parts)
			case spoken && looseTLD(label):
				looseEnd, looseGood = le, len(parts)
			}
		}
		switch {
		case le+1 < len(s) && s[le] == '.' && isAlnum(s[le+1]):
			k, spoken = le+1, false
		case dotAfter(s, le) >= 0:
			k, spoken = dotAfter(s, le), true
		default:
			k = -1
		}
		if k < 0 {
			break
		}
	}
	if end < 0 && looseEnd >= 0 {
		end, good, loose = looseEnd, looseGood, true
	}
	if end < 0 || wordAt(s, end) || end < len(s) && strings.IndexByte("/:", s[end]) >= 0 {
		return -1, nil, false
	}
	return end, parts[:good], loose
}

// looseTLD reports whether label may be a top-level domain not listed:
// two to six ASCII letters, not a spelled '@' or dot.
func looseTLD(label string) bool {
	if len(label) < 2 || len(label) > 6 {
		return false
	}
	for k := 0; k < len(label); k++ {
		if !isLetter(label[k]) {
			return false
		}
	}
	return !isWordOf(label, atWords) && !isWordOf(label, dotWords)
}

// dotAfter returns the offset after the spelled dot that starts at
// offset p ("dot", " punt ", "[dot]", "(point)", " . "), or -1.
func dotAfter(s string, p int) int {
	k := spelledSpaces(s, p)
	if k < len(s) && bracketCloser(s[k]) != 0 {
		w := spelledSpaces(s, k+1)
		we := w
		for we < len(s) && isLetter(s[we]) {
			we++
		}
		c := spelledSpaces(s, we)
		if isWordOf(s[w:we], dotWords) && c < len(s) && s[c] == bracketCloser(s[k]) {
			return spelledSpaces(s, c+1)
		}
		return -1
	}
	if k == p || k >= len(s) {
		return -1
	}
	we := k
	for we < len(s) && isLetter(s[we]) {
		we++
	}
	if we == k && s[k] == '.' {
		we = k + 1
	} else if !isWordOf(s[k:we], dotWords) {
		return -1
	}
	if we >= len(s) || s[we] != ' ' {
		return -1
	}
	return spelledSpaces(s, we)
}

// dotBefore returns where the spelled dot that ends at offset p starts,
// spaces included, or -1.
func dotBefore(s string, p int) int {
	k := spelledSpacesBack(s, p)
	if k > 0 && isCloseBracket(s[k-1]) {
		we := spelledSpacesBack(s, k-1)
		w := we
		for w > 0 && isLetter(s[w-1]) {
			w--
		}
		o := spelledSpacesBack(s, w)
		if isWordOf(s[w:we], dotWords) && o > 0 && bracketCloser(s[o-1]) == s[k-1] {
			return spelledSpacesBack(s, o-1)
		}
		return -1
	}
	if k == p || k == 0 {
		return -1
	}
	w := k
	for w > 0 && isLetter(s[w-1]) {
		w--
	}
	if w == k && s[k-1] == '.' {
		w = k - 1
	} else if !isWordOf(s[w:k], dotWords) {
		return -1
	}
	if w == 0 || s[w-1] != ' ' {
		return -1
	}
	return spelledSpacesBack(s, w)
}

func isCloseBracket(c byte) bool { return c == ']' || c == ')' || c == '}' || c == '>' }

// maxSpelledSpaces bounds the spaces skipped between the words of an address.
const maxSpelledSpaces = 3

func spelledSpaces(s string, k int) int {
	for n := 0; k < len(s) && s[k] == ' ' && n < maxSpelledSpaces; n++ {
		k++
	}
	return k
}

func spelledSpacesBack(s string, k int) int {
	for n := 0; k > 0 && s[k-1] == ' ' && n < maxSpelledSpaces; n++ {
		k--
	}
	return k
}

// isWordOf reports whether w is one of the lower-case words, in any
// case.
func isWordOf(w string, words []string) bool {
	for _, x := range words {
		if len(w) == len(x) && strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// spelledKey writes the address as it would be typed, in lower case.
func spelledKey(s string, local, domain []spelledPart) string {
	var b strings.Builder
	for n, p := range local {
		if n > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ToLower(s[p.a:p.b]))
	}
	b.WriteByte('@')
	for n, p := range domain {
		if n > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ToLower(s[p.a:p.b]))
	}
	return b.String()
}

// underscoredEmails appends the addresses of s spelled with underscores
// for spaces, as in "jan_at_gmail_dot_com" or "an.peeters_AT_telenet.be":
// a local part, "_at_", and labels joined by '.' or "_dot_" up to the
// last that is a listed top-level domain.
func underscoredEmails(s string, dst []Span) []Span {
	for off := 0; off+4 <= len(s); {
		k := strings.IndexByte(s[off:], '_')
		if k < 0 {
			break
		}
		at := off + k
		off = at + 1
		if at+4 > len(s) || !strings.EqualFold(s[at:at+4], "_at_") {
			continue
		}
		start := underscoredLocal(s, at)
		if start < 0 {
			continue
		}
		end, domain := underscoredDomain(s, at+4)
		if end < 0 {
			continue
		}
		local := []spelledPart{{start, at}}
		dst = append(dst, Span{
			Start: start, End: end, Reason: ReasonSpelled,
			Key: spelledKey(s, local, domain),
		})
		off = end
	}
	return dst
}

// maxLocal bounds the local part read back from an underscored '@'.
const maxLocal = 64

// underscoredLocal returns where the local part that ends at offset at
// starts, or -1: letters, digits, '.', '_' and '-', starting with a
// letter or digit, not glued to a word.
func underscoredLocal(s string, at int) int {
	k := at
	for k > 0 && at-k < maxLocal && (isAlnum(s[k-1]) ||
		strings.IndexByte("._-", s[k-1]) >= 0) {
		k--
	}
	for k < at && !isAlnum(s[k]) {
		k++
	}
	if k == at || gluedLetter(s, k) {
		return -1
	}
	return k
}

// underscoredDomain reads the domain starting at offset p after "_at_".
// It returns where it ends and its labels, or -1.
func underscoredDomain(s string, p int) (int, []spelledPart) {
	var parts []spelledPart
	end, good := -1, 0
	for k := p; k >= 0 && len(parts) < maxSpelledParts; {
		le := k
		for le < len(s) && (isAlnum(s[le]) || s[le] == '-') {
			le++
		}
		if le == k {
			break
		}
		parts = append(parts, spelledPart{k, le})
		if len(parts) >= 2 && spelledTLDs[strings.ToLower(s[k:le])] {
			end, good = le, len(parts)
		}
		switch {
		case le+1 < len(s) && s[le] == '.' && isAlnum(s[le+1]):
			k = le + 1
		case le+5 < len(s) && strings.EqualFold(s[le:le+5], "_dot_"):
			k = le + 5
		default:
			k = -1
		}
	}
	if end < 0 || wordAt(s, end) {
		return -1, nil
	}
	return end, parts[:good]
}
