package api_test

// HTTP-level tests of follow-up: milestones, indicators, progress reports
// and their review, evidence upload and download, ratings, baselines and
// health. Helper names start with "pt".

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
	"github.com/pishran/pishran/internal/testdb"
	"github.com/pishran/pishran/service"
)

// ptEnv is a server whose clock reads 10 June 2024, with agencies moh (lead
// of p0 and of the confidential c0), ito (participant in both) and tax (on
// neither), and a token for each.
type ptEnv struct {
	*atEnv
	moh, ito, tax string
}

func ptNew(t *testing.T, e testdb.Engine) *ptEnv {
	t.Helper()
	env := &ptEnv{atEnv: atNew(t, e)}
	env.db.SetClock(func() time.Time { return time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC) })
	sys := service.System
	for _, a := range []string{"moh", "ito", "tax"} {
		if err := env.svc.CreateAgency(env.ctx, sys, &domain.Agency{Code: a, Name: domain.T(a, a), Kind: domain.AgencyOrganization}); err != nil {
			t.Fatal(err)
		}
	}
	for slug, conf := range map[string]domain.Confidentiality{"p0": domain.Public, "c0": domain.Confidential} {
		if err := env.svc.CreateProject(env.ctx, sys, &domain.Project{Slug: slug, Title: domain.T("سامانه "+slug, "System "+slug),
			Kind: domain.KindService, Confidentiality: conf, Status: domain.InProgress,
			Agencies: []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}}}); err != nil {
			t.Fatal(err)
		}
	}
	env.moh, env.ito, env.tax = env.token(service.RoleAgency, "moh"), env.token(service.RoleAgency, "ito"), env.token(service.RoleAgency, "tax")
	return env
}

// upload POSTs raw bytes with a content type.
func (env *ptEnv) upload(path, token, contentType string, body []byte) *atResp {
	env.t.Helper()
	return env.send(atReq{Method: "POST", Path: path, Token: token, Body: body, Header: map[string]string{"Content-Type": contentType}})
}

