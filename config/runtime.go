package config

import "runtime/debug"

// DefaultGCPercent is the garbage collector's target that every iglowly
// process uses unless GOGC is set. The pipeline keeps little alive (a
// few megabytes of clinics, sessions and buffers) and makes a lot of
// short-lived garbage per message. Collecting at 800 % growth instead of
// Go's 100 % spends far less CPU on the collector, and, what matters
// more, stops the world an eighth as often: on two cores each collection
// delays the messages in flight by a millisecond or more, which is most
// of the pipeline's tail latency (make bench: p99 at 1,000 chats/s about
// 2-3 ms at 800 against 4-6 ms at 400). It costs some tens of megabytes.
const DefaultGCPercent = 800

// DefaultMemoryLimit is the soft memory limit every iglowly process uses
// unless GOMEMLIMIT is set, in bytes: 1 GiB. It bounds what the high
// DefaultGCPercent could otherwise let the heap grow to, should much more
// stay alive than expected: near the limit the collector runs as often
// as it must.
const DefaultMemoryLimit = 1 << 30

// TuneRuntime applies DefaultGCPercent unless the operator set GOGC, and
// DefaultMemoryLimit unless GOMEMLIMIT is set, and returns the
// percentage and the limit in force.
func TuneRuntime(getenv func(string) string) (gcPercent int, memLimit int64) {
	if getenv("GOGC") != "" {
		gcPercent = debug.SetGCPercent(100)
		debug.SetGCPercent(gcPercent)
	} else {
		debug.SetGCPercent(DefaultGCPercent)
		gcPercent = DefaultGCPercent
	}
	if getenv("GOMEMLIMIT") != "" {
		return gcPercent, debug.SetMemoryLimit(-1) // reads it
	}
	debug.SetMemoryLimit(DefaultMemoryLimit)
	return gcPercent, DefaultMemoryLimit
}
