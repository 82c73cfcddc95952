package sheet

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
)

var known = Known{
	Agencies: []Ref{{ID: "ito", Name: domain.T("سازمان فناوری اطلاعات ایران", "Information Technology Organization of Iran")}},
	Laws:     []Ref{{ID: "egov-law", Name: domain.T("قانون دولت الکترونیک", "")}},
	Programs: []Ref{{ID: "gov13-smart-driving", Name: domain.T("پروژه‌های پیشران دولت هوشمند", "Smart-government driving projects")}},
}

// filled writes a template, lets fill put values in it the way a person in
// Excel would, and returns the file's bytes.
func filled(t testing.TB, tmpl func(w *bytes.Buffer) error, fill func(f *excelize.File)) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tmpl(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	fill(f)
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func registryTemplate(w *bytes.Buffer) error {
	return RegistryTemplate(w, TemplateOptions{Known: known, Rows: 50})
}

// set writes row n of a sheet from its first column on; a float64 is a
// number cell, anything else text.
func set(f *excelize.File, sheet string, n int, vals ...any) {
	for i, v := range vals {
		cell, _ := excelize.CoordinatesToCellName(i+1, n)
		switch v := v.(type) {
		case float64:
			f.SetCellFloat(sheet, cell, v, -1, 64)
		case nil:
		default:
			f.SetCellStr(sheet, cell, fmt.Sprint(v))
		}
	}
}

// dateCell writes an Excel date: a serial number with a date format.
func dateCell(f *excelize.File, sheet, cell string, serial float64) {
	st, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellFloat(sheet, cell, serial, -1, 64)
	f.SetCellStyle(sheet, cell, cell, st)
}

func goodRegistry(f *excelize.File) {
	ag, lw, pr, dl, ms := AgenciesSheet.Name.FA, LawsSheet.Name.FA, ProjectsSheet.Name.FA, DeliverablesSheet.Name.FA, MembershipsSheet.Name.FA
	// Arabic yeh and kaf in the names, a kind picked from the drop-down,
	// a parent named by its drop-down entry.
	set(f, ag, 3, "moh", "وزارت بهداشت، درمان و آموزش پزشكي", "Ministry of Health", "وزارتخانه (ministry)", nil)
	set(f, ag, 4, "tamin", "سازمان تأمين اجتماعي", "Social Security Organization", "organization", "وزارت بهداشت، درمان و آموزش پزشکی")
	set(f, lw, 3, "seventh-plan", "قانون برنامه هفتم", "Seventh Development Plan law", "", "مجلس", "Parliament", "۱۴۰۳/۰۲/۱۰", "1; 67(ث)؛ 138")
	set(f, pr, 3, "e-prescription", "نسخه الکترونيک", "Electronic prescription", "", "", "نسخه‌ها به‌صورت الکترونیک صادر می‌شوند", "", "خدمت", "عمومی (public)", "", "moh", "tamin، ito", "seventh-plan: 67(ث)")
	set(f, dl, 3, "e-prescription", "نسخه بدون کاغذ", "Paperless prescriptions", "سهم نسخه‌های الکترونیک", "", "۱۰۰٪", "1405/12/29")
	set(f, ms, 3, "gov13-smart-driving", "e-prescription", "شورا (council)", "بله", nil)
	dateCell(f, ms, "E3", 45270) // 2023-12-10 as Excel stores a date
}

func read(t testing.TB, data []byte) *Book {
	t.Helper()
	b, err := Read(bytes.NewReader(data), "upload.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestRegistryTemplateRoundTrip(t *testing.T) {
	reg, rep := ReadRegistry(read(t, filled(t, registryTemplate, goodRegistry)), known)
	if !rep.OK() {
		t.Fatalf("issues:\n%s", rep.Text("en"))
	}
	if len(reg.Agencies) != 2 || len(reg.Laws) != 1 || len(reg.Projects) != 1 || len(reg.Memberships) != 1 {
		t.Fatalf("read %+v", reg)
	}
	moh, tamin := reg.Agencies[0], reg.Agencies[1]
	if moh.Name.FA != "وزارت بهداشت، درمان و آموزش پزشکی" || moh.Kind != domain.AgencyMinistry || moh.Row != 3 {
		t.Errorf("moh: %+v", moh)
	}
	if tamin.Parent != "moh" || tamin.Name.FA != "سازمان تأمین اجتماعی" {
		t.Errorf("tamin: parent %q (named by its Persian name), name %q", tamin.Parent, tamin.Name.FA)
	}
	law := reg.Laws[0]
	if law.Approved == nil || law.Approved.String() != "2024-04-29" || len(law.Articles) != 3 || law.Articles[1].Number != "67(ث)" {
		t.Errorf("law: %+v", law.Law)
	}
	p := reg.Projects[0]
	if p.Title.FA != "نسخه الکترونیک" || p.Kind != domain.KindService || p.Confidentiality != domain.Public || p.Status != domain.Proposed {
		t.Errorf("project: %+v", p.Project)
	}
	if p.Lead() != "moh" || len(p.Agencies) != 3 || p.Agencies[2].Agency != "ito" {
		t.Errorf("agencies: %+v", p.Agencies)
	}
	if len(p.Mandates) != 1 || p.Mandates[0] != (domain.Mandate{Law: "seventh-plan", Article: "67(ث)"}) {
		t.Errorf("mandates: %+v", p.Mandates)
	}
	if len(p.Deliverables) != 1 || p.Deliverables[0].Due.String() != "2027-03-20" || p.DeliverableLocs[0].Row != 3 {
		t.Errorf("deliverables: %+v at %+v", p.Deliverables, p.DeliverableLocs)
	}
	m := reg.Memberships[0]
	if m.Program != "gov13-smart-driving" || !m.Main || m.Stage != domain.BodyCouncil || m.Date.String() != "2023-12-10" {
		t.Errorf("membership: %+v", m.MembershipEvent)
	}
}

// where is an issue's place, to compare reports.
func where(rep *Report) []string {
	var out []string
	for _, i := range rep.Issues {
		out = append(out, fmt.Sprintf("%s!%s%d", i.Sheet, i.Column, i.Row))
	}
	return out
}

// plantErrors adds faulty rows to a good registry: each comment says the
// cell at fault.
func plantErrors(f *excelize.File) {
	ag, lw, pr, dl, ms := AgenciesSheet.Name.FA, LawsSheet.Name.FA, ProjectsSheet.Name.FA, DeliverablesSheet.Name.FA, MembershipsSheet.Name.FA
	set(f, ag, 5, "mcit", "وزارت ارتباطات", "", "وزارت", nil)                                                    // D5: unknown kind
	set(f, ag, 6, "", "سازمان برنامه", "Plan organization", "سازمان", nil)                                       // A6: missing code
	set(f, ag, 7, "moh", "تکراری", "", "سایر", nil)                                                              // A7: duplicate of row 3
	set(f, ag, 8, "Bad Code!", "دستگاه", "", "سایر", "nowhere")                                                  // A8: bad code (domain); E8: unknown parent
	set(f, lw, 4, "old-law", "قانون کهنه", "", "", "", "", "1402/13/05")                                         // G4: bad Jalali date
	set(f, pr, 4, "untitled", "", "", "", "", "", "", "زیرساخت", "محدود")                                        // B4: no title (domain)
	set(f, pr, 5, "orphan", "پروژه", "", "", "", "", "", "خدمت", "عمومی", "", "nobody", "", "seventh-plan: 999") // K5 unknown lead; M5 no such article
	set(f, pr, 6, "two-leads", "پروژه", "", "", "", "", "", "خدمت", "secret")                                    // I6: unknown confidentiality
	set(f, pr, 7, "no-lead", "پروژه", "", "", "", "", "", "خدمت", "عمومی", "", "", "moh")                        // K7: participants with no lead (domain)
	set(f, dl, 4, "e-prescription", "سامانه", "", "", "", "", "1402/12/30")                                      // G4: 1402 has no 30 Esfand
	set(f, dl, 5, "e-prescription", "", "", "شاخص", "", "", "")                                                  // B5: deliverable with no title (domain, via the project)
	set(f, ms, 4, "gov99", "e-prescription", "", "", nil)                                                        // A4: unknown program
	set(f, ms, 5, "gov13-smart-driving", "orphan", "", "maybe", nil)                                             // D5: not yes/no
	dateCell(f, ms, "E5", 45280)
}

func TestRegistryPlantedErrors(t *testing.T) {
	data := filled(t, registryTemplate, func(f *excelize.File) { goodRegistry(f); plantErrors(f) })
	reg, rep := ReadRegistry(read(t, data), known)
	got := where(rep)
	want := []string{
		"دستگاه‌ها!D5", "دستگاه‌ها!A6", "دستگاه‌ها!A7", "دستگاه‌ها!A8", "دستگاه‌ها!E8",
		"قوانین!G4",
		"پروژه‌ها!B4", "پروژه‌ها!K5", "پروژه‌ها!M5", "پروژه‌ها!I6", "پروژه‌ها!K7",
		"دستاوردها!G4", "دستاوردها!B5",
		"عضویت‌ها!A4", "عضویت‌ها!D5",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("issues at\n %v\nwant\n %v\n%s", got, want, rep.Text("en"))
	}
	for _, i := range rep.Issues {
		if i.Message.FA == "" || i.Message.EN == "" {
			t.Errorf("%s: message not in both languages: %+v", i.Where().EN, i.Message)
		}
		if i.Header == "" {
			t.Errorf("%s: no header named", i.Where().EN)
		}
	}
	// A few messages, to see they say what is wrong.
	byWhere := map[string]Issue{}
	for _, i := range rep.Issues {
		byWhere[fmt.Sprintf("%s!%s%d", i.Sheet, i.Column, i.Row)] = i
	}
	for w, frag := range map[string]string{
		"دستگاه‌ها!A7": "row 3",
		"قوانین!G4":    "Jalali",
		"پروژه‌ها!K7":  "no lead",
		"پروژه‌ها!M5":  "no article",
		"دستاوردها!B5": "required",
		"دستگاه‌ها!A8": "lower-case latin",
		"دستگاه‌ها!D5": "one of: ministry",
	} {
		if !strings.Contains(byWhere[w].Message.EN, frag) {
			t.Errorf("%s: %q lacks %q", w, byWhere[w].Message.EN, frag)
		}
	}
	if h := byWhere["پروژه‌ها!K7"].Header; h != "دستگاه راهبر * / Lead agency" && h != "دستگاه راهبر / Lead agency" {
		t.Errorf("header named %q", h)
	}
	// The good rows are still read (the integration applies nothing while
	// the report has issues), the bad ones are left out.
	if len(reg.Agencies) != 2 || len(reg.Projects) != 0 || len(reg.Memberships) != 1 {
		t.Errorf("read %d agencies, %d projects, %d memberships; want 2, 0 (e-prescription's deliverable is bad), 1",
			len(reg.Agencies), len(reg.Projects), len(reg.Memberships))
	}
}

func TestAnnotatedWorkbook(t *testing.T) {
	data := filled(t, registryTemplate, func(f *excelize.File) { goodRegistry(f); plantErrors(f) })
	b := read(t, data)
	_, rep := ReadRegistry(b, known)
	var out bytes.Buffer
	if err := Annotate(b, rep, &out); err != nil {
		t.Fatal(err)
	}
	annotated := bytes.Clone(out.Bytes())
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatalf("the annotated workbook does not reopen: %v", err)
	}
	defer f.Close()
	pr := ProjectsSheet.Name.FA
	errCol := colName(len(ProjectsSheet.Columns)) // right of the template's columns
	for _, c := range []string{errCol + "1", errCol + "2"} {
		if v, _ := f.GetCellValue(pr, c); v != errorsHeader {
			t.Errorf("%s!%s = %q, want the errors header", pr, c, v)
		}
	}
	v, _ := f.GetCellValue(pr, errCol+"7")
	if !strings.Contains(v, "ستون K") || !strings.Contains(v, "column K") || !strings.Contains(v, "no lead") {
		t.Errorf("errors cell of row 7: %q", v)
	}
	if v, _ := f.GetCellValue(pr, errCol+"3"); v != "" {
		t.Errorf("a good row has errors: %q", v)
	}
	// The data is where it was.
	if v, _ := f.GetCellValue(pr, "A7"); v != "no-lead" {
		t.Errorf("A7 = %q: rows moved", v)
	}
	rows, _ := f.GetRows(pr)
	if len(rows) != 7 {
		t.Errorf("projects sheet has %d rows, want 7", len(rows))
	}
	// The cell at fault is filled.
	id, _ := f.GetCellStyle(pr, "K7")
	st, _ := f.GetStyle(id)
	if st == nil || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FFC7CE" {
		t.Errorf("K7 is not highlighted: %+v", st)
	}
	if id, _ := f.GetCellStyle(pr, "A7"); id != 0 {
		if st, _ := f.GetStyle(id); st != nil && len(st.Fill.Color) > 0 && st.Fill.Color[0] == "FFC7CE" {
			t.Error("A good cell is highlighted")
		}
	}
	// The summary sheet lists every issue.
	sum, err := f.GetRows(summarySheet)
	if err != nil || len(sum) != len(rep.Issues)+1 {
		t.Errorf("summary: %d rows, want %d (%v)", len(sum), len(rep.Issues)+1, err)
	}
	// Read again, the annotated file reports the same issues: the errors
	// column and the summary sheet are ignored.
	_, rep2 := ReadRegistry(read(t, annotated), known)
	if strings.Join(where(rep2), " ") != strings.Join(where(rep), " ") {
		t.Errorf("annotated file re-read:\n %v\nwant\n %v", where(rep2), where(rep))
	}
}

