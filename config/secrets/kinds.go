package secrets

import (
	"context"
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
	// Current is the current key.
	Current Secret
	// Previous is the previous key, or zero.
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
// that secret. A file or env reference holds the current key alone. A key
// is used as it is written, at least 32 bytes that look random: raw
// bytes in a file, base64 text (openssl rand -base64 32) in Vault.
func LoadKeys(ctx context.Context, src Source, ref Ref) (Keys, error) {
	if ref.Scheme() != SchemeVault {
		s, err := src.Get(ctx, ref)
		if err != nil {
			return Keys{}, err
		}
		cur, err := checkKey(s, ref, FieldCurrent)
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
	if k.Current, err = checkKey(cur, ref, FieldCurrent); err != nil {
		return Keys{}, err
	}
	if prev.IsZero() {
		return k, nil
	}
	if k.Previous, err = checkKey(prev, ref, FieldPrevious); err != nil {
		return Keys{}, err
	}
	k.PreviousUntil, err = time.Parse(time.RFC3339, until.Reveal())
	if err != nil {
		return Keys{}, fmt.Errorf("key ring %s: %w: %s is not an RFC 3339 time, "+
			"and is required with %s", ref, ErrInvalid, FieldPreviousUntil, FieldPrevious)
	}
	return k, nil
}

// minDistinct is the fewest distinct byte values a key may have: 32
// random bytes, or their base64, have about 30; "aaaa..." or a phrase
// has far fewer.
const minDistinct = 16

// checkKey checks key material: at least 32 and at most 1024 bytes, used
// as they are (raw bytes in a file, base64 text in Vault alike), with at
// least 16 distinct byte values. Its errors name the reference and the
// field, never the value.
func checkKey(s Secret, ref Ref, field string) (Secret, error) {
	n := s.Len()
	if n < MinKeyBytes || n > maxKeyBytes {
		return Secret{}, fmt.Errorf("key %s (%s): %w: %d bytes, want %d to %d",
			ref, field, ErrInvalid, n, MinKeyBytes, maxKeyBytes)
	}
	if distinct(s.Reveal()) < minDistinct {
		return Secret{}, fmt.Errorf("key %s (%s): %w: does not look random "+
			"(fewer than %d distinct bytes)", ref, field, ErrInvalid, minDistinct)
	}
	return s, nil
}

func distinct(v string) int {
	var seen [256]bool
	n := 0
	for i := 0; i < len(v); i++ {
		if !seen[v[i]] {
			seen[v[i]] = true
			n++
		}
	}
	return n
}

// MinJetStreamKey is the shortest JetStream key accepted, in letters.
const MinJetStreamKey = 40

// LoadJetStreamKey reads the key a NATS server encrypts its JetStream
// store with (the jetstream block's "key", given to the server as
// $JETSTREAM_KEY). It is at least 40 ASCII letters and nothing else: the
// server parses the value of a variable as a config token, and only
// letters always stay a string. 40 random letters hold 228 bits.
func LoadJetStreamKey(ctx context.Context, src Source, ref Ref) (Secret, error) {
	s, err := src.Get(ctx, ref)
	if err != nil {
		return Secret{}, err
	}
	v := s.Reveal()
	for i := 0; i < len(v); i++ {
		if c := v[i] | 0x20; c < 'a' || c > 'z' {
			return Secret{}, fmt.Errorf("jetstream key %s: %w: letters A-Z and a-z only",
				ref, ErrInvalid)
		}
	}
	if len(v) < MinJetStreamKey || len(v) > maxKeyBytes || distinct(v) < minDistinct {
		return Secret{}, fmt.Errorf("jetstream key %s: %w: want %d to %d random letters",
			ref, ErrInvalid, MinJetStreamKey, maxKeyBytes)
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
