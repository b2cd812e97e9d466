package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iglowly/assistant/config/secrets"
	"github.com/iglowly/assistant/edge"
)

// runKeys runs "iglowly keys rotate" with the process's environment,
// logging to standard error.
func runKeys(args []string, out io.Writer) error {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	return keysMain(context.Background(), args, os.Getenv, out, log)
}

// keysOptions are the settings of "iglowly keys rotate".
type keysOptions struct {
	file     string
	vaultRef string
	grace    time.Duration
	nextOnly bool
	force    bool
	vault    secrets.Config
}

// keysMain runs "iglowly keys rotate", on a key ring file (--file) or a
// key ring in Vault (--vault-ref): the next key signs, the current one
// verifies for --grace more, and a new next key is published. Every edge
// reading the ring picks it up within its reload period (and, for Vault,
// the refresh interval).
func keysMain(ctx context.Context, args []string, env func(string) string, out io.Writer,
	log *slog.Logger) error {
	if len(args) == 0 || args[0] != "rotate" {
		return flag.ErrHelp
	}
	o, err := parseKeysFlags(args[1:], env)
	if err != nil {
		return err
	}
	if o.file != "" {
		return rotateFile(o, time.Now(), out)
	}
	return rotateVault(ctx, o, env, out, log)
}

// parseKeysFlags reads the flags of "keys rotate" and names every
// problem with them.
func parseKeysFlags(args []string, env func(string) string) (keysOptions, error) {
	var o keysOptions
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	fs.StringVar(&o.file, "file", env("IGLOWLY_SESSION_KEY_FILE"),
		"session key ring file (env IGLOWLY_SESSION_KEY_FILE)")
	fs.StringVar(&o.vaultRef, "vault-ref", vaultDefault(env("IGLOWLY_SESSION_KEYS")),
		"session key ring in Vault, vault://mount/path (default IGLOWLY_SESSION_KEYS "+
			"if it is a vault reference)")
	fs.DurationVar(&o.grace, "grace", 4*time.Hour,
		"how long the old key keeps verifying: at least the sessions' hard lifetime")
	fs.BoolVar(&o.nextOnly, "next-only", false,
		"only publish a next key, if the ring has none; rotate later")
	fs.BoolVar(&o.force, "force", false,
		"rotate even if it is too soon (a leaked key): some sessions end")
	o.vault.Register(fs, env)
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var errs []error
	if (o.file == "") == (o.vaultRef == "") {
		errs = append(errs, errors.New("keys rotate: give one of --file and --vault-ref"))
	}
	if o.grace <= 0 || o.grace > 90*24*time.Hour {
		errs = append(errs, errors.New("keys rotate: --grace must be more than 0 and "+
			"at most 90 days"))
	}
	if fs.NArg() > 0 {
		errs = append(errs, errors.New("keys rotate: unexpected arguments"))
	}
	if o.vaultRef != "" && !o.vault.Enabled() {
		errs = append(errs, errors.New("keys rotate: --vault-ref needs --vault-addr "+
			"(IGLOWLY_VAULT_ADDR) and a login"))
	}
	if o.vaultRef != "" {
		errs = append(errs, o.vault.Validate())
	}
	return o, errors.Join(errs...)
}

// vaultDefault returns ref if it is a vault reference, else "".
func vaultDefault(ref string) string {
	if strings.HasPrefix(ref, secrets.SchemeVault+"://") {
		return ref
	}
	return ""
}

// ringRef parses --vault-ref: vault://mount/path, or with #current.
func ringRef(s string) (secrets.Ref, error) {
	if vaultDefault(s) == "" {
		return secrets.Ref{}, errors.New("keys rotate: --vault-ref must be a vault:// reference")
	}
	if !strings.Contains(s, "#") {
		s += "#" + secrets.FieldCurrent
	}
	ref, err := secrets.ParseRef(s)
	if err != nil {
		return secrets.Ref{}, fmt.Errorf("keys rotate: --vault-ref: %w", err)
	}
	return ref, nil
}

