package secrets

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The fields of a key ring secret in Vault: the session signing keys
// (edge/session-keys) and the admin-key pepper (edge/admin-pepper) both
// have this shape. Every key has an id beside it, 1 to 255 in decimal,
// which tokens carry to name their key; a ring written before ids were
// stored has no id fields, and its ids are derived from its keys.
const (
	// FieldCurrent is the key in use: it signs (or peppers) everything new.
	FieldCurrent = "current"
	// FieldCurrentID is the current key's id.
	FieldCurrentID = "current_id"
	// FieldNext is the key the next rotation makes current, optional: it
	// verifies already, so that components which have read the ring
	// after a rotation and those which have not accept each other's
	// tokens.
	FieldNext = "next"
	// FieldNextID is the next key's id; required with next.
	FieldNextID = "next_id"
	// FieldPrevious is the key before the last rotation, optional; it
	// still verifies until previous_until.
	FieldPrevious = "previous"
	// FieldPreviousID is the previous key's id; required with previous
	// when the ring has ids.
	FieldPreviousID = "previous_id"
	// FieldPreviousUntil is when the previous key stops verifying, in RFC
	// 3339; required with previous.
	FieldPreviousUntil = "previous_until"
)

// ringFields are the fields of a key ring, in the order LoadKeys reads
// them.
var ringFields = []string{FieldCurrent, FieldCurrentID, FieldNext, FieldNextID,
	FieldPrevious, FieldPreviousID, FieldPreviousUntil}

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
	// CurrentID is the current key's id, 1 to 255.
	CurrentID byte
	// Next is the next key, or zero.
	Next Secret
	// NextID is the next key's id; 0 without one.
	NextID byte
	// Previous is the previous key, or zero.
	Previous Secret
	// PreviousID is the previous key's id; 0 without one.
	PreviousID byte
	// PreviousUntil is when Previous stops verifying; zero without one.
	PreviousUntil time.Time
	// IDsDerived is true for a ring written without ids: each id was
	// derived from its key, as edges did before ids were stored, and the
	// previous key's id may then be the current one's (one ring in 255).
	// The first rotation writes ids.
	IDsDerived bool
}

// Verifying returns the keys that verify at now: the current key, the
// next one if there is one, then the previous one while now is before
// PreviousUntil.
func (k Keys) Verifying(now time.Time) []Secret {
	out := []Secret{k.Current}
	if !k.Next.IsZero() {
		out = append(out, k.Next)
	}
	if !k.Previous.IsZero() && now.Before(k.PreviousUntil) {
		out = append(out, k.Previous)
	}
	return out
}

// LoadKeys reads a key ring. A vault reference must name the field
// current: the other fields are read from the same version of that
// secret. A file or env reference holds the current key alone, with an id
// derived from it. A key is used as it is written, at least 32 bytes that
// look random: raw bytes in a file, base64 text (openssl rand -base64 32)
// in Vault.
func LoadKeys(ctx context.Context, src Source, ref Ref) (Keys, error) {
	if ref.Scheme() != SchemeVault {
		s, err := src.Get(ctx, ref)
		if err != nil {
			return Keys{}, err
		}
		cur, err := checkKey(s, ref, FieldCurrent)
		return Keys{Current: cur, CurrentID: DeriveKeyID(cur), IDsDerived: true}, err
	}
	if ref.Field() != FieldCurrent {
		return Keys{}, fmt.Errorf("key ring %s: %w: the reference must name the field %q",
			ref, ErrInvalid, FieldCurrent)
	}
	f, err := GetFields(ctx, src, ref, ringFields...)
	if err != nil {
		return Keys{}, err
	}
	if f[0].IsZero() {
		return Keys{}, fmt.Errorf("key ring %s: %w", ref, ErrNotFound)
	}
	fields := map[string]Secret{}
	for i, name := range ringFields {
		if !f[i].IsZero() {
			fields[name] = f[i]
		}
	}
	return KeysFromFields(ref, fields)
}

