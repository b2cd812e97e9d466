package triage

// replies holds the fixed answers, by category and language.
var replies = map[Category]map[string]string{
	Emergency: {
		"en": "This sounds urgent. Please call 112 now or go to the " +
			"nearest emergency department. Then let the clinic that " +
			"treated you know what is happening. This chat cannot help " +
			"with urgent symptoms.",
		"nl": "Dit klinkt dringend. Bel nu 112 of ga naar de " +
			"dichtstbijzijnde spoedafdeling. Laat daarna de kliniek die " +
			"u behandeld heeft weten wat er gebeurt. Deze chat kan niet " +
			"helpen bij dringende klachten.",
		"fr": "Cela semble urgent. Appelez le 112 maintenant ou rendez-" +
			"vous aux urgences les plus proches. Prévenez ensuite la " +
			"clinique qui vous a traité de ce qui se passe. Ce chat ne " +
			"peut pas aider en cas de symptômes urgents.",
		"de": "Das klingt dringend. Rufen Sie jetzt die 112 an oder gehen " +
			"Sie in die nächste Notaufnahme. Informieren Sie danach die " +
			"Klinik, die Sie behandelt hat. Bei dringenden Beschwerden " +
			"kann dieser Chat nicht helfen.",
	},
	Diagnosis: {
		"en": "I'm sorry, I can't give a diagnosis or personal medical " +
			"advice here. A doctor can look at this properly during a " +
			"consultation. I'm glad to help you book one, or to answer " +
			"general questions about our treatments.",
		"nl": "Sorry, ik kan hier geen diagnose of persoonlijk medisch " +
			"advies geven. Een arts kan dit goed bekijken tijdens een " +
			"consultatie. Ik help u graag om er een te boeken, of om " +
			"algemene vragen over onze behandelingen te beantwoorden.",
		"fr": "Désolé, je ne peux pas poser de diagnostic ni donner " +
			"d'avis médical personnel ici. Un médecin pourra examiner " +
			"cela correctement lors d'une consultation. Je peux vous " +
			"aider à en réserver une, ou répondre à vos questions " +
			"générales sur nos traitements.",
		"de": "Es tut mir leid, hier kann ich keine Diagnose stellen und " +
			"keine persönliche medizinische Beratung geben. Eine Ärztin " +
			"oder ein Arzt kann sich das bei einem Beratungstermin genau " +
			"ansehen. Gern helfe ich Ihnen, einen Termin zu buchen, oder " +
			"beantworte allgemeine Fragen zu unseren Behandlungen.",
	},
	Injection: {
		"en": "I can only help with questions about the clinic and its " +
			"treatments.",
		"nl": "Ik kan alleen helpen met vragen over de kliniek en haar " +
			"behandelingen.",
		"fr": "Je peux seulement répondre aux questions sur la clinique " +
			"et ses traitements.",
		"de": "Ich kann nur bei Fragen zur Klinik und ihren Behandlungen " +
			"helfen.",
	},
}

// Reply returns the fixed answer the sanitiser sends at once for a
// message of category c, in lang ("en", "nl", "fr" or "de"; English for
// anything else). It returns "" for None, which goes to the model.
func Reply(c Category, lang string) string {
	byLang, ok := replies[c]
	if !ok {
		return ""
	}
	if s, ok := byLang[lang]; ok {
		return s
	}
	return byLang["en"]
}
