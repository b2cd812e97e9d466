package local

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// texts holds the sentences of one answer language. Sentences are
// fmt formats.
//
// Treatment names stand where no article is needed: at the start of a
// sentence, before a colon ("Injections antirides : de 190 € à 260 €"),
// or as a subject without one ("Anti-rimpelinjecties kost …"), because
// French and German articles would need each name's gender, which the
// clinic's facts do not give.
type texts struct {
	lang       string
	days       [7]string // by time.Weekday
	and, or    string    // joining the last two items of a list
	colon      string    // between a label and its text
	lowerNames bool      // treatment names are lower-cased mid-sentence

	hello, greeting, thanks, bye string

	priceOne, priceRange, priceFree string // name, amounts, unit
	pricesIntro, priceItem          string
	fromAmount, free                string

	duration, durationUnknown string
	recoveryUnknown           string
	describeUnknown           string
	whichTreatment            string
	list, listMore            string

	span, daysOne, daysRange     string
	hoursIntro, closedOn         string
	dayOpen, dayClosed           string
	relOpen, relClosed, nextOpen string
	openNow, closedNow           string
	today, tomorrow, noHours     string

	address, noAddress string

	booking, bookingPhone, bookingPhoneOnly, bookingEmailOnly string
	contactBoth, contactPhone, contactEmail, website          string

	wayCall, wayEmail, wayBook string
	unknown, unknownWays       string
	noWays, missingWays        string
	medical, medicalWays       string
	caution                    string
	urgent, urgentCall         string
}

var english = &texts{
	lang: "en",
	days: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday",
		"Thursday", "Friday", "Saturday"},
	and: " and ", or: " or ", colon: ": ", lowerNames: true,

	hello:    "Hello!",
	greeting: "Hello! How can I help you?",
	thanks:   "You're welcome! Is there anything else I can help you with?",
	bye:      "Goodbye! Feel free to come back with any other question.",

	priceOne:    "The price for %s is %s%s.",
	priceRange:  "The price for %s ranges from %s to %s%s.",
	priceFree:   "%s is free of charge.",
	pricesIntro: "Our prices:",
	priceItem:   "%s: %s%s.",
	fromAmount:  "from %s",
	free:        "free of charge",

	duration:        "%s: a session takes about %d minutes.",
	durationUnknown: "I don't know how long %s takes.",
	recoveryUnknown: "I have no aftercare information for %s.",
	describeUnknown: "I have no description of %s yet.",
	whichTreatment:  "Which treatment do you mean? We offer %s.",
	list:            "We offer %s.",
	listMore:        "Ask me about any of them for prices and details.",

	span:       "from %s to %s",
	daysOne:    "%s",
	daysRange:  "%s to %s",
	hoursIntro: "We are open %s.",
	closedOn:   "We are closed on %s.",
	dayOpen:    "On %s we are open %s.",
	dayClosed:  "We are closed on %s.",
	relOpen:    "%s (%s) we are open %s.",
	relClosed:  "%s (%s) we are closed.",
	nextOpen:   "We open again on %s %s.",
	openNow:    "We are open right now, until %s.",
	closedNow:  "We are closed right now.",
	today:      "Today",
	tomorrow:   "Tomorrow",
	noHours:    "I don't have our opening hours.",

	address:   "Our address is %s.",
	noAddress: "I don't have our address.",

	booking:          "You can book an appointment online at %s.",
	bookingPhone:     "You can also call us at %s.",
	bookingPhoneOnly: "To book an appointment, please call us at %s.",
	bookingEmailOnly: "To book an appointment, please email us at %s.",
	contactBoth:      "You can reach us by phone at %s or by email at %s.",
	contactPhone:     "You can reach us by phone at %s.",
	contactEmail:     "You can reach us by email at %s.",
	website:          "Our website is %s.",

	wayCall:     "call %s",
	wayEmail:    "email %s",
	wayBook:     "book online at %s",
	unknown:     "I'm sorry, I don't have the answer to that.",
	unknownWays: "For any other question, please contact %s directly: %s.",
	noWays:      "Please contact %s directly.",
	missingWays: "For more details, please contact us: %s.",
	medical:     "I can't give personal medical advice or a diagnosis.",
	medicalWays: "Please book a consultation so that a doctor at %s " +
		"can look at your situation: %s.",
	caution: "Whether a treatment suits you personally is something " +
		"a doctor discusses with you at a consultation.",
	urgent:     "If this is an emergency, call 112 right away.",
	urgentCall: "For an urgent question about a treatment you had with us, call %s.",
}

