package config

import "runtime/debug"

// DefaultGCPercent is the garbage collector's target that every iglowly
// process uses unless GOGC is set. The pipeline keeps little alive (a
// few megabytes of clinics, sessions and buffers) and makes a lot of
// short-lived garbage per message, so collecting at 400 % growth instead
// of Go's 100 % spends far less CPU on the collector (at two cores,
// a running collection takes a whole core) for some tens of megabytes.
const DefaultGCPercent = 400

// TuneRuntime applies DefaultGCPercent unless the operator set GOGC, and
// returns the percentage in force.
func TuneRuntime(getenv func(string) string) int {
	if getenv("GOGC") != "" {
		old := debug.SetGCPercent(100)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(DefaultGCPercent)
	return DefaultGCPercent
}
