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
//	 "next":{"id":3,"key":"<base64>"},
//	 "previous":[{"id":1,"key":"<base64>","until":"2026-12-04T12:00:00Z"}]}
//
// next is optional: a ring written before it existed has none.
type keyRingFile struct {
	Current  keyFile   `json:"current"`
	Next     *keyFile  `json:"next,omitempty"`
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
	if f.Next != nil {
		if f.Next.Until != nil {
			return Keys{}, errors.New("the next session key has no end")
		}
		keys.Next = SigningKey{ID: f.Next.ID, Key: f.Next.Key}
	}
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
	if k.HasNext() {
		f.Next = &keyFile{ID: k.Next.ID, Key: k.Next.Key}
	}
	for _, p := range k.Previous {
		until := p.Until.UTC()
		f.Previous = append(f.Previous, keyFile{ID: p.ID, Key: p.Key, Until: &until})
	}
	raw, _ := json.MarshalIndent(f, "", "  ")
	return append(raw, '\n')
}

// HasNext reports whether the ring holds a next key.
func (k Keys) HasNext() bool { return k.Next.ID != 0 || len(k.Next.Key) > 0 }

// All returns every key of the ring: the current one, the next one if
// there is one, then the previous ones.
func (k Keys) All() []SigningKey {
	out := make([]SigningKey, 0, 2+len(k.Previous))
	out = append(out, k.Current)
	if k.HasNext() {
		out = append(out, k.Next)
	}
	return append(out, k.Previous...)
}

// Rotate returns the key ring after a rotation at now: the next key
// signs (a new random one if the ring has none), the old current key
// verifies for grace more, a new random next key is published, and the
// previous keys whose grace has ended are dropped. grace should be at
// least the sessions' hard lifetime, so that no session ends early. Ids
// are never reused within a ring, so no key is ever dropped for its id.
func (k Keys) Rotate(now time.Time, grace time.Duration) (Keys, error) {
	if grace <= 0 {
		return Keys{}, errors.New("rotation grace must be positive")
	}
	old := k.Current
	old.Until = now.Add(grace)
	out := Keys{Previous: []SigningKey{old}}
	for _, p := range k.Previous {
		if now.Before(p.Until) {
			out.Previous = append(out.Previous, p)
		}
	}
	ids := newIDs(k.Current.ID, out.Previous)
	out.Current = k.Next
	if !k.HasNext() {
		c, err := newKey(ids)
		if err != nil {
			return Keys{}, err
		}
		out.Current = c
	}
	ids.used[out.Current.ID] = true
	next, err := newKey(ids)
	if err != nil {
		return Keys{}, err
	}
	out.Next = next
	return out, out.Validate()
}

// WithNext returns the ring with a new random next key, and true, if it
// has none; otherwise the ring as it is, and false. Publishing a next key
// ahead lets the first rotation of a ring written without one switch
// without a gap.
func (k Keys) WithNext() (Keys, bool, error) {
	if k.HasNext() {
		return k, false, nil
	}
	next, err := newKey(newIDs(k.Current.ID, k.Previous))
	if err != nil {
		return Keys{}, false, err
	}
	k.Next = next
	return k, true, k.Validate()
}

// idSource hands out key ids 1 to 255 that the ring does not use, going
// up from the last one given and wrapping past 255.
type idSource struct {
	last byte
	used map[byte]bool
}

func newIDs(last byte, keys []SigningKey) *idSource {
	ids := &idSource{last: last, used: map[byte]bool{last: true}}
	for _, p := range keys {
		ids.used[p.ID] = true
	}
	return ids
}

// newKey returns a random 32-byte key with an unused id.
func newKey(ids *idSource) (SigningKey, error) {
	if len(ids.used) >= 255 {
		return SigningKey{}, errors.New("session key ring holds 255 keys: no id is free")
	}
	id := ids.last
	for id == 0 || ids.used[id] {
		id++ // wraps from 255 to 0, which is skipped
	}
	ids.used[id], ids.last = true, id
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return SigningKey{}, fmt.Errorf("generating a session key: %w", err)
	}
	return SigningKey{ID: id, Key: key}, nil
}

// SetSigningKeys replaces the edge's key ring, as a rotation does.
func (s *Server) SetSigningKeys(keys Keys) error { return s.signer.SetKeys(keys) }
