package config

import (
	"embed"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	// Clinics' local times must be right in a container without a time
	// zone database too.
	_ "time/tzdata"

	jsonv2 "github.com/go-json-experiment/json"
)

// Languages lists the visitor languages the assistant supports, in order
// of preference when nothing else decides.
var Languages = []string{"en", "nl", "fr", "de"}

// SupportedLanguage reports whether lang is one of Languages.
func SupportedLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Text is a short piece of public clinic text in several languages, keyed
// by language code ("en", "nl", "fr", "de").
type Text map[string]string

// In returns the text in lang, falling back to English and then to any
// language present.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t["en"]; ok && s != "" {
		return s
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// Clinic holds a clinic's public facts and settings. It never holds chat
// content; it is stored encrypted in the JetStream KV bucket "clinics".
type Clinic struct {
	// ID is the clinic's subject token: [a-z0-9-]{3,40}.
	ID string `json:"id"`
	// Name is the clinic's display name.
	Name string `json:"name"`
	// Languages the clinic answers in; the first is its default.
	Languages []string `json:"languages"`
	// Greeting is the widget's first line, per language.
	Greeting Text `json:"greeting"`
	// AllowedOrigins are the web origins (scheme://host[:port]) whose pages
	// may open sessions for this clinic.
	AllowedOrigins []string `json:"allowed_origins"`
	// Contact is how visitors reach the clinic.
	Contact Contact `json:"contact"`
	// Hours are the opening hours, one entry per open day.
	Hours []OpeningHours `json:"hours"`
	// HoursNote is an optional remark on the hours, such as holidays.
	HoursNote Text `json:"hours_note,omitempty"`
	// TimeZone is the IANA zone the hours are in, such as
	// "Europe/Amsterdam"; "" is DefaultTimeZone.
	TimeZone string `json:"time_zone,omitempty"`
	// Treatments the clinic offers.
	Treatments []Treatment `json:"treatments"`
	// FAQ holds other facts visitors ask about (parking, payment, ...).
	FAQ []FAQ `json:"faq,omitempty"`
	// Model names the model that answers for this clinic: "" or "local"
	// is the built-in offline model; "openai:<model>" and
	// "anthropic:<model>" are hosted models, reached with the inference
	// worker's key of that provider (see ParseModel).
	Model string `json:"model,omitempty"`
	// DailyChatBudget is how many chat messages the clinic's assistant
	// answers per day, counted from midnight in TimeZone across every
	// edge; 0 takes the edge's default (DefaultDailyChats unless the
	// edge is configured otherwise), at most MaxDailyChats.
	DailyChatBudget int `json:"daily_chat_budget,omitempty"`
	// Paused is the clinic's kill switch: while it is true every edge
	// refuses the clinic's sessions and chats with 503 clinic_paused,
	// and nothing of the clinic reaches NATS.
	Paused bool `json:"paused,omitempty"`
}

// Contact holds a clinic's public contact details.
type Contact struct {
	// Phone is the number visitors may call, as the clinic writes it.
	Phone string `json:"phone"`
	// Email is the address visitors may write to.
	Email string `json:"email"`
	// BookingURL is where visitors book an appointment.
	BookingURL string `json:"booking_url"`
	// Website is the clinic's own site; optional.
	Website string `json:"website,omitempty"`
	// Address is where the clinic is.
	Address Address `json:"address"`
}

// Address is a clinic's public street address.
type Address struct {
	// Street is the street and number, as written locally.
	Street string `json:"street"`
	// Postcode is the postal code.
	Postcode string `json:"postcode"`
	// City is the town or city.
	City string `json:"city"`
	// Country is the country's name, as written locally.
	Country string `json:"country"`
}

// OpeningHours is one day's opening time, as 24-hour "HH:MM" strings.
type OpeningHours struct {
	// Day is "mon", "tue", "wed", "thu", "fri", "sat" or "sun".
	Day string `json:"day"`
	// Open is when the clinic opens that day.
	Open string `json:"open"`
	// Close is when it closes, later than Open.
	Close string `json:"close"`
}

