package secrets

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
)

// The schemes a reference may have.
const (
	// SchemeVault is a field of a KV v2 secret: vault://mount/path#field.
	SchemeVault = "vault"
	// SchemeFile is a whole file: file:///absolute/path.
	SchemeFile = "file"
	// SchemeEnv is an environment variable: env://NAME.
	SchemeEnv = "env"
)

// Length limits of the parts of a reference.
const (
	maxMount = 64
	maxPath  = 256
	maxField = 128
	maxFile  = 4096
	maxEnv   = 128
)

// refHelp is the tail of every reference error. An error never repeats
// the text it was given: a value pasted where a reference belongs would
// otherwise end up in a log.
const refHelp = "want vault://mount/path#field, file:///absolute/path or env://NAME"

// Ref is a parsed, valid secret reference; the zero Ref names nothing.
// Make one with ParseRef. A reference is not a secret: it may be logged.
type Ref struct {
	scheme string
	// mount, path and field name a KV v2 field (vault); path alone is the
	// file (file) and field alone the variable (env).
	mount, path, field string
}

// ParseRef parses and validates a secret reference:
//
//   - vault://mount/path#field: field of the KV v2 secret at path in the
//     engine mounted at mount, as "vault kv get -mount=mount -field=field
//     path" reads it. mount is one segment; path has one or more segments
//     of letters, digits, '.', '_' and '-', and does not start with data/
//     or metadata/ (those are API paths, not secret paths).
//   - file:///absolute/path: the whole file, one trailing newline removed.
//   - env://NAME: an environment variable of [A-Z_][A-Z0-9_]*.
//
// Errors wrap ErrInvalid and never repeat s.
func ParseRef(s string) (Ref, error) {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || s == "" {
		return Ref{}, refErr("no scheme")
	}
	switch scheme {
	case SchemeVault:
		return parseVault(rest)
	case SchemeFile:
		return parseFile(rest)
	case SchemeEnv:
		return parseEnv(rest)
	}
	return Ref{}, refErr("unknown scheme")
}

func refErr(why string) error {
	return fmt.Errorf("secret reference: %w: %s; %s", ErrInvalid, why, refHelp)
}

func parseVault(rest string) (Ref, error) {
	loc, field, ok := strings.Cut(rest, "#")
	if !ok || field == "" {
		return Ref{}, refErr("vault reference has no #field")
	}
	if err := checkField(field); err != nil {
		return Ref{}, err
	}
	mount, path, ok := strings.Cut(loc, "/")
	if !ok || mount == "" || path == "" {
		return Ref{}, refErr("vault reference needs a mount and a path")
	}
	if len(mount) > maxMount || !isName(mount) {
		return Ref{}, refErr("mount is not one segment of at most 64 " +
			"letters, digits, '.', '_' or '-'")
	}
	if err := checkPath(path); err != nil {
		return Ref{}, err
	}
	return Ref{scheme: SchemeVault, mount: mount, path: path, field: field}, nil
}

func checkField(field string) error {
	if len(field) > maxField || !isName(field) {
		return refErr("field is not at most 128 letters, digits, '.', '_' or '-'")
	}
	return nil
}

func checkPath(path string) error {
	if len(path) > maxPath {
		return refErr("path is longer than 256 bytes")
	}
	segs := strings.Split(path, "/")
	if segs[0] == "data" || segs[0] == "metadata" {
		return refErr("path starts with data/ or metadata/: " +
			"write the secret's path as vault kv does, without it")
	}
	for _, seg := range segs {
		if !isName(seg) {
			return refErr("path has an empty, '.' or '..' segment, or a " +
				"character other than letters, digits, '.', '_', '-' and '/'")
		}
	}
	return nil
}

// isName reports whether s is a non-empty run of ASCII letters, digits,
// '.', '_' and '-' that starts with a letter, a digit or '_'.
func isName(s string) bool {
	if s == "" || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func parseFile(rest string) (Ref, error) {
	if !strings.HasPrefix(rest, "/") {
		return Ref{}, refErr("file reference needs an absolute path " +
			"(three slashes: file:///etc/...)")
	}
	if len(rest) > maxFile || strings.ContainsAny(rest, "#?%") {
		return Ref{}, refErr("file path is too long or has '#', '?' or '%'")
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < 0x20 || rest[i] == 0x7f {
			return Ref{}, refErr("file path has a control character")
		}
	}
	if filepath.Clean(rest) != rest {
		return Ref{}, refErr("file path is not clean (//, /./, /../ or a trailing /)")
	}
	return Ref{scheme: SchemeFile, path: rest}, nil
}

func parseEnv(rest string) (Ref, error) {
	if len(rest) == 0 || len(rest) > maxEnv {
		return Ref{}, refErr("env reference needs a variable name of at most 128 bytes")
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		ok := c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return Ref{}, refErr("env variable name is not [A-Z_][A-Z0-9_]*")
		}
	}
	return Ref{scheme: SchemeEnv, field: rest}, nil
}

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.scheme == "" }

// Scheme is SchemeVault, SchemeFile or SchemeEnv; "" for the zero Ref.
func (r Ref) Scheme() string { return r.scheme }

// Mount is the KV v2 mount of a vault reference.
func (r Ref) Mount() string { return r.mount }

// Path is the secret's path in its mount (vault) or the file's (file).
func (r Ref) Path() string { return r.path }

// Field is the field (vault) or the variable name (env).
func (r Ref) Field() string { return r.field }

// WithField returns the reference to another field of the same vault
// secret. It fails for other schemes, which have no fields.
func (r Ref) WithField(field string) (Ref, error) {
	if r.scheme != SchemeVault {
		return Ref{}, fmt.Errorf("secret reference: %w: only vault references have fields",
			ErrInvalid)
	}
	if err := checkField(field); err != nil {
		return Ref{}, err
	}
	r.field = field
	return r, nil
}

// String returns the reference in the form ParseRef reads.
func (r Ref) String() string {
	switch r.scheme {
	case SchemeVault:
		return "vault://" + r.mount + "/" + r.path + "#" + r.field
	case SchemeFile:
		return "file://" + r.path
	case SchemeEnv:
		return "env://" + r.field
	}
	return ""
}

// LogValue logs the reference as a string.
func (r Ref) LogValue() slog.Value { return slog.StringValue(r.String()) }
