package pii

import (
	"fmt"
	"testing"
)

// TestPersonAcrossTurns redacts a history and then a message with one
// Placeholders, as the sanitiser does: a name found by its cue in the
// history is found again in the message without it, with the same
// placeholder when it is written the same, and the words that only look
// like it stay.
func TestPersonAcrossTurns(t *testing.T) {
	tests := []struct {
		lang    string
		history []string
		in      string
		want    string
	}{
		{"nl", []string{"ik ben Sofie"}, "Sofie hier nog eens, kan het vrijdag?",
			"[PERSON_1] hier nog eens, kan het vrijdag?"},
		{"nl", []string{"ik ben sofie"}, "sofie nog eens, kan het vrijdag?",
			"[PERSON_1] nog eens, kan het vrijdag?"},
		{"nl", []string{"Mijn dochter Roos wil een peeling"},
			"Roos kan pas na 16u. Heeft ze last van roos?",
			"[PERSON_1] kan pas na 16u. Heeft ze last van roos?"},
		{"nl", []string{"Groetjes, Mark De Smet"}, "Mark vraagt of het kan",
			"[PERSON_2] vraagt of het kan"},
		{"nl", []string{"Ik ben Sofie Peeters, mijn dochter Lotte wil ook komen"},
			"Staat het op naam van Peeters?", "Staat het op naam van [PERSON_3]?"},
		{"en", []string{"Hi, I'm Xyla"}, "Xyla again: can I come on Friday?",
			"[PERSON_1] again: can I come on Friday?"},
		{"en", []string{"Hi, I'm Sofie Peeters", "Thanks!"},
			"Sofie Peeters again, and my friend Iris",
			"[PERSON_1] again, and my friend [PERSON_2]"},
		{"en", []string{"I'm Rose"}, "Can I drink rosé after the rose-gold facial?",
			"Can I drink rosé after the rose-gold facial?"},
		{"fr", []string{"Iris est ma fille"}, "Iris peut venir samedi ?",
			"[PERSON_1] peut venir samedi ?"},
		{"fr", []string{"je m'appelle Hope"}, "Est-ce que Hope peut payer en deux fois ?",
			"Est-ce que [PERSON_1] peut payer en deux fois ?"},
		{"de", []string{"Herzliche Grüße, Ursula Lang"},
			"Ursula hier. Wie lang dauert es? Lang ist es her.",
			"[PERSON_2] hier. Wie lang dauert es? Lang ist es her."},
		{"de", []string{"Ich bin Hope"}, "Hope möchte am Montag kommen",
			"[PERSON_1] möchte am Montag kommen"},
		{"de", []string{"Wie lange dauert es?"}, "Hope möchte am Montag kommen",
			"Hope möchte am Montag kommen"},
		{"nl", []string{"ik spreek Frans, groetjes Frans"}, "Spreken jullie ook Frans?",
			"Spreken jullie ook Frans?"},
	}
	r := personOnly()
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%02d_%s", i+1, tt.lang), func(t *testing.T) {
			p := NewPlaceholders()
			for _, h := range tt.history {
				r.Redact(h, p)
			}
			if got, _ := r.Redact(tt.in, p); got != tt.want {
				t.Errorf("after %q, Redact(%q)\n got %q\nwant %q",
					tt.history, tt.in, got, tt.want)
			}
		})
	}
}

// TestPersonAcrossRequests checks that names are found again only within
// one request: another Placeholders knows nothing of them.
func TestPersonAcrossRequests(t *testing.T) {
	r := personOnly()
	r.Redact("ik ben Roos", NewPlaceholders())
	in := "Roos kan pas na 16u"
	if got, _ := r.Redact(in, NewPlaceholders()); got != in {
		t.Errorf("Redact(%q) in a new request = %q", in, got)
	}
}

