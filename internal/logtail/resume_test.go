package logtail

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// exactly fails the test unless the lines handed over are want; call it
// once the follower has stopped.
func (c *collector) exactly(t *testing.T, want ...string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Equal(c.lines, want) {
		t.Errorf("lines %q, want %q", c.lines, want)
	}
}

// stoppedAt returns the position of a stopped follower, failing the test
// if it has none or it is not at a line's start in path.
func stoppedAt(t *testing.T, f *Follower, path string) Position {
	t.Helper()
	p, ok := f.Position()
	if !ok {
		t.Fatal("the follower has no position")
	}
	checkLineStart(t, path, p)
	return p
}

// checkLineStart fails the test unless p names the file at path and its
// offset is the start of a line of it, or its end.
func checkLineStart(t *testing.T, path string, p Position) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	dev, ino, _ := fileID(fi)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Dev != dev || p.Ino != ino || p.Offset > int64(len(raw)) ||
		p.Offset > 0 && raw[p.Offset-1] != '\n' {
		t.Fatalf("position %+v is not at a line's start of %s (%d:%d, %q)", p,
			filepath.Base(path), dev, ino, raw)
	}
}

// TestResume stops a follower with a line half written, writes while it
// is down, and starts another from its position: the new one hands over
// exactly the lines the first did not, the half-written one whole and
// once, and stops at the file's end.
func TestResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nats.log")
	appendTo(t, path, "before the start\n")
	first, f, stop := resume(t, path, nil)
	time.Sleep(20 * time.Millisecond) // for Run to open the file, as in TestFollow
	appendTo(t, path, "one\ntw")
	first.wait(t, "one")
	stop()
	first.exactly(t, "one")
	p := stoppedAt(t, f, path)
	if want := int64(len("before the start\none\n")); p.Offset != want {
		t.Fatalf("stopped at %d, want %d, the start of the half-written line", p.Offset, want)
	}

	appendTo(t, path, "o\nthree, while down\n")
	second, f, stop := resume(t, path, &p)
	second.wait(t, "two", "three, while down")
	appendTo(t, path, "four\n")
	second.wait(t, "two", "three, while down", "four")
	stop()
	second.exactly(t, "two", "three, while down", "four")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := stoppedAt(t, f, path); p.Offset != fi.Size() {
		t.Errorf("stopped at %d, want the end, %d", p.Offset, fi.Size())
	}
}

// TestResumeChangedWhileDown changes the file while no follower runs: a
// file rotated away, under nats-server's backup name, is read on from
// the position, then every backup rotated after it, then the new file
// from its start; a backup purged meanwhile is lost; a truncated file,
// or one truncated and written past the position again, is read from
// its start. No line is read twice.
func TestResumeChangedWhileDown(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(t *testing.T, path string)
		want   []string
	}{
		{"rotated", func(t *testing.T, path string) {
			rotate(t, path, ".2026.12.04.08.00.00.000000001")
			appendTo(t, path+".2026.12.04.08.00.00.000000001", "late, in the rotated file\n")
			appendTo(t, path, "first of the new file\n")
		}, []string{"late, in the rotated file", "first of the new file"}},
		{"rotated twice", func(t *testing.T, path string) {
			appendTo(t, path, "three\n")
			rotate(t, path, ".2026.12.04.08.00.00.000000001")
			appendTo(t, path, "four\n")
			rotate(t, path, ".2026.12.04.09.00.00.000000001")
			appendTo(t, path, "five\n")
			// Another file beside it, of another log: not read.
			appendTo(t, path+"x.2026.12.04", "not this log\n")
		}, []string{"three", "four", "five"}},
		{"rotated, backup purged", func(t *testing.T, path string) {
			appendTo(t, path, "lost with the backup\n")
			rotate(t, path, ".2026.12.04.08.00.00.000000001")
			if err := os.Remove(path + ".2026.12.04.08.00.00.000000001"); err != nil {
				t.Fatal(err)
			}
			appendTo(t, path, "first of the new file\n")
		}, []string{"first of the new file"}},
		{"truncated", func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			appendTo(t, path, "short\n")
		}, []string{"short"}},
		{"truncated and longer", func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			appendTo(t, path, "a line longer than all read before\n")
		}, []string{"a line longer than all read before"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nats.log")
			appendTo(t, path, "")
			first, f, stop := resume(t, path, nil)
			time.Sleep(20 * time.Millisecond)
			appendTo(t, path, "one\ntwo\n")
			first.wait(t, "one", "two")
			stop()
			p := stoppedAt(t, f, path)

			c.change(t, path)
			second, f, stop := resume(t, path, &p)
			second.wait(t, c.want...)
			appendTo(t, path, "after\n")
			second.wait(t, append(c.want, "after")...)
			stop()
			second.exactly(t, append(c.want, "after")...)
			stoppedAt(t, f, path)
		})
	}
}

