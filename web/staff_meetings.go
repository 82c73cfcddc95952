package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// The meeting workspace: a planned session's proposed agenda
// (service.ProposeAgenda) which the secretariat edits — adds, drops with a
// reason, orders — and saves; holding the session; recording its outcomes
// (information, decisions, actions); following up the open actions carried
// from earlier sessions; closing it; amending a closed session's record
// (service.Amend: appended, never edited); and the printable minutes,
// which the API renders. Every form posts plainly and answers with a redirect (or
// the page again, saying what was refused); each carries the version of
// the record it was rendered from, so a change someone else made in
// between is refused (412), never overwritten.

type meetingRow struct {
	*domain.Meeting
	Display domain.Text
}

type seriesChoice struct {
	Code string
	Name domain.Text
}

type meetingsView struct {
	Meetings []meetingRow
	Series   []seriesChoice
	Runner   bool // may create meetings
	Form     meetingForm
}

type meetingForm struct {
	Series string
	Number string
	Date   string
	Title  domain.Text
	Error  *formError
}

// meetingTitle is the session's title, or "series name, session N".
func meetingTitle(m *domain.Meeting, series map[string]domain.Text) domain.Text {
	if !m.Title.IsZero() {
		return m.Title
	}
	name := series[m.Series]
	if name.IsZero() {
		name = domain.T(m.Series, m.Series)
	}
	n := strconv.Itoa(m.Number)
	return domain.T(name.FA+"، جلسه "+persianDigits(n), name.EN+", session "+n)
}

func (s *Site) seriesNames(q *req) (map[string]domain.Text, []seriesChoice, error) {
	names := map[string]domain.Text{}
	var list []seriesChoice
	for after := ""; ; {
		page, err := s.svc.SeriesList(q.Context(), store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, nil, err
		}
		for _, x := range page {
			names[x.Code] = x.Name
			list = append(list, seriesChoice{Code: x.Code, Name: x.Name})
		}
		if len(page) < 1000 {
			return names, list, nil
		}
		after = page[len(page)-1].Code
	}
}

func (s *Site) meetingsPage(q *req) error { return s.meetingsRender(q, http.StatusOK, meetingForm{}) }

func (s *Site) meetingsRender(q *req, status int, f meetingForm) error {
	names, series, err := s.seriesNames(q)
	if err != nil {
		return err
	}
	v := meetingsView{Series: series, Runner: q.isSecretariat(), Form: f}
	for after := ""; ; {
		page, keys, err := s.svc.Meetings(q.Context(), q.actor, store.MeetingFilter{}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return err
		}
		for _, m := range page {
			v.Meetings = append(v.Meetings, meetingRow{Meeting: m, Display: meetingTitle(m, names)})
		}
		if len(page) < 1000 {
			break
		}
		after = keys[len(keys)-1]
	}
	// The latest session first.
	slices.SortStableFunc(v.Meetings, func(a, b meetingRow) int { return strings.Compare(b.Date.String(), a.Date.String()) })
	return s.renderStaff(q, status, "staff/meetings", q.lang.T("meetings.title"), "meetings", v)
}

