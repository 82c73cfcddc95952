package web

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
	"testing"
)

// TestVendorChecksums: every vendored file embedded in the binary has the
// SHA-256 that web/assets/vendor.sh recorded when it took it from npm, and
// nothing unrecorded hides in static/vendor/.
func TestVendorChecksums(t *testing.T) {
	sums, err := staticFS.ReadFile("static/vendor/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(sums))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		b, err := staticFS.ReadFile("static/vendor/" + name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: sha256 %x, recorded %s", name, got, sum)
		}
		listed[name] = true
	}
	fs.WalkDir(staticFS, "static/vendor", func(p string, d fs.DirEntry, err error) error {
		name := strings.TrimPrefix(p, "static/vendor/")
		if err == nil && !d.IsDir() && name != "SHA256SUMS" && name != "PACKAGES" && !listed[name] {
			t.Errorf("%s is vendored but not in SHA256SUMS", name)
		}
		return nil
	})
	// Each package is pinned to the exact version its folder names, with
	// the registry's integrity hash.
	pkgs, err := staticFS.ReadFile("static/vendor/PACKAGES")
	if err != nil {
		t.Fatal(err)
	}
	for _, short := range []string{"htmx", "chart", "font-regular"} {
		dir := path.Dir(strings.TrimPrefix(vendored[short], "vendor/")) // htmx.org-2.0.11
		i := strings.LastIndex(dir, "-")
		spec := dir[:i] + "@" + dir[i+1:]
		if !bytes.Contains(pkgs, []byte(spec+" sha512-")) {
			t.Errorf("PACKAGES does not pin %s", spec)
		}
	}
	// No file of ours (or vendored) refers to another origin in a way a
	// browser would fetch.
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".css") || strings.HasSuffix(p, ".html")) {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		if bytes.Contains(b, []byte("url(http")) || bytes.Contains(b, []byte("url(\"http")) || bytes.Contains(b, []byte("@import")) {
			t.Errorf("%s refers to another origin", p)
		}
		return nil
	})
}
