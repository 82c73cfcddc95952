package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/textnorm"
)

// TestSearchFollowsRename: a project's reports and decisions are found by
// the project's name, and after it is renamed by the new name only, with
// the new name in the hits' text.
func TestSearchFollowsRename(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := reportAndSession(t, e, domain.T("پیشرفت در سه استان", "progress in three provinces"))
		svc, ctx := env.Svc, env.Ctx
		_, _, err := svc.RecordOutcome(ctx, service.System, "itec-3", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "3/1",
			Text: domain.T("تمدید مهلت اجرا", "the deadline is extended"), Projects: []string{"p0"}})
		testkit.Must(t, err)

		kinds := func(q string) (report, decision bool, titles []string) {
			res, err := svc.Search(ctx, sec, service.SearchRequest{Query: q, Scope: service.SearchStaff})
			testkit.Must(t, err)
			for _, h := range res.Hits {
				switch h.Kind {
				case service.KindReport:
					report = true
				case service.KindDecision:
					decision = true
				default:
					continue
				}
				titles = append(titles, h.Title.FA+" | "+h.Title.EN+" | "+spans(h.FA)+" | "+spans(h.EN))
			}
			return report, decision, titles
		}
		p, err := svc.Project(ctx, sec, "p0")
		testkit.Must(t, err)
		old := p.Title
		if rep, dec, got := kinds(old.FA); !rep || !dec {
			t.Fatalf("before the rename, %q finds report %v, decision %v: %q", old.FA, rep, dec, got)
		}
		p.Title = domain.T("زعفران طلایی", "Golden saffron")
		testkit.Must(t, svc.UpdateProject(ctx, sec, p.Project))
		for _, q := range []string{"زعفران طلایی", "golden saffron"} {
			rep, dec, got := kinds(q)
			if !rep || !dec {
				t.Errorf("after the rename, %q finds report %v, decision %v: %q", q, rep, dec, got)
			}
			if slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, old.FA) || strings.Contains(s, old.EN) }) {
				t.Errorf("the hits still show the old name %q: %q", old.FA, got)
			}
		}
		if rep, dec, got := kinds(old.FA); rep || dec {
			t.Errorf("after the rename, the old name %q still finds report %v, decision %v: %q", old.FA, rep, dec, got)
		}
	})
}

func spans(ss []textnorm.Span) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Text)
	}
	return b.String()
}
