package store

import (
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
)

// Bulk paths for `pishran generate`: a national-scale database is millions
// of rows, and writing them one statement (and, for the audit log, one
// head look-up) at a time would take many minutes. These write the same
// rows the one-at-a-time paths write, with multi-row INSERTs; the caller
// batches them into transactions.

// Blank reports whether the database holds nothing at all: no registry
// record, follow-up record, meeting, account, token or audit entry. A
// generator only writes into a blank database.
func (t *Tx) Blank() (bool, error) {
	empty, err := t.IsEmpty()
	if err != nil || !empty {
		return false, err
	}
	var n int64
	err = t.row(`SELECT (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM meeting_series) + (SELECT COUNT(*) FROM reports)
		+ (SELECT COUNT(*) FROM baselines) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM tokens)`).Scan(&n)
	return n == 0, err
}

// insertRows inserts many rows with multi-row INSERT statements.
func (t *Tx) insertRows(table string, cols []string, rows [][]any) error {
	per := max(1, min(500, 30000/len(cols)))
	one := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for len(rows) > 0 {
		part := rows[:min(per, len(rows))]
		rows = rows[len(part):]
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := t.exec(head+one+strings.Repeat(", "+one, len(part)-1), args...); err != nil {
			return err
		}
	}
	return nil
}

// idMap reads a two-column (key, id) query into a map.
func (t *Tx) idMap(query string) (map[string]int64, error) {
	rows, err := t.query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, rows.Err()
}

// nextID is one past the largest id of table.
func (t *Tx) nextID(table string) (int64, error) {
	var n int64
	err := t.row("SELECT COALESCE(MAX(id), 0) FROM " + table).Scan(&n)
	return n + 1, err
}

// syncIdentity moves a PostgreSQL identity column's sequence past the
// values given explicitly (bulk loads, copies), so the next row it numbers
// does not collide; on an empty table it starts at 1.
func (t *Tx) syncIdentity(table, col string) error {
	if t.db.engine != Postgres {
		return nil
	}
	q := "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(" + quoteIdent(col) + "), 0) + 1, false) FROM " + quoteIdent(table)
	var v *int64
	return t.tx.QueryRowContext(t.ctx, q, quoteIdent(table), col).Scan(&v)
}

