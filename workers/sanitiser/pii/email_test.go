package pii

import "testing"

func TestSpelledEmails(t *testing.T) {
	runIDCases(t, NewWith(emailDetector{}), []idCase{
		{"dot and at", "email me at sarah dot mitchell at outlook dot com please",
			"email me at [EMAIL_1] please", ReasonSpelled},
		{"brackets", "pls send to mike[at]brandtconsulting[dot]eu",
			"pls send to [EMAIL_1]", ReasonSpelled},
		{"parentheses", "david.cohen(at)gmail(dot)com", "[EMAIL_1]", ""},
		{"spaced parentheses", "jan (at) skynet (dot) be", "[EMAIL_1]", ""},
		{"bracket inner spaces", "jan [ at ] telenet [ dot ] be", "[EMAIL_1]", ""},
		{"at and real dot", "write to jan at gmail.com.", "write to [EMAIL_1].", ""},
		{"upper case", "JAN AT GMAIL DOT COM", "[EMAIL_1]", ""},
		{"dutch", "mail sofie punt peeters apenstaartje telenet punt be",
			"mail [EMAIL_1]", ""},
		{"french", "c'est claire point dubois arobase orange point fr",
			"c'est [EMAIL_1]", ""},
		{"french chez", "écrivez à jean chez free point fr", "écrivez à [EMAIL_1]", ""},
		{"german", "lena Punkt schmidt at web Punkt de", "[EMAIL_1]", ""},
		{"spaced at sign", "mail: jan @ gmail.com", "mail: [EMAIL_1]", ""},
		{"subdomain", "an at student dot kuleuven dot be", "[EMAIL_1]", ""},
		{"same key as typed", "jan.peeters@gmail.com = jan dot peeters at gmail dot com",
			"[EMAIL_1] = [EMAIL_1]", ""},
		{"unicode local", "jörg at müller.de", "[EMAIL_1]", ""},

		// A top-level domain not listed, after a spelled dot.
		{"loose tld", "mail marie at creperie dot cafe", "mail [EMAIL_1]", ReasonSpelled},
		{"loose tld ninja", "tom at studio dot ninja please", "[EMAIL_1] please", ""},
		{"loose tld punt", "ana punt claes apenstaartje beauty punt rocks",
			"[EMAIL_1]", ""},
		{"loose tld brackets", "max[at]pixel[dot]ovh", "[EMAIL_1]", ""},
		{"loose tld capital name", "Sofie at glowlab dot moe", "[EMAIL_1]", ""},
		{"loose tld in capitals", "SOFIE AT GLOWLAB DOT MOE", "[EMAIL_1]", ""},
		{"loose tld same key", "tom at studio dot ninja or tom@studio.ninja",
			"[EMAIL_1] or [EMAIL_1]", ""},
		{"at home", "ik ben at home", "ik ben at home", ""},
		{"at noon dot", "meet me at noon dot", "meet me at noon dot", ""},
		{"at noon dot word", "lunch at noon dot then", "lunch at noon dot then", ""},
		{"at work dot dot dot", "I'm at work dot dot dot", "I'm at work dot dot dot", ""},
		{"chez moi point final", "je reste chez moi point final",
			"je reste chez moi point final", ""},
		{"chez a name point", "on se voit chez Paul point barre",
			"on se voit chez Paul point barre", ""},
		{"loose tld real dot", "jan at studio.ninja", "jan at studio.ninja", ""},
		{"loose tld too long", "jan at studio dot ninjas1",
			"jan at studio dot ninjas1", ""},
		{"loose tld seven letters", "jan at studio dot example",
			"jan at studio dot example", ""},
		{"loose domain mixed case", "jan at StudioX dot ninja",
			"jan at StudioX dot ninja", ""},

		// "(a)" for '@' and underscores for spaces.
		{"bracketed a", "jan (a) gmail.com", "[EMAIL_1]", ReasonSpelled},
		{"bracketed a glued", "mail jan(a)telenet.be aub", "mail [EMAIL_1] aub", ""},
		{"underscores", "jan_at_gmail_dot_com", "[EMAIL_1]", ReasonSpelled},
		{"underscores upper", "Jan.Peeters_AT_telenet_DOT_be.", "[EMAIL_1].", ""},
		{"underscores same key", "jan_peeters_at_gmail.com = jan_peeters@gmail.com",
			"[EMAIL_1] = [EMAIL_1]", ""},
		{"a alone", "jan a gmail.com", "jan a gmail.com", ""},
		{"a in brackets no domain", "option (a) or (b)", "option (a) or (b)", ""},
		{"underscores no tld", "file_at_home_dot_txt", "file_at_home_dot_txt", ""},
		{"underscores in a word", "x_at_gmail_dot_comx", "x_at_gmail_dot_comx", ""},

		{"english at", "I'll be at the clinic at 10.30", "I'll be at the clinic at 10.30", ""},
		{"look at", "look at gmail.com for details", "look at gmail.com for details", ""},
		{"me at", "reach me at home.com", "reach me at home.com", ""},
		{"unknown tld", "arrive at Brussels.Thanks", "arrive at Brussels.Thanks", ""},
		{"no domain shape", "see you at noon dot", "see you at noon dot", ""},
		{"chez moi", "je suis chez moi", "je suis chez moi", ""},
		{"client chez", "je suis client chez orange.fr", "je suis client chez orange.fr", ""},
		{"link", "jan at instagram.com/jan", "jan at instagram.com/jan", ""},
		{"glued at word", "that gmail.com", "that gmail.com", ""},
		{"unclosed bracket", "jan [at gmail dot com", "jan [at gmail dot com", ""},
		{"point in a sentence", "le point de vue at home", "le point de vue at home", ""},
		{"real address untouched", "jan@x.be", "[EMAIL_1]", ReasonPattern},
		{"fediverse handle left to urls", "@jan@mastodon.social",
			"@jan@mastodon.social", ""},
		{"address after an at sign", "@@jan@x.be", "@@[EMAIL_1]", ""},
	})
}

// TestLooseTLDsNotListed checks that the top-level domains the tests of
// the loose rule use are not listed, so that they test that rule.
func TestLooseTLDsNotListed(t *testing.T) {
	for _, tld := range []string{"cafe", "ninja", "rocks", "ovh", "moe", "example"} {
		if spelledTLDs[tld] {
			t.Errorf("%q is listed in data/email/tlds.txt", tld)
		}
	}
}
