package secrets

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRefValid(t *testing.T) {
	tests := []struct {
		in                         string
		scheme, mount, path, field string
	}{
		{"vault://iglowly/edge/session-keys#current", SchemeVault, "iglowly",
			"edge/session-keys", "current"},
		{"vault://kv/a#b", SchemeVault, "kv", "a", "b"},
		{"vault://kv-prod/x/y/z.v2#api_key", SchemeVault, "kv-prod", "x/y/z.v2", "api_key"},
		{"vault://kv/a_b#_x", SchemeVault, "kv", "a_b", "_x"},
		{"file:///run/secrets/session-key", SchemeFile, "", "/run/secrets/session-key", ""},
		{"file:///k", SchemeFile, "", "/k", ""},
		{"env://IGLOWLY_OPENAI_KEY", SchemeEnv, "", "", "IGLOWLY_OPENAI_KEY"},
		{"env://_X1", SchemeEnv, "", "", "_X1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRef(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got := [4]string{r.Scheme(), r.Mount(), r.Path(), r.Field()}
			want := [4]string{tt.scheme, tt.mount, tt.path, tt.field}
			if got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
			if r.String() != tt.in {
				t.Fatalf("String() = %q, want %q", r.String(), tt.in)
			}
			if r.IsZero() {
				t.Fatal("IsZero of a parsed ref")
			}
		})
	}
}

func TestParseRefInvalid(t *testing.T) {
	// Each input carries the marker "s3cr3t" where it can, as a value
	// pasted in place of a reference would: no error may repeat it.
	tests := []struct{ name, in, why string }{
		{"empty", "", "no scheme"},
		{"bare value", "s3cr3t-value", "no scheme"},
		{"upper scheme", "VAULT://kv/a#s3cr3t", "unknown scheme"},
		{"http", "https://kv/a#s3cr3t", "unknown scheme"},
		{"kv v1 style", "vault://kv/s3cr3t", "no #field"},
		{"empty field", "vault://kv/a#", "no #field"},
		{"two hashes", "vault://kv/a#b#s3cr3t", "field is not"},
		{"field with space", "vault://kv/a#s3cr3t x", "field is not"},
		{"field starts with dot", "vault://kv/a#.s3cr3t", "field is not"},
		{"field too long", "vault://kv/a#" + strings.Repeat("s3cr3t", 30), "field is not"},
		{"no path", "vault://kv#s3cr3t", "mount and a path"},
		{"empty mount", "vault:///a#s3cr3t", "mount and a path"},
		{"empty path", "vault://kv/#s3cr3t", "mount and a path"},
		{"mount with colon", "vault://k:v/a#f", "mount is not"},
		{"userinfo", "vault://u:s3cr3t@kv/a#f", "mount is not"},
		{"mount too long", "vault://" + strings.Repeat("m", 65) + "/a#f", "mount is not"},
		{"data prefix", "vault://kv/data/a#f", "data/ or metadata/"},
		{"metadata prefix", "vault://kv/metadata/a#f", "data/ or metadata/"},
		{"dotdot", "vault://kv/a/../b#f", "segment"},
		{"dot", "vault://kv/./b#f", "segment"},
		{"double slash", "vault://kv/a//b#f", "segment"},
		{"trailing slash", "vault://kv/a/#f", "segment"},
		{"query", "vault://kv/a?x=s3cr3t#f", "segment"},
		{"percent", "vault://kv/a%2Fb#f", "segment"},
		{"unicode", "vault://kv/é#f", "segment"},
		{"path too long", "vault://kv/" + strings.Repeat("p", 257) + "#f", "longer than 256"},
		{"file relative", "file://etc/s3cr3t", "absolute path"},
		{"file host", "file://host/etc/key", "absolute path"},
		{"file fragment", "file:///etc/key#s3cr3t", "'#'"},
		{"file query", "file:///etc/key?s3cr3t", "'#'"},
		{"file dotdot", "file:///etc/../s3cr3t", "not clean"},
		{"file trailing slash", "file:///etc/", "not clean"},
		{"file control", "file:///etc/k\ns3cr3t", "control character"},
		{"env empty", "env://", "variable name"},
		{"env lower", "env://s3cr3t", "[A-Z_]"},
		{"env digit first", "env://1ABC", "[A-Z_]"},
		{"env dash", "env://A-B", "[A-Z_]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRef(tt.in)
			if err == nil {
				t.Fatalf("accepted, as %q", r.String())
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q does not say %q", err, tt.why)
			}
			if strings.Contains(err.Error(), "s3cr3t") || (tt.in != "" &&
				!strings.Contains(refHelp, tt.in) && strings.Contains(err.Error(), tt.in)) {
				t.Errorf("error %q repeats its input", err)
			}
			if !r.IsZero() {
				t.Error("a failed parse returned a non-zero Ref")
			}
		})
	}
}

func TestRefWithField(t *testing.T) {
	r, err := ParseRef("vault://kv/edge/keys#current")
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.WithField("previous")
	if err != nil || p.String() != "vault://kv/edge/keys#previous" {
		t.Fatalf("WithField = %q, %v", p.String(), err)
	}
	if r.Field() != "current" {
		t.Fatal("WithField changed its receiver")
	}
	if _, err := r.WithField("bad field"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad field accepted: %v", err)
	}
	f, _ := ParseRef("file:///k")
	if _, err := f.WithField("x"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("file ref took a field: %v", err)
	}
}

// FuzzParseRef checks that what parses is canonical and parses again to
// the same Ref, and that no error repeats a marker placed in the input.
func FuzzParseRef(f *testing.F) {
	for _, s := range [][2]string{{"vault://kv/a", "#b"}, {"file:///a/", ""}, {"env://", ""},
		{"vault://kv/data/", "#y"}, {"vault://kv/a#", ""}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	const marker = "Zq9XsecretX"
	f.Fuzz(func(t *testing.T, a, b string) {
		s := a + marker + b
		r, err := ParseRef(s)
		if err != nil {
			if strings.Contains(err.Error(), marker) {
				t.Fatalf("error repeats its input: %v", err)
			}
			return
		}
		again, err := ParseRef(r.String())
		if err != nil || again != r {
			t.Fatalf("%q parsed to %q, which parses to %q, %v", s, r.String(),
				again.String(), err)
		}
		if r.String() != s {
			t.Fatalf("%q is not canonical: %q", s, r.String())
		}
	})
}
