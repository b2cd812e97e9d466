package secrets

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/vault/api"
)

// maxCiphertext is the longest ciphertext Decrypt sends to Vault.
const maxCiphertext = 1 << 20

// Encrypt encrypts plaintext with the named transit key.
func (c *Client) Encrypt(ctx context.Context, key string, plaintext []byte) (string, error) {
	what := "transit encrypt with key " + key
	d, err := c.transit(ctx, "encrypt", key, map[string]any{
		"plaintext": base64.StdEncoding.EncodeToString(plaintext),
	})
	if err != nil {
		return "", c.transitErr(err, what)
	}
	ct, ok := d["ciphertext"].(string)
	if !ok || !strings.HasPrefix(ct, "vault:v") {
		return "", fmt.Errorf("%s: vault returned no ciphertext", what)
	}
	return ct, nil
}

// Decrypt decrypts a ciphertext of the named transit key. A ciphertext of
// another key, a changed one, or one that is not of the form vault:vN:...
// fails with ErrDecrypt.
func (c *Client) Decrypt(ctx context.Context, key, ciphertext string) ([]byte, error) {
	what := "transit decrypt with key " + key
	if !strings.HasPrefix(ciphertext, "vault:v") || len(ciphertext) > maxCiphertext {
		return nil, fmt.Errorf("%s: %w: not a transit ciphertext", what, ErrDecrypt)
	}
	d, err := c.transit(ctx, "decrypt", key, map[string]any{"ciphertext": ciphertext})
	if err != nil {
		return nil, c.transitErr(err, what)
	}
	p, ok := d["plaintext"].(string)
	if !ok {
		return nil, fmt.Errorf("%s: vault returned no plaintext", what)
	}
	b, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		return nil, fmt.Errorf("%s: vault's plaintext is not base64", what)
	}
	return b, nil
}

// DataKey asks transit for a new 256-bit data key, in plain and wrapped
// by the named key.
func (c *Client) DataKey(ctx context.Context, key string) (Secret, string, error) {
	what := "transit data key of key " + key
	d, err := c.transit(ctx, "datakey/plaintext", key, map[string]any{"bits": 256})
	if err != nil {
		return Secret{}, "", c.transitErr(err, what)
	}
	p, _ := d["plaintext"].(string)
	wrapped, _ := d["ciphertext"].(string)
	b, err := base64.StdEncoding.DecodeString(p)
	if err != nil || len(b) != 32 || !strings.HasPrefix(wrapped, "vault:v") {
		return Secret{}, "", fmt.Errorf("%s: vault returned no usable data key", what)
	}
	return Secret{v: string(b)}, wrapped, nil
}

// transit writes to <transit mount>/<op>/<key> and returns the response
// data.
func (c *Client) transit(ctx context.Context, op, key string,
	body map[string]any) (map[string]any, error) {
	if err := checkKeyName(key); err != nil {
		return nil, err
	}
	if c.vault == nil {
		return nil, fmt.Errorf("%w: no Vault address is set", ErrInvalid)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	s, err := c.vault.Logical().WriteWithContext(ctx, c.cfg.TransitMount+"/"+op+"/"+key, body)
	if err != nil {
		return nil, err
	}
	if s == nil || s.Data == nil {
		return nil, errors.New("vault returned no data")
	}
	return s.Data, nil
}

// transitErr classifies a transit error: a client error (400) of Vault's
// transit engine means the ciphertext does not fit the key.
func (c *Client) transitErr(err error, what string) error {
	if errors.Is(err, ErrInvalid) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var re *api.ResponseError
	if errors.As(err, &re) && re.StatusCode == 400 && strings.Contains(what, "decrypt") {
		return fmt.Errorf("%s: %w", what, ErrDecrypt)
	}
	return c.classify(err, what)
}
