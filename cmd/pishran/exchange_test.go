package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// TestExchangeCommands: "pishran generate telemetry" writes a gzip file of
// synthetic op-monitoring records (the open-data form too);
// "pishran exchange import" takes both and prints each import report, bad
// records by number and the identities no agency is mapped to; the same
// file again changes nothing and says so; a broken file fails and names
// the byte.
func TestExchangeCommands(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn, dir := e.DSN(t), t.TempDir()
		gz, open := filepath.Join(dir, "day.json.gz"), filepath.Join(dir, "open.json")
		code, _, errOut := pishran(t, "generate", "telemetry", "--out", gz, "--messages", "3000", "--per-day", "3000", "--members", "8")
		if code != 0 || !strings.Contains(errOut, "wrote ") {
			t.Fatalf("generate: %d %s", code, errOut)
		}
		f, err := os.Open(gz)
		testkit.Must(t, err)
		zr, err := gzip.NewReader(f)
		testkit.Must(t, err)
		head, _ := io.ReadAll(io.LimitReader(zr, 64))
		f.Close()
		if !strings.HasPrefix(string(head), `{"records":[`) {
			t.Fatalf("not op-monitoring JSON: %q", head)
		}
		if code, _, errOut := pishran(t, "exchange", "generate", "--out", open, "--messages", "500", "--per-day", "500", "--open-data", "--seed", "3"); code != 0 {
			t.Fatalf("generate open data: %d %s", code, errOut)
		}
		bad := filepath.Join(dir, "bad.json")
		testkit.Must(t, os.WriteFile(bad, []byte(`[{"securityServerType":"Client","requestInTs":1727245800000,"succeeded":true,
			"clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"MOH","serviceXRoadInstance":"IR","serviceMemberClass":"GOV",
			"serviceMemberCode":"ITO","serviceSubsystemCode":"gsb","serviceCode":"inquiry"},
			{"securityServerType":"Server","requestInTs":1727245800000,"succeeded":true}]`), 0o600))
		code, out, errOut := pishran(t, "exchange", "import", gz, open, bad, "--db", dsn)
		if code != 0 || strings.Count(out, "  records ") != 3 || !strings.Contains(out, "bad record 2 (byte ") || !strings.Contains(out, "gzip") || !strings.Contains(out, "open data 0") ||
			!strings.Contains(out, "bad record ") || !strings.Contains(out, "no agency is mapped to") || !strings.Contains(out, "digest ") {
			t.Fatalf("import: %d\n%s%s", code, out, errOut)
		}
		code, out, _ = pishran(t, "exchange", "import", gz, "--db", dsn)
		if code != 0 || !strings.Contains(out, "imported already") {
			t.Fatalf("re-import: %d\n%s", code, out)
		}
		broken := filepath.Join(dir, "broken.json")
		testkit.Must(t, os.WriteFile(broken, []byte(`{"records":[{"securityServerType":"Client",`), 0o600))
		if code, _, errOut := pishran(t, "exchange", "import", broken, "--db", dsn); code == 0 || !strings.Contains(errOut, "byte") {
			t.Fatalf("broken file: %d %s", code, errOut)
		}
	})
}
