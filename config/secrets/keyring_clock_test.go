package secrets

import (
	"testing"
	"time"
)

// TestHostTime checks that a time on Vault's clock is moved onto this
// host's by the skew between the clocks, plus the second Vault's whole
// seconds may lose, so that a settle check is never shortened.
func TestHostTime(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	written := now.Add(-10 * time.Second) // on this host's clock
	for _, skew := range []time.Duration{0, time.Minute, -time.Minute, 90 * time.Minute} {
		onVault := written.Add(skew)
		got := hostTime(onVault, now.Add(skew).Unix(), now)
		if want := written.Add(time.Second); !got.Equal(want) {
			t.Errorf("skew %v: %v, want %v", skew, got, want)
		}
	}
	// Vault's reading rounds down: written is never moved earlier.
	got := hostTime(written, now.Add(-400*time.Millisecond).Unix(), now)
	if got.Before(written) {
		t.Errorf("rounding moved written earlier: %v < %v", got, written)
	}
}
