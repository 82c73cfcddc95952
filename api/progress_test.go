package api_test

// HTTP-level tests of follow-up: milestones, indicators, progress reports
// and their review, evidence upload and download, ratings, baselines and
// health.

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// progressEnv is a server whose clock reads 10 June 2024, with agencies moh (lead
// of p0 and of the confidential c0), ito (participant in both) and tax (on
// neither), and a token for each.
type progressEnv struct {
	*scenario.Server
	moh, ito, tax string
}

func newProgressEnv(t *testing.T, e testkit.Engine) *progressEnv {
	t.Helper()
	env := &progressEnv{Server: newAPI(scenario.New(t, e))}
	env.Env.DB.SetClock(func() time.Time { return time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC) })
	sys := service.System
	for _, a := range []string{"moh", "ito", "tax"} {
		if err := env.Env.Svc.CreateAgency(env.Env.Ctx, sys, &domain.Agency{Code: a, Name: domain.T(a, a), Kind: domain.AgencyOrganization}); err != nil {
			t.Fatal(err)
		}
	}
	for slug, conf := range map[string]domain.Confidentiality{"p0": domain.Public, "c0": domain.Confidential} {
		if err := env.Env.Svc.CreateProject(env.Env.Ctx, sys, &domain.Project{Slug: slug, Title: domain.T("سامانه "+slug, "System "+slug),
			Kind: domain.KindService, Confidentiality: conf, Status: domain.InProgress,
			Agencies: []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}}}); err != nil {
			t.Fatal(err)
		}
	}
	env.moh, env.ito, env.tax = env.Env.Token(service.RoleAgency, "moh"), env.Env.Token(service.RoleAgency, "ito"), env.Env.Token(service.RoleAgency, "tax")
	return env
}

// upload POSTs raw bytes with a content type.
func (env *progressEnv) upload(path, token, contentType string, body []byte) *scenario.Response {
	env.Env.T.Helper()
	return env.Do(scenario.Request{Method: "POST", Path: path, Token: token, Body: body, Header: map[string]string{"Content-Type": contentType}})
}

