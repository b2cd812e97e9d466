// Package triage classifies a visitor's message, already stripped of
// personal data, before it reaches a model: its language, whether it
// reports an emergency, asks for a diagnosis or tries a prompt injection,
// and a coarse topic and intent for anonymous analytics. It works from
// word lists in English, Dutch, French and German; Reply gives the fixed
// answer the sanitiser sends at once when a message must not reach the
// model.
//
// How well the lists work is measured on an annotated evaluation set of
// visitor messages, testdata/eval, scored by TestEvaluation in
// eval_test.go; see testdata/eval/README.md for its figures and for how
// to extend it.
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
	case isEmergency(m, &s):
		r.Category = Emergency
	case isInjection(text, &s):
		r.Category = Injection
	case isDiagnosis(m, &s):
		r.Category = Diagnosis
	}
	return r
}

// IsInjection reports whether text tries to change or reveal the
// assistant's instructions, as Classify would find for a message that
// is no emergency. The sanitiser asks it of each turn of a history.
func IsInjection(text string) bool {
	m := parse(text)
	s := terms.match(m)
	return isInjection(text, &s)
}
