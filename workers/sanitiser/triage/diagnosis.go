package triage

// The term sets of requests for a diagnosis or personal medical advice.
var (
	setAskWhat = define(
		"what is this", "what s this", "what is that", "what s that",
		"what could this be", "what could it be", "what can this be",
		"what is it",
		"what do i have", "what s wrong with", "what is wrong with",
		"wat is dit", "wat is dat", "wat kan dit zijn", "wat zou dit zijn",
		"wat heb ik", "wat scheelt er",
		"qu est ce que c est", "c est quoi", "qu est ce que j ai",
		"qu est ce que ca peut etre", "qu est ce que cela",
		"de quoi s agit il",
		"was ist das", "was ist dies", "was konnte das sein",
		"was kann das sein", "was habe ich", "was ist mit meiner",
		"was ist mit meinem",
	)
	setSkinThing = define(
		"spot", "spots", "mark", "mole", "rash", "bump", "lump", "pimple",
		"blister", "patch", "dot", "growth", "wart", "freckle", "lesion",
		"plek*", "vlek*", "moedervlek*", "uitslag", "bult*", "puist*",
		"blaar", "blaasje*", "wrat", "knobbel*",
		"tache*", "grain de beaute", "bouton*", "eruption", "plaque*",
		"rougeur*", "cloque*", "bosse", "verrue", "grosseur",
		"fleck*", "muttermal*", "ausschlag", "pickel", "beule", "knoten",
		"pustel*", "blase", "blaschen", "warze", "leberfleck*",
		"knubbel", "knotchen", "stelle",
	)
	setDoIHave = define(
		"do i have", "could i have", "have i got", "could this be",
		"can this be", "heb ik", "zou ik", "kan dit", "zou dit",
		"if i have", "whether i have", "of ik", "ai je",
		"est ce que j ai", "si j ai", "aurais je", "serait ce",
		"pourrait etre", "habe ich", "hab ich", "ob ich", "konnte das",
		"konnte ich",
	)
	setCondition = define(
		"cancer", "melanoma", "infection", "infected", "allergy",
		"allergic", "rosacea", "eczema", "psoriasis", "herpes", "fungal",
		"fungus", "shingles", "lupus", "acne", "cold sore", "diabet*",
		"epilep*", "keloid*", "autoimmun*", "auto immune", "chemo*",
		"thyroid*", "blood disorder", "heart condition", "migraine*",
		"myasthen*", "hemophil*", "immune disease",
		"auto immuun*", "autoimmuun*", "immuunziekte",
		"kanker", "melanoom", "huidkanker", "infectie", "ontsteking",
		"allergie", "allergisch", "eczeem", "schimmel*", "gordelroos",
		"koortslip", "schildklier*", "hartprobleem", "hartproblemen",
		"hemofil*",
		"melanome", "champignon", "mycose", "zona", "bouton de fievre",
		"cheloide*", "thyroide", "probleme cardiaque", "rosacee",
		"maladie auto immune",
		"krebs", "hautkrebs", "melanom", "infektion", "entzundung",
		"ekzem", "akne", "pilz*", "gurtelrose", "neurodermitis",
		"lippenherpes", "schilddruse*", "herzkrank*", "migrane",
		"rosazea",
		"hamophil*",
	)
	setInfected = define(
		"infected", "infection", "ontstoken", "ontsteking", "geinfecteerd",
		"infectie", "infecte", "infectee", "entzundet", "infiziert",
		"infektion", "entzundung",
	)
	// setGeneral marks questions about prevention and risk in general.
	setGeneral = define(
		"cause", "causes", "risk*", "prevent*", "avoid*", "chance",
		"common", "often", "frequent*",
		"voorkomen", "vermijden", "veroorzaken", "risico*", "kans",
		"vaak",
		"eviter", "prevenir", "provoquer", "risque*", "souvent",
		"vermeiden", "verhindern", "verursachen", "risiko*", "haufig",
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
		"is it ok", "is it okay", "is it dangerous",
		"moet ik", "mag ik", "kan ik", "zou ik", "is het veilig",
		"is het gevaarlijk", "is het ok",
		"dois je", "puis je", "est ce que je peux", "est ce que je dois",
		"je peux", "je dois", "faut il", "est ce dangereux",
		"sans danger",
		"soll ich", "darf ich", "kann ich", "muss ich", "ist es sicher",
		"ist es gefahrlich", "ist das gefahrlich",
	)
	setMedVerb = define(
		"stop", "stopping", "quit", "pause", "take", "taking", "continue",
		"skip", "combine", "mix", "i m on", "i am on", "stoppen",
		"innemen", "nemen", "neem", "slik", "doorgaan", "pauzeren",
		"combineren", "arreter", "prendre", "prends", "continuer",
		"suspendre", "combiner", "je suis sous", "absetzen", "nehmen",
		"nehme", "pausieren", "weiter", "aufhoren", "einnehmen",
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
		"medikament*", "tablette*", "antibiotik*", "blutverdunner*",
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
		"rode", "rote", "roten", "roter",
		"itch*", "pain*", "hurt*", "sore", "tender", "numb*", "asymmetr*",
		"droop*", "uneven", "burn*", "blister*", "rash", "spot*",
		"zwel*", "gezwollen", "opgezwollen", "blauwe plek*", "bult*",
		"knobbel*", "rood", "roodheid", "jeuk*", "pijn*", "verdoofd",
		"scheef", "hangend*", "hangt", "brand*", "blaar*",
		"gonfl*", "hematome*", "bosse*", "rougeur*", "demange*",
		"douleur*", "engourd*", "asymetr*", "tombant*", "brul*",
		"cloque*",
		"geschwollen", "schwellung*", "bluterguss", "blauer fleck",
		"rotung", "juck*", "schmerz*", "taub*", "schief", "hangt",
		"brenn*", "blase*",
	)
	setWhatToDo = define(
		"what should i do", "what do i do", "what can i do",
		"wat moet ik doen", "wat kan ik doen", "que dois je faire",
		"que faire", "qu est ce que je dois faire", "was soll ich tun",
		"was soll ich machen", "was kann ich tun",
	)
	// setSerious asks whether something the visitor has is serious.
	setSerious = define(
		"is it serious", "is this serious", "is that serious", "is it bad",
		"is this bad", "should i worry", "should i be worried",
		"is dit erg", "is dat erg", "is het erg", "is dit ernstig",
		"is het ernstig", "moet ik me zorgen maken", "c est grave",
		"est ce grave", "dois je m inquieter", "faut il s inquieter",
		"ist das schlimm", "ist es schlimm", "ist das gefahrlich",
		"muss ich mir sorgen machen",
	)
	setDiagnose = define(
		"diagnos*", "diagnostic*", "diagnostiq*", "diagnostiz*",
	)
)

