package triage

// The term sets of urgent symptoms, in English, Dutch, French and German.
// Most are built from the word classes of classes.go, so that a symptom
// is found however the words around it are ordered or inflected.
var (
	setBreathing = define(
		"@hard ... @breathe", "@breathe ... @hard",
		"@wheeze ... @breathe", "@breathe ... @wheeze", "wheez*",
		"@chest ... @closing", "@closing ... @chest",
		"short of breath", "shortness of breath", "out of breath",
		"catch* my breath", "suffocat*", "choking",
		"ademnood", "benauwd*", "kortademig*", "ademhalingsproblemen",
		"stik", "stikken", "verstik*",
		"suffoque", "etouffe*", "essouffl*", "souffle court",
		"atemnot", "atembeschwerden", "atemprobleme", "erstick*",
	)
	setAirway = define(
		"@throat ... @closing", "@closing ... @throat",
		"@swell ... @throat", "@throat ... @swell", "@swell ... tongue",
		"tongue ... @swell", "@swell ... tong", "tong ... @swell",
		"@swell ... langue", "langue ... @swell", "@swell ... zunge",
		"zunge ... @swell",
		"@hard ... @swallow", "@swallow ... @hard",
		"swollen shut", "dichtgezwollen", "zugeschwollen",
		"@closingonly",
		"@swell ... ferme*", "hals schnürt*", "kehle schnürt*",
	)
	setAllergy = define(
		"anaphyla*", "anafyla*", "allergic reaction", "allergic shock",
		"severe allergy", "allergische reactie", "allergische shock",
		"reaction allergique", "choc allergique", "allergie grave",
		"allergische reaktion", "allergischer schock",
		"allergischen schock", "hives", "netelroos", "urticaire",
		"nesselsucht", "quaddel*", "quincke*", "angioedema",
		"angio oedeem", "angioödem", "@swell ... @fast",
	)
	// setEverywhere and setItch together are a reaction of the whole
	// body: "itchy all over", "plaques partout".
	setEverywhere = define(
		"all over", "whole body", "entire body", "everywhere", "overal",
		"heel mijn lijf", "heel mijn lichaam", "partout",
		"tout le corps", "überall", "ganzen körper",
	)
	setItch = define(
		"itch*", "rash", "welts", "jeuk*", "bulten", "uitslag",
		"gratte*", "demange*", "plaques", "juck*", "ausschlag",
	)
	setDizzy = define(
		"dizzy", "lightheaded", "light headed", "duizelig*",
		"tete qui tourne", "vertige*", "schwindel*",
	)
	setVision = define(
		"@see ... @blurred", "@sight ... @blurred", "@blurred ... @sight",
		"@eye ... @blurred", "@blurred ... @eye", "blurry", "blurred",
		"verschwommen*", "wazig",
		"@all ... @blurred", "@lost ... @sight", "@sight ... @lost",
		"@see ... @nothing", "blind*", "aveugle*", "cecite",
		"erblind*", "doppelbilder", "sehstörung*", "sehverlust",
		"zichtverlies", "troubles visuels", "trouble visuel",
		"schwarz vor augen",
	)
	// setSightNoun, setBeforeEyes and setDim make up the rest: "dark
	// spots in my vision", "zwarte vlekken voor mijn ogen".
	setSightNoun  = define("@sight")
	setBeforeEyes = define("@before ... @eye")
	setDim        = define("@dim", "@blurred")
	// setSeeTrouble is trouble seeing, which counts unless it is
	// about something on a screen (setScreen).
	setSeeTrouble = define("@hard ... @see", "@see ... @hard")
	setScreen     = define("@screen")
	setEye        = define("@eye")

	// The signs of a blocked vessel after an injection.
	setPale = define("@pale", "deathly pale", "lijkbleek")
	setDark = define("@dark")
	setBlue = define(
		"blue", "bluish", "blueish", "purple", "purplish", "violet",
		"blauw*", "paars*", "bleu", "bleue", "bleues", "bleut*",
		"violac*", "blau", "blaue", "blauer", "bläulich", "lila",
		"violett",
	)
	setMottled  = define("@mottled", "net like", "en filet", "lace like")
	setCold     = define("@cold")
	setColdSore = define("cold sore*")
	setNumb     = define(
		"numb", "gevoelloos", "engourdi*", "taub",
		"@hard ... @feel ... anymore", "@feel ... niet meer",
		"@feel ... nicht mehr", "sens plus",
	)
	setArea = define("@area")
	// setLipNose names the lips and the nose, whose colour alone is a
	// sign: lips turning white, grey or blue need care at once.
	setLipNose = define(
		"lip", "lips", "lippen", "lippe*", "levre*", "oberlippe",
		"unterlippe", "bovenlip", "onderlip", "nose", "neus*", "nez",
		"nase*",
	)
	setInjected = define(
		"@injected", "lips done", "lippen laten doen",
		"lippen machen lassen", "fait faire les levres",
	)
	setChange = define("@change")
	setAfter  = define("@after")
	// setBruise names a bruise, whose blue is no sign of a blocked
	// vessel.
	setBruise = define(
		"bruis*", "blauwe plek*", "hematoom", "un bleu", "des bleus",
		"les bleus", "petit bleu", "petits bleus", "gros bleu",
		"hematome*", "bluterguss", "blauer fleck", "blauen fleck",
	)
	// setLesionColour is a coloured lump, a question for a doctor
	// rather than a blocked vessel: "a small white bump".
	setLesionColour = define(
		"@pale @lesion", "@lesion @pale", "whitehead*", "white head",
	)
	// setNatural marks a colour someone was born with.
	setNatural = define(
		"naturally", "by nature", "van nature", "naturellement",
		"de nature", "von natur", "von natur aus",
	)

	setSeverePain = define(
		"@severe ... @pain", "@pain ... @severe", "@pain ... @worse",
		"@pain ... @body ... @severe",
		"@worse ... @pain", "@cry ... @pain", "more and more",
		"steeds meer pijn", "alsmaar erger", "steeds erger",
		"de plus en plus mal", "immer mehr weh", "immer stärker",
		"hurts so much", "so much pain", "hurts a lot", "heel veel pijn",
		"zoveel pijn", "niet te harden", "niet uit te houden",
		"nicht auszuhalten", "nicht zum aushalten", "tres mal",
		"sehr weh", "in agony",
	)
	// setBurn and setBlister together are a chemical burn.
	setBurn = define(
		"burned", "burnt", "burn", "verbrand*", "brule*", "verätzt",
		"verbrannt",
	)
	setBlister = define(
		"blister*", "blaren", "blaar*", "blaasje*", "cloque*", "blase*",
		"raw", "a vif", "open",
	)
	setBleeding = define(
		"@bleed ... @heavily", "@heavily ... @bleed",
		"t stop ... @bleed", "@bleed ... t stop", "not stop* ... @bleed",
		"@bleed ... not stop*", "keeps bleeding", "keep bleeding",
		"still bleeding",
		"stopt niet ... @bleed", "@bleed ... stopt niet",
		"blijft bloeden", "blijft maar bloeden", "veel bloed",
		"arrete pas ... @bleed", "arret ... pas ... @bleed",
		"@bleed ... arrete pas", "@bleed ... s arrete pas",
		"@bleed ... sans arret", "saigne toujours", "@bleed ... non stop",
		"hört nicht auf ... @bleed", "@bleed ... hört nicht auf",
		"blutet immer noch", "viel blut",
	)
	setSoaked = define(
		"soak*", "towel*", "handdoek*", "doorweekt", "serviette*",
		"trempe*", "handtuch*", "handtücher", "durchnässt",
	)
	setBleedWord = define("@bleed")
	setFever     = define(
		"fever", "feverish", "high temperature", "temperature", "chills",
		"koorts*", "rilling*", "fievre", "frisson*", "fieber*",
		"schüttelfrost",
	)
	setSpreading = define(
		"red", "redness", "reddening", "spreading", "spreads", "spread",
		"hot", "warm", "pus", "rood", "rode", "roodheid", "verspreidt",
		"breidt uit", "etter", "rouge*", "rougeur*", "s etend",
		"se propage", "chaud*", "rot", "rote", "roter", "rötung",
		"breitet sich aus", "ausbreit*", "heiss", "eiter", "@swell",
	)
	setCollapse = define(
		"fainted", "passed out", "pass out", "passing out", "fainting",
		"feel faint", "unconscious", "not waking up", "chest pain",
		"heart is racing", "heart racing", "racing heart",
		"palpitation*", "seizure", "convuls*", "slurred", "slurring",
		"can t lift",
		"flauwgevallen", "flauw gevallen", "voel me flauw",
		"bewusteloos", "van mijn stokje", "pijn op de borst",
		"pijn in mijn borst", "hartkloppingen", "praat ... raar",
		"niet ... optillen", "stuip*",
		"evanoui*", "perdu connaissance", "dans les pommes",
		"me sens partir", "fait un malaise", "douleur thoracique",
		"douleur a la poitrine", "douleur dans la poitrine",
		"coeur qui s emballe", "parle bizarre*", "lever le bras",
		"ohnmacht*", "ohnmächtig", "bewusstlos", "umgekippt",
		"zusammengebrochen", "brustschmerz*", "herzrasen",
		"spricht undeutlich", "nicht ... heben", "krampfanfall",
		"necro*", "nekrose", "occlusion", "vaatocclusie",
		"vasculaire occlusie", "gefässverschluss*", "vascular compromise",
	)
)

