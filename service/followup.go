package service

import (
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Follow-up acts: milestones and indicators (the secretariat or the
// project's lead agency), progress reports (written by the agencies on a
// project, reviewed by the secretariat), evidence, ratings and baselines.
// The parliamentary review found the earlier follow-up ran on
// self-reported, never-verified data; so an agency's report counts for
// nothing until the secretariat accepts it, and the council rates each
// project independently of the agency's own rating.

func txDay(tx *store.Tx) domain.Date { return domain.DateOf(tx.Now()) }

// seenProject returns the project if the actor may see it, or a 404
// naming field.
func seenProject(tx *store.Tx, a Actor, field, slug string) (*domain.Project, error) {
	p, err := tx.Project(slug, a.Viewer())
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, domain.NotFound(field, "project")
	}
	return p, err
}

func forbiddenAt(field, fa, en string) error {
	return &domain.Error{Kind: domain.KindForbidden, Field: field, Message: domain.T(fa, en)}
}

func notAfterToday(tx *store.Tx, field string, d *domain.Date) error {
	if d != nil && txDay(tx).Before(*d) {
		return domain.Invalid(field, "این تاریخ هنوز نرسیده است", "this date is in the future")
	}
	return nil
}
