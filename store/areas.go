package store

import "context"

// Data versions by area. The audit log's head moves with every write, so a
// view kept under it is thrown away by writes it never shows: a day's
// reminders, a sign-in, an audit checkpoint. Each audited write therefore
// also moves the version of its area — the area its audit entry's kind
// belongs to — to that entry's number (table data_versions), and a view
// is kept under the areas it shows (DB.Versions). An area's version is an
// audit entry's number, handed out under the audit log's lock and written
// in the same transaction, so the rule of DB.Version holds area by area: a
// reader that sees an area at n has seen every write to it up to n.

// Area is a part of the record that views are kept by.
type Area string

const (
	AreaRegistry Area = "registry"  // projects, programs, lists, agencies, laws, terms
	AreaFollowUp Area = "follow-up" // reports, milestones, KPIs, baselines, ratings, evidence
	AreaMeetings Area = "meetings"  // series, meetings, agendas, outcomes, actions
	AreaPublish  Area = "publish"   // signed documents and signing keys
	AreaAccounts Area = "accounts"  // users, tokens, sessions
	AreaJobs     Area = "jobs"      // background job runs and the reminders they record
	AreaAudit    Area = "audit"     // audit checkpoints, baselines and seals
	AreaOther    Area = "other"     // a kind not named below: treated as shown everywhere
)

// Areas lists every area.
var Areas = []Area{AreaRegistry, AreaFollowUp, AreaMeetings, AreaPublish, AreaAccounts, AreaJobs, AreaAudit, AreaOther}

// kindAreas maps an audit entry's kind to its area; a kind not listed is
// AreaOther, which every public view counts, so a forgotten kind costs a
// cache flush, never a stale page.
var kindAreas = map[string]Area{
	"project": AreaRegistry, "program": AreaRegistry, "membership": AreaRegistry, "term": AreaRegistry,
	"law": AreaRegistry, "agency": AreaRegistry, "registry": AreaRegistry,
	"report": AreaFollowUp, "milestone": AreaFollowUp, "kpi": AreaFollowUp, "baseline": AreaFollowUp,
	"rating": AreaFollowUp, "follow-up": AreaFollowUp, "evidence": AreaFollowUp,
	"meeting": AreaMeetings, "meetings": AreaMeetings, "series": AreaMeetings, "action": AreaMeetings,
	"outcome": AreaMeetings, "agenda": AreaMeetings,
	"document": AreaPublish, "signing_key": AreaPublish,
	"user": AreaAccounts, "token": AreaAccounts, "session": AreaAccounts,
	"job": AreaJobs, "reminder": AreaJobs, "notice": AreaJobs,
	"audit":             AreaAudit,
	"exchange-identity": AreaFollowUp, "exchange-service": AreaFollowUp, "exchange-integration": AreaFollowUp,
	"exchange-import": AreaFollowUp,
}

// AreaOf is the area an audit entry of kind belongs to.
func AreaOf(kind string) Area {
	if a, ok := kindAreas[kind]; ok {
		return a
	}
	return AreaOther
}

// moveArea notes that the transaction appended audit entry id of area a;
// flushAreas writes the newest of each area before the commit.
func (t *Tx) moveArea(a Area, id int64) {
	if t.areas == nil {
		t.areas = map[Area]int64{}
	}
	t.areas[a] = max(t.areas[a], id)
}

// absorb takes over what o leaves to flushAreas: the areas it moved and the
// records the search index must follow (a group commit flushes its
// transactions' at once, groupcommit.go).
func (t *Tx) absorb(o *Tx) {
	for a, id := range o.areas {
		t.moveArea(a, id)
	}
	o.areas = nil
	if o.search != nil {
		if t.search == nil {
			t.search, o.search = o.search, nil
			return
		}
		t.search.merge(o.search)
		o.search = nil
	}
}

// flushAreas moves the versions of the areas the transaction wrote, in the
// transaction, so they commit with the writes they stand for.
func (t *Tx) flushAreas() error {
	if err := t.flushSearch(); err != nil { // the search index follows the writes (search_index.go)
		return err
	}
	for _, a := range Areas {
		id, ok := t.areas[a]
		if !ok {
			continue
		}
		if _, err := t.exec(`INSERT INTO data_versions (area, version) VALUES (?, ?)
			ON CONFLICT (area) DO UPDATE SET version = excluded.version`, string(a), id); err != nil {
			return err
		}
	}
	t.areas = nil
	return nil
}

// Versions is the data version of each area as the database holds it now:
// one read of a table of a few rows. An area no write has moved yet reads
// 0.
func (db *DB) Versions(ctx context.Context) (AreaVersions, error) {
	db.counts.statements.Add(1)
	rows, err := db.read.QueryContext(ctx, "SELECT area, version FROM data_versions")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v := make(AreaVersions, len(Areas))
	for rows.Next() {
		var a string
		var n int64
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		v[Area(a)] = n
	}
	return v, rows.Err()
}

// AreaVersions holds the version of each area.
type AreaVersions map[Area]int64

// Max is the newest version among areas (every area when none is named).
func (v AreaVersions) Max(areas ...Area) int64 {
	var m int64
	if len(areas) == 0 {
		for _, n := range v {
			m = max(m, n)
		}
		return m
	}
	for _, a := range areas {
		m = max(m, v[a])
	}
	return m
}
