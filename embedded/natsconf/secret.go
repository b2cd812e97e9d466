package natsconf

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// Secret refers to a secret of the server's configuration: env:NAME is
// written as $NAME, which nats-server resolves from its own environment
// at start, so the generator never sees the value; file:PATH is read by
// the generator and written into the configuration, which then becomes
// a secret itself (written with mode 0600, never to standard output).
type Secret struct {
	// Env is the variable name of env:NAME.
	Env string
	// File is the path of file:PATH.
	File string
}

// ParseSecret parses env:NAME or file:PATH.
func ParseSecret(s string) (Secret, error) {
	kind, ref, ok := strings.Cut(s, ":")
	switch {
	case ok && kind == "env":
		return Secret{Env: ref}, nil
	case ok && kind == "file":
		return Secret{File: ref}, nil
	}
	return Secret{}, errors.New("want env:NAME or file:PATH")
}

// String is the reference, never the value.
func (s Secret) String() string {
	if s.File != "" {
		return "file:" + s.File
	}
	if s.Env != "" {
		return "env:" + s.Env
	}
	return ""
}

// Set parses a flag value.
func (s *Secret) Set(v string) error {
	p, err := ParseSecret(v)
	if err != nil {
		return err
	}
	*s = p
	return nil
}

func (s Secret) check() error {
	switch {
	case s.Env == "" && s.File == "":
		return errors.New("want env:NAME or file:PATH")
	case s.File != "":
		if !plainText(s.File) {
			return errors.New("quotes, backslashes and control characters are not allowed")
		}
	case !envRE.MatchString(s.Env):
		return fmt.Errorf("env:%s: want an upper-case variable name", s.Env)
	}
	return nil
}

// secretValue is a secret read from a file. It logs and prints as
// REDACTED; only the renderer takes its text.
type secretValue string

// String hides the value.
func (secretValue) String() string { return "REDACTED" }

// LogValue hides the value.
func (secretValue) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// readSecret reads a secret file: its first line, at least MinSecretLen
// characters of letters, digits and - . _ ~ (safe in a route URL and in
// the configuration's quotes). Errors name the file, never its content.
func readSecret(path string) (secretValue, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading secret: %w", err)
	}
	v := strings.TrimRight(string(raw), "\r\n")
	if strings.ContainsAny(v, "\r\n") {
		return "", fmt.Errorf("%s: want the secret on one line", path)
	}
	if problem := secretProblem(v); problem != "" {
		return "", fmt.Errorf("%s: the secret %s", path, problem)
	}
	return secretValue(v), nil
}

// secretProblem says, as the predicate of a sentence about it, what
// keeps v from being a secret of a configuration: fewer than
// MinSecretLen characters, or others than letters, digits and - . _ ~
// (safe in a route URL and in quotes); "" if nothing does.
func secretProblem(v string) string {
	if len(v) < MinSecretLen {
		return fmt.Sprintf("is shorter than %d characters", MinSecretLen)
	}
	if strings.ContainsFunc(v, func(r rune) bool { return !urlSafe(r) }) {
		return "holds other characters than letters, digits and - . _ ~"
	}
	return ""
}

func urlSafe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("-._~", r)
}