var dutch = &texts{
	lang: "nl",
	days: [7]string{"zondag", "maandag", "dinsdag", "woensdag",
		"donderdag", "vrijdag", "zaterdag"},
	and: " en ", or: " of ", colon: ": ", lowerNames: true,

	hello:    "Hallo!",
	greeting: "Hallo! Hoe kan ik u helpen?",
	thanks:   "Graag gedaan! Kan ik u nog ergens mee helpen?",
	bye:      "Tot ziens! U kunt altijd terugkomen met een andere vraag.",

	priceOne:    "%s kost %s%s.",
	priceRange:  "%s kost tussen %s en %s%s.",
	priceFree:   "%s is gratis.",
	pricesIntro: "Onze prijzen:",
	priceItem:   "%s: %s%s.",
	fromAmount:  "vanaf %s",
	free:        "gratis",

	duration:        "%s: een behandeling duurt ongeveer %d minuten.",
	durationUnknown: "Ik weet niet hoe lang %s duurt.",
	recoveryUnknown: "Ik heb geen informatie over de nazorg bij %s.",
	describeUnknown: "Ik heb nog geen beschrijving van %s.",
	whichTreatment:  "Over welke behandeling gaat het? We bieden %s aan.",
	list:            "We bieden %s aan.",
	listMore:        "Vraag gerust naar de prijzen en details.",

	span:       "van %s tot %s",
	daysOne:    "op %s",
	daysRange:  "van %s tot en met %s",
	hoursIntro: "We zijn open %s.",
	closedOn:   "Op %s zijn we gesloten.",
	dayOpen:    "Op %s zijn we open %s.",
	dayClosed:  "Op %s zijn we gesloten.",
	relOpen:    "%s (%s) zijn we open %s.",
	relClosed:  "%s (%s) zijn we gesloten.",
	nextOpen:   "We zijn weer open op %s %s.",
	openNow:    "We zijn nu open, tot %s.",
	closedNow:  "We zijn nu gesloten.",
	today:      "Vandaag",
	tomorrow:   "Morgen",
	noHours:    "Ik heb onze openingsuren niet.",

	address:   "Ons adres is %s.",
	noAddress: "Ik heb ons adres niet.",

	booking:          "U kunt online een afspraak maken via %s.",
	bookingPhone:     "U kunt ons ook bellen op %s.",
	bookingPhoneOnly: "Voor een afspraak belt u ons op %s.",
	bookingEmailOnly: "Voor een afspraak mailt u ons op %s.",
	contactBoth:      "U bereikt ons telefonisch op %s of per e-mail op %s.",
	contactPhone:     "U bereikt ons telefonisch op %s.",
	contactEmail:     "U bereikt ons per e-mail op %s.",
	website:          "Onze website is %s.",

	wayCall:     "bel %s",
	wayEmail:    "mail naar %s",
	wayBook:     "maak online een afspraak via %s",
	unknown:     "Sorry, daarop heb ik geen antwoord.",
	unknownWays: "Neem voor andere vragen rechtstreeks contact op met %s: %s.",
	noWays:      "Neem rechtstreeks contact op met %s.",
	missingWays: "Voor meer details kunt u ons contacteren: %s.",
	medical:     "Ik kan geen persoonlijk medisch advies of diagnose geven.",
	medicalWays: "Maak een afspraak voor een consultatie, zodat een arts " +
		"van %s uw situatie kan bekijken: %s.",
	caution: "Of een behandeling voor u persoonlijk geschikt is, " +
		"bespreekt een arts met u tijdens een consultatie.",
	urgent:     "Bij een noodgeval belt u meteen 112.",
	urgentCall: "Voor een dringende vraag over een behandeling bij ons belt u %s.",
}

