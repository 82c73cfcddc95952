package service

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/textnorm"
)

// Search: the registry's records found by their words, in the database's
// own full-text index (store/search.go), the query folded by the same
// function as the indexed text (textnorm), so «سلامت هوشمند» typed on an
// Arabic keyboard, with a half-space or with Persian digits finds what it
// means.

// SearchScope says whose search it is.
type SearchScope string

const (
	// SearchPublic reads as the public: projects, programs, decisions,
	// agencies and laws, nothing confidential, whoever asks.
	SearchPublic SearchScope = "public"
	// SearchStaff reads as the signed-in actor, with reports and actions
	// too, each as the actor may see it.
	SearchStaff SearchScope = "staff"
)

// Search kinds (the index's).
const (
	KindProject  = store.SearchProject
	KindProgram  = store.SearchProgram
	KindDecision = store.SearchDecision
	KindAgency   = store.SearchAgency
	KindLaw      = store.SearchLaw
	KindReport   = store.SearchReport
	KindAction   = store.SearchAction
)

// PublicSearchKinds are what the public can find; staff find StaffSearchKinds.
var (
	PublicSearchKinds = []string{KindProject, KindProgram, KindDecision, KindAgency, KindLaw}
	StaffSearchKinds  = append(slices.Clone(PublicSearchKinds), KindReport, KindAction)
)

// Bounds of a query.
const (
	SearchMinRunes     = 2   // a query's folded letters and digits, at least
	SearchMaxRunes     = 200 // a query's length as typed, at most
	SearchMaxTerms     = 8   // words searched; more are dropped
	SearchDefaultLimit = 20
	SearchMaxLimit     = 50
	snippetWidth       = 160 // runes of a body shown around its first match
)

// SearchRequest is one search.
type SearchRequest struct {
	Query  string
	Scope  SearchScope
	Kind   string // one kind only; "" for all of the scope's
	Limit  int    // 0: SearchDefaultLimit
	Cursor string // the previous page's Next
}

// SearchHit is one record found: its kind, key, title and a snippet of its
// text in both languages, the matched words marked (spans keep the text
// as written; textnorm.HTML escapes it, then marks).
type SearchHit struct {
	Kind    string
	Ref     string // slug, code or id
	Title   domain.Text
	TitleFA []textnorm.Span
	TitleEN []textnorm.Span
	FA, EN  []textnorm.Span // snippets of the body
	Link    string          // the record's page on the site, "" when it has none
}

// SearchResult is a page of hits, best first, with how many there are of
// each kind of the scope (Counts) and the cursor of the next page ("" at
// the end).
type SearchResult struct {
	Query  string
	Terms  []string
	Kinds  []string // the scope's kinds, in order
	Counts map[string]int
	Total  int // of the kind asked for (all of the scope's when none)
	// Capped: the query matched more than store.SearchCap records; only
	// the first SearchCap were ranked and counted.
	Capped bool
	Hits   []SearchHit
	Next   string
}

// SearchCap is how many matches a search ranks and counts at most.
const SearchCap = store.SearchCap

// SearchTerms folds a query into the words searched, refusing one too
// short or too long (the error names q).
func SearchTerms(query string) ([]string, error) {
	if utf8.RuneCountInString(query) > SearchMaxRunes {
		return nil, domain.Invalid("q", "عبارت جست‌وجو بیش از ۲۰۰ نویسه است", "the search query is longer than 200 characters")
	}
	if !utf8.ValidString(query) {
		return nil, domain.Invalid("q", "عبارت جست‌وجو نویسه نادرست دارد", "the search query holds invalid characters")
	}
	terms := textnorm.Words(query)
	n := 0
	for _, t := range terms {
		n += utf8.RuneCountInString(t)
	}
	if n < SearchMinRunes {
		return nil, domain.Invalid("q", "عبارت جست‌وجو کوتاه است: دست‌کم دو حرف یا رقم بنویسید",
			"the search query is too short: type at least two letters or digits")
	}
	terms = slices.Compact(terms)
	if len(terms) > SearchMaxTerms {
		terms = terms[:SearchMaxTerms]
	}
	return terms, nil
}

