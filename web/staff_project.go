package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The staff view of a project: what the portal's sheet shows, plus its
// full history — every membership event of every list it was on, and the
// audit trail (who changed what, when, from where) — its computed health
// with the reasons, its reports in every state the person may see, its
// ratings and baselines; and the rating form, for the secretariat (the
// council's rating) and for an agency on the project (its self rating).

type historyView struct {
	Program      string
	ProgramTitle domain.Text
	Events       []*domain.MembershipEvent
}

type auditView struct {
	*domain.AuditEntry
	Before, After string // indented JSON; "" for none
}

type ratingForm struct {
	Kind   domain.RatingKind
	Scale  []domain.ScaleLevel
	Score  int
	Date   string
	Text   domain.Text
	Error  *formError
	Action string
}

type staffProjectView struct {
	P           *domain.Project
	Health      *service.HealthView
	Histories   []historyView
	Audit       []auditView
	AuditHidden bool // the person's role may not read the audit trail
	Reports     []*domain.Report
	Ratings     []*domain.Rating
	Baselines   []*domain.Baseline
	Milestones  []milestoneRow
	KPIs        []kpiRow
	Agencies    []agencyView
	Rating      *ratingForm // nil: the person may not rate this project
	Plan        *planForms  // the baseline, milestone and indicator forms; nil: not the secretariat
	Done        string      // what the last act did, for the notice
}

func (s *Site) staffProject(q *req) error {
	return s.staffProjectPage(q, http.StatusOK, nil)
}

// staffProjectPage renders the page; fill, when not nil, puts a refused
// form back as it was posted.
func (s *Site) staffProjectPage(q *req, status int, fill func(*staffProjectView)) error {
	ctx, a, slug := q.Context(), q.actor, q.PathValue("slug")
	pv, err := s.svc.Project(ctx, a, slug)
	if err != nil {
		return err
	}
	v := staffProjectView{P: pv.Project, Done: q.URL.Query().Get("done")}
	look := s.lookups(q)
	for _, pa := range pv.Agencies {
		v.Agencies = append(v.Agencies, agencyView{Participation: pa, Name: look.agency(pa.Agency)})
	}
	if v.Health, err = s.svc.ProjectHealth(ctx, a, slug, nil); err != nil {
		return err
	}
	progs, err := s.programs(ctx, a)
	if err != nil {
		return err
	}
	titles := map[string]domain.Text{}
	for _, g := range progs {
		titles[g.Slug] = g.Title
	}
	var keys []string
	for _, m := range pv.Memberships {
		t, ok := titles[m.Program]
		if !ok {
			continue // a list the person may not see
		}
		evs, err := s.svc.History(ctx, a, m.Program, slug)
		if err != nil {
			return err
		}
		v.Histories = append(v.Histories, historyView{Program: m.Program, ProgramTitle: t, Events: evs})
		keys = append(keys, m.Program+"/"+slug)
	}
	if q.isSecretariat() {
		entries, err := s.svc.ProjectAuditHistory(ctx, a, slug)
		if err != nil {
			return err
		}
		for _, k := range keys {
			more, err := s.svc.AuditHistory(ctx, a, "membership", k)
			if err != nil {
				return err
			}
			entries = append(entries, more...)
		}
		slices.SortFunc(entries, func(x, y *domain.AuditEntry) int { return int(y.ID - x.ID) })
		for _, e := range entries {
			v.Audit = append(v.Audit, auditView{AuditEntry: e, Before: indentJSON(e.Before), After: indentJSON(e.After)})
		}
	} else {
		v.AuditHidden = true
	}
	reports := func(p domain.Page) ([]*domain.Report, error) {
		return s.svc.Reports(ctx, a, domain.ReportFilter{Project: slug}, p)
	}
	for r, err := range domain.Walk(reports, reportKey) {
		if err != nil {
			return err
		}
		v.Reports = append(v.Reports, r)
	}
	slices.SortStableFunc(v.Reports, func(x, y *domain.Report) int { return strings.Compare(string(y.Period), string(x.Period)) })
	if v.Ratings, err = s.svc.Ratings(ctx, a, slug); err != nil {
		return err
	}
	if v.Baselines, err = s.svc.Baselines(ctx, a, slug); err != nil {
		return err
	}
	ms, err := s.svc.Milestones(ctx, a, slug)
	if err != nil {
		return err
	}
	for _, m := range ms {
		v.Milestones = append(v.Milestones, milestoneRow{Milestone: m,
			Overdue: m.Actual == nil && m.Planned != nil && m.Planned.Before(v.Health.AsOf)})
	}
	ks, err := s.svc.KPIs(ctx, a, slug)
	if err != nil {
		return err
	}
	for _, k := range ks {
		v.KPIs = append(v.KPIs, kpiRow{KPI: k, Met: k.Met != nil && *k.Met, Known: k.Met != nil})
	}
	if err := look.err; err != nil {
		return err
	}
	if kind, ok := rateKind(q, pv.Project); ok {
		v.Rating = &ratingForm{Kind: kind}
	}
	if q.isSecretariat() {
		v.Plan = newPlanForms()
	}
	if fill != nil {
		fill(&v)
	}
	if v.Rating != nil {
		v.Rating.Scale = domain.RatingScale
		v.Rating.Action = "/staff/projects/" + url.PathEscape(slug) + "/ratings"
	}
	if v.Plan != nil {
		current := 0
		if len(v.Baselines) > 0 {
			current = v.Baselines[0].Number
		}
		v.Plan.finish(slug, current)
	}
	return s.renderStaff(q, status, "staff/project", q.lang.Text(pv.Title), "", v)
}

// rateKind is the rating the person may enter on p: the council's for the
// secretariat, a self rating for an agency on the project.
func rateKind(q *req, p *domain.Project) (domain.RatingKind, bool) {
	switch {
	case q.isSecretariat():
		return domain.CouncilRating, true
	case q.isAgency() && p.HasAgency(q.who.Agency):
		return domain.SelfRating, true
	}
	return "", false
}

// ratePost records a rating (service.Rate): the council's, entered by the
// secretariat, or the agency's own.
func (s *Site) ratePost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	slug := q.PathValue("slug")
	pv, err := s.svc.Project(q.Context(), q.actor, slug)
	if err != nil {
		return err
	}
	kind, ok := rateKind(q, pv.Project)
	if !ok {
		return forbidden()
	}
	f := &ratingForm{Kind: kind, Date: strings.TrimSpace(q.PostFormValue("date")), Text: formText(q, "comment")}
	f.Score, _ = atoi(q.PostFormValue("score"))
	r := &domain.Rating{Project: slug, Kind: kind, Score: f.Score, Comment: f.Text}
	if r.Date, err = formDate(q, "date"); err == nil {
		err = s.svc.Rate(q.Context(), q.actor, r)
	}
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		f.Error = fe
		return s.staffProjectPage(q, status, func(v *staffProjectView) { v.Rating = f })
	}
	return redirect(q, "/staff/projects/"+url.PathEscape(slug)+"?done=rated#ratings")
}

// indentJSON lays out an audit entry's before or after for reading.
func indentJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return string(raw)
	}
	return b.String()
}
