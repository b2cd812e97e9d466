// Package logtail follows a log file that another process appends to and
// rotates, as "tail -F" does, handing over each complete line.
package logtail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
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

// Position is where a Follower is in a file: the file, by its device
// and inode, and the offset of the first byte of the next line to hand
// over. A Position whose Ino is 0 names no file: there was none, or none
// could be opened, and the next one found is read from its start.
type Position struct {
	Dev    uint64 `json:"dev"`
	Ino    uint64 `json:"ino"`
	Offset int64  `json:"offset"`
}

// Follower follows one file. Make it with New; Run is used by one
// goroutine, Stats and Position by any.
type Follower struct {
	path  string
	every time.Duration
	see   func(line string)
	// OnError, if set, is called when the file cannot be opened or read,
	// once until it can be again; the follower keeps trying.
	OnError func(err error)

	// from is where StartFrom asked Run to start, if not nil, until a
	// file is opened.
	from *Position
	f    *os.File
	// id names f, if idKnown; read is the offset in f of the next byte
	// read, done the offset past the last line ended.
	id         Position
	idKnown    bool
	read, done int64
	partial    []byte
	// long drops the rest of a line longer than MaxLine; skip the rest of
	// the line the start fell in.
	long, skip bool
	failing    bool

	mu    sync.Mutex
	pos   Position
	known bool

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
//
// After StartFrom(p), it starts at p instead if the file at the path is
// still the file p names, at least p.Offset long, with a line ending
// just before it: the lines written since the earlier follower stopped
// are read too. Otherwise the file was rotated or truncated meanwhile,
// and it is treated as such a file is while following: read from its
// start, after the rest of the rotated file, if it is found beside the
// path under nats-server's backup name, and every backup rotated after
// it (see catchUp). What a backup purged meanwhile held is lost, and so
// is what a truncated file held past its new end; nothing is read twice.
// A file truncated and written past p.Offset again in the meantime
// cannot be told from the same file grown, unless the byte before the
// offset is no newline.
func (t *Follower) Run(ctx context.Context) {
	if t.from != nil {
		t.open(atSaved)
	} else {
		t.open(atEnd)
	}
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

// StartFrom makes Run start at p, where an earlier follower of the path
// stopped, if the file is still the one p names (see Run). Call it
// before Run; until Run moves on, Position returns p.
func (t *Follower) StartFrom(p Position) {
	t.from = &p
	t.mark(p, true)
}

// Position returns where the follower is: past the last complete line
// handed over, never inside a line, so that a follower started from it
// hands over the next line whole. It is false before Run began (unless
// StartFrom was called), while the start at the file's end fell inside
// a line that has not ended yet, and where the file's identity is
// unknown.
func (t *Follower) Position() (Position, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pos, t.known
}

// mark sets the position that Position returns.
func (t *Follower) mark(p Position, known bool) {
	t.mu.Lock()
	t.pos, t.known = p, known
	t.mu.Unlock()
}

// published sets the position to just past the last line ended, unless
// the start fell inside a line that has not ended yet.
func (t *Follower) published() {
	p := t.id
	p.Offset = t.done
	t.mark(p, t.idKnown && !t.skip)
}

// poll reads what is new and notices a rotation or a truncation.
func (t *Follower) poll() {
	if t.f == nil && !t.open(t.reopening()) {
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
		if t.open(atStart) {
			t.drain()
		}
	case err == nil:
		if off, serr := t.f.Seek(0, io.SeekCurrent); serr == nil && held.Size() < off {
			_, _ = t.f.Seek(0, io.SeekStart)
			t.partial, t.long, t.skip = t.partial[:0], false, false
			t.read, t.done = 0, 0
			t.published()
			t.reopened.Add(1)
			t.drain()
		}
	}
}

// start is where open places the first read.
type start int

const (
	atStart start = iota
	atEnd
	// atSaved is where StartFrom said if the file is the one it
	// names, else atStart.
	atSaved
)

// reopening is where a file is read from once it could be opened after
// it could not: as StartFrom said while no file has been opened, from its
// start after.
func (t *Follower) reopening() start {
	if t.from != nil {
		return atSaved
	}
	return atStart
}

// open opens the file and places the first read at where; it reports
// whether it did.
func (t *Follower) open(where start) bool {
	f, err := os.Open(t.path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			t.fail(err)
		}
		t.notOpen()
		return false
	}
	t.partial, t.long, t.skip = t.partial[:0], false, false
	t.identify(f)
	if where == atSaved && t.from != nil && !t.resumable(f) {
		t.catchUp()
		t.partial, t.long, t.skip = t.partial[:0], false, false
		t.identify(f)
		where = atStart
	}
	off, skip, err := t.place(f, where)
	if err != nil {
		f.Close()
		t.fail(err)
		t.notOpen()
		return false
	}
	t.f, t.failing, t.from = f, false, nil
	t.read, t.done, t.skip = off, off, skip
	t.published()
	return true
}

// identify notes the device and inode of f, the file being read.
func (t *Follower) identify(f *os.File) {
	t.id, t.idKnown = Position{}, false
	if fi, err := f.Stat(); err == nil {
		t.id.Dev, t.id.Ino, t.idKnown = fileID(fi)
	}
}

// catchUp reads what was logged while no follower ran into files that
// were rotated away meanwhile: the rest of the file StartFrom named, if
// it is found beside the path as nats-server names its backups
// (<path>.<year>.<month>.…, which sort by time), and every backup
// rotated after it, whole. A backup that was purged meanwhile is lost,
// and if it is the one StartFrom named, so are the backups after it:
// without it, which came after cannot be told.
func (t *Follower) catchUp() {
	dir, base := filepath.Split(t.path)
	entries, err := os.ReadDir(filepath.Clean(dir))
	if err != nil {
		return
	}
	var backups []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), base+".") && e.Type().IsRegular() {
			backups = append(backups, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(backups)
	found := false
	for _, name := range backups {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		t.partial, t.long, t.skip = t.partial[:0], false, false
		t.identify(f)
		var off int64
		switch {
		case found:
		case t.resumable(f):
			found, off = true, t.from.Offset
		default:
			f.Close()
			continue
		}
		if _, err := f.Seek(off, io.SeekStart); err == nil {
			t.f, t.read, t.done = f, off, off
			t.drain()
			t.f = nil
		}
		f.Close()
	}
}

// notOpen sets the position of a follower that holds no file: where
// StartFrom said, or no file, which the next poll reads from its start.
func (t *Follower) notOpen() {
	if t.from != nil {
		t.mark(*t.from, true)
		return
	}
	t.mark(Position{}, true)
}

// place moves the read of f, just opened, to where, and returns its
// offset and whether it is inside a line, whose rest is not handed over.
func (t *Follower) place(f *os.File, where start) (int64, bool, error) {
	if where == atSaved && t.from != nil && t.resumable(f) {
		_, err := f.Seek(t.from.Offset, io.SeekStart)
		return t.from.Offset, false, err
	}
	if where != atEnd {
		return 0, false, nil
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil || end == 0 {
		return end, false, err
	}
	mid, err := midLine(f, end)
	return end, mid, err
}

// resumable reports whether f, just opened, is the file that StartFrom
// named, at least as long as its offset, with a newline before it.
func (t *Follower) resumable(f *os.File) bool {
	p := t.from
	if !t.idKnown || p.Ino == 0 || p.Dev != t.id.Dev || p.Ino != t.id.Ino || p.Offset < 0 {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Size() < p.Offset {
		return false
	}
	if p.Offset == 0 {
		return true
	}
	mid, err := midLine(f, p.Offset)
	return err == nil && !mid
}

// midLine reports whether the file's byte before end is not a newline:
// a start at end is then in the middle of a line.
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
		if n > 0 {
			t.published()
		}
		if err != nil || n == 0 {
			if err != nil && !errors.Is(err, io.EOF) {
				t.fail(err)
			}
			return
		}
	}
}

// split hands over the complete lines of b, read at t.read, keeping the
// rest for the next read.
func (t *Follower) split(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			t.keep(b)
			t.read += int64(len(b))
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
		t.read += int64(i + 1)
		t.done = t.read
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