func TestCSVWithBOM(t *testing.T) {
	csv := "\ufeffشناسه,نام فارسی,Name (English),نوع,دستگاه بالادست\r\n" +
		"moh,\"وزارت بهداشت،\nدرمان و آموزش پزشكي\",Ministry of Health,وزارتخانه,\r\n" +
		"tamin,سازمان تأمين اجتماعي,,organization,moh\r\n" +
		",بی‌شناسه,,سازمان,\r\n"
	for name, data := range map[string]string{
		"comma":     csv,
		"semicolon": strings.NewReplacer(",", ";").Replace(csv),
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Read(strings.NewReader(data), "agencies.csv")
			if err != nil {
				t.Fatal(err)
			}
			reg, rep := ReadRegistry(b, known)
			if got := strings.Join(where(rep), " "); got != "agencies.csv!A4" {
				t.Errorf("issues %q, want the missing code at A4 (the quoted line break keeps row 2 one row)\n%s", got, rep.Text("en"))
			}
			if len(reg.Agencies) != 2 || reg.Agencies[0].Name.FA != "وزارت بهداشت، درمان و آموزش پزشکی" || reg.Agencies[1].Parent != "moh" {
				t.Errorf("agencies %+v", reg.Agencies)
			}
			var out bytes.Buffer
			if err := Annotate(b, rep, &out); err != nil {
				t.Fatal(err)
			}
			b2, err := Read(&out, "agencies.csv")
			if err != nil {
				t.Fatal(err)
			}
			rows := b2.Tables[0].Rows
			if rows[0][5] != errorsHeader || !strings.Contains(rows[3][5], "column A") || rows[1][5] != "" {
				t.Errorf("annotated CSV: %q", rows)
			}
		})
	}
	if _, err := Read(bytes.NewReader([]byte("code,name\nmoh,\xe6\xed\xd1\n")), "x.csv"); err == nil {
		t.Error("a CSV that is not UTF-8 was read")
	}
}

