package eval

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/iglowly/assistant/workers/sanitiser/pii"
)

// EntityTypes lists the entity types of the set in the order the report
// shows them. Types found but not listed here follow, sorted.
var EntityTypes = []pii.Type{
	"PERSON", pii.Email, pii.Phone, pii.IBAN, pii.CreditCard, pii.NationalID,
	"DATE_OF_BIRTH", "ADDRESS", "HEALTH_INSURANCE", "PASSPORT", "URL", "IP_ADDRESS",
}

// The titles of the two tables, with what their columns mean.
const (
	typeLegend = `By type
  values     annotated occurrences
  recall     share whose every letter and digit is inside findings of its type
  any type   the same, inside findings of any type: removed at all
  precision  share of findings that overlap a value of their type

`
	langLegend = `
By language
  changed    clean messages the redactor changed anyway

`
)

// The column heads of the two tables.
var (
	typeHeader = []string{
		"type", "values", "found", "recall", "any type", "findings", "correct", "precision",
	}
	langHeader = []string{
		"lang", "messages", "values", "recall", "any type", "precision", "clean", "changed", "share",
	}
)

// WriteReport writes the figures of rep as two aligned plain-text
// tables, by type and by language, each with a total row. It writes
// counts and ratios only, never message text.
func WriteReport(w io.Writer, rep *Report) error {
	byType := [][]string{typeHeader}
	for _, t := range rep.typeOrder() {
		byType = append(byType, typeRow(string(t), *rep.Types[t]))
	}
	byType = append(byType, typeRow("all", rep.Total))

	byLang := [][]string{langHeader}
	for _, l := range slices.Sorted(maps.Keys(rep.Langs)) {
		byLang = append(byLang, langRow(l, *rep.Langs[l]))
	}
	byLang = append(byLang, langRow("all", rep.Total))

	var b strings.Builder
	b.WriteString(typeLegend)
	writeTable(&b, byType)
	b.WriteString(langLegend)
	writeTable(&b, byLang)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMisses writes one line per miss and per false alarm of rep. The
// lines hold message text: write them to a terminal, never to a log.
func WriteMisses(w io.Writer, rep *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nMisses (%d)\n\n", len(rep.Misses))
	for _, m := range rep.Misses {
		fmt.Fprintf(&b, "  %-8s %-16s %q  %s\n", m.ID, m.Type, m.Value, missNote(m))
	}
	fmt.Fprintf(&b, "\nFalse alarms (%d)\n\n", len(rep.FalseAlarms))
	for _, f := range rep.FalseAlarms {
		note := "not personal"
		if len(f.Annotated) > 0 {
			note = "annotated as " + joinTypes(f.Annotated)
		}
		fmt.Fprintf(&b, "  %-8s %-16s %q  %s, %s\n", f.ID, f.Type, f.Value, f.Reason, note)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// missNote says what became of a missed occurrence.
func missNote(m Miss) string {
	switch {
	case len(m.As) == 0:
		return "not found"
	case m.Removed:
		return "removed as " + joinTypes(m.As)
	default:
		return "partly removed as " + joinTypes(m.As)
	}
}

func joinTypes(types []pii.Type) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return strings.Join(s, "+")
}

// typeOrder returns the types of rep in EntityTypes order, the others
// after them in name order.
func (rep *Report) typeOrder() []pii.Type {
	rank := func(t pii.Type) int {
		if k := slices.Index(EntityTypes, t); k >= 0 {
			return k
		}
		return len(EntityTypes)
	}
	types := slices.Collect(maps.Keys(rep.Types))
	slices.SortFunc(types, func(a, b pii.Type) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
	})
	return types
}

func typeRow(name string, f Figures) []string {
	return []string{
		name, strconv.Itoa(f.Occurrences), strconv.Itoa(f.Found),
		fraction(f.Recall()), fraction(f.RecallAnyType()),
		strconv.Itoa(f.Findings), strconv.Itoa(f.Correct), fraction(f.Precision()),
	}
}

func langRow(name string, f Figures) []string {
	return []string{
		name, strconv.Itoa(f.Messages), strconv.Itoa(f.Occurrences),
		fraction(f.Recall()), fraction(f.RecallAnyType()), fraction(f.Precision()),
		strconv.Itoa(f.Clean), strconv.Itoa(f.CleanChanged), percent(f.CleanChangedShare()),
	}
}

// fraction formats a ratio with three decimals, "-" when undefined.
func fraction(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}

// percent formats a ratio as a percentage, "-" when undefined.
func percent(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + " %"
}

// writeTable writes rows as columns two spaces apart: the first column
// aligned left, the others right.
func writeTable(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, row := range rows {
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len(cell))
			switch {
			case i == 0:
				b.WriteString(cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteString("\n")
	}
}