var french = &texts{
	lang: "fr",
	days: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi",
		"vendredi", "samedi"},
	and: " et ", or: " ou ", colon: " : ", lowerNames: true,

	hello:    "Bonjour !",
	greeting: "Bonjour ! Comment puis-je vous aider ?",
	thanks:   "Avec plaisir ! Puis-je vous aider pour autre chose ?",
	bye:      "Au revoir ! N'hésitez pas à revenir avec une autre question.",

	priceOne:    "%s : %s%s.",
	priceRange:  "%s : de %s à %s%s.",
	priceFree:   "%s est sans frais.",
	pricesIntro: "Nos tarifs :",
	priceItem:   "%s : %s%s.",
	fromAmount:  "à partir de %s",
	free:        "sans frais",

	duration:        "%s : une séance dure environ %d minutes.",
	durationUnknown: "%s : je ne connais pas la durée.",
	recoveryUnknown: "%s : je n'ai pas d'information sur les suites.",
	describeUnknown: "%s : je n'ai pas encore de description.",
	whichTreatment:  "De quel soin s'agit-il ? Nos soins : %s.",
	list:            "Nos soins : %s.",
	listMore:        "Demandez-moi les tarifs et les détails de chacun.",

	span:       "de %s à %s",
	daysOne:    "le %s",
	daysRange:  "du %s au %s",
	hoursIntro: "Nous sommes ouverts %s.",
	closedOn:   "Nous sommes fermés le %s.",
	dayOpen:    "Le %s, nous sommes ouverts %s.",
	dayClosed:  "Nous sommes fermés le %s.",
	relOpen:    "%s (%s), nous sommes ouverts %s.",
	relClosed:  "%s (%s), nous sommes fermés.",
	nextOpen:   "Nous rouvrons le %s %s.",
	openNow:    "Nous sommes ouverts en ce moment, jusqu'à %s.",
	closedNow:  "Nous sommes fermés en ce moment.",
	today:      "Aujourd'hui",
	tomorrow:   "Demain",
	noHours:    "Je n'ai pas nos horaires d'ouverture.",

	address:   "Notre adresse : %s.",
	noAddress: "Je n'ai pas notre adresse.",

	booking:          "Vous pouvez prendre rendez-vous en ligne sur %s.",
	bookingPhone:     "Vous pouvez aussi nous appeler au %s.",
	bookingPhoneOnly: "Pour prendre rendez-vous, appelez-nous au %s.",
	bookingEmailOnly: "Pour prendre rendez-vous, écrivez-nous à %s.",
	contactBoth:      "Vous pouvez nous joindre par téléphone au %s ou par e-mail à %s.",
	contactPhone:     "Vous pouvez nous joindre par téléphone au %s.",
	contactEmail:     "Vous pouvez nous écrire à %s.",
	website:          "Notre site web : %s.",

	wayCall:     "appelez le %s",
	wayEmail:    "écrivez à %s",
	wayBook:     "prenez rendez-vous en ligne sur %s",
	unknown:     "Désolé, je n'ai pas la réponse à cette question.",
	unknownWays: "Pour toute autre question, contactez directement %s : %s.",
	noWays:      "Contactez directement %s.",
	missingWays: "Pour plus de détails, contactez-nous : %s.",
	medical:     "Je ne peux pas donner d'avis médical personnel ni de diagnostic.",
	medicalWays: "Prenez rendez-vous pour une consultation afin qu'un " +
		"médecin de %s examine votre situation : %s.",
	caution: "C'est lors d'une consultation qu'un médecin verra avec " +
		"vous si ce soin vous convient personnellement.",
	urgent:     "En cas d'urgence, appelez immédiatement le 112.",
	urgentCall: "Pour une question urgente sur un soin reçu chez nous, appelez le %s.",
}