func baselineRecord() map[string]any {
	return map[string]any{"start": "2024-01-01", "end": "2024-12-31", "cost": 1_000_000_000,
		"approved_by": scenario.Text("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), "approved": "1402/09/29", "reference": "26/1402"}
}

func idOf(t *testing.T, m map[string]any) string {
	t.Helper()
	id, ok := m["id"].(float64)
	if !ok {
		t.Fatalf("no id in %v", m)
	}
	return strconv.Itoa(int(id))
}

// TestFollowUpAPI goes through a report's life over HTTP: baseline,
// milestone, indicator, draft, evidence, submit, return, edit, resubmit,
// accept; then ratings and health.
func TestFollowUpAPI(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e)
		b := env.Create("/api/v1/projects/p0/baselines", baselineRecord())
		if b["number"] != 1.0 || b["current"] != true || b["approved"] != "2023-12-20" || b["currency"] != "IRR" {
			t.Fatalf("baseline %v", b)
		}
		m := env.Must(env.Post("/api/v1/projects/p0/milestones", env.moh, map[string]any{
			"title": scenario.Text("آزمایش", "pilot"), "planned": "2024-09-30", "weight": 2}), http.StatusCreated).Obj(t)
		k := env.Must(env.Post("/api/v1/projects/p0/kpis", env.moh, map[string]any{
			"name": scenario.Text("سهم نسخه الکترونیک", "e-prescription share"), "unit": "%", "target": 80, "direction": "up"}), http.StatusCreated).Obj(t)
		if k["frequency"] != "monthly" || k["met"] != nil {
			t.Fatalf("kpi %v", k)
		}

		res := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02",
			"projected_end": "2025-01-19", "projected_cost": 1_000_000_000,
			"milestones": []any{map[string]any{"milestone": m["id"], "percent": 40}},
			"kpis":       []any{map[string]any{"kpi": k["id"], "value": 85}},
			"narrative":  scenario.Text("آزمایش در سه استان", "pilot in three provinces"),
			"risks":      []any{map[string]any{"text": scenario.Text("", "data exchange delays"), "severity": "high"}}}), http.StatusCreated)
		r := res.Obj(t)
		id := idOf(t, r)
		if r["state"] != "draft" || r["agency"] != "moh" || res.Header.Get("Location") != "/api/v1/reports/"+id ||
			!strings.HasPrefix(res.Header.Get("ETag"), `"v1-`) {
			t.Fatalf("created %s", res)
		}
		// Edits need the current ETag.
		edit := map[string]any{"project": "p0", "period": "1403-02", "projected_end": "2025-01-19",
			"narrative": scenario.Text("آزمایش در سه استان", "pilot in three provinces, first results")}
		env.Put("/api/v1/reports/"+id, env.moh, "", edit).Problem(t, http.StatusPreconditionRequired)
		env.Put("/api/v1/reports/"+id, env.moh, `"v9-0000000000000000"`, edit).Problem(t, http.StatusPreconditionFailed)
		etag := env.Must(env.Get("/api/v1/reports/"+id, env.moh), http.StatusOK).Header.Get("ETag")
		r = env.Must(env.Put("/api/v1/reports/"+id, env.moh, etag, edit), http.StatusOK).Obj(t)
		if r["version"] != 2.0 || len(r["milestones"].([]any)) != 0 {
			t.Fatalf("edited %v", r)
		}
		env.Must(env.Post("/api/v1/reports/"+id+"/evidence", env.moh, map[string]any{"url": "https://example.org/pilot"}), http.StatusCreated)

		// Submit, return without a comment (refused), return, resubmit, accept.
		r = env.Must(env.Post("/api/v1/reports/"+id+"/submit", env.moh, nil), http.StatusOK).Obj(t)
		if r["state"] != "submitted" {
			t.Fatalf("submitted %v", r)
		}
		env.Post("/api/v1/reports/"+id+"/accept", env.moh, nil).Problem(t, http.StatusForbidden)
		env.Post("/api/v1/reports/"+id+"/return", env.Secretariat(), nil).Field(t, http.StatusUnprocessableEntity, "comment")
		env.Post("/api/v1/reports/"+id+"/return", env.Secretariat(), map[string]any{"comment": scenario.Text(" ", "")}).Field(t, http.StatusUnprocessableEntity, "comment")
		r = env.Must(env.Post("/api/v1/reports/"+id+"/return", env.Secretariat(),
			map[string]any{"comment": scenario.Text("نتایج آزمایش پیوست نیست", "attach the pilot's results")}), http.StatusOK).Obj(t)
		if r["state"] != "returned" {
			t.Fatalf("returned %v", r)
		}
		etag = env.Must(env.Get("/api/v1/reports/"+id, env.moh), http.StatusOK).Header.Get("ETag")
		edit["actual_cost"] = 300_000_000
		env.Must(env.Put("/api/v1/reports/"+id, env.moh, etag, edit), http.StatusOK)
		env.Must(env.Post("/api/v1/reports/"+id+"/submit", env.moh, nil), http.StatusOK)
		// Accepting with the ETag of a version before the resubmission is refused.
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/reports/" + id + "/accept", Token: env.Secretariat(),
			Header: map[string]string{"If-Match": etag}}).Problem(t, http.StatusPreconditionFailed)
		r = env.Must(env.Post("/api/v1/reports/"+id+"/accept", env.Secretariat(), map[string]any{"comment": scenario.Text("", "verified")}), http.StatusOK).Obj(t)
		if r["state"] != "accepted" {
			t.Fatalf("accepted %v", r)
		}
		var types []string
		for _, ev := range r["events"].([]any) {
			types = append(types, ev.(map[string]any)["type"].(string))
		}
		if got := strings.Join(types, ","); got != "created,edited,evidence-added,submitted,returned,edited,submitted,accepted" {
			t.Fatalf("review history %s", got)
		}
		env.Post("/api/v1/reports/"+id+"/submit", env.moh, nil).Field(t, http.StatusConflict, "state")

		// Ratings: self 5, council 2 → divergent.
		env.Must(env.Post("/api/v1/projects/p0/ratings", env.moh, map[string]any{"kind": "self", "score": 5,
			"comment": scenario.Text("طبق برنامه", "on plan")}), http.StatusCreated)
		env.Must(env.Post("/api/v1/projects/p0/ratings", env.Secretariat(), map[string]any{"kind": "council", "score": 2,
			"comment": scenario.Text("تحویل محل تردید است", "delivery in doubt")}), http.StatusCreated)
		h := env.Must(env.Get("/api/v1/projects/p0/health", ""), http.StatusOK).Obj(t)
		// 19 days late on a 365-day baseline: 5.2%, amber.
		if h["status"] != "amber" || h["divergent"] != true || h["self_rating"] != 5.0 || h["council_rating"] != 2.0 ||
			h["stale"] != false || h["last_accepted"] != "2024-05-20" || h["as_of"] != "2024-06-10" {
			t.Fatalf("health %v", h)
		}
		if v := h["variance"].(map[string]any); v["schedule_slip_days"] != 19.0 || v["schedule_slip_percent"] != 5.2 {
			t.Fatalf("variance %v", v)
		}
		if reasons := h["status_reasons"].([]any); len(reasons) != 2 || !strings.Contains(scenario.Path(t, reasons, 0, "en").(string), "amber") {
			t.Fatalf("reasons %v", reasons)
		}
		// As of mid-July, Khordad 1403's report (the month ended on 20 June) is
		// overdue: stale, on the health and on the board.
		h = env.Must(env.Get("/api/v1/projects/p0/health?as_of=2024-07-16", ""), http.StatusOK).Obj(t)
		if h["stale"] != true || h["next_report_due"] != "2024-07-05" {
			t.Fatalf("stale health %v", h)
		}
		board := scenario.Items(t, env.Must(env.Get("/api/v1/status?agency=moh&as_of=1403/04/26", ""), http.StatusOK).Obj(t))
		// A missed report makes the amber project silent (issue 14).
		if len(board) != 1 || board[0]["project"] != "p0" || board[0]["stale"] != true || board[0]["status"] != "silent" ||
			board[0]["missed_periods"] != 1.0 {
			t.Fatalf("board %v", board)
		}
		ks := scenario.Items(t, env.Must(env.Get("/api/v1/projects/p0/kpis", ""), http.StatusOK).Obj(t))
		if ks[0]["met"] != nil {
			t.Fatalf("kpi met from a value dropped in the edit: %v", ks[0])
		}
		scale := scenario.Items(t, env.Must(env.Get("/api/v1/ratings/scale", ""), http.StatusOK).Obj(t))
		if len(scale) != 5 || scale[0]["score"] != 5.0 || scale[4]["score"] != 1.0 ||
			!strings.Contains(scenario.Path(t, scale[4], "definition", "en").(string), "major change") || scenario.Path(t, scale[0], "definition", "fa") == "" {
			t.Fatalf("scale %v", scale)
		}
		pol := env.Must(env.Get("/api/v1/follow-up/policy", ""), http.StatusOK).Obj(t)
		if pol["red_slip_percent"] != 15.0 || pol["stale_grace_days"] != 15.0 {
			t.Fatalf("policy %v", pol)
		}
		// The public sees the accepted report, not the drafts.
		env.Must(env.Post("/api/v1/reports", env.ito, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated)
		pub := scenario.Items(t, env.Must(env.Get("/api/v1/reports", ""), http.StatusOK).Obj(t))
		mine := scenario.Items(t, env.Must(env.Get("/api/v1/reports?agency=ito", env.ito), http.StatusOK).Obj(t))
		if len(pub) != 1 || pub[0]["state"] != "accepted" || len(mine) != 1 || mine[0]["state"] != "draft" {
			t.Fatalf("public %v, ito's %v", pub, mine)
		}
		bs := scenario.Items(t, env.Must(env.Get("/api/v1/projects/p0/baselines", ""), http.StatusOK).Obj(t))
		gs := scenario.Items(t, env.Must(env.Get("/api/v1/projects/p0/ratings", ""), http.StatusOK).Obj(t))
		if len(bs) != 1 || len(gs) != 2 || gs[0]["kind"] != "council" {
			t.Fatalf("baselines %v ratings %v", bs, gs)
		}
	})
}

