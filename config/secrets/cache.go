package secrets

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// retryWait is how long after a failed read a cached secret is served
// without asking Vault again.
const retryWait = 5 * time.Second

// cache keeps the secrets read from Vault, one entry per KV v2 secret.
type cache struct {
	mu      sync.Mutex
	entries map[string]*entry // by mount + "/" + path
}

// entry is one KV v2 secret as last read. load serialises reads of the
// secret from Vault; mu guards the state, so that a caller can serve the
// cached state while another reads from Vault.
type entry struct {
	load sync.Mutex
	mu   sync.Mutex
	st   state
}

// state is what an entry holds.
type state struct {
	data    map[string]any // nil until a read succeeds
	fetched time.Time      // last successful read
	expires time.Time      // when data may no longer be served
	failed  time.Time      // last failed read
}

func (e *entry) get() state {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st
}

func (e *entry) set(st state) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.st = st
}

// servable reports whether the data may be served at now.
func (st state) servable(now time.Time) bool {
	return st.data != nil && now.Before(st.expires)
}

func (c *cache) entry(ref Ref) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := ref.Mount() + "/" + ref.Path()
	e, ok := c.entries[k]
	if !ok {
		e = &entry{}
		c.entries[k] = e
	}
	return e
}

// Get returns the value that ref names. A vault secret is served from the
// cache while it is younger than the refresh interval, read again after
// that, and served from the cache while Vault cannot be reached, until its
// lease or the max age runs out; a warning without content is logged each
// time Vault is tried and fails. A denial or a deleted secret removes the
// cached one at once.
func (c *Client) Get(ctx context.Context, ref Ref) (Secret, error) {
	if ref.Scheme() != SchemeVault {
		return c.local.Get(ctx, ref)
	}
	data, err := c.read(ctx, ref)
	if err != nil {
		return Secret{}, err
	}
	s, present, err := field(data, ref)
	if err != nil {
		return Secret{}, err
	}
	if !present {
		return Secret{}, fmt.Errorf("secret %s: %w: no such field", ref, ErrNotFound)
	}
	return s, nil
}

// GetFields returns fields of the secret ref names from one version.
func (c *Client) GetFields(ctx context.Context, ref Ref, fields ...string) ([]Secret, error) {
	if ref.Scheme() != SchemeVault {
		return nil, fmt.Errorf("secret %s: %w: only vault secrets have fields", ref, ErrInvalid)
	}
	data, err := c.read(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := make([]Secret, len(fields))
	for i, f := range fields {
		r, err := ref.WithField(f)
		if err != nil {
			return nil, err
		}
		if out[i], _, err = field(data, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// field returns the string field ref names from data, and whether it is
// there.
func field(data map[string]any, ref Ref) (Secret, bool, error) {
	v, ok := data[ref.Field()]
	if !ok || v == nil {
		return Secret{}, false, nil
	}
	s, ok := v.(string)
	if !ok {
		return Secret{}, false, fmt.Errorf("secret %s: %w: the field is not a string",
			ref, ErrInvalid)
	}
	return Secret{v: s}, true, nil
}

// read returns the data of the KV v2 secret ref names, from the cache or
// from Vault.
func (c *Client) read(ctx context.Context, ref Ref) (map[string]any, error) {
	if c.vault == nil {
		return nil, fmt.Errorf("secret %s: %w: no Vault address is set", ref, ErrInvalid)
	}
	e := c.cache.entry(ref)
	if !e.load.TryLock() {
		// Another caller is reading it from Vault: serve what is cached
		// rather than wait, if it may still be served.
		if st := e.get(); st.servable(time.Now()) {
			return st.data, nil
		}
		e.load.Lock()
	}
	defer e.load.Unlock()
	now := time.Now()
	st := e.get()
	if st.servable(now) && (now.Sub(st.fetched) < c.cfg.Refresh ||
		now.Sub(st.failed) < retryWait) {
		return st.data, nil
	}
	return c.fetch(ctx, ref, e, st, now)
}

// fetch reads the secret from Vault into e, or serves the cached state st
// when Vault cannot be reached. The caller holds e.load.
func (c *Client) fetch(ctx context.Context, ref Ref, e *entry, st state,
	now time.Time) (map[string]any, error) {
	var err error
	var kv *kvRead
	if c.loggedIn() {
		kv, err = c.readKV(ctx, ref)
	} else {
		err = fmt.Errorf("secret %s: %w: vault at %s: the token expired and login "+
			"has not succeeded again", ref, ErrUnreachable, c.cfg.Addr)
	}
	switch {
	case err == nil:
		st = state{data: kv.data, fetched: now, expires: now.Add(c.cfg.MaxAge)}
		if kv.lease > 0 && kv.lease < c.cfg.MaxAge {
			st.expires = now.Add(kv.lease)
		}
		e.set(st)
		return st.data, nil
	case errors.Is(err, ErrUnreachable) && st.servable(now):
		st.failed = now
		e.set(st)
		c.log.Warn("vault_unreachable_serving_cache", "addr", c.cfg.Addr, "ref", ref,
			"age", now.Sub(st.fetched).Round(time.Second),
			"served_until", st.expires.UTC().Format(time.RFC3339), "error", err)
		return st.data, nil
	case errors.Is(err, ErrDenied), errors.Is(err, ErrNotFound):
		e.set(state{})
	}
	return nil, err
}

// kvRead is the data of one KV v2 read and its lease, if it has one.
type kvRead struct {
	data  map[string]any
	lease time.Duration
}

// readKV reads the latest version of a KV v2 secret.
func (c *Client) readKV(ctx context.Context, ref Ref) (*kvRead, error) {
	what := "secret " + ref.String()
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	s, err := c.vault.KVv2(ref.Mount()).Get(ctx, ref.Path())
	if err != nil {
		return nil, c.classify(err, what)
	}
	if s.Data == nil {
		return nil, fmt.Errorf("%s: %w: its latest version is deleted", what, ErrNotFound)
	}
	r := &kvRead{data: s.Data}
	if s.Raw != nil && s.Raw.LeaseDuration > 0 {
		r.lease = time.Duration(s.Raw.LeaseDuration) * time.Second
	}
	return r, nil
}