// Treatment is one treatment a clinic offers, with its public price.
type Treatment struct {
	// ID is a short stable key such as "botox".
	ID string `json:"id"`
	// Name is the treatment's name per language.
	Name Text `json:"name"`
	// Keywords are extra words, in any language, that refer to it.
	Keywords []string `json:"keywords,omitempty"`
	// Description says what it is, per language.
	Description Text `json:"description"`
	// PriceFrom and PriceTo are in whole euros; PriceTo is 0 for a single
	// price.
	PriceFrom int `json:"price_from"`
	PriceTo   int `json:"price_to,omitempty"`
	// PriceUnit says what the price covers ("per area"), per language.
	PriceUnit Text `json:"price_unit,omitempty"`
	// DurationMinutes is the length of one session.
	DurationMinutes int `json:"duration_minutes,omitempty"`
	// Recovery says what to expect afterwards, per language.
	Recovery Text `json:"recovery,omitempty"`
}

// FAQ is a public question and answer about the clinic.
type FAQ struct {
	// ID is a short stable key such as "parking".
	ID string `json:"id"`
	// Keywords are the words, in any language, that ask this question.
	Keywords []string `json:"keywords"`
	// Answer is the clinic's answer, per language.
	Answer Text `json:"answer"`
}

var (
	hhmmPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	days        = map[string]bool{"mon": true, "tue": true, "wed": true,
		"thu": true, "fri": true, "sat": true, "sun": true}
)

// ValidClinicID reports whether id is a valid clinic id: [a-z0-9-]{3,40}.
func ValidClinicID(id string) bool { return LowerToken(id, 3, 40) }

// LowerToken reports whether s is min to max lower-case ASCII letters,
// digits or '-': always a single subject token. Every event is checked
// with it, so it is a loop rather than a regexp.
func LowerToken(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// SystemClinic is the reserved pseudo-clinic of events that belong to
// no clinic: failed NATS logins, and permission violations on subjects
// that name none. Its events land on iglowly.system.security.<kind> in
// the same stream as every clinic's. It is a valid subject token, so
// ValidClinicID accepts it, but no clinic may take it (see Validate).
const SystemClinic = "system"

// DefaultTimeZone is the zone of a clinic that names none: most clinics
// are in Belgium.
const DefaultTimeZone = "Europe/Brussels"

// zones caches loaded time zones by name.
var zones sync.Map // string -> *time.Location

// loadZone loads an IANA zone by name. Fixed names such as "UTC" and
// "Local" are refused: a clinic's hours are in the law of a place.
func loadZone(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	if !strings.Contains(name, "/") {
		return nil, errors.New("not an IANA zone of a place, such as Europe/Brussels")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errors.New("unknown time zone")
	}
	zones.Store(name, loc)
	return loc, nil
}

// Location returns the time zone the clinic's hours are in. A zone that
// did not validate falls back to DefaultTimeZone.
func (c *Clinic) Location() *time.Location {
	name := c.TimeZone
	if name == "" {
		name = DefaultTimeZone
	}
	if loc, err := loadZone(name); err == nil {
		return loc
	}
	loc, _ := loadZone(DefaultTimeZone)
	return loc
}

// Validate checks the clinic and names every problem it finds.
func (c *Clinic) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf(format, a...))
	}
	if !ValidClinicID(c.ID) {
		bad("id %q is not [a-z0-9-]{3,40}", c.ID)
	}
	if c.ID == SystemClinic {
		bad("id %q is reserved for events of no clinic", c.ID)
	}
	if strings.TrimSpace(c.Name) == "" {
		bad("name is empty")
	}
	if len(c.Languages) == 0 {
		bad("languages is empty")
	}
	for _, l := range c.Languages {
		if !SupportedLanguage(l) {
			bad("language %q is not one of %v", l, Languages)
		}
	}
	for _, o := range c.AllowedOrigins {
		if err := validOrigin(o); err != nil {
			bad("allowed origin %q: %v", o, err)
		}
	}
	if c.TimeZone != "" {
		if _, err := loadZone(c.TimeZone); err != nil {
			bad("time zone %q: %v", c.TimeZone, err)
		}
	}
	for _, h := range c.Hours {
		if !days[h.Day] || !hhmmPattern.MatchString(h.Open) ||
			!hhmmPattern.MatchString(h.Close) || h.Open >= h.Close {
			bad("opening hours %+v are not a day with HH:MM open < close", h)
		}
	}
	if len(c.Languages) > 0 && c.Greeting.In(c.Languages[0]) == "" {
		bad("greeting is empty")
	}
	if err := validEmail(c.Contact.Email); err != nil {
		bad("contact email: %v", err)
	}
	for name, link := range map[string]string{"booking_url": c.Contact.BookingURL,
		"website": c.Contact.Website} {
		if err := validLink(link); err != nil {
			bad("contact %s: %v", name, err)
		}
	}
	for _, t := range c.texts() {
		for lang := range t.text {
			if !SupportedLanguage(lang) {
				bad("%s has text in %q, which is not one of %v", t.field, lang, Languages)
			}
		}
	}
	seen := map[string]bool{}
	for _, t := range c.Treatments {
		if t.ID == "" || seen[t.ID] {
			bad("treatment id %q is empty or repeated", t.ID)
		}
		seen[t.ID] = true
		if t.Name.In("en") == "" {
			bad("treatment %q has no name", t.ID)
		}
		if t.PriceFrom < 0 || (t.PriceTo != 0 && t.PriceTo < t.PriceFrom) {
			bad("treatment %q has an invalid price range", t.ID)
		}
		if t.DurationMinutes < 0 {
			bad("treatment %q has a negative duration", t.ID)
		}
	}
	if _, err := ParseModel(c.Model); err != nil {
		bad("%v", err)
	}
	if c.DailyChatBudget < 0 || c.DailyChatBudget > MaxDailyChats {
		bad("daily_chat_budget %d: want 0 (the default) to %d",
			c.DailyChatBudget, MaxDailyChats)
	}
	faqs := map[string]bool{}
	for _, f := range c.FAQ {
		if f.ID == "" || faqs[f.ID] {
			bad("faq id %q is empty or repeated", f.ID)
		}
		faqs[f.ID] = true
		if len(f.Keywords) == 0 || f.Answer.In("en") == "" {
			bad("faq %q needs keywords and an answer", f.ID)
		}
	}
	return errors.Join(errs...)
}

