// Package notices holds the fixed notices shown with answers, in every
// language the assistant speaks.
package notices

import "github.com/iglowly/assistant/config"

// Kinds of notice.
const (
	// KindAI says that an AI answered with general information only.
	KindAI = "ai"
	// KindRedacted says that personal details were removed.
	KindRedacted = "redacted"
	// KindEmergency says that urgent symptoms need emergency care.
	KindEmergency = "emergency"
)

var texts = map[string]config.Text{
	KindAI: {
		"en": "Automated assistant: general information, not medical advice.",
		"nl": "Automatische assistent: algemene informatie, geen medisch advies.",
		"fr": "Assistant automatisé : informations générales, pas un avis médical.",
		"de": "Automatischer Assistent: allgemeine Informationen, keine ärztliche Beratung.",
	},
	KindRedacted: {
		"en": "Personal details were removed from your message before processing.",
		"nl": "Persoonlijke gegevens zijn vóór verwerking uit uw bericht verwijderd.",
		"fr": "Les données personnelles ont été retirées de votre message avant traitement.",
		"de": "Persönliche Daten wurden vor der Verarbeitung aus Ihrer Nachricht entfernt.",
	},
	KindEmergency: {
		"en": "In an emergency, call 112.",
		"nl": "Bel bij een noodgeval 112.",
		"fr": "En cas d'urgence, appelez le 112.",
		"de": "Im Notfall rufen Sie 112 an.",
	},
}

// Text returns the notice of kind in lang, falling back to English.
func Text(kind, lang string) string {
	return texts[kind].In(lang)
}

// For returns the notices of an answer in lang: always the AI notice, the
// redaction notice when personal data was removed, and the emergency
// notice for an emergency.
func For(lang string, redacted, emergency bool) []string {
	out := []string{Text(KindAI, lang)}
	if redacted {
		out = append(out, Text(KindRedacted, lang))
	}
	if emergency {
		out = append(out, Text(KindEmergency, lang))
	}
	return out
}
