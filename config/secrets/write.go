package secrets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/vault/api"
)

// ErrConflict: the secret has a newer version than the one a
// check-and-set write was based on; nothing was written.
var ErrConflict = errors.New("secret changed since it was read")

// Version is one version of a KV v2 secret, read in order to write the
// next one with check-and-set.
type Version struct {
	// Fields are the secret's fields; empty for a secret that does not
	// exist or whose latest version is deleted.
	Fields map[string]Secret
	// Number is the version number; 0 for a secret that does not exist.
	Number int
	// Created is when the version was written; zero with Number 0.
	Created time.Time
}

// ReadVersion reads the latest version of the KV v2 secret ref names
// straight from Vault, past the cache, with its number for WriteCAS. A
// field that is not a string is an error: rewriting the secret would
// change it.
func (c *Client) ReadVersion(ctx context.Context, ref Ref) (Version, error) {
	what := "reading " + ref.String() + " to rewrite it"
	if err := c.writable(ref, what); err != nil {
		return Version{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	s, err := c.vault.KVv2(ref.Mount()).Get(ctx, ref.Path())
	if errors.Is(err, api.ErrSecretNotFound) {
		return Version{Fields: map[string]Secret{}}, nil
	}
	if err != nil {
		return Version{}, c.classify(err, what)
	}
	v := Version{Fields: map[string]Secret{}}
	if s.VersionMetadata != nil {
		v.Number, v.Created = s.VersionMetadata.Version, s.VersionMetadata.CreatedTime
	}
	for name, x := range s.Data {
		str, ok := x.(string)
		if !ok {
			return Version{}, fmt.Errorf("%s: %w: the field %q is not a string",
				what, ErrInvalid, name)
		}
		v.Fields[name] = Secret{v: str}
	}
	return v, nil
}

// WriteCAS writes fields as the new version of the KV v2 secret ref
// names, if its latest version is still version (0: if it does not exist
// yet), and returns the new version's number. If another write came in
// between, it fails with ErrConflict and writes nothing. It needs the
// policy to allow create and update on the secret; the cached copy is
// dropped, so that the next Get reads what was written.
func (c *Client) WriteCAS(ctx context.Context, ref Ref, fields map[string]Secret,
	version int) (int, error) {
	what := "writing " + ref.String()
	if err := c.writable(ref, what); err != nil {
		return 0, err
	}
	if version < 0 {
		return 0, fmt.Errorf("%s: %w: a negative version", what, ErrInvalid)
	}
	data := make(map[string]any, len(fields))
	for name, s := range fields {
		if !isName(name) || len(name) > maxField {
			return 0, fmt.Errorf("%s: %w: a field name is not at most 128 letters, "+
				"digits, '.', '_' or '-'", what, ErrInvalid)
		}
		data[name] = s.v
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	s, err := c.vault.KVv2(ref.Mount()).Put(ctx, ref.Path(), data,
		api.WithCheckAndSet(version))
	c.cache.entry(ref).set(state{})
	if isCASMismatch(err) {
		return 0, fmt.Errorf("%s: %w: version %d is no longer the latest, "+
			"another write came first; nothing was written", what, ErrConflict, version)
	}
	if err != nil {
		return 0, c.classify(err, what)
	}
	if s == nil || s.VersionMetadata == nil {
		return 0, fmt.Errorf("%s: vault returned no version", what)
	}
	return s.VersionMetadata.Version, nil
}

// writable checks that ref names a KV v2 secret that this client can
// reach.
func (c *Client) writable(ref Ref, what string) error {
	if ref.Scheme() != SchemeVault {
		return fmt.Errorf("%s: %w: only vault secrets have versions", what, ErrInvalid)
	}
	if c.vault == nil {
		return fmt.Errorf("%s: %w: no Vault address is set", what, ErrInvalid)
	}
	return nil
}

// isCASMismatch reports whether err is KV v2's answer to a check-and-set
// version that is not the latest one.
func isCASMismatch(err error) bool {
	var re *api.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest {
		return false
	}
	for _, e := range re.Errors {
		if strings.Contains(e, "check-and-set parameter did not match") {
			return true
		}
	}
	return false
}
