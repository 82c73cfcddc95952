package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/textnorm"
)

// The search page: GET /search on the portal (read as the public, whoever
// is signed in: a confidential project is never found there) and GET
// /staff/search in the workspace (read as the signed-in person, with
// reports and actions too). A plain GET form: it works without
// JavaScript.

// searchKindView is one kind of result with its count, a link that keeps
// the query and shows that kind only.
type searchKindView struct {
	Kind    string
	Count   int
	Href    string
	Current bool
}

// searchHitView is one hit as the page lists it; Title and Snippet are
// HTML built by textnorm.HTML (every piece escaped, then the matched words
// marked).
type searchHitView struct {
	Kind    string
	Title   template.HTML
	Snippet template.HTML
	Link    string
}

type searchView struct {
	Action string // the form's address: /search or /staff/search
	Query  string
	Kind   string
	Error  string // why the query was refused, in the page's language
	Asked  bool   // a query was given (even a refused one)
	All    string // the link to every kind
	Total  int
	Capped bool // more matched than were ranked (service.SearchCap)
	Cap    int
	Kinds  []searchKindView
	Hits   []searchHitView
	Next   string // the next page's address
}

// searchPage is the portal's search.
func (s *Site) searchPage(q *req) error {
	return s.searchAs(q, service.Anonymous, service.SearchPublic, "/search")
}

// staffSearch is the workspace's search.
func (s *Site) staffSearch(q *req) error {
	return s.searchAs(q, q.actor, service.SearchStaff, "/staff/search")
}

func (s *Site) searchAs(q *req, a service.Actor, scope service.SearchScope, action string) error {
	params := q.URL.Query()
	v := searchView{Action: action, Query: params.Get("q"), Kind: params.Get("kind")}
	status := http.StatusOK
	if v.Query != "" || params.Has("q") {
		v.Asked = true
		res, err := s.svc.Search(q.Context(), a, service.SearchRequest{Query: v.Query, Scope: scope, Kind: v.Kind, Cursor: params.Get("cursor")})
		if e, ok := domain.AsError(err); ok && e.Kind == domain.KindInvalid {
			v.Error, status = q.lang.Text(e.Message), http.StatusUnprocessableEntity
		} else if err != nil {
			return err
		} else {
			s.searchResults(q, &v, res)
		}
	}
	title := q.lang.T("search.title")
	if scope == service.SearchStaff {
		return s.renderStaff(q, status, "search", title, "search", v)
	}
	return s.render(q, status, "search", title, "search", v)
}

// searchResults fills the view from a page of hits.
func (s *Site) searchResults(q *req, v *searchView, res *service.SearchResult) {
	link := func(kind, cursor string) string {
		u := url.Values{"q": {v.Query}}
		if kind != "" {
			u.Set("kind", kind)
		}
		if cursor != "" {
			u.Set("cursor", cursor)
		}
		if q.lang == EN {
			u.Set("lang", "en")
		}
		return v.Action + "?" + u.Encode()
	}
	v.All, v.Total, v.Capped, v.Cap = link("", ""), res.Total, res.Capped, service.SearchCap
	for _, k := range res.Kinds {
		v.Kinds = append(v.Kinds, searchKindView{Kind: k, Count: res.Counts[k], Href: link(k, ""), Current: k == v.Kind})
	}
	for _, h := range res.Hits {
		title, snippet := h.TitleFA, h.FA
		if q.lang == EN {
			title, snippet = h.TitleEN, h.EN
		}
		if textnorm.Plain(title) == "" { // the other language's, rather than nothing
			title = h.TitleFA
			if q.lang == FA {
				title = h.TitleEN
			}
		}
		if textnorm.Plain(snippet) == "" {
			snippet = h.FA
			if q.lang == FA {
				snippet = h.EN
			}
		}
		v.Hits = append(v.Hits, searchHitView{Kind: h.Kind, Link: h.Link,
			Title: template.HTML(textnorm.HTML(title)), Snippet: template.HTML(textnorm.HTML(snippet))}) // #nosec: escaped by textnorm.HTML
	}
	if res.Next != "" {
		v.Next = link(v.Kind, res.Next)
	}
}
