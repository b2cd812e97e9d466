package deploy

import (
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Cmd  string // upper case: FROM, RUN, COPY ...
	Args string
}

func readDockerfile() ([]instruction, error) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "Dockerfile"))
	if err != nil {
		return nil, fmt.Errorf("reading Dockerfile: %w", err)
	}
	var out []instruction
	var cur strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if more, ok := strings.CutSuffix(trimmed, `\`); ok {
			cur.WriteString(more + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	return out, nil
}

// dockerBuild is the "go build" step of the Dockerfile.
type dockerBuild struct {
	Env    []string // KEY=VALUE set before "go build"
	Args   []string // after "go build"
	Output string   // the -o path inside the build stage
}

// findGoBuild parses the RUN instruction that runs "go build".
func findGoBuild(ins []instruction) (*dockerBuild, error) {
	for _, in := range ins {
		if in.Cmd != "RUN" || !strings.Contains(in.Args, "go build") {
			continue
		}
		if strings.ContainsAny(in.Args, "&|;'\"") {
			return nil, errors.New("dockerfile: keep the go build RUN a single plain command")
		}
		b := &dockerBuild{}
		fields := strings.Fields(in.Args)
		for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
			fields = fields[1:] // RUN flags such as --mount
		}
		for len(fields) > 0 && strings.Contains(fields[0], "=") {
			b.Env, fields = append(b.Env, fields[0]), fields[1:]
		}
		if len(fields) < 2 || fields[0] != "go" || fields[1] != "build" {
			return nil, fmt.Errorf("dockerfile: unexpected build command %q", in.Args)
		}
		b.Args = fields[2:]
		if i := slices.Index(b.Args, "-o"); i >= 0 && i+1 < len(b.Args) {
			b.Output = b.Args[i+1]
		}
		return b, nil
	}
	return nil, errors.New("dockerfile: no RUN with go build")
}

// buildLikeDockerfile runs the Dockerfile's go build here, writing the
// binary to out instead of the image's path.
func buildLikeDockerfile(out string) (string, error) {
	ins, err := readDockerfile()
	if err != nil {
		return "", err
	}
	b, err := findGoBuild(ins)
	if err != nil {
		return "", err
	}
	args := slices.Clone(b.Args)
	if i := slices.Index(args, "-o"); i >= 0 && i+1 < len(args) {
		args[i+1] = out
	}
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), b.Env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building like the Dockerfile: %w\n%s", err, msg)
	}
	return out, nil
}

var goDirective = regexp.MustCompile(`(?m)^go (\d+\.\d+)`)

func TestDockerfile(t *testing.T) {
	ins, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	var froms []string
	for _, in := range ins {
		if in.Cmd == "FROM" {
			froms = append(froms, in.Args)
		}
	}
	if len(froms) != 2 {
		t.Fatalf("want a build and a final stage, got FROM %q", froms)
	}
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := goDirective.FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	if want := "golang:" + string(m[1]) + " AS build"; froms[0] != want {
		t.Errorf("build stage %q, want %q (go.mod's Go)", froms[0], want)
	}
	if !strings.Contains(froms[1], "distroless/static") {
		t.Errorf("final stage %q, want distroless/static", froms[1])
	}
	b, err := findGoBuild(ins)
	if err != nil {
		t.Fatal(err)
	}
	checkBuildFlags(t, b)
	checkFinalStage(t, finalStage(ins), b.Output)
	checkDockerignore(t)
}

func checkBuildFlags(t *testing.T, b *dockerBuild) {
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("go build env %q lacks CGO_ENABLED=0", b.Env)
	}
	if !slices.Contains(b.Args, "-trimpath") {
		t.Errorf("go build args %q lack -trimpath", b.Args)
	}
	if b.Output == "" || b.Args[len(b.Args)-1] != "./cmd/iglowly" {
		t.Errorf("go build args %q: want -o PATH and ./cmd/iglowly last", b.Args)
	}
}

func finalStage(ins []instruction) []instruction {
	last := 0
	for i, in := range ins {
		if in.Cmd == "FROM" {
			last = i
		}
	}
	return ins[last:]
}

func checkFinalStage(t *testing.T, final []instruction, built string) {
	var user, entry string
	copied := false
	for _, in := range final {
		switch in.Cmd {
		case "USER":
			user = in.Args
		case "ENTRYPOINT":
			entry = in.Args
		case "COPY":
			copied = copied || in.Args == "--from=build "+built+" /iglowly"
		case "RUN":
			t.Errorf("final stage runs %q: it has no shell", in.Args)
		}
	}
	if !copied {
		t.Errorf("final stage does not COPY --from=build %s /iglowly", built)
	}
	if u, _, _ := strings.Cut(user, ":"); u == "" || u == "root" || u == "0" {
		t.Errorf("final stage USER %q, want a non-root user", user)
	}
	var argv []string
	if err := json.Unmarshal([]byte(entry), &argv); err != nil ||
		!slices.Equal(argv, []string{"/iglowly"}) {
		t.Errorf(`ENTRYPOINT %s, want the exec form ["/iglowly"]`, entry)
	}
}

func checkDockerignore(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	for _, want := range []string{"deploy/secrets/", ".git"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore lacks %q: secrets or history would enter the build "+
				"context", want)
		}
	}
}

// TestDockerfileBinaryIsStatic builds with the Dockerfile's command and
// checks that the result runs on distroless/static: no dynamic loader,
// no shared libraries.
func TestDockerfileBinaryIsStatic(t *testing.T) {
	bin := iglowlyBinary(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("binary asks for a dynamic loader (PT_INTERP)")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary links shared libraries %q", libs)
	}
}
