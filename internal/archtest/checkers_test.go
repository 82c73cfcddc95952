package archtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The checkers themselves, on a small module made for the purpose: each
// finds what it is for, names the file, and lets the rest be. These run
// always, gate or not.

// writeModule writes files (module-relative path → content) under a new
// folder, with a go.mod for example.com/m.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLayeringChecker(t *testing.T) {
	root := writeModule(t, map[string]string{
		"domain/d.go":                    "package domain\n\nimport _ \"example.com/m/jalali\"\n",
		"jalali/j.go":                    "package jalali\n\nimport _ \"example.com/m/helper\"\n", // pure → impure: domain reaches it too
		"helper/h.go":                    "package helper\n",
		"status/s.go":                    "package status\n\nimport _ \"net/http\"\n",
		"store/s.go":                     "package store\n\nimport (\n\t_ \"example.com/m/domain\"\n\t_ \"example.com/m/service\"\n)\n",
		"store/s_test.go":                "package store\n\nimport _ \"example.com/m/api\"\n", // tests may
		"service/s.go":                   "package service\n\nimport _ \"example.com/m/store\"\n",
		"api/a.go":                       "package api\n\nimport (\n\t_ \"database/sql\"\n\t_ \"example.com/m/service\"\n\t_ \"github.com/jackc/pgx/v5/stdlib\"\n)\n",
		"web/w.go":                       "package web\n\nimport _ \"example.com/m/internal/testkit/scenario\"\n",
		"internal/testkit/scenario/s.go": "package scenario\n\nimport _ \"example.com/m/api\"\n",
		"bench/load/m.go":                "package main\n\nimport _ \"example.com/m/internal/keep\"\n",
		"testdata/x/x.go":                "package x\n\nimport _ \"example.com/m/store\"\n",
		"cmd/pishran/m.go":               "package main\n\nimport _ \"example.com/m/store\"\n",
	})
	got, err := layeringViolations(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"api/a.go imports database/sql: api must not",
		"api/a.go imports github.com/jackc/pgx/v5/stdlib: api must not",
		"bench/load/m.go imports internal/keep: bench/load must not",
		"status/s.go imports net/http: status must not",
		"store/s.go imports service: store must not",
		"web/w.go imports internal/testkit/scenario: only tests may import the test harness",
		"jalali/j.go imports helper: jalali, a pure package, reaches outside the pure packages (jalali → helper)",
		"jalali/j.go imports helper: domain, a pure package, reaches outside the pure packages (domain → jalali → helper)",
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("not found: %s", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
}

func TestWireShapeChecker(t *testing.T) {
	root := writeModule(t, map[string]string{
		"store/a.go":      "package store\n\ntype A struct {\n\tID int `db:\"id\"`\n\tName string `json:\"name\"`\n}\n\nfunc f() { _ = struct{ X int `json:\"x\"` }{} }\n",
		"store/a_test.go": "package store\n\ntype T struct{ N int `json:\"n\"` }\n",
		"domain/d.go":     "package domain\n\ntype D struct{ N int `json:\"n\"` }\n",
	})
	got, err := jsonTags(root, "store")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "store/a.go:5: A.Name `json:\"name\"`") {
		t.Errorf("json tags in store: %q", got)
	}
}

func TestFileSizeChecker(t *testing.T) {
	long := "package p\n" + strings.Repeat("// line\n", 600)        // 601 lines
	edge := "package p\n" + strings.Repeat("// line\n", 598) + "//" // 600 lines, the last without its newline
	root := writeModule(t, map[string]string{
		"p/long.go":      long,
		"p/edge.go":      edge,
		"p/long_test.go": long,
		"testdata/l.go":  long,
	})
	got, err := longFiles(root, 600)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "p/long.go: 601 lines" {
		t.Errorf("long files: %q", got)
	}
}

func TestREADMECommandCheckers(t *testing.T) {
	root := writeModule(t, map[string]string{
		".ci/run": "#!/usr/bin/env bash\nexport GOTOOLCHAIN=go1.99.1\ngo vet ./...\n# go test ./... in a comment\ngo test -count=1 ./...\ngo test ./other/\n",
		"README.md": "# X\n\n```sh\n# Run the tests\nGOTOOLCHAIN=go1.99.1 go test -count=1 ./...\ngo test ./web/ -run Browser\n```\n\n" +
			"Outside a block: go test ./...\n\n```sh\nPISHRAN_TEST_POSTGRES='postgres://x' go test ./...\n```\n",
	})
	ci, err := ciTestCommand(filepath.Join(root, ".ci", "run"))
	if err != nil || ci != "GOTOOLCHAIN=go1.99.1 go test -count=1 ./..." {
		t.Errorf("CI's test command %q, %v", ci, err)
	}
	readme, err := readmeTestCommands(filepath.Join(root, "README.md"))
	if err != nil || !slices.Equal(readme, []string{"GOTOOLCHAIN=go1.99.1 go test -count=1 ./...", "PISHRAN_TEST_POSTGRES='postgres://x' go test ./..."}) {
		t.Errorf("README's test commands %q, %v", readme, err)
	}
}
