package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
)

// SessionLimits are the session bucket's limits.
type SessionLimits struct {
	// MaxAge is the hard lifetime of any session record; default 4 h.
	MaxAge time.Duration
	// MaxBytes caps the memory of the sessions bucket, and that of the
	// limits bucket; default 64 MiB each.
	MaxBytes int64
	// Replicas is how many servers of a cluster keep each bucket, so that
	// losing a node loses no clinic and no session: 1 (the default) for
	// a single server, 3 for a three-node cluster; at most 5.
	Replicas int
}

// MaxReplicas is the most copies JetStream keeps of a stream.
const MaxReplicas = 5

// Provision creates or updates the JetStream buckets, connected as a
// user allowed to manage streams (the admin user).
func Provision(ctx context.Context, nc *nats.Conn, lim SessionLimits) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("opening jetstream: %w", err)
	}
	if lim.MaxAge == 0 {
		lim.MaxAge = 4 * time.Hour
	}
	if lim.MaxBytes == 0 {
		lim.MaxBytes = 64 << 20
	}
	if lim.Replicas == 0 {
		lim.Replicas = 1
	}
	if lim.Replicas < 1 || lim.Replicas > MaxReplicas {
		return fmt.Errorf("replicas %d: want 1 to %d", lim.Replicas, MaxReplicas)
	}
	// Sessions hold metadata only, in memory, each key with its own idle
	// TTL and the bucket's MaxAge as the hard limit.
	_, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:         BucketSessions,
		Description:    "session metadata, no chat content",
		History:        1,
		TTL:            lim.MaxAge,
		MaxBytes:       lim.MaxBytes,
		MaxValueSize:   1024,
		Storage:        jetstream.MemoryStorage,
		LimitMarkerTTL: time.Second,
		Replicas:       lim.Replicas,
	})
	if err != nil {
		return fmt.Errorf("creating sessions bucket: %w", err)
	}
	_, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:       BucketClinics,
		Description:  "clinic configuration: public facts and settings",
		History:      5,
		MaxValueSize: 256 << 10,
		Storage:      jetstream.FileStorage,
		Replicas:     lim.Replicas,
	})
	if err != nil {
		return fmt.Errorf("creating clinics bucket: %w", err)
	}
	if err := provisionLimits(ctx, js, lim); err != nil {
		return err
	}
	streams := StreamLimits{Replicas: lim.Replicas}
	if err := ProvisionSecurity(ctx, js, streams); err != nil {
		return err
	}
	return ProvisionAnalytics(ctx, js, streams)
}

// provisionLimits creates the limits bucket: rate keys and daily counts
// of numbers only, in memory, each key with a TTL of its own and MaxAge
// as a backstop past a day. It is the stream of a KV bucket, made by hand
// for one difference: an expired key leaves no marker behind, since
// nothing watches the bucket and a marker would cost the server a write
// for each of the many keys that expire.
func provisionLimits(ctx context.Context, js jetstream.JetStream, lim SessionLimits) error {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:              "KV_" + BucketLimits,
		Subjects:          []string{"$KV." + BucketLimits + ".>"},
		Description:       "rate limits and daily counts: hashed keys, numbers",
		MaxMsgsPerSubject: 1,
		MaxBytes:          lim.MaxBytes,
		MaxAge:            48 * time.Hour,
		MaxMsgSize:        256, // with the TTL and revision headers
		MaxMsgs:           -1,
		MaxConsumers:      -1,
		Storage:           jetstream.MemoryStorage,
		Replicas:          lim.Replicas,
		Discard:           jetstream.DiscardNew,
		Duplicates:        2 * time.Minute,
		AllowRollup:       true,
		DenyDelete:        true,
		AllowDirect:       true,
		AllowMsgTTL:       true,
	})
	if err != nil {
		return fmt.Errorf("creating limits bucket: %w", err)
	}
	return nil
}

// PutClinic validates a clinic and stores it in the clinics bucket.
func PutClinic(ctx context.Context, nc *nats.Conn, c *config.Clinic) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("validating clinic: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("opening jetstream: %w", err)
	}
	kv, err := js.KeyValue(ctx, BucketClinics)
	if err != nil {
		return fmt.Errorf("binding clinics bucket: %w", err)
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding clinic: %w", err)
	}
	if _, err := kv.Put(ctx, c.ID, raw); err != nil {
		return fmt.Errorf("storing clinic: %w", err)
	}
	return nil
}
