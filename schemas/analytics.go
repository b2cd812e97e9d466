package schemas

import (
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/iglowly/assistant/config"
)

// Anonymous analytics are counters, not events: the sanitiser adds one to
// the counter of a question's day, category, topic, intent and language,
// and JetStream keeps the sums. No question is kept one by one, so
// nothing stored tells one visitor's question from another's, nor when
// within the day it was asked.
//
// A counter's subject is
// iglowly.<clinic>.analytics.<day>.<category>.<topic>.<intent>.<lang>,
// with the day as YYYY-MM-DD in the clinic's time zone, the day its
// daily chat budget counts too.

// AnalyticsWildcard is the subject of every clinic's counters.
const AnalyticsWildcard = "iglowly.*.analytics.>"

// AnalyticsDay is the layout of a counter's day.
const AnalyticsDay = "2006-01-02"

// The labels of a count whose own was empty or not a label: "und" for a
// language, "other" for the rest.
const (
	unknownLang  = "und"
	unknownLabel = "other"
)

// Count is one counter: how many questions of a clinic on one day had
// these labels.
type Count struct {
	// Day is the clinic's day, YYYY-MM-DD.
	Day string `json:"day"`
	// Category is the sanitiser's triage: none, emergency, diagnosis or
	// injection.
	Category string `json:"category"`
	// Topic is the coarse topic, such as botox or price.
	Topic string `json:"topic"`
	// Intent is question, booking, complaint, greeting or other.
	Intent string `json:"intent"`
	// Lang is the language of the answer, or und.
	Lang string `json:"lang"`
	// N is the number of questions.
	N int64 `json:"n"`
}

// HeaderIncr is the JetStream header that adds its value to a counter.
const HeaderIncr = "Nats-Incr"

// IncrMsg returns the message that adds n to the counter on subject: no
// body, only the increment.
func IncrMsg(subject string, n int64) *nats.Msg {
	m := nats.NewMsg(subject)
	m.Header.Set(HeaderIncr, strconv.FormatInt(n, 10))
	return m
}

// AnalyticsSubject returns the subject of the counter of a question of
// clinic at time at, on the day at's location has then (give it in the
// clinic's time zone), with the triage t in language lang. Labels that are
// not short lower-case tokens become "other" (lang: "und"), so nothing
// but the sanitiser's fixed vocabulary can reach a subject. It panics on
// an invalid clinic id, as ChatSubject does.
func AnalyticsSubject(clinic string, at time.Time, t Triage, lang string) string {
	c := Count{Day: at.Format(AnalyticsDay), Category: t.Category, Topic: t.Topic,
		Intent: t.Intent, Lang: lang}
	c.normalise()
	return "iglowly." + clinicToken(clinic) + ".analytics." + c.Day + "." + c.Category + "." +
		c.Topic + "." + c.Intent + "." + c.Lang
}

func (c *Count) normalise() {
	for _, l := range []*string{&c.Category, &c.Topic, &c.Intent} {
		if !config.LowerToken(*l, 1, 16) {
			*l = unknownLabel
		}
	}
	notLower := func(r rune) bool { return r < 'a' || r > 'z' }
	if len(c.Lang) != 2 || strings.IndexFunc(c.Lang, notLower) >= 0 {
		c.Lang = unknownLang
	}
}

// ParseCount reads the labels of a counter from its subject, and whether
// it is one: of clinic, with a valid day and labels.
func ParseCount(clinic, subject string) (Count, bool) {
	rest, ok := strings.CutPrefix(subject, "iglowly."+clinic+".analytics.")
	if !ok {
		return Count{}, false
	}
	f := strings.Split(rest, ".")
	if len(f) != 5 {
		return Count{}, false
	}
	c := Count{Day: f[0], Category: f[1], Topic: f[2], Intent: f[3], Lang: f[4]}
	if _, err := time.Parse(AnalyticsDay, c.Day); err != nil {
		return Count{}, false
	}
	n := c
	n.normalise()
	if n != c {
		return Count{}, false
	}
	return c, true
}
