// Package archtest checks the shape of the code base rather than its
// behaviour: which package may import which (the layering of
// docs/architecture.md), that the SQL layer declares no wire shape, that no
// source file outgrows a reader, and that the README stays short and quotes
// the test command CI runs. It reads the source with the standard library's
// go/parser: no toolchain, no subprocess.
package archtest

import (
	"os"
	"path/filepath"
	"testing"
)

// moduleRoot is the folder holding the module's go.mod, found upwards from
// the test's working folder.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the working folder")
		}
		dir = up
	}
}