// TestResumeMissing starts from a position of a file that is gone, and
// from the position of no file: each reads the file from its start once
// it appears.
func TestResumeMissing(t *testing.T) {
	for _, p := range []Position{{Dev: 1, Ino: 2, Offset: 3}, {}} {
		path := filepath.Join(t.TempDir(), "nats.log")
		c, f, stop := resume(t, path, &p)
		if got, ok := f.Position(); !ok || got != p {
			t.Errorf("position before Run %+v, %v; want %+v", got, ok, p)
		}
		appendTo(t, path, "one\n")
		c.wait(t, "one")
		stop()
		stoppedAt(t, f, path)
	}
}

// TestPositionAtLineStarts reads the position, from another goroutine,
// while a file grows a few bytes at a time and was begun, at the start,
// in the middle of a line: every position it finds is at a line's start.
func TestPositionAtLineStarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nats.log")
	appendTo(t, path, "old line\nold partial")
	c, f, stop := resume(t, path, nil)
	time.Sleep(20 * time.Millisecond)
	var seen []Position // read once watched is closed
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			if p, ok := f.Position(); ok {
				if len(seen) == 0 || seen[len(seen)-1] != p {
					seen = append(seen, p)
				}
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Microsecond):
			}
		}
	}()
	text := " rest\n" + strings.Repeat("a line of the server\n", 40)
	var want []string
	for i := 0; i < len(text); i += 7 {
		appendTo(t, path, text[i:min(i+7, len(text))])
		time.Sleep(time.Millisecond) // for the follower to read between pieces
	}
	for range 40 {
		want = append(want, "a line of the server")
	}
	c.wait(t, want...)
	stop()
	close(done)
	<-watched
	if len(seen) == 0 {
		t.Fatal("no position seen")
	}
	for _, p := range seen {
		checkLineStart(t, path, p)
	}
}

// TestPositionsFile writes positions and reads them back: the file is
// mode 0600 and holds numbers and paths only, with no file left beside
// it. A missing file holds no positions; a file that is no positions
// file is ErrBadPositions, which shows nothing of it.
func TestPositionsFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "positions.json")
	ps, err := ReadPositions(file)
	if err != nil || len(ps) != 0 {
		t.Fatalf("missing file: %v, %v; want no positions, no error", ps, err)
	}
	want := map[string]Position{"/var/log/nats/nats-1.log": {Dev: 66, Ino: 12, Offset: 4096},
		"/var/log/nats/nats-2.log": {}}
	if err := WritePositions(file, map[string]Position{"/gone": {Ino: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := WritePositions(file, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPositions(file)
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("read %+v, %v; want %+v", got, err, want)
	}
	checkOnlyNumbers(t, file)
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v (%v), want 0600", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want the positions file alone", len(entries))
	}
	for _, bad := range []string{``, `planted-secret`, `[]`, `null`, `{"a":null}x`,
		`{"/a":{"dev":1,"ino":2,"offset":-1}}`, `{"/a":{"dev":1,"ino":2,"line":"planted-secret"}}`,
		`{"/a":{"dev":"planted-secret"}}`, `{"/a":{"dev":1}} {}`,
		`{"/a":"` + strings.Repeat("x", maxPositionsFile) + `"}`} {
		if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := ReadPositions(file)
		if !errors.Is(err, ErrBadPositions) || strings.Contains(err.Error(), "planted") {
			t.Errorf("%.40q: %v, want ErrBadPositions", bad, err)
		}
	}
}

// checkOnlyNumbers fails the test unless file is an object of paths to
// objects of dev, ino and offset, each a number.
func checkOnlyNumbers(t *testing.T, file string) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var ps map[string]map[string]any
	if err := json.Unmarshal(raw, &ps); err != nil {
		t.Fatalf("not JSON of paths to objects: %v", err)
	}
	for _, p := range ps {
		for k, v := range p {
			_, num := v.(float64)
			if !num || !slices.Contains([]string{"dev", "ino", "offset"}, k) {
				t.Errorf("field %q holds %T, want dev, ino and offset, numbers", k, v)
			}
		}
	}
}

// rotate renames the log at path as nats-server does when it rotates it,
// to path+suffix, a timestamp; the next write makes a new file.
func rotate(t *testing.T, path, suffix string) {
	t.Helper()
	if err := os.Rename(path, path+suffix); err != nil {
		t.Fatal(err)
	}
}
