package config_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/config"
	"github.com/iglowly/assistant/embedded"
)

// TestClinicStoreFollowsBucket changes, breaks and deletes a clinic in
// the real bucket and checks what a component's store serves.
func TestClinicStoreFollowsBucket(t *testing.T) {
	ns, err := embedded.Start(embedded.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	ctx := context.Background()
	admin, _ := ns.Connect(embedded.Admin)
	defer admin.Close()
	if err := embedded.Provision(ctx, admin, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	cs, _ := config.DemoClinics("", "")
	if err := embedded.PutClinic(ctx, admin, cs[0]); err != nil {
		t.Fatal(err)
	}
	edge, _ := ns.Connect(embedded.Edge)
	defer edge.Close()
	store, err := config.WatchClinics(ctx, edge, embedded.BucketClinics,
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Stop()
	if c, ok := store.Get("demo"); !ok || c.Name != cs[0].Name {
		t.Fatal("initial clinic not loaded")
	}

	renamed := *cs[0]
	renamed.Name = "Renamed"
	_ = embedded.PutClinic(ctx, admin, &renamed)
	eventually(t, func() bool { c, _ := store.Get("demo"); return c.Name == "Renamed" })

	js, _ := jetstream.New(admin)
	kv, _ := js.KeyValue(ctx, embedded.BucketClinics)
	_, _ = kv.Put(ctx, "demo", []byte(`{"id":"demo","name":""}`))
	_ = embedded.PutClinic(ctx, admin, cs[1])
	eventually(t, func() bool { _, ok := store.Get("demo-2"); return ok })
	if c, _ := store.Get("demo"); c.Name != "Renamed" {
		t.Error("an invalid value replaced the last good one")
	}

	_ = kv.Delete(ctx, "demo")
	eventually(t, func() bool { _, ok := store.Get("demo"); return !ok })
}

func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met in 3s")
}
