package archtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// maxREADME is the most lines README.md may have: what Pishran is, the two
// commands, a short tour, where things live; the rest is in docs/.
const maxREADME = 200

// TestREADMELength: the README stays short.
func TestREADMELength(t *testing.T) {
	n, err := lineCount(filepath.Join(moduleRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n > maxREADME {
		t.Errorf("README.md has %d lines, more than %d: move the detail to docs/", n, maxREADME)
	}
}

// TestREADMECommands: the test command the README gives is, word for
// word, the one CI runs.
func TestREADMECommands(t *testing.T) {
	root := moduleRoot(t)
	ci, err := ciTestCommand(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := readmeTestCommands(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(readme) == 0 {
		t.Fatalf("README.md gives no test command; .ci/run runs %q", ci)
	}
	for _, c := range readme {
		if c == ci {
			return
		}
	}
	t.Errorf("README.md's test command is %q; .ci/run runs %q", readme[0], ci)
}

var (
	toolchainExport = regexp.MustCompile(`^export GOTOOLCHAIN=(\S+)$`)
	goTestLine      = regexp.MustCompile(`^go test\s`)
)

// ciTestCommand is the test command of a CI script, as one would type it:
// its first `go test` line, preceded by the GOTOOLCHAIN it exports.
func ciTestCommand(script string) (string, error) {
	b, err := os.ReadFile(script)
	if err != nil {
		return "", err
	}
	toolchain := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := toolchainExport.FindStringSubmatch(line); m != nil {
			toolchain = m[1]
		}
		if goTestLine.MatchString(line) {
			if toolchain != "" {
				line = "GOTOOLCHAIN=" + toolchain + " " + line
			}
			return line, nil
		}
	}
	return "", fmt.Errorf("%s runs no go test", script)
}

// readmeTestCommands are the lines of a Markdown file's code blocks that
// run the whole module's tests (`go test … ./...`, with any environment
// before it), in order.
func readmeTestCommands(file string) ([]string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []string
	inCode := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if inCode && strings.Contains(" "+line, " go test ") && strings.HasSuffix(line, " ./...") && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, nil
}