func ptBaseline() map[string]any {
	return map[string]any{"start": "2024-01-01", "end": "2024-12-31", "cost": 1_000_000_000,
		"approved_by": atText("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), "approved": "1402/09/29", "reference": "26/1402"}
}

func ptID(t *testing.T, m map[string]any) string {
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
	atEngines(t, func(t *testing.T, e testdb.Engine) {
		env := ptNew(t, e)
		b := env.create("/api/v1/projects/p0/baselines", ptBaseline())
		if b["number"] != 1.0 || b["current"] != true || b["approved"] != "2023-12-20" || b["currency"] != "IRR" {
			t.Fatalf("baseline %v", b)
		}
		m := atObj(t, env.must(env.post("/api/v1/projects/p0/milestones", env.moh, map[string]any{
			"title": atText("آزمایش", "pilot"), "planned": "2024-09-30", "weight": 2}), http.StatusCreated))
		k := atObj(t, env.must(env.post("/api/v1/projects/p0/kpis", env.moh, map[string]any{
			"name": atText("سهم نسخه الکترونیک", "e-prescription share"), "unit": "%", "target": 80, "direction": "up"}), http.StatusCreated))
		if k["frequency"] != "monthly" || k["met"] != nil {
			t.Fatalf("kpi %v", k)
		}

		res := env.must(env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02",
			"projected_end": "2025-01-19", "projected_cost": 1_000_000_000,
			"milestones": []any{map[string]any{"milestone": m["id"], "percent": 40}},
			"kpis":       []any{map[string]any{"kpi": k["id"], "value": 85}},
			"narrative":  atText("آزمایش در سه استان", "pilot in three provinces"),
			"risks":      []any{map[string]any{"text": atText("", "data exchange delays"), "severity": "high"}}}), http.StatusCreated)
		r := atObj(t, res)
		id := ptID(t, r)
		if r["state"] != "draft" || r["agency"] != "moh" || res.Header.Get("Location") != "/api/v1/reports/"+id ||
			!strings.HasPrefix(res.Header.Get("ETag"), `"v1-`) {
			t.Fatalf("created %s", res)
		}
		// Edits need the current ETag.
		edit := map[string]any{"project": "p0", "period": "1403-02", "projected_end": "2025-01-19",
			"narrative": atText("آزمایش در سه استان", "pilot in three provinces, first results")}
		atProblem(t, env.put("/api/v1/reports/"+id, env.moh, "", edit), http.StatusPreconditionRequired)
		atProblem(t, env.put("/api/v1/reports/"+id, env.moh, `"v9-0000000000000000"`, edit), http.StatusPreconditionFailed)
		etag := env.must(env.get("/api/v1/reports/"+id, env.moh), http.StatusOK).Header.Get("ETag")
		r = atObj(t, env.must(env.put("/api/v1/reports/"+id, env.moh, etag, edit), http.StatusOK))
		if r["version"] != 2.0 || len(r["milestones"].([]any)) != 0 {
			t.Fatalf("edited %v", r)
		}
		env.must(env.post("/api/v1/reports/"+id+"/evidence", env.moh, map[string]any{"url": "https://example.org/pilot"}), http.StatusCreated)

		// Submit, return without a comment (refused), return, resubmit, accept.
		r = atObj(t, env.must(env.post("/api/v1/reports/"+id+"/submit", env.moh, nil), http.StatusOK))
		if r["state"] != "submitted" {
			t.Fatalf("submitted %v", r)
		}
		atProblem(t, env.post("/api/v1/reports/"+id+"/accept", env.moh, nil), http.StatusForbidden)
		atField(t, env.post("/api/v1/reports/"+id+"/return", env.secret, nil), http.StatusUnprocessableEntity, "comment")
		atField(t, env.post("/api/v1/reports/"+id+"/return", env.secret, map[string]any{"comment": atText(" ", "")}), http.StatusUnprocessableEntity, "comment")
		r = atObj(t, env.must(env.post("/api/v1/reports/"+id+"/return", env.secret,
			map[string]any{"comment": atText("نتایج آزمایش پیوست نیست", "attach the pilot's results")}), http.StatusOK))
		if r["state"] != "returned" {
			t.Fatalf("returned %v", r)
		}
		etag = env.must(env.get("/api/v1/reports/"+id, env.moh), http.StatusOK).Header.Get("ETag")
		edit["actual_cost"] = 300_000_000
		env.must(env.put("/api/v1/reports/"+id, env.moh, etag, edit), http.StatusOK)
		env.must(env.post("/api/v1/reports/"+id+"/submit", env.moh, nil), http.StatusOK)
		// Accepting with the ETag of a version before the resubmission is refused.
		atProblem(t, env.send(atReq{Method: "POST", Path: "/api/v1/reports/" + id + "/accept", Token: env.secret,
			Header: map[string]string{"If-Match": etag}}), http.StatusPreconditionFailed)
		r = atObj(t, env.must(env.post("/api/v1/reports/"+id+"/accept", env.secret, map[string]any{"comment": atText("", "verified")}), http.StatusOK))
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
		atField(t, env.post("/api/v1/reports/"+id+"/submit", env.moh, nil), http.StatusConflict, "state")

		// Ratings: self 5, council 2 → divergent.
		env.must(env.post("/api/v1/projects/p0/ratings", env.moh, map[string]any{"kind": "self", "score": 5,
			"comment": atText("طبق برنامه", "on plan")}), http.StatusCreated)
		env.must(env.post("/api/v1/projects/p0/ratings", env.secret, map[string]any{"kind": "council", "score": 2,
			"comment": atText("تحویل محل تردید است", "delivery in doubt")}), http.StatusCreated)
		h := atObj(t, env.must(env.get("/api/v1/projects/p0/health", ""), http.StatusOK))
		// 19 days late on a 365-day baseline: 5.2%, amber.
		if h["status"] != "amber" || h["divergent"] != true || h["self_rating"] != 5.0 || h["council_rating"] != 2.0 ||
			h["stale"] != false || h["last_accepted"] != "2024-05-20" || h["as_of"] != "2024-06-10" {
			t.Fatalf("health %v", h)
		}
		if v := h["variance"].(map[string]any); v["schedule_slip_days"] != 19.0 || v["schedule_slip_percent"] != 5.2 {
			t.Fatalf("variance %v", v)
		}
		if reasons := h["status_reasons"].([]any); len(reasons) != 2 || !strings.Contains(atPath(t, reasons, 0, "en").(string), "amber") {
			t.Fatalf("reasons %v", reasons)
		}
		// As of mid-July, Khordad 1403's report (the month ended on 20 June) is
		// overdue: stale, on the health and on the board.
		h = atObj(t, env.must(env.get("/api/v1/projects/p0/health?as_of=2024-07-16", ""), http.StatusOK))
		if h["stale"] != true || h["next_report_due"] != "2024-07-05" {
			t.Fatalf("stale health %v", h)
		}
		board := atItems(t, atObj(t, env.must(env.get("/api/v1/status?agency=moh&as_of=1403/04/26", ""), http.StatusOK)))
		if len(board) != 1 || board[0]["project"] != "p0" || board[0]["stale"] != true || board[0]["status"] != "amber" {
			t.Fatalf("board %v", board)
		}
		ks := atItems(t, atObj(t, env.must(env.get("/api/v1/projects/p0/kpis", ""), http.StatusOK)))
		if ks[0]["met"] != nil {
			t.Fatalf("kpi met from a value dropped in the edit: %v", ks[0])
		}
		scale := atItems(t, atObj(t, env.must(env.get("/api/v1/ratings/scale", ""), http.StatusOK)))
		if len(scale) != 5 || scale[0]["score"] != 5.0 || scale[4]["score"] != 1.0 ||
			!strings.Contains(atPath(t, scale[4], "definition", "en").(string), "major change") || atPath(t, scale[0], "definition", "fa") == "" {
			t.Fatalf("scale %v", scale)
		}
		pol := atObj(t, env.must(env.get("/api/v1/follow-up/policy", ""), http.StatusOK))
		if pol["red_slip_percent"] != 15.0 || pol["stale_grace_days"] != 15.0 {
			t.Fatalf("policy %v", pol)
		}
		// The public sees the accepted report, not the drafts.
		env.must(env.post("/api/v1/reports", env.ito, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated)
		pub := atItems(t, atObj(t, env.must(env.get("/api/v1/reports", ""), http.StatusOK)))
		mine := atItems(t, atObj(t, env.must(env.get("/api/v1/reports?agency=ito", env.ito), http.StatusOK)))
		if len(pub) != 1 || pub[0]["state"] != "accepted" || len(mine) != 1 || mine[0]["state"] != "draft" {
			t.Fatalf("public %v, ito's %v", pub, mine)
		}
		bs := atItems(t, atObj(t, env.must(env.get("/api/v1/projects/p0/baselines", ""), http.StatusOK)))
		gs := atItems(t, atObj(t, env.must(env.get("/api/v1/projects/p0/ratings", ""), http.StatusOK)))
		if len(bs) != 1 || len(gs) != 2 || gs[0]["kind"] != "council" {
			t.Fatalf("baselines %v ratings %v", bs, gs)
		}
	})
}

// TestFollowUpAPIBadInput: each bad request is a clear 4xx naming the field,
// and nothing is written.
func TestFollowUpAPIBadInput(t *testing.T) {
	atEngines(t, func(t *testing.T, e testdb.Engine) {
		env := ptNew(t, e)
		// Reports on projects the agency is not on.
		atField(t, env.post("/api/v1/reports", env.tax, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusForbidden, "project")
		atField(t, env.post("/api/v1/reports", env.tax, map[string]any{"project": "c0", "period": "1403-02"}), http.StatusNotFound, "project")
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-04"}), http.StatusUnprocessableEntity, "period")
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "2024-5"}), http.StatusUnprocessableEntity, "period")
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02",
			"projected_end": "2025-02-30"}), http.StatusBadRequest, "projected_end")
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02",
			"milestones": []any{map[string]any{"milestone": 1, "percent": 150}}}), http.StatusUnprocessableEntity, "milestones[0].percent")
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02", "colour": "red"}),
			http.StatusBadRequest, "colour")
		atProblem(t, env.post("/api/v1/reports", env.secret, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusForbidden)
		atProblem(t, env.post("/api/v1/reports", "", map[string]any{"project": "p0", "period": "1403-02"}), http.StatusUnauthorized)
		if items := atItems(t, atObj(t, env.must(env.get("/api/v1/reports", env.secret), http.StatusOK))); len(items) != 0 {
			t.Fatalf("refused reports were written: %v", items)
		}
		r := atObj(t, env.must(env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated))
		// The same month written another way is the same period.
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "۱۴۰۳/۰۲"}), http.StatusConflict, "period")
		atField(t, env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusConflict, "period")
		// Another agency's draft is not found; a confidential project's too.
		atField(t, env.get("/api/v1/reports/"+ptID(t, r), env.ito), http.StatusNotFound, "id")
		atField(t, env.get("/api/v1/reports/abc", env.ito), http.StatusBadRequest, "id")
		atField(t, env.get("/api/v1/projects/c0/health", env.tax), http.StatusNotFound, "slug")
		atField(t, env.get("/api/v1/projects/p0/health?as_of=soon", ""), http.StatusBadRequest, "as_of")
		// Ratings.
		atField(t, env.post("/api/v1/projects/p0/ratings", env.secret, map[string]any{"kind": "council", "score": 7,
			"comment": atText("", "x")}), http.StatusUnprocessableEntity, "score")
		atField(t, env.post("/api/v1/projects/p0/ratings", env.secret, map[string]any{"kind": "council", "score": 3}),
			http.StatusUnprocessableEntity, "comment")
		atField(t, env.post("/api/v1/projects/p0/ratings", env.tax, map[string]any{"kind": "self", "score": 3,
			"comment": atText("", "x")}), http.StatusForbidden, "project")
		atField(t, env.post("/api/v1/projects/p0/ratings", env.secret, map[string]any{"kind": "council", "score": "3",
			"comment": atText("", "x")}), http.StatusBadRequest, "score")
		if gs := atItems(t, atObj(t, env.must(env.get("/api/v1/projects/p0/ratings", ""), http.StatusOK))); len(gs) != 0 {
			t.Fatalf("refused ratings were written: %v", gs)
		}
		// Baselines: impossible dates, end before start, re-baselining without a reason.
		bad := ptBaseline()
		bad["end"] = "2023-06-01"
		atField(t, env.post("/api/v1/projects/p0/baselines", env.secret, bad), http.StatusUnprocessableEntity, "end")
		bad = ptBaseline()
		bad["start"] = "2024-02-30"
		atField(t, env.post("/api/v1/projects/p0/baselines", env.secret, bad), http.StatusBadRequest, "start")
		atProblem(t, env.post("/api/v1/projects/p0/baselines", env.moh, ptBaseline()), http.StatusForbidden)
		env.must(env.post("/api/v1/projects/p0/baselines", env.secret, ptBaseline()), http.StatusCreated)
		again := ptBaseline()
		again["supersedes"] = 1
		atField(t, env.post("/api/v1/projects/p0/baselines", env.secret, again), http.StatusUnprocessableEntity, "reason")
		again["reason"] = atText("افزایش دامنه", "scope extended to every province")
		again["end"] = "2025-06-30"
		env.must(env.post("/api/v1/projects/p0/baselines", env.secret, again), http.StatusCreated)
		atProblem(t, env.post("/api/v1/projects/p0/baselines", env.secret, again), http.StatusPreconditionFailed)
		if bs := atItems(t, atObj(t, env.must(env.get("/api/v1/projects/p0/baselines", ""), http.StatusOK))); len(bs) != 2 ||
			bs[0]["end"] != "2025-06-30" || bs[1]["end"] != "2024-12-31" || bs[1]["current"] != false {
			t.Fatalf("baselines %v", bs)
		}
		// Milestones: an impossible date names its field.
		atField(t, env.post("/api/v1/projects/p0/milestones", env.moh, map[string]any{"title": atText("", "x"), "planned": "2024-13-01"}),
			http.StatusBadRequest, "planned")
		atProblem(t, env.post("/api/v1/projects/p0/milestones", env.ito, map[string]any{"title": atText("", "x"), "planned": "2024-10-01"}),
			http.StatusForbidden)
	})
}

