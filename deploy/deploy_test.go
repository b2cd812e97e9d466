package deploy

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/iglowly/assistant/embedded"
	"github.com/iglowly/assistant/embedded/natsconf"
)

// repoRoot is the repository root seen from this package's folder.
const repoRoot = ".."

// nodes are the NATS servers of docker-compose.yml, each with its
// nats/<node>.conf.
var nodes = []string{"nats-1", "nats-2", "nats-3"}

// binDir holds the iglowly binary that the tests build once.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "iglowly-deploy-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// freshSecrets runs gen-secrets.sh into a new temporary folder, as an
// operator would before "docker compose up", and returns the folder.
func freshSecrets(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "secrets")
	out, err := runGenSecrets(dir)
	if err != nil {
		t.Fatalf("gen-secrets.sh: %v\n%s", err, out)
	}
	return dir
}

var (
	secretsOnce [2]sync.Once
	secretsDir  [2]string
	secretsErr  [2]error
)

// genSecrets returns a folder of the test's own holding what one run of
// gen-secrets.sh wrote: the run is made once per test binary, since its
// keys and certificates take a while, and copied for each test, modes
// included, so that a test may change its copy.
func genSecrets(t *testing.T) string { return copySecrets(t, 0) }

// otherSecrets is genSecrets from another run: other passwords and
// another CA.
func otherSecrets(t *testing.T) string { return copySecrets(t, 1) }

func copySecrets(t *testing.T, i int) string {
	t.Helper()
	secretsOnce[i].Do(func() {
		secretsDir[i] = filepath.Join(binDir, fmt.Sprintf("secrets-%d", i))
		if out, err := runGenSecrets(secretsDir[i]); err != nil {
			secretsErr[i] = fmt.Errorf("gen-secrets.sh: %w\n%s", err, out)
		}
	})
	if secretsErr[i] != nil {
		t.Fatal(secretsErr[i])
	}
	dir := filepath.Join(t.TempDir(), "secrets")
	if err := copyTree(secretsDir[i], dir); err != nil {
		t.Fatalf("copying the secrets: %v", err)
	}
	return dir
}

// copyTree copies the folder from to the new folder to, with the modes
// of every file and folder.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			if err := os.Mkdir(dst, 0o700); err != nil {
				return err
			}
		} else {
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.WriteFile(dst, raw, 0o600); err != nil {
				return err
			}
		}
		return os.Chmod(dst, fi.Mode().Perm())
	})
}

// readEnvFile reads the KEY=VALUE lines of an env file, skipping blank
// lines and comments, the subset of the format gen-secrets.sh writes.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading env file: %v", err)
	}
	env := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: line without '=': %q", path, line)
		}
		env[k] = v
	}
	return env
}

// passwordVar is the variable of the nodes' configurations that holds a
// NATS user's password.
func passwordVar(user string) string { return natsconf.PasswordVar(user) }

// composeReplicas is how many replicas of each component
// docker-compose.yml runs, each a service and a NATS user of its own:
// NATS_REPLICAS of the Makefile (admin runs once).
var composeReplicas = embedded.Replicas{embedded.Edge: 2, embedded.Sanitiser: 2,
	embedded.Inference: 2, embedded.Response: 2}

// composeUsers are the NATS users of docker-compose.yml's services: one
// per replica, edge-1, edge-2, ..., admin.
func composeUsers() []string {
	users, err := composeReplicas.Users()
	if err != nil {
		panic(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Name())
	}
	return names
}

// replicaUser returns the user named name, failing the test if it names
// no replica of a component.
func replicaUser(t *testing.T, name string) embedded.User {
	t.Helper()
	u, ok := embedded.ParseUser(name)
	if !ok {
		t.Fatalf("%q is not the NATS user of a component's replica", name)
	}
	return u
}

var lettersOnly = regexp.MustCompile(`^[A-Za-z]{40}$`)

