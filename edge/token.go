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

var b64 = base64.RawURLEncoding

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

// Signer issues and verifies session tokens: unguessable (128 random
// bits), tamper-evident (HMAC-SHA256) and self-expiring.
type Signer struct {
	keyID byte
	key   []byte
}

// NewSigner returns a signer using key, which must be at least 32 bytes.
func NewSigner(keyID byte, key []byte) (*Signer, error) {
	if len(key) < 32 {
		return nil, errors.New("session signing key must be at least 32 bytes")
	}
	// TODO(#4): keep previous keys verifying during a rotation grace period.
	return &Signer{keyID: keyID, key: append([]byte(nil), key...)}, nil
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
	p := make([]byte, payloadFixed, payloadFixed+len(clinic))
	p[0] = s.keyID
	copy(p[1:], sid[:])
	binary.BigEndian.PutUint64(p[17:], uint64(g.Issued.Unix()))
	binary.BigEndian.PutUint64(p[25:], uint64(g.Expires.Unix()))
	p = append(p, clinic...)
	return tokenPrefix + b64.EncodeToString(p) + "." +
		b64.EncodeToString(s.mac(p)), g
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
	mac, err2 := b64.DecodeString(macB64)
	if err1 != nil || err2 != nil || len(p) <= payloadFixed {
		return g, ErrTokenMalformed
	}
	if p[0] != s.keyID || !hmac.Equal(mac, s.mac(p)) {
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

func (s *Signer) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(macContext))
	h.Write(payload)
	return h.Sum(nil)
}
