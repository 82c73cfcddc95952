package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// IndexFilter is what the public project index is asked for: the
// registry's filters, a computed status, and a page (from 1).
type IndexFilter struct {
	Program   string // a member (now or once) of this list
	Agency    string // led or joined by this agency
	Kind      domain.ProjectKind
	Lifecycle domain.Lifecycle
	Status    domain.RAG
	Page      int
}

// IndexRow is one project of the index. Health is nil when the reader
// may not see the project's follow-up (a restricted project, to the
// public).
type IndexRow struct {
	Slug      string
	Title     domain.Text
	Kind      domain.ProjectKind
	Lifecycle domain.Lifecycle
	Lead      string // the lead agency's code ("" none)
	LeadName  domain.Text
	Health    *domain.Health
}

// ProjectIndex is one page of the index, with what its filter form
// offers: the lists and agencies the reader may see.
type ProjectIndex struct {
	Rows     []IndexRow
	Total    int // projects the filter keeps, on every page
	Page     int
	Pages    int
	Programs []domain.ProgramRow
	Agencies []*domain.Agency
}

// ProjectIndex reads one page of the project index in one read
// transaction. A status filter judges every project the other filters
// keep (a status is computed, not stored); without one only the page's
// projects are judged.
func (s *Service) ProjectIndex(ctx context.Context, a Actor, f IndexFilter, size int) (out *ProjectIndex, err error) {
	if f.Status != "" && !validRAG(f.Status) {
		return nil, domain.Invalid("status", "وضعیت نامعتبر است", "not a valid status")
	}
	size = max(size, 1)
	err = s.db.View(ctx, func(tx *store.Tx) error {
		out = &ProjectIndex{}
		v := a.Viewer()
		if f.Program != "" {
			if _, err := tx.Program(f.Program, v); err != nil {
				if e, ok := domain.AsError(err); ok {
					e.Field = "program"
				}
				return err
			}
		}
		rows, err := tx.IndexRows(store.IndexFilter{Program: f.Program, Agency: f.Agency, Kind: f.Kind, Lifecycle: f.Lifecycle}, v)
		if err != nil {
			return err
		}
		day := txDay(tx)
		judge := func(rs []store.IndexRow) (map[string]domain.Health, error) {
			slugs := make([]string, 0, len(rs))
			for _, r := range rs {
				if v.SeesFollowUp(&domain.ProjectEntry{Slug: r.Slug, Confidentiality: r.Confidentiality}) {
					slugs = append(slugs, r.Slug)
				}
			}
			return s.health(tx, slugs, day)
		}
		var hs map[string]domain.Health
		if f.Status != "" {
			if hs, err = judge(rows); err != nil {
				return err
			}
			kept := rows[:0]
			for _, r := range rows {
				if h, ok := hs[r.Slug]; ok && h.Status == f.Status {
					kept = append(kept, r)
				}
			}
			rows = kept
		}
		out.Total = len(rows)
		out.Pages = max(1, (len(rows)+size-1)/size)
		out.Page = min(max(f.Page, 1), out.Pages)
		lo := (out.Page - 1) * size
		rows = rows[lo:min(lo+size, len(rows))]
		if hs == nil {
			if hs, err = judge(rows); err != nil {
				return err
			}
		}
		out.Rows = make([]IndexRow, len(rows))
		for i, r := range rows {
			out.Rows[i] = IndexRow{Slug: r.Slug, Title: r.Title, Kind: r.Kind, Lifecycle: r.Lifecycle, Lead: r.Lead, LeadName: r.LeadName}
			if h, ok := hs[r.Slug]; ok {
				out.Rows[i].Health = &h
			}
		}
		if out.Programs, err = tx.Programs(v, domain.Page{Limit: 1000}); err != nil {
			return err
		}
		for ag, err := range domain.Walk(func(p domain.Page) ([]*domain.Agency, error) { return tx.Agencies(p) },
			func(a *domain.Agency) string { return a.Code }) {
			if err != nil {
				return err
			}
			out.Agencies = append(out.Agencies, ag)
		}
		return nil
	})
	return out, err
}

func validRAG(r domain.RAG) bool {
	for _, x := range domain.RAGs {
		if x == r {
			return true
		}
	}
	return false
}
