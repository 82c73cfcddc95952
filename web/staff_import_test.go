package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestStaffImportRegistry is the secretariat's import without a browser
// (plain forms, no script): a CSV of agencies with a bad kind is reported at
// row 3, column D, and its annotated copy carries the error; the fixed file
// shows its preview; applying needs the confirmation, then records the
// agencies once. A reader may not reach the page; an empty upload is
// refused next to the file input.
func TestStaffImportRegistry(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		se := newStaffEnv(t, e)
		if r := se.Page(se.SignIn("reader1"), "/staff/import", "en"); r.Status != http.StatusForbidden {
			t.Fatalf("reader: %d", r.Status)
		}
		page := se.Page(se.SignIn("sec"), "/staff/import", "en")
		if page.Status != 200 || !strings.Contains(page.Text(), `href="/staff/import/template"`) || !strings.Contains(page.Text(), `enctype="multipart/form-data"`) {
			t.Fatalf("import page: %d\n%s", page.Status, scenario.Clip(page.Text()))
		}
		if r := se.Page(se.SignIn("sec"), "/staff/import/template", ""); r.Status != 200 || !bytes.HasPrefix(r.Body, []byte("PK")) {
			t.Fatalf("registry template: %d", r.Status)
		}
		if r := se.Upload(se.SignIn("sec"), "/staff/import?lang=en", nil, &scenario.File{Name: "empty.csv", Content: nil}, nil); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Text(), `id="import-file"`) || !strings.Contains(r.Text(), `aria-invalid="true"`) {
			t.Fatalf("empty upload: %d\n%s", r.Status, scenario.Clip(r.Text()))
		}

		bad := "Code,Name (Persian),Name (English),Kind\nag-a,دستگاه الف,Agency A,ministry\nag-b,دستگاه ب,Agency B,spaceship\n"
		r := se.Upload(se.SignIn("sec"), "/staff/import?lang=en", nil, &scenario.File{Name: "agencies.csv", Content: []byte(bad)}, nil)
		r.RedirectsTo(t, "/staff/import/")
		loc := r.Header.Get("Location")
		rep := se.Page(se.SignIn("sec"), loc, "en")
		if rep.Status != 200 || !strings.Contains(rep.Text(), `data-row="3" data-column="D"`) || !strings.Contains(rep.Text(), "spaceship") {
			t.Fatalf("report page: %d\n%s", rep.Status, scenario.Clip(rep.Text()))
		}
		if fa := se.Page(se.SignIn("sec"), loc, "fa"); !strings.Contains(fa.Text(), "<td>۳</td>") {
			t.Errorf("the Persian report does not write the row as ۳:\n%s", scenario.Clip(fa.Text()))
		}
		ann := se.Page(se.SignIn("sec"), loc+"/annotated", "")
		if ann.Status != 200 || !strings.Contains(ann.Text(), "Errors") || !strings.Contains(ann.Text(), "column D") {
			t.Errorf("annotated CSV: %d\n%s", ann.Status, scenario.Clip(ann.Text()))
		}
		if a := se.Page(se.SignIn("sec"), "/api/v1/agencies/ag-a", ""); a.Status != http.StatusNotFound {
			t.Fatalf("a file with errors recorded ag-a: %d", a.Status)
		}

		good := strings.Replace(bad, "spaceship", "organization", 1)
		r = se.Upload(se.SignIn("sec"), "/staff/import?lang=en", nil, &scenario.File{Name: "agencies.csv", Content: []byte(good)}, nil)
		r.RedirectsTo(t, "/staff/import/")
		loc = r.Header.Get("Location")
		pv := se.Page(se.SignIn("sec"), loc, "en")
		if !strings.Contains(pv.Text(), `id="import-ok"`) || !strings.Contains(pv.Text(), "ag-b") {
			t.Fatalf("preview page:\n%s", scenario.Clip(pv.Text()))
		}
		i := strings.Index(pv.Text(), `name="plan" value="`)
		if i < 0 {
			t.Fatal("no plan in the apply form")
		}
		plan := pv.Text()[i+len(`name="plan" value="`):]
		plan = plan[:strings.IndexByte(plan, '"')]
		if r := se.Form(se.SignIn("sec"), loc+"/apply?lang=en", url.Values{"plan": {plan}}, nil); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("apply without confirmation: %d", r.Status)
		}
		se.Form(se.SignIn("sec"), loc+"/apply?lang=en", url.Values{"plan": {plan}, "confirm": {"yes"}}, nil).RedirectsTo(t, loc+"?done=applied")
		if a := se.Page(se.SignIn("sec"), "/api/v1/agencies/ag-b", ""); a.Status != 200 {
			t.Fatalf("ag-b after apply: %d", a.Status)
		}
		if r := se.Form(se.SignIn("sec"), loc+"/apply?lang=en", url.Values{"plan": {plan}, "confirm": {"yes"}}, nil); r.Status != http.StatusConflict {
			t.Fatalf("applying twice: %d", r.Status)
		}
	})
}
