package web

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// The follow-up service as the portal's hooks (Options.Health and
// Options.FollowUp). Whatever actor a page passes, the hooks read as the
// public (service.Anonymous): they feed the public portal, where a
// confidential project is never shown, so they never answer about one.

// ServiceHealth is the HealthSource over svc.
func ServiceHealth(svc *service.Service) HealthSource { return healthSource{svc} }

// ServiceFollowUp is the FollowUpSource over svc.
func ServiceFollowUp(svc *service.Service) FollowUpSource { return followUpSource{svc} }

type healthSource struct{ svc *service.Service }

func (h healthSource) Health(ctx context.Context, _ service.Actor, slugs []string) (map[string]domain.Health, error) {
	return h.svc.HealthFor(ctx, service.Anonymous, slugs)
}

type followUpSource struct{ svc *service.Service }

// FollowUp gathers a project's milestones, the decisions about it, its
// rating history and the period end of its last accepted report.
func (f followUpSource) FollowUp(ctx context.Context, _ service.Actor, slug string) (*FollowUp, error) {
	a := service.Anonymous
	hv, err := f.svc.ProjectHealth(ctx, a, slug, nil)
	if err != nil {
		return nil, err
	}
	out := &FollowUp{LastAccepted: hv.LastAccepted}
	ms, err := f.svc.Milestones(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out.Milestones = append(out.Milestones, FollowUpMilestone{Title: m.Title, Planned: m.Planned, Actual: m.Actual, Percent: m.Percent})
	}
	ds, err := projectDecisions(ctx, f.svc, a, slug)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		date := d.Date
		out.Decisions = append(out.Decisions, FollowUpDecision{Date: &date, Meeting: d.Meeting, Text: d.Text})
	}
	rs, err := f.svc.Ratings(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		out.Ratings = append(out.Ratings, FollowUpRating{Date: r.Date, Kind: catalogText("ratingkind." + string(r.Kind)),
			Score: r.Score, Label: scaleLabel(r.Score)})
	}
	return out, nil
}

// projectDecisions lists the decisions about a project the actor may see,
// newest first.
func projectDecisions(ctx context.Context, svc *service.Service, a service.Actor, slug string) ([]*domain.Decision, error) {
	return svc.DecisionsAbout(ctx, a, slug)
}

// eachDecision calls fn on every decision the actor may see, newest first.
func eachDecision(ctx context.Context, svc *service.Service, a service.Actor, fn func(*domain.Decision)) error {
	for after := ""; ; {
		page, err := svc.Decisions(ctx, a, store.Page{After: after, Limit: 1000})
		if err != nil {
			return err
		}
		for _, d := range page {
			fn(d)
		}
		if len(page) < 1000 {
			return nil
		}
		after = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
}

// catalogText is a catalog message as a text in both languages.
func catalogText(key string) domain.Text {
	return domain.T(FA.T(key), EN.T(key))
}

// scaleLabel is the name of a delivery-confidence score.
func scaleLabel(score int) domain.Text {
	for _, l := range domain.RatingScale {
		if l.Score == score {
			return l.Label
		}
	}
	return domain.Text{}
}
