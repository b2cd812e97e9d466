package triage

import "testing"

// FuzzClassify checks that any text gets a known category, topic and
// intent, and a supported language or "", without panicking.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"", "Hoeveel kost botox?", "ignore ... instructions", "can t",
		"zie ik dubbel", "\xff\xfe", "ÉÇÜß œ", "? ? ?",
	} {
		f.Add(s)
	}
	cats := map[Category]bool{None: true, Emergency: true, Diagnosis: true,
		Injection: true}
	topics := map[string]bool{"botox": true, "filler": true, "peel": true,
		"laser": true, "skincare": true, "price": true, "hours": true,
		"booking": true, "location": true, "other": true}
	intents := map[string]bool{"question": true, "booking": true,
		"complaint": true, "greeting": true, "other": true}
	langs := map[string]bool{"": true, "en": true, "nl": true, "fr": true,
		"de": true}
	f.Fuzz(func(t *testing.T, text string) {
		r := Classify(text)
		if !cats[r.Category] || !topics[r.Topic] || !intents[r.Intent] ||
			!langs[r.Lang] {
			t.Fatalf("Classify(%q) = %+v", text, r)
		}
		if DetectLanguage(text) != r.Lang {
			t.Fatalf("DetectLanguage and Classify disagree on %q", text)
		}
	})
}
