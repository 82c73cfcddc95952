package archtest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
)

// pure are the packages at the centre: records and their rules, dates,
// reference data and generators. They import nothing of the module but
// each other (so, transitively, nothing else either) and neither storage
// nor HTTP. seal (the printed seal and its QR code, issue 10) is one of
// them: minutes draws it.
var pure = []string{"domain", "jalali", "designation", "comparison", "agenda", "status", "signing", "minutes", "seal", "reference", "synth", "textnorm"}

// engines are the database drivers and the migration tool: only store
// touches them.
var engines = []string{"modernc.org/sqlite/...", "github.com/jackc/pgx/...", "github.com/pressly/goose/..."}

// rule: the packages matching one of pkgs must not import what matches one
// of forbid. Module packages are named by their module-relative folder;
// "x/..." is x and everything under it.
type rule struct {
	pkgs, forbid []string
	why          string
}

// layers is the layering of docs/architecture.md: data flows one way,
// HTTP (api, web) or CLI (cmd) → service → store, with the pure packages at
// the centre; internal/httpx is the plumbing the two HTTP faces share.
var layers = []rule{
	{[]string{"store"}, []string{"service", "api", "web", "internal/httpx", "cmd/...", "net/http/..."},
		"the store is SQL only: it serves the service and knows nothing of HTTP"},
	{[]string{"service"}, []string{"api", "web", "internal/httpx", "cmd/..."},
		"the service is called by the faces, never the other way"},
	{[]string{"internal/httpx"}, append([]string{"store", "api", "web"}, engines...),
		"the shared HTTP plumbing speaks to the service, and serves both faces without knowing them"},
	{[]string{"api"}, append([]string{"store", "web", "database/sql/..."}, engines...),
		"the API reaches data only through the service"},
	{[]string{"web"}, append([]string{"store", "api", "database/sql/..."}, engines...),
		"the site reaches data only through the service"},
	{[]string{"bench/load"}, []string{"store", "service", "api", "web", "internal/..."},
		"the load benchmark drives the binary from outside, as a client would"},
	{pure, []string{"database/sql/...", "net/http/..."},
		"the pure packages have no storage or HTTP"},
}

// harness is the test harness: no package but a test may import it.
var harness = []string{"internal/testkit/..."}

// layeringViolations applies the rules to every non-test file of the module
// at root, and the transitive rule to the pure packages. Each violation
// names the file that imports what it must not.
func layeringViolations(root string) ([]string, error) {
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	imports, err := importsOf(root, files)
	if err != nil {
		return nil, err
	}
	module := map[string]bool{}
	for _, f := range files {
		module[f.Pkg] = true
	}
	anyMatch := func(patterns []string, p string) bool {
		return slices.ContainsFunc(patterns, func(pat string) bool { return matches(pat, p) })
	}
	var out []string
	deps := map[string]map[string]string{} // module package → module import → a file importing it
	for _, f := range files {
		for _, imp := range imports[f.Path] {
			for _, r := range layers {
				if anyMatch(r.pkgs, f.Pkg) && anyMatch(r.forbid, imp) {
					out = append(out, fmt.Sprintf("%s imports %s: %s must not (%s)", f.Path, imp, f.Pkg, r.why))
				}
			}
			if !anyMatch(harness, f.Pkg) && anyMatch(harness, imp) {
				out = append(out, fmt.Sprintf("%s imports %s: only tests may import the test harness", f.Path, imp))
			}
			if module[imp] {
				if deps[f.Pkg] == nil {
					deps[f.Pkg] = map[string]string{}
				}
				if _, ok := deps[f.Pkg][imp]; !ok {
					deps[f.Pkg][imp] = f.Path
				}
			}
		}
	}
	// The pure packages, transitively: follow module imports from each and
	// name the first step out of the set, with the chain that leads there.
	for _, p := range pure {
		if !module[p] {
			continue
		}
		seen := map[string]bool{p: true}
		type step struct {
			pkg   string
			chain []string
		}
		queue := []step{{p, []string{p}}}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			next := make([]string, 0, len(deps[s.pkg]))
			for imp := range deps[s.pkg] {
				next = append(next, imp)
			}
			sort.Strings(next)
			for _, imp := range next {
				chain := append(slices.Clone(s.chain), imp)
				if !slices.Contains(pure, imp) {
					out = append(out, fmt.Sprintf("%s imports %s: %s, a pure package, reaches outside the pure packages (%s)",
						deps[s.pkg][imp], imp, p, strings.Join(chain, " → ")))
					continue
				}
				if !seen[imp] {
					seen[imp] = true
					queue = append(queue, step{imp, chain})
				}
			}
		}
	}
	return dedupe(out), nil
}

// dedupe keeps the first of equal lines, in order.
func dedupe(lines []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// TestLayering: every package imports only what its layer may.
func TestLayering(t *testing.T) {
	bad, err := layeringViolations(moduleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Error(b)
	}
}

// TestStoreSetsNoWireShape: the SQL layer declares no JSON shape; the
// faces declare what goes on the wire (api/wire.go) and the domain what is
// recorded.
func TestStoreSetsNoWireShape(t *testing.T) {
	tags, err := jsonTags(moduleRoot(t), "store")
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		t.Errorf("%s: a json tag in the store", tag)
	}
}

// maxLines is the most lines a non-test Go file may have: past it, split
// the file by aggregate (docs/architecture.md).
const maxLines = 600

// TestFileSize: no non-test Go file is longer than maxLines.
func TestFileSize(t *testing.T) {
	long, err := longFiles(moduleRoot(t), maxLines)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range long {
		t.Errorf("%s, more than %d", l, maxLines)
	}
}
