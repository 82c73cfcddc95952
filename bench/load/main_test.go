package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLoadSmoke runs the whole benchmark at a tiny scale and for a moment
// per route — build, generate, boot, every route, the write checks, both
// limits, a scaling step, the results file — so that `go run ./bench/load`
// keeps working. The figures mean nothing at this size.
func TestLoadSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load benchmark's smoke run builds the binary and serves for ~15 s")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "RESULTS.md")
	*flagProjects, *flagDuration, *flagScaleDur = 200, 300*time.Millisecond, 200*time.Millisecond
	*flagCache, *flagOut, *flagConns = filepath.Join(dir, "cache"), out, 4
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := run(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"# Load benchmark results", "| public home |", "| API list of 100 |", "| API project read |",
		"| designation (write) |", "| report submission (write) |", "| machine limit |", "## Targets", "## Scaling",
		"| 100 projects |", "0 missing afterwards", "**Boot to first answer**"} {
		if !strings.Contains(md, want) {
			t.Errorf("the results lack %q", want)
		}
	}
	if n := strings.Count(md, "/s, 0 errors |"); n != 2 {
		t.Errorf("the two write routes should have no errors; %d do", n)
	}
	if strings.Contains(md, "SOME MISSING") {
		t.Error("an acknowledged write was missing afterwards")
	}
	if t.Failed() {
		t.Log(md)
	}
}
