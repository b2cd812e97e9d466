package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// StreamAnalytics is the JetStream stream of every clinic's anonymous
// counts, one counter per subject of schemas.AnalyticsSubject. It holds
// numbers and the sanitiser's fixed labels, never chat content.
const StreamAnalytics = "ANALYTICS"

// Defaults of the analytics stream.
const (
	// DefaultAnalyticsRetention is how long a day's counters are kept
	// after their last question: 13 months, so that a year can be set
	// against the one before.
	DefaultAnalyticsRetention = 396 * 24 * time.Hour
	// DefaultAnalyticsBytes caps the stream's size.
	DefaultAnalyticsBytes = 64 << 20
)

// ProvisionAnalytics creates or updates the analytics stream: counters
// (each message adds to its subject's sum), on disk, so encrypted at
// rest wherever the server encrypts JetStream, and only each counter's
// last sum kept; DefaultAnalyticsRetention after a counter's last change
// and DefaultAnalyticsBytes by default.
func ProvisionAnalytics(ctx context.Context, js jetstream.JetStream, lim StreamLimits) error {
	lim = lim.orDefaults(DefaultAnalyticsRetention, DefaultAnalyticsBytes)
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:              StreamAnalytics,
		Description:       "anonymous counts per clinic and day: triage, topic, intent, language",
		Subjects:          []string{schemas.AnalyticsWildcard},
		Storage:           jetstream.FileStorage,
		Retention:         jetstream.LimitsPolicy,
		Discard:           jetstream.DiscardOld,
		MaxAge:            lim.Retention,
		MaxBytes:          lim.MaxBytes,
		MaxMsgsPerSubject: 1,
		MaxMsgSize:        1 << 10,
		Replicas:          lim.Replicas,
		AllowMsgCounter:   true,
		AllowDirect:       true,
	})
	if err != nil {
		return fmt.Errorf("creating analytics stream: %w", err)
	}
	return nil
}

// ReadCounts returns the counters of clinic for the days from since to
// until, both included, each the day its time's location has then (give
// them in the clinic's time zone), ordered by day and labels. A counter
// that fails to decode is skipped.
func ReadCounts(ctx context.Context, js jetstream.JetStream, clinic string,
	since, until time.Time) ([]schemas.Count, error) {
	if !config.ValidClinicID(clinic) {
		return nil, ErrBadClinic
	}
	from, to := since.Format(schemas.AnalyticsDay), until.Format(schemas.AnalyticsDay)
	cons, err := js.OrderedConsumer(ctx, StreamAnalytics, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"iglowly." + clinic + ".analytics.>"},
		DeliverPolicy:  jetstream.DeliverLastPerSubjectPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("reading analytics stream: %w", err)
	}
	var out []schemas.Count
	for {
		batch, err := cons.FetchNoWait(256)
		if err != nil {
			return nil, fmt.Errorf("reading analytics stream: %w", err)
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			c, ok := counter(clinic, msg)
			if ok && c.Day >= from && c.Day <= to {
				out = append(out, c)
			}
		}
		if n == 0 {
			if err := batch.Error(); err != nil {
				return nil, fmt.Errorf("reading analytics stream: %w", err)
			}
			break
		}
	}
	slices.SortFunc(out, func(a, b schemas.Count) int {
		return strings.Compare(countKey(a), countKey(b))
	})
	return out, nil
}

func countKey(c schemas.Count) string {
	return strings.Join([]string{c.Day, c.Category, c.Topic, c.Intent, c.Lang}, ".")
}

// counter decodes one counter: its labels from the subject, its sum from
// the body JetStream writes, {"val":"<decimal>"}.
func counter(clinic string, msg jetstream.Msg) (schemas.Count, bool) {
	c, ok := schemas.ParseCount(clinic, msg.Subject())
	if !ok {
		return c, false
	}
	var body struct {
		Val string `json:"val"`
	}
	if json.Unmarshal(msg.Data(), &body) != nil {
		return c, false
	}
	n, err := strconv.ParseInt(body.Val, 10, 64)
	if err != nil || n < 0 {
		return c, false
	}
	c.N = n
	return c, true
}
