package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
	"github.com/xuri/excelize/v2"
)

// TestAuditAlarmOnDashboard: when the daily audit check finds a record
// changed behind Pishran's back, the staff dashboard says so, in both
// languages, to the secretariat — and not to an agency's focal point.
func TestAuditAlarmOnDashboard(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			now := time.Now()
			if _, err := se.svc.RunDueJobs(se.Ctx, "t", now.Add(-24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if r := se.as(t, "sec", "/staff", "en"); r.StatusCode != http.StatusOK || strings.Contains(r.text(), "audit-alarm") {
				t.Fatalf("an alarm over an intact registry: %d\n%s", r.StatusCode, r.text())
			}
			write, _ := se.svc.DB().Pools()
			if _, err := write.ExecContext(se.Ctx, "UPDATE agencies SET name_en = 'Forged ministry' WHERE code = 'moh'"); err != nil {
				t.Fatal(err)
			}
			if _, err := se.svc.RunDueJobs(se.Ctx, "t", now); err != nil {
				t.Fatal(err)
			}
			for lang, want := range map[string][]string{
				"en": {`id="audit-alarm"`, "The daily audit check", "1 problem found", "agency moh differs", "name.en", "pishran audit verify"},
				"fa": {`id="audit-alarm"`, "بررسی روزانه سیاهه ممیزی", "ناسازگاری یافت", "دستگاه moh با وضعیتی", "pishran audit verify"},
			} {
				r := se.as(t, "sec", "/staff", lang)
				for _, w := range want {
					if !strings.Contains(r.text(), w) {
						t.Errorf("%s dashboard lacks %q", lang, w)
					}
				}
			}
			if strings.Contains(se.as(t, "moh-focal", "/staff", "en").text(), "audit-alarm") {
				t.Error("an agency's focal point sees the audit alarm")
			}
		})
	}
}

// TestCheckpointsDataset: the signed checkpoints are open data in the
// three formats, in the dictionary, and the JSON file is a checkpoints
// file whose every signature holds under the published keys.
func TestCheckpointsDataset(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			for i := range 2 {
				if _, err := env.svc.TakeCheckpoint(t.Context(), service.System); err != nil {
					t.Fatalf("checkpoint %d: %v", i, err)
				}
			}
			jsonR := env.get("/data/checkpoints.json", "")
			if jsonR.StatusCode != http.StatusOK {
				t.Fatalf("checkpoints.json: %d", jsonR.StatusCode)
			}
			cps, err := signing.ParseCheckpoints(jsonR.body)
			if err != nil || len(cps) != 2 {
				t.Fatalf("checkpoints.json as a checkpoints file: %v %d\n%s", err, len(cps), jsonR.body)
			}
			keys, err := signing.ParseKeys(env.get("/api/v1/signing/keys", "").body)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cps {
				if why := signing.VerifyCheckpoint(&c, keys); why != nil {
					t.Errorf("checkpoint %d: %s", c.ID, why.EN)
				}
			}
			csvR := env.get("/data/checkpoints.csv", "")
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvR.body, []byte("\xEF\xBB\xBF")))).ReadAll()
			if err != nil || len(rows) != 3 || rows[0][0] != "id" || rows[0][2] != "hash" || rows[1][2] != cps[0].Hash {
				t.Fatalf("checkpoints.csv: %v %v", err, rows)
			}
			f, err := excelize.OpenReader(bytes.NewReader(env.get("/data/checkpoints.xlsx", "").body))
			if err != nil {
				t.Fatal(err)
			}
			if xrows, err := f.GetRows("checkpoints"); err != nil || len(xrows) != 3 {
				t.Errorf("checkpoints.xlsx: %d rows, %v", len(xrows), err)
			}
			f.Close()
			for lang, want := range map[string][]string{"en": {"Signed audit checkpoints", "the audit log entry the checkpoint anchors"},
				"fa": {"نقاط وارسی امضاشده سیاهه ممیزی", "سر زنجیره در آن لحظه"}} {
				if r := env.get("/data/dictionary", lang); !strings.Contains(r.text(), want[0]) || !strings.Contains(r.text(), want[1]) {
					t.Errorf("%s dictionary lacks the checkpoints", lang)
				}
			}
			if !strings.Contains(env.get("/data", "en").text(), "/data/checkpoints.csv") {
				t.Error("the data page does not offer the checkpoints")
			}
		})
	}
}