// TestFollowUpAPIBadInput: each bad request is a clear 4xx naming the field,
// and nothing is written.
func TestFollowUpAPIBadInput(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e)
		// Reports on projects the agency is not on.
		env.Post("/api/v1/reports", env.tax, map[string]any{"project": "p0", "period": "1403-02"}).Field(t, http.StatusForbidden, "project")
		env.Post("/api/v1/reports", env.tax, map[string]any{"project": "c0", "period": "1403-02"}).Field(t, http.StatusNotFound, "project")
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-04"}).Field(t, http.StatusUnprocessableEntity, "period")
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "2024-5"}).Field(t, http.StatusUnprocessableEntity, "period")
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02",
			"projected_end": "2025-02-30"}).Field(t, http.StatusBadRequest, "projected_end")
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02",
			"milestones": []any{map[string]any{"milestone": 1, "percent": 150}}}).Field(t, http.StatusUnprocessableEntity, "milestones[0].percent")
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02", "colour": "red"}).Field(t, http.StatusBadRequest, "colour")
		env.Post("/api/v1/reports", env.Secretariat(), map[string]any{"project": "p0", "period": "1403-02"}).Problem(t, http.StatusForbidden)
		env.Post("/api/v1/reports", "", map[string]any{"project": "p0", "period": "1403-02"}).Problem(t, http.StatusUnauthorized)
		if items := scenario.Items(t, env.Must(env.Get("/api/v1/reports", env.Secretariat()), http.StatusOK).Obj(t)); len(items) != 0 {
			t.Fatalf("refused reports were written: %v", items)
		}
		r := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated).Obj(t)
		// The same month written another way is the same period.
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "۱۴۰۳/۰۲"}).Field(t, http.StatusConflict, "period")
		env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}).Field(t, http.StatusConflict, "period")
		// Another agency's draft is not found; a confidential project's too.
		env.Get("/api/v1/reports/"+idOf(t, r), env.ito).Field(t, http.StatusNotFound, "id")
		env.Get("/api/v1/reports/abc", env.ito).Field(t, http.StatusBadRequest, "id")
		env.Get("/api/v1/projects/c0/health", env.tax).Field(t, http.StatusNotFound, "slug")
		env.Get("/api/v1/projects/p0/health?as_of=soon", "").Field(t, http.StatusBadRequest, "as_of")
		// Ratings.
		env.Post("/api/v1/projects/p0/ratings", env.Secretariat(), map[string]any{"kind": "council", "score": 7,
			"comment": scenario.Text("", "x")}).Field(t, http.StatusUnprocessableEntity, "score")
		env.Post("/api/v1/projects/p0/ratings", env.Secretariat(), map[string]any{"kind": "council", "score": 3}).Field(t, http.StatusUnprocessableEntity, "comment")
		env.Post("/api/v1/projects/p0/ratings", env.tax, map[string]any{"kind": "self", "score": 3,
			"comment": scenario.Text("", "x")}).Field(t, http.StatusForbidden, "project")
		env.Post("/api/v1/projects/p0/ratings", env.Secretariat(), map[string]any{"kind": "council", "score": "3",
			"comment": scenario.Text("", "x")}).Field(t, http.StatusBadRequest, "score")
		if gs := scenario.Items(t, env.Must(env.Get("/api/v1/projects/p0/ratings", ""), http.StatusOK).Obj(t)); len(gs) != 0 {
			t.Fatalf("refused ratings were written: %v", gs)
		}
		// Baselines: impossible dates, end before start, re-baselining without a reason.
		bad := baselineRecord()
		bad["end"] = "2023-06-01"
		env.Post("/api/v1/projects/p0/baselines", env.Secretariat(), bad).Field(t, http.StatusUnprocessableEntity, "end")
		bad = baselineRecord()
		bad["start"] = "2024-02-30"
		env.Post("/api/v1/projects/p0/baselines", env.Secretariat(), bad).Field(t, http.StatusBadRequest, "start")
		env.Post("/api/v1/projects/p0/baselines", env.moh, baselineRecord()).Problem(t, http.StatusForbidden)
		env.Must(env.Post("/api/v1/projects/p0/baselines", env.Secretariat(), baselineRecord()), http.StatusCreated)
		again := baselineRecord()
		again["supersedes"] = 1
		env.Post("/api/v1/projects/p0/baselines", env.Secretariat(), again).Field(t, http.StatusUnprocessableEntity, "reason")
		again["reason"] = scenario.Text("افزایش دامنه", "scope extended to every province")
		again["end"] = "2025-06-30"
		env.Must(env.Post("/api/v1/projects/p0/baselines", env.Secretariat(), again), http.StatusCreated)
		env.Post("/api/v1/projects/p0/baselines", env.Secretariat(), again).Problem(t, http.StatusPreconditionFailed)
		if bs := scenario.Items(t, env.Must(env.Get("/api/v1/projects/p0/baselines", ""), http.StatusOK).Obj(t)); len(bs) != 2 ||
			bs[0]["end"] != "2025-06-30" || bs[1]["end"] != "2024-12-31" || bs[1]["current"] != false {
			t.Fatalf("baselines %v", bs)
		}
		// Milestones: an impossible date names its field.
		env.Post("/api/v1/projects/p0/milestones", env.moh, map[string]any{"title": scenario.Text("", "x"), "planned": "2024-13-01"}).Field(t, http.StatusBadRequest, "planned")
		env.Post("/api/v1/projects/p0/milestones", env.ito, map[string]any{"title": scenario.Text("", "x"), "planned": "2024-10-01"}).Problem(t, http.StatusForbidden)
	})
}

