package triage

// topics lists the topic sets in the order they win: a treatment named
// in the message is its topic ("how much is botox?" is about botox),
// then what the visitor wants to do or know.
var topics = []struct {
	name string
	set  set
}{
	{"botox", define(
		"botox", "botuli*", "toxin*", "toxine*", "dysport", "azzalure",
		"bocouture", "vistabel", "xeomin", "wrinkle relax*",
		"frown lines", "crow s feet", "kraaienpootjes", "fronsrimpel*",
		"pattes d oie", "rides du lion", "zornesfalte*", "krahenfusse",
		"stirnfalten", "hyperhidros*", "zweten", "transpiration",
		"schwitzen", "sweating",
	)},
	{"filler", define(
		"filler*", "hyaluron*", "juvederm", "restylane", "profhilo",
		"radiesse", "sculptra", "lipfiller", "lippen opvullen",
		"lippenvergroting", "lip", "lips", "lippen", "levres", "lippe*",
		"tear trough", "traanwallen", "cernes", "augenringe", "jawline",
		"kaaklijn", "skinbooster*",
	)},
	{"peel", define(
		"peel*", "chemical peel", "chemische peeling", "tca", "glycol*",
		"salicyl*", "exfolia*",
	)},
	{"laser", define(
		"laser*", "ipl", "ontharing", "epilation", "haarentfernung",
		"hair removal", "fraxel", "tattoo removal", "tatoeage*",
		"tatouage*", "tattooentfernung",
	)},
	{"skincare", define(
		"skincare", "skin care", "huidverzorging", "soin du visage",
		"soins du visage", "hautpflege", "serum*", "creme*", "cream*",
		"moistur*", "hydrafacial", "facial*", "gezichtsbehandeling*",
		"acne", "akne", "pigment*", "rosacea", "spf", "sunscreen",
		"zonnecreme", "retinol", "vitamine c", "vitamin c",
		"microneedling", "morpheus*", "skinceuticals", "obagi", "huid",
		"peau", "skin", "haut",
	)},
	{"booking", setBookingWords},
	{"price", define(
		"price*", "cost*", "how much", "fee*", "tarief*", "prijs*",
		"prijzen", "kost", "kosten", "euro*", "eur", "prix", "tarif*",
		"coute*", "combien", "preis*", "kostet", "wie viel", "betalen",
		"payer", "bezahlen", "pay", "payment", "korting", "discount",
		"reduction", "rabatt",
	)},
	{"hours", define(
		"open*", "hours", "closed", "openingsuren", "openingstijden",
		"geopend", "gesloten", "horaire*", "ouvert*", "ferme*",
		"offnungszeit*", "geoffnet", "geschlossen", "saturday", "sunday",
		"zaterdag", "zondag", "samedi", "dimanche", "samstag", "sonntag",
		"evening*", "avond*", "soir", "abend*",
	)},
	{"location", define(
		"where", "address", "adres", "adresse", "waar", "ou se trouve",
		"ou etes vous", "ou est", "wo ist", "wo sind", "wo befindet",
		"wo finde", "parking", "parkeren", "parkplatz*", "parken",
		"station", "gare", "bahnhof", "route", "itineraire", "anfahrt",
		"how do i get", "hoe geraak ik", "hoe kom ik", "located",
		"gelegen", "situe*", "directions",
	)},
}

// setBookingWords marks making, moving or cancelling an appointment; it
// is both a topic and an intent.
var setBookingWords = define(
	"book", "booking", "appointment*", "reserve", "reservation",
	"schedule", "cancel*", "reschedule", "afspraak*", "boeken",
	"inplannen", "reserveren", "annuleren", "verzetten", "verplaatsen",
	"rendez vous", "rdv", "reserver", "annuler", "deplacer", "termin*",
	"buchen", "vereinbaren", "absagen", "verschieben",
)

// topic returns the first topic whose set matched, or "other".
func topic(s *sets) string {
	for _, t := range topics {
		if s.has(t.set) {
			return t.name
		}
	}
	return "other"
}

var (
	setComplaint = define(
		"complain*", "unhappy", "not happy", "disappointed",
		"dissatisfied", "terrible", "awful", "refund", "money back",
		"bad result", "klacht*", "ontevreden", "teleurgesteld",
		"niet tevreden", "terugbetal*", "mijn geld terug",
		"slecht resultaat", "plainte", "reclamation", "mecontent*",
		"decu", "decue", "pas satisfait*", "rembourse*",
		"mauvais resultat", "beschwerde*", "reklamation", "unzufrieden",
		"enttauscht", "geld zuruck", "ruckerstattung",
		"schlechtes ergebnis",
	)
	setGreeting = define(
		"hi", "hello", "hey", "good morning", "good afternoon",
		"good evening", "hallo", "hoi", "dag", "goedendag", "goedemorgen",
		"goedemiddag", "goedenavond", "bonjour", "bonsoir", "salut",
		"coucou", "guten tag", "guten morgen", "guten abend", "servus",
		"moin", "gruss gott",
	)
	setQuestionWord = define(
		"how", "what", "when", "where", "why", "which", "who", "can",
		"could", "do", "does", "is", "are", "will", "would", "should",
		"hoe", "wat", "wanneer", "waar", "waarom", "welke", "kan",
		"kunnen", "kunt", "mag", "moet", "zijn", "heeft", "hebben",
		"doen", "comment", "quoi", "quel*", "quand", "pourquoi",
		"combien", "est ce", "puis je", "pouvez", "peut", "wie", "was",
		"wann", "wo", "warum", "welche*", "kann", "konnen", "ist", "sind",
		"haben", "gibt es",
	)
)

// maxGreetingWords is the longest message taken as a mere greeting.
const maxGreetingWords = 6

// intent returns what the visitor wants, complaints first.
func intent(m *message, s *sets) string {
	switch {
	case s.has(setComplaint):
		return "complaint"
	case s.has(setBookingWords):
		return "booking"
	case m.question || startsWith(m.words, setQuestionWord):
		return "question"
	case s.has(setGreeting) && len(m.words) <= maxGreetingWords:
		return "greeting"
	}
	return "other"
}

// startsWith reports whether a term of set id starts the words.
func startsWith(words []string, id set) bool {
	if len(words) == 0 {
		return false
	}
	var found sets
	terms.matchAt(words, 0, &found)
	return found.has(id)
}
