package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	// arabicScript finds Persian text.
	arabicScript = regexp.MustCompile(`[\x{0600}-\x{06FF}]`)
	// machineText is what a Persian message may carry in Latin digits: a
	// placeholder ({0}, {n}) and a name in Latin letters with digits in it
	// (UTF-8, SHA-256, Ed25519).
	machineText = regexp.MustCompile(`\{[0-9n]\}|[A-Za-z]+-?[0-9]+`)
	// latinFigure is a Latin digit, or a format verb that writes one.
	latinFigure = regexp.MustCompile(`[0-9]|%[-+ 0-9]*[dfgv]`)
)

// asTyped are the catalog keys whose Persian text quotes a value as it is
// typed and matched: an article number is compared as written.
var asTyped = map[string]bool{"registry.article_hint": true}

// TestPersianMessagesHaveNoLatinDigits: every Persian message — the pages'
// catalog, and the Persian side of every error and text the Go code writes
// (domain, services, rules, the API and the pages) — writes its figures in
// Persian digits; a Persian text built with %d would write Latin ones.
func TestPersianMessagesHaveNoLatinDigits(t *testing.T) {
	for key, m := range catalog {
		if !asTyped[key] && latinFigure.MatchString(machineText.ReplaceAllString(m.FA, "")) {
			t.Errorf("catalog %q: Latin digits in %q", key, m.FA)
		}
	}
	for _, dir := range []string{"../domain", "../service", "../designation", "../status", "../comparison", "../agenda",
		"../minutes", "../api", "../internal/httpx", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			fs := token.NewFileSet()
			af, err := parser.ParseFile(fs, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				if kv, ok := n.(*ast.KeyValueExpr); ok { // a catalog entry: checked above, by key
					if k, ok := kv.Key.(*ast.BasicLit); ok && k.Kind == token.STRING {
						if key, _ := strconv.Unquote(k.Value); asTyped[key] {
							return false
						}
					}
				}
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && arabicScript.MatchString(s) && latinFigure.MatchString(machineText.ReplaceAllString(s, "")) {
					t.Errorf("%s: a Persian text with Latin digits: %q", fs.Position(lit.Pos()), s)
				}
				return true
			})
		}
	}
}