// meetingCreate records a planned session (service.CreateMeeting).
func (s *Site) meetingCreate(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	f := meetingForm{Series: q.PostFormValue("series"), Number: strings.TrimSpace(q.PostFormValue("number")),
		Date: strings.TrimSpace(q.PostFormValue("date")), Title: formText(q, "title")}
	in := service.MeetingInput{Series: f.Series, Title: f.Title}
	n, err := atoi(f.Number)
	if err != nil {
		err = domain.Invalid("number", "شماره جلسه را به عدد بنویسید", "write the session number as a number")
	} else if in.Date, err = formDate(q, "date"); err == nil {
		in.Number = n
		var m *domain.Meeting
		if m, err = s.svc.CreateMeeting(q.Context(), q.actor, in); err == nil {
			return redirect(q, "/staff/meetings/"+url.PathEscape(m.ID))
		}
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.Error = fe
	return s.meetingsRender(q, status, f)
}

// ---- one meeting ----

// agendaRow is one item of the agenda editor: a saved item, or a proposed
// one not saved yet.
type agendaRow struct {
	domain.AgendaItem
	N          int    // 1-based position, the editor's default order
	Key        string // the item's key in the form
	Proposed   bool   // from the proposal, not on the saved agenda yet
	DropReason string // in the page's language
	Link       *linkView
	OwnerName  domain.Text
}

type carriedRow struct {
	*domain.Action
	OwnerName domain.Text
	Projects  []linkView
	Meeting   string // the session that decided it
}

type outcomeRow struct {
	domain.Outcome
	OwnerName domain.Text
	Projects  []linkView
}

type outcomeForm struct {
	Kind       string
	Resolution string
	Text       domain.Text
	Owner      string
	Due        string
	Projects   []string
	More       string
	Error      *formError
}

type agencyChoice struct {
	Code string
	Name domain.Text
}

type meetingView struct {
	M          *domain.Meeting
	Title      domain.Text
	SeriesName domain.Text
	Runner     bool // the secretariat: may edit, hold, record, close
	Editable   bool // the agenda may still change (planned or held)
	Agenda     []agendaRow
	Saved      bool // the agenda shown is the saved one (else the proposal)
	Projects   []projectChoice
	Agencies   []agencyChoice
	AgendaErr  *formError
	Outcomes   []outcomeRow
	Outcome    outcomeForm
	Carried    []carriedRow
	CarryErr   *formError
	FollowUps  []domain.ActionFollowUp
	StateErr   *formError
	Done       string
	Minutes    map[string]string // lang → the printable minutes' address
	Version    int64
	Amendments []amendmentRow // a closed session's corrections, oldest first
	Amend      amendForm
}

type amendmentRow struct {
	domain.Amendment
	By string // who recorded it, as the header names people
}

type amendForm struct {
	Text  domain.Text
	Error *formError
}

func (s *Site) meetingPage(q *req) error { return s.meetingRender(q, http.StatusOK, nil) }

// meetingRender renders the workspace; fill, when set, puts a refused
// form's input and message back.
func (s *Site) meetingRender(q *req, status int, fill func(*meetingView)) error {
	ctx, id := q.Context(), q.PathValue("id")
	m, err := s.svc.Meeting(ctx, q.actor, id)
	if err != nil {
		return err
	}
	names, _, err := s.seriesNames(q)
	if err != nil {
		return err
	}
	v := meetingView{M: m, Title: meetingTitle(m, names), SeriesName: names[m.Series], Runner: q.isSecretariat(),
		Editable: m.State != domain.MeetingClosed, Done: q.URL.Query().Get("done"), Version: m.Version,
		Minutes: map[string]string{}}
	for _, l := range Langs {
		v.Minutes[string(l)] = "/api/v1/meetings/" + url.PathEscape(m.ID) + "/minutes?" + url.Values{"lang": {string(l)}, "format": {"html"}}.Encode()
	}
	if v.Agenda, v.Saved, err = s.agendaRows(q, m); err != nil {
		return err
	}
	look := s.lookups(q)
	for i := range v.Agenda {
		r := &v.Agenda[i]
		if r.Kind == domain.AgendaProject {
			r.Link = look.project(r.Project)
		}
		if r.Owner != "" {
			r.OwnerName = look.agency(r.Owner)
		}
	}
	for _, o := range m.Outcomes {
		row := outcomeRow{Outcome: o}
		if o.Owner != "" {
			row.OwnerName = look.agency(o.Owner)
		}
		for _, p := range o.Projects {
			if lv := look.project(p); lv != nil {
				row.Projects = append(row.Projects, *lv)
			}
		}
		v.Outcomes = append(v.Outcomes, row)
	}
	v.FollowUps = m.FollowUps
	for _, am := range m.Amendments {
		by, _ := strings.CutPrefix(am.RecordedBy, "user:")
		v.Amendments = append(v.Amendments, amendmentRow{Amendment: am, By: by})
	}
	if v.Carried, err = s.carried(q, m, look); err != nil {
		return err
	}
	if v.Runner && v.Editable {
		if v.Projects, err = s.projectChoices(q); err != nil {
			return err
		}
		for after := ""; ; {
			page, err := s.svc.Agencies(ctx, store.Page{After: after, Limit: 1000})
			if err != nil {
				return err
			}
			for _, a := range page {
				v.Agencies = append(v.Agencies, agencyChoice{Code: a.Code, Name: a.Name})
			}
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].Code
		}
	}
	if err := look.err; err != nil {
		return err
	}
	switch v.Done {
	case "agenda", "held", "closed", "outcome", "action", "amended":
	default:
		v.Done = ""
	}
	v.Outcome.Kind = string(domain.OutcomeDecision)
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/meeting", q.lang.Text(v.Title), "meetings", v)
}

