package store

import "strings"

// A write that decides on a snapshot — the designation rules, run before
// the write queue so that the single writer never waits for them — must
// find, inside its write transaction, that what it decided on is still
// what the database holds. RuleStamp reads a short fingerprint of all the
// rules read: run on the snapshot and again inside the write, the two are
// equal if and only if none of it changed in between.

// RuleStamp fingerprints what the designation rules read for project
// joining program: the program's and the project's versions and states,
// the program's membership events of the project, the versions of the
// agencies and laws the project names, and the infrastructure projects
// covering its capabilities. One query.
func (t *Tx) RuleStamp(program, project string, agencies, laws, capabilities []string) (string, error) {
	var q strings.Builder
	args := []any{program, project, program, project}
	q.WriteString(`SELECT 'g', CAST(version AS TEXT) || status FROM programs WHERE slug = ?
		UNION ALL SELECT 'p', CAST(version AS TEXT) || status FROM projects WHERE slug = ?
		UNION ALL SELECT 'm', CAST(COALESCE(MAX(e.id), 0) AS TEXT) FROM membership_events e
			JOIN programs g ON g.id = e.program_id JOIN projects p ON p.id = e.project_id WHERE g.slug = ? AND p.slug = ?`)
	in := func(xs []string) string {
		for _, x := range xs {
			args = append(args, x)
		}
		return "(?" + strings.Repeat(", ?", len(xs)-1) + ")"
	}
	if len(agencies) > 0 {
		q.WriteString(" UNION ALL SELECT 'a' || code, CAST(version AS TEXT) FROM agencies WHERE code IN " + in(agencies))
	}
	if len(laws) > 0 {
		q.WriteString(" UNION ALL SELECT 'l' || slug, CAST(version AS TEXT) FROM laws WHERE slug IN " + in(laws))
	}
	if len(capabilities) > 0 {
		q.WriteString(` UNION ALL SELECT 'i' || p.slug, CAST(p.version AS TEXT) || p.status FROM projects p
			WHERE p.kind = 'infrastructure' AND EXISTS (SELECT 1 FROM project_capabilities c
			WHERE c.project_id = p.id AND c.capability IN ` + in(capabilities) + ")")
	}
	q.WriteString(" ORDER BY 1")
	rows, err := t.query(q.String(), args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return "", err
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
		b.WriteByte(';')
	}
	return b.String(), rows.Err()
}

// ProjectStamp fingerprints one project — its version, which every change
// to it moves (its agencies, its confidentiality) — for a write that
// checked the project on a snapshot (a report: the agency is on it). A
// project that is not there reads "".
func (t *Tx) ProjectStamp(slug string) (string, error) {
	var v string
	err := t.row("SELECT CAST(version AS TEXT) FROM projects WHERE slug = ?", slug).Scan(&v)
	if isNoRows(err) {
		return "", nil
	}
	return v, err
}