var german = &texts{
	lang: "de",
	days: [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch",
		"Donnerstag", "Freitag", "Samstag"},
	and: " und ", or: " oder ", colon: ": ", lowerNames: false,

	hello:    "Hallo!",
	greeting: "Hallo! Wie kann ich Ihnen helfen?",
	thanks:   "Gern geschehen! Kann ich Ihnen sonst noch helfen?",
	bye:      "Auf Wiedersehen! Melden Sie sich gerne wieder, wenn Sie Fragen haben.",

	priceOne:    "%s: %s%s.",
	priceRange:  "%s: %s bis %s%s.",
	priceFree:   "%s ist kostenlos.",
	pricesIntro: "Unsere Preise:",
	priceItem:   "%s: %s%s.",
	fromAmount:  "ab %s",
	free:        "kostenlos",

	duration:        "%s: Eine Sitzung dauert etwa %d Minuten.",
	durationUnknown: "%s: Zur Dauer habe ich keine Angaben.",
	recoveryUnknown: "%s: Zur Nachsorge habe ich keine Angaben.",
	describeUnknown: "%s: Dazu habe ich noch keine Beschreibung.",
	whichTreatment:  "Welche Behandlung meinen Sie? Wir bieten %s an.",
	list:            "Wir bieten %s an.",
	listMore:        "Fragen Sie mich gerne nach Preisen und Details.",

	span:       "von %s bis %s Uhr",
	daysOne:    "%s",
	daysRange:  "%s bis %s",
	hoursIntro: "Wir haben %s geöffnet.",
	closedOn:   "Am %s haben wir geschlossen.",
	dayOpen:    "Am %s haben wir %s geöffnet.",
	dayClosed:  "Am %s haben wir geschlossen.",
	relOpen:    "%s (%s) haben wir %s geöffnet.",
	relClosed:  "%s (%s) haben wir geschlossen.",
	nextOpen:   "Wir öffnen wieder am %s %s.",
	openNow:    "Wir haben gerade geöffnet, bis %s Uhr.",
	closedNow:  "Wir haben gerade geschlossen.",
	today:      "Heute",
	tomorrow:   "Morgen",
	noHours:    "Unsere Öffnungszeiten liegen mir nicht vor.",

	address:   "Unsere Adresse: %s.",
	noAddress: "Unsere Adresse liegt mir nicht vor.",

	booking:          "Sie können online unter %s einen Termin buchen.",
	bookingPhone:     "Sie können uns auch unter %s anrufen.",
	bookingPhoneOnly: "Für einen Termin rufen Sie uns bitte unter %s an.",
	bookingEmailOnly: "Für einen Termin schreiben Sie uns bitte an %s.",
	contactBoth:      "Sie erreichen uns telefonisch unter %s oder per E-Mail an %s.",
	contactPhone:     "Sie erreichen uns telefonisch unter %s.",
	contactEmail:     "Sie erreichen uns per E-Mail an %s.",
	website:          "Unsere Website: %s.",

	wayCall:     "rufen Sie %s an",
	wayEmail:    "schreiben Sie an %s",
	wayBook:     "buchen Sie online unter %s",
	unknown:     "Das kann ich leider nicht beantworten.",
	unknownWays: "Bei allen anderen Fragen wenden Sie sich bitte direkt an %s: %s.",
	noWays:      "Bitte wenden Sie sich direkt an %s.",
	missingWays: "Für weitere Details kontaktieren Sie uns bitte: %s.",
	medical: "Ich kann keine persönliche medizinische Beratung und " +
		"keine Diagnose geben.",
	medicalWays: "Bitte vereinbaren Sie ein Beratungsgespräch, damit ein " +
		"Arzt von %s Ihre Situation beurteilen kann: %s.",
	caution: "Ob eine Behandlung für Sie persönlich geeignet ist, " +
		"bespricht ein Arzt mit Ihnen im Beratungsgespräch.",
	urgent:     "Im Notfall rufen Sie bitte sofort die 112 an.",
	urgentCall: "Bei einer dringenden Frage zu einer Behandlung bei uns rufen Sie %s an.",
}

