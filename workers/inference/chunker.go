package inference

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iglowly/assistant/schemas"
)

// minChunkChars is the shortest chunk sent before the answer ends, so a
// stream of tiny pieces does not become a stream of tiny events.
const minChunkChars = 24

// chunker turns the model's stream into chunk events of whole sentences.
// The response worker redacts one chunk at a time, so a chunk never ends
// inside a sentence, where it could split a phone number or an address,
// unless one sentence outgrows schemas.MaxChunkChars: then it is cut at
// its last space that is not between two digits. The last chunk an answer
// may have (schemas.MaxChunks) takes the rest of the answer; what does
// not fit in it is dropped and counted.
//
// A full stop after a title, an abbreviation or an initial ("Dr. ",
// "Mevr. ", "J. ", "bv. ") ends no sentence, so a name is never parted
// from the title that makes it one.
type chunker struct {
	send    func(typ string, data any) error
	buf     []byte
	seq     int
	dropped int // bytes of the answer that no chunk could carry
}

// write takes one piece of the model's stream and sends what is ready.
func (c *chunker) write(_ context.Context, piece []byte) error {
	if c.seq >= schemas.MaxChunks {
		c.dropped += len(piece)
		return nil
	}
	c.buf = append(c.buf, piece...)
	return c.drain(false)
}

// flush sends the rest of the answer once the model is done.
func (c *chunker) flush() error { return c.drain(true) }

func (c *chunker) drain(final bool) error {
	for {
		n := c.next(final)
		if n == 0 {
			return nil
		}
		err := c.send(schemas.TypeAnswerChunk,
			schemas.AnswerChunk{Seq: c.seq, Text: schemas.Chat(c.buf[:n])})
		c.seq++
		c.buf = append(c.buf[:0], c.buf[n:]...)
		if c.seq == schemas.MaxChunks {
			c.dropped += len(c.buf)
			c.buf = c.buf[:0]
		}
		if err != nil {
			return err
		}
	}
}

// next returns how many bytes of the buffer to send as the next chunk,
// or 0 to wait for more.
func (c *chunker) next(final bool) int {
	b := c.buf
	if len(b) == 0 {
		return 0
	}
	last := c.seq == schemas.MaxChunks-1
	if utf8.RuneCount(b) <= schemas.MaxChunkChars {
		switch {
		case final:
			return len(b)
		case last:
			return 0
		}
		return sentenceEnd(b)
	}
	return cut(b[:runeOffset(b, schemas.MaxChunkChars)])
}

// cut returns where to end a chunk that must fit in b: at its last
// sentence end, else at its last space outside a number, else before
// the number-like run b ends with, so that no chunk ends inside a phone
// number, an IBAN or a card, which the guard, seeing a part, might not
// know for one. Only text that is one number-like run throughout is cut
// at the limit itself.
func cut(b []byte) int {
	if n := sentenceEnd(b); n > 0 {
		return n
	}
	if n := safeSpace(b); n > 0 {
		return n
	}
	n := len(b)
	for n > 0 && numberish(b[n-1]) {
		n--
	}
	if n == 0 {
		return len(b)
	}
	return n
}

// sentenceEnd returns the length of the longest prefix of b, at least
// minChunkChars long, that ends a sentence: a newline, or '.', '!', '?'
// or ':' and a space, so that a decimal point inside a price ("€ 1.250")
// never ends one. It returns 0 if there is none.
func sentenceEnd(b []byte) int {
	for i := len(b); i >= minChunkChars && i >= 2; i-- {
		switch {
		case b[i-1] == '\n':
			return i
		case b[i-1] == ' ' && b[i-2] == '.' && abbreviationBefore(b[:i-2]):
			continue
		case b[i-1] == ' ' && strings.IndexByte(".!?:", b[i-2]) >= 0:
			return i
		}
	}
	return 0
}

// abbreviations end with a full stop that ends no sentence: titles in
// the four languages and common abbreviations, lower case.
var abbreviations = map[string]bool{
	"dr": true, "drs": true, "prof": true, "mr": true, "mrs": true, "ms": true,
	"mme": true, "mlle": true, "mevr": true, "dhr": true, "hr": true,
	"fr": true, "st": true, "ste": true, "sr": true, "jr": true, "mag": true,
	"ir": true, "ing": true, "nr": true, "no": true, "bv": true, "vb": true,
	"bijv": true, "ca": true, "cf": true, "vs": true, "etc": true,
	"e.g": true, "i.e": true, "z.b": true, "o.a": true, "resp": true,
	"tel": true, "tél": true, "ref": true, "av": true, "bd": true, "str": true,
}

// abbreviationBefore reports whether b ends with a word that a full stop
// after it does not end a sentence with: an abbreviation, or a single
// letter (an initial, "J.").
func abbreviationBefore(b []byte) bool {
	start := len(b)
	for start > 0 && b[start-1] != ' ' && b[start-1] != '\n' && b[start-1] != '(' {
		start--
	}
	word := strings.ToLower(string(b[start:]))
	if r, size := utf8.DecodeRuneInString(word); size == len(word) {
		return unicode.IsLetter(r) // an initial; a number ends a sentence
	}
	return abbreviations[word]
}

// safeSpace returns the length of the longest prefix of b that ends with
// a space not inside a number: not between two number-like characters
// ("+32 (0)470 12", "BE71 0961") and not right after one when the text
// stops at that space, where the number may go on. It returns 0 if there
// is none.
func safeSpace(b []byte) int {
	for i := len(b) - 1; i > 0; i-- {
		if b[i] != ' ' {
			continue
		}
		before := numberish(b[i-1])
		if before && (i+1 == len(b) || numberish(b[i+1])) {
			continue
		}
		return i + 1
	}
	return 0
}

// numberish reports whether c can be part of a written number: a digit,
// or a character numbers are grouped with, or an IBAN's letter.
func numberish(c byte) bool {
	return isDigit(c) || strings.IndexByte("+()-./", c) >= 0 ||
		'A' <= c && c <= 'Z'
}

// runeOffset returns the byte offset of the n-th rune of b.
func runeOffset(b []byte, n int) int {
	off := 0
	for ; n > 0 && off < len(b); n-- {
		_, size := utf8.DecodeRune(b[off:])
		off += size
	}
	return off
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
