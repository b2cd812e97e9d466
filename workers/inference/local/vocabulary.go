package local

import (
	"sync"
	"time"
)

// intent is what a visitor wants to know.
type intent int

const (
	intentPrice intent = iota
	intentHours
	intentAddress
	intentBooking
	intentContact
	intentWhat // what a treatment is
	intentDuration
	intentRecovery
	intentList // which treatments the clinic offers
	intentGreeting
	intentThanks
	intentBye
	intentMedical // personal medical advice or a diagnosis
	intentUrgent  // an emergency
	numIntents
)

// Relative days a visitor may name.
const (
	relToday = iota
	relTomorrow
	relNow
)

// Term weights: an intent is certain from one strong term; weak terms
// count only when nothing stronger is asked.
const (
	weakTerm   = 1
	strongTerm = 2
)

// vocabGroup is a list of terms with one meaning. Terms are written
// naturally (accents and apostrophes allowed) and normalised when the
// lexicon is built; a trailing "*" lets the last word be extended.
type vocabGroup struct {
	sig   sig
	terms []string
}

func intentTerms(i intent, w int, terms ...string) vocabGroup {
	return vocabGroup{sig{kindIntent, int(i), w}, terms}
}

func dayTerms(d time.Weekday, terms ...string) vocabGroup {
	return vocabGroup{sig{kindDay, int(d), weakTerm}, terms}
}

func relTerms(r int, terms ...string) vocabGroup {
	return vocabGroup{sig{kindRel, r, weakTerm}, terms}
}

