package providers

import (
	"regexp"
	"strings"
)

// gap stands in a word sequence for a token that is no word: phrases do
// not match across it.
const gap = "\x00"

// wordSeq is the answer's words and numbers in order.
func wordSeq(toks []token) []string {
	seq := make([]string, 0, len(toks))
	for _, t := range toks {
		switch t.kind {
		case tokWord:
			seq = append(seq, t.text)
		case tokNum:
			seq = append(seq, t.text)
		case tokDash:
		default:
			seq = append(seq, gap)
		}
	}
	return seq
}

// negations turn the words right after them into a denial: "we do not
// offer botox" names no source. "t" is what "don't" leaves.
var negations = map[string]bool{
	"not": true, "no": true, "never": true, "t": true, "dont": true,
	"doesnt": true, "cannot": true, "niet": true, "geen": true,
	"nooit": true, "ne": true, "pas": true, "jamais": true,
	"aucun": true, "aucune": true, "nicht": true, "kein": true,
	"keine": true, "keinen": true, "keiner": true, "nie": true,
}

// deniedWords is how many words after a negation are taken as denied.
const deniedWords = 3

// maskDenials returns seq with the words that a negation denies, up to
// deniedWords after it and within its phrase, replaced by gap, so that
// they match no fact: preferring a source missing to a wrong one.
func maskDenials(seq []string) []string {
	out := make([]string, len(seq))
	copy(out, seq)
	for i, w := range seq {
		if !negations[w] {
			continue
		}
		for j := i + 1; j < len(seq) && j <= i+deniedWords && seq[j] != gap; j++ {
			out[j] = gap
		}
	}
	return out
}

// grams calls fn with each run of words of seq that is a phrase of f or
// the start of one, joined by a space, and where it starts and ends.
func (f *facts) grams(seq []string, fn func(g string, from, to int)) {
	for i := range seq {
		g := ""
		for j := i + 1; j <= len(seq) && seq[j-1] != gap; j++ {
			if g == "" {
				g = seq[i]
			} else {
				g += " " + seq[j-1]
			}
			fn(g, i, j)
			if !f.prefixes[g] {
				break
			}
		}
	}
}

// pricesForList is how many treatments an answer gives prices of for the
// whole list, "prices", to be its source.
const pricesForList = 3

func (f *facts) matchTreatments(toks []token, seq []string,
	evidence map[string]map[string]bool, found map[string]bool) {
	f.grams(seq, func(g string, _, _ int) {
		if k := unique(f.phrases[g]); f.names[g] && strings.HasPrefix(k, "treatments/") {
			found[k] = true
		}
	})
	for k, ws := range evidence {
		if strings.HasPrefix(k, "treatments/") && len(ws) >= minEvidence {
			found[k] = true
		}
	}
	// A price names a treatment only in an answer that names none: in
	// "botox costs EUR 250" a price of another treatment is the model's
	// mistake, not a second source.
	named := len(found) > 0
	priced := map[string]bool{}
	for _, v := range amounts(toks) {
		if k := unique(f.prices[v]); strings.HasPrefix(k, "treatments/") {
			priced[k] = true
			found[k] = found[k] || !named
		}
	}
	if len(priced) < pricesForList {
		return
	}
	for k := range found {
		if strings.HasPrefix(k, "treatments/") {
			delete(found, k)
		}
	}
	found["prices"] = true
}

// minEvidence is how many telling words of an answer must be a fact's
// only for it to be a source, where the answer does not name it: words
// of its keywords, or strong words of its text that no other fact has.
const minEvidence = 2

func (f *facts) matchFAQ(evidence map[string]map[string]bool, found map[string]bool) {
	for key, ws := range evidence {
		if strings.HasPrefix(key, "faq/") && len(ws) >= minEvidence {
			found[key] = true
		}
	}
}

