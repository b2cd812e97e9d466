package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// urlDetector finds links to personal profiles on social networks,
// with or without scheme and "www." ("instagram.com/sofie.v",
// "https://www.linkedin.com/in/ana-ferreira-9b2a71",
// "tiktok.com/@zoe.skin", "facebook.com/profile.php?id=1000123",
// "t.me/sofie_v", "wa.me/32470123456"), a user's page on any host
// ("mastodon.social/@sofie", "medium.com/@sofie"), fediverse handles
// ("@sofie@mastodon.social") and Bluesky handles ("sofie.bsky.social"),
// and "@handle" when a cue within a few words before says it is a social
// account ("mijn insta is @sofie.v"). Links to a site's own pages
// (instagram.com/explore, x.com/search) are not profiles. The clinic's
// own profiles are protected by the response worker, not here.
//
// A bare "@handle" without a cue stays: in chat about treatments it is
// as often a brand, the clinic, a doctor or an influencer the visitor
// follows as the visitor's own account, and taking them would hide from
// the model what the visitor asks about. The cost is that a visitor's
// handle given without a word around it ("@sofie.v here, hi!") stays in
// clear.
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
	if strings.Contains(s, bskyHost) {
		dst = bskyHandles(s, dst)
	}
	return dst
}

// profileSite is a social network whose links to a profile are
// host/prefix<user name>.
type profileSite struct {
	host   string // lower case, without "www."
	prefix string // the path before the user name, lower case
	// canon starts the key, so that aliases share a placeholder.
	canon  string
	digits bool // the user is a number: a phone number or an id
}

// profileSites are the networks visitors link their profiles on. A host
// with several prefixes is listed once for each; a subdomain of a host
// (m.facebook.com, nl.pinterest.com) is the host.
var profileSites = []profileSite{
	{"instagram.com", "", "instagram.com/", false},
	{"instagr.am", "", "instagram.com/", false},
	{"facebook.com", "profile.php?id=", "facebook.com/profile.php?id=", true},
	{"facebook.com", "", "facebook.com/", false},
	{"fb.com", "", "facebook.com/", false},
	{"linkedin.com", "in/", "linkedin.com/in/", false},
	{"tiktok.com", "@", "tiktok.com/@", false},
	{"x.com", "", "x.com/", false},
	{"twitter.com", "", "x.com/", false},
	{"youtube.com", "@", "youtube.com/@", false},
	{"youtube.com", "c/", "youtube.com/c/", false},
	{"youtube.com", "user/", "youtube.com/user/", false},
	{"threads.net", "@", "threads.net/@", false},
	{"threads.com", "@", "threads.net/@", false},
	{"t.snapchat.com", "", "t.snapchat.com/", false},
	{"snapchat.com", "add/", "snapchat.com/add/", false},
	{"snapchat.com", "@", "snapchat.com/add/", false},
	{"pinterest.com", "", "pinterest.com/", false},
	{"pinterest.fr", "", "pinterest.com/", false},
	{"pinterest.de", "", "pinterest.com/", false},
	{"xing.com", "profile/", "xing.com/profile/", false},
	{"vk.com", "", "vk.com/", false},
	{"bsky.app", "profile/", bskyProfile, false},
	{"twitch.tv", "", "twitch.tv/", false},
	{"t.me", "", "t.me/", false},
	{"telegram.me", "", "t.me/", false},
	{"wa.me", "", "wa.me/", true},
	{"whatsapp.com", "send?phone=", "wa.me/", true},
	{"whatsapp.com", "send/?phone=", "wa.me/", true},
	{"reddit.com", "user/", "reddit.com/user/", false},
	{"reddit.com", "u/", "reddit.com/user/", false},
	{"tumblr.com", "", "tumblr.com/", false},
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
	// Telegram, WhatsApp, Twitch, VK, Tumblr
	"joinchat": true, "addstickers": true, "s": true, "message": true,
	"qr": true, "directory": true, "videos": true, "downloads": true,
	"subscriptions": true, "im": true, "video": true, "audio": true,
	"music": true, "friends": true, "dashboard": true, "tagged": true,
	"blog": true, "apps": true, "games": true, "send": true,
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
		end := userNameEnd(s, p, !site.digits)
		user := s[p:end]
		if user == "" || site.prefix == "" && reservedPaths[strings.ToLower(user)] {
			continue
		}
		if site.digits && wordAt(s, end) {
			continue // "wa.me/message/AB12": no number
		}
		key := site.canon + strings.ToLower(user)
		return Span{Start: start, End: end, Reason: ReasonPattern, Key: key}, true
	}
	return userPage(s, start, hs, slash)
}

