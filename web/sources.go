package web

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
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
	rec, err := f.svc.ProjectRecord(ctx, service.Anonymous, slug)
	if err != nil {
		return nil, err
	}
	return followUpOf(rec), nil
}

// followUpOf is a project's follow-up record as its page shows it.
func followUpOf(rec *service.ProjectRecord) *FollowUp {
	out := &FollowUp{LastAccepted: rec.LastAccepted, LastReportCode: rec.LastReport.VerificationCode}
	for _, m := range rec.Milestones {
		out.Milestones = append(out.Milestones, FollowUpMilestone{ID: m.ID, Title: m.Title, Planned: m.Planned, Actual: m.Actual, Percent: m.Percent})
	}
	for _, d := range rec.Decisions {
		date := d.Date
		out.Decisions = append(out.Decisions, FollowUpDecision{Date: &date, Meeting: d.Meeting, Text: d.Text, Code: d.VerificationCode})
	}
	for _, r := range rec.Ratings {
		out.Ratings = append(out.Ratings, FollowUpRating{Date: r.Date, Kind: catalogText("ratingkind." + string(r.Kind)),
			Score: r.Score, Label: scaleLabel(r.Score)})
	}
	return out
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
