package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// indexPage is how many projects the index shows at a time.
const indexPage = 50

type projectIndexView struct {
	*service.ProjectIndex
	F          service.IndexFilter
	Kinds      []domain.ProjectKind
	Lifecycles []domain.Lifecycle
	Statuses   []domain.RAG
	Prev, Next string // URLs of the pages around this one
}

// projectIndex is /projects: every project the visitor may see, filtered
// by list, agency, kind, lifecycle and computed status (GET parameters,
// so a filtered index is a link), a page at a time.
func (s *Site) projectIndex(q *req) error {
	qs := q.URL.Query()
	f := service.IndexFilter{Program: qs.Get("program"), Agency: qs.Get("agency"),
		Kind: domain.ProjectKind(qs.Get("kind")), Lifecycle: domain.Lifecycle(qs.Get("lifecycle")),
		Status: domain.RAG(qs.Get("status")), Page: 1}
	for _, x := range []struct{ field, v string }{{"program", f.Program}, {"agency", f.Agency}} {
		if x.v != "" && !domain.ValidSlug(x.v) {
			return badRequest("پارامتر "+x.field+" نامعتبر است", "the "+x.field+" parameter is not valid")
		}
	}
	if f.Kind != "" && !slices.Contains(domain.ProjectKinds, f.Kind) {
		return badRequest("نوع پروژه نامعتبر است", "the kind parameter is not valid")
	}
	if f.Lifecycle != "" && !slices.Contains(domain.Lifecycles, f.Lifecycle) {
		return badRequest("مرحله پروژه نامعتبر است", "the lifecycle parameter is not valid")
	}
	if f.Status != "" && !slices.Contains(domain.RAGs, f.Status) {
		return badRequest("وضعیت نامعتبر است", "the status parameter is not valid")
	}
	if p := qs.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1_000_000 {
			return badRequest("شماره صفحه نامعتبر است", "the page parameter is not valid")
		}
		f.Page = n
	}
	idx, err := s.svc.ProjectIndex(q.Context(), q.actor, f, indexPage)
	if err != nil {
		return err
	}
	v := projectIndexView{ProjectIndex: idx, F: f, Kinds: domain.ProjectKinds, Lifecycles: domain.Lifecycles, Statuses: domain.RAGs}
	page := func(n int) string {
		u := url.Values{}
		for _, k := range []string{"program", "agency", "kind", "lifecycle", "status"} {
			if x := qs.Get(k); x != "" {
				u.Set(k, x)
			}
		}
		if n > 1 {
			u.Set("page", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/projects"
		}
		return "/projects?" + u.Encode()
	}
	if idx.Page > 1 {
		v.Prev = page(idx.Page - 1)
	}
	if idx.Page < idx.Pages {
		v.Next = page(idx.Page + 1)
	}
	return s.render(q, http.StatusOK, "projects", q.lang.T("projects.title"), "projects", v)
}
