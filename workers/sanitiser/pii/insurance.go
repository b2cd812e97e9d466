package pii

// insuranceDetector finds health insurance membership numbers by their
// context: a code of digits, possibly with letters, spaces, slashes,
// dots or dashes ("A123456789", "7730 2214 589", "123/456789-01"),
// within a few words after a cue such as "ziekenfonds", "mutuelle",
// "Versichertennummer", "EHIC" or "member ID". Membership numbers have
// no common shape or checksum, so the cue is required. Codes that are
// dates, phone numbers or amounts are left to the detectors of those,
// and digit-only codes need six digits, so that a German postcode after
// "Krankenkasse" stays.
//
// A number written before its cue is taken when only link words stand
// between (linkedCue) and the cue names the number ("A123456789 is mijn
// lidnummer", "04218733566 est mon numéro d'adhérent") or the link words
// hold one ("A123456789 is mijn nummer bij het ziekenfonds"): a number
// that "is van het ziekenfonds" may be an amount or a reference. A
// reference cue right before the number ("bestelling") refuses it.
//
// The cue must end within six words before the number: a membership
// number given further from its cue stays in clear, the cost of not
// taking the order, invoice and phone numbers that the same sentences
// hold ("Ziekenfonds? Ik denk het niet, maar ik heb wel bon 123456789").
type insuranceDetector struct{}

func init() { register(prioInsurance, insuranceDetector{}) }

func (insuranceDetector) Type() Type { return HealthInsurance }

// insuranceCueWords is how many words before a number a cue may end.
const insuranceCueWords = 6

var insuranceRules = codeRules{
	seps: " ./-", maxBytes: 40, maxLetters: 4, minLone: 6, spacedPrefix: true,
}

var insuranceCues = newCueSet(
	// English
	"health insurance", "health insurer", "insurance number",
	"insurance no", "insurance card", "insurance id", "member id",
	"member number", "membership number", "membership no", "ehic",
	"european health insurance card", "policy number", "health fund",
	"mutuality",
	// Dutch
	"ziekenfonds", "ziekenfondsnummer", "mutualiteit",
	"mutualiteitsnummer", "lidnummer", "lidnr", "aansluitingsnummer",
	"aansluitingsnr", "ziekteverzekering", "zorgverzekering",
	"zorgverzekeraar", "polisnummer", "verzekeringsnummer",
	"europese ziekteverzekeringskaart", "ziekteverzekeringskaart",
	"cebam", "zorgpas", "christelijke mutualiteit",
	// French
	"mutualite", "mutuelle", "numero de mutuelle",
	"numero d affiliation", "numero d adherent", "adherent",
	"affiliation", "carte europeenne d assurance maladie",
	"assurance maladie", "ceam", "numero d assure", "numero de membre",
	"n de membre", "no de membre", "n d adherent", "n d affiliation",
	"n de mutuelle", "n d assure",
	// German
	"krankenkasse", "krankenversicherung", "versichertennummer",
	"krankenversichertennummer", "versicherungsnummer",
	"versichertenkarte", "krankenkassennummer", "mitgliedsnummer",
	"europaische krankenversicherungskarte", "krankenversicherungskarte",
	"gesundheitskarte", "kvnr",
	// insurers
	"solidaris", "partenamut", "helan", "cigna", "aok", "barmer")

// insuranceNumberCues name the membership number itself, not the fund:
// right after them, a number with a leading 0 is taken for the
// membership number rather than a phone number ("numéro d'adhérent
// 04218733566"), while after "mutualiteit" it stays a phone number.
var insuranceNumberCues = newCueSet(
	"insurance number", "member id", "member number", "membership number",
	"policy number", "ehic", "lidnummer", "lidnr", "aansluitingsnummer",
	"ziekenfondsnummer", "mutualiteitsnummer", "polisnummer",
	"verzekeringsnummer", "numero d affiliation", "numero d adherent",
	"adherent", "numero de mutuelle", "numero d assure", "numero de membre",
	"n de membre", "no de membre", "n d adherent", "n d affiliation",
	"n de mutuelle", "n d assure", "versichertennummer", "krankenversichertennummer",
	"versicherungsnummer", "krankenkassennummer", "mitgliedsnummer", "kvnr")

// insuranceNumberCueWords is how many words before a number with a
// leading 0 a cue of insuranceNumberCues may end.
const insuranceNumberCueWords = 3

// insurancePhoneCues say that the number after them is a phone number.
var insurancePhoneCues = newCueSet("tel", "telefoon", "telefoonnummer", "phone",
	"call", "bel", "bellen", "gsm", "mobile", "mobiel", "handy", "portable",
	"telephone", "appelez", "rufen", "anrufen", "whatsapp", "sms", "text")

func (insuranceDetector) Find(in *Input, dst []Span) []Span {
	s := in.Text
	prev := 0 // end of the last number taken
	in.codes(insuranceRules, func(c code) {
		if !insuranceShape(s, c) {
			return
		}
		if !insuranceCued(s, prev, c) {
			return
		}
		dst = append(dst, Span{
			Start: c.start, End: c.end, Reason: ReasonContext, Key: c.key(s),
		})
		prev = c.end
	})
	return dst
}

// insuranceCued reports whether a cue before or after c, the number
// taken last ending at prev, makes c a membership number. A number that
// may be a phone number needs a cue that names the membership number.
func insuranceCued(s string, prev int, c code) bool {
	phone := c.phoneLike(s)
	// Every number cue is an insurance cue, nearer.
	if !phone || numberCueRightBefore(s, prev, c) {
		if listedAfter(s, prev, c.start, insuranceCueWords) ||
			cuesBefore(insuranceCues, s, c.start, insuranceCueWords) {
			return true
		}
	}
	found, numbered := linkedCue(insuranceCues, s, c.end)
	if !found || referenceBefore(s, c.start, c.start) {
		return false
	}
	if named, _ := linkedCue(insuranceNumberCues, s, c.end); named {
		return true
	}
	return numbered && !phone
}

// numberCueRightBefore reports whether a cue naming the membership
// number comes right before c, after the number taken last (which ends
// at prev), without a phone cue between: the cue is about c.
func numberCueRightBefore(s string, prev int, c code) bool {
	t, pos := s[prev:], c.start-prev
	return cuesBefore(insuranceNumberCues, t, pos, insuranceNumberCueWords) &&
		!cuesBefore(insurancePhoneCues, t, pos, insuranceNumberCueWords)
}

// insuranceShape reports whether c may be a membership number: five
// digits or more (six without letters), not after a '+', not a date or
// an amount.
func insuranceShape(s string, c code) bool {
	if c.digits < 5 || c.letters == 0 && c.digits < 6 || c.intlPhone(s) {
		return false
	}
	return c.letters > 0 || !c.dateLike(s) && !c.amountLike(s)
}
