package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit"
)

func pishran(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := pishran(t, "version"); code != 0 || !strings.HasPrefix(out, "pishran ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := pishran(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
	for _, cmd := range []string{"serve", "check", "export", "import"} {
		code, _, errOut := pishran(t, cmd, "--help")
		if code != 0 || !strings.Contains(errOut, "Usage: pishran "+cmd) || !strings.Contains(errOut, "-db") {
			t.Errorf("%s --help: %d %q", cmd, code, errOut)
		}
	}
	if code, _, errOut := pishran(t, "token", "--help"); code != 0 || !strings.Contains(errOut, "token create") {
		t.Errorf("token --help: %d %q", code, errOut)
	}
}

func TestTokenCreate(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		code, out, errOut := pishran(t, "token", "create", "--role", "secretariat", "--name", "ops", "--db", dsn)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if !regexp.MustCompile(`^pishran_[A-Za-z0-9_-]{43}$`).MatchString(lines[len(lines)-1]) {
			t.Fatalf("last line is not a token: %q", lines[len(lines)-1])
		}
		code, _, errOut = pishran(t, "token", "create", "--role", "emperor", "--name", "x", "--db", dsn)
		if code != 2 || !strings.Contains(errOut, "role") {
			t.Fatalf("bad role: %d %q", code, errOut)
		}
		code, _, errOut = pishran(t, "token", "create", "--role", "agency", "--name", "x", "--agency", "nope", "--db", dsn)
		if code != 2 || !strings.Contains(errOut, "agency") {
			t.Fatalf("unknown agency: %d %q", code, errOut)
		}
	})
}

// TestExportImportRoundTrip: reference data in, export, import into an
// empty database, export again: the same document.
func TestExportImportRoundTrip(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		src, dst := e.DSN(t), e.DSN(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// serve --reference loads the dataset; stop it once it answers.
		addr, _ := startServe(t, ctx, false, "--db", src, "--reference", "--addr", "127.0.0.1:0")
		resp, err := http.Get("http://" + addr + "/api/v1/programs")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `"declared_size":23`) {
			t.Fatalf("reference programs not served: %s", body)
		}
		cancel()

		dir := t.TempDir()
		first, second := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
		if code, _, errOut := pishran(t, "export", "--db", src, "--out", first); code != 0 {
			t.Fatalf("export: %s", errOut)
		}
		if code, out, errOut := pishran(t, "import", first, "--db", dst); code != 0 || !strings.Contains(out, "Imported") {
			t.Fatalf("import: %d %s %s", code, out, errOut)
		}
		if code, _, errOut := pishran(t, "export", "--db", dst, "--out", second); code != 0 {
			t.Fatalf("export again: %s", errOut)
		}
		a, _ := os.ReadFile(first)
		b, _ := os.ReadFile(second)
		if !bytes.Equal(a, b) {
			t.Fatalf("export → import → export changed the document (%d vs %d bytes)", len(a), len(b))
		}
		var doc struct {
			Projects []json.RawMessage `json:"projects"`
			Events   []json.RawMessage `json:"events"`
		}
		if err := json.Unmarshal(a, &doc); err != nil || len(doc.Projects) < 20 || len(doc.Events) < 20 {
			t.Fatalf("export looks empty: %v, %d projects, %d events", err, len(doc.Projects), len(doc.Events))
		}
		// A second import into the now non-empty database is refused, whole.
		if code, _, errOut := pishran(t, "import", first, "--db", dst); code != 2 || !strings.Contains(errOut, "not empty") {
			t.Fatalf("import into non-empty: %d %q", code, errOut)
		}
	})
}