// LoadMeetings inserts, in bulk, meeting series, sessions (in the state
// each carries, with their attendees' agencies and outcomes) and actions
// with their projects and histories. An action's ID, and an action
// outcome's Action, are ordinals within the batch (1 for the first action);
// sessions and agencies are named by id and code, projects by slug, and
// may be already recorded or in the batch. The records must be valid; the
// references are checked.
func (t *Tx) LoadMeetings(series []domain.Series, meetings []domain.Meeting, actions []domain.Action) error {
	now := stamp(t.now)
	var rows [][]any
	for _, s := range series {
		rows = append(rows, []any{s.Code, s.Name.FA, s.Name.EN, s.Kind, 1, now, now})
	}
	if err := t.insertRows("meeting_series", []string{"code", "name_fa", "name_en", "kind", "version", "created_at", "updated_at"}, rows); err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("series", "دوره‌ای با همین کد وجود دارد", "a series with the same code exists")
		}
		return err
	}
	seriesIDs, err := t.idMap("SELECT code, id FROM meeting_series")
	if err != nil {
		return err
	}
	agencies, err := t.idMap("SELECT code, id FROM agencies")
	if err != nil {
		return err
	}
	projects, err := t.idMap("SELECT slug, id FROM projects")
	if err != nil {
		return err
	}
	agency := func(field, code string) (int64, error) {
		if id, ok := agencies[code]; ok {
			return id, nil
		}
		return 0, domain.Invalid(field, "دستگاهی با این کد ثبت نشده است: "+code, "no agency with this code is recorded: "+code)
	}
	project := func(field, slug string) (int64, error) {
		if id, ok := projects[slug]; ok {
			return id, nil
		}
		return 0, UnknownProject(field, slug)
	}
	opt := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return stamp(*t)
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return now
		}
		return stamp(t)
	}

	// sessions and who attended them
	mid, err := t.nextID("meetings")
	if err != nil {
		return err
	}
	meetingIDs := map[string]int64{}
	rows = rows[:0]
	var attend [][]any
	for i := range meetings {
		m := &meetings[i]
		f := "meetings[" + strconv.Itoa(i) + "]"
		sid, ok := seriesIDs[m.Series]
		if !ok {
			return domain.Invalid(f+".series", "دوره جلساتی با این کد ثبت نشده است: "+m.Series, "no meeting series with this code is recorded: "+m.Series)
		}
		code := domain.MeetingID(m.Series, m.Number)
		if _, dup := meetingIDs[code]; dup {
			return domain.Conflict(f+".number", "جلسه "+code+" دو بار آمده است", "meeting "+code+" is listed twice")
		}
		id := mid + int64(i)
		meetingIDs[code] = id
		version := map[domain.MeetingState]int{domain.MeetingPlanned: 1, domain.MeetingHeld: 2, domain.MeetingClosed: 3}[m.State]
		if version == 0 {
			return domain.Invalid(f+".state", "وضعیت جلسه نامعتبر است", "invalid meeting state")
		}
		attendees := m.Attendees
		if attendees == nil {
			attendees = []domain.Attendee{}
		}
		rows = append(rows, []any{id, code, sid, m.Number, m.Title.FA, m.Title.EN, m.Date.String(), m.State, jsonArg(attendees),
			version, now, now, opt(m.HeldAt), opt(m.ClosedAt)})
		seen := map[int64]bool{}
		for j, a := range attendees {
			if a.Agency == "" {
				continue
			}
			aid, err := agency(f+".attendees["+strconv.Itoa(j)+"].agency", a.Agency)
			if err != nil {
				return err
			}
			if !seen[aid] {
				seen[aid] = true
				attend = append(attend, []any{id, aid})
			}
		}
	}
	if err := t.insertRows("meetings", []string{"id", "code", "series_id", "number", "title_fa", "title_en", "held_on", "state",
		"attendees", "version", "created_at", "updated_at", "held_at", "closed_at"}, rows); err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("meetings", "جلسه‌ای از این دسته پیش‌تر ثبت شده است", "a meeting of the batch is already recorded")
		}
		return err
	}
	if err := t.insertRows("meeting_attendee_agencies", []string{"meeting_id", "agency_id"}, attend); err != nil {
		return err
	}
	meeting := func(field, code string) (int64, error) {
		if id, ok := meetingIDs[code]; ok {
			return id, nil
		}
		var id int64
		err := t.row("SELECT id FROM meetings WHERE code = ?", code).Scan(&id)
		if isNoRows(err) {
			return 0, domain.Invalid(field, "جلسه‌ای با این شناسه ثبت نشده است: "+code, "no meeting with this id is recorded: "+code)
		}
		if err == nil {
			meetingIDs[code] = id
		}
		return id, err
	}

	// actions, their projects and histories
	aid0, err := t.nextID("actions")
	if err != nil {
		return err
	}
	actionIDs := map[int64]int64{} // ordinal → database id
	rows = rows[:0]
	var links, events [][]any
	for i := range actions {
		a := &actions[i]
		f := "actions[" + strconv.Itoa(i) + "]"
		id := aid0 + int64(i)
		if _, dup := actionIDs[a.ID]; dup || a.ID <= 0 {
			return domain.Invalid(f+".id", "شماره ترتیبی اقدام باید مثبت و یکتا باشد", "an action's ordinal must be positive and unique")
		}
		actionIDs[a.ID] = id
		m, err := meeting(f+".meeting", a.Meeting)
		if err != nil {
			return err
		}
		owner, err := agency(f+".owner", a.Owner)
		if err != nil {
			return err
		}
		rows = append(rows, []any{id, m, owner, a.Description.FA, a.Description.EN, a.Created.String(), a.Due.String(), a.Status,
			dateArg(a.Closed), max(1, len(a.Events)), now, now})
		for j, slug := range a.Projects {
			p, err := project(f+".projects["+strconv.Itoa(j)+"]", slug)
			if err != nil {
				return err
			}
			links = append(links, []any{id, p, j})
		}
		for j, ev := range a.Events {
			var em any
			if ev.Meeting != "" {
				x, err := meeting(f+".events["+strconv.Itoa(j)+"].meeting", ev.Meeting)
				if err != nil {
					return err
				}
				em = x
			}
			events = append(events, []any{id, ev.Type, em, ev.Date.String(), ev.Note.FA, ev.Note.EN, dateArg(ev.OldDue),
				dateArg(ev.NewDue), at(ev.RecordedAt), ev.RecordedBy})
		}
	}
	if err := t.insertRows("actions", []string{"id", "meeting_id", "owner_id", "description_fa", "description_en", "created_on",
		"due_on", "status", "closed_on", "version", "created_at", "updated_at"}, rows); err != nil {
		return err
	}
	if err := t.insertRows("action_projects", []string{"action_id", "project_id", "seq"}, links); err != nil {
		return err
	}
	if err := t.insertRows("action_events", []string{"action_id", "type", "meeting_id", "on_date", "note_fa", "note_en",
		"old_due", "new_due", "recorded_at", "recorded_by"}, events); err != nil {
		return err
	}

	// outcomes
	oid, err := t.nextID("outcomes")
	if err != nil {
		return err
	}
	rows, links = rows[:0], links[:0]
	for i := range meetings {
		m := &meetings[i]
		mdb := meetingIDs[domain.MeetingID(m.Series, m.Number)]
		for j, o := range m.Outcomes {
			f := "meetings[" + strconv.Itoa(i) + "].outcomes[" + strconv.Itoa(j) + "]"
			text := o.Text
			var action any
			if o.Kind == domain.OutcomeAction {
				text = o.Description
				id, ok := actionIDs[o.Action]
				if !ok {
					return domain.Invalid(f+".action", "اقدام این برآمد در دسته نیست", "the outcome's action is not in the batch")
				}
				action = id
			}
			rows = append(rows, []any{oid, mdb, o.Kind, o.Resolution, text.FA, text.EN, action, at(o.RecordedAt), o.RecordedBy})
			for k, slug := range o.Projects {
				p, err := project(f+".projects["+strconv.Itoa(k)+"]", slug)
				if err != nil {
					return err
				}
				links = append(links, []any{oid, p, k})
			}
			oid++
		}
	}
	if err := t.insertRows("outcomes", []string{"id", "meeting_id", "kind", "resolution", "text_fa", "text_en", "action_id",
		"recorded_at", "recorded_by"}, rows); err != nil {
		return err
	}
	if err := t.insertRows("outcome_projects", []string{"outcome_id", "project_id", "seq"}, links); err != nil {
		return err
	}
	for _, table := range []string{"meetings", "actions", "outcomes"} {
		if err := t.syncIdentity(table, "id"); err != nil {
			return err
		}
	}
	return nil
}

