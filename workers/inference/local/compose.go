package local

import (
	"fmt"
	"strings"
	"time"

	"github.com/iglowly/assistant/config"
)

// answer is a reply as pieces (about one sentence each) and the keys of
// the facts it used.
type answer struct {
	pieces  []string
	sources []string
}

// writer builds an answer from a plan and the clinic's facts.
type writer struct {
	c   *config.Clinic
	idx *clinicIndex
	t   *texts
	now time.Time // in the clinic's time zone
	out answer
	// missing is set when a fact was not available; the answer then ends
	// with the ways to reach the clinic.
	missing bool
}

func (w *writer) say(s string) {
	if s = strings.TrimSpace(s); s != "" {
		w.out.pieces = append(w.out.pieces, s)
	}
}

func (w *writer) sayf(format string, a ...any) {
	w.say(upperFirst(fmt.Sprintf(format, a...)))
}

func (w *writer) source(key string) {
	for _, s := range w.out.sources {
		if s == key {
			return
		}
	}
	w.out.sources = append(w.out.sources, key)
}

// write turns p into sentences, in a fixed order: safety first, then
// treatment facts, then clinic facts.
func (w *writer) write(p plan) answer {
	switch {
	case p.urgent:
		w.urgent()
		return w.out
	case p.medical:
		w.medical()
		return w.out
	}
	facts := p.intents != 0 || len(p.faqs) > 0 || p.overview
	if !facts {
		w.social(p)
		return w.out
	}
	if p.greet {
		w.say(w.t.hello)
	}
	if p.unsure {
		w.say(w.t.unknown)
	}
	w.treatmentFacts(p)
	if p.caution {
		w.say(w.t.caution)
	}
	w.clinicFacts(p)
	if w.missing {
		w.ways(w.t.missingWays, "")
	}
	return w.out
}

// social answers a message without a question: a greeting, thanks, a
// goodbye, or something the model does not know.
func (w *writer) social(p plan) {
	switch {
	case p.greet:
		if g := w.c.Greeting.In(w.t.lang); g != "" {
			w.say(g)
			w.source("greeting")
			return
		}
		w.say(w.t.greeting)
	case p.thanks:
		w.say(w.t.thanks)
	case p.bye:
		w.say(w.t.bye)
	default:
		w.say(w.t.unknown)
		w.ways(w.t.unknownWays, w.c.Name)
	}
}

func (w *writer) treatmentFacts(p plan) {
	if len(p.treatments) == 0 {
		switch {
		case p.intents.has(intentPrice):
			w.allPrices()
		case p.intents.has(intentDuration), p.intents.has(intentRecovery):
			w.whichTreatment()
		}
		return
	}
	if p.overview {
		w.overview(p.treatments)
		return
	}
	if p.intents.has(intentWhat) {
		w.describe(p.treatments)
	}
	if p.intents.has(intentPrice) {
		w.prices(p.treatments)
	}
	if p.intents.has(intentDuration) {
		w.durations(p.treatments)
	}
	if p.intents.has(intentRecovery) {
		w.recovery(p.treatments)
	}
}

func (w *writer) clinicFacts(p plan) {
	if p.intents.has(intentHours) {
		w.hours(p.days, p.rel)
	}
	if p.intents.has(intentAddress) {
		w.address()
	}
	for _, i := range p.faqs {
		f := w.idx.faq[i]
		if a := f.Answer.In(w.t.lang); a != "" {
			w.say(a)
			w.source("faq/" + f.ID)
		}
	}
	if p.intents.has(intentBooking) {
		w.booking()
	}
	if p.intents.has(intentContact) {
		w.contact()
	}
	if p.intents.has(intentList) {
		w.list()
	}
}

func (w *writer) treatment(i int) (config.Treatment, string) {
	t := w.idx.treatments[i]
	w.source("treatments/" + t.ID)
	return t, w.t.nameIn(t.Name.In(w.t.lang))
}

// overview introduces treatments named without a question: one described
// with its price and duration, several as a short price list.
func (w *writer) overview(ids []int) {
	if len(ids) == 1 {
		w.describe(ids)
		w.prices(ids)
		w.durations(ids)
		return
	}
	for _, i := range ids {
		t, name := w.treatment(i)
		w.sayf(w.t.priceItem, name, w.fromPrice(t), w.unit(t))
	}
	w.say(w.t.listMore)
}

func (w *writer) describe(ids []int) {
	seen := map[string]bool{}
	for _, i := range ids {
		t, name := w.treatment(i)
		d := t.Description.In(w.t.lang)
		switch {
		case d == "":
			w.sayf(w.t.describeUnknown, name)
			w.missing = true
		case !seen[d]:
			seen[d] = true
			w.say(d)
		}
	}
}

func (w *writer) prices(ids []int) {
	for _, i := range ids {
		t, name := w.treatment(i)
		switch {
		case t.PriceFrom == 0 && t.PriceTo == 0:
			w.sayf(w.t.priceFree, name)
		case t.PriceTo > t.PriceFrom:
			w.sayf(w.t.priceRange, name, w.t.euro(t.PriceFrom),
				w.t.euro(t.PriceTo), w.unit(t))
		default:
			w.sayf(w.t.priceOne, name, w.t.euro(t.PriceFrom), w.unit(t))
		}
	}
}

// allPrices lists every treatment with its lowest price.
func (w *writer) allPrices() {
	w.source("prices")
	if len(w.idx.treatments) == 0 {
		w.say(w.t.unknown)
		w.missing = true
		return
	}
	w.say(w.t.pricesIntro)
	for _, t := range w.idx.treatments {
		name := w.t.nameIn(t.Name.In(w.t.lang))
		w.sayf(w.t.priceItem, name, w.fromPrice(t), w.unit(t))
	}
}

