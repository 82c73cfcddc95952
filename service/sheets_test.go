package service_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/sheet"
)

// Spreadsheet import (issue 16): a registry workbook of 10,000 data rows
// with planted errors is reported at each error's sheet, row and column and
// changes nothing; fixed, it applies in one transaction, once. Cells use
// Persian and Arabic-Indic digits, Jalali dates, Excel date serials and
// Arabic letter forms, and the applied records carry what they meant.

// plantedCell is one planted error: where it must be reported.
type plantedCell struct {
	sheet  string
	row    int
	column string
}

func (p plantedCell) String() string { return fmt.Sprintf("%s!%s%d", p.sheet, p.column, p.row) }

// excelSerial is the Excel date serial of an ISO day.
func excelSerial(day string) float64 {
	d, _ := time.Parse("2006-01-02", day)
	return d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
}

// schemaHeaders is a schema's English headers, in order.
func schemaHeaders(s *sheet.Schema) []any {
	out := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		out[i] = c.Header.EN
	}
	return out
}

// persianDigits writes n with Persian digits; arabicDigits with Arabic-Indic ones.
func persianDigits(n int) string { return jalali.PersianDigits(fmt.Sprint(n)) }
func arabicDigits(n int) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + (r - '0')
		}
		return r
	}, fmt.Sprint(n))
}

// registryWorkbook builds the registry workbook on a scenario Registry(5) +
// Meetings() database: 500 agencies, 500 laws, 3,000 projects, 5,000
// deliverables and 1,000 memberships — 10,000 data rows. With plant, seven
// rows carry an error each, returned with where it must be reported.
func registryWorkbook(t testing.TB, plant bool) ([]byte, []plantedCell) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	var planted []plantedCell
	write := func(s *sheet.Schema, n int, row func(i int) []any) {
		name := s.Name.EN
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", schemaHeaders(s)); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row(i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	at := func(s *sheet.Schema, i int, col string) {
		planted = append(planted, plantedCell{s.Name.EN, i + 2, col})
	}

	write(sheet.AgenciesSheet, 500, func(i int) []any {
		if i == 499 { // moh is recorded: the same values are "unchanged", others an issue
			name := "وزارت بهداشت"
			if plant {
				name = "وزارت بهداشت و درمان"
				at(sheet.AgenciesSheet, i, "A")
			}
			return []any{"moh", name, "Ministry of Health", "ministry", ""}
		}
		parent := ""
		if i > 0 && i%10 == 0 {
			parent = "ag-0"
		}
		kind := "ministry"
		if i%2 == 1 {
			kind = "سازمان (organization)"
		}
		return []any{fmt.Sprintf("ag-%d", i), "دستگاه شماره " + persianDigits(i), fmt.Sprintf("Agency %d", i), kind, parent}
	})
	write(sheet.LawsSheet, 500, func(i int) []any {
		var approved any = "۱۴۰۲/۰۹/۱۹"
		if i%2 == 0 {
			approved = excelSerial("2023-03-15")
		}
		if plant && i == 7 {
			approved = "۱۴۰۲/۱۳/۴۰"
			at(sheet.LawsSheet, i, "G")
		}
		return []any{fmt.Sprintf("law-%d", i), "قانون شماره " + persianDigits(i), fmt.Sprintf("Law %d", i), arabicDigits(i), "مجلس", "Parliament", approved, "1; ۲"}
	})
	write(sheet.ProjectsSheet, 3000, func(i int) []any {
		slug, kind, lead := fmt.Sprintf("proj-%d", i), "service", "سازمان فناوري اطلاعات" // Arabic yeh: ito's name
		if i%2 == 1 {
			lead = "moh"
		}
		switch {
		case plant && i == 100:
			kind = "spaceship"
			at(sheet.ProjectsSheet, i, "H")
		case plant && i == 200:
			lead = "nope"
			at(sheet.ProjectsSheet, i, "K")
		case i == 2999 && plant: // a slug already recorded
			slug = "p0"
			at(sheet.ProjectsSheet, i, "A")
		}
		return []any{slug, "پروژه يكپارچه " + persianDigits(i), fmt.Sprintf("Integrated project %d", i), "", "", "خدمت یکپارچه برای مردم", "",
			kind, "عمومی", "", lead, fmt.Sprintf("ag-%d", i%499), fmt.Sprintf("plan7: 1; law-%d: ۲", i%500)}
	})
	write(sheet.DeliverablesSheet, 5000, func(i int) []any {
		project := fmt.Sprintf("proj-%d", i%2999)
		if i == 4999 || i == 4998 { // two for a project already recorded
			project = "p2"
		}
		var due any = "۱۴۰۵/۰۶/۳۱"
		if i%2 == 0 {
			due = excelSerial("2026-09-22")
		}
		if plant && i == 50 {
			due = "31/31/2020"
			at(sheet.DeliverablesSheet, i, "G")
		}
		return []any{project, "دستاورد " + persianDigits(i), fmt.Sprintf("Deliverable %d", i), "سهم", "share", "۱۰۰٪", due}
	})
	write(sheet.MembershipsSheet, 1000, func(i int) []any {
		project := fmt.Sprintf("proj-%d", i)
		if i == 999 {
			project = "proj-1999"
			if plant { // p0 is on gov14 already
				project = "p0"
				at(sheet.MembershipsSheet, i, "B")
			}
		}
		return []any{"gov14", project, "council", "بله", "۱۴۰۴/۰۱/۱۵"}
	})
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), planted
}

