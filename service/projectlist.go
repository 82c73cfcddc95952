package service

import (
	"context"
	"encoding/json"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// The API's project list (issue 12) is answered from projects kept
// encoded: each project as one viewer sees it, in the bytes encoding/json
// writes for it, kept for the registry generation it was read in. A page
// is then one statement on the indexes for its slugs (store.ProjectKeys)
// and, for the projects not kept yet, one statement reading them whole —
// whatever the page, the filter or the cursor, since a project is kept
// once, not once per page it appears on.

// projectJSONKey is one project as one viewer sees it.
type projectJSONKey struct {
	slug   string
	viewer domain.Viewer
}

// projectJSONBudget bounds the bytes of encoded projects kept: a national
// registry's 10,000 projects, about 1 KB each, as the public sees them.
const projectJSONBudget = 16 << 20

func newProjectJSONCache() *budgetCache[projectJSONKey, []byte] {
	return newBudgetCache[projectJSONKey](projectJSONBudget, func(b []byte) int { return len(b) + len(b)/8 + 64 })
}

// ProjectsJSON is the page Projects returns, each project encoded as JSON
// (what encoding/json writes for its *domain.Project), with the projects'
// slugs: the page's cursor keys. The bytes are shared with other callers
// and must not be changed.
func (s *Service) ProjectsJSON(ctx context.Context, a Actor, f domain.ProjectFilter, p domain.Page) (items [][]byte, slugs []string, err error) {
	v := a.Viewer()
	err = s.db.View(ctx, func(tx *store.Tx) error {
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		keys, err := tx.ProjectKeys(f, v, p)
		if err != nil {
			return err
		}
		items, slugs = make([][]byte, len(keys)), make([]string, len(keys))
		var missing []int64
		for i, k := range keys {
			slugs[i] = k.Slug
			if b, ok := s.projectJSON.Get(generation(gen), projectJSONKey{k.Slug, v}); ok {
				items[i] = b
			} else {
				missing = append(missing, k.ID)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		ps, err := tx.ProjectsByID(missing)
		if err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		r.gen = &gen // the directory, if a link needs it, at the generation read above
		ps = r.projects(ps)
		if err := r.Err(); err != nil {
			return err
		}
		read := make(map[string][]byte, len(ps))
		for _, p := range ps {
			b, err := json.Marshal(p)
			if err != nil {
				return err
			}
			read[p.Slug] = b
			s.projectJSON.Put(generation(gen), projectJSONKey{p.Slug, v}, b)
		}
		for i := range items {
			if items[i] == nil {
				items[i] = read[slugs[i]]
			}
		}
		return nil
	})
	return items, slugs, err
}