// TestPersonAcrossTurnsAddress checks, with every detector, that a name
// seen earlier stays inside an address that holds it, and that an address
// seen earlier makes no name of its words.
func TestPersonAcrossTurnsAddress(t *testing.T) {
	tests := []struct{ history, in, want string }{
		{"Kind regards, Jane Baker", "I live at 12 Baker Street, Baker says hi",
			"I live at [ADDRESS_1], [PERSON_2] says hi"},
		{"I live at 12 Baker Street", "Baker Street is near, I'm Jane",
			"Baker Street is near, I'm [PERSON_1]"},
		{"ik ben Louise", "Ik woon aan de Avenue Louise 231, 1050 Elsene",
			"Ik woon aan de [ADDRESS_1]"},
	}
	r := New()
	for _, tt := range tests {
		p := NewPlaceholders()
		r.Redact(tt.history, p)
		if got, _ := r.Redact(tt.in, p); got != tt.want {
			t.Errorf("after %q, Redact(%q)\n got %q\nwant %q",
				tt.history, tt.in, got, tt.want)
		}
	}
}

// TestPersonBesideAddress runs every detector on addresses whose streets
// are named after people, with and without a name of the writer beside
// them, in the four languages: the street stays one ADDRESS with no
// PERSON inside it, and the writer's name is a PERSON.
func TestPersonBesideAddress(t *testing.T) {
	tests := []struct{ in, address, person string }{
		{"12 Baker Street", "12 Baker Street", ""},
		{"Kind regards, Jane Baker. I live at 12 Baker Street",
			"12 Baker Street", "Jane Baker"},
		{"J'habite 12 rue Victor Hugo, 75016 Paris. Merci, Julie",
			"12 rue Victor Hugo, 75016 Paris", "Julie"},
		{"Ich wohne in der Thomas-Mann-Straße 5, 10115 Berlin",
			"Thomas-Mann-Straße 5, 10115 Berlin", ""},
		{"Kerkstraat 12, 9000 Gent. Groetjes, Lieve Goossens",
			"Kerkstraat 12, 9000 Gent", "Lieve Goossens"},
		{"Ik woon in de Lange Lozanastraat 12, Antwerpen",
			"Lange Lozanastraat 12, Antwerpen", ""},
	}
	r := New()
	for _, tt := range tests {
		p := NewPlaceholders()
		r.Redact(tt.person+" is my name", p) // seen before, too
		_, found := r.Redact(tt.in, p)
		var addr, person []string
		for _, f := range found {
			switch f.Type {
			case Address:
				addr = append(addr, tt.in[f.Start:f.End])
			case Person:
				person = append(person, tt.in[f.Start:f.End])
			}
		}
		wantPerson := []string{}
		if tt.person != "" {
			wantPerson = []string{tt.person}
		}
		if len(addr) != 1 || addr[0] != tt.address ||
			fmt.Sprint(person) != fmt.Sprint(wantPerson) {
			t.Errorf("Redact(%q): addresses %q, persons %q; want [%q], %q",
				tt.in, addr, person, tt.address, wantPerson)
		}
	}
}

// TestNameWordSet checks the set of the words of names' keys: each word
// between spaces, however many there are.
func TestNameWordSet(t *testing.T) {
	var s nameWordSet
	s.addKey("sofie van  den broeck ")
	for w, want := range map[string]bool{
		"sofie": true, "van": true, "broeck": true, "sofie van": false,
		"": false, "broec": false,
	} {
		if got := s.has(nameFNV(w)); got != want {
			t.Errorf("has(%q) = %v, want %v", w, got, want)
		}
	}
	for i := range 3 * smallNameWords {
		s.addKey(fmt.Sprintf("x%d y%d", i, i))
	}
	for i := range 3 * smallNameWords {
		if !s.has(nameFNV(fmt.Sprintf("y%d", i))) {
			t.Fatalf("lost y%d after %d words", i, 6*smallNameWords)
		}
	}
	if !s.has(nameFNV("sofie")) || s.has(nameFNV("z1")) {
		t.Error("the set changed what it held when it grew")
	}
}
