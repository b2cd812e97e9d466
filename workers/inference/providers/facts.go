package providers

import (
	"strconv"
	"strings"

	"github.com/iglowly/assistant/config"
)

// nameBreaks split a treatment's name into the parts a model may use
// alone: "Injections antirides (botox)", "Laser hair removal – face".
const nameBreaks = "()[]–—:;,/"

// buildFacts indexes the facts of c for attribute.
func buildFacts(c *config.Clinic) *facts {
	f := &facts{phrases: map[string][]string{}, words: map[string][]string{},
		prices: map[int][]string{}, times: map[int]bool{},
		prefixes: map[string]bool{}, names: map[string]bool{}}
	for _, t := range c.Treatments {
		f.addTreatment(t)
	}
	f.order = append(f.order, "prices", "hours", "address", "contact", "booking")
	for _, q := range c.FAQ {
		f.addFAQ(q)
	}
	f.addWords("", c.Name)
	f.addOther(c)
	return f
}

func (f *facts) addTreatment(t config.Treatment) {
	key := "treatments/" + t.ID
	f.order = append(f.order, key)
	for _, name := range t.Name {
		f.names[f.addPhrase(name, key)] = true
		for _, part := range strings.FieldsFunc(name, func(r rune) bool {
			return strings.ContainsRune(nameBreaks, r)
		}) {
			f.names[f.addPhrase(part, key)] = true
		}
		for _, part := range strings.Split(name, " - ") {
			f.names[f.addPhrase(part, key)] = true
		}
		f.addWords(key, name)
	}
	for _, k := range t.Keywords {
		f.addPhrase(k, key)
		f.addWords(key, k)
	}
	for _, text := range []config.Text{t.Description, t.PriceUnit, t.Recovery} {
		for _, s := range text {
			f.addWords(key, s)
		}
	}
	for _, p := range []int{t.PriceFrom, t.PriceTo} {
		if p > 0 {
			f.prices[p] = addKey(f.prices[p], key)
		}
	}
}

func (f *facts) addFAQ(q config.FAQ) {
	key := "faq/" + q.ID
	f.order = append(f.order, key)
	f.faqIDs = append(f.faqIDs, key)
	for _, k := range q.Keywords {
		f.addPhrase(k, key)
		f.addWords(key, k)
	}
	for _, s := range q.Answer {
		f.addWords(key, s)
		f.addAmounts(key, s)
	}
}

// addOther indexes the hours, the address and the contact details.
func (f *facts) addOther(c *config.Clinic) {
	for _, h := range c.Hours {
		for _, hhmm := range []string{h.Open, h.Close} {
			hh, mm, _ := strings.Cut(hhmm, ":")
			a, errA := strconv.Atoi(hh)
			b, errB := strconv.Atoi(mm)
			if errA == nil && errB == nil {
				f.times[a*60+b] = true
			}
		}
	}
	for _, s := range c.HoursNote {
		f.addWords("hours", s)
		f.addAmounts("hours", s)
	}
	a := c.Contact.Address
	var street []string
	for _, w := range words(a.Street) {
		if !allDigits(w) {
			street = append(street, w)
		}
	}
	if specific(a.Street, street) {
		f.street = strings.Join(street, " ")
	}
	f.postcode = strings.Join(words(a.Postcode), " ")
	f.city = strings.Join(words(a.City), " ")
	f.addWords("address", a.Street+" "+a.City+" "+a.Country)
	f.addPrefixes(street)
	f.addPrefixes(words(a.Postcode))
	f.phone = c.Contact.Phone
	f.email = strings.ToLower(strings.TrimSpace(c.Contact.Email))
	f.booking = normalURL(c.Contact.BookingURL)
}

// addPhrase records that raw refers to key, if it is specific enough,
// and returns it normalised, or "" if it is not.
func (f *facts) addPhrase(raw, key string) string {
	ws := words(raw)
	if !specific(strings.TrimSpace(raw), ws) {
		return ""
	}
	p := strings.Join(ws, " ")
	f.phrases[p] = addKey(f.phrases[p], key)
	f.addPrefixes(ws)
	return p
}

// addPrefixes records the starts of the phrase ws, shorter than ws.
func (f *facts) addPrefixes(ws []string) {
	for n := 1; n < len(ws); n++ {
		f.prefixes[strings.Join(ws[:n], " ")] = true
	}
}

// addWords records that the words of s are in the text of key.
func (f *facts) addWords(key, s string) {
	for _, w := range words(s) {
		f.words[w] = addKey(f.words[w], key)
	}
}

// addAmounts makes the amounts that s gives with a currency ambiguous
// for the treatments: "a fee of € 50" is no treatment's price.
func (f *facts) addAmounts(key, s string) {
	for _, v := range amounts(tokenize(s)) {
		f.prices[v] = addKey(f.prices[v], key)
	}
}

// normalURL is u without its scheme, "www.", trailing slash and case of
// its host, or "" if u is empty.
func normalURL(u string) string {
	u = strings.TrimSpace(u)
	for _, p := range []string{"https://", "http://"} {
		if len(u) >= len(p) && strings.EqualFold(u[:len(p)], p) {
			u = u[len(p):]
		}
	}
	host, path, _ := strings.Cut(u, "/")
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if path = strings.TrimRight(path, "/"); path != "" {
		host += "/" + path
	}
	return host
}
