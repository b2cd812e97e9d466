package vaulttest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestComposeVaultUnsealer runs the vault-unsealer service, init.sh
// --watch, beside a Vault that vault-init set up: each time Vault is
// sealed, as after a restart of its container alone, the watcher
// unseals it within seconds, with the unseal key alone and showing it
// nowhere; it makes no token, and stops at once on SIGTERM.
func TestComposeVaultUnsealer(t *testing.T) {
	t.Parallel() // a Vault core of its own
	v := startComposeVault(t)
	v.runInit(t)
	own := v.ownRoot(t)
	cmd := v.initCmd(t, []string{"--watch"}, "WATCH_SECONDS=1")
	var out logBuf
	cmd.Stdout, cmd.Stderr = &out, &out
	must(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-done
		}
	})
	for round := 1; round <= 2; round++ {
		must(t, own.Sys().Seal())
		eventually(t, 15*time.Second, "Vault unsealed again", func() bool {
			return !v.core.Sealed() &&
				strings.Count(out.String(), "unsealed Vault") >= round
		})
		if n := strings.Count(out.String(), "unsealed Vault"); n != round {
			t.Fatalf("round %d: the watcher says it unsealed %d times:\n%s", round, n,
				out.String())
		}
	}
	noOtherRoot(t, own, "with the watcher running")
	must(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			t.Errorf("the watcher stopped with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the watcher did not stop on SIGTERM")
	}
	key, err := os.ReadFile(filepath.Join(v.secrets, "vault", "init", "unseal-key"))
	must(t, err)
	if strings.Contains(out.String(), strings.TrimSpace(string(key))) {
		t.Error("the watcher shows the unseal key")
	}
}
