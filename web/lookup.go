package web

import (
	"github.com/pishran/pishran/domain"
)

// lookups resolves codes and slugs to names within one request, each at
// most once, as the visitor may see them.
type lookup struct {
	s        *Site
	q        *req
	agencies map[string]domain.Text
	projects map[string]*linkView
	laws     map[string]*domain.Law
	err      error
}

func (s *Site) lookups(q *req) *lookup {
	return &lookup{s: s, q: q, agencies: map[string]domain.Text{}, projects: map[string]*linkView{}, laws: map[string]*domain.Law{}}
}

// agency is an agency's name; an unrecorded code stands for itself.
func (l *lookup) agency(code string) domain.Text {
	if t, ok := l.agencies[code]; ok {
		return t
	}
	t := domain.T(code, code)
	a, err := l.s.svc.Agency(l.q.Context(), code)
	switch {
	case err == nil:
		t = a.Name
	case !domain.IsKind(err, domain.KindNotFound):
		l.err = err
	}
	l.agencies[code] = t
	return t
}

// preloadProjects resolves the links to many projects in one read; project
// then answers from what it found.
func (l *lookup) preloadProjects(slugs []string) {
	var want []string
	for _, slug := range slugs {
		if _, ok := l.projects[slug]; !ok && slug != "" {
			want = append(want, slug)
		}
	}
	if len(want) == 0 {
		return
	}
	titles, err := l.s.svc.ProjectTitles(l.q.Context(), l.q.actor, want)
	if err != nil {
		l.err = err
		return
	}
	for _, slug := range want {
		var v *linkView
		if t, ok := titles[slug]; ok {
			v = &linkView{Slug: slug, Title: t}
		}
		l.projects[slug] = v
	}
}

// project is a link to a project, or nil when the visitor may not see it
// (a confidential project is neither shown nor named). It reads the
// service's project directory (titles and visibility, kept per registry
// generation), never the whole project: a page naming a hundred projects
// pays a hundred map reads, not a hundred project reads.
func (l *lookup) project(slug string) *linkView {
	if v, ok := l.projects[slug]; ok {
		return v
	}
	l.preloadProjects([]string{slug})
	return l.projects[slug]
}

// law is a law, or nil when it is not recorded.
func (l *lookup) law(slug string) *domain.Law {
	if x, ok := l.laws[slug]; ok {
		return x
	}
	x, err := l.s.svc.Law(l.q.Context(), slug)
	if err != nil {
		x = nil
		if !domain.IsKind(err, domain.KindNotFound) {
			l.err = err
		}
	}
	l.laws[slug] = x
	return x
}
