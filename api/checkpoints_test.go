package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

// TestAuditCheckpointsPublic: anyone may read the signed checkpoints, a
// page at a time, and every signature checks against the published keys;
// the audit check itself stays an admin's.
func TestAuditCheckpointsPublic(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := scenario.New(t, e)
			ctx, svc, srv := env.Ctx, env.Svc, env.Serve(scenario.APIOnly())
			sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
			doc, err := svc.Publish(ctx, sec, signing.KindDecision, "council-14/3#2", domain.T("مصوبه", "Decision"), map[string]any{"votes": 12})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				if _, err := svc.RunDueJobs(ctx, "a", time.Date(2030, 1, 1+i, 3, 0, 0, 0, time.UTC)); err != nil {
					t.Fatal(err)
				}
			}

			code, h, body := srv.Get("/api/v1/audit/checkpoints?limit=2", "").Parts()
			if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Fatalf("anonymous: %d %s", code, body)
			}
			var page struct {
				Items      []signing.SignedCheckpoint `json:"items"`
				NextCursor *string                    `json:"next_cursor"`
			}
			if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Items) != 2 || page.NextCursor == nil {
				t.Fatalf("first page: %v %s", err, body)
			}
			code, _, body = srv.Get("/api/v1/audit/checkpoints?limit=2&cursor="+*page.NextCursor, "").Parts()
			var rest struct {
				Items      []signing.SignedCheckpoint `json:"items"`
				NextCursor *string                    `json:"next_cursor"`
			}
			if err := json.Unmarshal([]byte(body), &rest); code != http.StatusOK || err != nil || len(rest.Items) != 1 || rest.NextCursor != nil {
				t.Fatalf("second page: %d %s", code, body)
			}
			all := append(page.Items, rest.Items...)
			if all[0].Source != service.CheckpointDocument || all[0].Document != doc.Code || all[1].Source != service.CheckpointDaily {
				t.Errorf("checkpoints: %+v", all)
			}
			if all[0].Checkpoint != *doc.Envelope.Checkpoint {
				t.Errorf("the document's checkpoint %+v is not the listed one %+v", *doc.Envelope.Checkpoint, all[0].Checkpoint)
			}
			_, _, kbody := srv.Get("/api/v1/signing/keys", "").Parts()
			keys, err := signing.ParseKeys([]byte(kbody))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range all {
				if why := signing.VerifyCheckpoint(&c, keys); why != nil {
					t.Errorf("checkpoint %d: %s", c.ID, why.EN)
				}
			}
			if code, _, _ := srv.Get("/api/v1/audit/checkpoints?cursor=eA", "").Parts(); code != http.StatusBadRequest {
				t.Errorf("a cursor that is not an id: %d", code)
			}
			if code, _, _ := srv.Get("/api/v1/audit/verify", "").Parts(); code != http.StatusUnauthorized {
				t.Errorf("anonymous audit verify: %d", code)
			}
		})
	}
}
