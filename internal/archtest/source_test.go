package archtest

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// sourceFile is one non-test Go file of the module.
type sourceFile struct {
	Path string // module-relative, slash-separated: "store/meetings.go"
	Pkg  string // its package's module-relative folder: "store", "cmd/pishran"; "." at the root
}

// modulePath is the module path declared in root's go.mod.
func modulePath(root string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", fmt.Errorf("%s: no module line", filepath.Join(root, "go.mod"))
}

// sourceFiles lists the module's non-test Go files, skipping what the go
// command skips (testdata, folders starting with . or _) and nested
// modules.
func sourceFiles(root string) ([]sourceFile, error) {
	var out []sourceFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == root {
				return nil
			}
			name := d.Name()
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		out = append(out, sourceFile{Path: rel, Pkg: path.Dir(rel)})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

// importsOf is every import of every source file, by file: module packages
// by their module-relative folder ("store", "internal/httpx"), others by
// their import path ("net/http", "modernc.org/sqlite").
func importsOf(root string, files []sourceFile) (map[string][]string, error) {
	mod, err := modulePath(root)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		af, err := parser.ParseFile(fset, filepath.Join(root, f.Path), nil, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, im := range af.Imports {
			p, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				return nil, err
			}
			switch {
			case p == mod:
				p = "."
			case strings.HasPrefix(p, mod+"/"):
				p = strings.TrimPrefix(p, mod+"/")
			}
			out[f.Path] = append(out[f.Path], p)
		}
	}
	return out, nil
}

// matches says whether a package or import path matches a pattern: the
// path itself, or, for a pattern ending in "/...", the path before it and
// everything under it.
func matches(pattern, p string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

// jsonTags lists the struct fields of the non-test files of one package
// folder whose tag holds a json key, as "file:line: Type.Field `tag`".
func jsonTags(root, dir string) ([]string, error) {
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if f.Pkg != dir {
			continue
		}
		af, err := parser.ParseFile(fset, filepath.Join(root, f.Path), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		ast.Inspect(af, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			ast.Inspect(ts.Type, func(n ast.Node) bool {
				st, ok := n.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fld := range st.Fields.List {
					if fld.Tag == nil || !strings.Contains(fld.Tag.Value, "json:") {
						continue
					}
					name := "(embedded)"
					if len(fld.Names) > 0 {
						name = fld.Names[0].Name
					}
					out = append(out, fmt.Sprintf("%s:%d: %s.%s %s", f.Path, fset.Position(fld.Pos()).Line, ts.Name.Name, name, fld.Tag.Value))
				}
				return true
			})
			return false
		})
	}
	return out, nil
}

// longFiles lists the non-test Go files longer than max lines, as
// "file: n lines", longest first.
func longFiles(root string, max int) ([]string, error) {
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	type long struct {
		path  string
		lines int
	}
	var ls []long
	for _, f := range files {
		n, err := lineCount(filepath.Join(root, f.Path))
		if err != nil {
			return nil, err
		}
		if n > max {
			ls = append(ls, long{f.Path, n})
		}
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].lines > ls[j].lines })
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s: %d lines", l.path, l.lines))
	}
	return out, nil
}

// lineCount counts lines as wc -l does, plus a last line without its
// newline.
func lineCount(file string) (int, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n, nil
}
