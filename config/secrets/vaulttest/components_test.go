package vaulttest

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iglowly/assistant/config/secrets"
)

// docReference matches a row of the table "Which references each
// component reads" in docs/vault.md: component, variable, reference.
var docReference = regexp.MustCompile("(?m)^\\| (edge|inference) \\| `--[a-z-]+` \\| " +
	"`(IGLOWLY_[A-Z_]+)` \\| `([^`]+)` \\| `(iglowly-[a-z]+)` \\|$")

// TestComponentReferences resolves the references docs/vault.md tells
// operators to give each component, as that component resolves them
// (a key ring, an address key, provider=reference pairs), logged in with
// the component's AppRole and the policy the page names; the other
// component's role is refused them.
func TestComponentReferences(t *testing.T) {
	raw, err := os.ReadFile("../../../docs/vault.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := docReference.FindAllStringSubmatch(string(raw), -1)
	if len(rows) != 3 {
		t.Fatalf("docs/vault.md lists %d component references, want 3", len(rows))
	}
	e := start(t)
	addrKey := "addr-MARKER-" + strings.Repeat("QWERTYUIOPASDFGH", 2)
	e.put("edge/address-key", map[string]any{"key": addrKey})
	var logs logBuf
	clients := map[string]*secrets.Client{}
	for _, p := range []string{"iglowly-edge", "iglowly-inference"} {
		clients[p] = e.open(e.config(e.role(p, p, time.Hour, 24*time.Hour)), logs.logger())
	}
	for _, row := range rows {
		variable, value, policy := row[2], row[3], row[4]
		t.Run(variable, func(t *testing.T) {
			for p, c := range clients {
				got, err := resolve(t, c, variable, value)
				if p != policy {
					if !errors.Is(err, secrets.ErrDenied) {
						t.Errorf("%s read %s: %v", p, variable, err)
					}
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range got {
					if !storedValue(v, addrKey) {
						t.Errorf("%s: a value that Vault does not hold", variable)
					}
				}
			}
		})
	}
	noMarker(t, "the logs", logs.String())
}

// resolve reads the secrets of one setting as its component does.
func resolve(t *testing.T, c *secrets.Client, variable, value string) ([]string, error) {
	ctx := context.Background()
	switch variable {
	case "IGLOWLY_SESSION_KEYS":
		k, err := secrets.LoadKeys(ctx, c, ref(t, value))
		return []string{k.Current.Reveal(), k.Previous.Reveal()}, err
	case "IGLOWLY_MODEL_KEYS":
		refs, err := secrets.ParseProviderRefs(value)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range secrets.Providers(refs) {
			s, err := secrets.LoadAPIKey(ctx, c, refs[p])
			if err != nil {
				return nil, err
			}
			out = append(out, s.Reveal())
		}
		return out, nil
	}
	s, err := c.Get(ctx, ref(t, value))
	if err == nil && s.Len() < secrets.MinKeyBytes {
		t.Fatalf("%s: %d bytes, want at least %d", variable, s.Len(), secrets.MinKeyBytes)
	}
	return []string{s.Reveal()}, err
}

// storedValue reports whether v is one of the values written into Vault.
func storedValue(v, addrKey string) bool {
	if v == addrKey {
		return true
	}
	for _, fields := range values {
		for _, f := range fields {
			if f == v {
				return true
			}
		}
	}
	return false
}
