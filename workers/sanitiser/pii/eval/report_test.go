package eval

import (
	"strings"
	"testing"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// smallReport scores three messages: a phone found, a name missed, an
// IBAN found as a phone, and a price flagged in a clean message.
func smallReport() *Report {
	msgs := []Message{
		{ID: "nl-001", Lang: "nl", Text: "ik ben Sofie, 0470 12 34 56",
			PII: []Value{{"PERSON", "Sofie"}, {pii.Phone, "0470 12 34 56"}}},
		{ID: "nl-002", Lang: "nl", Text: "vanaf 190 euro"},
		{ID: "de-001", Lang: "de", Text: "IBAN DE10370400440417852600",
			PII: []Value{{pii.IBAN, "DE10370400440417852600"}}},
	}
	r := pii.NewWith(spotter{pii.Phone, []string{"0470 12 34 56", "190", "370400440417852600"}})
	return Score(r, msgs)
}

// TestWriteReport checks the tables cell by cell: order of rows, right
// alignment, three decimals, "-" where a ratio is undefined.
func TestWriteReport(t *testing.T) {
	var b strings.Builder
	if err := WriteReport(&b, smallReport()); err != nil {
		t.Fatal(err)
	}
	want := typeLegend + `type    values  found  recall  any type  findings  correct  precision
PERSON       1      0   0.000     0.000         0        0          -
PHONE        1      1   1.000     1.000         3        1      0.333
IBAN         1      0   0.000     0.000         0        0          -
all          3      1   0.333     0.333         3        1      0.333
` + langLegend + `lang  messages  values  recall  any type  precision  clean  changed    share
de           1       1   0.000     0.000      0.000      0        0        -
nl           2       2   0.500     0.500      0.500      1        1  100.0 %
all          3       3   0.333     0.333      0.333      1        1  100.0 %
`
	if got := b.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

// TestWriteMisses checks that each miss and false alarm has its line and
// says what became of it.
func TestWriteMisses(t *testing.T) {
	var b strings.Builder
	if err := WriteMisses(&b, smallReport()); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, line := range []string{
		"Misses (2)",
		`nl-001   PERSON           "Sofie"  not found`,
		`de-001   IBAN             "DE10370400440417852600"  partly removed as PHONE`,
		"False alarms (2)",
		`nl-002   PHONE            "190"  pattern, not personal`,
		`de-001   PHONE            "370400440417852600"  pattern, annotated as IBAN`,
	} {
		if !strings.Contains(got, line) {
			t.Errorf("misses lack %q:\n%s", line, got)
		}
	}
}
