package vaulttest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/vault/api"
)

// fakeCLIEnv, set to 1, makes the test binary act as the vault CLI.
const fakeCLIEnv = "IGLOWLY_FAKE_VAULT_CLI"

// A FAKE of the vault command-line tool, which cannot be installed here
// and whose Go package brings every plugin Vault has. It stands in for
// the binary that deploy/vault/init.sh calls in the hashicorp/vault
// image, and only for the commands and flags that script uses, with the
// real tool's arguments, exit codes (0 done, 1 usage or local error, 2
// an error from Vault; status: 0 unsealed, 2 sealed) and JSON output.
// It speaks Vault's real HTTP API, through vault/api configured from
// VAULT_ADDR, VAULT_CACERT and VAULT_TOKEN as the real tool is, to the
// real core under test. A flag or command it does not know fails, so the
// script cannot come to rely on something it does not check.
func fakeVaultCLI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg := api.DefaultConfig()
	if cfg.Error != nil {
		fmt.Fprintln(stderr, cfg.Error)
		return 1
	}
	client, err := api.NewClient(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	cli := &fakeCLI{client: client, in: stdin, out: stdout}
	code, err := cli.run(args)
	if err != nil {
		fmt.Fprintln(stderr, "Error:", err)
	}
	return code
}

type fakeCLI struct {
	client *api.Client
	in     io.Reader
	out    io.Writer
}

// errUsage marks a command line the fake does not take.
var errUsage = errors.New("the fake vault CLI does not take this command line")

func (c *fakeCLI) run(args []string) (int, error) {
	switch {
	case len(args) == 0:
		return 1, errUsage
	case args[0] == "status":
		return c.status()
	case len(args) > 1 && args[0] == "operator" && args[1] == "init":
		return c.operatorInit(args[2:])
	case len(args) > 1 && args[0] == "operator" && args[1] == "generate-root":
		return c.generateRoot(args[2:])
	case len(args) > 1 && args[0] == "token":
		return c.token(args[1], args[2:])
	case args[0] == "read" || args[0] == "write":
		return c.readWrite(args[0], args[1:])
	case len(args) > 1 && (args[0] == "secrets" || args[0] == "auth"):
		return c.mounts(args[0], args[1], args[2:])
	case len(args) > 1 && args[0] == "policy" && args[1] == "write":
		return c.policyWrite(args[2:])
	case len(args) > 1 && args[0] == "kv":
		return c.kv(args[1], args[2:])
	}
	return 1, errUsage
}

// parseFlags splits leading -name=value and -name flags from the
// positional arguments, as the CLI's flag sets do, and refuses any flag
// not in known.
func parseFlags(args []string, known ...string) (map[string]string, []string, error) {
	flags := map[string]string{}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if !hasValue {
			value = "true"
		}
		found := false
		for _, k := range known {
			found = found || k == name
		}
		if !found {
			return nil, nil, fmt.Errorf("%w: flag -%s", errUsage, name)
		}
		flags[name] = value
		args = args[1:]
	}
	return flags, args, nil
}

// data parses key=value arguments; a value @path is the file's contents.
func data(args []string) (map[string]any, error) {
	out := map[string]any{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("%w: %q is not key=value", errUsage, k)
		}
		if strings.HasPrefix(v, "@") {
			raw, err := os.ReadFile(v[1:])
			if err != nil {
				return nil, err
			}
			v = string(raw)
		}
		out[k] = v
	}
	return out, nil
}

func (c *fakeCLI) status() (int, error) {
	st, err := c.client.Sys().SealStatus()
	switch {
	case err != nil:
		return 1, err
	case st.Sealed:
		return 2, nil
	}
	return 0, nil
}

func (c *fakeCLI) operatorInit(args []string) (int, error) {
	flags, rest, err := parseFlags(args, "status", "key-shares", "key-threshold", "format")
	if err != nil || len(rest) > 0 {
		return 1, cmpErr(err, errUsage)
	}
	if flags["status"] == "true" {
		done, err := c.client.Sys().InitStatus()
		switch {
		case err != nil:
			return 1, err
		case !done:
			return 2, nil
		}
		return 0, nil
	}
	shares, _ := strconv.Atoi(flags["key-shares"])
	threshold, _ := strconv.Atoi(flags["key-threshold"])
	if flags["format"] != "json" || shares < 1 || threshold < 1 {
		return 1, errUsage
	}
	resp, err := c.client.Sys().Init(&api.InitRequest{SecretShares: shares,
		SecretThreshold: threshold})
	if err != nil {
		return 2, err
	}
	return c.printJSON(map[string]any{"unseal_keys_b64": resp.KeysB64,
		"unseal_keys_hex": resp.Keys, "unseal_shares": shares,
		"unseal_threshold": threshold, "recovery_keys_b64": []string{},
		"recovery_keys_hex": []string{}, "recovery_keys_shares": 0,
		"recovery_keys_threshold": 0, "root_token": resp.RootToken})
}