// isDiagnosis reports whether the message asks for a diagnosis or for
// medical advice about the visitor's own situation.
func isDiagnosis(s *sets, question bool) bool {
	personal := s.has(setPersonal)
	switch {
	case s.has(setAskWhat) &&
		s.any(setSkinThing, setMildSymptom, setCondition):
		return true // "what is this spot on my cheek?"
	case s.has(setSerious) &&
		s.any(setSkinThing, setMildSymptom, setCondition):
		return true // "I have a brown spot on my cheek, is it serious?"
	case s.has(setDoIHave) && s.has(setCondition):
		return true // "do I have rosacea?"
	case s.has(setInfected) && s.has(setDeictic) && !s.has(setGeneral):
		return true // "is this infected?"
	case s.has(setMedicine) && s.has(setMedVerb) && s.has(setAdvice):
		return true // "should I stop my blood thinners?"
	case s.has(setPregnant) && (question || s.has(setAdvice)):
		return true // "can I do botox while pregnant?"
	case s.has(setCondition) && s.has(setAdvice) && s.has(setReported):
		return true // "I have diabetes, can I get filler?"
	case s.has(setNormal) && s.has(setMildSymptom) && personal:
		return true // "my lip is still swollen, is this normal?"
	case s.has(setWhatToDo) && s.has(setMildSymptom):
		return true // "my lip is bruised, what should I do?"
	case s.has(setDiagnose) && (question || personal):
		return true // "can you diagnose my rash?"
	}
	return false
}
