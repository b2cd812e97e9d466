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

// setNATSEnv puts nats.env into the test's environment, as compose does
// for the NATS containers, and returns it.
func setNATSEnv(t *testing.T, secrets string) map[string]string {
	t.Helper()
	env := readEnvFile(t, filepath.Join(secrets, "nats.env"))
	for k, v := range env {
		t.Setenv(k, v)
	}
	return env
}

// passwordVar is the nats.env variable holding a component's password.
func passwordVar(component string) string {
	return strings.ToUpper(component) + "_NATS_PASSWORD"
}

var lettersOnly = regexp.MustCompile(`^[A-Za-z]{40}$`)

func TestGenSecrets(t *testing.T) {
	dir := freshSecrets(t)
	natsEnv := readEnvFile(t, filepath.Join(dir, "nats.env"))
	seen := make(map[string]string)
	unique := func(name, v string) {
		if !lettersOnly.MatchString(v) {
			t.Errorf("%s is not 40 letters: %d chars", name, len(v))
		}
		if other, dup := seen[v]; dup {
			t.Errorf("%s repeats the value of %s", name, other)
		}
		seen[v] = name
	}
	for _, c := range embedded.Components {
		t.Run(c, func(t *testing.T) {
			own := readEnvFile(t, filepath.Join(dir, c+".env"))
			if len(own) != 1 || own["IGLOWLY_NATS_PASSWORD"] == "" {
				t.Fatalf("%s.env holds %d variables, want IGLOWLY_NATS_PASSWORD only", c, len(own))
			}
			if own["IGLOWLY_NATS_PASSWORD"] != natsEnv[passwordVar(c)] {
				t.Errorf("%s.env and nats.env %s differ", c, passwordVar(c))
			}
			unique(passwordVar(c), own["IGLOWLY_NATS_PASSWORD"])
		})
	}
	unique("NATS_ROUTE_PASSWORD", natsEnv["NATS_ROUTE_PASSWORD"])
	unique("JETSTREAM_KEY", natsEnv["JETSTREAM_KEY"])
	vault := readEnvFile(t, filepath.Join(dir, "vault.env"))
	unique("VAULT_DEV_ROOT_TOKEN_ID", vault["VAULT_DEV_ROOT_TOKEN_ID"])
	checkSecretFiles(t, dir)
}

// checkSecretFiles checks the session key, the modes of the folder and
// of the env files, and that running gen-secrets.sh again changes
// nothing.
func checkSecretFiles(t *testing.T, dir string) {
	key, err := os.ReadFile(filepath.Join(dir, "session.key"))
	if err != nil || len(key) != 32 {
		t.Errorf("session.key: %d bytes, %v; want 32", len(key), err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("secrets folder mode: %v %v, want 0700", fi.Mode().Perm(), err)
	}
	for _, f := range append([]string{"nats.env", "vault.env"}, envFiles()...) {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil ||
			fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode: %v %v, want 0600", f, fi.Mode().Perm(), err)
		}
	}
	before := snapshot(t, dir)
	if out, err := runGenSecrets(dir); err != nil {
		t.Errorf("a second run over complete secrets failed: %v\n%s", err, out)
	}
	if diff := changed(before, snapshot(t, dir)); len(diff) > 0 {
		t.Errorf("a second run changed %q", diff)
	}
}

// envFiles are the components' own env files.
func envFiles() []string {
	var files []string
	for _, c := range embedded.Components {
		files = append(files, c+".env")
	}
	return files
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
