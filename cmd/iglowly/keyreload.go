package main

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/edge"
)

// keyReloadEvery is how often a component reads its secrets again, so
// that a rotation reaches every replica within that time. A file or
// variable is read each time; a Vault secret comes from the secrets
// client's cache, which asks Vault again once it is older than the
// refresh interval (IGLOWLY_VAULT_REFRESH). Tests shorten it.
var keyReloadEvery = 5 * time.Second

// loadSessionKeys reads the session signing key ring that ref names. A
// vault reference names the field current of a secret that also holds
// the ids and may hold next and previous keys (docs/vault.md); a file or
// a variable holds the JSON ring that "iglowly keys rotate" writes, or
// one raw key.
func loadSessionKeys(ctx context.Context, src secrets.Source, ref secrets.Ref,
	log *slog.Logger) (edge.Keys, error) {
	if ref.Scheme() == secrets.SchemeVault {
		k, err := secrets.LoadKeys(ctx, src, ref)
		if err != nil {
			return edge.Keys{}, err
		}
		ring, dropped := vaultRing(k, time.Now())
		if dropped {
			log.Warn("session_key_id_collision", "ref", ref, "message",
				"the ring has no ids, and its previous key's derived id is the "+
					"current one's: the previous key no longer verifies and its "+
					"sessions must start again; iglowly keys rotate writes ids")
		}
		return ring, ring.Validate()
	}
	s, err := src.Get(ctx, ref)
	if err != nil {
		return edge.Keys{}, err
	}
	keys, err := edge.ParseKeys(s.Bytes())
	if err != nil {
		return edge.Keys{}, fmt.Errorf("session keys %s: %w", ref, err)
	}
	return keys, nil
}

// vaultRing turns a key ring read from Vault into the edge's, with the
// ids stored beside the keys, or, for a ring written before ids were
// stored, derived from the keys as every edge derives them. Only such a
// ring can give its previous key the current one's id (one ring in 255):
// the previous key is then dropped, and dropped is true. An expired
// previous key is left out.
func vaultRing(k secrets.Keys, now time.Time) (ring edge.Keys, dropped bool) {
	ring.Current = edge.SigningKey{ID: k.CurrentID, Key: k.Current.Bytes()}
	if !k.Next.IsZero() {
		ring.Next = edge.SigningKey{ID: k.NextID, Key: k.Next.Bytes()}
	}
	if k.Previous.IsZero() || !now.Before(k.PreviousUntil) {
		return ring, false
	}
	if k.PreviousID == k.CurrentID {
		return ring, true
	}
	ring.Previous = []edge.SigningKey{{ID: k.PreviousID, Key: k.Previous.Bytes(),
		Until: k.PreviousUntil}}
	return ring, false
}

// loadAddressKey reads the key that hashes client addresses.
func loadAddressKey(ctx context.Context, src secrets.Source, ref secrets.Ref) (secrets.Secret,
	error) {
	s, err := src.Get(ctx, ref)
	if err != nil {
		return secrets.Secret{}, err
	}
	if s.Len() < secrets.MinKeyBytes {
		return secrets.Secret{}, fmt.Errorf("address key %s: %w: %d bytes, want at least %d",
			ref, secrets.ErrInvalid, s.Len(), secrets.MinKeyBytes)
	}
	return s, nil
}

// sameKeys reports whether two key rings are the same.
func sameKeys(a, b edge.Keys) bool { return bytes.Equal(a.Marshal(), b.Marshal()) }

// sameSecret reports whether two secrets have the same value, in
// constant time.
func sameSecret(a, b secrets.Secret) bool {
	return subtle.ConstantTimeCompare(a.Bytes(), b.Bytes()) == 1
}

// reload says how to keep one secret of a running component current.
type reload[T any] struct {
	// what names the secret in logs, such as "session_keys".
	what string
	// load reads the secret from its source.
	load func(context.Context) (T, error)
	// same reports whether two values are the same.
	same func(a, b T) bool
	// apply puts a new value in use; an error leaves the old one.
	apply func(T) error
}

// watch reads the secret every interval until ctx ends, and applies it
// when it differs from last, the value in use. A secret that cannot be
// read or is refused leaves the one in use as it is, with a warning that
// names the secret and the step, never a value.
func (r reload[T]) watch(ctx context.Context, last T, every time.Duration,
	log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := r.load(ctx)
		if err == nil && r.same(v, last) {
			continue
		}
		if err == nil {
			err = r.apply(v)
		}
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.Warn("secret_not_reloaded", "secret", r.what, "error", err)
			continue
		}
		last = v
		log.Info("secret_reloaded", "secret", r.what)
	}
}

// modelKeys holds the model providers' API keys of the inference worker,
// replaced as they rotate. It is safe for concurrent use.
type modelKeys struct {
	m atomic.Pointer[map[string]secrets.Secret]
}

// Key returns the API key of provider, if one is configured.
func (k *modelKeys) Key(provider string) (secrets.Secret, bool) {
	s, ok := (*k.m.Load())[provider]
	return s, ok
}

func (k *modelKeys) set(m map[string]secrets.Secret) error {
	k.m.Store(&m)
	return nil
}

// loadModelKeys reads the API key of each provider in refs.
func loadModelKeys(ctx context.Context, src secrets.Source,
	refs map[string]secrets.Ref) (map[string]secrets.Secret, error) {
	out := make(map[string]secrets.Secret, len(refs))
	for _, p := range secrets.Providers(refs) {
		s, err := secrets.LoadAPIKey(ctx, src, refs[p])
		if err != nil {
			return nil, fmt.Errorf("reading model key %s: %w", p, err)
		}
		out[p] = s
	}
	return out, nil
}

// sameModelKeys reports whether two sets of API keys are the same.
func sameModelKeys(a, b map[string]secrets.Secret) bool {
	if len(a) != len(b) {
		return false
	}
	for p, s := range a {
		if t, ok := b[p]; !ok || !sameSecret(s, t) {
			return false
		}
	}
	return true
}

// startModelKeys reads the model keys once, failing if any cannot be
// read, and keeps them current until ctx ends.
func startModelKeys(ctx context.Context, src secrets.Source, refs map[string]secrets.Ref,
	log *slog.Logger) (*modelKeys, error) {
	m, err := loadModelKeys(ctx, src, refs)
	if err != nil {
		return nil, err
	}
	keys := &modelKeys{}
	_ = keys.set(m)
	if len(refs) == 0 {
		return keys, nil
	}
	r := reload[map[string]secrets.Secret]{what: "model_keys", same: sameModelKeys,
		load: func(ctx context.Context) (map[string]secrets.Secret, error) {
			return loadModelKeys(ctx, src, refs)
		}, apply: keys.set}
	go r.watch(ctx, m, keyReloadEvery, log)
	return keys, nil
}
