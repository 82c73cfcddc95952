package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestSearchPage: the portal's search finds a project typed with Arabic
// letter forms, a half-space typed as a space or left out, in Persian and
// English, marks the matched words, counts the kinds in the page's digits,
// says why a query is refused beside the box in each language, and never
// finds the confidential project, not even by its exact title.
func TestSearchPage(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			q := func(s string) string { return "/search?q=" + url.QueryEscape(s) }
			for query, slug := range map[string]string{
				"سيستم ماليات الكترونيك": "e-tax", // Arabic yeh and kaf
				"بهره برداری ستاد":       "setad", // the half-space typed as a space
				"بهرهبرداری ستاد":        "setad", // and left out
				"سلامت هوشمند":           "smart-health",
				"سَلامت":                 "smart-health", // a diacritic
			} {
				for _, lang := range []string{"fa", "en"} {
					r := env.Page("", q(query), lang)
					r.CheckPage(t, http.StatusOK, lang)
					if !strings.Contains(r.Text(), `href="/projects/`+slug+`"`) {
						t.Errorf("%s (%s): no link to %s\n%s", query, lang, slug, scenario.Clip(r.Text()))
					}
					// (The English page shows English titles: the Persian words are marked where they are.)
					if lang == "fa" && !strings.Contains(r.Text(), "<mark>") {
						t.Errorf("%s (%s): nothing marked", query, lang)
					}
				}
			}
			fa := env.Page("", q("سلامت"), "fa").Text()
			if !strings.Contains(fa, "نتیجه") || strings.ContainsAny(tagRE.ReplaceAllString(between(fa, `class="search-kinds"`, "</ul>"), " "), "0123456789") {
				t.Errorf("the Persian page's counts are not in Persian digits:\n%s", scenario.Clip(between(fa, `class="search-kinds"`, "</ul>")))
			}
			if en := env.Page("", q("سلامت"), "en").Text(); !strings.Contains(en, "Project <span class=\"count\">") {
				t.Errorf("the English page does not name the kinds:\n%s", scenario.Clip(en))
			}
			// The confidential project: by its exact title, its slug, its
			// English title — nothing, in either language.
			for _, query := range confidential {
				for _, lang := range []string{"fa", "en"} {
					r := env.Page("", q(query), lang)
					r.CheckPage(t, http.StatusOK, lang)
					body := strings.ReplaceAll(r.Text(), html.EscapeString(query), "")
					body = strings.ReplaceAll(body, url.QueryEscape(query), "")
					if strings.Contains(r.Text(), `href="/projects/anti-smuggling"`) {
						t.Errorf("%s (%s): the confidential project is linked", query, lang)
					}
					for _, c := range confidential {
						if strings.Contains(body, c) || strings.Contains(body, html.EscapeString(c)) {
							t.Errorf("%s (%s): the confidential project is found (%s):\n%s", query, lang, c, scenario.Clip(between(r.Text(), "search-results", "</section>")))
						}
					}
				}
			}
			// Refused: too short, beside the box, in each language.
			for lang, msg := range map[string]string{"fa": "کوتاه است", "en": "too short"} {
				r := env.Page("", q("ا"), lang)
				r.CheckPage(t, http.StatusUnprocessableEntity, lang)
				if got, marked := fieldError(r.Text(), "search-q"); !strings.Contains(got, msg) || !marked {
					t.Errorf("%s: beside the box %q (marked %v)", lang, got, marked)
				}
			}
			// No query: the form and a hint.
			for _, lang := range []string{"fa", "en"} {
				r := env.Page("", "/search", lang)
				r.CheckPage(t, http.StatusOK, lang)
				if !strings.Contains(r.Text(), `id="search-q"`) {
					t.Errorf("%s: no search box", lang)
				}
			}
			// The header's box on every page sends to /search.
			if home := env.Page("", "/", "fa").Text(); !strings.Contains(home, `action="/search"`) {
				t.Error("the header has no search box")
			}
		})
	}
}

// TestStaffSearch: the workspace's search finds what the signed-in person
// may see — the secretariat the confidential project — and is not the
// public's.
func TestStaffSearch(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			path := "/staff/search?q=" + url.QueryEscape("سامانه مبارزه با قاچاق")
			for _, lang := range []string{"fa", "en"} {
				r := se.Page(se.SignIn("sec"), path, lang)
				r.CheckPage(t, http.StatusOK, lang)
				if !strings.Contains(r.Text(), `href="/projects/anti-smuggling"`) {
					t.Errorf("%s: the secretariat does not find the confidential project\n%s", lang, scenario.Clip(r.Text()))
				}
			}
			if r := se.Page(se.SignIn("reader1"), path, "fa"); strings.Contains(r.Text(), "/projects/anti-smuggling") {
				t.Error("a reader finds the confidential project")
			}
			if r := se.Page("", path, "fa"); r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
				t.Errorf("the public at the staff search: %d", r.Status)
			}
		})
	}
}

// TestRegistrySimilarTitle: a new project whose title repeats a recorded
// one but for Arabic letter forms and a half-space is held back with a
// warning naming the recorded one, and recorded once confirmed.
func TestRegistrySimilarTitle(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for _, lang := range []string{"fa", "en"} {
				nv := formValues(t, se.Page(se.SignIn("sec"), "/staff/projects/new", lang))
				nv.Set("slug", "tax-again-"+lang)
				nv.Set("title_fa", "بهره برداري از سيستم ماليات الكترونيك") // e-tax's title, typed otherwise
				r := se.Form(se.SignIn("sec"), "/staff/projects/new?lang="+lang, nv, nil)
				r.CheckPage(t, http.StatusOK, lang)
				if !strings.Contains(r.Text(), `id="similar"`) || !strings.Contains(r.Text(), `href="/staff/projects/e-tax"`) {
					t.Fatalf("%s: no warning naming e-tax\n%s", lang, scenario.Clip(r.Text()))
				}
				if _, err := se.svc.Project(se.Ctx, service.System, "tax-again-"+lang); err == nil {
					t.Fatalf("%s: recorded before it was confirmed", lang)
				}
				v := formValues(t, r)
				v.Set("confirm_similar", "1")
				se.Form(se.SignIn("sec"), "/staff/projects/new?lang="+lang, v, nil).RedirectsTo(t, "/staff/projects/tax-again-"+lang+"/edit?saved=1")
			}
		})
	}
}

// between is the part of s from the first from to the next to after it.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
