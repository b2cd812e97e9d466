package natsconf

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/schemas"
)

// marker is planted in a key and a value and looked for in the store.
const marker = "marker-7f3a9c-plaintext"

// countMarker is the clinic of an anonymous count planted in the
// analytics stream, so it stands in the counter's subject.
const countMarker = "count-5b2e8d-plaintext"

// jsNode starts a server from a generated configuration on store;
// adjust, if given, changes its options as parsed.
func jsNode(t *testing.T, store string, adjust func(*server.Options)) *node {
	t.Helper()
	setEnv(t)
	o := parse(t, writeConfig(t, load(t, "--name", "js", "--insecure-no-tls")))
	return start(t, o, store, adjust)
}

// withKey replaces the key of the configuration.
func withKey(key string) func(*server.Options) {
	return func(o *server.Options) { o.JetStreamKey = key }
}

// plant provisions the buckets as admin, puts the marker into the
// clinics bucket, as key and as value, and has the sanitiser count a
// question of the clinic countMarker.
func plant(t *testing.T, n *node) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nc := dial(t, n, embedded.Admin)
	if err := embedded.Provision(ctx, nc, embedded.SessionLimits{}); err != nil {
		t.Fatal(err)
	}
	kv := bucket(t, n, embedded.BucketClinics)
	if _, err := kv.Put(ctx, marker, []byte(`{"note":"`+marker+`"}`)); err != nil {
		t.Fatal(err)
	}
	sanitiser := dial(t, n, embedded.Sanitiser)
	count := schemas.IncrMsg(schemas.AnalyticsSubject(countMarker, time.Now(),
		schemas.Triage{Category: "none"}, "nl"), 1)
	if err := sanitiser.PublishMsg(count); err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	for {
		stream, err := js.Stream(ctx, embedded.StreamAnalytics)
		if err != nil {
			t.Fatal(err)
		}
		if stream.CachedInfo().State.Msgs == 1 {
			return
		}
		if ctx.Err() != nil {
			t.Fatal("the count was not stored")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func bucket(t *testing.T, n *node, name string) jetstream.KeyValue {
	t.Helper()
	kv, err := openBucket(t, n, name)
	if err != nil {
		t.Fatalf("bucket %s: %v", name, err)
	}
	return kv
}

func openBucket(t *testing.T, n *node, name string) (jetstream.KeyValue, error) {
	js, err := jetstream.New(dial(t, n, embedded.Admin))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return js.KeyValue(ctx, name)
}

// filesWith lists the files under dir that contain s.
func filesWith(t *testing.T, dir, s string) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err == nil && bytes.Contains(raw, []byte(s)) {
			hits = append(hits, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// TestEncryptionAtRest proves that the store of a server from the
// generated configuration holds no plaintext of what was written, and,
// as the control, that the search finds it when the key is removed.
func TestEncryptionAtRest(t *testing.T) {
	cases := []struct {
		name    string
		adjust  func(*server.Options)
		visible bool
	}{
		{"with the configuration's key", nil, false},
		{"control without a key", withKey(""), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := t.TempDir()
			n := jsNode(t, store, c.adjust)
			plant(t, n)
			n.stop()
			for _, m := range []string{marker, countMarker} {
				hits := filesWith(t, store, m)
				if !c.visible && len(hits) > 0 {
					t.Errorf("plaintext %s in %q", m, hits)
				}
				if c.visible && len(hits) == 0 {
					t.Errorf("the search finds no %s in an unencrypted store: "+
						"it proves nothing", m)
				}
			}
		})
	}
}

// TestWrongKey proves what the configuration's comment tells the
// operator: a wrong key starts the server anyway, the bucket is not
// found and provisioning fails, and the right key brings it all back.
func TestWrongKey(t *testing.T) {
	store := t.TempDir()
	n := jsNode(t, store, nil)
	plant(t, n)
	n.stop()

	wrong := jsNode(t, store, withKey("another-key-0123456789abcdefghijklmnop"))
	_, err := openBucket(t, wrong, embedded.BucketClinics)
	if !errors.Is(err, jetstream.ErrBucketNotFound) {
		t.Errorf("clinics with a wrong key: %v, want bucket not found", err)
	}
	if len(wrong.log.grep("Error decrypting")) == 0 {
		t.Error("the server did not log that it could not decrypt")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = embedded.Provision(ctx, dial(t, wrong, embedded.Admin), embedded.SessionLimits{})
	if err == nil {
		t.Error("provisioning over the unreadable bucket succeeded")
	}
	wrong.stop()

	again := jsNode(t, store, nil)
	e, err := bucket(t, again, embedded.BucketClinics).Get(ctx, marker)
	if err != nil || !strings.Contains(string(e.Value()), marker) {
		t.Errorf("with the right key again: %v", err)
	}
}

// TestConfigWarnsOfWrongKey checks that the configuration tells the
// operator to check the buckets at start.
func TestConfigWarnsOfWrongKey(t *testing.T) {
	text, err := Render(load(t, "--name", "js", "--insecure-no-tls"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"wrong or missing key does NOT stop the server",
		"bucket not found", "After every start, check"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the jetstream block does not say %q", want)
		}
	}
}
