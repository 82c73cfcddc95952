package web

import (
	"context"
	"iter"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// Pages that need a whole list (a form's choices, a download) read it with
// domain.Walk, a page at a time. The project list is walked from five
// places, so its walk is written once here.

// allProjects yields every project f selects that the actor may see, in
// slug order. Links to projects the actor may not see are left out by the
// service (service/visibility.go).
func (s *Site) allProjects(ctx context.Context, a service.Actor, f domain.ProjectFilter) iter.Seq2[*domain.Project, error] {
	return domain.Walk(func(p domain.Page) ([]*domain.Project, error) { return s.svc.Projects(ctx, a, f, p) },
		func(p *domain.Project) string { return p.Slug })
}

// reportKey is a report's key in a walk over Reports: its id.
func reportKey(r *domain.Report) string { return itoa(r.ID) }
