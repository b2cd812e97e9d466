package triage

// The term sets of requests for a diagnosis or personal medical advice.
var (
	setAskWhat = define(
		"what is this", "what s this", "what is that", "what s that",
		"what this", "what these", "what could this be",
		"what could it be", "what can this be", "what can it be",
		"what is it", "what do i have", "what s wrong", "what is wrong",
		"wat is dit", "wat is dat", "wat is het", "wat dit", "wat deze",
		"wat kan ... zijn", "wat zou ... zijn", "wat heb ik",
		"wat scheelt er",
		"qu est ce que c est", "c est quoi", "ce que c est",
		"qu est ce que j ai", "j ai quoi", "qu est ce que ca peut etre",
		"peut etre quoi", "qu est ce que cela", "qu est ce qu elle a",
		"qu est ce qu il a", "de quoi s agit il",
		"was ist das", "was ist dies", "was das", "was dies*",
		"was könnte ... sein", "was kann ... sein", "was habe ich",
		"was hab ich", "was ist mit meiner", "was ist mit meinem",
	)
	setSkinThing = define(
		"@lesion", "mark", "mole", "moles", "rash", "blister", "patch",
		"dot", "dots", "growth", "wart", "freckle", "lesion",
		"plek*", "vlek*", "moedervlek*", "uitslag", "blaar", "blaasje*",
		"wrat", "puntje*",
		"tache*", "grain de beaute", "eruption", "plaque*", "rougeur*",
		"cloque*", "verrue", "grosseur",
		"fleck*", "muttermal*", "ausschlag", "blase", "bläschen",
		"warze", "leberfleck*", "stelle", "punkt*",
	)
	// setDoIHave asks whether the visitor has something.
	setDoIHave = define(
		"do i have", "could i have", "have i got", "could this be",
		"can this be", "could it be", "is this", "is it", "heb ik",
		"zou ik", "kan dit", "zou dit", "is dit", "is het", "if i have",
		"whether i have", "of ik", "ai je", "est ce que j ai", "si j ai",
		"aurais je", "serait ce", "pourrait etre", "c est de l",
		"c est un", "c est une", "c est du", "habe ich", "hab ich",
		"ob ich", "könnte das", "könnte ich", "ist das", "ist es",
	)
	setCondition = define(
		"@medical", "@skincond", "infected", "allergy", "allergic",
		"fungal", "fungus", "shingles", "cold sore*", "blood disorder",
		"heart condition", "immune disease", "ontsteking", "allergie",
		"allergisch", "gordelroos", "immuunziekte", "champignon", "zona",
		"bouton* de fievre", "probleme cardiaque", "maladie auto immune",
		"skin cancer", "cancer de la peau", "huidkanker", "hautkrebs",
		"entzündung", "gürtelrose",
	)
	// setHealthState is the visitor saying what they have, are or
	// take: "I have", "je suis", "mein".
	setHealthState = define(
		"i have", "i ve", "i suffer", "i m", "i am", "am i", "i take",
		"i get @medical", "i get @skincond", "i get cold sore*",
		"i often get", "my @medical",
		"my @skincond", "my ... @medical",
		"ik heb", "heb ik", "ik ben", "ben ik", "ik lijd", "ik neem",
		"ik slik", "ik krijg vaak", "mijn @medical", "mijn @skincond",
		"j ai", "ai je", "je suis", "suis je", "je souffre", "je prends",
		"je fais", "mon @medical", "ma @medical", "mes @medical",
		"mon @skincond", "ma @skincond", "mes @skincond",
		"ich habe", "ich hab", "habe ich", "hab ich", "ich bin", "bin ich",
		"ich leide", "ich nehme", "ich bekomme", "mein* @medical",
		"mein* @skincond",
	)
	// setMedicalWord is a condition that bears on a treatment's safety.
	setMedicalWord = define(
		"@medical", "heart condition", "blood disorder", "immune disease",
		"immuunziekte", "probleme cardiaque", "maladie auto immune",
		"cold sore*", "bouton* de fievre",
	)
	setSkinCond = define("@skincond")
	// setOwnSkinCond is the visitor's own skin condition: "my eczema".
	setOwnSkinCond = define(
		"my @skincond", "mijn @skincond", "mon @skincond",
		"ma @skincond", "mes @skincond", "mein* @skincond",
	)
	setInfected = define(
		"infected", "infection", "ontstoken", "ontsteking", "geinfecteerd",
		"infectie", "infecte", "infectee", "entzündet", "infiziert",
		"infektion", "entzündung",
	)
	// setGeneral marks questions about prevention and risk in general.
	setGeneral = define(
		"cause", "causes", "risk*", "prevent*", "avoid*", "chance",
		"common", "often", "frequent*",
		"voorkomen", "vermijden", "veroorzaken", "risico*", "kans",
		"vaak",
		"eviter", "prevenir", "provoquer", "risque*", "souvent",
		"vermeiden", "verhindern", "verursachen", "risiko*", "häufig",
		"oft",
	)
	setDeictic = define(
		"this", "that", "it", "my", "dit", "dat", "deze", "mijn", "ce",
		"cette", "ceci", "ca", "cela", "mon", "ma", "mes", "das", "dies*",
		"es", "mein*",
	)
	setPersonal = define(
		"my", "i", "me", "mijn", "ik", "mij", "mon", "ma", "mes", "j",
		"je", "mein*", "ich", "mir", "mich",
	)
	setAdvice = define(
		"should i", "shall i", "can i", "may i", "could i",
		"do i need to", "do i have to", "must i", "is it safe",
		"is it ok", "is it okay", "is it dangerous", "am i allowed",
		"for me", "moet ik", "mag ik", "kan ik", "zou ik", "is het veilig",
		"is het gevaarlijk", "is het ok", "voor mij",
		"dois je", "puis je", "est ce que je peux", "est ce que je dois",
		"je peux", "je dois", "faut il", "est ce dangereux",
		"sans danger", "j ai le droit", "pour moi",
		"soll ich", "darf ich", "kann ich", "muss ich", "ist es sicher",
		"ist es gefährlich", "ist das gefährlich", "für mich",
	)
	setMedVerb = define(
		"stop", "stopping", "quit", "pause", "take", "taking", "continue",
		"skip", "combine", "mix", "i m on", "i am on", "stoppen",
		"innemen", "nemen", "neem", "slik", "doorgaan", "pauzeren",
		"combineren", "arreter", "prendre", "prends", "continuer",
		"suspendre", "combiner", "je suis sous", "absetzen", "nehmen",
		"nehme", "pausieren", "weiter", "aufhören", "einnehmen",
		"kombinieren",
	)
	setMedicine = define(
		"medication*", "medicine*", "meds", "pill", "pills", "antibiotic*",
		"blood thinner*", "aspirin", "ibuprofen", "paracetamol",
		"isotretinoin*", "roaccutane", "accutane", "anticoagul*",
		"antidepress*", "contraceptive*",
		"medicatie", "medicijn*", "pil", "pillen", "antibiotica",
		"bloedverdunner*", "aspirine",
		"medicament*", "antibiotique*", "pilule", "comprime*",
		"medikament*", "tablette*", "antibiotik*", "blutverdünner*",
		"pille", "arznei*", "insulin*", "cortison*", "corticoid*",
		"kortison",
	)
	setPregnant = define(
		"pregnant", "pregnancy", "breastfeeding", "breast feeding",
		"nursing", "trying to conceive", "zwanger*", "borstvoeding",
		"enceinte", "grossesse", "allaite*", "allaitement", "schwanger*",
		"stillen", "stille", "stillzeit",
	)
	setNormal = define(
		"normal", "normaal", "normale",
	)
	setMildSymptom = define(
		"swell*", "swollen", "bruis*", "lump*", "bump*", "red", "redness",
		"rode", "rote", "roten", "roter", "rot", "rouge", "rouges",
		"itch*", "pain*", "hurt*", "sore", "tender", "numb*", "asymmetr*",
		"droop*", "uneven", "burn*", "blister*", "rash", "spot*", "heavy",
		"higher", "lower", "flaky", "dots",
		"zwel*", "gezwollen", "opgezwollen", "blauwe plek*", "bult*",
		"knobbel*", "rood", "roodheid", "jeuk*", "pijn*", "verdoofd",
		"scheef", "hangend*", "hangt", "brand*", "blaar*", "zwaar",
		"hoger", "lager", "schilfer*", "puntje*",
		"gonfl*", "hematome*", "bosse*", "rougeur*", "demange*",
		"douleur*", "engourd*", "asymetr*", "tombant*", "tombe", "brul*",
		"cloque*", "lourd*", "plus haut", "pele", "gratte*",
		"geschwollen", "schwellung*", "bluterguss", "blauer fleck",
		"rötung", "juck*", "schmerz*", "taub*", "schief", "hängt",
		"hängen", "brenn*", "blase*", "schwer", "höher", "schupp*",
	)
	setWhatToDo = define(
		"what should i do", "what do i do", "what can i do",
		"wat moet ik doen", "wat kan ik doen", "wat doe ik",
		"que dois je faire", "que faire", "qu est ce que je dois faire",
		"je fais quoi", "was soll ich tun", "was soll ich machen",
		"was kann ich tun", "was mache ich", "was tun",
	)
	// setSerious asks whether something the visitor has is serious.
	setSerious = define(
		"is it serious", "is this serious", "is that serious", "is it bad",
		"is this bad", "should i worry", "should i be worried",
		"is dit erg", "is dat erg", "is het erg", "is dit ernstig",
		"is het ernstig", "moet ik me zorgen maken", "c est grave",
		"est ce grave", "dois je m inquieter", "je dois m inquieter",
		"ist das schlimm", "ist es schlimm", "muss ich mir sorgen machen",
	)
	// setWorry asks whether something is a worry, which is personal
	// when said of this or that: "is this mole dangerous?".
	setWorry = define(
		"worry", "worried", "worrying", "dangerous", "zorgen", "ongerust",
		"gevaarlijk", "inquiet*", "dangereu*", "sorgen", "beunruhig*",
		"gefährlich",
	)
	setThis = define(
		"this", "that", "these", "dit", "dat", "deze", "ce", "cette",
		"ces", "ceci", "dies*",
	)
	setDiagnose = define(
		"diagnos*", "diagnostic*", "diagnostiq*", "diagnostiz*",
	)
	// setAfterTreatment places what the visitor tells after a
	// treatment: "after my botox".
	setAfterTreatment = define("@after ... @treatment")
)

