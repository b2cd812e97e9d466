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
// TODO(#3): a number written before its cue ("A123456789 is mijn
// lidnummer") or more than six words after it stays in clear.
type insuranceDetector struct{}

func init() { register(prioInsurance, insuranceDetector{}) }

func (insuranceDetector) Type() Type { return HealthInsurance }

// insuranceCueWords is how many words before a number a cue may end.
const insuranceCueWords = 6

var insuranceRules = codeRules{
	seps: " ./-", maxBytes: 40, maxLetters: 4, minLone: 6,
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
		// Every number cue is an insurance cue, nearer.
		if c.phoneLike(s) && !numberCueRightBefore(s, prev, c) ||
			!listedAfter(s, prev, c.start, insuranceCueWords) &&
				!cuesBefore(insuranceCues, s, c.start, insuranceCueWords) {
			return
		}
		dst = append(dst, Span{
			Start: c.start, End: c.end, Reason: ReasonContext, Key: c.key(s),
		})
		prev = c.end
	})
	return dst
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