func TestImportBadFile(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"malformed":          `{"format": "pishran-registry",`,
		"unknown field":      `{"format": "pishran-registry", "version": 1, "colour": "red"}`,
		"wrong format":       `{"format": "something-else", "version": 1}`,
		"bad date":           `{"format": "pishran-registry", "version": 1, "terms": [{"number": 12, "name": {"fa": "x", "en": "x"}, "start": "1402/13/40"}]}`,
		"dangling":           `{"format": "pishran-registry", "version": 1, "terms": [{"number": 12, "name": {"fa": "x", "en": "x"}}], "programs": [{"id": "p", "title": {"fa": "x", "en": "x"}, "term": 99, "kind": "other", "visibility": "public", "status": "draft", "stages": []}]}`,
		"two leads":          `{"format": "pishran-registry", "version": 1, "agencies": [{"code": "a", "name": {"fa": "a", "en": "a"}, "kind": "ministry"}, {"code": "b", "name": {"fa": "b", "en": "b"}, "kind": "ministry"}], "projects": [{"slug": "p", "title": {"fa": "p", "en": "p"}, "kind": "service", "confidentiality": "public", "status": "proposed", "agencies": [{"agency": "a", "role": "lead"}, {"agency": "b", "role": "lead"}]}]}`,
		"service dependency": `{"format": "pishran-registry", "version": 1, "projects": [{"slug": "a", "title": {"fa": "a", "en": "a"}, "kind": "service", "confidentiality": "public", "status": "proposed", "depends_on": ["b"]}, {"slug": "b", "title": {"fa": "b", "en": "b"}, "kind": "service", "confidentiality": "public", "status": "proposed"}]}`,
		"bidi override":      `{"format": "pishran-registry", "version": 1, "terms": [{"number": 12, "name": {"fa": "دولت \u202eدوازدهم", "en": "x"}}]}`,
	}
	want := map[string]string{"malformed": "JSON", "unknown field": "colour", "wrong format": "format",
		"bad date": "terms[0].start", "dangling": "programs[0].term", "two leads": "projects[0].agencies: the project has more than one lead agency",
		"service dependency": "projects[0].depends_on[0]: a project depends on infrastructure projects only; b is a service project",
		"bidi override":      "terms[0].name.fa: text holds a character that is not allowed: U+202E"}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
			os.WriteFile(f, []byte(body), 0o600)
			dsn := testkit.SQLiteDSN(t)
			code, _, errOut := pishran(t, "import", f, "--db", dsn)
			if code != 2 || !strings.Contains(errOut, want[name]) {
				t.Fatalf("exit %d, stderr %q; want 2 and a message naming %q", code, errOut, want[name])
			}
			// Nothing written: the database is still empty, so the reference data imports.
			if code, _, errOut := pishran(t, "export", "--db", dsn); code != 0 {
				t.Fatal(errOut)
			}
		})
	}
}

func TestCheckReference(t *testing.T) {
	dsn := testkit.SQLiteDSN(t)
	ctx, cancel := context.WithCancel(context.Background())
	startServe(t, ctx, false, "--db", dsn, "--reference", "--addr", "127.0.0.1:0")
	cancel()
	code, out, errOut := pishran(t, "check", "gov12-egov-priority", "--db", dsn)
	if code != 1 {
		t.Fatalf("check exit %d (%s); the reference projects lack agencies and mandates, so it must report them", code, errOut)
	}
	for _, want := range []string{"multi-agency", "legal-mandate", "BLOCKED", "e-tax"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errOut := pishran(t, "check", "no-such-program", "--db", dsn); code != 2 || !strings.Contains(errOut, "not found") {
		t.Errorf("unknown program: %d %q", code, errOut)
	}
}

// startServe runs `pishran serve` with args until ctx ends and returns the
// address it says it serves on (http or https) and, when wantMetrics, the
// address it says it serves /metrics on.
func startServe(t *testing.T, ctx context.Context, wantMetrics bool, args ...string) (main, metrics string) {
	t.Helper()
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	var code int
	var errOut bytes.Buffer
	go func() {
		defer wg.Done()
		code = run(ctx, append([]string{"serve"}, args...), pw, &errOut)
		pw.Close()
	}()
	t.Cleanup(func() {
		wg.Wait()
		if code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	})
	serving := regexp.MustCompile(`serving on https?://([0-9.:]+)/`)
	metricsRE := regexp.MustCompile(`Metrics are served on http://([0-9.:]+)/metrics`)
	found := make(chan [2]string, 1)
	go func() {
		var got [2]string
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				got[0] = m[1]
			}
			if m := metricsRE.FindStringSubmatch(sc.Text()); m != nil {
				got[1] = m[1]
			}
			if !sent && got[0] != "" && (got[1] != "" || !wantMetrics) {
				found <- got
				sent = true
			}
		}
		if !sent {
			found <- got
		}
		io.Copy(io.Discard, pr) // a line too long for the scanner: keep serve from blocking
	}()
	select {
	case got := <-found:
		if got[0] == "" {
			t.Fatalf("serve did not start: %s", errOut.String())
		}
		return got[0], got[1]
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	return "", ""
}

// serve refuses a job duty outside (0, 1], from the flag or the
// environment, before it opens anything.
func TestServeJobDuty(t *testing.T) {
	for _, d := range []string{"0", "-0.5", "1.5", "NaN"} {
		code, _, errOut := pishran(t, "serve", "--job-duty", d, "--db", filepath.Join(t.TempDir(), "x.db"))
		if code == 0 || !strings.Contains(errOut, "--job-duty") {
			t.Errorf("--job-duty %s: exit %d, %q", d, code, errOut)
		}
	}
	t.Setenv("PISHRAN_JOB_DUTY", "a quarter")
	code, _, errOut := pishran(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"))
	if code == 0 || !strings.Contains(errOut, "PISHRAN_JOB_DUTY") {
		t.Errorf("PISHRAN_JOB_DUTY=a quarter: exit %d, %q", code, errOut)
	}
}
