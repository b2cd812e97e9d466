package stack_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// A needle is searched in one normal form of every haystack: text in
// lower case with runs of spaces made one, the digits of numbers with
// their separators taken out, or letters and digits only, for values
// such as IBANs that may be written with or without spaces.
type form int

const (
	formText form = iota
	formDigits
	formCompact
	nForms
)

// keyLen is the length of the index key of each form, and so the
// shortest needle it takes: short enough for a family name, long enough
// for no random run of digits in a log or an encrypted file to match.
var keyLen = [nForms]int{formText: 5, formDigits: 10, formCompact: 12}

type needle struct {
	s    string
	what string
}

// needles finds many values in large texts at once: each needle is
// indexed by its first keyLen bytes, so a haystack is read once per
// form whatever the number of needles.
type needles struct {
	index [nForms]map[string][]needle
}

func newNeedles() *needles {
	n := &needles{}
	for f := range n.index {
		n.index[f] = map[string][]needle{}
	}
	return n
}

// add indexes s, already in form f, as what.
func (n *needles) add(f form, s, what string) {
	if len(s) < keyLen[f] {
		panic(fmt.Sprintf("needle %s is shorter than %d bytes", what, keyLen[f]))
	}
	k := s[:keyLen[f]]
	n.index[f][k] = append(n.index[f][k], needle{s: s, what: what})
}

// addPlants indexes every needle of the plants as "<type> of <owner>".
func (n *needles) addPlants(plants []plant, owner string) {
	for _, p := range plants {
		for _, s := range p.needles {
			n.add(needleForm(s), s, p.typ+" of "+owner)
		}
	}
}

// needleForm is the form a plant's needle is in: digits only, letters
// and digits only (an IBAN), or text.
func needleForm(s string) form {
	switch {
	case onlyDigits(s) == s:
		return formDigits
	case compactForm(s) == s && strings.ContainsAny(s, "0123456789"):
		return formCompact
	}
	return formText
}

// find returns what each needle found in hay is, sorted and without
// repeats.
func (n *needles) find(hay string) []string {
	found := map[string]bool{}
	forms := [nForms]string{normText(validUTF8(hay)), digitForm(hay),
		compactForm(validUTF8(hay))}
	for f, h := range forms {
		k := keyLen[f]
		for i := 0; i+k <= len(h); i++ {
			for _, nd := range n.index[f][h[i:i+k]] {
				if strings.HasPrefix(h[i:], nd.s) {
					found[nd.what] = true
				}
			}
		}
	}
	out := make([]string, 0, len(found))
	for w := range found {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// validUTF8 replaces bytes that are not UTF-8, as in encrypted files,
// with spaces, so that lower-casing cannot glue their neighbours.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, " ")
}

// digitForm keeps the digits of s, drops the separators people write
// between them (spaces, dots, dashes, slashes, brackets, '+') and marks
// every other byte as a break, so that numbers next to each other in a
// log line do not run together.
func digitForm(s string) string {
	b := make([]byte, 0, len(s)/4)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			b = append(b, c)
		case strings.IndexByte(" .-/()+", c) >= 0:
		case len(b) > 0 && b[len(b)-1] != '|':
			b = append(b, '|')
		}
	}
	return string(b)
}

// compactForm keeps the ASCII letters, in lower case, and digits of s.
func compactForm(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			b = append(b, c)
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	return string(b)
}

// TestCanaryNeedles checks the search finds a value however it is
// written, in the form its needle is in, and nothing else: a phone with
// other separators, an IBAN without its spaces, a name in capitals, a
// date inside JSON.
func TestCanaryNeedles(t *testing.T) {
	p := newPlanter(1, 0, "nl")
	phone, iban, name := p.phone(), p.iban(), p.name()
	date := strings.TrimPrefix(p.birthDate(), birthCues["nl"]+" ")
	n := newNeedles()
	n.addPlants(p.out, "case 1")
	other := newPlanter(2, 0, "nl")
	other.phone()
	other.iban()
	other.name()
	other.birthDate()
	n.addPlants(other.out, "case 2")
	digitsOf := onlyDigits(phone)
	found := n.find(strings.Join([]string{
		digitsOf[:3] + "." + digitsOf[3:6] + "-" + digitsOf[6:],
		strings.ReplaceAll(iban, " ", ""),
		strings.ToUpper(name),
		`{"at":"` + date + `"}`,
	}, "\n"))
	want := "DATE_OF_BIRTH of case 1,IBAN of case 1,PERSON of case 1,PHONE of case 1"
	if got := strings.Join(found, ","); got != want {
		t.Errorf("found %s, want %s", got, want)
	}
	clean := "status 200, 1.234 ms, at 2026-12-04T03:21:36.123456789Z " +
		"request 1234 5678, [PHONE_1] [IBAN_1] [PERSON_1]"
	if found := n.find(clean); len(found) != 0 {
		t.Errorf("found %v in a text without values", found)
	}
}
