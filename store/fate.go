package store

import (
	"strings"

	"github.com/pishran/pishran/domain"
)

// FateGroups counts the members of the given programs by what their fate
// depends on (see domain.FateMember), in one grouped statement: a list of
// thousands of members is a handful of rows. A member is "later" when a
// public list of a later term records it; "descends" when its successor
// records it as a predecessor. Confidential members are counted like the
// others: the breakdown names nobody.
func (t *Tx) FateGroups(programs ...string) (map[string][]domain.FateMember, error) {
	out := make(map[string][]domain.FateMember, len(programs))
	if len(programs) == 0 {
		return out, nil
	}
	args := make([]any, len(programs))
	for i, p := range programs {
		args[i] = p
	}
	rows, err := t.query(`SELECT slug, active, reason, main, conf, descends, later, COUNT(*) FROM (
		SELECT g.slug AS slug, m.active AS active, m.reason AS reason, m.main AS main,
			CASE WHEN p.confidentiality = 'confidential' THEN 1 ELSE 0 END AS conf,
			CASE WHEN EXISTS (SELECT 1 FROM project_lineage l
				WHERE l.project_id = m.successor_id AND l.predecessor_id = m.project_id) THEN 1 ELSE 0 END AS descends,
			CASE WHEN EXISTS (SELECT 1 FROM memberships m2 JOIN programs g2 ON g2.id = m2.program_id
				JOIN terms t2 ON t2.id = g2.term_id
				WHERE m2.project_id = m.project_id AND t2.number > t.number AND g2.visibility = 'public') THEN 1 ELSE 0 END AS later
		FROM memberships m JOIN programs g ON g.id = m.program_id JOIN terms t ON t.id = g.term_id
			JOIN projects p ON p.id = m.project_id
		WHERE g.slug IN (?`+strings.Repeat(", ?", len(programs)-1)+`)) x
		GROUP BY slug, active, reason, main, conf, descends, later
		ORDER BY slug, active, reason, main, conf, descends, later`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			slug string
			m    domain.FateMember
		)
		if err := rows.Scan(&slug, &m.Active, &m.Reason, &m.Main, &m.Confidential, &m.Descends, &m.Later, &m.N); err != nil {
			return nil, err
		}
		out[slug] = append(out[slug], m)
	}
	return out, rows.Err()
}