// KeysFromFields reads a key ring from the fields of one version of its
// secret, which ref names; fields that are not the ring's are ignored.
// Its errors name the reference and the field, never a value.
func KeysFromFields(ref Ref, f map[string]Secret) (Keys, error) {
	var k Keys
	var err error
	if k.Current, err = checkKey(f[FieldCurrent], ref, FieldCurrent); err != nil {
		return Keys{}, err
	}
	if !f[FieldNext].IsZero() {
		if k.Next, err = checkKey(f[FieldNext], ref, FieldNext); err != nil {
			return Keys{}, err
		}
	}
	if !f[FieldPrevious].IsZero() {
		if k.Previous, err = checkKey(f[FieldPrevious], ref, FieldPrevious); err != nil {
			return Keys{}, err
		}
		k.PreviousUntil, err = time.Parse(time.RFC3339, f[FieldPreviousUntil].Reveal())
		if err != nil {
			return Keys{}, fmt.Errorf("key ring %s: %w: %s is not an RFC 3339 time, "+
				"and is required with %s", ref, ErrInvalid, FieldPreviousUntil, FieldPrevious)
		}
	}
	if err := k.setIDs(ref, f); err != nil {
		return Keys{}, err
	}
	return k, nil
}

// setIDs reads the ids of the keys in k from f, or derives them for a
// ring written without ids. Ids are stored for every key or for none.
func (k *Keys) setIDs(ref Ref, f map[string]Secret) error {
	if f[FieldCurrentID].IsZero() {
		for _, name := range []string{FieldNext, FieldNextID, FieldPreviousID} {
			if !f[name].IsZero() {
				return fmt.Errorf("key ring %s: %w: %s without %s: write an id beside "+
					"every key or beside none", ref, ErrInvalid, name, FieldCurrentID)
			}
		}
		k.IDsDerived = true
		k.CurrentID = DeriveKeyID(k.Current)
		if !k.Previous.IsZero() {
			k.PreviousID = DeriveKeyID(k.Previous)
		}
		return nil
	}
	var err error
	if k.CurrentID, err = parseID(f, ref, FieldCurrentID, true); err != nil {
		return err
	}
	if k.NextID, err = parseID(f, ref, FieldNextID, !k.Next.IsZero()); err != nil {
		return err
	}
	if k.PreviousID, err = parseID(f, ref, FieldPreviousID, !k.Previous.IsZero()); err != nil {
		return err
	}
	if k.NextID != 0 && k.NextID == k.CurrentID ||
		k.PreviousID != 0 && (k.PreviousID == k.CurrentID || k.PreviousID == k.NextID) {
		return fmt.Errorf("key ring %s: %w: two keys have the same id", ref, ErrInvalid)
	}
	return nil
}

// parseID reads the id field name of f: 1 to 255 in decimal, present if
// and only if want says its key is.
func parseID(f map[string]Secret, ref Ref, name string, want bool) (byte, error) {
	s := f[name]
	if !want {
		if !s.IsZero() {
			return 0, fmt.Errorf("key ring %s: %w: %s without its key", ref, ErrInvalid, name)
		}
		return 0, nil
	}
	n, err := strconv.Atoi(s.Reveal())
	if err != nil || n < 1 || n > 255 {
		return 0, fmt.Errorf("key ring %s: %w: %s is not a whole number from 1 to 255",
			ref, ErrInvalid, name)
	}
	return byte(n), nil
}

// Fields returns the ring as the fields of its secret, ids included, for
// writing it as a new version: a key the ring lacks has no field.
func (k Keys) Fields() map[string]Secret {
	id := func(b byte) Secret { return Secret{v: strconv.Itoa(int(b))} }
	f := map[string]Secret{FieldCurrent: k.Current, FieldCurrentID: id(k.CurrentID)}
	if !k.Next.IsZero() {
		f[FieldNext], f[FieldNextID] = k.Next, id(k.NextID)
	}
	if !k.Previous.IsZero() {
		f[FieldPrevious], f[FieldPreviousID] = k.Previous, id(k.PreviousID)
		f[FieldPreviousUntil] = Secret{v: k.PreviousUntil.UTC().Format(time.RFC3339)}
	}
	return f
}

// DeriveKeyID returns the id, 1 to 255, of a key in a ring written
// without ids: every component derives the same one from the key. Two
// keys have the same id once in 255, which is why rings now store ids.
func DeriveKeyID(key Secret) byte {
	sum := sha256.Sum256(append([]byte("iglowly-session-key-id-v1\x00"), key.v...))
	return sum[0]%255 + 1
}

// generated reports whether Dev makes up a value for a field of that
// name: not for the fields a rotation writes (previous, next and ids).
func generated(field string) bool {
	return !strings.HasPrefix(field, FieldPrevious) && !strings.HasPrefix(field, FieldNext) &&
		!strings.HasSuffix(field, "_id")
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