// The sets that decide whether a symptom is being reported or asked
// about in general.
var (
	// setHypothetical marks a general question: "can filler cause
	// blindness?", "is swelling normal?".
	setHypothetical = define(
		"can", "could", "might", "may", "will", "would", "risk*",
		"possible", "possibly", "chance", "normal", "side effect*",
		"complication*", "happen*", "cause", "causes", "dangerous",
		"common", "often", "how often", "mean", "means", "rare", "rarely",
		"sign", "signs", "symptom*", "what is", "what does", "explain",
		"kan", "kunnen", "zou", "risico*", "mogelijk*", "bijwerking*",
		"complicatie*", "normaal", "gebeur*", "veroorzaken", "gevaarlijk",
		"vaak", "betekent", "wat is", "zeldzaam", "teken*",
		"peut", "peuvent", "pourrait", "risque*", "effet secondaire",
		"effets secondaires", "effets indesirables", "arriver",
		"provoquer", "dangereux", "souvent", "frequent*", "signifie",
		"qu est ce que", "rarement", "signe*",
		"kann", "können", "könnte", "risiko*", "möglich*",
		"nebenwirkung*", "komplikation*", "passieren", "verursachen",
		"gefährlich", "häufig", "oft", "bedeutet", "was ist", "selten",
		"anzeichen",
	)
	// setConditional marks a symptom imagined rather than had: "what if
	// my lips turn blue?".
	setConditional = define(
		"if", "in case", "indien", "stel dat", "wat als", "als mijn",
		"als er", "als ik", "als het", "als je", "als de", "als ze",
		"als u", "als jullie", "si", "au cas", "en cas", "wenn", "falls",
		"im falle",
	)
	// setHedge is an "if" that only hedges: "not sure if this is
	// urgent, but".
	setHedge = define(
		"not sure if", "unsure if", "don t know if", "wondering if",
		"bad if", "normal if", "ok if", "okay if", "serious if",
		"as if", "erg als", "normaal als", "sais pas si",
		"sais pas trop si", "comme si", "grave si", "normal si",
		"schlimm wenn", "normal wenn", "als ob",
	)
	// setLongAgo marks a symptom of the past: "my friend had an allergic
	// reaction once".
	setLongAgo = define(
		"once", "years ago", "last year", "in the past", "ooit",
		"vroeger", "vorig jaar", "jaren geleden", "une fois", "deja fait",
		"deja eu",
		"l annee passee", "l annee derniere", "il y a des annees",
		"hatte mal", "schon mal", "mal eine", "mal einen", "einmal", "früher",
		"letztes jahr", "vor jahren",
	)
	// setCurrent marks a visitor telling what is happening now, to them
	// or to someone with them.
	setCurrent = define(
		"@my ... @body", "since", "ago", "yesterday", "today", "tonight",
		"this morning", "this afternoon", "last night", "now", "still",
		"just had", "just got", "woke up", "i have", "i ve", "i feel",
		"i can t", "i cannot", "i m having", "i m seeing", "i m bleeding",
		"i m struggling", "i m wheezing", "i think i", "pretty sure",
		"i got", "i had", "i lost", "i passed", "there s", "there is",
		"what is happening", "what s happening", "wat gebeurt er",
		"qu est ce qui se passe", "was passiert",
		"sinds", "geleden", "gisteren", "vandaag", "vanavond",
		"vanochtend", "vanmorgen", "deze ochtend", "vannacht", "nu",
		"nog altijd", "nog steeds", "net", "ik heb", "heb ik", "ik voel",
		"ik kan", "ik krijg", "ik zie", "zie ik", "ik denk", "ik zit",
		"ik moet", "wakker",
		"depuis", "il y a", "hier", "aujourd hui", "ce matin", "ce soir",
		"cette nuit", "maintenant", "encore", "je viens", "j ai",
		"je sens", "je me sens", "je vois", "je ne", "j arrive",
		"je crois", "je respire", "je saigne", "je vomis", "reveille*",
		"seit", "gestern", "heute", "jetzt", "grade", "gerade",
		"immer noch", "ich habe", "ich hab", "ich kann", "ich kriege",
		"ich krieg", "ich bekomme", "ich sehe", "sehe ich", "ich fühle",
		"mir ist", "mir wird", "ich glaube", "ich blute", "aufgewacht",
	)
	// setUrgent marks a call for help.
	setUrgent = define(
		"help", "urgent*", "emergency", "asap", "immediately",
		"hospital", "dringend*", "spoed*", "onmiddellijk", "hulp",
		"au secours", "aidez moi", "aide moi", "tout de suite",
		"immediatement", "urgences", "hilfe", "notfall", "sofort",
		"notaufnahme", "krankenhaus",
	)
	// setGeneralOpener starts a question about treatments in general:
	// "does lip filler hurt a lot?".
	setGeneralOpener = define(
		"does", "do", "will", "is", "are", "how", "doet", "doen", "wordt",
		"hoeveel", "est ce que", "est ce", "tut", "ist", "wie", "sind",
	)
)

