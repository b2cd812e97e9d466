package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// urlDetector finds links to personal profiles on social networks,
// with or without scheme and "www." ("instagram.com/sofie.v",
// "https://www.linkedin.com/in/ana-ferreira-9b2a71",
// "tiktok.com/@zoe.skin", "facebook.com/profile.php?id=1000123"), and
// "@handle" when a cue within a few words before says it is a social
// account ("mijn insta is @sofie.v"). A bare "@handle" has no cue: it
// may be a mention of a brand or of the clinic, so it stays. Links to a
// site's own pages (instagram.com/explore, x.com/search) are not
// profiles. The clinic's own profiles are protected by the response
// worker, not here.
//
// TODO(#3): profiles on networks not listed (Mastodon instances, VK,
// Snapchat's short links) and handles without a cue stay in clear.
type urlDetector struct{}

func init() { register(prioURL, urlDetector{}) }

func (urlDetector) Type() Type { return URL }

func (urlDetector) Find(in *Input, dst []Span) []Span {
	s := in.Text
	if strings.IndexByte(s, '/') >= 0 {
		dst = profileLinks(s, dst)
	}
	if strings.IndexByte(s, '@') >= 0 {
		dst = handles(s, dst)
	}
	return dst
}

// profileSite is a social network whose links to a profile are
// host/prefix<user name>.
type profileSite struct {
	host   string // lower case, without "www."
	prefix string // the path before the user name, lower case
	canon  string // the host in keys, so that aliases share a placeholder
}

// profileSites are the networks visitors link their profiles on. A host
// with several prefixes is listed once for each.
var profileSites = []profileSite{
	{"instagram.com", "", "instagram.com"},
	{"instagr.am", "", "instagram.com"},
	{"facebook.com", "profile.php?id=", "facebook.com"},
	{"facebook.com", "", "facebook.com"},
	{"fb.com", "", "facebook.com"},
	{"linkedin.com", "in/", "linkedin.com"},
	{"tiktok.com", "@", "tiktok.com"},
	{"x.com", "", "x.com"},
	{"twitter.com", "", "x.com"},
	{"youtube.com", "@", "youtube.com"},
	{"youtube.com", "c/", "youtube.com"},
	{"youtube.com", "user/", "youtube.com"},
	{"threads.net", "@", "threads.net"},
	{"snapchat.com", "add/", "snapchat.com"},
	{"pinterest.com", "", "pinterest.com"},
	{"xing.com", "profile/", "xing.com"},
}

// reservedPaths are first path segments of the sites above that name
// their own pages, not a user.
var reservedPaths = map[string]bool{
	"p": true, "reel": true, "reels": true, "explore": true, "tv": true,
	"accounts": true, "about": true, "legal": true, "help": true,
	"privacy": true, "share": true, "sharer": true, "groups": true,
	"events": true, "pages": true, "watch": true, "marketplace": true,
	"home": true, "search": true, "hashtag": true, "i": true,
	"intent": true, "settings": true, "login": true, "signup": true,
	"direct": true, "business": true, "ads": true, "policies": true,
	"stories": true, "tag": true, "hashtags": true, "messages": true,
	"notifications": true, "terms": true, "pin": true, "results": true,
	"shorts": true, "feed": true, "jobs": true, "company": true,
	"profile.php": true, "story.php": true, "photo.php": true,
}

// maxUserName bounds the user names read; longer ones are cut there.
const maxUserName = 100

// profileLinks appends the profile links of s. It looks only at slashes
// that follow a host name.
func profileLinks(s string, dst []Span) []Span {
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], '/')
		if k < 0 {
			break
		}
		slash := off + k
		off = slash + 1
		if slash == 0 || !isLetter(s[slash-1]) {
			continue
		}
		if sp, ok := profileLink(s, slash); ok {
			dst = append(dst, sp)
			off = sp.End
		}
	}
	return dst
}

// profileLink reads a profile link whose host ends at the slash at
// offset slash.
func profileLink(s string, slash int) (Span, bool) {
	hs := slash
	for hs > 0 && slash-hs < 64 && (isAlnum(s[hs-1]) || s[hs-1] == '.' ||
		s[hs-1] == '-') {
		hs--
	}
	host := s[hs:slash]
	start, ok := linkStart(s, hs)
	if !ok {
		return Span{}, false
	}
	for _, site := range profileSites {
		if !hostIs(host, site.host) {
			continue
		}
		p := slash + 1
		if !hasPrefixFold(s[p:], site.prefix) {
			continue
		}
		p += len(site.prefix)
		end := userNameEnd(s, p, site.prefix != "profile.php?id=")
		user := s[p:end]
		if user == "" || site.prefix == "" && reservedPaths[strings.ToLower(user)] {
			continue
		}
		key := site.canon + "/" + site.prefix + strings.ToLower(user)
		return Span{Start: start, End: end, Reason: ReasonPattern, Key: key}, true
	}
	return Span{}, false
}