// isDiagnosis reports whether the message asks for a diagnosis or for
// medical advice about the visitor's own situation.
func isDiagnosis(m *message, s *sets) bool {
	question, words := m.question, m.words
	personal := s.has(setPersonal)
	asks := question || s.has(setAdvice)
	switch {
	case s.has(setAskWhat) &&
		s.any(setSkinThing, setMildSymptom, setBruise):
		return true // "what is this spot on my cheek?"
	case s.has(setAskWhat) && s.has(setCondition) && personal:
		return true // "what do I have, is it an allergy?"
	case s.has(setSerious) &&
		s.any(setSkinThing, setMildSymptom, setBruise, setCondition):
		return true // "I have a brown spot on my cheek, is it serious?"
	case s.has(setWorry) && s.has(setThis) &&
		s.any(setSkinThing, setMildSymptom, setBruise, setCondition):
		return true // "is this mole dangerous?"
	case s.has(setDoIHave) && s.has(setCondition) && !s.has(setGeneral) &&
		(question || startsWith(words, setDoIHave)):
		return true // "do I have rosacea?"
	case s.has(setMedicalWord) && s.has(setHealthState) && asks:
		return true // "I have diabetes, can I get filler?"
	case s.has(setOwnSkinCond) && asks:
		return true // "which cream should I put on my eczema?"
	case s.has(setSkinCond) && s.has(setHealthState) && s.has(setAdvice):
		return true // "I have eczema, may I have a peel?"
	case s.has(setInfected) && s.has(setDeictic) && !s.has(setGeneral):
		return true // "is this infected?"
	case s.has(setMedicine) && s.has(setMedVerb) && s.has(setAdvice):
		return true // "should I stop my blood thinners?"
	case s.has(setPregnant) && asks:
		return true // "can I do botox while pregnant?"
	case s.has(setNormal) && personal &&
		s.any(setMildSymptom, setBruise, setAfterTreatment):
		return true // "my lip is still swollen, is this normal?"
	case s.has(setWhatToDo) && s.any(setMildSymptom, setBruise) &&
		!s.has(setConditional):
		return true // "my lip is bruised, what should I do?"
	case s.has(setDiagnose) && (question || personal):
		return true // "can you diagnose my rash?"
	}
	return false
}