func (c *fakeCLI) readWrite(verb string, args []string) (int, error) {
	flags, rest, err := parseFlags(args, "f", "force", "format", "field")
	if err != nil || len(rest) == 0 {
		return 1, cmpErr(err, errUsage)
	}
	var s *api.Secret
	if verb == "read" {
		if len(rest) > 1 {
			return 1, errUsage
		}
		s, err = c.client.Logical().Read(rest[0])
		if err == nil && s == nil {
			return 2, fmt.Errorf("no value found at %s", rest[0])
		}
	} else {
		d, derr := data(rest[1:])
		if derr != nil {
			return 1, derr
		}
		if len(d) == 0 && flags["f"] == "" && flags["force"] == "" {
			return 1, fmt.Errorf("%w: write needs data or -f", errUsage)
		}
		s, err = c.client.Logical().Write(rest[0], d)
	}
	if err != nil {
		return 2, err
	}
	return c.printSecret(s, flags)
}

// printSecret prints what read and write print: with -field its raw
// value (JSON with -format=json), nothing for no secret, else the
// secret as JSON.
func (c *fakeCLI) printSecret(s *api.Secret, flags map[string]string) (int, error) {
	if s == nil {
		if flags["format"] != "json" {
			fmt.Fprintln(c.out, "Success! Data written")
		}
		return 0, nil
	}
	if f := flags["field"]; f != "" {
		v, ok := s.Data[f]
		if !ok {
			return 1, fmt.Errorf("field %q not present in secret", f)
		}
		if flags["format"] == "json" {
			return c.printJSON(v)
		}
		fmt.Fprintln(c.out, v)
		return 0, nil
	}
	return c.printJSON(s)
}

func (c *fakeCLI) printJSON(v any) (int, error) {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return 1, err
	}
	fmt.Fprintln(c.out, string(raw))
	return 0, nil
}

// mounts runs "secrets list|enable" and "auth list|enable".
func (c *fakeCLI) mounts(kind, verb string, args []string) (int, error) {
	flags, rest, err := parseFlags(args, "format", "path", "version")
	if err != nil {
		return 1, err
	}
	sys := c.client.Sys()
	switch {
	case verb == "list" && len(rest) == 0 && flags["format"] == "json":
		var v any
		if kind == "secrets" {
			v, err = sys.ListMounts()
		} else {
			v, err = sys.ListAuth()
		}
		if err != nil {
			return 2, err
		}
		return c.printJSON(v)
	case verb == "enable" && len(rest) == 1:
		path := cmp.Or(flags["path"], rest[0])
		if kind == "secrets" {
			in := &api.MountInput{Type: rest[0]}
			if v := flags["version"]; v != "" {
				in.Options = map[string]string{"version": v}
			}
			err = sys.Mount(path, in)
		} else {
			err = sys.EnableAuthWithOptions(path, &api.EnableAuthOptions{Type: rest[0]})
		}
		if err != nil {
			return 2, err
		}
		return 0, nil
	}
	return 1, errUsage
}

func (c *fakeCLI) policyWrite(args []string) (int, error) {
	if len(args) != 2 || strings.HasPrefix(args[0], "-") {
		return 1, errUsage
	}
	raw, err := os.ReadFile(args[1])
	if err != nil {
		return 1, err
	}
	if err := c.client.Sys().PutPolicy(args[0], string(raw)); err != nil {
		return 2, err
	}
	return 0, nil
}

// kv runs "kv get" and "kv put" on a KV v2 mount given by -mount.
func (c *fakeCLI) kv(verb string, args []string) (int, error) {
	flags, rest, err := parseFlags(args, "mount", "cas", "format", "field")
	if err != nil || flags["mount"] == "" || len(rest) == 0 {
		return 1, cmpErr(err, errUsage)
	}
	kv, ctx := c.client.KVv2(flags["mount"]), context.Background()
	switch verb {
	case "get":
		if len(rest) != 1 {
			return 1, errUsage
		}
		s, err := kv.Get(ctx, rest[0])
		if err != nil {
			return 2, err
		}
		if f := flags["field"]; f != "" {
			v, ok := s.Data[f]
			if !ok {
				return 1, fmt.Errorf("field %q not present in secret", f)
			}
			fmt.Fprintln(c.out, v)
			return 0, nil
		}
		return c.printJSON(s.Data)
	case "put":
		d, err := data(rest[1:])
		if err != nil || len(d) == 0 {
			return 1, cmpErr(err, errUsage)
		}
		var opts []api.KVOption
		if v := flags["cas"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return 1, errUsage
			}
			opts = append(opts, api.WithCheckAndSet(n))
		}
		if _, err := kv.Put(ctx, rest[0], d, opts...); err != nil {
			return 2, err
		}
		return 0, nil
	}
	return 1, errUsage
}

func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}
