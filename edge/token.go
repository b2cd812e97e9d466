package edge

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/iglowly/assistant/config"
)

// Token errors. A caller maps them to 401 responses.
var (
	// ErrTokenMalformed is returned for a token that is not of the form
	// Issue makes, or names an invalid clinic id.
	ErrTokenMalformed = errors.New("session token is malformed")
	// ErrTokenSignature is returned for a token signed with another key,
	// or changed after signing.
	ErrTokenSignature = errors.New("session token signature is invalid")
	// ErrTokenExpired is returned for a genuine token past its expiry.
	ErrTokenExpired = errors.New("session token has expired")
)

const (
	tokenPrefix   = "v1."
	tokenMaxLen   = 256
	macContext    = "iglowly-session-v1\x00"
	sessionIDSize = 16
	// fixed part of the payload: key id, session id, issued, expires
	payloadFixed = 1 + sessionIDSize + 8 + 8
)

// b64 is the tokens' encoding. Strict: a last character whose unused
// low bits are not zero is refused, so that each token has exactly one
// spelling and none can be varied into another that verifies.
var b64 = base64.RawURLEncoding.Strict()

// Grant is what a session token says: which session, for which clinic,
// and until when at the latest.
type Grant struct {
	// SessionID is 32 hex characters, the key of the session's metadata.
	SessionID string
	// Clinic is the id of the only clinic the token works for.
	Clinic string
	// Issued is when the session started, to the second.
	Issued time.Time
	// Expires is the end of the session's hard lifetime, to the second;
	// the session may end sooner, when idle or ended by the visitor.
	Expires time.Time
}

// SigningKey is one key of the session signing key ring.
type SigningKey struct {
	// ID names the key inside each token it signs, 1 to 255.
	ID byte
	// Key is the HMAC key, at least 32 bytes. Secret.
	Key []byte
	// Until is when a previous key stops verifying; zero for the
	// current key.
	Until time.Time
}

// Keys is a signing key ring: the current key signs new tokens; the
// previous keys still verify the tokens they signed until their Until,
// so a rotation ends no session before its grace period is over.
type Keys struct {
	// Current signs every new token.
	Current SigningKey
	// Next is the key the next rotation makes current, or zero: it
	// verifies already, so that tokens an edge signs with it after the
	// rotation verify on edges that have not read the new ring yet.
	Next SigningKey
	// Previous are keys rotated out, still verifying until their Until.
	Previous []SigningKey
}

// Validate checks a key ring: keys of at least 32 bytes, ids 1 to 255
// and distinct, previous keys with an end.
func (k Keys) Validate() error {
	seen := map[byte]bool{}
	for _, key := range k.All() {
		switch {
		case len(key.Key) < 32:
			return errors.New("session signing key must be at least 32 bytes")
		case key.ID == 0 || seen[key.ID]:
			return errors.New("session signing key ids must be 1 to 255 and distinct")
		}
		seen[key.ID] = true
	}
	for _, p := range k.Previous {
		if p.Until.IsZero() {
			return errors.New("a previous session signing key needs an end")
		}
	}
	return nil
}

// Signer issues and verifies session tokens: unguessable (128 random
// bits), tamper-evident (HMAC-SHA256) and self-expiring, with keys that
// rotate. It is safe for concurrent use, SetKeys included.
type Signer struct {
	keys atomic.Pointer[Keys]
}

// NewSigner returns a signer using the key ring keys.
func NewSigner(keys Keys) (*Signer, error) {
	s := &Signer{}
	return s, s.SetKeys(keys)
}

// SetKeys replaces the key ring, as a rotation does: from now on the new
// current key signs, and the tokens of every key in the ring verify.
func (s *Signer) SetKeys(keys Keys) error {
	if err := keys.Validate(); err != nil {
		return err
	}
	c := Keys{Current: copyKey(keys.Current), Next: copyKey(keys.Next)}
	for _, k := range keys.Previous {
		c.Previous = append(c.Previous, copyKey(k))
	}
	s.keys.Store(&c)
	return nil
}

func copyKey(k SigningKey) SigningKey {
	k.Key = append([]byte(nil), k.Key...)
	return k
}

// verifyKey returns the key of the ring with id, if it still verifies at
// now.
func (k *Keys) verifyKey(id byte, now time.Time) ([]byte, bool) {
	if id == k.Current.ID {
		return k.Current.Key, true
	}
	if k.HasNext() && id == k.Next.ID {
		return k.Next.Key, true
	}
	for _, p := range k.Previous {
		if p.ID == id && now.Before(p.Until) {
			return p.Key, true
		}
	}
	return nil, false
}

// Issue creates a session for clinic valid until now+lifetime.
func (s *Signer) Issue(clinic string, now time.Time, lifetime time.Duration) (string, Grant) {
	var sid [sessionIDSize]byte
	if _, err := rand.Read(sid[:]); err != nil {
		panic("edge: no randomness: " + err.Error())
	}
	g := Grant{
		SessionID: hex.EncodeToString(sid[:]),
		Clinic:    clinic,
		Issued:    now.Truncate(time.Second),
		Expires:   now.Add(lifetime).Truncate(time.Second),
	}
	keys := s.keys.Load()
	p := make([]byte, payloadFixed, payloadFixed+len(clinic))
	p[0] = keys.Current.ID
	copy(p[1:], sid[:])
	binary.BigEndian.PutUint64(p[17:], uint64(g.Issued.Unix()))
	binary.BigEndian.PutUint64(p[25:], uint64(g.Expires.Unix()))
	p = append(p, clinic...)
	return tokenPrefix + b64.EncodeToString(p) + "." +
		b64.EncodeToString(mac(keys.Current.Key, p)), g
}

// Verify checks a token's form, signature and expiry at now.
func (s *Signer) Verify(token string, now time.Time) (Grant, error) {
	var g Grant
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok || len(token) > tokenMaxLen {
		return g, ErrTokenMalformed
	}
	payloadB64, macB64, ok := strings.Cut(rest, ".")
	if !ok {
		return g, ErrTokenMalformed
	}
	p, err1 := b64.DecodeString(payloadB64)
	sum, err2 := b64.DecodeString(macB64)
	if err1 != nil || err2 != nil || len(p) <= payloadFixed {
		return g, ErrTokenMalformed
	}
	key, ok := s.keys.Load().verifyKey(p[0], now)
	if !ok || !hmac.Equal(sum, mac(key, p)) {
		return g, ErrTokenSignature
	}
	g.SessionID = hex.EncodeToString(p[1:17])
	g.Issued = time.Unix(int64(binary.BigEndian.Uint64(p[17:])), 0)
	g.Expires = time.Unix(int64(binary.BigEndian.Uint64(p[25:])), 0)
	g.Clinic = string(p[payloadFixed:])
	if !config.ValidClinicID(g.Clinic) {
		return g, ErrTokenMalformed
	}
	if !now.Before(g.Expires) {
		return g, ErrTokenExpired
	}
	return g, nil
}

func mac(key, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(macContext))
	h.Write(payload)
	return h.Sum(nil)
}