// textsFor returns the texts of lang, English if lang is unknown.
func textsFor(lang string) *texts {
	switch lang {
	case "nl":
		return dutch
	case "fr":
		return french
	case "de":
		return german
	}
	return english
}

// euro formats a whole-euro amount the way lang writes it: "€1,250",
// "€ 1.250", "1 250 €", "1.250 €".
func (t *texts) euro(n int) string {
	switch t.lang {
	case "nl":
		return "€ " + group(n, ".")
	case "fr":
		return group(n, " ") + " €"
	case "de":
		return group(n, ".") + " €"
	}
	return "€" + group(n, ",")
}

// group writes n with sep between groups of three digits.
func group(n int, sep string) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteString(sep)
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// clock formats a "HH:MM" time: as is, or the French way ("9h", "9h30").
func (t *texts) clock(hhmm string) string {
	if t.lang != "fr" || len(hhmm) != 5 {
		return hhmm
	}
	h, m := strings.TrimPrefix(hhmm[:2], "0"), hhmm[3:]
	if h == "" {
		h = "0"
	}
	if m == "00" {
		return h + "h"
	}
	return h + "h" + m
}

// join lists items as "a, b and c" with the language's conjunction.
func join(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + conj +
		items[len(items)-1]
}

// nameIn returns a treatment name for use inside a sentence: lower-cased
// first letter where the language does that, unless the first word is a
// brand written with inner capitals ("HydraFacial").
func (t *texts) nameIn(name string) string {
	if !t.lowerNames {
		return name
	}
	first, _, _ := strings.Cut(name, " ")
	r, size := utf8.DecodeRuneInString(first)
	if !unicode.IsUpper(r) {
		return name
	}
	for _, c := range first[size:] {
		if unicode.IsUpper(c) {
			return name
		}
	}
	return string(unicode.ToLower(r)) + name[size:]
}

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// places translates common place names of the clinics' region; keys are
// normalised, values are English, Dutch, French and German.
var places = func() map[string][4]string {
	table := []struct {
		names []string
		out   [4]string
	}{
		{[]string{"belgium", "belgie", "belgique", "belgien", "be"},
			[4]string{"Belgium", "België", "Belgique", "Belgien"}},
		{[]string{"netherlands", "nederland", "pays bas", "niederlande", "nl"},
			[4]string{"the Netherlands", "Nederland", "Pays-Bas", "Niederlande"}},
		{[]string{"france", "frankrijk", "frankreich", "fr"},
			[4]string{"France", "Frankrijk", "France", "Frankreich"}},
		{[]string{"germany", "duitsland", "allemagne", "deutschland", "de"},
			[4]string{"Germany", "Duitsland", "Allemagne", "Deutschland"}},
		{[]string{"luxembourg", "luxemburg", "lu"},
			[4]string{"Luxembourg", "Luxemburg", "Luxembourg", "Luxemburg"}},
		{[]string{"brussels", "brussel", "bruxelles"},
			[4]string{"Brussels", "Brussel", "Bruxelles", "Brüssel"}},
		{[]string{"antwerp", "antwerpen", "anvers"},
			[4]string{"Antwerp", "Antwerpen", "Anvers", "Antwerpen"}},
		{[]string{"ghent", "gent", "gand"},
			[4]string{"Ghent", "Gent", "Gand", "Gent"}},
		{[]string{"bruges", "brugge", "brugge"},
			[4]string{"Bruges", "Brugge", "Bruges", "Brügge"}},
		{[]string{"liege", "luik", "luttich"},
			[4]string{"Liège", "Luik", "Liège", "Lüttich"}},
	}
	m := map[string][4]string{}
	for _, row := range table {
		for _, n := range row.names {
			m[n] = row.out
		}
	}
	return m
}()

// place returns a city or country name in the answer language, or name
// unchanged when it is not in the table.
func (t *texts) place(name string) string {
	row, ok := places[normalize(name)]
	if !ok {
		return name
	}
	switch t.lang {
	case "nl":
		return row[1]
	case "fr":
		return row[2]
	case "de":
		return row[3]
	}
	return row[0]
}
