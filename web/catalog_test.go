package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"html/template"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/pishran/pishran/domain"
)

// TestCatalog: every message exists in both languages, and every key a
// template or the Go code asks for by name is in the catalog.
func TestCatalog(t *testing.T) {
	for key, m := range catalog {
		if strings.TrimSpace(m.FA) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("catalog %q lacks a language: %+v", key, m)
		}
		// Placeholders must match: a {0} in one language and not the other
		// would drop a figure.
		for _, ph := range []string{"{0}", "{1}", "{n}"} {
			if strings.Contains(m.FA, ph) != strings.Contains(m.EN, ph) {
				t.Errorf("catalog %q: placeholder %s in one language only", key, ph)
			}
		}
	}
	used := templateKeys(t)
	for k := range goKeys(t) {
		used[k] = append(used[k], "go")
	}
	if len(used) < 100 {
		t.Fatalf("found only %d catalog keys in use: the scan is broken", len(used))
	}
	for key, where := range used {
		if _, ok := catalog[key]; !ok {
			t.Errorf("key %q used in %v is not in the catalog", key, where)
		}
	}
}

// templateKeys walks every template's parse tree for {{t "key"}} and
// {{tn "key" n}} calls with a literal key.
func templateKeys(t *testing.T) map[string][]string {
	t.Helper()
	used := map[string][]string{}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) < 5 {
		t.Fatalf("templates: %v %v", files, err)
	}
	// The staff workspace's templates too.
	staff, err := fs.Glob(templateFS, "templates/staff/*.html")
	if err != nil || len(staff) < 10 {
		t.Fatalf("staff templates: %v %v", staff, err)
	}
	files = append(files, staff...)
	funcs := (&Site{assets: &assets{}}).funcs(FA)
	for _, f := range files {
		tpl, err := template.New("").Funcs(funcs).ParseFS(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range tpl.Templates() {
			if x.Tree == nil {
				continue
			}
			walk(x.Tree.Root, func(cmd *parse.CommandNode) {
				if len(cmd.Args) < 2 {
					return
				}
				fn, ok := cmd.Args[0].(*parse.IdentifierNode)
				if !ok {
					return
				}
				lit, ok := cmd.Args[1].(*parse.StringNode)
				if !ok {
					return
				}
				switch fn.Ident {
				case "t":
					used[lit.Text] = append(used[lit.Text], f)
				case "tn":
					used[lit.Text+".one"] = append(used[lit.Text+".one"], f)
					used[lit.Text+".other"] = append(used[lit.Text+".other"], f)
				}
			})
		}
	}
	return used
}

func walk(n parse.Node, fn func(*parse.CommandNode)) {
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return
		}
		for _, c := range x.Nodes {
			walk(c, fn)
		}
	case *parse.ActionNode:
		walk(x.Pipe, fn)
	case *parse.PipeNode:
		if x == nil {
			return
		}
		for _, c := range x.Cmds {
			walk(c, fn)
		}
	case *parse.CommandNode:
		fn(x)
		for _, a := range x.Args {
			walk(a, fn)
		}
	case *parse.IfNode:
		walk(x.Pipe, fn)
		walk(x.List, fn)
		walk(x.ElseList, fn)
	case *parse.RangeNode:
		walk(x.Pipe, fn)
		walk(x.List, fn)
		walk(x.ElseList, fn)
	case *parse.WithNode:
		walk(x.Pipe, fn)
		walk(x.List, fn)
		walk(x.ElseList, fn)
	case *parse.TemplateNode:
		walk(x.Pipe, fn)
	}
}

