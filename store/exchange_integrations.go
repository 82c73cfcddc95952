package store

import (
	"database/sql"
	"errors"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
)

// A project's declared integrations (exchange_integrations). The client is
// kept in its path form, the service in its path form without a version
// and the version apart, so that a declaration without a version finds the
// traffic of every version (see exchange.Integration.Covers).

const declaredCols = `i.id, p.slug, i.client, i.service, i.service_version, i.milestone_id, i.window_days, i.max_failure_rate,
	i.min_messages, i.silent_days, i.note_fa, i.note_en, i.version, i.created_at, i.updated_at`

func scanDeclared(sc scanner) (*exchange.Declared, error) {
	var (
		d             exchange.Declared
		client, svc   string
		ver, cat, uat string
		ms            sql.NullInt64
	)
	if err := sc.Scan(&d.ID, &d.Project, &client, &svc, &ver, &ms, &d.Policy.Window, &d.Policy.MaxFailureRate,
		&d.Policy.MinMessages, &d.Policy.SilentDays, &d.Note.FA, &d.Note.EN, &d.Version, &cat, &uat); err != nil {
		return nil, err
	}
	var err error
	if d.Integration.Client, err = exchange.ParseSubsystem(client); err != nil {
		return nil, err
	}
	if d.Integration.Service, err = exchange.ParseService(svc); err != nil {
		return nil, err
	}
	d.Integration.Service.Version = ver
	if ms.Valid {
		d.Milestone = &ms.Int64
	}
	d.CreatedAt, d.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &d, nil
}

// serviceBase is a service's path form without its version.
func serviceBase(s exchange.Service) string {
	s.Version = ""
	return s.String()
}

// milestoneOf checks that the milestone is the project's.
func (t *Tx) milestoneOf(projectID int64, ms *int64) (any, error) {
	if ms == nil {
		return nil, nil
	}
	var one int
	err := t.row("SELECT 1 FROM milestones WHERE id = ? AND project_id = ?", *ms, projectID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Invalid("milestone", "این مرحله از آن این پروژه نیست", "the milestone is not one of this project's")
	}
	return *ms, err
}

// InsertDeclared records a project's declared integration.
func (t *Tx) InsertDeclared(d *exchange.Declared) error {
	pid, err := t.projectID("project", d.Project)
	if err != nil {
		return err
	}
	ms, err := t.milestoneOf(pid, d.Milestone)
	if err != nil {
		return err
	}
	in := d.Integration
	d.ID, err = t.insert(`INSERT INTO exchange_integrations (project_id, client, service, service_version, milestone_id, window_days,
		max_failure_rate, min_messages, silent_days, note_fa, note_en, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		pid, in.Client.String(), serviceBase(in.Service), in.Service.Version, ms, d.Policy.Window, d.Policy.MaxFailureRate,
		d.Policy.MinMessages, d.Policy.SilentDays, d.Note.FA, d.Note.EN, stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("integration", "این پروژه همین تبادل را پیش‌تر اعلام کرده است", "the project declares this integration already")
		}
		return err
	}
	d.Version, d.CreatedAt, d.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateDeclared replaces a declared integration's milestone, thresholds
// and note if its stored version is d.Version (its two ends stay: another
// pair is another declaration).
func (t *Tx) UpdateDeclared(d *exchange.Declared) error {
	old, err := t.Declared(d.ID)
	if err != nil {
		return err
	}
	pid, err := t.projectID("project", old.Project)
	if err != nil {
		return err
	}
	ms, err := t.milestoneOf(pid, d.Milestone)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE exchange_integrations SET milestone_id = ?, window_days = ?, max_failure_rate = ?, min_messages = ?,
		silent_days = ?, note_fa = ?, note_en = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		ms, d.Policy.Window, d.Policy.MaxFailureRate, d.Policy.MinMessages, d.Policy.SilentDays, d.Note.FA, d.Note.EN,
		stamp(t.now), d.ID, d.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "exchange_integrations", "id", d.ID, "integration"); err != nil {
		return err
	}
	d.Project, d.Integration = old.Project, old.Integration
	d.Version++
	d.CreatedAt, d.UpdatedAt = old.CreatedAt, t.now
	return nil
}

// DeleteDeclared removes a declared integration.
func (t *Tx) DeleteDeclared(id, version int64) error {
	res, err := t.exec("DELETE FROM exchange_integrations WHERE id = ? AND version = ?", id, version)
	if err != nil {
		return err
	}
	return t.checkVersion(res, "exchange_integrations", "id", id, "integration")
}

// Declared returns one declared integration.
func (t *Tx) Declared(id int64) (*exchange.Declared, error) {
	d, err := scanDeclared(t.row(`SELECT `+declaredCols+` FROM exchange_integrations i JOIN projects p ON p.id = i.project_id WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("id", "integration")
	}
	return d, err
}

// DeclaredOf lists the integrations the projects declare, by project and id.
func (t *Tx) DeclaredOf(slugs ...string) ([]*exchange.Declared, error) {
	if len(slugs) == 0 {
		return list(t, scanDeclared, `SELECT `+declaredCols+` FROM exchange_integrations i JOIN projects p ON p.id = i.project_id ORDER BY p.slug, i.id`)
	}
	var out []*exchange.Declared
	for _, s := range slugs {
		ds, err := list(t, scanDeclared, `SELECT `+declaredCols+` FROM exchange_integrations i JOIN projects p ON p.id = i.project_id
			WHERE p.slug = ? ORDER BY i.id`, s)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}
