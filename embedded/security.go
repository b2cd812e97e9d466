package embedded

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/schemas"
)

// StreamSecurity is the JetStream stream that keeps every clinic's
// security events. They hold no chat content.
const StreamSecurity = "SECURITY"

// Defaults of the security events stream.
const (
	// DefaultSecurityRetention is how long security events are kept.
	DefaultSecurityRetention = 90 * 24 * time.Hour
	// DefaultSecurityBytes caps the stream's size; the oldest events go
	// first.
	DefaultSecurityBytes = 256 << 20
)

// StreamLimits are the limits of a stream that keeps records: security
// events or anonymous counts. Zero fields take the stream's defaults.
type StreamLimits struct {
	// Retention is how long a record is kept after it was written.
	Retention time.Duration
	// MaxBytes caps the stream; the oldest records go first.
	MaxBytes int64
	// Replicas is how many servers keep the stream; default 1.
	Replicas int
}

// orDefaults returns l with its zero fields set to the defaults given,
// and to one replica.
func (l StreamLimits) orDefaults(retention time.Duration, maxBytes int64) StreamLimits {
	if l.Retention == 0 {
		l.Retention = retention
	}
	if l.MaxBytes == 0 {
		l.MaxBytes = maxBytes
	}
	if l.Replicas == 0 {
		l.Replicas = 1
	}
	return l
}

// ProvisionSecurity creates or updates the security events stream;
// DefaultSecurityRetention and DefaultSecurityBytes by default.
func ProvisionSecurity(ctx context.Context, js jetstream.JetStream, lim StreamLimits) error {
	lim = lim.orDefaults(DefaultSecurityRetention, DefaultSecurityBytes)
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamSecurity,
		Description: "content-free security events, per clinic",
		Subjects:    []string{schemas.SecurityWildcard},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      lim.Retention,
		MaxBytes:    lim.MaxBytes,
		MaxMsgSize:  4 << 10,
		Replicas:    lim.Replicas,
	})
	if err != nil {
		return fmt.Errorf("creating security stream: %w", err)
	}
	return nil
}

// StoredSecurityEvent is a security event as the stream keeps it.
type StoredSecurityEvent struct {
	// Time is when the stream stored it.
	Time time.Time `json:"time"`
	// Clinic is the clinic whose subject it came on.
	Clinic string `json:"clinic"`
	schemas.SecurityEvent
}

// ErrBadClinic is returned for a clinic id that is not [a-z0-9-]{3,40}.
var ErrBadClinic = errors.New("clinic id is not [a-z0-9-]{3,40}")

// ReadSecurityEvents returns up to limit security events of clinic stored
// since the given time, oldest first, skipping any that fail to decode.
// The clinic config.SystemClinic holds the events of no clinic.
func ReadSecurityEvents(ctx context.Context, js jetstream.JetStream, clinic string,
	since time.Time, limit int) ([]StoredSecurityEvent, error) {
	if !config.ValidClinicID(clinic) {
		return nil, ErrBadClinic
	}
	cons, err := js.OrderedConsumer(ctx, StreamSecurity, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"iglowly." + clinic + ".security.>"},
		DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
		OptStartTime:   &since,
	})
	if err != nil {
		return nil, fmt.Errorf("reading security stream: %w", err)
	}
	var out []StoredSecurityEvent
	for len(out) < limit {
		batch, err := cons.FetchNoWait(min(limit-len(out), 256))
		if err != nil {
			return out, fmt.Errorf("reading security stream: %w", err)
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			if ev, ok := storedEvent(msg, clinic); ok {
				out = append(out, ev)
			}
		}
		if n == 0 {
			return out, batch.Error()
		}
	}
	return out, nil
}

// storedEvent decodes a stored message as a valid security event of
// clinic, or reports false.
func storedEvent(msg jetstream.Msg, clinic string) (StoredSecurityEvent, bool) {
	ev := StoredSecurityEvent{Clinic: clinic}
	if meta, err := msg.Metadata(); err == nil {
		ev.Time = meta.Timestamp.UTC()
	}
	e, err := schemas.Decode(&nats.Msg{Subject: msg.Subject(), Header: msg.Headers(),
		Data: msg.Data()})
	if err != nil {
		return ev, false
	}
	if c, err := schemas.Clinic(&e); err != nil || c != clinic {
		return ev, false
	}
	err = schemas.DecodeData(&e, schemas.TypeSecurityEvent, &ev.SecurityEvent)
	return ev, err == nil
}