type namedText struct {
	field string
	text  Text
}

// texts lists every translated text of the clinic, named for errors.
func (c *Clinic) texts() []namedText {
	out := []namedText{{"greeting", c.Greeting}, {"hours_note", c.HoursNote}}
	for _, t := range c.Treatments {
		out = append(out, namedText{"treatment " + t.ID, t.Name},
			namedText{"treatment " + t.ID, t.Description},
			namedText{"treatment " + t.ID, t.PriceUnit},
			namedText{"treatment " + t.ID, t.Recovery})
	}
	for _, f := range c.FAQ {
		out = append(out, namedText{"faq " + f.ID, f.Answer})
	}
	return out
}

// validEmail accepts "" or one plain address: a local part, '@', and a
// domain with a dot, without spaces or display names.
func validEmail(e string) error {
	if e == "" {
		return nil
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") ||
		strings.ContainsAny(e, " <>\"\t\r\n,;") || strings.Contains(domain, "@") {
		return errors.New("must be one plain address such as info@clinic.example")
	}
	return nil
}

// validLink accepts "" or an absolute http(s) URL, since visitors are
// sent there.
func validLink(l string) error {
	if l == "" {
		return nil
	}
	u, err := url.Parse(l)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || strings.ContainsAny(l, " \t\r\n") {
		return errors.New("must be an http or https URL")
	}
	return nil
}

// Language picks the language to answer in: want if the clinic speaks it,
// otherwise the clinic's default.
func (c *Clinic) Language(want string) string {
	for _, l := range c.Languages {
		if l == want {
			return l
		}
	}
	if len(c.Languages) > 0 {
		return c.Languages[0]
	}
	return "en"
}

// ChatBudget returns the clinic's daily chat budget: its own, or def if
// it sets none.
func (c *Clinic) ChatBudget(def int) int {
	if c.DailyChatBudget > 0 {
		return c.DailyChatBudget
	}
	return def
}

// AllowsOrigin reports whether a page at origin may use this clinic.
func (c *Clinic) AllowsOrigin(origin string) bool {
	for _, o := range c.AllowedOrigins {
		if o == origin {
			return true
		}
	}
	return false
}

func validOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil {
		return err
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return errors.New("scheme must be http or https")
	}
	if u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return errors.New("must be scheme://host[:port] only")
	}
	return nil
}

