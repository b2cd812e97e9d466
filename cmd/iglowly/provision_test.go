package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
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