// fromPrice is a treatment's price for a list: "from €190", "€320",
// "free of charge".
func (w *writer) fromPrice(t config.Treatment) string {
	switch {
	case t.PriceFrom == 0 && t.PriceTo == 0:
		return w.t.free
	case t.PriceTo > t.PriceFrom:
		return fmt.Sprintf(w.t.fromAmount, w.t.euro(t.PriceFrom))
	}
	return w.t.euro(t.PriceFrom)
}

// unit is the price unit with its leading space, or "" for none or free.
func (w *writer) unit(t config.Treatment) string {
	u := t.PriceUnit.In(w.t.lang)
	if u == "" || t.PriceFrom == 0 && t.PriceTo == 0 {
		return ""
	}
	return " " + u
}

func (w *writer) durations(ids []int) {
	for _, i := range ids {
		t, name := w.treatment(i)
		if t.DurationMinutes > 0 {
			w.sayf(w.t.duration, name, t.DurationMinutes)
			continue
		}
		w.sayf(w.t.durationUnknown, name)
		w.missing = true
	}
}

func (w *writer) recovery(ids []int) {
	for _, i := range ids {
		t, name := w.treatment(i)
		if r := t.Recovery.In(w.t.lang); r != "" {
			w.say(upperFirst(name) + w.t.colon + r)
			continue
		}
		w.sayf(w.t.recoveryUnknown, name)
		w.missing = true
	}
}

func (w *writer) whichTreatment() {
	w.source("prices")
	w.sayf(w.t.whichTreatment, w.treatmentNames())
}

func (w *writer) list() {
	w.source("prices")
	if len(w.idx.treatments) == 0 {
		w.say(w.t.unknown)
		w.missing = true
		return
	}
	w.sayf(w.t.list, w.treatmentNames())
	w.say(w.t.listMore)
}

func (w *writer) treatmentNames() string {
	names := make([]string, 0, len(w.idx.treatments))
	for _, t := range w.idx.treatments {
		names = append(names, w.t.nameIn(t.Name.In(w.t.lang)))
	}
	return join(names, w.t.and)
}

func (w *writer) address() {
	a := w.c.Contact.Address
	w.source("address")
	var parts []string
	if a.Street != "" {
		parts = append(parts, a.Street)
	}
	city := strings.TrimSpace(a.Postcode + " " + w.t.place(a.City))
	if city != "" {
		parts = append(parts, city)
	}
	if len(parts) == 0 {
		w.say(w.t.noAddress)
		w.missing = true
		return
	}
	if a.Country != "" {
		parts = append(parts, w.t.place(a.Country))
	}
	w.sayf(w.t.address, strings.Join(parts, ", "))
}

func (w *writer) booking() {
	ct := w.c.Contact
	w.source("booking")
	switch {
	case ct.BookingURL != "":
		w.sayf(w.t.booking, ct.BookingURL)
		if ct.Phone != "" {
			w.sayf(w.t.bookingPhone, ct.Phone)
			w.source("contact")
		}
	case ct.Phone != "":
		w.sayf(w.t.bookingPhoneOnly, ct.Phone)
		w.source("contact")
	case ct.Email != "":
		w.sayf(w.t.bookingEmailOnly, ct.Email)
		w.source("contact")
	default:
		w.sayf(w.t.noWays, w.c.Name)
	}
}

func (w *writer) contact() {
	ct := w.c.Contact
	w.source("contact")
	switch {
	case ct.Phone != "" && ct.Email != "":
		w.sayf(w.t.contactBoth, ct.Phone, ct.Email)
	case ct.Phone != "":
		w.sayf(w.t.contactPhone, ct.Phone)
	case ct.Email != "":
		w.sayf(w.t.contactEmail, ct.Email)
	case ct.BookingURL == "" && ct.Website == "":
		w.sayf(w.t.noWays, w.c.Name)
	}
	if ct.Website != "" {
		w.sayf(w.t.website, ct.Website)
	}
}

// ways says format with the clinic's ways of contact ("call …, email …
// or book online at …"), or that the visitor should contact the clinic
// when there are none. name fills the first %s of format when not "".
func (w *writer) ways(format, name string) {
	ct := w.c.Contact
	var ways []string
	if ct.Phone != "" {
		ways = append(ways, fmt.Sprintf(w.t.wayCall, ct.Phone))
		w.source("contact")
	}
	if ct.Email != "" {
		ways = append(ways, fmt.Sprintf(w.t.wayEmail, ct.Email))
		w.source("contact")
	}
	if ct.BookingURL != "" {
		ways = append(ways, fmt.Sprintf(w.t.wayBook, ct.BookingURL))
		w.source("booking")
	}
	switch {
	case len(ways) == 0:
		w.sayf(w.t.noWays, w.c.Name)
	case name != "":
		w.sayf(format, name, join(ways, w.t.or))
	default:
		w.sayf(format, join(ways, w.t.or))
	}
}

// medical refuses personal medical advice and points to a consultation.
func (w *writer) medical() {
	w.say(w.t.medical)
	w.ways(w.t.medicalWays, w.c.Name)
}

// urgent points to the emergency number, then to the clinic.
func (w *writer) urgent() {
	w.say(w.t.urgent)
	if p := w.c.Contact.Phone; p != "" {
		w.sayf(w.t.urgentCall, p)
		w.source("contact")
	}
}
