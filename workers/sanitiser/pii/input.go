package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Input is a text being redacted, with analyses that several detectors
// share, computed once on first use.
type Input struct {
	// Text is the text being searched.
	Text string

	// earlier numbers the values found earlier in the request: in the
	// history, before this text. It may be nil.
	earlier *Placeholders

	scanned bool
	groups  []group
	runs    []run
	digits  []byte
}

func (in *Input) reset(text string) {
	in.Text = text
	in.earlier = nil
	in.scanned = false
	in.groups = in.groups[:0]
	in.runs = in.runs[:0]
	in.digits = in.digits[:0]
}

// seenAny reports whether a value of type t was found earlier in the
// request, so that a detector can skip looking words up in seenWord.
func (in *Input) seenAny(t Type) bool {
	return in.earlier != nil && in.earlier.numbered(t)
}

// seenWord reports whether word, in the canonical form of keys, is the
// whole or a part of a value of type t found earlier in the request. It
// compares keyed hashes only: nothing maps them back to the values.
func (in *Input) seenWord(t Type, word []byte) bool {
	return in.earlier != nil && in.earlier.hasWord(t, word)
}

// group is one block of digits inside a run.
type group struct {
	start, end int // byte offsets of the digits
	// sep is the separator before the group: 0 for the first group of a
	// run, one of " .-/" otherwise, or '(' / ')' when the gap holds a
	// parenthesis.
	sep   byte
	plus  bool // '+' right before the group
	open  bool // '(' right before the group
	close bool // ')' right after the group
}

func (g group) len() int { return g.end - g.start }

// run is a maximal sequence of digit groups joined by single separators,
// such as "+32 (0)470 12 34 56" or "12/03/2025". Numbers are found by
// classifying ranges of a run's groups.
type run struct {
	first, last int // indexes into Input.groups, inclusive
	// gluedLeft and gluedRight tell that the run touches a letter, '@',
	// '_' or a decimal comma: it is part of a word or a longer number.
	gluedLeft, gluedRight bool
}

// digitRuns returns the runs of digits in the text.
func (in *Input) digitRuns() []run {
	if !in.scanned {
		in.scanned = true
		s := in.Text
		for i := 0; i < len(s); {
			if isDigit(s[i]) {
				i = in.scanRun(i)
				continue
			}
			i++
		}
	}
	return in.runs
}

// scanRun reads the run whose first digit is at i and returns the offset
// just past it.
func (in *Input) scanRun(i int) int {
	s := in.Text
	r := run{first: len(in.groups)}
	g := group{start: i}
	lead := i
	if i > 0 && (s[i-1] == '+' || s[i-1] == '(') {
		g.plus, g.open = s[i-1] == '+', s[i-1] == '('
		lead--
	}
	r.gluedLeft = gluedBefore(s, lead)
	for {
		j := g.start
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		g.end = j
		next, sep, closed, opened := scanGap(s, j)
		if next < 0 && len(in.groups) == r.first && !g.plus {
			next, sep = spacedAreaGap(s, g.start, j)
		}
		g.close = closed
		in.groups = append(in.groups, g)
		if next < 0 {
			r.last = len(in.groups) - 1
			r.gluedRight = gluedAfter(s, j)
			in.runs = append(in.runs, r)
			return j
		}
		g = group{start: next, sep: sep, open: opened}
	}
}

// scanGap reads the separator after a digit group ending at j. It returns
// the offset of the next group's first digit, or -1 when the run ends.
func scanGap(s string, j int) (next int, sep byte, closed, opened bool) {
	at := func(k int) byte {
		if k < len(s) {
			return s[k]
		}
		return 0
	}
	c := at(j)
	switch {
	case c == ' ' || c == '.' || c == '-' || c == '/':
		if c == ' ' && at(j+1) == '(' && isDigit(at(j+2)) {
			return j + 2, '(', false, true
		}
		if isDigit(at(j + 1)) {
			return j + 1, c, false, false
		}
	case c == 0xC2 && at(j+1) == 0xA0: // no-break space
		if isDigit(at(j + 2)) {
			return j + 2, ' ', false, false
		}
	case c == '(':
		if isDigit(at(j + 1)) {
			return j + 1, '(', false, true
		}
	case c == ')':
		n := at(j + 1)
		if isDigit(n) {
			return j + 1, ')', true, false
		}
		if (n == ' ' || n == '-' || n == '.' || n == '/') && isDigit(at(j+2)) {
			return j + 2, ')', true, false
		}
	}
	return -1, 0, c == ')', false
}

