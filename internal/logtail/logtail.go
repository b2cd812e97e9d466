// Package logtail follows a log file that another process appends to and
// rotates, as "tail -F" does, handing over each complete line.
package logtail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// MaxLine is the longest line handed over; a longer one is dropped
// whole, up to its newline, and counted.
const MaxLine = 64 << 10

// Stats counts what a Follower read.
type Stats struct {
	// Lines were handed over.
	Lines uint64
	// Long were dropped for being longer than MaxLine.
	Long uint64
	// Reopened counts the times the file was found rotated or truncated.
	Reopened uint64
}

// Follower follows one file. Make it with New; it is used by one
// goroutine.
type Follower struct {
	path  string
	every time.Duration
	see   func(line string)
	// OnError, if set, is called when the file cannot be opened or read,
	// once until it can be again; the follower keeps trying.
	OnError func(err error)

	f       *os.File
	partial []byte
	// long drops the rest of a line longer than MaxLine; skip the rest of
	// the line the start fell in.
	long, skip bool
	failing    bool

	lines, longs, reopened atomic.Uint64
}

// New returns a follower of path that looks for new lines every every
// and calls see with each complete line, without its newline.
func New(path string, every time.Duration, see func(line string)) *Follower {
	return &Follower{path: path, every: every, see: see}
}

// Run follows the file until ctx ends. It starts at the file's end, so
// that what was written before is not read again; a file that does not
// exist yet is read from its start once it appears. A file renamed away
// (rotated) is read to its end before the new one is opened, from its
// start; a file that shrank (truncated) is read again from its start.
func (t *Follower) Run(ctx context.Context) {
	t.open(true)
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	defer t.closeFile()
	for {
		t.poll()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Stats returns the counts so far.
func (t *Follower) Stats() Stats {
	return Stats{Lines: t.lines.Load(), Long: t.longs.Load(), Reopened: t.reopened.Load()}
}

// poll reads what is new and notices a rotation or a truncation.
func (t *Follower) poll() {
	if t.f == nil && !t.open(false) {
		return
	}
	t.drain()
	cur, err := os.Stat(t.path)
	held, herr := t.f.Stat()
	switch {
	case herr != nil:
		t.fail(herr)
		t.closeFile()
	case err != nil && errors.Is(err, os.ErrNotExist):
		// Renamed away and not yet replaced: what came in since the
		// read above, then the next poll opens the new one.
		t.drain()
		t.closeFile()
		t.reopened.Add(1)
	case err == nil && !os.SameFile(cur, held):
		t.drain()
		t.closeFile()
		t.reopened.Add(1)
		if t.open(false) {
			t.drain()
		}
	case err == nil:
		if off, serr := t.f.Seek(0, io.SeekCurrent); serr == nil && held.Size() < off {
			_, _ = t.f.Seek(0, io.SeekStart)
			t.partial, t.long, t.skip = t.partial[:0], false, false
			t.reopened.Add(1)
			t.drain()
		}
	}
}

// open opens the file, at its end if atEnd; it reports whether it did.
func (t *Follower) open(atEnd bool) bool {
	f, err := os.Open(t.path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			t.fail(err)
		}
		return false
	}
	t.partial, t.long, t.skip = t.partial[:0], false, false
	if atEnd {
		end, err := f.Seek(0, io.SeekEnd)
		if err == nil && end > 0 {
			t.skip, err = midLine(f, end)
		}
		if err != nil {
			f.Close()
			t.fail(err)
			return false
		}
	}
	t.f, t.failing = f, false
	return true
}

// midLine reports whether the file's last byte, before end, is not a
// newline: the start is then in the middle of a line, whose rest is not
// handed over.
func midLine(f *os.File, end int64) (bool, error) {
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, end-1); err != nil {
		return false, err
	}
	return b[0] != '\n', nil
}

func (t *Follower) closeFile() {
	if t.f != nil {
		t.f.Close()
		t.f = nil
	}
}

func (t *Follower) fail(err error) {
	if !t.failing && t.OnError != nil {
		t.OnError(err)
	}
	t.failing = true
}

// drain reads the file to its current end and hands over every complete
// line.
func (t *Follower) drain() {
	buf := make([]byte, 32<<10)
	for {
		n, err := t.f.Read(buf)
		t.split(buf[:n])
		if err != nil || n == 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				t.fail(err)
			}
			return
		}
	}
}

// split hands over the complete lines of b, keeping the rest for the
// next read.
func (t *Follower) split(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			t.keep(b)
			return
		}
		t.keep(b[:i])
		switch {
		case t.skip:
		case t.long:
			t.longs.Add(1)
		default:
			t.lines.Add(1)
			t.see(string(t.partial))
		}
		t.partial, t.long, t.skip = t.partial[:0], false, false
		b = b[i+1:]
	}
}

// keep adds part of a line, or marks the line too long.
func (t *Follower) keep(b []byte) {
	if t.long || t.skip {
		return
	}
	if len(t.partial)+len(b) > MaxLine {
		t.partial, t.long = t.partial[:0], true
		return
	}
	t.partial = append(t.partial, b...)
}
