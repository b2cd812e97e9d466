package pii

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ipDetector finds IP addresses:
//
//   - IPv4: exactly four decimal octets of 0 to 255 joined by dots,
//     without leading zeros, so that dates ("12.03.2025"), prices
//     ("1.250.000", "1.250.000.000") and version numbers ("v1.2.3.4",
//     "version 4.2.1.0") stay; a port or prefix length after it
//     ("10.0.0.1:8080", "/24") is left out of the span.
//   - IPv6: full ("2001:0db8:0000:0000:0000:ff00:0042:8329"),
//     compressed ("2001:db8::1", "::1", "fe80::1") and with an IPv4 tail
//     ("::ffff:192.0.2.1"); a zone ("%eth0"), brackets and a port are
//     left out. Times ("10:30", "10:30:00") and MAC addresses
//     ("00:1a:2b:3c:4d:5e") have too few groups and no "::".
//
// An IPv6 address is keyed by its canonical form (RFC 5952: lower case,
// no leading zeros, the longest run of zero groups compressed), so that
// "2001:db8::1" and "2001:0DB8:0:0:0:0:0:1" share a placeholder; an
// IPv4-mapped address ("::ffff:192.0.2.1") shares the one of its IPv4
// address.
type ipDetector struct{}

func init() { register(prioIP, ipDetector{}) }

func (ipDetector) Type() Type { return IPAddress }

func (ipDetector) Find(in *Input, dst []Span) []Span {
	dst = in.ipv4s(dst)
	if strings.IndexByte(in.Text, ':') >= 0 {
		dst = ipv6s(in.Text, dst)
	}
	return dst
}

// versionCues are the words that make four numbers a version.
var versionCues = newCueSet("version", "versie", "v", "build", "release",
	"update", "app", "ios", "android", "firmware")

// ipv4s appends the IPv4 addresses among the runs of digits.
func (in *Input) ipv4s(dst []Span) []Span {
	for _, r := range in.digitRuns() {
		for k := r.first; k <= r.last; {
			last := k
			for last < r.last && in.groups[last+1].sep == '.' {
				last++
			}
			if last-k == 3 && in.ipv4Groups(r, k, last) {
				start, end := in.groups[k].start, in.groups[last].end
				dst = append(dst, Span{
					Start: start, End: end, Reason: ReasonPattern,
				})
			}
			k = last + 1
		}
	}
	return dst
}

// ipv4Groups reports whether groups [i, j] of run r, four groups joined
// by dots, are an IPv4 address.
func (in *Input) ipv4Groups(r run, i, j int) bool {
	if i == r.first && r.gluedLeft {
		return false
	}
	s := in.Text
	if end := in.groups[j].end; j == r.last && r.gluedRight &&
		!(s[end] == ':' && end+1 < len(s) && isDigit(s[end+1])) {
		return false
	}
	for k := i; k <= j; k++ {
		if !octet(s[in.groups[k].start:in.groups[k].end]) {
			return false
		}
	}
	// "1.2.3.4.x" and "x.1.2.3.4" hold more than an address; the x may
	// be a placeholder left by another detector.
	start, end := in.groups[i].start, in.groups[j].end
	if start >= 2 && s[start-1] == '.' && isWordByte(s[start-2]) ||
		end+1 < len(s) && s[end] == '.' && isWordByte(s[end+1]) {
		return false
	}
	return !cuesBefore(versionCues, s, start, 1)
}

// octet reports whether o is a decimal number from 0 to 255 without a
// leading zero.
func octet(o string) bool {
	if len(o) == 0 || len(o) > 3 || len(o) > 1 && o[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(o); i++ {
		if !isDigit(o[i]) {
			return false
		}
		n = n*10 + int(o[i]-'0')
	}
	return n <= 255
}

// maxIPv6 is the length of the longest IPv6 address text.
const maxIPv6 = 45

// ipv6s appends the IPv6 addresses of s. It reads each chain of hex
// digits, colons and dots that holds a colon once.
func ipv6s(s string, dst []Span) []Span {
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], ':')
		if k < 0 {
			break
		}
		colon := off + k
		start := colon
		for start > off && colon-start < 5 && isHex(s[start-1]) {
			start--
		}
		end := start
		for end < len(s) && (isHex(s[end]) || s[end] == ':' || s[end] == '.') {
			end++
		}
		off = end
		if a, b, ok := ipv6At(s, start, end); ok {
			dst = append(dst, Span{
				Start: a, End: b, Reason: ReasonPattern, Key: ipv6Key(s[a:b]),
			})
		}
	}
	return dst
}