// TestGenSecrets runs gen-secrets.sh into a new folder: every AppRole
// id is 40 letters and unique, and no NATS password, route password or
// JetStream key is written on the host (nats-auth makes them in Vault).
func TestGenSecrets(t *testing.T) {
	dir := freshSecrets(t)
	seen := make(map[string]string)
	for _, f := range appRoleFiles() {
		raw, err := os.ReadFile(filepath.Join(dir, "vault", "approle", f))
		if err != nil {
			t.Fatal(err)
		}
		if !lettersOnly.Match(raw) {
			t.Errorf("%s is not 40 letters: %d chars", f, len(raw))
		}
		if other, dup := seen[string(raw)]; dup {
			t.Errorf("%s repeats the value of %s", f, other)
		}
		seen[string(raw)] = f
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, e := range entries {
		top = append(top, e.Name())
	}
	if !slices.Equal(top, []string{"tls", "vault"}) {
		t.Errorf("writes %q, want only tls/ and vault/: the NATS secrets live in Vault", top)
	}
	checkSecretFiles(t, dir)
}

// jobRoles are the AppRoles of the compose jobs that are no NATS
// component: the nats-auth job and the security relay, one replica each.
var jobRoles = []string{"natsauth", "relay"}

// appRoleFiles are the files of vault/approle/ that gen-secrets.sh
// writes: a role id and a secret id per NATS user and job, each the
// login of an AppRole of its own.
func appRoleFiles() []string {
	var files []string
	for _, u := range append(composeUsers(), jobRoles...) {
		files = append(files, u+".role-id", u+".secret-id")
	}
	return files
}

// checkSecretFiles checks the modes of the folders and files, that no
// key is written on the host any more (Vault makes them), and that
// running gen-secrets.sh again changes nothing.
func checkSecretFiles(t *testing.T, dir string) {
	for _, f := range []string{"session.key", "address.key", "vault.env"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("writes %s: the demo's keys live in Vault", f)
		}
	}
	modes := map[string]os.FileMode{".": 0o700, "vault": 0o700,
		"vault/approle": 0o700, "vault/init": 0o700, "vault/model-keys": 0o700}
	// Read by the image's unprivileged user as compose secrets.
	for _, f := range appRoleFiles() {
		modes["vault/approle/"+f] = 0o644
	}
	for f, want := range modes {
		checkMode(t, filepath.Join(dir, f), want)
	}
	before := snapshot(t, dir)
	if out, err := runGenSecrets(dir); err != nil {
		t.Errorf("a second run over complete secrets failed: %v\n%s", err, out)
	}
	if diff := changed(before, snapshot(t, dir)); len(diff) > 0 {
		t.Errorf("a second run changed %q", diff)
	}
}

func runGenSecrets(dir string) ([]byte, error) {
	return exec.Command("bash", "gen-secrets.sh", dir).CombinedOutput()
}

// fileState is what snapshot records of one file: its mode and
// contents.
type fileState struct {
	mode os.FileMode
	data string
}

// snapshot records every file and folder under dir by its path
// relative to dir.
func snapshot(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	files := make(map[string]fileState)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		st := fileState{mode: fi.Mode()}
		if !d.IsDir() {
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			st.data = string(raw)
		}
		files[rel] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// changed lists the paths that differ between two snapshots: added,
// removed, or with another mode or contents.
func changed(a, b map[string]fileState) []string {
	var diff []string
	for p, st := range a {
		if other, ok := b[p]; !ok || other != st {
			diff = append(diff, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diff = append(diff, p)
		}
	}
	slices.Sort(diff)
	return diff
}

var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

// iglowlyBinary builds cmd/iglowly once, the way the Dockerfile does,
// and returns its path. Tests that need it skip under -short.
func iglowlyBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the iglowly binary")
	}
	buildOnce.Do(func() {
		buildBin, buildErr = buildLikeDockerfile(filepath.Join(binDir, "iglowly"))
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}
