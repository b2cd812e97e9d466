package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestProvisionRefusesBadReplicas checks that a wrong replica count is
// refused before anything is changed: no NATS server is running here,
// so reaching the connection would fail with another error.
func TestProvisionRefusesBadReplicas(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, n := range []string{"0", "6", "-1"} {
		err := run(context.Background(), []string{"provision", "--nats", "nats://127.0.0.1:1",
			"--nats-user", "admin", "--replicas", n}, log)
		if err == nil || !strings.Contains(err.Error(), "replicas") {
			t.Errorf("--replicas %s: %v, want a replicas error", n, err)
		}
	}
	t.Setenv("IGLOWLY_REPLICAS", "three")
	err := run(context.Background(), []string{"provision", "--nats-user", "admin"}, log)
	if err == nil || !strings.Contains(err.Error(), "IGLOWLY_REPLICAS") {
		t.Errorf("IGLOWLY_REPLICAS=three: %v", err)
	}
}

// TestProvisionRetrying checks that provisioning is tried again while the
// JetStream cluster is forming, and not after another error.
func TestProvisionRetrying(t *testing.T) {
	forming := fmt.Errorf("creating sessions bucket: %w",
		&jetstream.APIError{Code: 400, ErrorCode: jsClusterNoPeers,
			Description: "no suitable peers for placement, peer offline"})
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	tries := 0
	err := provisionRetrying(context.Background(), log, func() error {
		tries++
		if tries < 3 {
			return forming
		}
		return nil
	})
	if err != nil || tries != 3 {
		t.Errorf("%d tries, %v; want success on the third", tries, err)
	}
	other := errors.New("replicas 9: want 1 to 5")
	tries = 0
	err = provisionRetrying(context.Background(), log, func() error { tries++; return other })
	if !errors.Is(err, other) || tries != 1 {
		t.Errorf("%d tries of an error that is no forming cluster's: %v", tries, err)
	}
	if !clusterForming(fmt.Errorf("x: %w", nats.ErrNoResponders)) {
		t.Error("no responders is a forming cluster's")
	}
}
