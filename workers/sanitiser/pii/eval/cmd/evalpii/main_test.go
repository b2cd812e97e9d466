package main

import (
	"strings"
	"testing"
)

const setDir = "../../../testdata/eval"

// TestRun checks that the tool prints both tables for the set, adds the
// misses only when asked, and warns on stderr when it does.
func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantMisses bool
	}{
		{"report", []string{"-dir", setDir}, false},
		{"with misses", []string{"-dir", setDir, "-misses"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			if err := run(tt.args, &stdout, &stderr); err != nil {
				t.Fatal(err)
			}
			out := stdout.String()
			for _, s := range []string{"By type\n", "By language\n", "\nPERSON ", "\nall "} {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q", s)
				}
			}
			if got := strings.Contains(out, "False alarms ("); got != tt.wantMisses {
				t.Errorf("misses listed: %v, want %v", got, tt.wantMisses)
			}
			if got := strings.Contains(stderr.String(), "WARNING"); got != tt.wantMisses {
				t.Errorf("warning on stderr: %v, want %v", got, tt.wantMisses)
			}
		})
	}
}

// TestRunErrors checks that a missing set or a bad flag is an error.
func TestRunErrors(t *testing.T) {
	for _, args := range [][]string{{"-dir", t.TempDir()}, {"-nosuchflag"}} {
		var stdout, stderr strings.Builder
		if err := run(args, &stdout, &stderr); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
