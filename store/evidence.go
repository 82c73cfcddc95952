package store

import (
	"database/sql"
	"errors"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// Evidence attached to a progress report: links, and files kept in the
// database with their digest.

const evidenceCols = `n, kind, url, title_fa, title_en, name, content_type, size, sha256, added_at, added_by`

func scanEvidence(sc scanner, lead ...any) (*domain.Evidence, error) {
	var e domain.Evidence
	var at string
	dest := append(lead, &e.N, &e.Kind, &e.URL, &e.Title.FA, &e.Title.EN, &e.Name, &e.ContentType, &e.Size, &e.SHA256, &at, &e.AddedBy)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	e.AddedAt = parseStamp(at)
	return &e, nil
}

// MaxEvidence is the most evidence items one report may carry.
const MaxEvidence = 100

// AddEvidence attaches a link or a file to a report whose stored version is
// version, numbering it after the report's last, and bumps the report's
// version.
func (t *Tx) AddEvidence(id, version int64, e *domain.Evidence, content []byte) error {
	res, err := t.exec("UPDATE reports SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", stamp(t.now), id, version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "reports", "id", id, "report"); err != nil {
		return err
	}
	var n int
	if err := t.row("SELECT COALESCE(MAX(n), 0) FROM evidence WHERE report_id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n >= MaxEvidence {
		return domain.Conflict("evidence", "این گزارش به سقف ۱۰۰ مدرک رسیده است", "this report already carries the most evidence items allowed (100)")
	}
	e.N, e.AddedAt = n+1, t.now
	var blob any
	if content != nil {
		blob = content
	}
	if _, err := t.exec(`INSERT INTO evidence (report_id, n, kind, url, title_fa, title_en, name, content_type, size, sha256, content, added_at, added_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, e.N, e.Kind, e.URL, e.Title.FA, e.Title.EN, e.Name, e.ContentType,
		e.Size, e.SHA256, blob, stamp(t.now), e.AddedBy); err != nil {
		return err
	}
	var state domain.ReportState
	if err := t.row("SELECT state FROM reports WHERE id = ?", id).Scan(&state); err != nil {
		return err
	}
	return t.appendReview(id, domain.ReviewEvent{Type: domain.ReviewEvidence, From: state, To: state, By: e.AddedBy,
		Comment: domain.T("مدرک "+strconv.Itoa(e.N)+" افزوده شد", "evidence "+strconv.Itoa(e.N)+" added")})
}

// EvidenceItem returns one evidence item of a report, with a file's content.
// The caller checks that the viewer may see the report.
func (t *Tx) EvidenceItem(id int64, n int) (*domain.Evidence, []byte, error) {
	var content []byte
	e, err := scanEvidence(t.row("SELECT content, "+evidenceCols+" FROM evidence WHERE report_id = ? AND n = ?", id, n), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, domain.NotFound("n", "evidence")
	}
	return e, content, err
}
