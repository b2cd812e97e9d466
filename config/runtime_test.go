package config

import (
	"runtime/debug"
	"testing"
)

func TestTuneRuntime(t *testing.T) {
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })

	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := TuneRuntime(getenv); got != DefaultGCPercent {
		t.Errorf("without GOGC: %d, want %d", got, DefaultGCPercent)
	}
	if got := debug.SetGCPercent(100); got != DefaultGCPercent {
		t.Errorf("GC percent in force %d, want %d", got, DefaultGCPercent)
	}

	// An operator's GOGC (here as the runtime read it: 150) is kept.
	debug.SetGCPercent(150)
	env["GOGC"] = "150"
	if got := TuneRuntime(getenv); got != 150 {
		t.Errorf("with GOGC=150: %d, want 150 kept", got)
	}
	if got := debug.SetGCPercent(100); got != 150 {
		t.Errorf("GC percent in force %d, want the operator's 150", got)
	}
}
