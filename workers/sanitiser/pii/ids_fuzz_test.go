package pii

import (
	"testing"
	"unicode/utf8"
)

// FuzzIdentifiers checks the identifier detectors on any input: no
// panic, spans inside the text on character boundaries, and a Redact
// that a second pass leaves as it is. The seeds are the shapes they
// read: spelled addresses, IPv6 chains, codes before and after cues,
// IBANs, profile links and handles.
func FuzzIdentifiers(f *testing.F) {
	for _, s := range []string{
		"BSN 1234.56.782", "1 85 05 2A 006 084 35", "2A0060", "2 85 05 2",
		"Steuer-ID 86 095 742 719", "lidnummer 0321 558 904",
		"Versichertennummer A123456789", "passport EH 123456 C01X00T47",
		"592-1234567-32", "jan [ at ] x ( dot ) be", "a at b dot c dot com",
		"(at)(dot)", " @ @ ", "::ffff:1.2.3.4", "fe80::1%eth0 [::1]:80",
		"1:2:3:4:5:6:7:8:9", "IPv6:2001:db8::1", "10.0.0.1:8080/24",
		"https://www.instagram.com/a.", "x.com/ facebook.com/profile.php?id=",
		"insta @sofie.v@", "Mutualité 12/03/2025 € 125000", "é at é.de",
		"EH123456 is mijn paspoort", "A123456789 is mijn lidnummer",
		"bestelling 85073003328", "BSN 123456782, order 111222333",
		"BE68 5390 0754 7035", "IBAN BE68539007547035 ", "btw BE 0712.345.678",
		"tom at studio dot ninja", "jan (a) gmail.com", "jan_at_gmail_dot_com",
		"@a@b.social", "mastodon.social/@a@b.c", "@x.bsky.social.",
		"wa.me/324 t.me/a vk.com/b", "2001:0db8:0:0:0:0:0:1 ::ffff:1.2.3.4",
		// inputs the fuzzer found
		"pAssport A000000 0 00000000A00", "0.0.0.0.0100000000", "0.0.0.0::0",
		"lidnr 000000,000000",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, in string) {
		var input Input
		for _, d := range identifierDetectors {
			input.reset(in)
			for _, s := range d.Find(&input, nil) {
				if s.Start < 0 || s.Start >= s.End || s.End > len(in) {
					t.Fatalf("%s: span %+v outside %q", d.Type(), s, in)
				}
				if utf8.ValidString(in) && (!utf8.ValidString(in[s.Start:s.End]) ||
					!utf8.ValidString(in[:s.Start])) {
					t.Fatalf("%s: span %+v not on characters of %q", d.Type(), s, in)
				}
			}
		}
		p := NewPlaceholders()
		out, _ := r.Redact(in, p)
		again, more := r.Redact(out, p)
		if again != out || len(more) != 0 {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", in, out, again, more)
		}
	})
}
