package embedded_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/stack"
)

// startStack runs the assistant as "iglowly dev" does: the embedded
// server, provisioned buckets, demo clinics, every worker and the edge.
// It returns the admin's JetStream view and the JetStream store folder.
func startStack(t *testing.T) (*stack.Stack, jetstream.JetStream, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := stack.Start(context.Background(), stack.Options{
		HTTPAddr: "127.0.0.1:0", StoreDir: dir,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	nc, err := st.NATS().Connect(embedded.Admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return st, js, dir
}

// TestBucketStorage checks the storage promises of ARCHITECTURE.md:
// sessions live in memory with a TTL per key, clinics on disk.
func TestBucketStorage(t *testing.T) {
	_, js, dir := startStack(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cases := []struct {
		bucket  string
		storage jetstream.StorageType
		msgTTL  bool
	}{
		{embedded.BucketSessions, jetstream.MemoryStorage, true},
		{embedded.BucketClinics, jetstream.FileStorage, false},
	}
	for _, c := range cases {
		t.Run(c.bucket, func(t *testing.T) {
			s, err := js.Stream(ctx, "KV_"+c.bucket)
			if err != nil {
				t.Fatal(err)
			}
			cfg := s.CachedInfo().Config
			if cfg.Storage != c.storage {
				t.Errorf("storage %v, want %v", cfg.Storage, c.storage)
			}
			if cfg.AllowMsgTTL != c.msgTTL || (cfg.SubjectDeleteMarkerTTL > 0) != c.msgTTL {
				t.Errorf("AllowMsgTTL %v, marker TTL %v; want per-message TTL %v",
					cfg.AllowMsgTTL, cfg.SubjectDeleteMarkerTTL, c.msgTTL)
			}
			_, err = os.Stat(filepath.Join(dir, "jetstream", server.DEFAULT_GLOBAL_ACCOUNT,
				"streams", "KV_"+c.bucket))
			if onDisk := err == nil; onDisk != (c.storage == jetstream.FileStorage) {
				t.Errorf("stream folder on disk: %v (%v)", onDisk, err)
			}
		})
	}
	assertKeyTTL(ctx, t, js)
}

// assertKeyTTL checks that the sessions bucket takes a key with a TTL of
// its own, which a bucket without per-message TTL refuses.
func assertKeyTTL(ctx context.Context, t *testing.T, js jetstream.JetStream) {
	t.Helper()
	kv, err := js.KeyValue(ctx, embedded.BucketSessions)
	if err != nil {
		t.Fatal(err)
	}
	_, err = kv.Create(ctx, "storage-test", []byte("{}"), jetstream.KeyTTL(time.Minute))
	if err != nil {
		t.Errorf("creating a session key with its own TTL: %v", err)
	}
}

// TestNoStreamCapturesChat lists every stream on the server and checks
// that none of its subjects can take in a chat message: chat content
// travels on core NATS only, because JetStream persists.
func TestNoStreamCapturesChat(t *testing.T) {
	st, js, _ := startStack(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	chat := chatSubjects(st)
	streams := js.ListStreams(ctx)
	n := 0
	for info := range streams.Info() {
		n++
		for _, subject := range info.Config.Subjects {
			if hit, ok := captures(subject, chat); ok {
				t.Errorf("stream %s subject %q captures chat subject %q",
					info.Config.Name, subject, hit)
			}
		}
	}
	if err := streams.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Fatalf("listed %d streams, want at least the two buckets", n)
	}
}

// chatSubjects are the subjects chat content travels on: each stage of
// every clinic, the wildcard over all clinics, and every component's
// reply inboxes (the edge's receives the answers).
func chatSubjects(st *stack.Stack) []string {
	subjects := []string{"iglowly.*.chat.>"}
	for _, c := range st.Clinics {
		for _, stage := range []string{"sanitise", "infer", "respond"} {
			subjects = append(subjects, "iglowly."+c.ID+".chat."+stage)
		}
	}
	for _, c := range embedded.Components {
		subjects = append(subjects, embedded.InboxPrefix(c)+".x7Gq2.1")
	}
	return subjects
}

// captures reports the first chat subject that a message stored under
// a stream subject filter could be published on, with NATS matching: `*`
// is one token, `>` one or more at the end, on either side.
func captures(filter string, chat []string) (string, bool) {
	for _, c := range chat {
		if server.SubjectsCollide(filter, c) {
			return c, true
		}
	}
	return "", false
}

// TestCapturesMatcher checks the matcher itself, so that the test above
// cannot pass by matching nothing.
func TestCapturesMatcher(t *testing.T) {
	chat := []string{"iglowly.*.chat.>", "iglowly.demo.chat.infer", "_INBOX.edge.x7Gq2.1"}
	cases := []struct {
		filter string
		want   bool
	}{
		{">", true},
		{"iglowly.>", true},
		{"iglowly.*.chat.*", true},
		{"*.demo.chat.infer", true},
		{"iglowly.demo.chat.infer", true},
		{"iglowly.other.chat.respond", true},
		{"_INBOX.>", true},
		{"_INBOX.edge.*.*", true},
		{"$KV.sessions.>", false},
		{"$KV.clinics.>", false},
		{"iglowly.demo.analytics.>", false},
		{"iglowly.*.security.*", false},
		{"iglowly.demo.chat", false},
		{"_INBOX.admin.>", false},
	}
	for _, c := range cases {
		if _, got := captures(c.filter, chat); got != c.want {
			t.Errorf("captures(%q) = %v, want %v", c.filter, got, c.want)
		}
	}
}

// TestMaxReplicasIsTheServers checks that the limit provision enforces is
// the one the server enforces.
func TestMaxReplicasIsTheServers(t *testing.T) {
	if embedded.MaxReplicas != server.StreamMaxReplicas {
		t.Errorf("embedded.MaxReplicas %d, server allows %d",
			embedded.MaxReplicas, server.StreamMaxReplicas)
	}
}
