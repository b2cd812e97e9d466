package pii

import "testing"

// TestNumberWords checks spellings of days and years in the four
// languages, joined by spaces, hyphens or nothing, and words that are
// no number.
func TestNumberWords(t *testing.T) {
	days := map[string]int{
		"first": 1, "third": 3, "twenty-first": 21, "thirtieth": 30,
		"twelfth": 12, "eerste": 1, "achtste": 8, "negentiende": 19,
		"eenendertigste": 31, "tweeëntwintig": 22, "ersten": 1,
		"dritten": 3, "siebten": 7, "achte": 8, "zwanzigsten": 20,
		"einundzwanzigsten": 21, "premier": 1, "vingt-deux": 22,
		"vingt et un": 21, "trente et un": 31, "seize": 16,
		"dix-sept": 17, "zwölf": 12,
	}
	for text, want := range days {
		if got, e := numberWordsAt(text, 0, dayWords); got != want || e != len(text) {
			t.Errorf("day %q: %d (to %d), want %d", text, got, e, want)
		}
	}
	years := map[string]int{
		"nineteen eighty-two": 1982, "nineteen oh five": 1905,
		"two thousand and three": 2003, "negentienzevenenveertig": 1947,
		"negentienhonderdzevenenveertig": 1947, "tweeduizendvijf": 2005,
		"neunzehnhundertachtundvierzig": 1948, "zweitausendeins": 2001,
		"mille neuf cent cinquante-huit":        1958,
		"mille neuf cent quatre-vingt-dix-neuf": 1999,
		"mille neuf cent nonante-neuf":          1999,
		"mille neuf cent soixante et onze":      1971,
		"dix-neuf cent quatre-vingts":           1980, "deux mille deux": 2002,
	}
	for text, want := range years {
		if got, e := numberWordsAt(text, 0, yearWords); got != want || e != len(text) {
			t.Errorf("year %q: %d (to %d), want %d", text, got, e, want)
		}
	}
	for _, text := range []string{"botox", "nineteen", "mille", "vingt-sept ans"} {
		if got, e := numberWordsAt(text, 0, yearWords); got != 0 {
			t.Errorf("%q read as the year %d (to %d)", text, got, e)
		}
	}
}

// TestSpelledBirthDates checks dates of birth written in words, in full
// or in part, after a cue, and spelled dates that are no birth date.
func TestSpelledBirthDates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Geburtsdatum: ersten Juni 1961", "Geburtsdatum: [DATE_OF_BIRTH_1]"},
		{"born on the third of June 1961", "born on [DATE_OF_BIRTH_1]"},
		{"née le premier juin 1961", "née le [DATE_OF_BIRTH_1]"},
		{"geboren am dritten Oktober neunzehnhundertachtundvierzig, bitte",
			"geboren am [DATE_OF_BIRTH_1], bitte"},
		{"née le vingt-deux octobre mille neuf cent cinquante-huit.",
			"née le [DATE_OF_BIRTH_1]."},
		{"geboren op twaalf november negentienzevenenveertig",
			"geboren op [DATE_OF_BIRTH_1]"},
		{"geboren op 12 november negentienzevenenveertig",
			"geboren op [DATE_OF_BIRTH_1]"},
		{"I was born on the twenty-first of March, nineteen eighty-two",
			"I was born on [DATE_OF_BIRTH_1]"},
		{"geboren op 3 juni 1961 of drie juni 1961",
			"geboren op [DATE_OF_BIRTH_1] of [DATE_OF_BIRTH_1]"},
		{"kan ik op twaalf november komen?", "kan ik op twaalf november komen?"},
		{"le premier mai on est fermé?", "le premier mai on est fermé?"},
		{"ich bin am ersten Juni 2025 gekommen", "ich bin am ersten Juni 2025 gekommen"},
		{"one May morning I had botox", "one May morning I had botox"},
	}
	r := New()
	for _, tt := range tests {
		if got, _ := r.Redact(tt.in, nil); got != tt.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