//go:embed demo/*.json
var demoFS embed.FS

// DemoClinics returns the demo clinics served by "iglowly dev": "demo",
// which also allows origin1, and "demo-2", which also allows origin2. Two
// different origins for one dev server (such as http://127.0.0.1:8080 and
// http://localhost:8080) let a developer see that clinics are isolated.
func DemoClinics(origin1, origin2 string) ([]*Clinic, error) {
	var out []*Clinic
	for _, name := range []string{"demo/demo.json", "demo/demo-2.json"} {
		raw, err := demoFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		c, err := ParseClinic(raw)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", name, err)
		}
		extra := origin1
		if c.ID != "demo" {
			extra = origin2
		}
		if extra != "" {
			c.AllowedOrigins = append(c.AllowedOrigins, extra)
		}
		out = append(out, c)
	}
	return out, nil
}

// ParseClinic decodes and validates one clinic's JSON, refusing unknown
// fields.
func ParseClinic(raw []byte) (*Clinic, error) {
	var c Clinic
	// Strict: unknown fields, names in other case, a field given twice
	// and trailing data are errors, not silently ignored.
	if err := jsonv2.Unmarshal(raw, &c, jsonv2.RejectUnknownMembers(true)); err != nil {
		return nil, fmt.Errorf("decoding clinic: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Model providers a clinic's model may name. ModelLocal is the built-in
// offline model; the others are hosted, each reached with the API key the
// inference worker has for it under the same name.
const (
	ModelLocal        = "local"
	ProviderOpenAI    = "openai"
	ProviderAnthropic = "anthropic"
)

// maxModelName is the longest model name a provider's model may have.
const maxModelName = 128

// modelNamePattern is a provider's model name: "gpt-4o-mini",
// "claude-3-5-haiku-20241022", "meta-llama/Llama-3.1-8B-Instruct" behind
// an OpenAI-compatible endpoint, "ft:gpt-4o-mini:org::id".
var modelNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/@-]*$`)

// ModelRef is a clinic's model setting, parsed.
type ModelRef struct {
	// Provider is ModelLocal, ProviderOpenAI or ProviderAnthropic.
	Provider string
	// Name is the provider's model name; "" for the local model.
	Name string
}

// Hosted reports whether the model is one a provider serves.
func (r ModelRef) Hosted() bool { return r.Provider != ModelLocal }

// ParseModel parses a clinic's model setting: "" or "local", or
// "<provider>:<model>" with provider "openai" (any OpenAI-compatible
// endpoint) or "anthropic" and a model name of up to 128 of
// [A-Za-z0-9._:/@-]. Anything else is refused, with an error that says
// what is accepted.
func ParseModel(s string) (ModelRef, error) {
	if s == "" || s == ModelLocal {
		return ModelRef{Provider: ModelLocal}, nil
	}
	const want = `want "local", "openai:<model>" or "anthropic:<model>"`
	if len(s) > len(ProviderAnthropic)+1+maxModelName {
		return ModelRef{}, fmt.Errorf("model: %d bytes long: %s", len(s), want)
	}
	provider, name, ok := strings.Cut(s, ":")
	switch {
	case !ok || provider != ProviderOpenAI && provider != ProviderAnthropic:
		return ModelRef{}, fmt.Errorf("model %q: unknown provider: %s", s, want)
	case name == "":
		return ModelRef{}, fmt.Errorf("model %q: no model name after %q: %s",
			s, provider+":", want)
	case len(name) > maxModelName || !modelNamePattern.MatchString(name):
		return ModelRef{}, fmt.Errorf("model %q: the model name must be 1 to %d "+
			"of [A-Za-z0-9._:/@-], starting with a letter or digit", s, maxModelName)
	}
	return ModelRef{Provider: provider, Name: name}, nil
}
