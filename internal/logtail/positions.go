package logtail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrBadPositions is the problem of a positions file that ReadPositions
// cannot read: too big, or not the JSON that WritePositions writes. It
// names nothing of what the file holds.
var ErrBadPositions = errors.New("not a positions file")

// maxPositionsFile is the largest positions file read, in bytes: room
// for thousands of paths.
const maxPositionsFile = 1 << 20

// ReadPositions reads a positions file that WritePositions wrote: the
// position of each path. A file that does not exist holds none, and is
// no error.
func ReadPositions(file string) (map[string]Position, error) {
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]Position{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading positions: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxPositionsFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading positions: %w", err)
	}
	if len(raw) > maxPositionsFile {
		return nil, ErrBadPositions
	}
	return parsePositions(raw)
}

// parsePositions reads the JSON of a positions file, an object of path
// to {"dev", "ino", "offset"} and nothing else.
func parsePositions(raw []byte) (map[string]Position, error) {
	var ps map[string]Position
	if err := strictJSON(raw, &ps); err != nil || ps == nil {
		return nil, ErrBadPositions
	}
	for _, p := range ps {
		if p.Offset < 0 {
			return nil, ErrBadPositions
		}
	}
	return ps, nil
}

// strictJSON decodes raw into v, refusing unknown fields and anything
// after the value.
func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrBadPositions
	}
	return nil
}

// WritePositions replaces file with ps, as JSON of path to {"dev",
// "ino", "offset"}: numbers and the paths, nothing read from the files.
// It writes a file of its own in the same folder, mode 0600, and renames
// it over file, so that a reader, or a restart after a crash, never
// finds it half written.
func WritePositions(file string, ps map[string]Position) error {
	data, err := json.MarshalIndent(ps, "", "  ")
	if err != nil {
		return fmt.Errorf("writing positions: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return fmt.Errorf("writing positions: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is none
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(append(data, '\n'))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		return fmt.Errorf("writing positions: %w", err)
	}
	return nil
}
