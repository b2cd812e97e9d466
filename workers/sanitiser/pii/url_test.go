package pii

import "testing"

func TestProfileURLs(t *testing.T) {
	runIDCases(t, NewWith(urlDetector{}), []idCase{
		{"instagram bare", "my insta is instagram.com/jess.glowsup if you want",
			"my insta is [URL_1] if you want", ReasonPattern},
		{"scheme and www", "https://www.facebook.com/kwame.asante.754",
			"[URL_1]", ""},
		{"linkedin slash", "https://www.linkedin.com/in/marco-bellini-82a4b9/ ok",
			"[URL_1]/ ok", ""},
		{"linkedin country", "be.linkedin.com/in/ana-ferreira", "[URL_1]", ""},
		{"tiktok", "hey, tiktok.com/@zoe.skindiaries — collab?", "hey, [URL_1] — collab?", ""},
		{"x and twitter share a key", "x.com/JanP of twitter.com/janp",
			"[URL_1] of [URL_1]", ""},
		{"youtube", "YouTube.com/@GlowWithLisa.", "[URL_1].", ""},
		{"facebook id", "facebook.com/profile.php?id=100012345678 aub",
			"[URL_1] aub", ""},
		{"sentence end", "Zie instagram.com/sofie.v.", "Zie [URL_1].", ""},
		{"in brackets", "(instagram.com/sofie_v)", "([URL_1])", ""},
		{"mobile", "http://m.facebook.com/sofie.v", "[URL_1]", ""},
		{"xing", "Mein Profil: xing.com/profile/Thomas_Becker12, danke",
			"Mein Profil: [URL_1], danke", ""},

		{"handle after cue", "mijn insta is @sofie.v", "mijn insta is [URL_1]",
			ReasonContext},
		{"handle on tiktok", "Follow me on TikTok: @zoe_skin!", "Follow me on TikTok: [URL_1]!", ""},
		{"handle pseudo", "mon pseudo Instagram c'est @claire.d",
			"mon pseudo Instagram c'est [URL_1]", ""},
		{"handle same key", "insta @Sofie.V, again insta @sofie.v",
			"insta [URL_1], again insta [URL_1]", ""},

		{"handle without cue", "thanks @sofie.v!", "thanks @sofie.v!", ""},
		{"email", "insta jan@instagram.com", "insta jan@instagram.com", ""},
		{"at time", "insta @ 14u", "insta @ 14u", ""},
		{"handle too short", "insta @a", "insta @a", ""},
		{"handle digits", "insta @2025", "insta @2025", ""},
		{"post link", "instagram.com/p/Cx12AbC and instagram.com/explore",
			"instagram.com/p/Cx12AbC and instagram.com/explore", ""},
		{"search page", "x.com/search?q=botox", "x.com/search?q=botox", ""},
		{"site only", "instagram.com/ and facebook.com", "instagram.com/ and facebook.com", ""},
		{"other host", "myinstagram.com/sofie and box.com/file",
			"myinstagram.com/sofie and box.com/file", ""},
		{"linkedin company", "linkedin.com/company/iglowly", "linkedin.com/company/iglowly", ""},
		{"ftp", "ftp://instagram.com/sofie", "ftp://instagram.com/sofie", ""},
		{"date", "12/03/2025", "12/03/2025", ""},
	})
}
