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

var insuranceRules = codeRules{seps: " ./-", maxBytes: 40, maxLetters: 4}

var insuranceCues = NewCues(
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
	// German
	"krankenkasse", "krankenversicherung", "versichertennummer",
	"krankenversichertennummer", "versicherungsnummer",
	"versichertenkarte", "krankenkassennummer", "mitgliedsnummer",
	"europaische krankenversicherungskarte", "krankenversicherungskarte",
	"gesundheitskarte", "kvnr",
	// insurers
	"solidaris", "partenamut", "helan", "cigna", "aok", "barmer")

func (insuranceDetector) Find(in *Input, dst []Span) []Span {
	in.codes(insuranceRules, func(c code) {
		if c.digits < 5 || c.letters == 0 && c.digits < 6 ||
			c.numberLike(in) ||
			!insuranceCues.Before(in.Text, c.start, insuranceCueWords) {
			return
		}
		dst = append(dst, Span{
			Start: c.start, End: c.end, Reason: ReasonContext,
			Key: c.key(in.Text),
		})
	})
	return dst
}
