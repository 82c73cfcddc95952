package web_test

// The pages render what the follow-up hooks provide.

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

type fakeFollowUp struct{}

func (fakeFollowUp) Health(ctx context.Context, a service.Actor, slugs []string) (map[string]domain.Health, error) {
	out := map[string]domain.Health{}
	for _, s := range slugs {
		if s == "smart-health" || s == "e-health" {
			out[s] = domain.Health{Project: s, Status: domain.Amber, Stale: true}
		}
	}
	return out, nil
}

func (fakeFollowUp) FollowUp(ctx context.Context, a service.Actor, slug string) (*web.FollowUp, error) {
	d := domain.NewDate(2024, 3, 20)
	return &web.FollowUp{
		LastAccepted: &d,
		Milestones: []web.FollowUpMilestone{{Title: domain.T("گام یک", "Step one"), Planned: &d, Actual: &d},
			{Title: domain.T("گام دو", "Step two"), Planned: &d, Percent: 40}},
		Decisions: []web.FollowUpDecision{{Date: &d, Meeting: "27", Text: domain.T("مصوبه آزمایشی", "A test decision")}},
		Ratings:   []web.FollowUpRating{{Date: &d, Kind: domain.T("شورا", "council"), Score: 3, Label: domain.T("متوسط", "moderate")}},
	}, nil
}

func TestFollowUpHooks(t *testing.T) {
	e := serve(t, scenario.New(t, testkit.SQLite, scenario.Reference()), scenario.SiteOnly(),
		scenario.Site(web.Options{Health: fakeFollowUp{}, FollowUp: fakeFollowUp{}}))
	home := e.Page("", "/", "en")
	home.CheckPage(t, http.StatusOK, "en")
	if !strings.Contains(home.Text(), `<span class="badge rag-amber">amber: needs attention</span> <span class="badge rag-stale">report overdue</span>`) {
		t.Error("the home page does not show the computed health")
	}
	if !strings.Contains(home.Text(), "not computed yet") { // neobank has none
		t.Error("a project with no health should say so")
	}
	fa := e.Page("", "/projects/e-health", "fa")
	fa.CheckPage(t, http.StatusOK, "fa")
	for _, want := range []string{"۱۴۰۳/۰۱/۰۱", "گام دو", "۴۰٪", "مصوبه آزمایشی", "۲۷", "متوسط", "زرد: نیازمند توجه"} {
		if !strings.Contains(fa.Text(), want) {
			t.Errorf("fa project page with follow-up lacks %q", want)
		}
	}
	if strings.Contains(fa.Text(), "هنوز گزارشی نیامده") {
		t.Error("the project page still says nothing was reported")
	}
	en := e.Page("", "/projects/e-health", "en")
	en.CheckPage(t, http.StatusOK, "en")
	if !strings.Contains(en.Text(), "40%") || !strings.Contains(en.Text(), "2024-03-20") {
		t.Error("en project page with follow-up lacks the milestone's percent or the report date")
	}
}