// linkStart returns where a link whose host starts at offset hs starts:
// at its "http://" or "https://", if any. It fails when the host is
// glued to a word or an '@'.
func linkStart(s string, hs int) (int, bool) {
	if strings.HasSuffix(s[:hs], "://") {
		k := hs - 3
		for k > 0 && isLetter(s[k-1]) && hs-3-k < 5 {
			k--
		}
		if scheme := strings.ToLower(s[k : hs-3]); scheme != "http" &&
			scheme != "https" || gluedLetter(s, k) {
			return 0, false
		}
		return k, true
	}
	return hs, !gluedLetter(s, hs)
}

// hostIs reports whether host, in any case, is site or one of its
// subdomains such as www.site or m.site.
func hostIs(host, site string) bool {
	if len(host) < len(site) || !strings.EqualFold(host[len(host)-len(site):], site) {
		return false
	}
	return len(host) == len(site) || host[len(host)-len(site)-1] == '.'
}

// hasPrefixFold reports whether s starts with the lower-case prefix p,
// in any case.
func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// userNameEnd returns the end of the user name starting at offset p:
// letters, digits, '.', '_' and '-' (digits only for a numeric id), at
// most maxUserName bytes, without the dots and dashes that end a
// sentence.
func userNameEnd(s string, p int, name bool) int {
	e := p
	for e < len(s) && e-p < maxUserName {
		c := s[e]
		if !isDigit(c) && !(name && (isLetter(c) || c == '.' || c == '_' ||
			c == '-')) {
			break
		}
		e++
	}
	for e > p && (s[e-1] == '.' || s[e-1] == '-') {
		e--
	}
	return e
}

// handleCueWords is how many words before an "@handle" a cue may end.
const handleCueWords = 4

// handleCues say that an "@handle" is a social account.
var handleCues = newCueSet(
	"instagram", "insta", "ig", "tiktok", "tik tok", "twitter", "snapchat",
	"snap", "facebook", "fb", "threads", "youtube", "linkedin", "telegram",
	"pinterest", "on x", "op x", "sur x", "auf x", "handle", "account",
	"profiel", "profile", "profil", "compte", "pseudo", "gebruikersnaam",
	"username", "user name", "benutzername", "follow me", "volg me",
	"volg mij", "suivez moi", "folgt mir", "folge mir", "dm")

// handles appends the "@handle"s of s that a cue marks as accounts.
func handles(s string, dst []Span) []Span {
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], '@')
		if k < 0 {
			break
		}
		at := off + k
		off = at + 1
		if handleGlued(s, at) {
			continue
		}
		end := handleEnd(s, at+1)
		if end < 0 || !cuesBefore(handleCues, s, at, handleCueWords) {
			continue
		}
		dst = append(dst, Span{
			Start: at, End: end, Reason: ReasonContext,
			Key: strings.ToLower(s[at:end]),
		})
		off = end
	}
	return dst
}

// handleGlued reports whether the '@' at offset at follows a character
// that makes it part of an e-mail address or a word.
func handleGlued(s string, at int) bool {
	if at == 0 {
		return false
	}
	c := s[at-1]
	return gluedLetter(s, at) || c == '.' || c == '-' || c == '%' || c == '+'
}

// handleEnd returns the end of the handle starting at offset p: 2 to 30
// letters, digits, '.' and '_' with a letter among them, not ending in
// a dot, not followed by another word character or '@'. It returns -1
// when there is none.
func handleEnd(s string, p int) int {
	e, letter := p, false
	for e < len(s) && e-p <= 30 &&
		(isAlnum(s[e]) || s[e] == '.' || s[e] == '_') {
		letter = letter || isLetter(s[e])
		e++
	}
	if e-p > 30 || e < len(s) && s[e] == '@' {
		return -1
	}
	if e < len(s) && s[e] >= utf8.RuneSelf {
		if r, _ := utf8.DecodeRuneInString(s[e:]); unicode.IsLetter(r) {
			return -1
		}
	}
	for e > p && s[e-1] == '.' {
		e--
	}
	if e-p < 2 || !letter {
		return -1
	}
	return e
}