// agendaRows is what the agenda editor lists: the saved agenda, then what
// the proposal adds that is not on it (for a planned meeting). Before any
// save, the proposal is the agenda.
func (s *Site) agendaRows(q *req, m *domain.Meeting) ([]agendaRow, bool, error) {
	var rows []agendaRow
	seen := map[string]bool{}
	for i, it := range m.Agenda {
		key := it.Key()
		if key == "" {
			key = "other:" + strconv.Itoa(i)
		}
		seen[key] = true
		rows = append(rows, agendaRow{AgendaItem: it, Key: key, DropReason: q.lang.Text(it.DropReason)})
	}
	saved := len(m.Agenda) > 0
	if m.State == domain.MeetingPlanned {
		_, items, err := s.svc.ProposeAgenda(q.Context(), q.actor, m.ID)
		if err != nil {
			return nil, false, err
		}
		for _, it := range items {
			if seen[it.Key()] {
				continue
			}
			seen[it.Key()] = true
			rows = append(rows, agendaRow{AgendaItem: it, Key: it.Key(), Proposed: true})
		}
	}
	for i := range rows {
		rows[i].N = i + 1
	}
	return rows, saved, nil
}

// carried lists the open actions decided at earlier sessions of the
// meeting's series: what this session follows up.
func (s *Site) carried(q *req, m *domain.Meeting, look *lookup) ([]carriedRow, error) {
	var out []carriedRow
	for after := ""; ; {
		page, err := s.svc.Actions(q.Context(), q.actor, store.ActionFilter{OpenOnly: true}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, a := range page {
			if a.Series != m.Series || a.Meeting == m.ID {
				continue
			}
			row := carriedRow{Action: a, OwnerName: look.agency(a.Owner), Meeting: a.Meeting}
			for _, p := range a.Projects {
				if lv := look.project(p); lv != nil {
					row.Projects = append(row.Projects, *lv)
				}
			}
			out = append(out, row)
		}
		if len(page) < 1000 {
			break
		}
		after = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
	slices.SortStableFunc(out, func(a, b carriedRow) int { return strings.Compare(a.Due.String(), b.Due.String()) })
	return out, nil
}

// projectChoices lists the projects the person may see, by title.
func (s *Site) projectChoices(q *req) ([]projectChoice, error) {
	var out []projectChoice
	for after := ""; ; {
		ps, err := s.svc.Projects(q.Context(), q.actor, store.ProjectFilter{}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out = append(out, projectChoice{Slug: p.Slug, Title: p.Title})
		}
		if len(ps) < 1000 {
			break
		}
		after = ps[len(ps)-1].Slug
	}
	slices.SortStableFunc(out, func(a, b projectChoice) int { return strings.Compare(q.lang.Text(a.Title), q.lang.Text(b.Title)) })
	return out, nil
}

// agendaPost saves the agenda as the editor left it (service.SaveAgenda):
// every listed item in the order of its position, kept or dropped with a
// reason, and the items added by hand.
func (s *Site) agendaPost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	ctx, id := q.Context(), q.PathValue("id")
	m, err := s.svc.Meeting(ctx, q.actor, id)
	if err != nil {
		return err
	}
	rows, _, err := s.agendaRows(q, m)
	if err != nil {
		return err
	}
	type placed struct {
		item domain.AgendaItem
		pos  float64
	}
	var items []placed
	for _, r := range rows {
		it := r.AgendaItem
		keep := q.PostFormValue("keep."+r.Key) == "on"
		if _, listed := q.PostForm["pos."+r.Key]; !listed && r.Proposed {
			continue // proposed after the page was shown: not decided on yet
		}
		it.Dropped = !keep
		it.DropReason = domain.Text{}
		if !keep {
			// The reason is typed in the page's language; the other
			// language's, from an earlier save, is kept. A reason shown
			// unchanged (perhaps in the other language) stays as it was.
			old := r.AgendaItem.DropReason
			it.DropReason = old
			if reason := strings.TrimSpace(q.PostFormValue("drop." + r.Key)); reason != q.lang.Text(old) {
				if q.lang == FA {
					it.DropReason.FA = reason
				} else {
					it.DropReason.EN = reason
				}
			}
		}
		pos := float64(r.N)
		if p, err := strconv.ParseFloat(strings.TrimSpace(digitsASCII(q.PostFormValue("pos."+r.Key))), 64); err == nil {
			pos = p
		}
		items = append(items, placed{item: it, pos: pos})
	}
	slices.SortStableFunc(items, func(a, b placed) int {
		switch {
		case a.pos < b.pos:
			return -1
		case a.pos > b.pos:
			return 1
		}
		return 0
	})
	out := make([]domain.AgendaItem, 0, len(items)+2)
	for _, p := range items {
		out = append(out, p.item)
	}
	if slug := strings.TrimSpace(q.PostFormValue("add_project")); slug != "" {
		out = append(out, domain.AgendaItem{Kind: domain.AgendaProject, Project: slug, Reasons: []domain.AgendaReason{domain.ReasonAdded}})
	}
	if t := formText(q, "add_title"); !t.IsZero() {
		out = append(out, domain.AgendaItem{Kind: domain.AgendaOther, Title: t, Reasons: []domain.AgendaReason{domain.ReasonAdded}})
	}
	if _, err := s.svc.SaveAgenda(ctx, q.actor, id, version(q), out); err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) {
			v.AgendaErr = fe
			// Show what was sent: the positions, keeps and reasons posted.
			for i := range v.Agenda {
				r := &v.Agenda[i]
				if _, ok := q.PostForm["pos."+r.Key]; ok {
					r.Dropped = q.PostFormValue("keep."+r.Key) != "on"
					r.DropReason = q.PostFormValue("drop." + r.Key)
					if n, err := atoi(q.PostFormValue("pos." + r.Key)); err == nil {
						r.N = n
					}
				}
			}
		})
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=agenda#agenda")
}

