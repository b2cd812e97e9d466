package secrets

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The fields of a key ring secret in Vault: the session signing keys
// (edge/session-keys) and the admin-key pepper (edge/admin-pepper) both
// have this shape.
const (
	// FieldCurrent is the key in use: it signs (or peppers) everything new.
	FieldCurrent = "current"
	// FieldPrevious is the key before the last rotation, optional; it
	// still verifies until previous_until.
	FieldPrevious = "previous"
	// FieldPreviousUntil is when the previous key stops verifying, in RFC
	// 3339; required with previous.
	FieldPreviousUntil = "previous_until"
)

// Sizes of key material, decoded.
const (
	// MinKeyBytes is the shortest key accepted: 256 bits.
	MinKeyBytes = 32
	maxKeyBytes = 1024
	maxAPIKey   = 4096
)

// Keys is a key ring read from one version of its secret.
type Keys struct {
	// Current is the decoded current key.
	Current Secret
	// Previous is the decoded previous key, or zero.
	Previous Secret
	// PreviousUntil is when Previous stops verifying; zero without one.
	PreviousUntil time.Time
}

// Verifying returns the keys that verify at now: the current key, then
// the previous one while now is before PreviousUntil.
func (k Keys) Verifying(now time.Time) []Secret {
	out := []Secret{k.Current}
	if !k.Previous.IsZero() && now.Before(k.PreviousUntil) {
		out = append(out, k.Previous)
	}
	return out
}

// LoadKeys reads a key ring. A vault reference must name the field
// current: previous and previous_until are read from the same version of
// that secret. A file or env reference holds the current key alone. Each
// key is base64 (standard or URL alphabet, padded or not) of at least 32
// bytes.
func LoadKeys(ctx context.Context, src Source, ref Ref) (Keys, error) {
	if ref.Scheme() != SchemeVault {
		s, err := src.Get(ctx, ref)
		if err != nil {
			return Keys{}, err
		}
		cur, err := decodeKey(s, ref, FieldCurrent)
		return Keys{Current: cur}, err
	}
	if ref.Field() != FieldCurrent {
		return Keys{}, fmt.Errorf("key ring %s: %w: the reference must name the field %q",
			ref, ErrInvalid, FieldCurrent)
	}
	f, err := GetFields(ctx, src, ref, FieldCurrent, FieldPrevious, FieldPreviousUntil)
	if err != nil {
		return Keys{}, err
	}
	if f[0].IsZero() {
		return Keys{}, fmt.Errorf("key ring %s: %w", ref, ErrNotFound)
	}
	return keysFromFields(ref, f[0], f[1], f[2])
}

func keysFromFields(ref Ref, cur, prev, until Secret) (Keys, error) {
	var k Keys
	var err error
	if k.Current, err = decodeKey(cur, ref, FieldCurrent); err != nil {
		return Keys{}, err
	}
	if prev.IsZero() {
		return k, nil
	}
	if k.Previous, err = decodeKey(prev, ref, FieldPrevious); err != nil {
		return Keys{}, err
	}
	k.PreviousUntil, err = time.Parse(time.RFC3339, until.Reveal())
	if err != nil {
		return Keys{}, fmt.Errorf("key ring %s: %w: %s is not an RFC 3339 time, "+
			"and is required with %s", ref, ErrInvalid, FieldPreviousUntil, FieldPrevious)
	}
	return k, nil
}

// decodeKey decodes base64 key material and checks its length. Its errors
// name the reference and the field, never the value.
func decodeKey(s Secret, ref Ref, field string) (Secret, error) {
	v := strings.TrimRight(s.Reveal(), "=")
	b, err := base64.RawStdEncoding.DecodeString(v)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(v)
	}
	if err != nil {
		return Secret{}, fmt.Errorf("key %s (%s): %w: not base64", ref, field, ErrInvalid)
	}
	if len(b) < MinKeyBytes || len(b) > maxKeyBytes {
		return Secret{}, fmt.Errorf("key %s (%s): %w: %d bytes, want %d to %d",
			ref, field, ErrInvalid, len(b), MinKeyBytes, maxKeyBytes)
	}
	return Secret{v: string(b)}, nil
}

// LoadJetStreamKey reads the key a NATS server encrypts its JetStream
// store with (the jetstream block's "key"). The value is base64 of at
// least 32 random bytes and is returned as written: the server derives its
// cipher keys from that text.
func LoadJetStreamKey(ctx context.Context, src Source, ref Ref) (Secret, error) {
	s, err := src.Get(ctx, ref)
	if err != nil {
		return Secret{}, err
	}
	if _, err := decodeKey(s, ref, ref.Field()); err != nil {
		return Secret{}, err
	}
	return s, nil
}

// LoadAPIKey reads a model provider's API key: a non-empty value of at
// most 4096 printable ASCII bytes without spaces, as an HTTP header takes
// it.
func LoadAPIKey(ctx context.Context, src Source, ref Ref) (Secret, error) {
	s, err := src.Get(ctx, ref)
	if err != nil {
		return Secret{}, err
	}
	v := s.Reveal()
	if v == "" || len(v) > maxAPIKey {
		return Secret{}, fmt.Errorf("api key %s: %w: empty or longer than %d bytes",
			ref, ErrInvalid, maxAPIKey)
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] >= 0x7f {
			return Secret{}, fmt.Errorf("api key %s: %w: a space, control or "+
				"non-ASCII byte", ref, ErrInvalid)
		}
	}
	return s, nil
}

// ParseProviderRefs parses the model keys setting: comma-separated
// provider=reference pairs, such as
// "openai=vault://iglowly/inference/model-keys#openai,mistral=env://MISTRAL_KEY".
// A provider name is 1 to 40 of [a-z0-9-] and appears once. "" gives an
// empty map. Errors name the pair by position, never its text.
func ParseProviderRefs(s string) (map[string]Ref, error) {
	out := map[string]Ref{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for i, pair := range strings.Split(s, ",") {
		name, ref, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || !isProvider(name) {
			return nil, fmt.Errorf("model keys, pair %d: %w: want provider=reference, "+
				"provider of [a-z0-9-]{1,40}", i+1, ErrInvalid)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("model keys, pair %d: %w: provider %q appears twice",
				i+1, ErrInvalid, name)
		}
		r, err := ParseRef(ref)
		if err != nil {
			return nil, fmt.Errorf("model keys, pair %d (%s): %w", i+1, name, err)
		}
		out[name] = r
	}
	return out, nil
}

// Providers returns the provider names of refs, sorted.
func Providers(refs map[string]Ref) []string {
	out := make([]string, 0, len(refs))
	for p := range refs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func isProvider(s string) bool {
	if len(s) < 1 || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
