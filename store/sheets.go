package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pishran/pishran/domain"
)

// Spreadsheet import (issue 16): the uploaded files kept between the
// validation report and the apply, and the few lookups a file is checked
// against in bulk (a 10,000-row file asks them once, not once a row).

// SheetUpload is an uploaded spreadsheet as kept for its preview and apply.
type SheetUpload struct {
	Digest     string // hex SHA-256 of Content
	UploadedBy string // the actor's name
	Kind       string // "registry" or "figures"
	Name       string // the file's name as uploaded
	Content    []byte
	UploadedAt time.Time
	AppliedAt  *time.Time
}

// PutSheetUpload keeps an uploaded file; the same file uploaded again by
// the same person keeps its row (and whether it was applied).
func (t *Tx) PutSheetUpload(u *SheetUpload) error {
	_, err := t.exec(`INSERT INTO sheet_uploads (digest, uploaded_by, kind, name, size, content, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (digest, uploaded_by) DO UPDATE SET kind = excluded.kind, name = excluded.name, uploaded_at = excluded.uploaded_at`,
		u.Digest, u.UploadedBy, u.Kind, u.Name, len(u.Content), u.Content, stamp(t.now))
	u.UploadedAt = t.now
	return err
}

// SheetUploadOf returns the file digest uploaded by by.
func (t *Tx) SheetUploadOf(digest, by string) (*SheetUpload, error) {
	u := SheetUpload{Digest: digest, UploadedBy: by}
	var at string
	var applied sql.NullString
	err := t.row(`SELECT kind, name, content, uploaded_at, applied_at FROM sheet_uploads WHERE digest = ? AND uploaded_by = ?`,
		digest, by).Scan(&u.Kind, &u.Name, &u.Content, &at, &applied)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("digest", "upload")
	}
	if err != nil {
		return nil, err
	}
	u.UploadedAt = parseStamp(at)
	if applied.Valid {
		a := parseStamp(applied.String)
		u.AppliedAt = &a
	}
	return &u, nil
}

// MarkSheetApplied records that the file was applied, in the transaction
// that applies it; a file applied already is a conflict, so two applies
// racing each other cannot both succeed.
func (t *Tx) MarkSheetApplied(digest, by string) error {
	res, err := t.exec(`UPDATE sheet_uploads SET applied_at = ? WHERE digest = ? AND uploaded_by = ? AND applied_at IS NULL`,
		stamp(t.now), digest, by)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return domain.Conflict("digest", "این پرونده پیش‌تر اعمال شده است", "this file has already been applied")
}

// PruneSheetUploads removes the files uploaded before cutoff and never
// applied: a report nobody acted on. Applied files stay, the record of what
// came in.
func (t *Tx) PruneSheetUploads(cutoff time.Time) error {
	_, err := t.exec(`DELETE FROM sheet_uploads WHERE applied_at IS NULL AND uploaded_at < ?`, stamp(cutoff))
	return err
}

// SheetRef is a record a spreadsheet may name: its key and its name.
type SheetRef struct {
	Key  string
	Name domain.Text
}

func (t *Tx) sheetRefs(q string, args ...any) ([]SheetRef, error) {
	return list(t, func(sc scanner) (SheetRef, error) {
		var r SheetRef
		err := sc.Scan(&r.Key, &r.Name.FA, &r.Name.EN)
		return r, err
	}, q, args...)
}

// SheetAgencies lists every agency's code and name.
func (t *Tx) SheetAgencies() ([]SheetRef, error) {
	return t.sheetRefs("SELECT code, name_fa, name_en FROM agencies ORDER BY code")
}

// SheetLaws lists every law's slug and title.
func (t *Tx) SheetLaws() ([]SheetRef, error) {
	return t.sheetRefs("SELECT slug, title_fa, title_en FROM laws ORDER BY slug")
}

// SheetPrograms lists every program's slug and title.
func (t *Tx) SheetPrograms() ([]SheetRef, error) {
	return t.sheetRefs("SELECT slug, title_fa, title_en FROM programs ORDER BY slug")
}

// SheetProjects lists the slug and title of the projects v may see; with
// agency, only those the agency leads or takes part in.
func (t *Tx) SheetProjects(v domain.Viewer, agency string) ([]SheetRef, error) {
	q := "SELECT p.slug, p.title_fa, p.title_en FROM projects p WHERE " + visibleSQL
	args := viewerArgs(v)
	if agency != "" {
		q += ` AND p.id IN (SELECT fa.project_id FROM project_agencies fa JOIN agencies a ON a.id = fa.agency_id WHERE a.code = ?)`
		args = append(args, agency)
	}
	return t.sheetRefs(q+" ORDER BY p.slug", args...)
}

// SheetMemberships returns every (program, project) pair with a standing.
func (t *Tx) SheetMemberships() (map[[2]string]bool, error) {
	rows, err := t.query(`SELECT g.slug, p.slug FROM memberships m JOIN programs g ON g.id = m.program_id JOIN projects p ON p.id = m.project_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]string]bool{}
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// SheetReport is an agency's report on a project for a period, as a
// figures import needs to know it.
type SheetReport struct {
	ID      int64
	State   domain.ReportState
	Version int64
}

// SheetReports returns the agency's reports by project and period
// ("slug\x00period").
func (t *Tx) SheetReports(agency string) (map[string]SheetReport, error) {
	rows, err := t.query(`SELECT p.slug, r.period, r.id, r.state, r.version FROM reports r JOIN projects p ON p.id = r.project_id
		JOIN agencies a ON a.id = r.agency_id WHERE a.code = ?`, agency)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]SheetReport{}
	for rows.Next() {
		var slug, period, state string
		var r SheetReport
		if err := rows.Scan(&slug, &period, &r.ID, &state, &r.Version); err != nil {
			return nil, err
		}
		r.State = domain.ReportState(state)
		out[slug+"\x00"+period] = r
	}
	return out, rows.Err()
}
