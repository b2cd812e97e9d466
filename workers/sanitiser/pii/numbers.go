package pii

// cardDetector finds payment card numbers: 13 to 19 digits starting with
// 2 to 6 (the major card networks), written in one block or in groups of
// three or more digits (the last may be shorter) joined by spaces or
// dashes, whose Luhn check digit holds.
type cardDetector struct{}

func init() { register(prioCard, cardDetector{}) }

func (cardDetector) Type() Type { return CreditCard }

func (cardDetector) Find(in *Input, dst []Span) []Span {
	for _, r := range in.digitRuns() {
		if in.runDigits(r) < 13 {
			continue
		}
		in.candidates(r, 19, func(i, j int) bool {
			d := in.digitsOf(i, j, false)
			if len(d) < 13 || d[0] < '2' || d[0] > '6' ||
				!in.uniformGroups(i, j, " -", 3) || !luhn(d) {
				return false
			}
			start, end := in.spanOf(i, j)
			dst = append(dst, Span{
				Start: start, End: end, Reason: ReasonLuhn, Key: string(d),
			})
			return true
		})
	}
	return dst
}

// nationalIDDetector finds national identification numbers in the runs
// of digits: Belgian national register and BIS numbers, Dutch BSNs,
// French NIRs and German Steuer-IdNrs. ids.go says which need a cue.
type nationalIDDetector struct{}

func init() { register(prioNationalID, nationalIDDetector{}) }

func (nationalIDDetector) Type() Type { return NationalID }

func (nationalIDDetector) Find(in *Input, dst []Span) []Span {
	prev := -1 // end of the last number found
	for _, r := range in.digitRuns() {
		if in.runDigits(r) < minIDDigits {
			continue
		}
		in.candidates(r, maxIDDigits, func(i, j int) bool {
			listed := prev >= 0 && in.closeAfter(prev, in.groups[i].start)
			s, ok := in.nationalID(i, j, listed)
			if ok {
				dst = append(dst, s)
				prev = s.End
			}
			return ok
		})
	}
	return in.corsicanNIRs(dst)
}

// uniformGroups reports whether groups [i, j] are joined by one and the
// same separator from seps and each group but the last holds at least
// minLen digits (the last may be short: "6703 9482 1993 5181 2").
func (in *Input) uniformGroups(i, j int, seps string, minLen int) bool {
	if !in.plainGroups(i, j) {
		return false
	}
	for k := i + 1; k <= j; k++ {
		g := in.groups[k]
		if g.sep != in.groups[i+1].sep || !containsByte(seps, g.sep) {
			return false
		}
	}
	for k := i; k < j; k++ {
		if in.groups[k].len() < minLen {
			return false
		}
	}
	return true
}

// plainGroups reports whether groups [i, j] have no '+' and no
// parentheses: identity and card numbers are not written with them.
func (in *Input) plainGroups(i, j int) bool {
	for k := i; k <= j; k++ {
		g := in.groups[k]
		if g.plus || g.open || g.close && k < j ||
			k > i && (g.sep == '(' || g.sep == ')') {
			return false
		}
	}
	return true
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