// vocabulary holds the clinic-independent terms in English, Dutch, French
// and German, including common misspellings and stems.
var vocabulary = []vocabGroup{
	intentTerms(intentPrice, strongTerm,
		"price*", "pricing", "cost*", "fee", "fees", "how much", "expensive",
		"cheap*", "rate", "rates", "tariff*", "charge", "charges",
		"prijs*", "prijz*", "kost", "kosten", "kostt", "kostprijs", "tarief",
		"tarieven", "duur", "goedkoop*", "hoeveel betaal*",
		"prix", "coût*", "tarif*", "cher", "chère", "combien ça",
		"preis*", "kostet", "teuer*", "billig*", "gebühr*", "wie teuer",
		"price list", "prijslijst", "liste des prix", "grille tarifaire",
		"preisliste"),
	intentTerms(intentPrice, weakTerm,
		"hoeveel", "combien", "wie viel", "wieviel", "free", "gratis",
		"gratuit*", "kostenlos", "euro", "euros", "eur"),
	{sig{kind: kindAll, weight: weakTerm}, []string{
		"all", "alle", "tous", "toutes", "tout", "everything", "alles",
		"price list", "prijslijst", "liste des prix", "grille tarifaire",
		"preisliste", "prices", "prijzen", "tarieven", "tarifs", "preise",
		"overview", "overzicht", "aperçu", "übersicht"}},

	intentTerms(intentHours, strongTerm,
		"opening hours", "opening times", "hours", "open*", "closed",
		"closing", "what time", "which days", "hoe laat", "om hoe laat",
		"openingsuren", "openingstijd*", "geopend", "gesloten", "sluit*",
		"welke dagen", "horaire*", "heures d'ouverture", "ouvert*",
		"fermé*", "fermeture", "quelle heure", "quels jours",
		"öffnungszeit*", "oeffnungszeit*", "geöffnet", "offen",
		"geschlossen", "um wie viel uhr", "uhrzeit", "welche tage",
		"sprechzeit*"),
	intentTerms(intentHours, weakTerm,
		"when", "wanneer", "quand", "wann", "uur", "uhr", "heure*", "close"),

	intentTerms(intentAddress, strongTerm,
		"address*", "adres*", "where are you", "where is", "located",
		"location", "find you", "get there", "how to get", "how do i get",
		"waar zijn", "waar is", "waar bevindt", "waar ligt", "waar vind*",
		"gelegen", "ligging", "hoe geraak*", "hoe kom ik",
		"où êtes", "où se trouve", "où est", "où se situe", "où vous trouver",
		"situé*", "comment venir", "comment aller",
		"wo ist", "wo sind", "wo befindet", "wo finde", "befindet",
		"anfahrt", "wie komme", "standort", "openbaar vervoer",
		"public transport", "transports en commun",
		"öffentliche verkehrsmittel", "google maps", "map", "street",
		"straat", "rue", "straße"),
	intentTerms(intentAddress, weakTerm, "where", "waar", "wo"),

	intentTerms(intentBooking, strongTerm,
		"book*", "appointment*", "reserv*", "schedule", "afspraak*",
		"boek*", "inplannen", "rendez-vous", "rdv", "prendre rendez",
		"réserv*", "termin*", "buchen", "vereinbar*", "agenda"),
	intentTerms(intentBooking, weakTerm,
		"available", "beschikbaar*", "disponib*", "verfügbar*"),

	intentTerms(intentContact, strongTerm,
		"contact*", "phone*", "telephone*", "call", "calling", "call you",
		"reach you", "telefoon*", "bel", "bellen", "opbellen",
		"mail", "email", "e-mail", "mailen", "emailadres", "mailadres",
		"e-mail adres", "email address", "e-mail address", "mail address",
		"courriel", "joindre", "appeler", "téléphon*",
		"adresse mail", "adresse e-mail", "anrufen", "telefon*",
		"kontakt*", "erreichen", "e-mail adresse", "emailadresse",
		"whatsapp", "sms"),
	intentTerms(intentContact, weakTerm, "number", "nummer", "numéro"),

	intentTerms(intentWhat, weakTerm,
		"what is", "what are", "whats", "what's", "what does", "wat is",
		"wat zijn", "wat houdt", "wat doet", "qu'est-ce", "c'est quoi",
		"was ist", "was sind", "was macht", "explain*", "uitleg*",
		"leg uit", "expliqu*", "erklär*", "how does", "how do", "hoe werkt",
		"comment fonctionne", "comment ça marche", "wie funktioniert",
		"wie wirkt", "tell me", "vertel", "info", "infos", "informatie",
		"information*", "meer weten", "en savoir plus", "mehr über",
		"mehr erfahren", "details", "detail", "result*", "resultaat",
		"résultat*", "ergebnis*", "effect", "effet", "wirkung"),
	intentTerms(intentWhat, strongTerm,
		"last", "lasts", "lasting", "blijft", "tient", "hält",
		"houdbaarheid", "haltbarkeit"),

	intentTerms(intentDuration, weakTerm,
		"how long", "hoe lang", "wie lange", "wie lang", "take", "takes",
		"dure", "minutes", "minuten", "tijd", "zeit", "time"),
	intentTerms(intentDuration, strongTerm,
		"duration", "duurt", "durée", "dauer*", "dauert", "how much time",
		"hoeveel tijd", "wie viel zeit", "combien de temps"),

	intentTerms(intentRecovery, strongTerm,
		"recover*", "downtime", "down time", "aftercare", "after care",
		"heal*", "swelling", "swollen", "bruis*", "redness", "side effect*",
		"back to work", "return to work", "afterwards",
		"herstel*", "nazorg", "na de behandeling", "zwelling", "gezwollen",
		"blauwe plek*", "roodheid", "bijwerking*", "weer werken",
		"gaan werken", "daarna",
		"récupér*", "suites", "après le soin", "éviction sociale",
		"gonflement", "gonflé*", "bleus", "ecchymose*", "rougeur*",
		"effets secondaires", "reprendre le travail", "ensuite",
		"ausfallzeit", "erholung*", "heilung", "nachsorge", "schwellung*",
		"geschwollen", "blaue flecken", "rötung*", "nebenwirkung*",
		"wieder arbeiten", "danach"),
	intentTerms(intentRecovery, weakTerm,
		"after", "après", "sport", "work", "werk", "travail", "arbeit*"),

	intentTerms(intentList, strongTerm,
		"treatments", "behandelingen", "traitements", "soins",
		"behandlungen", "offer*", "aanbod", "bieden", "proposez",
		"propose*", "anbieten", "bieten", "angebot", "services", "diensten",
		"prestations", "leistungen", "menu", "what can you do",
		"what do you do", "do you do", "wat doen jullie", "doen jullie",
		"que faites-vous", "faites-vous", "was machen sie", "machen sie"),

	intentTerms(intentGreeting, weakTerm,
		"hello", "hi", "hey", "hallo", "hoi", "dag", "goedendag", "goeiedag",
		"goedemorgen", "goedemiddag", "goedenavond", "bonjour", "bonsoir",
		"salut", "coucou", "guten tag", "guten morgen", "guten abend",
		"grüß gott", "grüezi", "servus", "moin", "good morning",
		"good afternoon", "good evening", "greetings"),
	intentTerms(intentThanks, strongTerm,
		"thanks", "thank*", "thx", "cheers", "merci", "bedankt",
		"dankjewel", "dankuwel", "dank je", "dank u", "danke",
		"vielen dank"),
	intentTerms(intentBye, strongTerm,
		"bye", "goodbye", "see you", "tot ziens", "doei", "daag",
		"au revoir", "à bientôt", "tschüss", "tschüs", "auf wiedersehen",
		"ciao"),

	intentTerms(intentMedical, strongTerm,
		"pregnant", "pregnancy", "zwanger*", "enceinte", "grossesse",
		"schwanger*", "breastfeeding", "breast feeding", "borstvoeding",
		"allait*", "stillen", "stillzeit", "diagnos*", "normal", "normaal",
		"mole", "moles", "moedervlek*", "grain de beauté", "muttermal*",
		"plekje", "plekjes", "rash", "uitslag", "eczema", "eczeem", "ekzem",
		"psoriasis", "allerg*", "medication", "medicine", "medicijn*",
		"médicament*", "medikament*", "blood thinner*", "bloedverdun*",
		"anticoagul*", "blutverdünn*", "symptom*", "symptôme*", "infect*",
		"ontsteking", "ontstoken", "entzünd*", "lump", "bult", "bultje",
		"knobbel", "pus", "cancer", "kanker", "krebs", "melanom*", "herpes",
		"koortslip", "bouton de fièvre", "lippenherpes", "diabet*",
		"autoimmun*", "auto-immune", "suitable for me", "right for me",
		"geschikt voor mij", "geschikt voor mijn", "convient pour moi",
		"adapté pour moi", "für mich geeignet"),
	intentTerms(intentMedical, weakTerm,
		"for me", "voor mij", "pour moi", "für mich", "my skin",
		"mijn huid", "ma peau", "meine haut", "my face", "mijn gezicht",
		"mon visage", "mein gesicht", "spot", "vlek", "vlekje", "tache",
		"fleck", "pain", "painful", "hurt*", "pijn*", "douleur*",
		"schmerz*", "safe", "veilig", "sans danger", "sicher", "risk*",
		"risico*", "risque*", "risiko*", "should i", "moet ik", "dois-je",
		"soll ich", "what is this", "wat is dit", "medical", "medisch",
		"médical", "medizinisch"),

	intentTerms(intentUrgent, strongTerm,
		"emergency", "urgent*", "urgence*", "spoed*", "noodgeval",
		"dringend", "notfall", "notarzt", "112", "ambulance",
		"krankenwagen", "can't breathe", "cannot breathe",
		"difficulty breathing", "ademnood", "kan niet ademen",
		"moeilijk ademen", "ne peux pas respirer", "difficulté à respirer",
		"keine luft", "atemnot", "anaphyla*", "vision loss", "can't see",
		"necrosis", "necrose", "nécrose", "nekrose"),

	// The visitor giving their own details ("my email is [EMAIL_1]") is
	// not a question about the clinic's contact details.
	{sig{kind: kindNone}, []string{
		"my email", "my e-mail", "my phone", "my number", "my name",
		"mijn email", "mijn e-mail", "mijn nummer", "mijn telefoonnummer",
		"mijn gsm", "mijn naam", "mon e-mail", "mon email", "mon numéro",
		"mon téléphone", "mon nom", "meine e-mail", "meine email",
		"meine nummer", "meine telefonnummer", "mein name"}},

	// Negation rules out the treatments named after it in its clause,
	// up to a contrast word: "not botox but filler", "geen botox, wel
	// fillers". Longer terms win where they start, so phrases that only
	// look negative ("not sure if botox…", "ik weet niet of botox…")
	// mean nothing and hide their "not".
	{sig{kind: kindNot}, []string{
		"not", "no", "don't", "dont", "do not", "doesn't", "won't", "never",
		"without", "instead of", "rather than", "except", "other than",
		"niet", "geen", "zonder", "nooit", "in plaats van", "behalve",
		"ne", "pas", "sans", "jamais", "au lieu de", "plutôt que", "sauf",
		"nicht", "kein*", "ohne", "nie", "niemals", "statt", "anstatt",
		"anstelle", "außer"}},
	{sig{kind: kindBut}, []string{
		"but", "instead", "rather", "maar", "wel", "liever", "mais",
		"plutôt", "par contre", "sondern", "aber", "lieber", "eher",
		"stattdessen"}},
	{sig{kind: kindNone}, []string{
		"not sure", "not certain", "don't know", "dont know", "do not know",
		"no idea", "not only", "why not", "or not", "whether or not",
		"weet niet", "weet het niet", "weet ik niet", "niet zeker",
		"niet alleen", "waarom niet", "of niet",
		"ne sais pas", "sais pas", "ne suis pas sûr*", "pas sûr*",
		"pas certain*", "non seulement", "pas seulement", "pourquoi pas",
		"ou pas", "ou non",
		"weiß nicht", "weiß ich nicht", "nicht sicher", "nicht nur",
		"warum nicht", "oder nicht"}},

	dayTerms(time.Monday, "monday*", "maandag*", "lundi*", "montag*"),
	dayTerms(time.Tuesday, "tuesday*", "dinsdag*", "mardi*", "dienstag*"),
	dayTerms(time.Wednesday,
		"wednesday*", "woensdag*", "mercredi*", "mittwoch*"),
	dayTerms(time.Thursday,
		"thursday*", "donderdag*", "jeudi*", "donnerstag*"),
	dayTerms(time.Friday, "friday*", "vrijdag*", "vendredi*", "freitag*"),
	dayTerms(time.Saturday,
		"saturday*", "zaterdag*", "samedi*", "samstag*", "sonnabend*",
		"weekend", "week-end", "wochenende"),
	dayTerms(time.Sunday, "sunday*", "zondag*", "dimanche*", "sonntag*",
		"weekend", "week-end", "wochenende"),
	relTerms(relToday,
		"today", "tonight", "this evening", "this afternoon", "vandaag",
		"vanavond", "vanmiddag", "aujourd'hui", "ce soir", "heute",
		"heute abend"),
	relTerms(relTomorrow, "tomorrow", "morgen", "demain"),
	relTerms(relNow,
		"now", "right now", "at the moment", "currently", "nu",
		"momenteel", "op dit moment", "maintenant", "en ce moment",
		"actuellement", "jetzt", "gerade", "im moment"),
}

