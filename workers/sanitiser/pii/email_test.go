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
	})
}