// evidence maps the treatments and FAQs to the words of the answer
// that are theirs only.
func (f *facts) evidence(seq []string) map[string]map[string]bool {
	evidence := map[string]map[string]bool{}
	note := func(key string, ws []string, ok func(string) bool) {
		if key == "" || !strings.Contains(key, "/") {
			return
		}
		for _, w := range ws {
			if !ok(w) {
				continue
			}
			if evidence[key] == nil {
				evidence[key] = map[string]bool{}
			}
			evidence[key][w] = true
		}
	}
	f.grams(seq, func(g string, from, to int) {
		note(unique(f.phrases[g]), seq[from:to], telling)
	})
	for _, w := range seq {
		note(unique(f.words[w]), []string{w}, strong)
	}
	return evidence
}

// rangeWords join two numbers into a range: "190 to 260 euros".
var rangeWords = map[string]bool{"to": true, "tot": true, "a": true,
	"au": true, "bis": true, "and": true, "en": true, "et": true,
	"und": true, "till": true, "until": true}

func joins(toks []token, i int) bool {
	return i >= 0 && i < len(toks) && (toks[i].kind == tokDash ||
		toks[i].kind == tokWord && rangeWords[toks[i].text])
}

func kindAt(toks []token, i, kind int) bool {
	return i >= 0 && i < len(toks) && toks[i].kind == kind
}

// amounts returns the whole-euro amounts toks give with a currency:
// "€250", "250 euro", "250,00 €", "EUR 190-260", "€ 190 to € 260".
func amounts(toks []token) []int {
	money := make([]bool, len(toks))
	for i, t := range toks {
		money[i] = t.kind == tokNum && t.n >= 0 && (t.frac == "" || t.frac == "00") &&
			(kindAt(toks, i-1, tokMoney) || kindAt(toks, i+1, tokMoney))
	}
	for changed := true; changed; {
		changed = false
		for i, t := range toks {
			if money[i] || t.kind != tokNum || t.n < 0 ||
				(t.frac != "" && t.frac != "00") {
				continue
			}
			if (joins(toks, i+1) && i+2 < len(toks) && money[i+2]) ||
				(joins(toks, i-1) && i-2 >= 0 && money[i-2]) {
				money[i], changed = true, true
			}
		}
	}
	var out []int
	for i, m := range money {
		if m {
			out = append(out, toks[i].n)
		}
	}
	return out
}

// dayNames are the days of the week in the clinic languages, folded.
var dayNames = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true, "maandag": true,
	"dinsdag": true, "woensdag": true, "donderdag": true, "vrijdag": true,
	"zaterdag": true, "zondag": true, "lundi": true, "mardi": true,
	"mercredi": true, "jeudi": true, "vendredi": true, "samedi": true,
	"dimanche": true, "montag": true, "dienstag": true, "mittwoch": true,
	"donnerstag": true, "freitag": true, "samstag": true, "sonntag": true,
	"weekday": true, "weekend": true, "werkdag": true, "werktag": true,
}

// matchHours reports whether the answer gives a time the clinic opens or
// closes with a day's name, or two such times.
func (f *facts) matchHours(toks []token) bool {
	day := false
	seen := map[int]bool{}
	for i, t := range toks {
		day = day || (t.kind == tokWord && dayNames[t.text])
		for _, m := range clockTimes(toks, i) {
			if f.times[m] {
				seen[m] = true
			}
		}
	}
	return len(seen) >= 2 || (len(seen) == 1 && day)
}

