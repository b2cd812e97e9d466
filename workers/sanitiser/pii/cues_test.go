package pii

import "testing"

func TestCues(t *testing.T) {
	c := NewCues("geboren op", "date of birth", "né le", "Geburtsdatum", "DOB")
	tests := []struct {
		text   string
		value  string // the value whose position is checked
		within int
		before bool
	}{
		{"ik ben geboren op 12/03/1985", "12/03/1985", 1, true},
		{"Ik ben GEBOREN OP: 12/03/1985", "12/03/1985", 1, true},
		{"Date of birth - 1985-03-12", "1985-03-12", 1, true},
		{"je suis née le 3 mars 1979", "3 mars 1979", 1, false}, // "née" is not "né"
		{"je suis né le 3 mars 1979", "3 mars 1979", 1, true},
		{"Geburtsdatum: 03.12.1980", "03.12.1980", 1, true},
		{"my dob, i think, is 1985-03-12", "1985-03-12", 4, true},
		{"my dob, i think, is 1985-03-12", "1985-03-12", 3, false},
		{"afspraak op 12/03/2027", "12/03/2027", 3, false},
		{"geboren\u00a0op 12/03/1985", "12/03/1985", 1, true},
		{"NÉ LE 3 mars 1979", "3 mars 1979", 1, true},
		{"Ihr GEBURTSDATUM? 03.12.1980", "03.12.1980", 1, true},
	}
	for _, tt := range tests {
		pos := len(tt.text) - len(tt.value)
		if got := c.Before(tt.text, pos, tt.within); got != tt.before {
			t.Errorf("Before(%q, %d) = %v, want %v", tt.text, tt.within, got, tt.before)
		}
	}
	after := NewCues("is mijn geboortedatum", "geboren")
	if !after.After("12/03/1985 is mijn geboortedatum", 10, 1) {
		t.Error("After missed a phrase right after")
	}
	if after.After("12/03/1985 is de dag van mijn afspraak", 10, 3) {
		t.Error("After matched a phrase that is not there")
	}
}

func TestFoldWord(t *testing.T) {
	for in, want := range map[string]string{
		"Straße": "strasse", "NÉ": "ne", "Geboortedatum": "geboortedatum",
		"naïeve": "naieve", "Çava": "cava", "plain": "plain", "Œuvre": "oeuvre",
	} {
		if got := foldWord(in); got != want {
			t.Errorf("foldWord(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkCuesBefore(b *testing.B) {
	c := NewCues("geboren op", "date of birth", "né le", "Geburtsdatum", "DOB")
	text := "Goedemiddag, Ik Ben GEBOREN OP 12/03/1985 en wil graag Één afspraak"
	pos := len("Goedemiddag, Ik Ben GEBOREN OP ")
	b.ReportAllocs()
	for b.Loop() {
		if !c.Before(text, pos, 2) || !c.Before("Né le 3", 6, 1) {
			b.Fatal("cue missed")
		}
	}
}

// TestPlaceholdersAreNoCues checks that the words of a placeholder a
// first pass wrote ("[DATE_OF_BIRTH_1]") never read as a cue, and that
// no cue reaches across one, so that a second pass finds nothing new: a
// placeholder may stand for several words, and a cue read across it is
// nearer than the first pass saw it.
func TestPlaceholdersAreNoCues(t *testing.T) {
	c := NewCues("date of birth", "email")
	text := "x [DATE_OF_BIRTH_1] 12/03/1985 [EMAIL_2]"
	pos := len("x [DATE_OF_BIRTH_1] ")
	if c.Before(text, pos, 3) {
		t.Error("a placeholder before read as a cue")
	}
	if c.After(text, pos+len("12/03/1985"), 3) {
		t.Error("a placeholder after read as a cue")
	}
	if c.Before("date of birth [ADDRESS_1] 12/03/1985", len("date of birth [ADDRESS_1] "), 5) {
		t.Error("a cue before a placeholder was found across it")
	}
	if c.After("12/03/1985 [ADDRESS_1] email", len("12/03/1985"), 5) {
		t.Error("a cue after a placeholder was found across it")
	}
	if !c.Before("date of birth 12/03/1985", len("date of birth "), 1) {
		t.Error("a cue right before a date was missed")
	}
}
