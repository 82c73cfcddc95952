package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/seal"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

func join(xs []string) string { return strings.Join(xs, "; ") }

func sourceRefs(ss []domain.Source) string {
	refs := make([]string, len(ss))
	for i, s := range ss {
		refs[i] = s.Ref
	}
	return join(refs)
}

func loadPrograms(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	progs, err := s.programs(ctx, a)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, g := range progs {
		var funnel []string
		var last *domain.Date
		for _, st := range g.Stages {
			funnel = append(funnel, fmt.Sprintf("%s=%d (%s)", st.Body, st.Size, st.Basis))
			if st.Date != nil {
				last = st.Date
			}
			if st.Basis == "unknown" {
				funnel[len(funnel)-1] = string(st.Body) + "=? (unknown)"
			}
		}
		t.Rows = append(t.Rows, []any{g.Slug, g.Title.FA, g.Title.EN, g.Term, string(g.Kind), string(g.Status), g.DeclaredSize,
			g.Named, g.Active, g.Main, g.Confidential, join(funnel), last, jalaliOf(last), sourceRefs(g.Sources)})
	}
	return t, nil
}

func loadProjects(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	t := &Table{}
	for p, err := range s.allProjects(ctx, a, domain.ProjectFilter{}) {
		if err != nil {
			return nil, err
		}
		var parts, mandates, preds []string
		for _, pa := range p.Agencies {
			if pa.Role != domain.RoleLead {
				parts = append(parts, pa.Agency)
			}
		}
		for _, m := range p.Mandates {
			mandates = append(mandates, m.Law+":"+m.Article)
		}
		for _, pr := range p.Predecessors {
			preds = append(preds, pr.Project)
		}
		t.Rows = append(t.Rows, []any{p.Slug, p.Title.FA, p.Title.EN, string(p.Kind), string(p.Status), string(p.Confidentiality),
			p.Lead(), join(parts), join(mandates), len(p.Deliverables), join(p.DependsOn), join(preds), join(p.Capabilities),
			p.Summary.FA, p.Summary.EN, sourceRefs(p.Sources)})
	}
	hidden, err := hiddenOnLists(ctx, s, a)
	t.Hidden = hidden
	return t, err
}

// hiddenOnLists counts the confidential projects on the lists the visitor
// may see. The public cannot tell whether one confidential project is on
// two lists, so such a project counts twice.
func hiddenOnLists(ctx context.Context, s *Site, a service.Actor) (int, error) {
	progs, err := s.programs(ctx, a)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range progs {
		n += g.Confidential
	}
	return n, nil
}

func loadMemberships(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	progs, err := s.programs(ctx, a)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, g := range progs {
		// Every page counts the list's confidential members; the first
		// page's count is the one kept.
		members := func(p domain.Page) ([]*domain.Member, error) {
			ms, hidden, err := s.svc.Members(ctx, a, g.Slug, domain.MemberFilter{}, p)
			if p.After == "" {
				t.Hidden += hidden
			}
			return ms, err
		}
		for m, err := range domain.Walk(members, func(m *domain.Member) string { return m.Project }) {
			if err != nil {
				return nil, err
			}
			succ := m.Successor // "" when the visitor may not see it (service/visibility.go)
			t.Rows = append(t.Rows, []any{m.Program, m.Project, m.Title.FA, m.Title.EN, m.Main, string(m.Stage),
				m.Entered, jalaliOf(m.Entered), m.Active, m.Left, jalaliOf(m.Left), string(m.Reason), succ,
				m.Note.FA, m.Note.EN})
		}
	}
	return t, nil
}

func jalaliOf(d *domain.Date) string {
	if d == nil {
		return ""
	}
	return d.Jalali()
}

// cellText is a value as CSV writes it: empty for unknown.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case bool:
		return strconv.FormatBool(x)
	case *domain.Date:
		if x == nil {
			return ""
		}
		return x.String()
	}
	return fmt.Sprint(v)
}

// cellJSON is a value as JSON writes it: null for unknown.
func cellJSON(v any) any {
	switch x := v.(type) {
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case *domain.Date:
		if x == nil {
			return nil
		}
		return x.String()
	}
	return v
}

func loadDecisions(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	t := &Table{}
	base := baseFrom(ctx)
	// Every decision the actor may see, newest first.
	decisions := func(p domain.Page) ([]*domain.Decision, error) { return s.svc.Decisions(ctx, a, p) }
	for d, err := range domain.Walk(decisions, func(d *domain.Decision) string { return strconv.FormatInt(d.ID, 10) }) {
		if err != nil {
			return nil, err
		}
		date := d.Date
		var verifyURL string
		if d.VerificationCode != "" {
			verifyURL = seal.URL(base, d.VerificationCode)
		}
		t.Rows = append(t.Rows, []any{int(d.ID), d.Meeting, d.Series, d.SeriesName.FA, d.SeriesName.EN, d.Number, &date, jalaliOf(&date),
			d.Resolution, d.Text.FA, d.Text.EN, join(d.Projects), d.RecordedAt.UTC().Format(time.RFC3339), d.VerificationCode, verifyURL})
	}
	return t, nil
}

func loadCheckpoints(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	t := &Table{}
	checkpoints := func(p domain.Page) ([]signing.SignedCheckpoint, error) { return s.svc.Checkpoints(ctx, p) }
	for c, err := range domain.Walk(checkpoints, func(c signing.SignedCheckpoint) string { return strconv.FormatInt(c.ID, 10) }) {
		if err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, []any{int(c.ID), int(c.Entry), c.Hash, c.At, c.Source, c.Document, c.KeyID, c.Signature})
	}
	return t, nil
}

func loadRatings(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	var slugs []string
	for p, err := range s.allProjects(ctx, a, domain.ProjectFilter{}) {
		if err != nil {
			return nil, err
		}
		slugs = append(slugs, p.Slug)
	}
	hist, err := s.svc.RatingHistory(ctx, a, slugs)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, slug := range slugs { // by project, each newest first
		for _, r := range hist[slug] {
			label := scaleLabel(r.Score)
			t.Rows = append(t.Rows, []any{r.Project, string(r.Kind), r.Score, label.FA, label.EN, r.Agency, r.Date, jalaliOf(r.Date),
				r.Comment.FA, r.Comment.EN})
		}
	}
	hidden, err := hiddenOnLists(ctx, s, a)
	t.Hidden = hidden
	return t, err
}
