package schemas

import (
	"testing"
	"time"
)

// TestAnalyticsSubject checks that a counter's subject holds the day of
// the clinic's time zone and only short lower-case labels: anything else
// the triage or a forged event could put there becomes "other" or "und",
// so no text and no extra subject token reaches the stream.
func TestAnalyticsSubject(t *testing.T) {
	brussels := time.FixedZone("CET", 3600)
	at := time.Date(2026, 12, 5, 0, 30, 0, 0, brussels) // still 4 December in UTC
	cases := []struct {
		t    Triage
		lang string
		want string
	}{
		{Triage{Category: "none", Topic: "botox", Intent: "question"}, "nl",
			"iglowly.demo.analytics.2026-12-05.none.botox.question.nl"},
		{Triage{Category: "emergency"}, "",
			"iglowly.demo.analytics.2026-12-05.emergency.other.other.und"},
		{Triage{Category: "none", Topic: "botox.>", Intent: "a b"}, "NL",
			"iglowly.demo.analytics.2026-12-05.none.other.other.und"},
		{Triage{Category: "none", Topic: "jan@example.be", Intent: "*"}, "nld",
			"iglowly.demo.analytics.2026-12-05.none.other.other.und"},
		{Triage{Category: "none", Topic: "averyveryverylongtopic"}, "n1",
			"iglowly.demo.analytics.2026-12-05.none.other.other.und"},
	}
	for _, c := range cases {
		got := AnalyticsSubject("demo", at, c.t, c.lang)
		if got != c.want {
			t.Errorf("%+v %q: %s, want %s", c.t, c.lang, got, c.want)
		}
		count, ok := ParseCount("demo", got)
		if !ok || AnalyticsSubject("demo", at, Triage{Category: count.Category, Topic: count.Topic,
			Intent: count.Intent}, count.Lang) != got {
			t.Errorf("%s does not read back: %+v %v", got, count, ok)
		}
	}
	m := IncrMsg(AnalyticsSubject("demo", at, cases[0].t, "nl"), 1)
	if m.Subject != cases[0].want || m.Header.Get(HeaderIncr) != "1" || len(m.Data) != 0 {
		t.Errorf("count message %+v", m)
	}
	defer func() {
		if recover() == nil {
			t.Error("an invalid clinic id made a subject")
		}
	}()
	AnalyticsSubject("demo.*", at, cases[0].t, "nl")
}

// TestParseCountRefuses checks that a subject of another clinic, of the
// wrong shape or with labels a counter cannot have is not read as one.
func TestParseCountRefuses(t *testing.T) {
	for _, subject := range []string{
		"iglowly.demo-2.analytics.2026-12-05.none.botox.question.nl",
		"iglowly.demo.analytics.2026-12-05.none.botox.question",
		"iglowly.demo.analytics.2026-12-05.none.botox.question.nl.x",
		"iglowly.demo.analytics.2026-13-04.none.botox.question.nl",
		"iglowly.demo.analytics.2026-12-05.NONE.botox.question.nl",
		"iglowly.demo.analytics.2026-12-05.none.botox.question.dutch",
		"iglowly.demo.analytics.2026-12-05.none..question.nl",
		"iglowly.demo.security.2026-12-04.none.botox.question.nl",
	} {
		if c, ok := ParseCount("demo", subject); ok {
			t.Errorf("%s read as %+v", subject, c)
		}
	}
}

// FuzzParseCount reads counter subjects, which come from the stream: a
// subject read as a count is exactly the subject AnalyticsSubject writes
// for its labels, so nothing but the fixed vocabulary is ever listed.
func FuzzParseCount(f *testing.F) {
	f.Add("iglowly.demo.analytics.2026-12-05.none.botox.question.nl")
	f.Add("iglowly.demo.analytics.2026-02-30.none.botox.question.nl")
	f.Add("iglowly.demo.analytics.2026-12-05.a.b.c.de.f")
	f.Fuzz(func(t *testing.T, subject string) {
		c, ok := ParseCount("demo", subject)
		if !ok {
			return
		}
		day, err := time.Parse(AnalyticsDay, c.Day)
		if err != nil {
			t.Fatalf("day %q of %q", c.Day, subject)
		}
		again := AnalyticsSubject("demo", day, Triage{Category: c.Category, Topic: c.Topic,
			Intent: c.Intent}, c.Lang)
		if again != subject {
			t.Fatalf("%q read as %+v, written again as %q", subject, c, again)
		}
	})
}
