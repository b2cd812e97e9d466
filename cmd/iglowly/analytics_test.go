package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// TestAnalyticsCommand lists a clinic's counts from a real server,
// connected as the admin tools are, over TCP: every counter of the days
// asked for, ordered by day, category, topic, intent and language, or
// sums over the labels --by leaves out; bad flags are
// refused before anything is read.
func TestAnalyticsCommand(t *testing.T) {
	s, _ := provisionedServer(t)
	sanitiser, err := s.Connect(embedded.Sanitiser)
	if err != nil {
		t.Fatal(err)
	}
	defer sanitiser.Close()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	botox := schemas.Triage{Category: "none", Topic: "botox", Intent: "question"}
	peel := schemas.Triage{Category: "none", Topic: "peel", Intent: "booking"}
	for _, c := range []struct {
		clinic string
		at     time.Time
		t      schemas.Triage
		lang   string
	}{
		{"demo", now, botox, "nl"}, {"demo", now, botox, "nl"}, {"demo", now, botox, "fr"},
		{"demo", now, peel, "nl"}, {"demo", now.AddDate(0, 0, -1), botox, "nl"},
		{"demo", now.AddDate(0, 0, -7), botox, "nl"}, {"demo-2", now, botox, "nl"},
	} {
		m := schemas.IncrMsg(schemas.AnalyticsSubject(c.clinic, c.at, c.t, c.lang), 1)
		if err := sanitiser.PublishMsg(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := sanitiser.Flush(); err != nil {
		t.Fatal(err)
	}
	user, password := s.Credentials(embedded.Admin)
	t.Setenv("IGLOWLY_NATS_PASSWORD", password)
	t.Setenv("IGLOWLY_NATS_INSECURE", "true") // the embedded server has no TLS
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	conn := []string{"--clinic", "demo", "--nats", s.ClientURL(), "--nats-user", user}
	list := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := runAnalytics(context.Background(), append(args, conn...), now, &out,
			log); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--days", "2"}, lines(
			`{"category":"none","day":"2026-12-03","intent":"question","lang":"nl","n":1,`+
				`"topic":"botox"}`,
			`{"category":"none","day":"2026-12-04","intent":"question","lang":"fr","n":1,`+
				`"topic":"botox"}`,
			`{"category":"none","day":"2026-12-04","intent":"question","lang":"nl","n":2,`+
				`"topic":"botox"}`,
			`{"category":"none","day":"2026-12-04","intent":"booking","lang":"nl","n":1,`+
				`"topic":"peel"}`)},
		{[]string{"--by", "topic"}, `{"n":5,"topic":"botox"}
{"n":1,"topic":"peel"}
`},
		{[]string{"--by", "lang,day", "--days", "1"}, `{"day":"2026-12-04","lang":"fr","n":1}
{"day":"2026-12-04","lang":"nl","n":3}
`},
	}
	for _, c := range cases {
		// The sanitiser's counts reach the stream shortly after the flush.
		var got string
		for i := 0; i < 100 && got != c.want; i++ {
			got = list(c.args...)
			time.Sleep(10 * time.Millisecond)
		}
		if got != c.want {
			t.Errorf("%v:\n%s\nwant:\n%s", c.args, got, c.want)
		}
	}
	for _, bad := range [][]string{
		{"--nats", s.ClientURL(), "--nats-user", user},
		{"--clinic", "demo.>", "--nats", s.ClientURL(), "--nats-user", user},
		{"--days", "0", "--clinic", "demo", "--nats", s.ClientURL(), "--nats-user", user},
		{"--by", "topic,topic", "--clinic", "demo", "--nats", s.ClientURL(), "--nats-user", user},
		{"--by", "visitor", "--clinic", "demo", "--nats", s.ClientURL(), "--nats-user", user},
		{"--clinic", "demo", "--nats", s.ClientURL(), "--nats-user", user, "extra"},
	} {
		var out bytes.Buffer
		if err := runAnalytics(context.Background(), bad, now, &out, log); err == nil ||
			out.Len() > 0 {
			t.Errorf("%v accepted: %v %q", bad, err, out.String())
		}
	}
	if !strings.Contains(usage, "iglowly analytics") {
		t.Error("the usage does not name the analytics command")
	}
}

// lines joins JSON lines as the command writes them.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }
