package triage

// The term sets of a draft answer that diagnoses or prescribes: the
// assistant telling a visitor what they have, or what to take. The
// visitor's message was triaged before the model saw it; these catch a
// model that diagnoses all the same, led there by the conversation.
var (
	// setDraftYouHave says the visitor has something, or probably has.
	setDraftYouHave = define(
		"you ... have ... @condition", "you ve got ... @condition",
		"sounds like ... @condition", "looks like ... @condition",
		"you are suffering from", "you re suffering from",
		"this is ... @condition", "it is ... @condition",
		"je hebt ... @condition", "u heeft ... @condition",
		"u hebt ... @condition", "klinkt als ... @condition",
		"klinkt alsof ... @condition", "u lijdt aan", "je lijdt aan",
		"dit is ... @condition", "het is ... @condition",
		"vous avez ... @condition", "tu as ... @condition",
		"vous souffrez d", "vous souffrez de", "tu souffres d",
		"on dirait ... @condition", "il s agit ... @condition",
		"il s agit sans doute d ... @condition",
		"il s agit probablement d ... @condition",
		"c est ... @condition", "ce sont ... @condition",
		"sie haben ... @condition", "du hast ... @condition",
		"sie leiden an", "sie leiden unter", "du leidest an",
		"das ist ... @condition", "es ist ... @condition",
		"klingt nach ... @condition",
	)
	// setDraftDiagnosis names the act itself: "my diagnosis is".
	setDraftDiagnosis = define(
		"my diagnosis", "i diagnose", "i would diagnose", "mijn diagnose",
		"ik stel vast dat je", "mon diagnostic", "je diagnostique",
		"meine diagnose", "ich diagnostiziere",
	)
	// setDraftDose prescribes an amount of a medicine.
	setDraftDose = define(
		"take ... mg", "take ... tablets", "take ... pills",
		"neem ... mg", "neem ... tabletten", "neem ... pillen",
		"prenez ... mg", "prends ... mg", "prenez ... comprimes",
		"nehmen sie ... mg", "nimm ... mg", "nehmen sie ... tabletten",
	)
	// setDraftHedge turns a sentence into a general statement or a
	// condition: "if you have an infection", "in rare cases".
	setDraftHedge = define(
		"if you have", "if you ve got", "in case of", "in rare cases",
		"als je", "als u", "indien u", "in zeldzame gevallen",
		"si vous avez", "si tu as", "en cas d", "en cas de",
		"dans de rares cas", "wenn sie", "falls sie", "wenn du",
		"in seltenen fällen", "bei einer", "bei einem",
	)
)

// IsDiagnosisDraft reports whether a draft answer tells the visitor what
// they have, names its own diagnosis, or prescribes a dose, outside a
// condition or a general statement: "It sounds like you have an
// infection" is one, "If you have an infection, call your doctor" is
// not. The response worker replaces such a draft with the fixed answer
// for requests for a diagnosis.
func IsDiagnosisDraft(text string) bool {
	m := parse(text)
	s := terms.match(m)
	if s.any(setDraftDiagnosis, setDraftDose) {
		return true
	}
	return s.has(setDraftYouHave) && !s.has(setDraftHedge)
}
