package embedded_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// TestCounts has the sanitiser's user count questions as the sanitiser
// does, and reads them back as the admin tools do: sums per counter, per
// clinic and within the days asked for, with only each counter's last
// sum kept on disk for the stream's retention.
func TestCounts(t *testing.T) {
	s, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin := connect(t, s, embedded.Admin)
	if err := embedded.Provision(ctx, admin, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	sanitiser := connect(t, s, embedded.Sanitiser)
	today := time.Date(2026, 12, 4, 23, 59, 0, 0, time.UTC)
	yesterday := today.AddDate(0, 0, -1)
	botox := schemas.Triage{Category: "none", Topic: "botox", Intent: "question"}
	urgent := schemas.Triage{Category: "emergency", Topic: "filler", Intent: "other"}
	counts := []struct {
		clinic string
		at     time.Time
		t      schemas.Triage
		lang   string
		times  int
	}{
		{"demo", today, botox, "nl", 3},
		{"demo", today, botox, "fr", 1},
		{"demo", today, urgent, "", 1},
		{"demo", yesterday, botox, "nl", 2},
		{"demo", today.AddDate(0, 0, -40), botox, "nl", 1},
		{"demo-2", today, botox, "nl", 5},
	}
	for _, c := range counts {
		for range c.times {
			m := schemas.IncrMsg(schemas.AnalyticsSubject(c.clinic, c.at, c.t, c.lang), 1)
			if err := sanitiser.PublishMsg(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Not a counter's increment: the stream refuses it.
	bad := nats.NewMsg(schemas.AnalyticsSubject("demo", today, botox, "nl"))
	bad.Data = []byte(`{"val":"1000"}`)
	_ = sanitiser.PublishMsg(bad)
	if err := sanitiser.Flush(); err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(admin)
	if err != nil {
		t.Fatal(err)
	}
	stream := waitForMsgs(ctx, t, js, 6)

	got, err := embedded.ReadCounts(ctx, js, "demo", yesterday, today)
	if err != nil {
		t.Fatal(err)
	}
	want := []schemas.Count{
		{Day: "2026-12-03", Category: "none", Topic: "botox", Intent: "question", Lang: "nl", N: 2},
		{Day: "2026-12-04", Category: "emergency", Topic: "filler", Intent: "other", Lang: "und",
			N: 1},
		{Day: "2026-12-04", Category: "none", Topic: "botox", Intent: "question", Lang: "fr", N: 1},
		{Day: "2026-12-04", Category: "none", Topic: "botox", Intent: "question", Lang: "nl", N: 3},
	}
	if len(got) != len(want) {
		t.Fatalf("counts %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("count %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	cfg := stream.CachedInfo().Config
	if !cfg.AllowMsgCounter || cfg.Storage != jetstream.FileStorage || cfg.MaxMsgsPerSubject != 1 ||
		cfg.MaxAge != embedded.DefaultAnalyticsRetention {
		t.Errorf("stream config %+v", cfg)
	}
	if _, err := embedded.ReadCounts(ctx, js, "Demo.>", yesterday, today); !errors.Is(err,
		embedded.ErrBadClinic) {
		t.Errorf("a bad clinic id: %v, want ErrBadClinic", err)
	}
}

// waitForMsgs waits until the analytics stream holds n messages, one per
// counter.
func waitForMsgs(ctx context.Context, t *testing.T, js jetstream.JetStream, n uint64) jetstream.Stream {
	t.Helper()
	for {
		stream, err := js.Stream(ctx, embedded.StreamAnalytics)
		if err != nil {
			t.Fatal(err)
		}
		if got := stream.CachedInfo().State.Msgs; got == n {
			return stream
		} else if ctx.Err() != nil {
			t.Fatalf("the analytics stream holds %d messages, want %d", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func connect(t *testing.T, s *embedded.Server, user string) *nats.Conn {
	t.Helper()
	nc, err := s.Connect(user)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}
