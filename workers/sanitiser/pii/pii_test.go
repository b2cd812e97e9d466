package pii

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
)

// sample is one line of testdata/messages.jsonl: a visitor message with
// each personal value in it marked by type. An empty PII list marks a
// hard negative: nothing in it may be redacted.
type sample struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
	PII  []struct {
		Type  Type   `json:"type"`
		Value string `json:"value"`
	} `json:"pii"`
}

func loadSamples(t testing.TB) []sample {
	t.Helper()
	f, err := os.Open("testdata/messages.jsonl")
	if err != nil {
		t.Fatalf("opening corpus: %v", err)
	}
	defer f.Close()
	var out []sample
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var s sample
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		for _, v := range s.PII {
			if !strings.Contains(s.Text, v.Value) {
				t.Fatalf("line %d: value %q not in text", line, v.Value)
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	return out
}

// marked is a byte range of a marked value in a sample.
type marked struct {
	typ        Type
	start, end int
}

// markedSpans returns every occurrence of every marked value.
func (s sample) markedSpans() []marked {
	var out []marked
	for _, v := range s.PII {
		for off := 0; ; {
			k := strings.Index(s.Text[off:], v.Value)
			if k < 0 {
				break
			}
			out = append(out, marked{v.Type, off + k, off + k + len(v.Value)})
			off += k + len(v.Value)
		}
	}
	return out
}

// covered reports whether findings of type m.typ cover every letter and
// digit of m.
func covered(text string, m marked, found []Finding) bool {
	for i := m.start; i < m.end; i++ {
		if !isAlnum(text[i]) {
			continue
		}
		ok := false
		for _, f := range found {
			if f.Type == m.typ && f.Start <= i && i < f.End {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// TestCorpus measures recall and precision on the marked corpus and
// requires both to be 1: every marked value is removed with the right
// type, and nothing else is, hard negatives included.
func TestCorpus(t *testing.T) {
	samples := loadSamples(t)
	if len(samples) < 80 {
		t.Fatalf("corpus has %d messages, want at least 80", len(samples))
	}
	r := New()
	var values, hits, findings, truePos int
	for n, s := range samples {
		t.Run(fmt.Sprintf("%03d_%s", n+1, s.Lang), func(t *testing.T) {
			out, found := r.Redact(s.Text, nil)
			marks := s.markedSpans()
			for _, m := range marks {
				values++
				if covered(s.Text, m, found) {
					hits++
				} else {
					t.Errorf("missed %s %q in %q -> %q",
						m.typ, s.Text[m.start:m.end], s.Text, out)
				}
			}
			for _, f := range found {
				findings++
				if within(f, marks) {
					truePos++
				} else {
					t.Errorf("false %s %q in %q", f.Type,
						s.Text[f.Start:f.End], s.Text)
				}
			}
			for _, v := range s.PII {
				if strings.Contains(out, v.Value) {
					t.Errorf("value %q still in output %q", v.Value, out)
				}
			}
		})
	}
	recall := float64(hits) / float64(values)
	precision := float64(truePos) / float64(max(findings, 1))
	t.Logf("values %d, recall %.3f, findings %d, precision %.3f",
		values, recall, findings, precision)
	if recall != 1 || precision != 1 {
		t.Errorf("recall %.3f precision %.3f, want 1 and 1", recall, precision)
	}
}

// within reports whether f lies inside a marked value of its type.
func within(f Finding, marks []marked) bool {
	for _, m := range marks {
		if m.typ == f.Type && m.start <= f.Start && f.End <= m.end {
			return true
		}
	}
	return false
}

// TestRedactShapes pins the output for the number shapes the detectors
// accept and for the look-alikes they must leave alone.
func TestRedactShapes(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"be mobile", "0470 12 34 56", "[PHONE_1]"},
		{"be mobile dots slash", "0470/12.34.56", "[PHONE_1]"},
		{"be mobile intl", "+32 470 12 34 56", "[PHONE_1]"},
		{"be intl trunk", "+32 (0)470 12 34 56", "[PHONE_1]"},
		{"be intl 00", "0032 2 123 45 67", "[PHONE_1]"},
		{"be intl dots", "+32.2.123.45.67", "[PHONE_1]"},
		{"be fixed", "02/123.45.67", "[PHONE_1]"},
		{"be freephone", "0800 12 345", "[PHONE_1]"},
		{"nl mobile", "06-12345678", "[PHONE_1]"},
		{"nl intl", "+31 6 12345678", "[PHONE_1]"},
		{"fr mobile", "06 12 34 56 78", "[PHONE_1]"},
		{"fr intl", "+33 6 12 34 56 78", "[PHONE_1]"},
		{"de mobile", "0151 23456789", "[PHONE_1]"},
		{"de intl", "+49 30 1234567", "[PHONE_1]"},
		{"lu intl", "+352 621 123 456", "[PHONE_1]"},
		{"lu mobile", "621 123 456", "[PHONE_1]"},
		{"uk mobile", "07700 900123", "[PHONE_1]"},
		{"us", "(555) 123-4567", "[PHONE_1]"},
		{"us intl", "+1 (555) 123-4567", "[PHONE_1]"},
		{"generic intl", "+41 44 668 18 00", "[PHONE_1]"},
		{"unknown code", "+995 32 212 3456", "[PHONE_1]"},
		{"two numbers", "0470 12 34 56 / 02 123 45 67", "[PHONE_1] / [PHONE_2]"},
		{"spaced slash", "0211 / 43 86 02 10", "[PHONE_1]"},
		{"de landline of twelve after a cue", "ruf mich an: 0241 4706 5521",
			"ruf mich an: [PHONE_1]"},
		{"de call back", "Bitte rufen Sie mich zurück: 0241 4706 5521",
			"Bitte rufen Sie mich zurück: [PHONE_1]"},
		{"en dash after the area code", "meine Nummer: 0176 – 4481 2290",
			"meine Nummer: [PHONE_1]"},
		{"en dash in a range", "open 9 – 18 en 10 – 12", "open 9 – 18 en 10 – 12"},
		{"de her number", "Ihre Nummer: 0241 4706 5521", "Ihre Nummer: [PHONE_1]"},
		{"twelve digits without a cue", "Kundennummer 0241 4706 5521",
			"Kundennummer 0241 4706 5521"},
		{"lu landline after a cue", "Tel. 26 48 31 57 (Festnetz)", "Tel. [PHONE_1] (Festnetz)"},
		{"lu short after a cue", "tél: 44 55 66", "tél: [PHONE_1]"},
		{"grouped digits without a cue", "ref 26 48 31 57", "ref 26 48 31 57"},
		{"cue then a date", "tel 12 03 2027", "tel 12 03 2027"},
		{"cue then a price", "telefoon kost 250 euro", "telefoon kost 250 euro"},
		{"spaced dash", "0470 - 12 34 56", "[PHONE_1]"},
		{"hours with spaced dash", "open 9 - 18 en 10 - 12", "open 9 - 18 en 10 - 12"},
		{"date with spaced slashes", "12 / 03 / 2027 om 10u", "12 / 03 / 2027 om 10u"},
		{"glued numbers", "0470123456-0471123456", "[PHONE_1]-[PHONE_2]"},
		{"time then phone", "09.30 0470 12 34 56", "09.30 [PHONE_1]"},
		{"date then phone", "03/04/2025 0470123456", "03/04/2025 [PHONE_1]"},
		{"sentence end", "Bel 0470123456.", "Bel [PHONE_1]."},
		{"iban lower", "be68 5390 0754 7034", "[IBAN_1]"},
		{"iban bad check", "BE68 5390 0754 7035", "[IBAN_1]"},
		{"iban bad check one block", "BE68539007547035", "BE68539007547035"},
		{"iban odd groups", "BE68 53900754 7034", "BE68 53900754 7034"},
		{"card dashes", "4111-1111-1111-1111", "[CREDIT_CARD_1]"},
		{"card bad luhn", "4111 1111 1111 1112", "4111 1111 1111 1112"},
		{"order number", "order 1234 5678 9012 3456", "order 1234 5678 9012 3456"},
		{"nrn", "85.07.30-033.28", "[NATIONAL_ID_1]"},
		{"nrn after 2000", "01020312345", "[NATIONAL_ID_1]"},
		{"nrn bad check", "85.07.30-033.29", "85.07.30-033.29"},
		{"email", "Jan.Peeters+kliniek@Sub.Example.be", "[EMAIL_1]"},
		{"email idn", "jörg@müller.de", "[EMAIL_1]"},
		{"email trailing dot", "mail x@y.com.", "mail [EMAIL_1]."},
		{"no tld", "user@localhost", "user@localhost"},
		{"at sign alone", "@ 14u", "@ 14u"},
		{"price", "€ 250 of 1.250,00 euro", "€ 250 of 1.250,00 euro"},
		{"amount", "€1.250.000", "€1.250.000"},
		{"quantities", "2 ml, 50 units, 3 sessies", "2 ml, 50 units, 3 sessies"},
		{"date", "12/03/2025", "12/03/2025"},
		{"date with time", "op 03/04/2025 10 uur", "op 03/04/2025 10 uur"},
		{"iso date", "2025-03-12", "2025-03-12"},
		{"hours", "09.00-12.00 13.00-18.00", "09.00-12.00 13.00-18.00"},
		{"hours spaced", "09.00 - 18.00", "09.00 - 18.00"},
		{"time", "14:30, om 14u, à 9h30", "14:30, om 14u, à 9h30"},
		{"years", "2019-2024", "2019-2024"},
		{"postcode", "1000 Brussel", "1000 Brussel"},
		{"glued code", "ref AB0470123456", "ref AB0470123456"},
		{"decimal", "0,470123456", "0,470123456"},
		{"short plus", "+30 min", "+30 min"},
		{"placeholder", "[PHONE_1] en [EMAIL_12]", "[PHONE_1] en [EMAIL_12]"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := r.Redact(tt.in, nil)
			if got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestFindings checks offsets, types and reasons of findings.
func TestFindings(t *testing.T) {
	in := "mail a@b.be, IBAN BE68539007547034, kaart 4111111111111111, " +
		"rrn 85073003328, tel 0470123456"
	want := []Finding{
		{Email, 5, 11, ReasonPattern},
		{IBAN, 18, 34, ReasonMod97},
		{CreditCard, 42, 58, ReasonLuhn},
		{NationalID, 64, 75, ReasonMod97},
		{Phone, 81, 91, ReasonPattern},
	}
	_, got := New().Redact(in, nil)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("findings\n got %v\nwant %v", got, want)
	}
	c := Counts(got)
	if len(c) != 5 || c["EMAIL"] != 1 || c["PHONE"] != 1 {
		t.Errorf("Counts = %v", c)
	}
}

// TestPlaceholdersAcrossMessages redacts a history and a message with one
// Placeholders: a value keeps its number everywhere, whatever its
// spelling, and new values get new numbers per type.
func TestPlaceholdersAcrossMessages(t *testing.T) {
	r := New()
	p := NewPlaceholders()
	turns := []struct{ in, want string }{
		{"Bel 0470 12 34 56 of mail an@x.be", "Bel [PHONE_1] of mail [EMAIL_1]"},
		{"Of +32 470 12 34 56, AN@X.BE", "Of [PHONE_1], [EMAIL_1]"},
		{"Nieuw: 02 123 45 67, bob@y.be", "Nieuw: [PHONE_2], [EMAIL_2]"},
		{"Nog eens 0470123456 en bob@y.be", "Nog eens [PHONE_1] en [EMAIL_2]"},
	}
	for i, tt := range turns {
		got, _ := r.Redact(tt.in, p)
		if got != tt.want {
			t.Errorf("turn %d: got %q, want %q", i, got, tt.want)
		}
	}
	if p.Len() != 4 {
		t.Errorf("Len = %d, want 4", p.Len())
	}

	// A fresh request starts numbering again.
	got, _ := r.Redact("bob@y.be", NewPlaceholders())
	if got != "[EMAIL_1]" {
		t.Errorf("new request: got %q", got)
	}
	// The zero value works too.
	var zero Placeholders
	got, _ = r.Redact("bob@y.be en an@x.be", &zero)
	if got != "[EMAIL_1] en [EMAIL_2]" {
		t.Errorf("zero value: got %q", got)
	}
}

// TestPlaceholdersInText checks that placeholders from an earlier turn
// survive and that new values do not reuse their numbers.
func TestPlaceholdersInText(t *testing.T) {
	r := New()
	in := "Mijn mail was [EMAIL_1], nu is het c@z.be; tel [PHONE_3] of 0470123456"
	want := "Mijn mail was [EMAIL_1], nu is het [EMAIL_2]; tel [PHONE_3] of [PHONE_4]"
	got, found := r.Redact(in, nil)
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(found) != 2 {
		t.Errorf("findings = %v, want the two new values", found)
	}
}

// TestIdempotent redacts every corpus message twice: the second pass
// finds nothing and changes nothing.
func TestIdempotent(t *testing.T) {
	r := New()
	for _, s := range loadSamples(t) {
		p := NewPlaceholders()
		once, _ := r.Redact(s.Text, p)
		twice, found := r.Redact(once, p)
		if twice != once || len(found) != 0 {
			t.Errorf("second pass changed %q to %q (%v)", once, twice, found)
		}
	}
}

// TestFindingLogValue checks that logging findings shows type and reason
// only.
func TestFindingLogValue(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	_, found := New().Redact("tel 0470 12 34 56", nil)
	if len(found) != 1 {
		t.Fatalf("findings = %v", found)
	}
	log.Info("redacted", "finding", found[0], "placeholders", NewPlaceholders())
	got := buf.String()
	if !strings.Contains(got, `"finding":{"type":"PHONE","reason":"pattern"}`) {
		t.Errorf("log line %s lacks type and reason", got)
	}
	if strings.Contains(got, "start") || strings.Contains(got, "0470") {
		t.Errorf("log line %s shows more than type and reason", got)
	}
	if !strings.Contains(got, `"placeholders":{"values":0}`) {
		t.Errorf("log line %s: placeholders not summarised", got)
	}
}

// TestConcurrent uses one Redactor and one Placeholders from many
// goroutines; run with -race.
func TestConcurrent(t *testing.T) {
	r := New()
	p := NewPlaceholders()
	samples := loadSamples(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for _, s := range samples[g:] {
				r.Redact(s.Text, p)
			}
		})
	}
	wg.Wait()
	want := 0
	seen := map[string]bool{}
	for _, s := range samples {
		_, found := r.Redact(s.Text, nil)
		for _, f := range found {
			seen[string(f.Type)+s.Text[f.Start:f.End]] = true
		}
	}
	want = len(seen)
	// Spellings of one phone number share a placeholder, so there are
	// at most as many numbered values as distinct spellings.
	if p.Len() == 0 || p.Len() > want {
		t.Errorf("Len = %d, want 1..%d", p.Len(), want)
	}
}

// TestDefaultOrder checks that Default gives the detectors by priority,
// whatever order their files registered them in.
func TestDefaultOrder(t *testing.T) {
	ds := Default()
	if len(ds) != len(builtins) {
		t.Fatalf("%d detectors, %d registered", len(ds), len(builtins))
	}
	prio := map[Type]int{}
	for _, b := range builtins {
		prio[b.d.Type()] = b.prio
	}
	for i := 1; i < len(ds); i++ {
		if prio[ds[i-1].Type()] > prio[ds[i].Type()] {
			t.Errorf("%s before %s", ds[i-1].Type(), ds[i].Type())
		}
	}
	if ds[0].Type() != Email {
		t.Errorf("first detector %s, want EMAIL", ds[0].Type())
	}
}
