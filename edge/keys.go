package edge

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// keyRingFile is the JSON form of a key ring, as a key file or a secret
// holds it:
//
//	{"current":{"id":2,"key":"<base64>"},
//	 "previous":[{"id":1,"key":"<base64>","until":"2026-12-04T12:00:00Z"}]}
type keyRingFile struct {
	Current  keyFile   `json:"current"`
	Previous []keyFile `json:"previous,omitempty"`
}

type keyFile struct {
	ID    byte       `json:"id"`
	Key   []byte     `json:"key"`
	Until *time.Time `json:"until,omitempty"`
}

// ParseKeys reads a key ring: its JSON form, or, for a file of the
// earlier form, raw key bytes as the only key, id 1. Errors never quote
// the input.
func ParseKeys(raw []byte) (Keys, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		keys := Keys{Current: SigningKey{ID: 1, Key: raw}}
		return keys, keys.Validate()
	}
	var f keyRingFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Keys{}, errors.New("session key ring is not valid JSON of the expected shape")
	}
	keys := Keys{Current: SigningKey{ID: f.Current.ID, Key: f.Current.Key}}
	for _, p := range f.Previous {
		k := SigningKey{ID: p.ID, Key: p.Key}
		if p.Until != nil {
			k.Until = *p.Until
		}
		keys.Previous = append(keys.Previous, k)
	}
	return keys, keys.Validate()
}

// Marshal writes the key ring in the JSON form ParseKeys reads.
func (k Keys) Marshal() []byte {
	f := keyRingFile{Current: keyFile{ID: k.Current.ID, Key: k.Current.Key}}
	for _, p := range k.Previous {
		until := p.Until.UTC()
		f.Previous = append(f.Previous, keyFile{ID: p.ID, Key: p.Key, Until: &until})
	}
	raw, _ := json.MarshalIndent(f, "", "  ")
	return append(raw, '\n')
}

// Rotate returns the key ring after a rotation at now: a new random
// current key, the old current key verifying for grace more, and the
// previous keys whose grace has ended dropped. grace should be at least
// the sessions' hard lifetime, so that no session ends early.
func (k Keys) Rotate(now time.Time, grace time.Duration) (Keys, error) {
	if grace <= 0 {
		return Keys{}, errors.New("rotation grace must be positive")
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return Keys{}, fmt.Errorf("generating a session key: %w", err)
	}
	used := map[byte]bool{k.Current.ID: true}
	old := k.Current
	old.Until = now.Add(grace)
	next := Keys{Previous: []SigningKey{old}}
	for _, p := range k.Previous {
		if now.Before(p.Until) {
			next.Previous = append(next.Previous, p)
			used[p.ID] = true
		}
	}
	id := k.Current.ID
	for used[id] || id == 0 {
		id++ // wraps from 255 to 0, which is skipped
	}
	next.Current = SigningKey{ID: id, Key: key}
	return next, next.Validate()
}

// SetSigningKeys replaces the edge's key ring, as a rotation does.
func (s *Server) SetSigningKeys(keys Keys) error { return s.signer.SetKeys(keys) }
