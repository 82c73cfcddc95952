package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// The law form: a law with its number, approval and articles — the
// mandates of projects name a law and one of its articles — and its
// sources. It calls service.CreateLaw and service.UpdateLaw.

func lawEditURL(slug string) string { return "/staff/laws/" + url.PathEscape(slug) + "/edit" }

func (s *Site) lawForm(q *req, law *domain.Law, isNew bool) *regForm {
	l := q.lang
	f := &regForm{Version: law.Version, Submit: l.T("registry.save"), Back: registryBack()}
	rec := &section{ID: sectionID("record"), Legend: l.T("registry.record")}
	if isNew {
		f.Heading, f.Action = l.T("registry.law_new"), "/staff/laws/new"
		slug := textField("slug", l.T("registry.slug"))
		slug.Value, slug.Dir, slug.Required, slug.Hint = law.Slug, "ltr", true, l.T("registry.slug_hint")
		rec.Fields = append(rec.Fields, slug)
	} else {
		f.Heading, f.Action, f.Current = l.T("registry.law_edit", l.Text(law.Title)), lawEditURL(law.Slug), lawEditURL(law.Slug)
		f.Delete = newDeleteForm(l, "law", "/staff/laws/"+url.PathEscape(law.Slug)+"/delete", law.Version)
	}
	title := bilingual(l, "title", l.T("registry.title_field"), law.Title, false)
	title[0].Required = true
	rec.Fields = append(rec.Fields, title...)
	num := textField("number", l.T("registry.law_number"))
	num.Value = l.Digits(law.Number)
	rec.Fields = append(rec.Fields, num, dateField(l, "approved", l.T("registry.law_approved"), law.Approved))
	rec.Fields = append(rec.Fields, bilingual(l, "approving_body", l.T("registry.approving_body"), law.ApprovingBody, false)...)
	arts := &section{ID: sectionID("articles"), Path: "articles", Legend: l.T("registry.articles"), Hint: l.T("registry.articles_hint"),
		RowsName: "articles_rows"}
	for i := range len(law.Articles) + blankRows {
		var a domain.Article
		if i < len(law.Articles) {
			a = law.Articles[i]
		}
		k := "articles[" + strconv.Itoa(i) + "]"
		n := textField(k+".number", l.T("registry.article_number"))
		n.Value = l.Digits(a.Number)
		arts.Rows = append(arts.Rows, &row{Legend: l.T("registry.article_n", i+1),
			Fields: append([]*field{n}, bilingual(l, k+".text", l.T("registry.article_text"), a.Text, true)...)})
	}
	f.Sections = []*section{rec, arts, sourceRows(l, "sources", law.Sources)}
	return f
}

func readLaw(q *req, slug string) (*domain.Law, error) {
	law := &domain.Law{Slug: slug, Title: formText(q, "title"), Number: strings.TrimSpace(digitsASCII(q.PostFormValue("number"))),
		ApprovingBody: formText(q, "approving_body"), Sources: readSources(q, "sources")}
	if slug == "" {
		law.Slug = strings.TrimSpace(q.PostFormValue("slug"))
	} else {
		law.Version = postedVersion(q)
	}
	for i := range rowCount(q, "articles_rows") {
		k := "articles[" + strconv.Itoa(i) + "]"
		a := domain.Article{Number: strings.TrimSpace(digitsASCII(q.PostFormValue(k + ".number"))), Text: formText(q, k+".text")}
		if a.Number == "" && a.Text.IsZero() {
			continue
		}
		law.Articles = append(law.Articles, a)
	}
	var err error
	law.Approved, err = readDate(q, "approved")
	return law, err
}

func (s *Site) lawNew(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	return s.renderForm(q, s.lawForm(q, &domain.Law{}, true), "registry")
}

func (s *Site) lawCreate(q *req) error { return s.lawPost(q, true) }
func (s *Site) lawUpdate(q *req) error { return s.lawPost(q, false) }

func (s *Site) lawPost(q *req, isNew bool) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	slug := ""
	if !isNew {
		old, err := s.svc.Law(q.Context(), q.PathValue("slug"))
		if err != nil {
			return err
		}
		slug = old.Slug
	}
	law, err := readLaw(q, slug)
	if err == nil {
		if isNew {
			err = s.svc.CreateLaw(q.Context(), q.actor, law)
		} else {
			err = s.svc.UpdateLaw(q.Context(), q.actor, law)
		}
	}
	if err != nil {
		f := s.lawForm(q, law, isNew)
		if err := s.refuse(q, f, err); err != nil {
			return err
		}
		return s.renderForm(q, f, "registry")
	}
	return redirect(q, lawEditURL(law.Slug)+"?saved=1")
}

func (s *Site) lawEdit(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	law, err := s.svc.Law(q.Context(), q.PathValue("slug"))
	if err != nil {
		return err
	}
	f := s.lawForm(q, law, false)
	if q.URL.Query().Get("saved") != "" {
		f.Notice = q.lang.T("registry.saved")
	}
	return s.renderForm(q, f, "registry")
}
