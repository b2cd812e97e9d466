// Package secrets resolves the secret references that configuration holds
// (vault://mount/path#field, file:///path, env://NAME) into values, and
// offers encryption for what is stored at rest. It is the only package
// that knows Vault: the rest of the code sees a Source, a Transit and the
// Secret type, whose printed and logged forms are masked.
//
// Under "iglowly dev" a Dev source generates every secret in memory; in
// production Open logs in to Vault with AppRole or a token, keeps the token
// renewed, and caches what it reads so that a short Vault outage does not
// stop the service.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// Masked is what a Secret shows when printed, logged or marshalled.
const Masked = "REDACTED"

// Secret holds a secret value. Its String, GoString, Format, LogValue and
// MarshalJSON show Masked, never the value: only Reveal and Bytes give it.
type Secret struct {
	v string
}

// NewSecret wraps a value as a Secret.
func NewSecret(v string) Secret { return Secret{v: v} }

// Reveal returns the value. Call it only where the value is used.
func (s Secret) Reveal() string { return s.v }

// Bytes returns a copy of the value.
func (s Secret) Bytes() []byte { return []byte(s.v) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == "" }

// Len returns the length of the value in bytes.
func (s Secret) Len() int { return len(s.v) }

// String returns Masked.
func (s Secret) String() string { return Masked }

// GoString returns Masked, for %#v.
func (s Secret) GoString() string { return Masked }

// Format writes Masked for every verb, so that %x or %d do not print the
// value either.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Masked)) }

// LogValue returns Masked.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Masked) }

// MarshalJSON returns Masked as a JSON string.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Masked + `"`), nil }

// MarshalText returns Masked.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Masked), nil }

// Source resolves secret references. Implementations are safe for
// concurrent use. Callers read a secret at start and on a timer, never on
// the path of each message.
type Source interface {
	// Get returns the value that ref names. Its errors wrap ErrNotFound,
	// ErrDenied, ErrUnreachable or ErrInvalid, and name the reference but
	// never a value.
	Get(ctx context.Context, ref Ref) (Secret, error)
}

// FieldsSource is a Source that reads several fields of one secret from
// a single version, so that fields written together are read together.
type FieldsSource interface {
	Source
	// GetFields returns the named fields of the secret ref names (ref's
	// own field is ignored), in order; an absent field is a zero Secret.
	GetFields(ctx context.Context, ref Ref, fields ...string) ([]Secret, error)
}

// Transit encrypts and decrypts what is stored at rest with named keys
// that never leave Vault. A call costs a round trip to Vault (about
// 0.15-0.2 ms on loopback): use it at start, on writes of stored records
// or through a data key, never per message.
type Transit interface {
	// Encrypt encrypts plaintext with the named key and returns the
	// ciphertext, prefixed with the key version ("vault:v1:...").
	Encrypt(ctx context.Context, key string, plaintext []byte) (string, error)
	// Decrypt reverses Encrypt. A ciphertext of another key or one that
	// was changed fails with ErrDecrypt.
	Decrypt(ctx context.Context, key, ciphertext string) ([]byte, error)
	// DataKey returns a new 256-bit data key, and the same key encrypted
	// with the named key for storing beside the data it protects; Decrypt
	// of the wrapped form gives the key's bytes back.
	DataKey(ctx context.Context, key string) (plain Secret, wrapped string, err error)
}

// The kinds of failure, for errors.Is.
var (
	// ErrNotFound: the secret or its field does not exist.
	ErrNotFound = errors.New("secret not found")
	// ErrDenied: the policy of this component does not allow it.
	ErrDenied = errors.New("permission denied")
	// ErrUnreachable: Vault could not be reached, and no cached value is
	// young enough to serve.
	ErrUnreachable = errors.New("vault unreachable")
	// ErrInvalid: a reference, a name or a value is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrDecrypt: a ciphertext does not decrypt with the given key.
	ErrDecrypt = errors.New("decryption failed")
)

// GetFields reads fields of the secret ref names through src, from one
// version when src is a FieldsSource and one Get at a time otherwise. An
// absent field is a zero Secret.
func GetFields(ctx context.Context, src Source, ref Ref, fields ...string) ([]Secret, error) {
	if fs, ok := src.(FieldsSource); ok {
		return fs.GetFields(ctx, ref, fields...)
	}
	out := make([]Secret, len(fields))
	for i, f := range fields {
		r, err := ref.WithField(f)
		if err != nil {
			return nil, err
		}
		s, err := src.Get(ctx, r)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}