// spacedAreaGap reads a slash or dash with a space on each side after
// the first group of a run (or an en dash, "0176 – 4481 2290"), when
// that group, from start to j, looks like an area code written apart:
// 3 to 5 digits starting with 0 and another digit, as in "0211 / 43 86
// 02 10". Elsewhere such a gap parts two
// numbers ("1985 / 221B", "9 - 18"), so it ends the run.
func spacedAreaGap(s string, start, j int) (int, byte) {
	n := j - start
	if n < 3 || n > 5 || s[start] != '0' || s[start+1] == '0' ||
		j+3 >= len(s) || s[j] != ' ' {
		return -1, 0
	}
	mark, sep := 1, s[j+1]
	if strings.HasPrefix(s[j+1:], "–") {
		mark, sep = len("–"), '-' // an en dash, as word processors write it
	} else if sep != '/' && sep != '-' {
		return -1, 0
	}
	k := j + 1 + mark
	if k+1 >= len(s) || s[k] != ' ' || !isDigit(s[k+1]) {
		return -1, 0
	}
	return k + 1, sep
}

// gluedBefore reports whether the character before offset k makes a run
// starting at k part of a word or of a longer number.
func gluedBefore(s string, k int) bool {
	if k == 0 {
		return false
	}
	c := s[k-1]
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeLastRuneInString(s[:k])
		return unicode.IsLetter(r)
	}
	// A placeholder stands for a value, so "[PHONE_1],5" is glued as
	// "0470123456,5" was: redacting again finds nothing new.
	if (c == ',' || c == ':') && k >= 2 && (isDigit(s[k-2]) || s[k-2] == ']') {
		return true
	}
	return isWordByte(c)
}

// gluedAfter reports whether the character at offset k makes a run
// ending at k part of a word or of a longer number.
func gluedAfter(s string, k int) bool {
	if k < len(s) && s[k] == ')' {
		k++
	}
	if k >= len(s) {
		return false
	}
	c := s[k]
	if c >= utf8.RuneSelf {
		r, _ := utf8.DecodeRuneInString(s[k:])
		return unicode.IsLetter(r)
	}
	if (c == ',' || c == ':') && k+1 < len(s) && (isDigit(s[k+1]) || s[k+1] == '[') {
		return true
	}
	return isWordByte(c)
}

// candidates calls try for ranges [i, j] of the groups of r that may hold
// one value of at most maxDigits digits: longest first from each start,
// left to right. A range may not begin a run glued on its left, nor end
// one glued on its right. When try takes a range, the search goes on
// after it.
func (in *Input) candidates(r run, maxDigits int, try func(i, j int) bool) {
	for i := r.first; i <= r.last; i++ {
		if i == r.first && r.gluedLeft {
			continue
		}
		j, n := i, in.groups[i].len()
		for j < r.last && n+in.groups[j+1].len() <= maxDigits {
			j++
			n += in.groups[j].len()
		}
		for ; j >= i; j-- {
			if j == r.last && r.gluedRight {
				continue
			}
			if try(i, j) {
				i = j
				break
			}
		}
	}
}

// digitsOf collects the digits of groups [i, j] into a scratch buffer
// valid until the next call. With skipTrunk, a "(0)" group after the
// first, as in "+32 (0)470", is left out.
func (in *Input) digitsOf(i, j int, skipTrunk bool) []byte {
	in.digits = in.digits[:0]
	for k := i; k <= j; k++ {
		g := in.groups[k]
		if skipTrunk && k > i && in.isTrunk(k) {
			continue
		}
		in.digits = append(in.digits, in.Text[g.start:g.end]...)
	}
	return in.digits
}

// isTrunk reports whether group k is a "(0)" trunk prefix.
func (in *Input) isTrunk(k int) bool {
	g := in.groups[k]
	return g.open && g.close && g.len() == 1 && in.Text[g.start] == '0'
}

// spanOf returns the byte range of groups [i, j], with a leading '+' or
// '(' and a closing ')'.
func (in *Input) spanOf(i, j int) (start, end int) {
	a, b := in.groups[i], in.groups[j]
	start, end = a.start, b.end
	if a.plus || a.open {
		start--
	}
	if b.close && (a.open || b.open) {
		end++
	}
	return start, end
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }

// isWordByte reports whether an ASCII byte next to a number makes it part
// of a word, a code or an address. Brackets count because a placeholder
// stands for a value that was glued to its neighbours.
func isWordByte(c byte) bool {
	return isAlnum(c) || c == '_' || c == '@' || c == '[' || c == ']'
}