// queryOne is the first column of q's first row, as text.
func queryOne(t testing.TB, env *scenario.Env, q string) string {
	t.Helper()
	_, read := env.DB.Pools()
	var out string
	if err := read.QueryRowContext(context.Background(), testkit.SQL(env.DB, q)).Scan(&out); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// tableCounts counts what an import may write.
func tableCounts(t testing.TB, env *scenario.Env) string {
	return queryOne(t, env, `SELECT (SELECT COUNT(*) FROM agencies) || '/' || (SELECT COUNT(*) FROM laws) || '/' ||
		(SELECT COUNT(*) FROM projects) || '/' || (SELECT COUNT(*) FROM membership_events) || '/' || (SELECT COUNT(*) FROM audit_log)`)
}

var sheetSecretariat = service.Actor{Name: "user:sec", Role: service.RoleSecretariat}

func TestSheetRegistryImport(t *testing.T) {
	bad, planted := registryWorkbook(t, true)
	good, none := registryWorkbook(t, false)
	if len(planted) != 7 || len(none) != 0 {
		t.Fatalf("planted %v, fixed %v", planted, none)
	}
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(5).Meetings()
		ctx := context.Background()
		before := tableCounts(t, env)

		// The planted errors, each at its sheet, row and column; nothing else.
		c, err := env.Svc.CheckSheet(ctx, sheetSecretariat, "portfolio.xlsx", bad)
		testkit.Must(t, err)
		var got []plantedCell
		for _, i := range c.Report.Issues {
			got = append(got, plantedCell{i.Sheet, i.Row, i.Column})
			if i.Message.FA == "" || i.Message.EN == "" {
				t.Errorf("%s: message not in both languages: %+v", i, i.Message)
			}
		}
		if !slices.Equal(got, planted) {
			t.Fatalf("issues at %v\nwant %v\n%s", got, planted, c.Report.Text("en"))
		}
		if c.Preview != nil || c.Kind != service.SheetRegistry || c.Digest != service.Digest(bad) {
			t.Fatalf("a file with issues: preview %v, kind %q, digest %q", c.Preview != nil, c.Kind, c.Digest)
		}
		// Nothing changed, and applying it is refused.
		_, err = env.Svc.ApplySheet(ctx, sheetSecretariat, c.Digest, "")
		testkit.WantKind(t, "apply a file with issues", err, domain.KindInvalid, "file")
		if now := tableCounts(t, env); now != before {
			t.Fatalf("a file with issues changed the database: %s → %s", before, now)
		}
		// The annotated workbook carries every issue in its errors column.
		var ann bytes.Buffer
		if _, err := env.Svc.AnnotateSheet(ctx, sheetSecretariat, c.Digest, &ann); err != nil {
			t.Fatal(err)
		}
		af, err := excelize.OpenReader(&ann)
		testkit.Must(t, err)
		v, _ := af.GetCellValue("Projects", "N102")
		if !strings.Contains(v, "spaceship") {
			t.Errorf("Projects!N102 (errors column) = %q, want the kind's issue", v)
		}
		af.Close()

		// Fixed: a preview of exactly what is created and changed.
		c, err = env.Svc.CheckSheet(ctx, sheetSecretariat, "portfolio.xlsx", good)
		testkit.Must(t, err)
		if !c.Report.OK() || c.Preview == nil {
			t.Fatalf("fixed file: %s", c.Report.Text("en"))
		}
		want := map[string]int{"create agency": 499, "unchanged agency": 1, "create law": 500, "create project": 3000,
			"update deliverable": 2, "create membership": 1000}
		for k, n := range want {
			if c.Preview.Counts[k] != n {
				t.Errorf("preview %q = %d, want %d (all: %v)", k, c.Preview.Counts[k], n, c.Preview.Counts)
			}
		}
		// A stale plan is refused, and changes nothing.
		_, err = env.Svc.ApplySheet(ctx, sheetSecretariat, c.Digest, strings.Repeat("0", 64))
		testkit.WantKind(t, "apply a stale plan", err, domain.KindStale, "plan")
		// All or nothing: a fault at the last step (the memberships, after
		// every agency, law and project was written) leaves nothing.
		failMemberships(t, env, true)
		_, err = env.Svc.ApplySheet(ctx, sheetSecretariat, c.Digest, c.Preview.Plan)
		if err == nil {
			t.Fatal("apply with a failing membership insert succeeded")
		}
		if now := tableCounts(t, env); now != before {
			t.Fatalf("a failed apply left writes: %s → %s", before, now)
		}
		failMemberships(t, env, false)

		res, err := env.Svc.ApplySheet(ctx, sheetSecretariat, c.Digest, c.Preview.Plan)
		testkit.Must(t, err)
		if len(res.Items) != len(c.Preview.Items) {
			t.Fatalf("applied %d items, previewed %d", len(res.Items), len(c.Preview.Items))
		}
		// One import entry names the file's digest.
		if n := queryOne(t, env, "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND record = 'sheet:"+c.Digest+"'"); n != "1" {
			t.Fatalf("import audit entries naming the digest: %s", n)
		}
		// Applying it again is refused: a file is applied once.
		_, err = env.Svc.ApplySheet(ctx, sheetSecretariat, c.Digest, c.Preview.Plan)
		testkit.WantKind(t, "apply twice", err, domain.KindConflict, "digest")

		// What the cells meant: Arabic letter forms found ito; Persian
		// digits the article; a Jalali date and an Excel serial the days.
		p, err := env.Svc.Project(ctx, sheetSecretariat, "proj-0")
		testkit.Must(t, err)
		if p.Lead() != "ito" || p.Title.FA != "پروژه یکپارچه ۰" || len(p.Mandates) != 2 || p.Mandates[1].Article != "2" {
			t.Errorf("proj-0 = lead %q, title %q, mandates %+v", p.Lead(), p.Title.FA, p.Mandates)
		}
		if len(p.Deliverables) == 0 || p.Deliverables[0].Due == nil || p.Deliverables[0].Due.String() != "2026-09-22" {
			t.Errorf("proj-0 deliverables %+v: want the serial's day 2026-09-22", p.Deliverables)
		}
		l, err := env.Svc.Law(ctx, "law-1")
		testkit.Must(t, err)
		if l.Approved == nil || l.Approved.String() != "2023-12-10" || l.Number != "1" {
			t.Errorf("law-1 approved %v number %q: want 2023-12-10 (۱۴۰۲/۰۹/۱۹) and 1 (from ١)", l.Approved, l.Number)
		}
		p2, err := env.Svc.Project(ctx, sheetSecretariat, "p2")
		testkit.Must(t, err)
		if len(p2.Deliverables) != 3 {
			t.Errorf("p2 has %d deliverables, want its own and the 2 imported", len(p2.Deliverables))
		}
	})
}

