package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/pishran/pishran/domain"
)

//go:embed templates
var templateFS embed.FS

// Shared templates every page is parsed with: the layout, the portal's
// parts and the staff workspace's.
var sharedTemplates = []string{"templates/layout.html", "templates/parts.html", "templates/fate.html", "templates/staff/widgets.html",
	"templates/staff/registry_parts.html", "templates/exchange_parts.html", "templates/follow_parts.html"}

// funcs are the template functions, bound to one language, so templates
// say {{t "key"}} and get the page's language without passing it around.
func (s *Site) funcs(l Lang) template.FuncMap {
	funcs := template.FuncMap{
		// t: a catalog message, with {0}… replaced by the arguments.
		"t": l.T,
		// tn: a catalog message for a count (key.one / key.other).
		"tn": l.N,
		// text: a bilingual record text in the page's language.
		"text": l.Text,
		// num: a number in the page's digits.
		"num": l.Num,
		// optnum: a number the records may not know (*int).
		"optnum": l.optNum,
		// date: a day as <time>, Jalali in Persian; nil is "date unknown".
		"date": l.dateHTML,
		// stamp: an instant as <time>.
		"stamp": l.stampHTML,
		// fieldref: a refused field's name and input (form_fields.go).
		"fieldref": l.fieldRef,
		// reasonfields: a re-dating's or cancelling's fields (reason-fields).
		"reasonfields": newReasonFields,
		// digits: ASCII digits of a string as the page's digits.
		"digits": l.Digits,
		// label: an enumerated value's name (group.value in the catalog).
		"label": l.label,
		// reason: a leave reason in the page's language.
		"reason": func(r any) string { return l.Text(domain.LeaveReason(fmt.Sprint(r)).Text()) },
		// term: a program's government, by the term's recorded name.
		"term": l.termName,
		// isZero: whether a bilingual text is empty in both languages.
		"isZero": func(t domain.Text) bool { return t.IsZero() },
		// deref: the text a *Text points to.
		"deref": func(t *domain.Text) domain.Text {
			if t == nil {
				return domain.Text{}
			}
			return *t
		},
		"sub": func(a, b int) int { return a - b },
		// json: a value as JSON text, for a data- attribute a script reads
		// (the template escapes it for the attribute).
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		// asset: the hashed URL of a static file.
		"asset": s.assets.url,
		// pct: n as a share of of, 0–100, for bar lengths.
		"pct": func(n, of int) int {
			if of <= 0 || n <= 0 {
				return 0
			}
			return min(100, n*100/of)
		},
		"isRTL": func() bool { return l == FA },
		// period: a reporting month (YYYY-MM), with its Jalali days in Persian.
		"period": l.periodHTML,
		// who and agency name an actor id and an agency code (names.go).
		"who":     func(id string) template.HTML { return s.who(l, id) },
		"agency":  func(code string) template.HTML { return s.agencyName(l, code) },
		"whoName": func(id string) string { return s.whoName(l, id) },
		// rulet: a designation rule's title.
		"rulet": func(id string) string { return ruleTitle(l, id) },
		// agendaReason: why an item is on a meeting's agenda.
		"agendaReason": func(r domain.AgendaReason) string { return l.Text(r.Text()) },
		// str: a value as its string (an enum's code).
		"str": func(v any) string { return fmt.Sprint(v) },
		// num64: a whole number of any width, or a pointer to one, in the
		// page's digits; nil is "unknown".
		"num64": l.anyNum,
		// fnum: a decimal number (or a pointer to one), at most one decimal.
		"fnum": l.fnum,
		// has: whether a list of strings holds s.
		"has": func(list []string, s string) bool { return slices.Contains(list, s) },
		// add: a + b.
		"add": func(a, b int) int { return a + b },
		// seal: how to check a record published under a code (seal.go).
		"seal": sealOf,
		// actionItem, actionStatus, projectLink: an action as its list
		// item, its status, a link to a project (follow_actions_html.go).
		"actionItem":   l.actionItemHTML,
		"actionStatus": l.actionStatusHTML,
		"projectLink":  l.projectLinkHTML,
		// cite: a source as a citation with its link (citations.go).
		"cite": l.cite,
	}
	maps.Copy(funcs, fusedFuncs(funcs)) // templates_fold.go
	return funcs
}

// parseTemplates parses every page template with the shared ones, once per
// language.
func (s *Site) parseTemplates() (map[Lang]map[string]*template.Template, error) {
	pages, err := pageTemplates()
	if err != nil {
		return nil, err
	}
	out := map[Lang]map[string]*template.Template{}
	for _, l := range Langs {
		out[l] = map[string]*template.Template{}
		funcs := s.funcs(l)
		shared, err := sharedNames(funcs)
		if err != nil {
			return nil, err
		}
		f, err := s.newFolder(l)
		if err != nil {
			return nil, err
		}
		for _, p := range pages {
			t, err := template.New(path.Base(p)).Funcs(funcs).ParseFS(templateFS, append(sharedTemplates, p)...)
			if err != nil {
				return nil, err
			}
			if t, err = prunePage(t, funcs, shared); err != nil {
				return nil, err
			}
			if err := f.fold(t); err != nil {
				return nil, err
			}
			out[l][pageName(p)] = t
		}
	}
	return out, nil
}

// pageName is the name a page is rendered by: the file's path under
// templates/ without .html ("home", "staff/meeting").
func pageName(p string) string {
	return strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
}

// pageTemplates lists the page templates: every template file, the
// portal's and the staff workspace's, that is not shared.
func pageTemplates() ([]string, error) {
	all, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	staff, err := fs.Glob(templateFS, "templates/staff/*.html")
	if err != nil {
		return nil, err
	}
	all = append(all, staff...)
	var pages []string
	for _, p := range all {
		shared := false
		for _, sh := range sharedTemplates {
			shared = shared || sh == p
		}
		if !shared {
			pages = append(pages, p)
		}
	}
	return pages, nil
}

// hxAttr is an htmx attribute in a template.
var hxAttr = regexp.MustCompile(`\shx-[a-z-]+=`)

// htmxPages are the pages whose own template uses htmx: only they load it
// (layout.html), so a page that does not use it does not pay its 16 KB.
var htmxPages = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	pages, _ := pageTemplates()
	for _, p := range pages {
		if b, err := templateFS.ReadFile(p); err == nil && hxAttr.Match(b) {
			out[pageName(p)] = true
		}
	}
	return out
})