// LoadFollowUp inserts a batch of follow-up records in bulk — baselines
// numbered in the order given per project, milestones, accepted reports
// (each with its submitted and accepted review events) and ratings — and
// then recomputes every project's latest figures. It is the fast path the
// benchmarks load 200,000 reports through; the records must be valid.
func (t *Tx) LoadFollowUp(f *domain.FollowUp, by string) error {
	projects, err := t.idMap("SELECT slug, id FROM projects")
	if err != nil {
		return err
	}
	agencies, err := t.idMap("SELECT code, id FROM agencies")
	if err != nil {
		return err
	}
	pid := func(field, slug string) (int64, error) {
		if id, ok := projects[slug]; ok {
			return id, nil
		}
		return 0, UnknownProject(field, slug)
	}
	aid := func(field, code string) (int64, error) {
		if id, ok := agencies[code]; ok {
			return id, nil
		}
		return 0, domain.Invalid(field, "دستگاهی با این کد ثبت نشده است: "+code, "no agency with this code is recorded: "+code)
	}
	now := stamp(t.now)

	numbers := map[int64]int{}
	var rows [][]any
	for i, b := range f.Baselines {
		p, err := pid("baselines["+strconv.Itoa(i)+"].project", b.Project)
		if err != nil {
			return err
		}
		if numbers[p] == 0 {
			var n0 int
			if err := t.row("SELECT COALESCE(MAX(number), 0) FROM baselines WHERE project_id = ?", p).Scan(&n0); err != nil {
				return err
			}
			numbers[p] = n0
		}
		numbers[p]++
		rows = append(rows, []any{p, numbers[p], dateArg(b.Start), dateArg(b.End), b.Cost, b.Currency, b.Reporting,
			b.ApprovedBy.FA, b.ApprovedBy.EN, dateArg(b.Approved), b.Reference, b.Reason.FA, b.Reason.EN, now, by})
	}
	if err := t.insertRows("baselines", []string{"project_id", "number", "planned_start", "planned_end", "planned_cost", "currency",
		"reporting", "approved_by_fa", "approved_by_en", "approved_on", "reference", "reason_fa", "reason_en", "recorded_at", "recorded_by"}, rows); err != nil {
		return err
	}

	rows = rows[:0]
	for i, m := range f.Milestones {
		p, err := pid("milestones["+strconv.Itoa(i)+"].project", m.Project)
		if err != nil {
			return err
		}
		pct := m.Percent
		if m.Actual != nil {
			pct = 100
		}
		rows = append(rows, []any{p, m.Title.FA, m.Title.EN, dateArg(m.Planned), m.Weight, dateArg(m.Actual), pct, now, now})
	}
	if err := t.insertRows("milestones", []string{"project_id", "title_fa", "title_en", "planned_on", "weight", "actual_on",
		"percent", "created_at", "updated_at"}, rows); err != nil {
		return err
	}

	var next int64
	if err := t.row("SELECT COALESCE(MAX(id), 0) FROM reports").Scan(&next); err != nil {
		return err
	}
	var seq int64
	if err := t.row("SELECT COALESCE(MAX(accepted_seq), 0) FROM reports").Scan(&seq); err != nil {
		return err
	}
	rows = rows[:0]
	var events [][]any
	for i, r := range f.Reports {
		at := "reports[" + strconv.Itoa(i) + "]"
		p, err := pid(at+".project", r.Project)
		if err != nil {
			return err
		}
		a, err := aid(at+".agency", r.Agency)
		if err != nil {
			return err
		}
		next++
		seq++
		rows = append(rows, []any{next, p, a, string(r.Period), domain.ReportAccepted, r.Narrative.FA, r.Narrative.EN,
			jsonArg(r.Risks), dateArg(r.ProjectedEnd), r.ProjectedCost, r.ActualCost, seq, 3, now, now})
		events = append(events,
			[]any{next, domain.ReviewSubmitted, domain.ReportDraft, domain.ReportSubmitted, "", "", now, by},
			[]any{next, domain.ReviewAccepted, domain.ReportSubmitted, domain.ReportAccepted, "", "", now, by})
	}
	if err := t.insertRows("reports", []string{"id", "project_id", "agency_id", "period", "state", "narrative_fa", "narrative_en",
		"risks", "projected_end", "projected_cost", "actual_cost", "accepted_seq", "version", "created_at", "updated_at"}, rows); err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("reports", "گزارش تکراری برای یک پروژه، دوره و دستگاه", "a duplicate report for one project, period and agency")
		}
		return err
	}
	if err := t.insertRows("report_events", []string{"report_id", "type", "from_state", "to_state", "comment_fa", "comment_en",
		"at", "by_whom"}, events); err != nil {
		return err
	}
	if t.db.engine == Postgres && len(f.Reports) > 0 {
		// Ids were given explicitly: move the identity past them.
		if _, err := t.exec("SELECT setval(pg_get_serial_sequence('reports', 'id'), (SELECT MAX(id) FROM reports))"); err != nil {
			return err
		}
	}

	rows = rows[:0]
	for i, r := range f.Ratings {
		at := "ratings[" + strconv.Itoa(i) + "]"
		p, err := pid(at+".project", r.Project)
		if err != nil {
			return err
		}
		var agency any
		if r.Agency != "" {
			a, err := aid(at+".agency", r.Agency)
			if err != nil {
				return err
			}
			agency = a
		}
		rows = append(rows, []any{p, r.Kind, r.Score, agency, dateArg(r.Date), r.Comment.FA, r.Comment.EN, now, by})
	}
	if err := t.insertRows("ratings", []string{"project_id", "kind", "score", "agency_id", "rated_on", "comment_fa", "comment_en",
		"recorded_at", "recorded_by"}, rows); err != nil {
		return err
	}
	return t.refreshState(0)
}
