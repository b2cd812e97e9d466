// Package triage classifies a visitor's message, already stripped of
// personal data, before it reaches a model: its language, whether it
// reports an emergency, asks for a diagnosis or tries a prompt injection,
// and a coarse topic and intent for anonymous analytics. It works from
// word lists in English, Dutch, French and German; Reply gives the fixed
// answer the sanitiser sends at once when a message must not reach the
// model.
//
// TODO(#3): the word lists catch common phrasings only; measure them on
// real (redacted, consented) traffic and extend them.
package triage

// Category is what the sanitiser must do with a message.
type Category string

// The categories. Their values are those of the triage field of
// schemas.MessageSanitised.
const (
	// None is an ordinary message, forwarded to the model.
	None Category = "none"
	// Emergency reports urgent symptoms: the visitor is sent to
	// emergency care at once.
	Emergency Category = "emergency"
	// Diagnosis asks for a diagnosis or personal medical advice.
	Diagnosis Category = "diagnosis"
	// Injection tries to change the assistant's instructions.
	Injection Category = "injection"
)

// Result is the triage of one message.
type Result struct {
	// Lang is the detected language, or "" (see DetectLanguage).
	Lang string
	// Category says whether the message may go to the model.
	Category Category
	// Topic is "botox", "filler", "peel", "laser", "skincare", "price",
	// "hours", "booking", "location" or "other".
	Topic string
	// Intent is "question", "booking", "complaint", "greeting" or
	// "other".
	Intent string
}

// Classify triages text. Emergency wins over the other categories, and
// Injection over Diagnosis.
func Classify(text string) Result {
	m := parse(text)
	s := terms.match(m)
	r := Result{
		Lang:     m.lang(),
		Category: None,
		Topic:    topic(&s),
		Intent:   intent(m, &s),
	}
	switch {
	case isEmergency(&s):
		r.Category = Emergency
	case s.has(setInjection):
		r.Category = Injection
	case isDiagnosis(&s, m.question):
		r.Category = Diagnosis
	}
	return r
}

// setInjection holds phrases that try to override the assistant's
// instructions or make it reveal them.
var setInjection = define(
	"ignore previous instructions", "ignore all previous",
	"ignore the previous", "ignore your instructions",
	"ignore all instructions", "ignore the above", "ignore everything above",
	"ignore your rules", "disregard previous", "disregard all",
	"disregard your", "forget your instructions", "forget all previous",
	"forget everything above", "forget your rules", "system prompt",
	"your prompt", "initial prompt", "reveal your instructions",
	"show your instructions", "print your instructions",
	"repeat your instructions", "what are your instructions",
	"you are now", "from now on you are", "from now on you will",
	"act as if", "act as an ai", "act as dan", "pretend to be",
	"pretend you are", "roleplay as", "jailbreak*", "developer mode",
	"dan mode", "do anything now", "override your", "your new instructions",
	"bypass your", "im start", "endoftext", "ignore ... instructions",
	"ignore ... rules", "disregard ... instructions", "forget ... instructions",
	"hidden instructions", "reveal ... prompt", "ignore your",
	"ignore ... guidelines",
	"negeer alle", "negeer je", "negeer de vorige", "negeer eerdere",
	"negeer vorige", "negeer bovenstaande", "negeer uw",
	"vergeet je instructies", "vergeet alle", "vergeet uw instructies",
	"vergeet je regels", "systeemprompt", "systeem prompt", "je bent nu",
	"u bent nu", "vanaf nu ben je", "doe alsof je", "doe alsof u",
	"speel de rol", "je nieuwe instructies", "toon je instructies",
	"geef je instructies", "vergeet alles", "negeer ... instructies",
	"vergeet ... instructies", "negeer ... regels",
	"ignore les instructions", "ignore toutes les instructions",
	"ignore tes instructions", "ignore vos instructions",
	"ignore les consignes", "ignorez les instructions", "ignorez toutes",
	"ignorez vos", "ignore ce qui precede", "oublie tes instructions",
	"oublie toutes", "oubliez vos instructions", "oubliez toutes",
	"oublie les instructions", "prompt systeme", "invite systeme",
	"instructions systeme", "tu es maintenant", "vous etes maintenant",
	"a partir de maintenant tu", "fais comme si", "faites comme si",
	"joue le role", "tes nouvelles instructions", "montre tes instructions",
	"revele tes instructions", "ignore ... consignes",
	"oublie ... consignes", "oublie ... instructions",
	"ignore* ... instructions",
	"ignoriere alle", "ignoriere deine", "ignoriere die vorherigen",
	"ignoriere vorherige", "ignoriere die anweisungen",
	"ignorieren sie alle", "ignorieren sie die", "ignorieren sie ihre",
	"vergiss deine anweisungen", "vergiss alle", "vergiss alles",
	"vergiss die anweisungen", "vergessen sie ihre anweisungen",
	"vergessen sie alle", "systemprompt", "du bist jetzt",
	"sie sind jetzt", "ab jetzt bist du", "tu so als", "tun sie so als",
	"spiel die rolle", "deine neuen anweisungen", "zeig deine anweisungen",
	"zeige deine anweisungen", "entwicklermodus",
	"ignorier* ... anweisungen", "vergiss ... anweisungen",
	"vergessen ... anweisungen",
)