// failMemberships makes every membership event insert fail (on) or
// stops doing so (off): a fault at apply's last step.
func failMemberships(t *testing.T, env *scenario.Env, on bool) {
	t.Helper()
	pg := env.Engine.Name == testkit.Postgres.Name
	switch {
	case on && pg:
		testkit.Exec(t, env.DB, `CREATE FUNCTION sh_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`)
		testkit.Exec(t, env.DB, `CREATE TRIGGER sh_refuse BEFORE INSERT ON membership_events FOR EACH ROW EXECUTE FUNCTION sh_refuse()`)
	case on:
		testkit.Exec(t, env.DB, `CREATE TRIGGER sh_refuse BEFORE INSERT ON membership_events BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
	case pg:
		testkit.Exec(t, env.DB, `DROP TRIGGER sh_refuse ON membership_events`)
		testkit.Exec(t, env.DB, `DROP FUNCTION sh_refuse()`)
	default:
		testkit.Exec(t, env.DB, `DROP TRIGGER sh_refuse`)
	}
}

// BenchmarkSheetCheck validates the 10,000-row registry workbook (with its
// planted errors) against a database, as an upload does: read, check
// every cell and record, check against the registry, keep the file.
// Target: under 2 s an upload.
func BenchmarkSheetCheck(b *testing.B) {
	bad, _ := registryWorkbook(b, true)
	env := scenario.New(b, testkit.SQLite).Registry(5).Meetings()
	ctx := context.Background()
	cpu0 := testkit.ProcessCPU()
	for b.Loop() {
		c, err := env.Svc.CheckSheet(ctx, sheetSecretariat, "portfolio.xlsx", bad)
		if err != nil || len(c.Report.Issues) != 7 {
			b.Fatal(err)
		}
	}
	// The process's CPU time per upload: on a shared machine the wall
	// time (ns/op) counts the waits for a core too.
	b.ReportMetric((testkit.ProcessCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
