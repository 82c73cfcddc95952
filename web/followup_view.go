package web

import (
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

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
