package pii

import "testing"

// TestPlaceholdersWords checks what Input.seenWord is told of the names
// numbered before a text: each word of a name, whole, of the type it was
// numbered as, within one request; nothing of other types' values.
func TestPlaceholdersWords(t *testing.T) {
	p := NewPlaceholders()
	p.label(Person, "sofie van den broeck")
	p.label(Email, "sofie@example.be")
	var in Input
	in.reset("any text")
	in.earlier = p
	tests := []struct {
		typ  Type
		word string
		want bool
	}{
		{Person, "sofie", true},
		{Person, "broeck", true},
		{Person, "van", true},
		{Person, "sofie van den broeck", false}, // words, not values
		{Person, "sofi", false},
		{Person, "Sofie", false}, // keys are folded by the detector
		{Email, "sofie", false},
		{Email, "sofie@example.be", false}, // only names keep words
		{Phone, "sofie", false},
	}
	for _, tt := range tests {
		if got := in.seenWord(tt.typ, []byte(tt.word)); got != tt.want {
			t.Errorf("seenWord(%s, %q) = %v, want %v", tt.typ, tt.word, got, tt.want)
		}
	}
	if !in.seenAny(Person) || !in.seenAny(Email) || in.seenAny(Phone) {
		t.Errorf("seenAny: person %v, email %v, phone %v",
			in.seenAny(Person), in.seenAny(Email), in.seenAny(Phone))
	}

	in.earlier = NewPlaceholders() // another request
	if in.seenAny(Person) || in.seenWord(Person, []byte("sofie")) {
		t.Error("a new Placeholders knows a name")
	}
	in.reset("next text")
	if in.earlier != nil {
		t.Error("reset keeps the placeholders of the last text")
	}
}
