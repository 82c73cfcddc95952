package store

import (
	"database/sql"

	"github.com/pishran/pishran/domain"
)

// A project's plan: milestones and indicators (KPIs), which progress
// reports report against (see reports.go).

// InsertMilestone adds a milestone to a project.
func (t *Tx) InsertMilestone(m *domain.Milestone) error {
	pid, err := t.projectID("project", m.Project)
	if err != nil {
		return err
	}
	m.ID, err = t.insert(`INSERT INTO milestones (project_id, title_fa, title_en, planned_on, weight, actual_on, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, pid, m.Title.FA, m.Title.EN, dateArg(m.Planned), m.Weight, dateArg(m.Actual),
		stamp(t.now), stamp(t.now))
	if err != nil {
		return err
	}
	m.Version, m.CreatedAt, m.UpdatedAt = 1, t.now, t.now
	return t.refreshState(pid)
}

// Milestones lists a project's milestones by planned date.
func (t *Tx) Milestones(project string) ([]*domain.Milestone, error) {
	return orEmpty(list(t, scanMilestone, `SELECT m.id, p.slug, m.title_fa, m.title_en, m.planned_on, m.weight, m.actual_on, m.percent,
		m.version, m.created_at, m.updated_at FROM milestones m JOIN projects p ON p.id = m.project_id
		WHERE p.slug = ? ORDER BY m.planned_on, m.id`, project))
}

func scanMilestone(sc scanner) (*domain.Milestone, error) {
	var m domain.Milestone
	var planned, actual sql.NullString
	var cat, uat string
	if err := sc.Scan(&m.ID, &m.Project, &m.Title.FA, &m.Title.EN, &planned, &m.Weight, &actual, &m.Percent,
		&m.Version, &cat, &uat); err != nil {
		return nil, err
	}
	m.Planned, m.Actual = scanDate(planned), scanDate(actual)
	m.CreatedAt, m.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &m, nil
}

// InsertKPI adds an indicator to a project.
func (t *Tx) InsertKPI(k *domain.KPI) error {
	pid, err := t.projectID("project", k.Project)
	if err != nil {
		return err
	}
	k.ID, err = t.insert(`INSERT INTO kpis (project_id, name_fa, name_en, unit, target, direction, frequency, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, pid, k.Name.FA, k.Name.EN, k.Unit, k.Target, k.Direction, k.Frequency,
		stamp(t.now), stamp(t.now))
	if err != nil {
		return err
	}
	k.Version, k.CreatedAt, k.UpdatedAt = 1, t.now, t.now
	return nil
}

// KPIs lists a project's indicators, each with its latest accepted value.
func (t *Tx) KPIs(project string) ([]*domain.KPI, error) {
	return orEmpty(list(t, scanKPI, `SELECT k.id, p.slug, k.name_fa, k.name_en, k.unit, k.target, k.direction, k.frequency,
		k.latest_value, COALESCE(k.latest_period, ''), k.version, k.created_at, k.updated_at
		FROM kpis k JOIN projects p ON p.id = k.project_id WHERE p.slug = ? ORDER BY k.id`, project))
}

func scanKPI(sc scanner) (*domain.KPI, error) {
	var k domain.KPI
	var latest sql.NullFloat64
	var cat, uat string
	if err := sc.Scan(&k.ID, &k.Project, &k.Name.FA, &k.Name.EN, &k.Unit, &k.Target, &k.Direction, &k.Frequency,
		&latest, &k.LatestPeriod, &k.Version, &cat, &uat); err != nil {
		return nil, err
	}
	if latest.Valid {
		v := latest.Float64
		met := k.MetBy(v)
		k.Latest, k.Met = &v, &met
	}
	k.CreatedAt, k.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &k, nil
}
