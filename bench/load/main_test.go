package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLoadSmoke runs the whole benchmark at a tiny scale and for a moment
// per route — build, generate, boot, every read route with its bare limit,
// the writes and their check, the job window, a growth step, the results
// file — with the Go client, so that `go run ./bench/load` keeps working on
// a machine without wrk. The figures mean nothing at this size.
func TestLoadSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load benchmark's smoke run builds the binary and serves for ~30 s")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "RESULTS.md")
	*flagProjects, *flagDuration, *flagScaleDur, *flagBareDur = 200, 300*time.Millisecond, 200*time.Millisecond, 200*time.Millisecond
	*flagJobSlice, *flagJobMax, *flagSizes, *flagDriver = 300*time.Millisecond, time.Minute, "100", "go"
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
	for _, want := range []string{"# Load benchmark results", "Reads driven by **go (raw keep-alive)**",
		"| public home | `/` | hot |", "| project page | `/projects/{slug}` | 1", "| API project read | ", "| API list of 100, any page |",
		"| project page (miss) |", "| API project read (miss) |", "| program page |", "| API agency read |", "| API meeting read |",
		"| designation (write) |", "| report submission (write) |", "## During the day's background jobs",
		"## Growth: random keys at 100 → 200 projects", "## Memory", "| main run: reads and writes at 200 projects |",
		"## Targets", "0 missing afterwards", "**Boot to first answer**", "Acknowledged writes present afterwards: all."} {
		if !strings.Contains(md, want) {
			t.Errorf("the results lack %q", want)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		// every read and write route answered without an error
		if f := strings.Split(line, "|"); len(f) > 9 && strings.HasPrefix(line, "| ") && !strings.Contains(line, "---") {
			if strings.Contains(md[strings.Index(md, "## Reads"):strings.Index(md, "## Writes")], line) && strings.TrimSpace(f[8]) != "0" && strings.TrimSpace(f[8]) != "errors" {
				t.Errorf("a read route had errors: %s", line)
			}
		}
	}
	if strings.Contains(md, "SOME MISSING") {
		t.Error("an acknowledged write was missing afterwards")
	}
	if t.Failed() {
		t.Log(md)
	}
}