// ptDocx is a minimal zip-based office document.
func ptDocx(t *testing.T) []byte {
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
	atEngines(t, func(t *testing.T, e testdb.Engine) {
		env := ptNew(t, e)
		r := atObj(t, env.must(env.post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated))
		base := "/api/v1/reports/" + ptID(t, r) + "/evidence"
		pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("stream of the pilot's results\n"), 100)...)
		res := env.must(env.upload(base+"?name=%D9%86%D8%AA%D8%A7%DB%8C%D8%AC.pdf&title_en=results", env.moh, "application/pdf", pdf), http.StatusCreated)
		ev := atObj(t, res)
		sum := sha256.Sum256(pdf)
		if ev["n"] != 1.0 || ev["sha256"] != hex.EncodeToString(sum[:]) || ev["size"] != float64(len(pdf)) || ev["name"] != "نتایج.pdf" ||
			res.Header.Get("Location") != base+"/1" {
			t.Fatalf("uploaded %s", res)
		}
		dl := env.must(env.get(base+"/1", env.moh), http.StatusOK)
		if !bytes.Equal(dl.Body, pdf) || dl.Header.Get("Content-Type") != "application/pdf" ||
			dl.Header.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"` || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			dl.Header.Get("Content-Disposition") != "attachment; filename*=UTF-8''%D9%86%D8%AA%D8%A7%DB%8C%D8%AC.pdf" ||
			dl.Header.Get("Repr-Digest") != "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":" {
			t.Fatalf("download: %d bytes, headers %v", len(dl.Body), dl.Header)
		}
		// Multipart: a CSV and an office document.
		multi := func(name, ctype string, content []byte) *atResp {
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
		ev = atObj(t, env.must(multi("share.csv", "text/csv", csv), http.StatusCreated))
		if ev["n"] != 2.0 || ev["content_type"] != "text/csv" || atPath(t, ev, "title", "en") != "from the form" {
			t.Fatalf("multipart %v", ev)
		}
		if dl := env.must(env.get(base+"/2", env.moh), http.StatusOK); !bytes.Equal(dl.Body, csv) {
			t.Fatalf("csv came back as %q", dl.Body)
		}
		env.must(multi("plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ptDocx(t)), http.StatusCreated)

		// Refusals.
		big := bytes.Repeat([]byte("a"), service.DefaultEvidenceMax+1)
		atField(t, env.upload(base+"?name=big.txt", env.moh, "text/plain", big), http.StatusRequestEntityTooLarge, "file")
		atField(t, multi("big.txt", "text/plain", big), http.StatusRequestEntityTooLarge, "file")
		atField(t, env.upload(base+"?name=page.html", env.moh, "text/html", []byte("<html><script>x</script>")), http.StatusUnsupportedMediaType, "Content-Type")
		atField(t, multi("run.exe", "application/x-msdownload", []byte("MZ")), http.StatusUnsupportedMediaType, "file")
		atField(t, env.upload(base+"?name=fake.pdf", env.moh, "application/pdf", []byte("MZ\x90\x00\x03 not a pdf")), http.StatusUnprocessableEntity, "file")
		atField(t, env.upload(base+"?name=fake.png", env.moh, "image/png", pdf), http.StatusUnprocessableEntity, "file")
		atField(t, env.upload(base+"?name=fake.docx", env.moh, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", pdf),
			http.StatusUnprocessableEntity, "file")
		plainZip := func() []byte {
			var buf bytes.Buffer
			z := zip.NewWriter(&buf)
			w, _ := z.Create("payload.bin")
			w.Write([]byte("x"))
			z.Close()
			return buf.Bytes()
		}()
		atField(t, env.upload(base+"?name=x.xlsx", env.moh, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", plainZip),
			http.StatusUnprocessableEntity, "file")
		atField(t, env.upload(base, env.moh, "application/pdf", pdf), http.StatusUnprocessableEntity, "name")
		atField(t, env.upload(base+"?name=a/b.pdf", env.moh, "application/pdf", pdf), http.StatusUnprocessableEntity, "name")
		atField(t, env.post(base, env.moh, map[string]any{"url": "ftp://example.org/x"}), http.StatusUnprocessableEntity, "url")
		atField(t, env.upload(base, env.moh, "", pdf), http.StatusUnsupportedMediaType, "Content-Type")
		atProblem(t, env.upload(base+"?name=x.pdf", env.ito, "application/pdf", pdf), http.StatusNotFound)
		atProblem(t, env.upload(base+"?name=x.pdf", env.secret, "application/pdf", pdf), http.StatusForbidden)
		full := atObj(t, env.must(env.get("/api/v1/reports/"+ptID(t, r), env.moh), http.StatusOK))
		if n := len(full["evidence"].([]any)); n != 3 {
			t.Fatalf("%d evidence items, want the 3 accepted", n)
		}
		atField(t, env.get(base+"/9", env.moh), http.StatusNotFound, "n")
		// Until accepted, only the agency and the secretariat may download.
		atProblem(t, env.get(base+"/1", ""), http.StatusNotFound)
		env.must(env.get(base+"/1", env.secret), http.StatusOK)
		// Once submitted, no more evidence.
		env.must(env.post("/api/v1/reports/"+ptID(t, r)+"/submit", env.moh, nil), http.StatusOK)
		atField(t, env.upload(base+"?name=late.pdf", env.moh, "application/pdf", pdf), http.StatusConflict, "state")
	})
}
