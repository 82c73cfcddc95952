package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
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
	series := func(p domain.Page) ([]*domain.Series, error) { return s.svc.SeriesList(q.Context(), p) }
	for x, err := range domain.Walk(series, func(x *domain.Series) string { return x.Code }) {
		if err != nil {
			return nil, nil, err
		}
		names[x.Code] = x.Name
		list = append(list, seriesChoice{Code: x.Code, Name: x.Name})
	}
	return names, list, nil
}

func (s *Site) meetingsPage(q *req) error { return s.meetingsRender(q, http.StatusOK, meetingForm{}) }

func (s *Site) meetingsRender(q *req, status int, f meetingForm) error {
	names, series, err := s.seriesNames(q)
	if err != nil {
		return err
	}
	if f.Series == "" {
		f.Series = q.URL.Query().Get("series") // a series just set up
	}
	v := meetingsView{Series: series, Runner: q.isSecretariat(), Form: f}
	// A meeting's key is returned beside it: the walk keeps the last page's.
	var keys []string
	meetings := func(p domain.Page) (page []*domain.Meeting, err error) {
		page, keys, err = s.svc.Meetings(q.Context(), q.actor, domain.MeetingFilter{}, p)
		return page, err
	}
	for m, err := range domain.Walk(meetings, func(*domain.Meeting) string { return keys[len(keys)-1] }) {
		if err != nil {
			return err
		}
		v.Meetings = append(v.Meetings, meetingRow{Meeting: m, Display: meetingTitle(m, names)})
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
	Changes    []domain.MeetingChange // re-datings and a cancellation, oldest first
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
		Editable: m.State == domain.MeetingPlanned || m.State == domain.MeetingHeld, Done: q.URL.Query().Get("done"), Version: m.Version,
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
	if v.Changes, err = s.svc.MeetingChanges(ctx, q.actor, m.ID); err != nil {
		return err
	}
	if v.Carried, err = s.carried(q, m, look); err != nil {
		return err
	}
	if v.Runner && v.Editable {
		if v.Projects, err = s.projectChoices(q); err != nil {
			return err
		}
		agencies := func(p domain.Page) ([]*domain.Agency, error) { return s.svc.Agencies(ctx, p) }
		for a, err := range domain.Walk(agencies, func(a *domain.Agency) string { return a.Code }) {
			if err != nil {
				return err
			}
			v.Agencies = append(v.Agencies, agencyChoice{Code: a.Code, Name: a.Name})
		}
	}
	if err := look.err; err != nil {
		return err
	}
	switch v.Done {
	case "agenda", "held", "closed", "outcome", "action", "amended", "redated", "cancelled", "redated_action":
	default:
		v.Done = ""
	}
	v.Outcome.Kind = string(domain.OutcomeDecision)
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/meeting", q.lang.Text(v.Title), "meetings", v)
}
