package secrets

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, env envMap, args ...string) *Config {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Register(fs, env.get)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestConfigValidate(t *testing.T) {
	dir := t.TempDir()
	sidFile := filepath.Join(dir, "sid")
	if err := os.WriteFile(sidFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  envMap
		args []string
		want []string // problems named; none means valid
	}{
		{"no vault", envMap{}, nil, nil},
		{"approle env", envMap{"IGLOWLY_VAULT_ADDR": "https://vault.example:8200",
			"IGLOWLY_VAULT_ROLE_ID": "r", "IGLOWLY_VAULT_SECRET_ID": canary}, nil, nil},
		{"approle files", envMap{"IGLOWLY_VAULT_ADDR": "http://127.0.0.1:8200"},
			[]string{"--vault-role-id-file", sidFile, "--vault-secret-id-file", sidFile}, nil},
		{"token", envMap{"IGLOWLY_VAULT_ADDR": "http://[::1]:8200", "IGLOWLY_VAULT_AUTH": "token",
			"IGLOWLY_VAULT_TOKEN": canary}, nil, nil},
		{"everything wrong", envMap{"IGLOWLY_VAULT_ADDR": "http://vault.example:8200",
			"IGLOWLY_VAULT_REFRESH": "soon", "IGLOWLY_VAULT_SECRET_ID": canary},
			[]string{"--vault-secret-id-file", filepath.Join(dir, "none"),
				"--vault-timeout", "1ms", "--vault-max-age", "1s",
				"--vault-transit-mount", "a/b"},
			[]string{"IGLOWLY_VAULT_REFRESH is not a duration", "must use https",
				"role id", "secret id file, not both", "no such file", "timeout",
				"max age", "mount name"}},
		{"bad auth", envMap{"IGLOWLY_VAULT_ADDR": "https://v", "IGLOWLY_VAULT_AUTH": "ldap"},
			nil, []string{"approle or token"}},
		{"token missing", envMap{"IGLOWLY_VAULT_ADDR": "https://v", "IGLOWLY_VAULT_AUTH": "token"},
			nil, []string{"IGLOWLY_VAULT_TOKEN or a token file"}},
		{"address with path", envMap{"IGLOWLY_VAULT_ADDR": "https://v/v1/secret",
			"IGLOWLY_VAULT_ROLE_ID": "r", "IGLOWLY_VAULT_SECRET_ID": "s"},
			nil, []string{"not a URL"}},
		{"address with user", envMap{"IGLOWLY_VAULT_ADDR": "https://u:" + canary + "@v",
			"IGLOWLY_VAULT_ROLE_ID": "r", "IGLOWLY_VAULT_SECRET_ID": "s"},
			nil, []string{"not a URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := load(t, tt.env, tt.args...).Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q not named in %v", w, err)
				}
			}
			if strings.Contains(err.Error(), canary) {
				t.Errorf("error shows a secret: %v", err)
			}
		})
	}
}

func TestConfigHasNoSecretFlagsAndLogsMasked(t *testing.T) {
	var c Config
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.Register(fs, envMap{"IGLOWLY_VAULT_SECRET_ID": canary, "IGLOWLY_VAULT_TOKEN": canary}.get)
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "vault-secret-id" || f.Name == "vault-token" {
			t.Errorf("flag --%s would put a secret on the command line", f.Name)
		}
	})
	if c.SecretID.Reveal() != canary || c.Token.Reveal() != canary {
		t.Fatal("secret id or token not read from env")
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("starting", "vault", c)
	if strings.Contains(buf.String(), canary) || !strings.Contains(buf.String(), `"token_set":true`) {
		t.Fatalf("log: %s", buf.String())
	}
}

func TestResolvable(t *testing.T) {
	v, _ := ParseRef("vault://kv/a#b")
	f, _ := ParseRef("file:///a")
	var off Config
	if err := off.Resolvable(v); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), "IGLOWLY_VAULT_ADDR") {
		t.Fatalf("vault ref without vault: %v", err)
	}
	if err := off.Resolvable(f); err != nil {
		t.Fatal(err)
	}
	on := Config{Addr: "https://v"}
	if err := on.Resolvable(v); err != nil {
		t.Fatal(err)
	}
}

func TestOpenWithoutVault(t *testing.T) {
	c, err := Open(context.Background(), *load(t, envMap{}), envMap{"K": canary}.get,
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	env, _ := ParseRef("env://K")
	if s, err := c.Get(context.Background(), env); err != nil || s.Reveal() != canary {
		t.Fatalf("env ref: %v", err)
	}
	v, _ := ParseRef("vault://kv/a#b")
	if _, err := c.Get(context.Background(), v); !errors.Is(err, ErrInvalid) {
		t.Fatalf("vault ref without vault: %v", err)
	}
	if _, err := c.Encrypt(context.Background(), "k", nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("transit without vault: %v", err)
	}
}

// TestOpenUnreachable opens against a port where nothing listens: the
// error names the address and the step, and neither the token nor the
// secret id.
func TestOpenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := "http://" + ln.Addr().String()
	ln.Close()
	for _, env := range []envMap{
		{"IGLOWLY_VAULT_ADDR": addr, "IGLOWLY_VAULT_AUTH": "token", "IGLOWLY_VAULT_TOKEN": canary},
		{"IGLOWLY_VAULT_ADDR": addr, "IGLOWLY_VAULT_ROLE_ID": "role",
			"IGLOWLY_VAULT_SECRET_ID": canary},
	} {
		cfg := load(t, env, "--vault-timeout", "2s")
		_, err := Open(context.Background(), *cfg, nil, slog.New(slog.DiscardHandler))
		if !errors.Is(err, ErrUnreachable) {
			t.Fatalf("%s: err = %v", cfg.Auth, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "vault at "+addr) || strings.Contains(msg, canary) {
			t.Fatalf("%s: %q", cfg.Auth, msg)
		}
		t.Log(msg)
	}
}
