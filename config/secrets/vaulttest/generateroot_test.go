package vaulttest

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hashicorp/vault/sdk/helper/roottoken"
)

// The FAKE vault CLI's "operator generate-root" and "token", for the
// root token that deploy/vault/init.sh makes and revokes, with the
// flags, standard input, exit codes and output of the real tool
// (command/operator_generate_root.go and token_revoke.go of Vault 1.19).

// generateRoot runs "operator generate-root": -init, -status, -cancel,
// -decode with -otp, or a key share on standard input ("-") with
// -nonce, the first that applies in that order, as the real tool does.
func (c *fakeCLI) generateRoot(args []string) (int, error) {
	flags, rest, err := parseFlags(args, "init", "cancel", "status", "decode", "otp",
		"nonce", "format")
	switch {
	case err != nil:
		return 1, err
	case len(rest) > 1:
		return 1, fmt.Errorf("too many arguments (expected 0-1, got %d)", len(rest))
	}
	format := cmp.Or(flags["format"], "table")
	sys := c.client.Sys()
	switch {
	case flags["decode"] != "":
		return c.decodeRoot(flags["decode"], flags["otp"], format)
	case flags["cancel"] == "true":
		if err := sys.GenerateRootCancel(); err != nil {
			return 2, fmt.Errorf("canceling root token generation: %w", err)
		}
		fmt.Fprintln(c.out, "Success! Root token generation canceled (if it was started)")
		return 0, nil
	case format != "json":
		// The table output of the other steps is not faked.
		return 1, fmt.Errorf("%w: -format=%s", errUsage, format)
	case flags["init"] == "true":
		st, err := sys.GenerateRootInit(flags["otp"], "")
		if err != nil {
			return 2, fmt.Errorf("initializing root generation: %w", err)
		}
		return c.printJSON(st)
	case flags["status"] == "true":
		st, err := sys.GenerateRootStatus()
		if err != nil {
			return 2, fmt.Errorf("getting root generation status: %w", err)
		}
		return c.printJSON(st)
	}
	return c.provideShare(rest, flags["nonce"])
}

// provideShare posts the key share read from standard input. The real
// tool also takes the key as an argument, or prompts on a terminal:
// init.sh must do neither, so the fake refuses both.
func (c *fakeCLI) provideShare(rest []string, nonce string) (int, error) {
	if len(rest) != 1 || rest[0] != "-" {
		return 1, fmt.Errorf("%w: a key share other than on standard input", errUsage)
	}
	st, err := c.client.Sys().GenerateRootStatus()
	if err != nil {
		return 2, fmt.Errorf("getting root generation status: %w", err)
	}
	if !st.Started {
		return 1, fmt.Errorf("no root generation is in progress")
	}
	var key bytes.Buffer
	if _, err := io.Copy(&key, c.in); err != nil {
		return 1, fmt.Errorf("reading from stdin: %w", err)
	}
	if nonce == "" {
		return 1, fmt.Errorf("missing nonce value: specify it via the -nonce flag")
	}
	st, err = c.client.Sys().GenerateRootUpdate(string(bytes.TrimSpace(key.Bytes())), nonce)
	if err != nil {
		return 2, fmt.Errorf("posting unseal key: %w", err)
	}
	return c.printJSON(st)
}

// decodeRoot decodes the encoded token, "-" for standard input, with
// the one-time password, and prints the token raw (no newline, as the
// real tool writes to a pipe) or as JSON.
func (c *fakeCLI) decodeRoot(encoded, otp, format string) (int, error) {
	if otp == "" {
		return 1, fmt.Errorf("missing otp: use -otp to supply it")
	}
	if encoded == "-" {
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, c.in); err != nil {
			return 1, fmt.Errorf("reading from stdin: %w", err)
		}
		if encoded = buf.String(); encoded == "" {
			return 1, fmt.Errorf("missing encoded value on stdin")
		}
	}
	st, err := c.client.Sys().GenerateRootStatus()
	if err != nil {
		return 2, fmt.Errorf("getting root generation status: %w", err)
	}
	token, err := roottoken.DecodeToken(encoded, otp, st.OTPLength)
	if err != nil {
		return 1, fmt.Errorf("decoding root token: %w", err)
	}
	switch format {
	case "table":
		fmt.Fprint(c.out, token)
		return 0, nil
	case "json":
		return c.printJSON(map[string]any{"token": token})
	}
	return 1, fmt.Errorf("%w: -format=%s", errUsage, format)
}

// token runs "token revoke -self" and "token lookup -format=json", on
// the token of VAULT_TOKEN; the real tool's other forms (a token or an
// accessor as argument, -accessor, -mode) are not faked.
func (c *fakeCLI) token(verb string, args []string) (int, error) {
	auth := c.client.Auth().Token()
	switch verb {
	case "revoke":
		flags, rest, err := parseFlags(args, "self")
		if err != nil || flags["self"] != "true" || len(rest) > 0 {
			return 1, cmpErr(err, errUsage)
		}
		if err := auth.RevokeSelf(""); err != nil {
			return 2, fmt.Errorf("revoking token: %w", err)
		}
		fmt.Fprintln(c.out, "Success! Revoked token (if it existed)")
		return 0, nil
	case "lookup":
		flags, rest, err := parseFlags(args, "format")
		if err != nil || flags["format"] != "json" || len(rest) > 0 {
			return 1, cmpErr(err, errUsage)
		}
		s, err := auth.LookupSelf()
		if err != nil {
			return 2, err
		}
		return c.printJSON(s)
	}
	return 1, errUsage
}

// TestFakeCLIRefuses checks that the fake refuses, with the real tool's
// usage exit code 1 and before it asks Vault anything, the forms of
// these commands that init.sh must not come to rely on: a flag the fake
// does not know, a key share or token on the command line, output it
// does not fake.
func TestFakeCLIRefuses(t *testing.T) {
	for _, args := range []string{
		"operator generate-root -init -pgp-key=key.asc",
		"operator generate-root -generate-otp",
		"operator generate-root -init",
		"operator generate-root -nonce=n a-key-share",
		"operator generate-root -nonce=n",
		"operator generate-root -decode=-",
		"operator generate-root -status -dr-token",
		"operator generate-root -nonce=n - -",
		"token revoke a-token",
		"token revoke -self -mode=orphan",
		"token revoke",
		"token lookup",
		"token lookup a-token -format=json",
		"token create -policy=root",
	} {
		var out, errOut bytes.Buffer
		code := fakeVaultCLI(strings.Fields(args), strings.NewReader(""), &out, &errOut)
		if code != 1 || out.Len() > 0 || errOut.Len() == 0 {
			t.Errorf("vault %s: exit %d, output %q, error %q; want 1, an error alone",
				args, code, out.String(), errOut.String())
		}
	}
}
