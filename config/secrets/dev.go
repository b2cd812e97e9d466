package secrets

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// devPrefix starts every ciphertext of the Dev transit.
const devPrefix = "dev:v1:"

// Dev is the Source and Transit of "iglowly dev": it generates every
// vault:// secret in memory on first use (48 random letters, which fit
// every kind of secret) and
// keeps it for the life of the process, reads file:// and env://
// references as Local does, and encrypts with AES-256-GCM keys that exist
// only in memory. The fields a rotation writes (previous, next and the
// ids) are never generated: a dev key ring has not been rotated until
// RotateKeys. What Dev
// encrypts cannot be decrypted after a restart.
type Dev struct {
	local Local

	mu   sync.Mutex
	vals map[string]Secret // by Ref.String()
	keys map[string]cipher.AEAD
}

// NewDev returns a Dev source and logs a loud warning that its secrets
// are generated and must never be used in production.
func NewDev(log *slog.Logger) *Dev {
	if log == nil {
		log = slog.Default()
	}
	log.Warn("dev_secrets_in_memory", "warning", "DEVELOPMENT ONLY: every secret "+
		"is generated in memory and lost at exit, nothing comes from Vault; "+
		"never run this in production")
	return &Dev{
		local: Local{Log: log},
		vals:  map[string]Secret{},
		keys:  map[string]cipher.AEAD{},
	}
}

// Put sets the value of ref, in place of a generated one.
func (d *Dev) Put(ref Ref, v Secret) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.vals[ref.String()] = v
}

// Get returns the value of ref, generating a vault secret on first use.
func (d *Dev) Get(ctx context.Context, ref Ref) (Secret, error) {
	if ref.Scheme() != SchemeVault {
		return d.local.Get(ctx, ref)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.lookup(ref)
	if s.IsZero() {
		return Secret{}, fmt.Errorf("secret %s: %w", ref, ErrNotFound)
	}
	return s, nil
}

// GetFields returns fields of the secret ref names, as Get would, read
// under one lock.
func (d *Dev) GetFields(_ context.Context, ref Ref, fields ...string) ([]Secret, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Secret, len(fields))
	for i, f := range fields {
		r, err := ref.WithField(f)
		if err != nil {
			return nil, err
		}
		out[i] = d.lookup(r)
	}
	return out, nil
}

// lookup returns the value of a vault ref, generating it unless it is a
// previous field. The caller holds d.mu.
func (d *Dev) lookup(ref Ref) Secret {
	k := ref.String()
	if s, ok := d.vals[k]; ok {
		return s
	}
	if !generated(ref.Field()) {
		return Secret{}
	}
	s := Secret{v: randomLetters(generatedLen)}
	d.vals[k] = s
	return s
}

// RotateKeys rotates the key ring whose current field ref names: the
// current key becomes the previous one, verifying for grace, and a new
// current key is generated.
func (d *Dev) RotateKeys(_ context.Context, ref Ref, grace time.Duration) error {
	if ref.Scheme() != SchemeVault || ref.Field() != FieldCurrent {
		return fmt.Errorf("rotating %s: %w: want a vault reference to the field %q",
			ref, ErrInvalid, FieldCurrent)
	}
	prev, _ := ref.WithField(FieldPrevious)
	until, _ := ref.WithField(FieldPreviousUntil)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.vals[prev.String()] = d.lookup(ref)
	d.vals[until.String()] = Secret{v: time.Now().Add(grace).UTC().Format(time.RFC3339)}
	d.vals[ref.String()] = Secret{v: randomLetters(generatedLen)}
	return nil
}

// aead returns the in-memory key of that name, made on first use.
func (d *Dev) aead(name string) (cipher.AEAD, error) {
	if err := checkKeyName(name); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if a, ok := d.keys[name]; ok {
		return a, nil
	}
	b, err := aes.NewCipher(random(32))
	if err != nil {
		return nil, err
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	d.keys[name] = a
	return a, nil
}

// Encrypt encrypts plaintext with the in-memory key of that name.
func (d *Dev) Encrypt(_ context.Context, key string, plaintext []byte) (string, error) {
	a, err := d.aead(key)
	if err != nil {
		return "", err
	}
	nonce := random(a.NonceSize())
	ct := a.Seal(nonce, nonce, plaintext, []byte(key))
	return devPrefix + base64.StdEncoding.EncodeToString(ct), nil
}

// Decrypt reverses Encrypt.
func (d *Dev) Decrypt(_ context.Context, key, ciphertext string) ([]byte, error) {
	a, err := d.aead(key)
	if err != nil {
		return nil, err
	}
	fail := fmt.Errorf("decrypting with dev key %s: %w", key, ErrDecrypt)
	raw, ok := strings.CutPrefix(ciphertext, devPrefix)
	if !ok {
		return nil, fail
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(b) < a.NonceSize() {
		return nil, fail
	}
	pt, err := a.Open(nil, b[:a.NonceSize()], b[a.NonceSize():], []byte(key))
	if err != nil {
		return nil, fail
	}
	return pt, nil
}

// DataKey returns a new data key and its form wrapped by the named key.
func (d *Dev) DataKey(ctx context.Context, key string) (Secret, string, error) {
	plain := random(32)
	wrapped, err := d.Encrypt(ctx, key, plain)
	if err != nil {
		return Secret{}, "", err
	}
	return Secret{v: string(plain)}, wrapped, nil
}

// random returns n bytes from crypto/rand, which never fails.
func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// generatedLen is the length of a generated secret: 48 letters hold 273
// bits.
const generatedLen = 48

// randomLetters returns n letters A-Z and a-z drawn uniformly from
// crypto/rand.
func randomLetters(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	out := make([]byte, 0, n)
	for len(out) < n {
		for _, b := range random(n) {
			// 208 = 4 * 52: bytes above it would bias the draw.
			if b < 208 && len(out) < n {
				out = append(out, alphabet[b%52])
			}
		}
	}
	return string(out)
}

// checkKeyName validates a transit key name.
func checkKeyName(name string) error {
	if len(name) > maxField || !isName(name) {
		return fmt.Errorf("transit key name: %w: want at most 128 letters, "+
			"digits, '.', '_' or '-'", ErrInvalid)
	}
	return nil
}