// rotateFile rotates the key ring file o.file at now. A next key less
// than one reload period old may not be on every edge yet: rotating to
// it is refused unless o.force.
func rotateFile(o keysOptions, now time.Time, out io.Writer) error {
	info, err := os.Stat(o.file)
	if err != nil {
		return fmt.Errorf("reading session key ring: %w", err)
	}
	raw, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("reading session key ring: %w", err)
	}
	keys, err := edge.ParseKeys(raw)
	if err != nil {
		return err
	}
	if o.nextOnly {
		return publishNext(o.file, keys, out)
	}
	ready := info.ModTime().Add(keyReloadEvery)
	if keys.HasNext() && now.Before(ready) && !o.force {
		return fmt.Errorf("keys rotate: %w: the next key was published at %s, and edges "+
			"may not verify it before %s: rotate after that, or pass --force",
			secrets.ErrTooSoon, info.ModTime().UTC().Format(time.RFC3339),
			ready.UTC().Format(time.RFC3339))
	}
	next, err := keys.Rotate(now, o.grace)
	if err != nil {
		return err
	}
	if err := writeSecretFile(o.file, next.Marshal()); err != nil {
		return err
	}
	fmt.Fprintf(out, "session key %d now signs; key %d verifies until %s; key %d is next\n",
		next.Current.ID, keys.Current.ID, now.Add(o.grace).UTC().Format(time.RFC3339),
		next.Next.ID)
	if !keys.HasNext() {
		fmt.Fprintf(out, "the ring had no next key: edges that have not read it yet "+
			"refuse sessions of key %d until they do (use --next-only first)\n",
			next.Current.ID)
	}
	return nil
}

// publishNext writes the ring with a next key, if it has none.
func publishNext(file string, keys edge.Keys, out io.Writer) error {
	next, added, err := keys.WithNext()
	if err != nil {
		return err
	}
	if !added {
		fmt.Fprintf(out, "the ring has a next key, %d: nothing written\n", keys.Next.ID)
		return nil
	}
	if err := writeSecretFile(file, next.Marshal()); err != nil {
		return err
	}
	fmt.Fprintf(out, "session key %d published as next; key %d still signs\n",
		next.Next.ID, next.Current.ID)
	return nil
}

// rotateVault rotates the key ring in Vault that o.vaultRef names,
// logged in as o.vault says, with check-and-set on the version read.
func rotateVault(ctx context.Context, o keysOptions, env func(string) string,
	out io.Writer, log *slog.Logger) error {
	ref, err := ringRef(o.vaultRef)
	if err != nil {
		return err
	}
	log.Info("rotating_session_keys", "ref", ref, "vault", o.vault, "grace", o.grace,
		"next_only", o.nextOnly, "force", o.force)
	c, err := secrets.Open(ctx, o.vault, env, log)
	if err != nil {
		return err
	}
	defer c.Close()
	r, err := c.RotateKeys(ctx, ref, secrets.Rotation{Now: time.Now(), Grace: o.grace,
		Settle: o.vault.Refresh + keyReloadEvery, Force: o.force, NextOnly: o.nextOnly})
	if errors.Is(err, secrets.ErrTooSoon) {
		return fmt.Errorf("%w, or pass --force", err)
	}
	if err != nil {
		return err
	}
	printRotated(out, ref, r)
	return nil
}

// printRotated says what a rotation in Vault did: ids and times, never
// a key.
func printRotated(out io.Writer, ref secrets.Ref, r secrets.Rotated) {
	a := r.After
	switch {
	case !r.Written:
		fmt.Fprintf(out, "%s has a next key, %d: nothing written\n", ref, a.NextID)
	case r.Before.Current.IsZero():
		fmt.Fprintf(out, "%s version %d: a new ring, key %d signs, key %d is next\n",
			ref, r.Version, a.CurrentID, a.NextID)
	case a.Current == r.Before.Current:
		fmt.Fprintf(out, "%s version %d: key %d published as next; key %d still signs\n",
			ref, r.Version, a.NextID, a.CurrentID)
	default:
		fmt.Fprintf(out, "%s version %d: session key %d now signs; key %d verifies "+
			"until %s; key %d is next\n", ref, r.Version, a.CurrentID, a.PreviousID,
			a.PreviousUntil.UTC().Format(time.RFC3339), a.NextID)
		if r.Before.Next.IsZero() {
			fmt.Fprintf(out, "the ring had no next key: edges that have not read it yet "+
				"refuse sessions of key %d until they do (use --next-only first)\n",
				a.CurrentID)
		}
	}
}

// writeSecretFile replaces path with data, readable by its owner only,
// through a temporary file in the same folder, so a reader never sees a
// half-written file.
func writeSecretFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is none
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(data)
		if err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