// isEmergency reports whether the matched sets describe urgent symptoms
// the visitor, or someone with them, has now, rather than a question
// about risks or a memory.
func isEmergency(m *message, s *sets) bool {
	if !hasSymptom(s) {
		return false
	}
	if s.has(setUrgent) {
		return true
	}
	imagined := s.has(setConditional) && !s.has(setHedge) ||
		s.has(setLongAgo)
	if imagined {
		return false
	}
	general := s.has(setHypothetical) ||
		m.question && startsWith(m.words, setGeneralOpener)
	return s.has(setCurrent) || !general
}

// hasSymptom reports whether the sets name an urgent symptom.
func hasSymptom(s *sets) bool {
	return s.any(setBreathing, setAirway, setAllergy, setVision,
		setSeverePain, setBleeding, setCollapse) ||
		s.has(setEverywhere) && s.has(setItch) ||
		s.has(setDizzy) && s.any(setItch, setSwellWord) ||
		hasSightTrouble(s) || hasBlockedVessel(s) ||
		s.has(setBurn) && s.has(setBlister) ||
		s.has(setBleedWord) && s.has(setSoaked) ||
		s.has(setFever) && s.has(setSpreading)
}

// setSwellWord is any word for swelling.
var setSwellWord = define("@swell")

// hasSightTrouble reports the disturbances of sight not in setVision:
// dark spots named with sight or the eyes, and trouble seeing unless it
// is something on a screen the visitor cannot see.
func hasSightTrouble(s *sets) bool {
	return s.any(setSightNoun, setBeforeEyes) && s.has(setDim) ||
		s.has(setSeeTrouble) && (s.has(setEye) || !s.has(setScreen))
}

// hasBlockedVessel reports the signs of a vessel blocked by an
// injection: skin of the face turned pale, mottled or dark after it.
func hasBlockedVessel(s *sets) bool {
	if !s.has(setArea) || s.has(setNatural) {
		return false
	}
	// Mottled skin, or cold skin that changed colour, needs no
	// injection named to be alarming.
	cold := s.has(setCold) && !s.has(setColdSore)
	if s.has(setMottled) || cold && s.any(setPale, setDark, setNumb) {
		return true
	}
	lesion := s.has(setLesionColour) && !s.has(setChange)
	colour := s.has(setPale) || s.has(setDark) && !s.has(setBruise)
	livid := s.has(setPale) || s.has(setBlue) && !s.has(setBruise)
	if s.has(setLipNose) && livid && !lesion {
		return true // "my lip is white", but not "my lips are dark"
	}
	if !s.any(setInjected, setChange, setAfter) {
		return false
	}
	if cold && s.has(setInjected) {
		return true // "my lip has been ice cold since the filler"
	}
	return colour && !lesion // not "a white bump on my lip"
}
