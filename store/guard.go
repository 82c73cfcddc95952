package store

import (
	"database/sql"
	"errors"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// References to projects in writes. Every write that names a project
// resolves it here, through the transaction's guard (GuardReferences), so a
// project the writer may not see is refused exactly as a missing one.

// UnknownProject is the answer to a reference to a project that is not
// recorded — and, word for word, to one the writer may not see (see
// GuardReferences), so that writing a reference cannot probe for a
// confidential project.
func UnknownProject(field, slug string) error {
	return domain.Invalid(field, "پروژه‌ای با این شناسه ثبت نشده است: "+slug, "no project with this slug is recorded: "+slug)
}

// GuardReferences makes every reference to a project that the transaction
// writes from now on (dependencies, predecessors, successors, candidates,
// stage decisions, outcomes, actions, agenda items, follow-up records) pass
// see first: a project see refuses is answered as UnknownProject, at the
// very point a missing one would be, so the two cannot be told apart. nil
// lets every recorded project through. The service sets it from the
// writer's visibility rule.
func (t *Tx) GuardReferences(see func(*domain.ProjectEntry) bool) { t.sees = see }

// projectID resolves a reference to a project, through the guard.
func (t *Tx) projectID(field, slug string) (int64, error) {
	if t.sees == nil {
		return t.anyProjectID(field, slug)
	}
	var (
		id int64
		e  domain.ProjectEntry
	)
	err := t.row("SELECT id, slug, title_fa, title_en, confidentiality, status FROM projects WHERE slug = ?", slug).
		Scan(&id, &e.Slug, &e.Title.FA, &e.Title.EN, &e.Confidentiality, &e.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, UnknownProject(field, slug)
	}
	if err != nil {
		return 0, err
	}
	if e.Confidentiality == domain.Confidential {
		if e.Agencies, err = t.projectAgencyCodes(id); err != nil {
			return 0, err
		}
	}
	if !t.sees(&e) {
		return 0, UnknownProject(field, slug)
	}
	return id, nil
}

// projectIDs resolves a list of references to projects, through the guard.
func (t *Tx) projectIDs(slugs []string) ([]int64, error) {
	out := make([]int64, len(slugs))
	for i, s := range slugs {
		id, err := t.projectID("projects["+strconv.Itoa(i)+"]", s)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// anyProjectID resolves a reference to a project without the guard: for
// links the record already held (see KeepProjectLinks).
func (t *Tx) anyProjectID(field, slug string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM projects WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, UnknownProject(field, slug)
	}
	return id, err
}

func (t *Tx) projectAgencyCodes(id int64) ([]string, error) {
	return list(t, scanString, `SELECT a.code FROM project_agencies pa JOIN agencies a ON a.id = pa.agency_id
		WHERE pa.project_id = ? ORDER BY pa.seq`, id)
}