// stopwords are frequent words that never match a term with a typo and
// never name a treatment.
var stopwords = wordSet(
	// English
	"the", "and", "for", "with", "what", "when", "where", "your", "you",
	"have", "does", "this", "that", "there", "from", "about", "much",
	"many", "long", "can", "are", "will", "would", "could", "which",
	"they", "them", "their", "also", "please", "later", "other", "after",
	"before", "should", "need", "want", "like", "know", "some", "more",
	// Dutch
	"het", "een", "van", "voor", "naar", "met", "wat", "hoe", "wanneer",
	"waar", "kan", "mijn", "jullie", "wij", "dat", "dit", "die", "ook",
	"nog", "bij", "over", "laten", "graag", "moet", "wil", "lang", "zijn",
	"kunnen", "welke", "hebben", "heeft", "wordt", "worden", "maar",
	// French
	"les", "une", "des", "est", "sont", "pour", "avec", "sur", "dans",
	"par", "vous", "votre", "vos", "mon", "mes", "elle", "cette", "que",
	"qui", "quoi", "quel", "quelle", "quels", "quelles", "combien",
	"comment", "quand", "aux", "pas", "plus", "faire", "peux", "puis",
	// German
	"der", "die", "das", "ein", "eine", "einen", "und", "oder", "von",
	"für", "mit", "auf", "ist", "sind", "ich", "sie", "ihr", "ihre",
	"mein", "meine", "wie", "was", "wann", "zum", "zur", "bei", "kann",
	"man", "nicht", "auch", "noch", "den", "dem", "des", "viel", "haben",
	"gibt", "welche", "werden", "wird", "machen",
)

// nameNoise are words in treatment names that say nothing about which
// treatment is meant.
var nameNoise = wordSet(
	"treatment", "behandeling", "traitement", "behandlung", "soin",
	"session", "sessie", "séance", "sitzung", "zone", "area", "removal",
)

func wordSet(words ...string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[normalize(w)] = true
	}
	return set
}

// globalLexicon is the clinic-independent lexicon, built on first use.
var globalLexicon = sync.OnceValue(func() *lexicon {
	lx := newLexicon(false)
	for _, g := range vocabulary {
		for _, t := range g.terms {
			lx.add(t, g.sig, false)
		}
	}
	return lx.finish()
})