// ipv6Key returns the canonical form of the IPv6 address t, or of its
// IPv4 address when it maps one. It allocates only when that form is
// not t itself.
func ipv6Key(t string) string {
	a, err := netip.ParseAddr(t)
	if err != nil { // validIPv6 and netip disagree: keep the text
		return strings.ToLower(t)
	}
	var buf [maxIPv6]byte
	c := a.Unmap().AppendTo(buf[:0])
	if string(c) == t {
		return t
	}
	return string(c)
}

// ipv6At reports whether the chain s[start:end] holds an IPv6 address
// and returns its bounds. A chain glued to a word on its left, as in
// "IPv6:2001:db8::1", loses its first group.
func ipv6At(s string, start, end int) (int, int, bool) {
	for end > start && s[end-1] == '.' {
		end--
	}
	if end-start >= 2 && s[end-1] == ':' && s[end-2] != ':' {
		end--
	}
	if end-start > maxIPv6 || ipGlued(s, end, false) {
		return 0, 0, false
	}
	if ipGlued(s, start, true) {
		c := strings.IndexByte(s[start:end], ':')
		if c < 0 || s[start+c+1:end] == "" || s[start+c+1] == ':' {
			return 0, 0, false
		}
		start += c + 1
	}
	return start, end, validIPv6(s[start:end])
}

// ipGlued reports whether the character before (left) or at offset k is
// a letter, a digit or '_' or '@', which would make the address part of
// a word, or a bracket that closes before it or opens after it, as a
// placeholder left by another detector does.
func ipGlued(s string, k int, left bool) bool {
	var r rune
	switch {
	case left && k > 0:
		r, _ = utf8.DecodeLastRuneInString(s[:k])
		if r == ']' || r == '.' {
			return true
		}
	case !left && k < len(s):
		r, _ = utf8.DecodeRuneInString(s[k:])
		if r == '[' {
			return true
		}
	default:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '@'
}

// validIPv6 reports whether t is an IPv6 address as people write it.
// Besides the syntax it asks for a decimal digit, and for a group of
// three or four characters when there is no "::", so that MAC-like
// strings stay; "10::30", all groups short and decimal, is taken for a
// mistyped time.
func validIPv6(t string) bool {
	left, right, compressed := strings.Cut(t, "::")
	if compressed && strings.Contains(right, "::") {
		return false
	}
	var st ipv6Stats
	if !st.add(left, !compressed) || !st.add(right, true) {
		return false
	}
	if !st.digit {
		return false
	}
	if !compressed {
		return st.fields == 8 && st.long
	}
	if st.fields == 0 || st.fields > 7 {
		return false
	}
	return st.hexOrLong || strings.HasPrefix(t, "::")
}

// ipv6Stats counts the fields of the parts of an IPv6 address.
type ipv6Stats struct {
	fields    int  // 16-bit groups, an IPv4 tail counting two
	digit     bool // a decimal digit somewhere
	long      bool // a group of three or four characters
	hexOrLong bool // a group with a hex letter or three or more digits
}

// add reads part, a list of groups joined by single colons; tail allows
// an IPv4 address as its last group.
func (st *ipv6Stats) add(part string, tail bool) bool {
	if part == "" {
		return true
	}
	for part != "" {
		f, rest, more := strings.Cut(part, ":")
		if more && rest == "" {
			return false
		}
		if strings.IndexByte(f, '.') >= 0 {
			if more || !tail || !validIPv4(f) {
				return false
			}
			st.fields += 2
			st.digit, st.long, st.hexOrLong = true, true, true
			return true
		}
		if !st.group(f) {
			return false
		}
		part = rest
	}
	return true
}

// group reads one group of one to four hex digits.
func (st *ipv6Stats) group(f string) bool {
	if len(f) == 0 || len(f) > 4 {
		return false
	}
	for i := 0; i < len(f); i++ {
		switch {
		case isDigit(f[i]):
			st.digit = true
		case isHex(f[i]):
			st.hexOrLong = true
		default:
			return false
		}
	}
	st.fields++
	if len(f) >= 3 {
		st.long, st.hexOrLong = true, true
	}
	return true
}

// validIPv4 reports whether t is four octets joined by dots.
func validIPv4(t string) bool {
	for n := 0; n < 4; n++ {
		o, rest, more := strings.Cut(t, ".")
		if !octet(o) || more != (n < 3) {
			return false
		}
		t = rest
	}
	return true
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }
