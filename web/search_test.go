package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
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
					r := env.get(q(query), lang)
					checkPage(t, r, http.StatusOK, lang)
					if !strings.Contains(r.text(), `href="/projects/`+slug+`"`) {
						t.Errorf("%s (%s): no link to %s\n%s", query, lang, slug, clip(r.text()))
					}
					if !strings.Contains(r.text(), "<mark>") {
						t.Errorf("%s (%s): nothing marked", query, lang)
					}
				}
			}
			fa := env.get(q("سلامت"), "fa").text()
			if !strings.Contains(fa, "نتیجه") || strings.ContainsAny(tagRE.ReplaceAllString(between(fa, `class="search-kinds"`, "</ul>"), " "), "0123456789") {
				t.Errorf("the Persian page's counts are not in Persian digits:\n%s", clip(between(fa, `class="search-kinds"`, "</ul>")))
			}
			if en := env.get(q("سلامت"), "en").text(); !strings.Contains(en, "Project <span class=\"count\">") {
				t.Errorf("the English page does not name the kinds:\n%s", clip(en))
			}
			// The confidential project: by its exact title, its slug, its
			// English title — nothing, in either language.
			for _, query := range confidential {
				for _, lang := range []string{"fa", "en"} {
					r := env.get(q(query), lang)
					checkPage(t, r, http.StatusOK, lang)
					body := strings.ReplaceAll(r.text(), html.EscapeString(query), "")
					body = strings.ReplaceAll(body, url.QueryEscape(query), "")
					if strings.Contains(r.text(), `href="/projects/anti-smuggling"`) {
						t.Errorf("%s (%s): the confidential project is linked", query, lang)
					}
					for _, c := range confidential {
						if strings.Contains(body, c) || strings.Contains(body, html.EscapeString(c)) {
							t.Errorf("%s (%s): the confidential project is found (%s):\n%s", query, lang, c, clip(between(r.text(), "search-results", "</section>")))
						}
					}
				}
			}
			// Refused: too short, beside the box, in each language.
			for lang, msg := range map[string]string{"fa": "کوتاه است", "en": "too short"} {
				r := env.get(q("ا"), lang)
				checkPage(t, r, http.StatusUnprocessableEntity, lang)
				if got, marked := fieldError(r.text(), "search-q"); !strings.Contains(got, msg) || !marked {
					t.Errorf("%s: beside the box %q (marked %v)", lang, got, marked)
				}
			}
			// No query: the form and a hint.
			for _, lang := range []string{"fa", "en"} {
				r := env.get("/search", lang)
				checkPage(t, r, http.StatusOK, lang)
				if !strings.Contains(r.text(), `id="search-q"`) {
					t.Errorf("%s: no search box", lang)
				}
			}
			// The header's box on every page sends to /search.
			if home := env.get("/", "fa").text(); !strings.Contains(home, `action="/search"`) {
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
				r := se.as(t, "sec", path, lang)
				checkPage(t, r, http.StatusOK, lang)
				if !strings.Contains(r.text(), `href="/projects/anti-smuggling"`) {
					t.Errorf("%s: the secretariat does not find the confidential project\n%s", lang, clip(r.text()))
				}
			}
			if r := se.as(t, "reader1", path, "fa"); strings.Contains(r.text(), "/projects/anti-smuggling") {
				t.Error("a reader finds the confidential project")
			}
			if r := se.as(t, "", path, "fa"); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusFound {
				t.Errorf("the public at the staff search: %d", r.StatusCode)
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
				nv := formValues(t, se.as(t, "sec", "/staff/projects/new", lang))
				nv.Set("slug", "tax-again-"+lang)
				nv.Set("title_fa", "بهره برداري از سيستم ماليات الكترونيك") // e-tax's title, typed otherwise
				r := se.post(t, "sec", "/staff/projects/new?lang="+lang, nv, nil)
				checkPage(t, r, http.StatusOK, lang)
				if !strings.Contains(r.text(), `id="similar"`) || !strings.Contains(r.text(), `href="/staff/projects/e-tax"`) {
					t.Fatalf("%s: no warning naming e-tax\n%s", lang, clip(r.text()))
				}
				if _, err := se.svc.Project(se.Ctx, service.System, "tax-again-"+lang); err == nil {
					t.Fatalf("%s: recorded before it was confirmed", lang)
				}
				v := formValues(t, r)
				v.Set("confirm_similar", "1")
				redirectTo(t, se.post(t, "sec", "/staff/projects/new?lang="+lang, v, nil), "/staff/projects/tax-again-"+lang+"/edit?saved=1")
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
