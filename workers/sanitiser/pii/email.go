package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// emailDetector finds e-mail addresses: a local part, '@', and a domain of
// at least two labels whose last label is letters only. It looks only
// around '@' signs, so text without one costs a single byte search.
//
// TODO(#3): obfuscated addresses ("jan at gmail dot com", "jan[at]...").
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
		if start == at {
			continue
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
	return dst
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
