package response

import (
	"net/url"
	"strings"

	"github.com/iglowly/assistant/config"
)

// linkRemoved stands in a draft for a link to a site the clinic did not
// name: a model may be led to write one, and a visitor may trust it
// because the clinic's assistant wrote it.
const linkRemoved = "[…]"

// linkStarts begin the links a draft may hold, in lower case.
var linkStarts = []string{"https://", "http://", "www."}

// stripForeignLinks replaces every link in draft whose host is not one
// of the clinic's (its website, booking page and allowed origins, or a
// subdomain of them) with linkRemoved, and returns the draft and how
// many links it removed.
func stripForeignLinks(c *config.Clinic, draft string) (string, int) {
	if !strings.Contains(draft, "://") && !hasWWW(draft) {
		return draft, 0
	}
	hosts := clinicHosts(c)
	var b strings.Builder
	removed, last := 0, 0
	for i := 0; i < len(draft); {
		n := linkStartAt(draft, i)
		if n == 0 {
			i++
			continue
		}
		end := linkEnd(draft, i+n)
		if end == i+n || allowedLink(draft[i:end], hosts) {
			i = end
			continue
		}
		b.WriteString(draft[last:i])
		b.WriteString(linkRemoved)
		removed++
		last, i = end, end
	}
	if removed == 0 {
		return draft, 0
	}
	b.WriteString(draft[last:])
	return b.String(), removed
}

// linkStartAt returns the length of the link start at offset i of s, or
// 0. A link starts a word: "xwww.a.be" holds none.
func linkStartAt(s string, i int) int {
	if i > 0 && isLinkByte(s[i-1]) {
		return 0
	}
	for _, p := range linkStarts {
		if len(s)-i >= len(p) && strings.EqualFold(s[i:i+len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// linkEnd returns where the link whose host starts at offset i ends: at
// a space, a quote or a bracket, less the punctuation that ends a
// sentence after it.
func linkEnd(s string, i int) int {
	e := i
	for e < len(s) && !strings.ContainsRune(" \t\r\n\"'<>()[]{}", rune(s[e])) {
		e++
	}
	for e > i && strings.ContainsRune(".,;:!?", rune(s[e-1])) {
		e--
	}
	return e
}

// isLinkByte reports whether c may be part of a link's host or path.
func isLinkByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' ||
		c == '.' || c == '-' || c == '/' || c == '_'
}

// allowedLink reports whether link points at one of hosts or below one.
func allowedLink(link string, hosts []string) bool {
	if !strings.Contains(link, "://") {
		link = "https://" + link
	}
	u, err := url.Parse(link)
	if err != nil || u.Hostname() == "" || u.User != nil {
		return false
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	for _, allowed := range hosts {
		if h == allowed || strings.HasSuffix(h, "."+allowed) {
			return true
		}
	}
	return false
}

// clinicHosts returns the hosts of the clinic's own links, in lower case
// and without "www.".
func clinicHosts(c *config.Clinic) []string {
	links := append([]string{c.Contact.Website, c.Contact.BookingURL},
		c.AllowedOrigins...)
	var hosts []string
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || u.Hostname() == "" {
			continue
		}
		hosts = append(hosts, strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."))
	}
	return hosts
}

// hasWWW reports whether "www." stands in s, in any case, without
// copying s: the guard asks it of every chunk.
func hasWWW(s string) bool {
	for i := strings.IndexByte(s, '.'); i >= 0; {
		if i >= 3 && strings.EqualFold(s[i-3:i], "www") {
			return true
		}
		j := strings.IndexByte(s[i+1:], '.')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}
