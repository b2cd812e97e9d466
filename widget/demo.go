package widget

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/iglowly/assistant/config"
)

// demoPage is what static/demo.html renders: the clinic's public facts in
// one language, already formatted.
type demoPage struct {
	Lang, ID, Name, City string
	T                    pageText
	Treatments           []demoTreatment
	Hours                []demoDay
	HoursNote            string
	Phone, PhoneURI      string
	Email, Booking       string
	Website              string
	Street, Place        string
	Country              string
	Origin               string // the page's own origin
	OriginAllowed        bool   // whether the clinic accepts sessions from Origin
	Other                *otherDemo
}

type demoTreatment struct {
	Name, Description, Price, Duration, Recovery string
}

type demoDay struct {
	Day, Time string
	Closed    bool
}

// otherDemo is the second dev clinic, served to the other dev origin.
type otherDemo struct {
	Name, URL, Origin string
}

// pageText holds the demo page's own words in one language.
type pageText struct {
	Title, Eyebrow, Lead, Book, SeeTreatments, Ask    string
	Treatments, Hours, Contact, Closed, Free, Minutes string
	Phone, Email, Address, Website, Recovery          string
	Days                                              [7]string
}

var weekdays = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var pageTexts = map[string]pageText{
	"en": {
		Title: "Aesthetic clinic", Eyebrow: "Aesthetic medicine",
		Lead: "Natural-looking results, honest advice and doctors who take their time.",
		Book: "Book an appointment", SeeTreatments: "Treatments and prices",
		Ask:        "Questions about a treatment? Ask our assistant, bottom right.",
		Treatments: "Treatments and prices", Hours: "Opening hours", Contact: "Contact",
		Closed: "Closed", Free: "Free", Minutes: "min", Phone: "Phone",
		Email: "Email", Address: "Address", Website: "Website", Recovery: "Recovery",
		Days: [7]string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
			"Saturday", "Sunday"},
	},
	"nl": {
		Title: "Esthetisch centrum", Eyebrow: "Esthetische geneeskunde",
		Lead: "Natuurlijke resultaten, eerlijk advies en artsen die de tijd nemen.",
		Book: "Maak een afspraak", SeeTreatments: "Behandelingen en prijzen",
		Ask:        "Vragen over een behandeling? Stel ze aan onze assistent, rechtsonder.",
		Treatments: "Behandelingen en prijzen", Hours: "Openingsuren", Contact: "Contact",
		Closed: "Gesloten", Free: "Gratis", Minutes: "min", Phone: "Telefoon",
		Email: "E-mail", Address: "Adres", Website: "Website", Recovery: "Herstel",
		Days: [7]string{"Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag",
			"Zaterdag", "Zondag"},
	},
	"fr": {
		Title: "Centre esthétique", Eyebrow: "Médecine esthétique",
		Lead: "Des résultats naturels, des conseils honnêtes et des médecins qui prennent le temps.",
		Book: "Prendre rendez-vous", SeeTreatments: "Soins et tarifs",
		Ask:        "Une question sur un soin ? Posez-la à notre assistant, en bas à droite.",
		Treatments: "Soins et tarifs", Hours: "Heures d'ouverture", Contact: "Contact",
		Closed: "Fermé", Free: "Gratuit", Minutes: "min", Phone: "Téléphone",
		Email: "E-mail", Address: "Adresse", Website: "Site web", Recovery: "Récupération",
		Days: [7]string{"Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi",
			"Samedi", "Dimanche"},
	},
	"de": {
		Title: "Ästhetikpraxis", Eyebrow: "Ästhetische Medizin",
		Lead: "Natürliche Ergebnisse, ehrliche Beratung und Ärzte, die sich Zeit nehmen.",
		Book: "Termin vereinbaren", SeeTreatments: "Behandlungen und Preise",
		Ask:        "Fragen zu einer Behandlung? Fragen Sie unseren Assistenten unten rechts.",
		Treatments: "Behandlungen und Preise", Hours: "Öffnungszeiten", Contact: "Kontakt",
		Closed: "Geschlossen", Free: "Kostenlos", Minutes: "Min.", Phone: "Telefon",
		Email: "E-Mail", Address: "Adresse", Website: "Website", Recovery: "Erholung",
		Days: [7]string{"Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag",
			"Samstag", "Sonntag"},
	},
}

