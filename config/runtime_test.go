package config

import (
	"math"
	"runtime/debug"
	"testing"
)

// noMemoryLimit is the runtime's limit when none is set.
const noMemoryLimit = math.MaxInt64

func TestTuneRuntime(t *testing.T) {
	beforeGC := debug.SetGCPercent(100)
	beforeLimit := debug.SetMemoryLimit(noMemoryLimit)
	t.Cleanup(func() {
		debug.SetGCPercent(beforeGC)
		debug.SetMemoryLimit(beforeLimit)
	})

	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	gc, limit := TuneRuntime(getenv)
	if gc != DefaultGCPercent || limit != DefaultMemoryLimit {
		t.Errorf("without GOGC and GOMEMLIMIT: %d, %d", gc, limit)
	}
	if got := debug.SetGCPercent(100); got != DefaultGCPercent {
		t.Errorf("GC percent in force %d, want %d", got, DefaultGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != DefaultMemoryLimit {
		t.Errorf("memory limit in force %d, want %d", got, DefaultMemoryLimit)
	}

	// An operator's GOGC and GOMEMLIMIT (here as the runtime read them)
	// are kept.
	debug.SetGCPercent(150)
	debug.SetMemoryLimit(256 << 20)
	env["GOGC"], env["GOMEMLIMIT"] = "150", "256MiB"
	gc, limit = TuneRuntime(getenv)
	if gc != 150 || limit != 256<<20 {
		t.Errorf("with GOGC=150 GOMEMLIMIT=256MiB: %d, %d kept", gc, limit)
	}
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("GC percent in force %d, want the operator's 150", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 256<<20 {
		t.Errorf("memory limit in force %d, want the operator's", got)
	}
}