// clockTimes returns the minutes after midnight that toks[i] may stand
// for: a clock time, "9 am", "7 pm", "18 uur", "9.30" outside a price,
// or a bare hour in a range with a time: "12 to 7 pm".
func clockTimes(toks []token, i int) []int {
	t := toks[i]
	if t.kind == tokTime {
		return []int{t.n}
	}
	if t.kind != tokNum || t.n < 0 || t.n > 24 {
		return nil
	}
	next := ""
	if kindAt(toks, i+1, tokWord) {
		next = toks[i+1].text
	}
	h := t.n
	switch {
	case next == "am" && h <= 12:
		return []int{h % 12 * 60}
	case next == "pm" && h <= 12:
		return []int{(h%12 + 12) * 60}
	case next == "uur" || next == "uhr" || next == "heure":
		return []int{h * 60}
	case t.frac != "" && !kindAt(toks, i-1, tokMoney) && !kindAt(toks, i+1, tokMoney):
		m := int(t.frac[0]-'0')*10 + int(t.frac[1]-'0')
		if m < 60 {
			return []int{h*60 + m}
		}
	case t.frac == "" && joins(toks, i+1) && i+2 < len(toks) &&
		len(clockTimes(toks, i+2)) > 0:
		return []int{h * 60, (h + 12) * 60}
	}
	return nil
}

// matchAddress reports whether the answer names the street, or gives the
// postcode next to the city.
func (f *facts) matchAddress(seq []string) bool {
	hit := false
	city := len(strings.Fields(f.city))
	at := func(from, n int) string {
		if from < 0 || from+n > len(seq) || n == 0 {
			return gap
		}
		return strings.Join(seq[from:from+n], " ")
	}
	f.grams(seq, func(g string, from, to int) {
		switch {
		case f.street != "" && g == f.street:
			hit = true
		case f.postcode != "" && g == f.postcode:
			hit = hit || at(to, city) == f.city || at(from-city, city) == f.city
		}
	})
	return hit
}

var (
	phoneRun = regexp.MustCompile(`\+?\(?\d[\d\s()./-]{6,}\d`)
	emailRun = regexp.MustCompile(`[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+`)
	urlRun   = regexp.MustCompile(`(?i)(?:https?://)?[\p{L}\d-]+(?:\.[\p{L}\d-]+)+` +
		`(?::\d+)?(?:/[^\s<>()\[\]"'*]*)?`)
)

// matchContact reports whether the answer gives the clinic's phone
// number, in any spacing and in national or international form, or its
// e-mail address.
func (f *facts) matchContact(answer string) bool {
	lower := strings.ToLower(answer)
	if f.email != "" && strings.Contains(lower, f.email) {
		for _, e := range emailRun.FindAllString(answer, -1) {
			if strings.EqualFold(strings.TrimRight(e, "."), f.email) {
				return true
			}
		}
	}
	forms := phoneForms(f.phone)
	if len(forms) == 0 || len(digits(answer)) < 6 {
		return false
	}
	for _, p := range phoneRun.FindAllString(answer, -1) {
		d := digits(p)
		if strings.HasPrefix(strings.TrimSpace(p), "+") {
			d = "+" + d
		}
		if strings.HasPrefix(d, "00") {
			d = "+" + d[2:]
		}
		if forms[d] {
			return true
		}
	}
	return false
}

// phoneForms are the ways of writing phone as digits: as written, and
// for an international number the national form with a leading 0 for
// each length a country code may have.
func phoneForms(phone string) map[string]bool {
	d := digits(phone)
	if len(d) < 6 {
		return nil
	}
	if !strings.HasPrefix(strings.TrimSpace(phone), "+") {
		return map[string]bool{d: true}
	}
	forms := map[string]bool{"+" + d: true}
	for cc := 1; cc <= 3 && cc < len(d)-5; cc++ {
		forms["0"+d[cc:]] = true
	}
	return forms
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchBooking reports whether the answer gives the booking URL.
func (f *facts) matchBooking(answer string) bool {
	host, _, _ := strings.Cut(f.booking, "/")
	if f.booking == "" || !strings.Contains(strings.ToLower(answer), host) {
		return false
	}
	for _, u := range urlRun.FindAllString(answer, -1) {
		if normalURL(strings.TrimRight(u, ".,;:!?")) == f.booking {
			return true
		}
	}
	return false
}
