package store

import (
	"database/sql"

	"github.com/pishran/pishran/domain"
)

// The reads behind the agencies' scorecards (issue 14): public projects
// only — a confidential or restricted project's follow-up is not the
// public's — read whole, for one agency or for every one.

// ScoreProject is a public project an agency leads or takes part in.
type ScoreProject struct {
	Agency    string
	Role      domain.Role
	Slug      string
	Title     domain.Text
	Lifecycle domain.Lifecycle
	Kind      domain.ProjectKind
	// FirstStart is the planned start of the project's first baseline:
	// reports are owed from it, whatever later baselines moved.
	FirstStart *domain.Date
}

// ScoreProjects lists the public projects with their agencies, by agency
// then slug; agency "" is every agency.
func (t *Tx) ScoreProjects(agency string) ([]ScoreProject, error) {
	q := `SELECT a.code, pa.role, p.slug, p.title_fa, p.title_en, p.status, p.kind,
		(SELECT MIN(b.planned_start) FROM baselines b WHERE b.project_id = p.id)
		FROM project_agencies pa JOIN agencies a ON a.id = pa.agency_id JOIN projects p ON p.id = pa.project_id
		WHERE p.confidentiality = 'public'`
	var args []any
	if agency != "" {
		q += " AND a.code = ?"
		args = append(args, agency)
	}
	return list(t, func(sc scanner) (ScoreProject, error) {
		var (
			x     ScoreProject
			start sql.NullString
		)
		err := sc.Scan(&x.Agency, &x.Role, &x.Slug, &x.Title.FA, &x.Title.EN, &x.Lifecycle, &x.Kind, &start)
		x.FirstStart = scanDate(start)
		return x, err
	}, q+" ORDER BY a.code, p.slug", args...)
}

// ReportReceipt is a public project's accepted report for one period,
// with when it first reached the secretariat (submitted, or accepted when
// it was never submitted on its own).
type ReportReceipt struct {
	Project  string
	Period   domain.Period
	Received *domain.Date // Tehran day; nil when the history holds no such event
}

// AcceptedReports lists the accepted reports of public projects, by
// project and period; agency "" is every agency's projects, otherwise the
// projects the agency leads.
func (t *Tx) AcceptedReports(agency string) ([]ReportReceipt, error) {
	q := `SELECT p.slug, r.period, MIN(e.at) FROM reports r JOIN projects p ON p.id = r.project_id
		LEFT JOIN report_events e ON e.report_id = r.id AND e.to_state IN ('submitted', 'accepted')
		WHERE r.state = 'accepted' AND p.confidentiality = 'public'`
	var args []any
	if agency != "" {
		// Start from the agency's few lead links, then each project's
		// accepted reports (reports_accepted), not from every accepted
		// report in the registry with a test per row.
		q = `SELECT p.slug, r.period, MIN(e.at) FROM project_agencies pa CROSS JOIN projects p CROSS JOIN reports r
			LEFT JOIN report_events e ON e.report_id = r.id AND e.to_state IN ('submitted', 'accepted')
			WHERE pa.agency_id = (SELECT id FROM agencies WHERE code = ?) AND pa.role = 'lead'
			AND p.id = pa.project_id AND p.confidentiality = 'public'
			AND r.project_id = p.id AND r.state = 'accepted'`
		args = append(args, agency)
	}
	return list(t, func(sc scanner) (ReportReceipt, error) {
		var (
			x  ReportReceipt
			at sql.NullString
		)
		if err := sc.Scan(&x.Project, &x.Period, &at); err != nil {
			return x, err
		}
		if at.Valid {
			d := domain.TehranDate(parseStamp(at.String))
			x.Received = &d
		}
		return x, nil
	}, q+" GROUP BY p.slug, r.period ORDER BY p.slug, r.period", args...)
}

// OwnedAction is an open action an agency owns that concerns no project
// but public ones.
type OwnedAction struct {
	Agency      string
	ID          int64
	Description domain.Text
	Due         domain.Date
}

// OpenPublicActions lists the open actions whose projects are all public,
// by owner then due day; agency "" is every agency.
func (t *Tx) OpenPublicActions(agency string) ([]OwnedAction, error) {
	q := `SELECT a.code, x.id, x.description_fa, x.description_en, x.due_on FROM actions x JOIN agencies a ON a.id = x.owner_id
		WHERE x.status = 'open' AND NOT EXISTS (SELECT 1 FROM action_projects ap JOIN projects p ON p.id = ap.project_id
			WHERE ap.action_id = x.id AND p.confidentiality <> 'public')`
	var args []any
	if agency != "" {
		q += " AND a.code = ?"
		args = append(args, agency)
	}
	return list(t, func(sc scanner) (OwnedAction, error) {
		var (
			x   OwnedAction
			due sql.NullString
		)
		err := sc.Scan(&x.Agency, &x.ID, &x.Description.FA, &x.Description.EN, &due)
		if d := scanDate(due); d != nil {
			x.Due = *d
		}
		return x, err
	}, q+" ORDER BY a.code, x.due_on, x.id", args...)
}