// goKeys finds the literal keys the Go code passes to Lang.T and Lang.N
// (and "…" keys in Title fields of datasets).
func goKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok || len(x.Args) == 0 || (sel.Sel.Name != "T" && sel.Sel.Name != "N") {
					return true
				}
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "domain" {
					return true // domain.T builds a record text, not a catalog lookup
				}
				if lit, ok := x.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					k, _ := strconv.Unquote(lit.Value)
					if sel.Sel.Name == "N" {
						keys[k+".one"], keys[k+".other"] = true, true
					} else {
						keys[k] = true
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok && (id.Name == "Title" || id.Name == "Key") {
					if lit, ok := x.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						k, _ := strconv.Unquote(lit.Value)
						keys[k] = true
					}
				}
			}
			return true
		})
	}
	for _, d := range datasets {
		keys[d.Title] = true
	}
	for k := range categoryColors {
		keys[k], keys[k+"_help"] = true, true
	}
	return keys
}

// TestEnumLabels: every value the domain defines has a name in both
// languages, so no page ever shows a raw code.
func TestEnumLabels(t *testing.T) {
	groups := map[string][]string{
		"lifecycle":     strs(domain.Lifecycles),
		"body":          strs(domain.Bodies),
		"programstatus": strs(domain.ProgramStatuses),
		"programkind":   strs(domain.ProgramKinds),
		"visibility":    strs(domain.Visibilities),
		"projectkind":   strs(domain.ProjectKinds),
		"role":          strs(domain.Roles),
		"lineage":       strs(domain.LineageKinds),
		"rag":           strs(domain.RAGs),
		"basis":         {"records", "sourced", "unknown"},
		"confidence":    {"high", "medium", "low"},
	}
	for g, vs := range groups {
		for _, v := range vs {
			if _, ok := catalog[g+"."+v]; !ok {
				t.Errorf("no catalog name for %s %q", g, v)
			}
		}
	}
	// The basis values are the ones domain.Stage.Size gives.
	n := 3
	for _, st := range []domain.Stage{{Passed: []string{"a"}}, {Count: &n}, {}} {
		if _, b := st.Size(); !slices.Contains(groups["basis"], b) {
			t.Errorf("basis %q has no name", b)
		}
	}
	for _, status := range []int{400, 404, 405, 500} {
		for _, part := range []string{"title", "text"} {
			if _, ok := catalog["error."+strconv.Itoa(status)+"."+part]; !ok {
				t.Errorf("no error.%d.%s", status, part)
			}
		}
	}
	// Every leave reason has its text from the domain, in both languages.
	for _, r := range domain.LeaveReasons {
		if x := r.Text(); x.FA == "" || x.EN == "" {
			t.Errorf("leave reason %s lacks a language", r)
		}
	}
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func TestNumbersAndDates(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		n    int
		want string
	}{{FA, 23, "۲۳"}, {EN, 23, "23"}, {FA, 10000, "۱۰٬۰۰۰"}, {EN, 1234567, "1,234,567"}, {EN, 1234, "1234"}, {FA, -12345, "-۱۲٬۳۴۵"}} {
		if got := c.lang.Num(c.n); got != c.want {
			t.Errorf("%s Num(%d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	d := domain.NewDate(2018, 4, 11)
	if got := FA.Date(d); got != "۱۳۹۷/۰۱/۲۲" {
		t.Errorf("fa date %q", got)
	}
	if got := EN.Date(d); got != "2018-04-11" {
		t.Errorf("en date %q", got)
	}
	if got := string(FA.dateHTML((*domain.Date)(nil))); !strings.Contains(got, "تاریخ نامعلوم") {
		t.Errorf("nil date %q", got)
	}
	if got := FA.N("confidential.not_listed", 1); got != "۱ پروژه محرمانه فهرست نشده" {
		t.Errorf("fa count %q", got)
	}
	if got := EN.N("confidential.not_listed", 1); got != "1 confidential project not listed" {
		t.Errorf("en count %q", got)
	}
	if got := EN.N("confidential.not_listed", 2); got != "2 confidential projects not listed" {
		t.Errorf("en count %q", got)
	}
	if got := EN.T("no.such.key"); got != "[no.such.key]" {
		t.Errorf("unknown key %q", got)
	}
}
