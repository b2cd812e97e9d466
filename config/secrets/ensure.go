package secrets

import (
	"context"
	"errors"
	"fmt"
)

// ensureAttempts bounds how often Ensure reads again after losing a race
// to make the secret.
const ensureAttempts = 3

// Ensure returns the named fields of the KV v2 secret ref names (ref's
// own field is ignored), in order, and makes the secret first, with a
// value from gen for each field, if it does not exist. It never changes
// a secret that exists: one that lacks a field, or whose latest version
// is deleted, is an error that says what to do. The write uses
// check-and-set 0, so that two callers making it at once agree on the
// winner's values. It needs the read and create capabilities on the
// secret, not update. made reports whether this call wrote it.
func (c *Client) Ensure(ctx context.Context, ref Ref, fields []string,
	gen func() (Secret, error)) (vals []Secret, made bool, err error) {
	if len(fields) == 0 {
		return nil, false, fmt.Errorf("ensuring %s: %w: no fields", ref, ErrInvalid)
	}
	for range ensureAttempts {
		v, err := c.ReadVersion(ctx, ref)
		if err != nil {
			return nil, false, err
		}
		if v.Number > 0 {
			vals, err := pick(ref, v, fields)
			return vals, false, err
		}
		fresh, err := c.makeFields(ctx, ref, fields, gen)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		vals, err := pick(ref, Version{Fields: fresh, Number: 1}, fields)
		return vals, true, err
	}
	return nil, false, fmt.Errorf("making %s: %w: it was written by another "+
		"writer each time it was read, or its versions are deleted; look at it in Vault",
		ref, ErrConflict)
}

// makeFields writes the secret ref names with a value from gen for each
// field, if it does not exist; ErrConflict means another writer made it
// first.
func (c *Client) makeFields(ctx context.Context, ref Ref, fields []string,
	gen func() (Secret, error)) (map[string]Secret, error) {
	fresh := make(map[string]Secret, len(fields))
	for _, f := range fields {
		v, err := gen()
		if err != nil {
			return nil, fmt.Errorf("making %s: %w", ref, err)
		}
		if v.IsZero() {
			return nil, fmt.Errorf("making %s: %w: an empty value", ref, ErrInvalid)
		}
		fresh[f] = v
	}
	_, err := c.WriteCAS(ctx, ref, fresh, 0)
	if errors.Is(err, ErrDenied) && c.appeared(ctx, ref) {
		// Vault takes a write on a secret that exists for an update,
		// which a create-only policy denies: another caller made it in
		// between.
		return nil, fmt.Errorf("making %s: %w", ref, ErrConflict)
	}
	return fresh, err
}

// appeared reports whether the secret ref names exists now.
func (c *Client) appeared(ctx context.Context, ref Ref) bool {
	v, err := c.ReadVersion(ctx, ref)
	return err == nil && v.Number > 0
}

// pick returns the named fields of v, in order.
func pick(ref Ref, v Version, fields []string) ([]Secret, error) {
	if len(v.Fields) == 0 {
		return nil, fmt.Errorf("reading %s: %w: its latest version %d is deleted; "+
			"undelete it, or destroy the secret's metadata to make it anew",
			ref, ErrNotFound, v.Number)
	}
	out := make([]Secret, len(fields))
	for i, f := range fields {
		s, ok := v.Fields[f]
		if !ok || s.IsZero() {
			return nil, fmt.Errorf("reading %s: %w: it has no field %q; it is never "+
				"changed here, so add the field in Vault", ref, ErrNotFound, f)
		}
		out[i] = s
	}
	return out, nil
}