// docxFile is a minimal zip-based office document.
func docxFile(t *testing.T) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestEvidenceAPI uploads files raw and as multipart, downloads them byte
// for byte, and refuses oversized, wrongly typed and mislabelled files.
func TestEvidenceAPI(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e)
		r := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated).Obj(t)
		base := "/api/v1/reports/" + idOf(t, r) + "/evidence"
		pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("stream of the pilot's results\n"), 100)...)
		res := env.Must(env.upload(base+"?name=%D9%86%D8%AA%D8%A7%DB%8C%D8%AC.pdf&title_en=results", env.moh, "application/pdf", pdf), http.StatusCreated)
		ev := res.Obj(t)
		sum := sha256.Sum256(pdf)
		if ev["n"] != 1.0 || ev["sha256"] != hex.EncodeToString(sum[:]) || ev["size"] != float64(len(pdf)) || ev["name"] != "نتایج.pdf" ||
			res.Header.Get("Location") != base+"/1" {
			t.Fatalf("uploaded %s", res)
		}
		dl := env.Must(env.Get(base+"/1", env.moh), http.StatusOK)
		if !bytes.Equal(dl.Body, pdf) || dl.Header.Get("Content-Type") != "application/pdf" ||
			dl.Header.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"` || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			dl.Header.Get("Content-Disposition") != "attachment; filename*=UTF-8''%D9%86%D8%AA%D8%A7%DB%8C%D8%AC.pdf" ||
			dl.Header.Get("Repr-Digest") != "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":" {
			t.Fatalf("download: %d bytes, headers %v", len(dl.Body), dl.Header)
		}
		// Multipart: a CSV and an office document.
		multi := func(name, ctype string, content []byte) *scenario.Response {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
			h.Set("Content-Type", ctype)
			p, _ := w.CreatePart(h)
			p.Write(content)
			w.WriteField("title_en", "from the form")
			w.Close()
			return env.upload(base, env.moh, w.FormDataContentType(), buf.Bytes())
		}
		csv := []byte("province,share\nTehran,0.82\nIsfahan,0.77\n")
		ev = env.Must(multi("share.csv", "text/csv", csv), http.StatusCreated).Obj(t)
		if ev["n"] != 2.0 || ev["content_type"] != "text/csv" || scenario.Path(t, ev, "title", "en") != "from the form" {
			t.Fatalf("multipart %v", ev)
		}
		if dl := env.Must(env.Get(base+"/2", env.moh), http.StatusOK); !bytes.Equal(dl.Body, csv) {
			t.Fatalf("csv came back as %q", dl.Body)
		}
		env.Must(multi("plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docxFile(t)), http.StatusCreated)

		// Refusals.
		big := bytes.Repeat([]byte("a"), service.DefaultEvidenceMax+1)
		env.upload(base+"?name=big.txt", env.moh, "text/plain", big).Field(t, http.StatusRequestEntityTooLarge, "file")
		multi("big.txt", "text/plain", big).Field(t, http.StatusRequestEntityTooLarge, "file")
		env.upload(base+"?name=page.html", env.moh, "text/html", []byte("<html><script>x</script>")).Field(t, http.StatusUnsupportedMediaType, "Content-Type")
		multi("run.exe", "application/x-msdownload", []byte("MZ")).Field(t, http.StatusUnsupportedMediaType, "file")
		env.upload(base+"?name=fake.pdf", env.moh, "application/pdf", []byte("MZ\x90\x00\x03 not a pdf")).Field(t, http.StatusUnprocessableEntity, "file")
		env.upload(base+"?name=fake.png", env.moh, "image/png", pdf).Field(t, http.StatusUnprocessableEntity, "file")
		env.upload(base+"?name=fake.docx", env.moh, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", pdf).Field(t, http.StatusUnprocessableEntity, "file")
		plainZip := func() []byte {
			var buf bytes.Buffer
			z := zip.NewWriter(&buf)
			w, _ := z.Create("payload.bin")
			w.Write([]byte("x"))
			z.Close()
			return buf.Bytes()
		}()
		env.upload(base+"?name=x.xlsx", env.moh, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", plainZip).Field(t, http.StatusUnprocessableEntity, "file")
		env.upload(base, env.moh, "application/pdf", pdf).Field(t, http.StatusUnprocessableEntity, "name")
		env.upload(base+"?name=a/b.pdf", env.moh, "application/pdf", pdf).Field(t, http.StatusUnprocessableEntity, "name")
		env.Post(base, env.moh, map[string]any{"url": "ftp://example.org/x"}).Field(t, http.StatusUnprocessableEntity, "url")
		env.upload(base, env.moh, "", pdf).Field(t, http.StatusUnsupportedMediaType, "Content-Type")
		env.upload(base+"?name=x.pdf", env.ito, "application/pdf", pdf).Problem(t, http.StatusNotFound)
		env.upload(base+"?name=x.pdf", env.Secretariat(), "application/pdf", pdf).Problem(t, http.StatusForbidden)
		full := env.Must(env.Get("/api/v1/reports/"+idOf(t, r), env.moh), http.StatusOK).Obj(t)
		if n := len(full["evidence"].([]any)); n != 3 {
			t.Fatalf("%d evidence items, want the 3 accepted", n)
		}
		env.Get(base+"/9", env.moh).Field(t, http.StatusNotFound, "n")
		// Until accepted, only the agency and the secretariat may download.
		env.Get(base+"/1", "").Problem(t, http.StatusNotFound)
		env.Must(env.Get(base+"/1", env.Secretariat()), http.StatusOK)
		// Once submitted, no more evidence.
		env.Must(env.Post("/api/v1/reports/"+idOf(t, r)+"/submit", env.moh, nil), http.StatusOK)
		env.upload(base+"?name=late.pdf", env.moh, "application/pdf", pdf).Field(t, http.StatusConflict, "state")
	})
}