// userPage reads a link to a user's page on a host not listed, written
// host/@user as Mastodon instances, Medium and many others write it:
// "mastodon.social/@sofie", "pixelfed.de/@sofie@mastodon.social". The
// host must look like a domain: two labels or more, the last of two
// letters or more.
func userPage(s string, start, hs, slash int) (Span, bool) {
	p := slash + 1
	if p >= len(s) || s[p] != '@' || !isDomain(s[hs:slash]) {
		return Span{}, false
	}
	end := fediverseEnd(s, p)
	if end < 0 {
		end = userNameEnd(s, p+1, true)
		if end == p+1 {
			return Span{}, false
		}
	}
	key := strings.ToLower(s[hs:end])
	return Span{Start: start, End: end, Reason: ReasonPattern, Key: key}, true
}

// isDomain reports whether host is labels of letters, digits and dashes
// joined by dots, the last of two letters or more.
func isDomain(host string) bool {
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || len(host)-dot-1 < 2 {
		return false
	}
	for i := dot + 1; i < len(host); i++ {
		if !isLetter(host[i]) {
			return false
		}
	}
	return host[0] != '.' && !strings.Contains(host, "..")
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
	"mastodon", "bluesky", "bsky", "twitch", "vk", "vkontakte", "tumblr",
	"reddit", "discord",
	"profiel", "profile", "profil", "compte", "pseudo", "gebruikersnaam",
	"username", "user name", "benutzername", "follow me", "volg me",
	"volg mij", "suivez moi", "folgt mir", "folge mir", "dm")

// handles appends the "@handle"s of s that a cue marks as accounts, and
// the fediverse handles ("@sofie@mastodon.social"), which need no cue.
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
		if end := fediverseEnd(s, at); end >= 0 {
			dst = append(dst, Span{
				Start: at, End: end, Reason: ReasonPattern,
				Key: strings.ToLower(s[at:end]),
			})
			off = end
			continue
		}
		end := handleEnd(s, at+1)
		if end < 0 || strings.HasSuffix(s[:end], bskyHost) ||
			!cuesBefore(handleCues, s, at, handleCueWords) {
			continue // a Bluesky handle is bskyHandles'
		}
		dst = append(dst, Span{
			Start: at, End: end, Reason: ReasonContext,
			Key: strings.ToLower(s[at:end]),
		})
		off = end
	}
	return dst
}

// fediverseHandle returns the end of the fediverse handle whose first
// '@' is at offset at, or -1 when there is none: fediverseEnd, not glued
// to a word before it. The e-mail detector leaves such a handle to this
// one.
func fediverseHandle(s string, at int) int {
	if handleGlued(s, at) {
		return -1
	}
	return fediverseEnd(s, at)
}

// fediverseEnd returns the end of the fediverse handle "@user@instance"
// whose first '@' is at offset at: a user name of letters, digits, '_',
// '.' and '-', up to 64, then '@' and a domain as e-mail addresses have
// it. It returns -1 when there is none.
func fediverseEnd(s string, at int) int {
	p := at + 1
	e := p
	for e < len(s) && e-p < 64 && (isAlnum(s[e]) || s[e] == '_' ||
		s[e] == '.' || s[e] == '-') {
		e++
	}
	if e == p || e >= len(s) || s[e] != '@' || !isAlnum(s[e-1]) {
		return -1
	}
	return domainEnd(s, e+1)
}

// bskyHost ends the default handles of Bluesky, "sofie.bsky.social".
const bskyHost = ".bsky.social"

// bskyProfile starts the keys of Bluesky profiles, so that a handle and
// a link to its profile share a placeholder.
const bskyProfile = "bsky.app/profile/"

// bskyHandles appends the Bluesky handles of s, "sofie.bsky.social" or
// "@sofie.bsky.social", in lower case as Bluesky writes them. One in a
// link's path ("bsky.app/profile/sofie.bsky.social") or glued to a word
// or an e-mail address is not one.
func bskyHandles(s string, dst []Span) []Span {
	for off := 0; off < len(s); {
		k := strings.Index(s[off:], bskyHost)
		if k < 0 {
			break
		}
		dot := off + k
		end := dot + len(bskyHost)
		off = end
		start := dot
		for start > 0 && dot-start < 64 &&
			(isAlnum(s[start-1]) || s[start-1] == '-') {
			start--
		}
		if start == dot || wordAt(s, end) ||
			end+1 < len(s) && s[end] == '.' && isAlnum(s[end+1]) {
			continue
		}
		key := bskyProfile + strings.ToLower(s[start:end])
		if start > 0 && s[start-1] == '@' {
			start--
		}
		if gluedLetter(s, start) ||
			start > 0 && (s[start-1] == '/' || s[start-1] == '.') {
			continue
		}
		dst = append(dst, Span{
			Start: start, End: end, Reason: ReasonPattern, Key: key,
		})
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
