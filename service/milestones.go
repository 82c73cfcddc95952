package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Milestones lists a project's milestones.
func (s *Service) Milestones(ctx context.Context, a Actor, project string) (out []*domain.Milestone, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.Milestones(project)
		return err
	})
	return out, err
}

// CreateMilestone adds a milestone; the secretariat or the project's lead
// agency may. A milestone is marked done only by an accepted report.
func (s *Service) CreateMilestone(ctx context.Context, a Actor, m *domain.Milestone) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	if m.Actual != nil {
		return domain.Invalid("actual", "انجام نقطه عطف را گزارش پذیرفته‌شده ثبت می‌کند", "a milestone is marked done by an accepted progress report, not on creation")
	}
	m.Percent = 0
	return s.update(ctx, a, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", m.Project)
		if err != nil {
			return err
		}
		if err := a.mustOwnProject(p); err != nil {
			return err
		}
		if err := tx.InsertMilestone(m); err != nil {
			return err
		}
		return auditState(tx, "create", "milestone", m.Project+"/"+strconv.FormatInt(m.ID, 10), nil)
	})
}

// KPIs lists a project's indicators, each with whether its latest accepted
// value meets the target.
func (s *Service) KPIs(ctx context.Context, a Actor, project string) (out []*domain.KPI, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.KPIs(project)
		return err
	})
	return out, err
}

// CreateKPI adds an indicator; the secretariat or the project's lead agency
// may.
func (s *Service) CreateKPI(ctx context.Context, a Actor, k *domain.KPI) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := k.Validate(); err != nil {
		return err
	}
	k.Latest, k.LatestPeriod, k.Met = nil, "", nil
	return s.update(ctx, a, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", k.Project)
		if err != nil {
			return err
		}
		if err := a.mustOwnProject(p); err != nil {
			return err
		}
		if err := tx.InsertKPI(k); err != nil {
			return err
		}
		return auditState(tx, "create", "kpi", k.Project+"/"+strconv.FormatInt(k.ID, 10), nil)
	})
}
