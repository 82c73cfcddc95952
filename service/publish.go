package service

import (
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// Publishing: when a meeting closes, its public minutes and each of its
// public decisions are signed and given verification codes; when a report
// on a public project is accepted, it is signed too. Each lands in the same
// transaction as the act that publishes it. Nothing about a confidential or
// restricted project is published: /verify is open to everyone.

// publishMeeting signs the public record of a meeting that has just closed.
func (s *Service) publishMeeting(tx *store.Tx, a Actor, id string) error {
	pub, err := s.meetingFor(tx, Anonymous, id)
	if err != nil {
		return err
	}
	for _, o := range pub.Outcomes {
		if o.Kind != domain.OutcomeDecision {
			continue
		}
		content := map[string]any{"meeting": id, "series": pub.Series, "session": pub.Number, "date": pub.Date.String(),
			"resolution": o.Resolution, "text": o.Text, "projects": o.Projects}
		title := domain.T("مصوبه "+o.Resolution+" جلسه "+pub.Date.Jalali(), "Decision "+o.Resolution+" of meeting "+id)
		if _, err := s.publishTx(tx, a, signing.KindDecision, decisionRef(id, o.Resolution), title, content); err != nil {
			return err
		}
	}
	title := domain.T("صورت‌جلسه "+id+" ("+pub.Date.Jalali()+")", "Minutes of "+id+" ("+pub.Date.String()+")")
	_, err = s.publishTx(tx, a, signing.KindMinutes, id, title, pub)
	return err
}

// publishReport signs an accepted report on a public project. Numbers go
// as text: costs in rials and indicator values can exceed what canonical
// JSON carries exactly.
func (s *Service) publishReport(tx *store.Tx, a Actor, r *domain.Report) error {
	p, err := tx.Project(r.Project, domain.Viewer{All: true})
	if err != nil {
		return err
	}
	if p.Confidentiality != domain.Public {
		return nil
	}
	num := func(v *int64) any {
		if v == nil {
			return nil
		}
		return strconv.FormatInt(*v, 10)
	}
	kpis := make([]map[string]string, len(r.KPIs))
	for i, k := range r.KPIs {
		kpis[i] = map[string]string{"kpi": strconv.FormatInt(k.KPI, 10), "value": strconv.FormatFloat(k.Value, 'g', -1, 64)}
	}
	var projected any
	if r.ProjectedEnd != nil {
		projected = r.ProjectedEnd.String()
	}
	evidence := make([]map[string]any, len(r.Evidence))
	for i, e := range r.Evidence {
		evidence[i] = map[string]any{"kind": e.Kind, "url": e.URL, "name": e.Name, "sha256": e.SHA256, "title": e.Title}
	}
	content := map[string]any{"report": strconv.FormatInt(r.ID, 10), "project": r.Project, "project_title": p.Title,
		"agency": r.Agency, "period": string(r.Period), "narrative": r.Narrative, "risks": r.Risks,
		"milestones": r.Milestones, "kpis": kpis, "projected_end": projected, "projected_cost": num(r.ProjectedCost),
		"actual_cost": num(r.ActualCost), "evidence": evidence}
	title := domain.T("گزارش پیشرفت "+p.Title.In("fa")+" — "+r.Period.Name("fa"), "Progress report: "+p.Title.In("en")+" — "+r.Period.Name("en"))
	_, err = s.publishTx(tx, a, signing.KindReport, reportRef(r.ID), title, content)
	return err
}