// Search finds records by their words. The public scope reads as the
// public whoever asks; the staff scope needs a signed-in actor and reads as
// that actor.
func (s *Service) Search(ctx context.Context, a Actor, r SearchRequest) (*SearchResult, error) {
	viewer, kinds := domain.Viewer{}, PublicSearchKinds
	switch r.Scope {
	case SearchPublic, "":
	case SearchStaff:
		if a.Role == RoleAnonymous {
			return nil, domain.Unauthorized()
		}
		viewer, kinds = a.Viewer(), StaffSearchKinds
	default:
		return nil, domain.Invalid("scope", "دامنه جست‌وجو public یا staff است", "the search scope is public or staff")
	}
	terms, err := SearchTerms(r.Query)
	if err != nil {
		return nil, err
	}
	if r.Kind != "" && !slices.Contains(kinds, r.Kind) {
		return nil, domain.Invalid("kind", "نوع نتیجه یکی از "+strings.Join(kinds, "، ")+" است",
			"the kind is one of "+strings.Join(kinds, ", "))
	}
	limit := r.Limit
	switch {
	case limit == 0:
		limit = SearchDefaultLimit
	case limit < 0 || limit > SearchMaxLimit:
		return nil, domain.Invalid("limit", "اندازه صفحه از ۱ تا ۵۰ است", "limit is from 1 to 50")
	}
	offset := 0
	if r.Cursor != "" {
		n, err := strconv.Atoi(r.Cursor)
		if err != nil || n < 0 || n > 10000 {
			return nil, domain.Invalid("cursor", "cursor نامعتبر است", "invalid cursor")
		}
		offset = n
	}
	out := &SearchResult{Query: r.Query, Terms: terms, Kinds: kinds}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		hits, counts, capped, err := tx.Search(store.SearchQuery{Terms: terms, Kinds: kinds, Only: r.Kind, Viewer: viewer,
			Limit: limit + 1, Offset: offset})
		if err != nil {
			return err
		}
		out.Counts, out.Capped = counts, capped
		for _, k := range kinds {
			if r.Kind == "" || r.Kind == k {
				out.Total += counts[k]
			}
		}
		if len(hits) > limit {
			hits = hits[:limit]
			out.Next = strconv.Itoa(offset + limit)
		}
		out.Hits = make([]SearchHit, len(hits))
		for i, h := range hits {
			out.Hits[i] = SearchHit{Kind: h.Kind, Ref: h.Ref, Title: h.Title,
				TitleFA: textnorm.Snippet(h.Title.FA, terms, 400), TitleEN: textnorm.Snippet(h.Title.EN, terms, 400),
				FA: textnorm.Snippet(h.Body.FA, terms, snippetWidth), EN: textnorm.Snippet(h.Body.EN, terms, snippetWidth),
				Link: SearchLink(h.Kind, h.Ref)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SearchLink is the site's page of a record a search found.
func SearchLink(kind, ref string) string {
	switch kind {
	case KindProject:
		return "/projects/" + ref
	case KindProgram:
		return "/programs/" + ref
	case KindDecision:
		return "/decisions"
	case KindAgency:
		return "/agencies/" + ref
	case KindReport:
		return "/staff/reports/" + ref
	case KindAction:
		return "/staff/actions/" + ref + "/redate"
	}
	return ""
}

// SimilarProject is a recorded project whose title is, or nearly is, a
// title about to be recorded.
type SimilarProject struct {
	Slug  string
	Title domain.Text
}

// SimilarProjects lists the projects the actor may see whose title is the
// same as title once folded — differing only in letter forms, half-spaces,
// spacing, punctuation, diacritics or digit sets — or one slip away from it
// (textnorm.Near), except the project except. What the warning before a
// new project rests on; a project the actor may not see is never named.
func (s *Service) SimilarProjects(ctx context.Context, a Actor, title domain.Text, except string) ([]SimilarProject, error) {
	keyFA, keyEN := textnorm.Squash(title.FA), textnorm.Squash(title.EN)
	if keyFA == "" && keyEN == "" {
		return nil, nil
	}
	terms := textnorm.Words(title.FA)
	if len(terms) == 0 {
		terms = textnorm.Words(title.EN)
	}
	terms = slices.Compact(terms)
	if len(terms) > SearchMaxTerms {
		terms = terms[:SearchMaxTerms]
	}
	var out []SimilarProject
	err := s.db.View(ctx, func(tx *store.Tx) error {
		cands, err := tx.SimilarProjectTitles(keyFA, keyEN, terms, a.Viewer(), 10)
		if err != nil {
			return err
		}
		for _, c := range cands {
			if c.Slug == except {
				continue
			}
			if c.Exact || textnorm.Near(keyFA, c.KeyFA) || textnorm.Near(keyEN, c.KeyEN) {
				out = append(out, SimilarProject{Slug: c.Slug, Title: c.Title})
			}
		}
		return nil
	})
	return out, err
}