func TestNoKnownSheet(t *testing.T) {
	b, err := Read(strings.NewReader("a,b\n1,2\n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, rep := ReadRegistry(b, known); rep.OK() {
		t.Error("a file with none of the template's sheets passed")
	}
}

func TestTemplateHasListsNotesAndRTL(t *testing.T) {
	var buf bytes.Buffer
	if err := RegistryTemplate(&buf, TemplateOptions{Known: known}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ag := AgenciesSheet.Name.FA
	if v, _ := f.GetCellValue(ag, "D1"); v != "نوع *" {
		t.Errorf("D1 %q", v)
	}
	if v, _ := f.GetCellValue(ag, "D2"); v != "Kind *" {
		t.Errorf("D2 %q", v)
	}
	dvs, _ := f.GetDataValidations(ag)
	var lists []string
	for _, dv := range dvs {
		lists = append(lists, dv.Sqref+"="+dv.Formula1)
	}
	sort.Strings(lists)
	if len(lists) != 2 || !strings.HasPrefix(lists[0], "D3:D1002=") || !strings.HasPrefix(lists[1], "E3:E1002=") {
		t.Errorf("agencies' drop-downs: %v", lists)
	}
	vals, _ := f.GetCols(listsSheet)
	found := false
	for _, c := range vals {
		for _, v := range c {
			found = found || v == "سازمان فناوری اطلاعات ایران (ito)"
		}
	}
	if !found {
		t.Errorf("the known agency is not in the lists: %v", vals)
	}
	if vis, _ := f.GetSheetVisible(listsSheet); vis {
		t.Error("the lists sheet is visible")
	}
	comments, _ := f.GetComments(ag)
	if len(comments) != len(AgenciesSheet.Columns) || !strings.Contains(comments[0].Text, "Required") {
		t.Errorf("notes: %+v", comments)
	}
	views, err := f.GetSheetView(ag, -1)
	if err != nil || views.RightToLeft == nil || !*views.RightToLeft {
		t.Errorf("the sheet is not right to left: %+v %v", views, err)
	}
}
