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
			if r := se.Page(se.SignIn("sec"), "/staff", "en"); r.Status != http.StatusOK || strings.Contains(r.Text(), "audit-alarm") {
				t.Fatalf("an alarm over an intact registry: %d\n%s", r.Status, r.Text())
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
				r := se.Page(se.SignIn("sec"), "/staff", lang)
				for _, w := range want {
					if !strings.Contains(r.Text(), w) {
						t.Errorf("%s dashboard lacks %q", lang, w)
					}
				}
			}
			if strings.Contains(se.Page(se.SignIn("moh-focal"), "/staff", "en").Text(), "audit-alarm") {
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
			jsonR := env.Page("", "/data/checkpoints.json", "")
			if jsonR.Status != http.StatusOK {
				t.Fatalf("checkpoints.json: %d", jsonR.Status)
			}
			cps, err := signing.ParseCheckpoints(jsonR.Body)
			if err != nil || len(cps) != 2 {
				t.Fatalf("checkpoints.json as a checkpoints file: %v %d\n%s", err, len(cps), jsonR.Body)
			}
			keys, err := signing.ParseKeys(env.Page("", "/api/v1/signing/keys", "").Body)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cps {
				if why := signing.VerifyCheckpoint(&c, keys); why != nil {
					t.Errorf("checkpoint %d: %s", c.ID, why.EN)
				}
			}
			csvR := env.Page("", "/data/checkpoints.csv", "")
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvR.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
			if err != nil || len(rows) != 3 || rows[0][0] != "id" || rows[0][2] != "hash" || rows[1][2] != cps[0].Hash {
				t.Fatalf("checkpoints.csv: %v %v", err, rows)
			}
			f, err := excelize.OpenReader(bytes.NewReader(env.Page("", "/data/checkpoints.xlsx", "").Body))
			if err != nil {
				t.Fatal(err)
			}
			if xrows, err := f.GetRows("checkpoints"); err != nil || len(xrows) != 3 {
				t.Errorf("checkpoints.xlsx: %d rows, %v", len(xrows), err)
			}
			f.Close()
			for lang, want := range map[string][]string{"en": {"Signed audit checkpoints", "the audit log entry the checkpoint anchors"},
				"fa": {"نقاط وارسی امضاشده سیاهه ممیزی", "سر زنجیره در آن لحظه"}} {
				if r := env.Page("", "/data/dictionary", lang); !strings.Contains(r.Text(), want[0]) || !strings.Contains(r.Text(), want[1]) {
					t.Errorf("%s dictionary lacks the checkpoints", lang)
				}
			}
			if !strings.Contains(env.Page("", "/data", "en").Text(), "/data/checkpoints.csv") {
				t.Error("the data page does not offer the checkpoints")
			}
		})
	}
}