// devPeers pairs the two clinics of "iglowly dev" (see config.DemoClinics).
var devPeers = map[string]string{"demo": "demo-2", "demo-2": "demo"}

func newDemoPage(c *config.Clinic, r *http.Request,
	lookup func(string) (*config.Clinic, bool)) demoPage {
	lang := c.Language("")
	tx, ok := pageTexts[lang]
	if !ok {
		tx = pageTexts["en"]
	}
	a := c.Contact.Address
	p := demoPage{
		Lang: lang, ID: c.ID, Name: c.Name, City: a.City, T: tx,
		HoursNote: c.HoursNote.In(lang), Hours: demoHours(c.Hours, tx),
		Phone: c.Contact.Phone, PhoneURI: phoneURI(c.Contact.Phone),
		Email: c.Contact.Email, Booking: c.Contact.BookingURL,
		Website: c.Contact.Website, Street: a.Street,
		Place: strings.TrimSpace(a.Postcode + " " + a.City), Country: a.Country,
	}
	for _, t := range c.Treatments {
		p.Treatments = append(p.Treatments, demoTreatment{
			Name:        t.Name.In(lang),
			Description: t.Description.In(lang),
			Price:       price(t, lang, tx),
			Duration:    duration(t.DurationMinutes, tx),
			Recovery:    t.Recovery.In(lang),
		})
	}
	p.Origin = requestOrigin(r)
	p.OriginAllowed = c.AllowsOrigin(p.Origin)
	p.Other = other(c.ID, r, lookup)
	return p
}

// demoHours lists all seven days in order, marking days without hours as
// closed; a day with two entries (a lunch break) shows both.
func demoHours(hours []config.OpeningHours, tx pageText) []demoDay {
	out := make([]demoDay, 0, len(weekdays))
	for i, d := range weekdays {
		var spans []string
		for _, h := range hours {
			if h.Day == d {
				spans = append(spans, h.Open+" – "+h.Close)
			}
		}
		day := demoDay{Day: tx.Days[i], Time: strings.Join(spans, ", ")}
		if len(spans) == 0 {
			day.Time, day.Closed = tx.Closed, true
		}
		out = append(out, day)
	}
	return out
}

// price formats a treatment's price in euros the way the language writes
// it: "€ 250" in Dutch, "250 €" in French and German, "€250" in English.
func price(t config.Treatment, lang string, tx pageText) string {
	if t.PriceFrom == 0 && t.PriceTo == 0 {
		return tx.Free
	}
	s := euros(t.PriceFrom, lang)
	if t.PriceTo > t.PriceFrom {
		s += " – " + euros(t.PriceTo, lang)
	}
	if u := t.PriceUnit.In(lang); u != "" {
		s += " " + u
	}
	return s
}

func euros(n int, lang string) string {
	digits := fmt.Sprint(n)
	sep := "."
	if lang == "en" {
		sep = ","
	} else if lang == "fr" {
		sep = "\u202f"
	}
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + sep + digits[i:]
	}
	switch lang {
	case "en":
		return "€" + digits
	case "fr", "de":
		return digits + "\u00a0€"
	}
	return "€\u00a0" + digits
}

func duration(minutes int, tx pageText) string {
	if minutes <= 0 {
		return ""
	}
	return fmt.Sprintf("%d %s", minutes, tx.Minutes)
}

// phoneURI keeps the digits and a leading + of a phone number for tel:.
func phoneURI(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// requestOrigin is the origin the browser sees for this page.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// other finds the peer dev clinic and the dev origin that serves it: the
// dev server answers on 127.0.0.1 and localhost, one origin per clinic.
func other(id string, r *http.Request,
	lookup func(string) (*config.Clinic, bool)) *otherDemo {
	peerID, ok := devPeers[id]
	if !ok {
		return nil
	}
	peer, ok := lookup(peerID)
	if !ok || peer == nil {
		return nil
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		return nil
	}
	swap := map[string]string{"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
	peerHost, ok := swap[host]
	if !ok {
		return nil
	}
	origin := "http://" + net.JoinHostPort(peerHost, port)
	return &otherDemo{Name: peer.Name, Origin: origin,
		URL: origin + "/demo?clinic=" + peerID}
}
