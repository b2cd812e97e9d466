package inference

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iglowly/assistant/schemas"
)

// collect runs pieces through a chunker and returns the chunks sent.
func collect(t *testing.T, pieces ...string) ([]string, *chunker) {
	t.Helper()
	var got []string
	c := &chunker{send: func(typ string, data any) error {
		ch := data.(schemas.AnswerChunk)
		if typ != schemas.TypeAnswerChunk || ch.Seq != len(got) {
			t.Fatalf("event %s seq %d after %d chunks", typ, ch.Seq, len(got))
		}
		if err := ch.Validate(); err != nil {
			t.Fatalf("chunk %d is not valid: %v", ch.Seq, err)
		}
		got = append(got, string(ch.Text))
		return nil
	}}
	for _, p := range pieces {
		if err := c.write(context.Background(), []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	return got, c
}

func TestChunkerSentences(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		want   []string
	}{
		{"one sentence per piece",
			[]string{"Botox costs from € 190 per zone. ", "A session takes 20 minutes."},
			[]string{"Botox costs from € 190 per zone. ", "A session takes 20 minutes."}},
		{"token stream joined into sentences",
			[]string{"Bo", "tox costs", " from € 1.2", "50 per zone. A ses",
				"sion takes 20 min", "utes."},
			[]string{"Botox costs from € 1.250 per zone. ", "A session takes 20 minutes."}},
		{"a phone number across pieces stays in one chunk",
			[]string{"Call us on 0470 12", " 34 56 to book. ", "Thanks!"},
			[]string{"Call us on 0470 12 34 56 to book. ", "Thanks!"}},
		{"short sentences are merged",
			[]string{"Yes. ", "We are open. ", "Until six tonight, in fact. ", "Welcome."},
			[]string{"Yes. We are open. Until six tonight, in fact. ", "Welcome."}},
		{"newline ends a chunk",
			[]string{"Our prices for the lips are:\n- filler € 320\n"},
			[]string{"Our prices for the lips are:\n- filler € 320\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, c := collect(t, tt.pieces...)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("chunks\n got %q\nwant %q", got, tt.want)
			}
			if c.dropped != 0 {
				t.Errorf("%d bytes dropped", c.dropped)
			}
		})
	}
}

// TestChunkerLimits streams answers too long for the limits: nothing is
// lost while the events can carry it, no chunk is over the limit or cut
// inside a character or between digits, and the excess is counted.
func TestChunkerLimits(t *testing.T) {
	t.Run("one endless sentence", func(t *testing.T) {
		// 18 characters: the limit falls inside the number.
		word := "é 0470 12 34 56 x "
		long := strings.Repeat(word, 2*schemas.MaxChunkChars/len(word))
		got, c := collect(t, long)
		if strings.Join(got, "") != long || c.dropped != 0 {
			t.Fatalf("%d chunks lose text (dropped %d)", len(got), c.dropped)
		}
		for i, g := range got[:len(got)-1] {
			if n := utf8.RuneCountInString(g); n > schemas.MaxChunkChars {
				t.Errorf("chunk %d has %d characters", i, n)
			}
			end := strings.TrimRight(g, " ")
			if isDigit(end[len(end)-1]) && isDigit(got[i+1][0]) {
				t.Errorf("chunk %d ends %q and the next begins %q: a number is split",
					i, g[len(g)-12:], got[i+1][:8])
			}
		}
	})
	t.Run("more sentences than chunks", func(t *testing.T) {
		sentence := "This sentence is long enough to be a chunk. "
		var pieces []string
		for range schemas.MaxChunks + 10 {
			pieces = append(pieces, sentence)
		}
		got, c := collect(t, pieces...)
		if len(got) != schemas.MaxChunks {
			t.Fatalf("%d chunks, want %d", len(got), schemas.MaxChunks)
		}
		if want := strings.Repeat(sentence, 11); got[len(got)-1] != want {
			t.Errorf("the last chunk does not take the rest: %q", got[len(got)-1])
		}
		if c.dropped != 0 {
			t.Errorf("%d bytes dropped although the last chunk had room", c.dropped)
		}
	})
	t.Run("answer beyond what the events carry", func(t *testing.T) {
		sentence := strings.Repeat("x", 200) + ". "
		var pieces []string
		for range schemas.MaxChunks * schemas.MaxChunkChars / len(sentence) * 2 {
			pieces = append(pieces, sentence)
		}
		total := len(strings.Join(pieces, ""))
		got, c := collect(t, pieces...)
		sent := len(strings.Join(got, ""))
		if len(got) != schemas.MaxChunks || sent+c.dropped != total || c.dropped == 0 {
			t.Errorf("%d chunks, %d bytes sent + %d dropped, of %d", len(got), sent,
				c.dropped, total)
		}
	})
}

// TestCutNeverEndsInsideANumber checks where a chunk that must be cut
// ends: never inside a number written with spaces, brackets or letters.
func TestCutNeverEndsInsideANumber(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"call +32 (0)470 12 34 56", "call "},
		{"pay BE71 0961 2345 6769", "pay "},
		{"card 4111 1111 1111 1111", "card "},
		{"ring 0470/12.34.56", "ring "},
		{"price 250 euro and more", "price 250 euro and "},
		{"Thank you for your question. Then +32 470 12", "Thank you for your question. "},
		{"Then +32 470 12", "Then "},
		{"0470123456", "0470123456"}, // nothing but a number: cut at the limit
	}
	for _, tt := range tests {
		if got := tt.text[:cut([]byte(tt.text))]; got != tt.want {
			t.Errorf("cut(%q) keeps %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestChunkerKeepsTitlesWithNames checks that a full stop after a title,
// an abbreviation or an initial ends no chunk, so the response guard sees
// "Dr. Janssens" whole, and that other full stops still do.
func TestChunkerKeepsTitlesWithNames(t *testing.T) {
	got, _ := collect(t, "U kunt terecht bij Dr. Janssens of bij mevr. J. Peeters. ",
		"De prijs is 190 euro, bv. voor de frons. ",
		"Een sessie van het pakket kost 5. ", "Bel ons. ")
	want := []string{
		"U kunt terecht bij Dr. Janssens of bij mevr. J. Peeters. ",
		"De prijs is 190 euro, bv. voor de frons. ",
		"Een sessie van het pakket kost 5. ",
		"Bel ons. ",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("chunks\n got %q\nwant %q", got, want)
	}
}
