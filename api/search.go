package api

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/textnorm"
)

// Search over the registry (service.Search): GET /api/v1/search?q=.

func (s *Server) searchRoutes() []Route {
	return []Route{{"GET", "/api/v1/search", s.search}}
}

// searchAnswer is a page of search hits as the API shows it.
type searchAnswer struct {
	Query      string         `json:"query"`
	Scope      string         `json:"scope"`  // public | staff
	Terms      []string       `json:"terms"`  // the query's words as matched (folded)
	Total      int            `json:"total"`  // hits of the kind asked for, or of every kind
	Capped     bool           `json:"capped"` // more matched than were ranked and counted (service.SearchCap)
	Counts     map[string]int `json:"counts"`
	Items      []searchItem   `json:"items"`
	NextCursor *string        `json:"next_cursor"`
}

// searchItem is one hit: the title and a snippet of the record's text in
// both languages, as plain text and as HTML (escaped, the matched words in
// <mark>), and the record's page on the site.
type searchItem struct {
	Kind        string      `json:"kind"`
	Ref         string      `json:"ref"`
	Title       domain.Text `json:"title"`
	TitleHTML   domain.Text `json:"title_html"`
	Snippet     domain.Text `json:"snippet"`
	SnippetHTML domain.Text `json:"snippet_html"`
	URL         *string     `json:"url"` // null for a record with no page
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	q := r.URL.Query()
	scope := service.SearchPublic
	if a.Role != service.RoleAnonymous {
		scope = service.SearchStaff
	}
	switch q.Get("scope") {
	case "":
	case "public":
		scope = service.SearchPublic
	case "staff":
		scope = service.SearchStaff
	default:
		return badRequest("scope", "scope یکی از public و staff است", "scope is public or staff")
	}
	req := service.SearchRequest{Query: q.Get("q"), Scope: scope, Kind: q.Get("kind")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > service.SearchMaxLimit {
			return badRequest("limit", "limit باید عددی بین ۱ و ۵۰ باشد", "limit must be a number from 1 to 50")
		}
		req.Limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil {
			return badRequest("cursor", "cursor نامعتبر است", "invalid cursor")
		}
		req.Cursor = string(b)
	}
	res, err := s.svc.Search(r.Context(), a, req)
	if err != nil {
		return err
	}
	out := searchAnswer{Query: res.Query, Scope: string(scope), Terms: res.Terms, Total: res.Total, Capped: res.Capped,
		Counts: map[string]int{}, Items: make([]searchItem, len(res.Hits))}
	for _, k := range res.Kinds {
		out.Counts[k] = res.Counts[k]
	}
	base := s.baseURL(r)
	for i, h := range res.Hits {
		it := searchItem{Kind: h.Kind, Ref: h.Ref, Title: h.Title,
			TitleHTML:   domain.T(textnorm.HTML(h.TitleFA), textnorm.HTML(h.TitleEN)),
			Snippet:     domain.T(textnorm.Plain(h.FA), textnorm.Plain(h.EN)),
			SnippetHTML: domain.T(textnorm.HTML(h.FA), textnorm.HTML(h.EN))}
		if h.Link != "" {
			u := base + h.Link
			it.URL = &u
		}
		out.Items[i] = it
	}
	if res.Next != "" {
		c := encodeCursor(res.Next)
		out.NextCursor = &c
	}
	return writeJSON(w, r, http.StatusOK, out, 0)
}

// similarProjects names, for the Pishran-Similar header of a new project's
// 201, the projects the writer may see whose title is the same once folded
// or one slip from it (service.SimilarProjects): a warning, not a refusal.
func similarProjects(svc *service.Service) func(ctx context.Context, a service.Actor, p *domain.Project) string {
	return func(ctx context.Context, a service.Actor, p *domain.Project) string {
		sim, err := svc.SimilarProjects(ctx, a, p.Title, p.Slug)
		if err != nil || len(sim) == 0 {
			return ""
		}
		slugs := make([]string, len(sim))
		for i, x := range sim {
			slugs[i] = x.Slug
		}
		return strings.Join(slugs, ", ")
	}
}
