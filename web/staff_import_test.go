package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// upload posts a file as the import form does (multipart/form-data).
func (se *staffEnv) upload(t testing.TB, name, path, file string, content []byte) resp {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile("file", file)
	testkit.Must(t, err)
	_, _ = w.Write(content)
	testkit.Must(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, se.URL+path, &body)
	testkit.Must(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", se.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Cookie", "pishran_session="+se.SignIn(name))
	res, err := http.DefaultTransport.RoundTrip(req)
	testkit.Must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	testkit.Must(t, err)
	return resp{res, b}
}

// TestStaffImportRegistry is the secretariat's import without a browser
// (plain forms, no script): a CSV of agencies with a bad kind is reported at
// row 3, column D, and its annotated copy carries the error; the fixed file
// shows its preview; applying needs the confirmation, then records the
// agencies once. A reader may not reach the page; an empty upload is
// refused next to the file input.
func TestStaffImportRegistry(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		se := newStaffEnv(t, e)
		if r := se.as(t, "reader1", "/staff/import", "en"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("reader: %d", r.StatusCode)
		}
		page := se.as(t, "sec", "/staff/import", "en")
		if page.StatusCode != 200 || !strings.Contains(page.text(), `href="/staff/import/template"`) || !strings.Contains(page.text(), `enctype="multipart/form-data"`) {
			t.Fatalf("import page: %d\n%s", page.StatusCode, clip(page.text()))
		}
		if r := se.as(t, "sec", "/staff/import/template", ""); r.StatusCode != 200 || !bytes.HasPrefix(r.body, []byte("PK")) {
			t.Fatalf("registry template: %d", r.StatusCode)
		}
		if r := se.upload(t, "sec", "/staff/import?lang=en", "empty.csv", nil); r.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(r.text(), `id="import-file"`) || !strings.Contains(r.text(), `aria-invalid="true"`) {
			t.Fatalf("empty upload: %d\n%s", r.StatusCode, clip(r.text()))
		}

		bad := "Code,Name (Persian),Name (English),Kind\nag-a,دستگاه الف,Agency A,ministry\nag-b,دستگاه ب,Agency B,spaceship\n"
		r := se.upload(t, "sec", "/staff/import?lang=en", "agencies.csv", []byte(bad))
		redirectTo(t, r, "/staff/import/")
		loc := r.Header.Get("Location")
		rep := se.as(t, "sec", loc, "en")
		if rep.StatusCode != 200 || !strings.Contains(rep.text(), `data-row="3" data-column="D"`) || !strings.Contains(rep.text(), "spaceship") {
			t.Fatalf("report page: %d\n%s", rep.StatusCode, clip(rep.text()))
		}
		if fa := se.as(t, "sec", loc, "fa"); !strings.Contains(fa.text(), "<td>۳</td>") {
			t.Errorf("the Persian report does not write the row as ۳:\n%s", clip(fa.text()))
		}
		ann := se.as(t, "sec", loc+"/annotated", "")
		if ann.StatusCode != 200 || !strings.Contains(ann.text(), "Errors") || !strings.Contains(ann.text(), "column D") {
			t.Errorf("annotated CSV: %d\n%s", ann.StatusCode, clip(ann.text()))
		}
		if a := se.as(t, "sec", "/api/v1/agencies/ag-a", ""); a.StatusCode != http.StatusNotFound {
			t.Fatalf("a file with errors recorded ag-a: %d", a.StatusCode)
		}

		good := strings.Replace(bad, "spaceship", "organization", 1)
		r = se.upload(t, "sec", "/staff/import?lang=en", "agencies.csv", []byte(good))
		redirectTo(t, r, "/staff/import/")
		loc = r.Header.Get("Location")
		pv := se.as(t, "sec", loc, "en")
		if !strings.Contains(pv.text(), `id="import-ok"`) || !strings.Contains(pv.text(), "ag-b") {
			t.Fatalf("preview page:\n%s", clip(pv.text()))
		}
		i := strings.Index(pv.text(), `name="plan" value="`)
		if i < 0 {
			t.Fatal("no plan in the apply form")
		}
		plan := pv.text()[i+len(`name="plan" value="`):]
		plan = plan[:strings.IndexByte(plan, '"')]
		if r := se.post(t, "sec", loc+"/apply?lang=en", url.Values{"plan": {plan}}, nil); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("apply without confirmation: %d", r.StatusCode)
		}
		redirectTo(t, se.post(t, "sec", loc+"/apply?lang=en", url.Values{"plan": {plan}, "confirm": {"yes"}}, nil), loc+"?done=applied")
		if a := se.as(t, "sec", "/api/v1/agencies/ag-b", ""); a.StatusCode != 200 {
			t.Fatalf("ag-b after apply: %d", a.StatusCode)
		}
		if r := se.post(t, "sec", loc+"/apply?lang=en", url.Values{"plan": {plan}, "confirm": {"yes"}}, nil); r.StatusCode != http.StatusConflict {
			t.Fatalf("applying twice: %d", r.StatusCode)
		}
	})
}