// meetingRefused renders the workspace with a refusal where it belongs.
func (s *Site) meetingRefused(q *req, err error, put func(*meetingView, *formError)) error {
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	return s.meetingRender(q, status, func(v *meetingView) { put(v, fe) })
}

// meetingState holds (planned → held) or closes (held → closed) the session.
func (s *Site) meetingState(to domain.MeetingState) pageFunc {
	return func(q *req) error {
		if !q.isSecretariat() {
			return forbidden()
		}
		id := q.PathValue("id")
		var err error
		if to == domain.MeetingHeld {
			_, err = s.svc.HoldMeeting(q.Context(), q.actor, id, version(q))
		} else {
			_, err = s.svc.CloseMeeting(q.Context(), q.actor, id, version(q))
		}
		if err != nil {
			return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { v.StateErr = fe })
		}
		return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done="+string(to))
	}
}

// outcomePost records one outcome of a held session (service.RecordOutcome).
func (s *Site) outcomePost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	f := outcomeForm{Kind: q.PostFormValue("kind"), Resolution: strings.TrimSpace(q.PostFormValue("resolution")),
		Text: formText(q, "text"), Owner: q.PostFormValue("owner"), Due: strings.TrimSpace(q.PostFormValue("due")),
		Projects: q.PostForm["projects"], More: strings.TrimSpace(q.PostFormValue("more_projects"))}
	in := service.OutcomeInput{Kind: domain.OutcomeKind(f.Kind), Resolution: f.Resolution, Projects: append([]string{}, f.Projects...)}
	for _, p := range strings.FieldsFunc(f.More, func(r rune) bool { return r == ',' || r == '،' || r == ' ' || r == '\n' }) {
		if !slices.Contains(in.Projects, p) {
			in.Projects = append(in.Projects, p)
		}
	}
	if in.Kind == domain.OutcomeAction {
		in.Description, in.Owner = f.Text, f.Owner
	} else {
		in.Text = f.Text
	}
	var err error
	if in.Kind == domain.OutcomeAction {
		in.Due, err = formDate(q, "due")
	}
	if err == nil {
		_, _, err = s.svc.RecordOutcome(q.Context(), q.actor, id, in)
	}
	if err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { f.Error = fe; v.Outcome = f })
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=outcome#outcomes")
}

// actionPost follows up an open action at this session: discussed, or
// closed (service.DiscussAction, service.CloseAction).
func (s *Site) actionPost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	act, err := strconv.ParseInt(q.PathValue("action"), 10, 64)
	if err != nil {
		return notFound()
	}
	u := service.ActionUpdate{Meeting: id, Note: formText(q, "note")}
	switch q.PathValue("act") {
	case "discuss":
		_, err = s.svc.DiscussAction(q.Context(), q.actor, act, version(q), u)
	case "close":
		_, err = s.svc.CloseAction(q.Context(), q.actor, act, version(q), u)
	default:
		return notFound()
	}
	if err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { v.CarryErr = fe })
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=action#carried")
}

// amendPost appends a correction to a closed session's record
// (service.Amend); the secretariat writes it in Persian and English.
func (s *Site) amendPost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	f := amendForm{Text: formText(q, "text")}
	if _, err := s.svc.Amend(q.Context(), q.actor, id, f.Text); err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { f.Error = fe; v.Amend = f })
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=amended#amendments")
}
