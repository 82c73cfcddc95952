package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/pishran/pishran/agenda"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/minutes"
	"github.com/pishran/pishran/store"
)

// Who may do what with meetings and actions:
//
//   - admin and secretariat run meetings: series, sessions, agendas,
//     holding and closing, outcomes, amendments, and every act on actions.
//   - an agency's focal point reads what readers read, plus the actions its
//     agency owns even when they concern a confidential project it is not
//     on; it may add a progress note ("discussed", with no meeting) to an
//     action its agency owns. Re-dating and closing stay with the
//     secretariat: the council set the due date, the council moves it.
//   - a reader reads every meeting, agenda, outcome and action except what
//     concerns a confidential project.
//   - the public reads the held and closed meetings' dates and decisions,
//     and only the decisions all of whose projects are public.

// mustBeStaff allows any signed-in role to read follow-up records.
func (a Actor) mustBeStaff() error {
	if a.Role == RoleAnonymous {
		return domain.Unauthorized()
	}
	return nil
}

// ---- series ----

// SeriesList lists meeting series. Public.
func (s *Service) SeriesList(ctx context.Context, p store.Page) (out []*domain.Series, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.SeriesList(p); return err })
	return out, err
}

// Series returns one series. Public.
func (s *Service) Series(ctx context.Context, code string) (out *domain.Series, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Series(code); return err })
	return out, err
}

// CreateSeries records a meeting series.
func (s *Service) CreateSeries(ctx context.Context, a Actor, v *domain.Series) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertSeries(v); err != nil {
			return err
		}
		return auditState(tx, "create", "series", v.Code, nil)
	})
}

// ---- meetings ----

// MeetingInput is what a caller sets on a meeting. Series and number make
// its id and never change.
type MeetingInput struct {
	Series    string            `json:"series"`
	Number    int               `json:"number"`
	Title     domain.Text       `json:"title"`
	Date      *domain.Date      `json:"date"`
	Attendees []domain.Attendee `json:"attendees"`
}

func (in MeetingInput) meeting() (*domain.Meeting, error) {
	m := &domain.Meeting{Series: in.Series, Number: in.Number, Title: in.Title, Attendees: in.Attendees}
	if in.Date == nil {
		return nil, domain.Invalid("date", "تاریخ جلسه لازم است", "the meeting date is required")
	}
	m.Date = *in.Date
	if m.Attendees == nil {
		m.Attendees = []domain.Attendee{}
	}
	return m, m.Validate()
}

// checkSessionDate keeps a series' sessions in date order: a session is not
// dated before the one numbered before it, nor after the one numbered
// after it.
func checkSessionDate(tx *store.Tx, m *domain.Meeting) error {
	prev, next, err := tx.SessionDates(m.Series, m.Number)
	if err != nil {
		return err
	}
	if prev != nil && m.Date.Before(*prev) {
		return domain.Invalid("date", "تاریخ جلسه پیش از جلسه قبلی همین دوره ("+prev.Jalali()+") است",
			"the meeting is dated before the previous session of its series ("+prev.String()+")")
	}
	if next != nil && next.Before(m.Date) {
		return domain.Invalid("date", "تاریخ جلسه پس از جلسه بعدی همین دوره ("+next.Jalali()+") است",
			"the meeting is dated after the next session of its series ("+next.String()+")")
	}
	return nil
}

// CreateMeeting records a planned session.
func (s *Service) CreateMeeting(ctx context.Context, a Actor, in MeetingInput) (*domain.Meeting, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	m, err := in.meeting()
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if _, err := tx.Series(m.Series); err != nil {
			return domain.Invalid("series", "دوره جلساتی با این کد ثبت نشده است: "+m.Series, "no meeting series with this code is recorded: "+m.Series)
		}
		if err := checkSessionDate(tx, m); err != nil {
			return err
		}
		if err := tx.InsertMeeting(m); err != nil {
			return err
		}
		return auditState(tx, "create", "meeting", m.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateMeeting replaces a meeting's title, date and attendees; version is
// the one the caller read. A closed meeting is read-only, and a held
// meeting's date is a fact that no longer moves.
func (s *Service) UpdateMeeting(ctx context.Context, a Actor, id string, version int64, in MeetingInput) (out *domain.Meeting, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if old.State == domain.MeetingClosed {
			return store.MeetingStateConflict(id, old.State)
		}
		if in.Series != "" && in.Series != old.Series {
			return domain.Invalid("series", "دوره جلسه تغییر نمی‌کند", "a meeting's series cannot change")
		}
		if in.Number != 0 && in.Number != old.Number {
			return domain.Invalid("number", "شماره جلسه تغییر نمی‌کند", "a meeting's number cannot change")
		}
		in.Series, in.Number = old.Series, old.Number
		m, err := in.meeting()
		if err != nil {
			return err
		}
		if old.State != domain.MeetingPlanned && m.Date != old.Date {
			return domain.Conflict("date", "جلسه "+id+" برگزار شده و تاریخش دیگر تغییر نمی‌کند",
				"meeting "+id+" has been held; its date no longer changes")
		}
		if err := checkSessionDate(tx, m); err != nil {
			return err
		}
		m.ID, m.Version = id, version
		if err := tx.UpdateMeeting(m); err != nil {
			return err
		}
		if out, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
			return err
		}
		return auditState(tx, "update", "meeting", id, old)
	})
	return out, err
}

// Meeting returns what the actor may see of a meeting: staff see the
// whole record (less what concerns confidential projects they may not
// see); the public sees a held or closed meeting's date and decisions.
func (s *Service) Meeting(ctx context.Context, a Actor, id string) (out *domain.Meeting, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = s.meetingFor(tx, a, id); err != nil {
			return err
		}
		return sealMeeting(tx, out)
	})
	return out, err
}

func (s *Service) meetingFor(tx *store.Tx, a Actor, id string) (*domain.Meeting, error) {
	m, err := tx.MeetingRecord(id, a.Viewer())
	if err != nil {
		return nil, err
	}
	if a.Role == RoleAnonymous {
		if m.State == domain.MeetingPlanned {
			return nil, domain.NotFound("id", "meeting")
		}
		publicOnly(m)
	}
	r := s.refsFor(tx, a)
	r.meeting(m)
	return m, r.Err()
}

// publicOnly strips a meeting down to what the public reads: its decisions.
func publicOnly(m *domain.Meeting) {
	m.Attendees, m.Agenda, m.FollowUps, m.Amendments = []domain.Attendee{}, []domain.AgendaItem{}, []domain.ActionFollowUp{}, []domain.Amendment{}
	m.Outcomes = slices.DeleteFunc(m.Outcomes, func(o domain.Outcome) bool { return o.Kind != domain.OutcomeDecision })
}

// Meetings lists meetings' own records (no agenda or outcomes); keys are
// the cursor keys. The public sees only held and closed meetings.
func (s *Service) Meetings(ctx context.Context, a Actor, f store.MeetingFilter, p store.Page) (out []*domain.Meeting, keys []string, err error) {
	if a.Role == RoleAnonymous {
		var states []domain.MeetingState
		for _, st := range []domain.MeetingState{domain.MeetingHeld, domain.MeetingClosed} {
			if len(f.States) == 0 || slices.Contains(f.States, st) {
				states = append(states, st)
			}
		}
		if len(states) == 0 {
			return nil, nil, nil
		}
		f.States = states
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		out, keys, err = tx.Meetings(f, p)
		return err
	})
	if a.Role == RoleAnonymous {
		for _, m := range out {
			m.Attendees = []domain.Attendee{}
		}
	}
	return out, keys, err
}

// HoldMeeting records that a planned meeting took place. version, when
// positive, must be the one the caller read. A meeting dated after
// tomorrow cannot have been held yet.
func (s *Service) HoldMeeting(ctx context.Context, a Actor, id string, version int64) (*domain.Meeting, error) {
	return s.advance(ctx, a, id, version, domain.MeetingPlanned, domain.MeetingHeld)
}

// CloseMeeting closes a held meeting: its record becomes read-only, and
// corrections are amendments.
func (s *Service) CloseMeeting(ctx context.Context, a Actor, id string, version int64) (*domain.Meeting, error) {
	return s.advance(ctx, a, id, version, domain.MeetingHeld, domain.MeetingClosed)
}

func (s *Service) advance(ctx context.Context, a Actor, id string, version int64, from, to domain.MeetingState) (out *domain.Meeting, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State != from {
			return store.MeetingStateConflict(id, m.State)
		}
		if to == domain.MeetingHeld && domain.DateOf(tx.Now().AddDate(0, 0, 1)).Before(m.Date) {
			return domain.Invalid("date", "جلسه "+id+" برای "+m.Date.Jalali()+" برنامه‌ریزی شده و هنوز نمی‌تواند برگزارشده ثبت شود",
				"meeting "+id+" is dated "+m.Date.String()+", in the future: it cannot have been held yet")
		}
		if err := tx.SetMeetingState(id, from, to, version); err != nil {
			return err
		}
		if out, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
			return err
		}
		if to == domain.MeetingClosed {
			if err := s.publishMeeting(tx, a, id); err != nil {
				return err
			}
		}
		if err := auditState(tx, string(to), "meeting", id, map[string]any{"state": from}); err != nil {
			return err
		}
		return sealMeeting(tx, out) // the codes just published, when it closed
	})
	return out, err
}

// Amend appends a correction to a closed meeting's record.
func (s *Service) Amend(ctx context.Context, a Actor, id string, text domain.Text) (*domain.Amendment, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if err := domain.ValidAmendment(text); err != nil {
		return nil, err
	}
	am := &domain.Amendment{Text: text, RecordedBy: a.Name}
	err := s.update(ctx, a, func(tx *store.Tx) error {
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State != domain.MeetingClosed {
			return domain.Conflict("id", "جلسه "+id+" هنوز بسته نشده است؛ خود جلسه را ویرایش کنید",
				"meeting "+id+" is not closed; edit the meeting itself")
		}
		if err := tx.InsertAmendment(id, am); err != nil {
			return err
		}
		return auditState(tx, "amend", "meeting", id, nil)
	})
	if err != nil {
		return nil, err
	}
	return am, nil
}

// ---- agenda ----

// ProposeAgenda builds the proposed agenda of a planned meeting (returned
// with it) from the
// follow-up record as of the meeting's date (see package agenda). Items
// about projects the actor may not see are left out. Any signed-in role may
// read a proposal; nothing is written.
//
// A proposal is kept under the data version it was built at (see
// DataVersion): the secretariat's meeting page asks for it again on every
// visit, and it changes only when something is written. The items returned
// are the kept ones, shared by every caller: read them, do not change them.
func (s *Service) ProposeAgenda(ctx context.Context, a Actor, id string) (m *domain.Meeting, items []domain.AgendaItem, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, nil, err
	}
	key := agendaKey{meeting: id, viewer: a.Viewer()}
	head, verr := s.db.Version(ctx)
	if verr == nil {
		if p, ok := s.proposed.Get(generation(head), key); ok {
			m := *p.meeting
			return &m, p.items, nil
		}
	}
	defer func() {
		if err == nil && verr == nil {
			m := *m
			s.proposed.Put(generation(head), key, &proposal{meeting: &m, items: items})
		}
	}()
	err = s.db.View(ctx, func(tx *store.Tx) error {
		m, err = tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State != domain.MeetingPlanned {
			return domain.Conflict("id", "دستور جلسه فقط برای جلسه برنامه‌ریزی‌شده پیشنهاد می‌شود؛ جلسه "+id+" "+string(m.State)+" است",
				"an agenda is proposed only for a planned meeting; meeting "+id+" is "+string(m.State))
		}
		items, err = s.proposal(ctx, tx, a, m)
		return err
	})
	if items == nil {
		items = []domain.AgendaItem{}
	}
	return m, items, err
}

// agendaKey is one meeting's proposal as one viewer sees it.
type agendaKey struct {
	meeting string
	viewer  store.Viewer
}

// proposal is a kept agenda proposal with the meeting it was built for.
type proposal struct {
	meeting *domain.Meeting
	items   []domain.AgendaItem
}

// proposalCacheItems bounds the agenda items kept in all: a national
// council's proposal as a few viewers see it.
const proposalCacheItems = 20000

func newProposalCache() *budgetCache[agendaKey, *proposal] {
	return newBudgetCache[agendaKey](proposalCacheItems, func(p *proposal) int { return len(p.items) + 1 })
}

func (s *Service) proposal(ctx context.Context, tx *store.Tx, a Actor, m *domain.Meeting) ([]domain.AgendaItem, error) {
	v := a.Viewer()
	// The open actions and their projects are read on two more
	// connections while this one reads the projects' health: the work's
	// three parts at the same time. They are used only if every snapshot
	// is at the same data version (every write moves it), that is, the
	// same state; otherwise they are read again here.
	type part struct {
		head  int64
		rows  []store.OpenAction
		links map[int64][]int64
		err   error
	}
	read := func(fn func(tx *store.Tx, p *part) error) chan part {
		c := make(chan part, 1)
		go func() {
			var p part
			p.err = s.db.View(ctx, func(tx *store.Tx) (err error) {
				if p.head, err = tx.Head(); err != nil {
					return err
				}
				return fn(tx, &p)
			})
			c <- p
		}()
		return c
	}
	rowsC := read(func(tx *store.Tx, p *part) (err error) { p.rows, err = tx.OpenActionRows(); return err })
	linksC := read(func(tx *store.Tx, p *part) (err error) { p.links, err = tx.OpenActionProjects(); return err })
	var rowsP, linksP part
	wait := func() { rowsP, linksP = <-rowsC, <-linksC } // once on every way out
	head, err := tx.Head()
	if err != nil {
		wait()
		return nil, err
	}
	dir, err := s.projectDirectory(tx)
	if err != nil {
		wait()
		return nil, err
	}
	followed, err := tx.FollowedProjects()
	if err != nil {
		wait()
		return nil, err
	}
	slugs := make([]string, 0, len(followed))
	for _, f := range followed {
		if e, ok := dir.byID[f.Project]; ok {
			slugs = append(slugs, e.Slug)
		}
	}
	lifecycle := func(slug string) domain.Lifecycle {
		if e, ok := dir.bySlug[slug]; ok {
			return e.Status
		}
		return ""
	}
	health, err := s.healthKnowing(tx, slugs, m.Date, lifecycle)
	wait()
	if err != nil {
		return nil, err
	}
	open := rowsP.rows
	if rowsP.err == nil && linksP.err == nil && rowsP.head == head && linksP.head == head {
		store.AttachProjects(open, linksP.links)
	} else if open, err = tx.OpenActions(); err != nil {
		return nil, err
	}
	in := agenda.Input{Meeting: agenda.Meeting{Series: m.Series, Number: m.Number, Date: m.Date}, Policy: s.Policy(),
		Projects: make([]agenda.Project, 0, len(followed)), Actions: make([]agenda.Action, 0, len(open))}
	project := func(id int64) (agenda.Project, bool) {
		e, ok := dir.byID[id]
		if !ok {
			return agenda.Project{}, false // recorded after the directory was read: cannot happen within one snapshot
		}
		return agenda.Project{Slug: e.Slug, Title: e.Title}, true
	}
	// Health is read for the projects under follow-up: the active members
	// of the adopted lists. A project outside them comes up through its
	// overdue or carried actions, not through report staleness or status.
	for _, f := range followed {
		p, ok := project(f.Project)
		if !ok {
			continue
		}
		p.Main = f.Main
		in.Projects = append(in.Projects, p)
	}
	for _, x := range open {
		act := agenda.Action{ID: x.ID, Series: x.Series, MeetingNumber: x.MeetingNumber, Owner: x.Owner, Due: x.Due,
			Description: x.Description, Projects: make([]agenda.Project, 0, len(x.Projects))}
		for _, id := range x.Projects {
			if p, ok := project(id); ok {
				act.Projects = append(act.Projects, p)
			}
		}
		in.Actions = append(in.Actions, act)
	}
	in.Health = health
	items := agenda.Propose(in)
	if v.All {
		return items, nil
	}
	visible := func(slug string) bool { e, ok := dir.bySlug[slug]; return ok && v.SeesFollowUp(e) }
	items = slices.DeleteFunc(items, func(it domain.AgendaItem) bool {
		switch it.Kind {
		case domain.AgendaProject:
			return !visible(it.Project)
		case domain.AgendaAction:
			if v.Agency != "" && it.Owner == v.Agency {
				return false
			}
			return slices.ContainsFunc(it.Projects, func(p string) bool { return !visible(p) })
		}
		return false
	})
	// An action its owner sees may concern a project the owner may not:
	// the item stays, without that project's name.
	r := &refs{v: v, s: s, tx: tx, dir: dir}
	return r.agendaItems(items), nil
}

// projectDirectory returns every project's slug, title and
// confidentiality by database id, read once per registry generation: the
// agenda builder needs them for thousands of projects, the visibility rule
// (visibility.go) for every reference an answer holds, and they change
// only when projects do.
func (s *Service) projectDirectory(tx *store.Tx) (*directory, error) {
	gen, err := tx.Generation()
	if err != nil {
		return nil, err
	}
	// A transaction that changed the registry reads its own, uncommitted
	// generation: it neither uses what is kept nor keeps what it read.
	kept := !tx.Touched()
	if kept {
		if dir, ok := s.projects.Get(generation(gen), struct{}{}); ok {
			return dir, nil
		}
	}
	byID, err := tx.ProjectDirectory()
	if err != nil {
		return nil, err
	}
	dir := &directory{byID: byID, bySlug: make(map[string]*store.ProjectEntry, len(byID))}
	for _, e := range byID {
		dir.bySlug[e.Slug] = e
	}
	if kept {
		s.projects.Put(generation(gen), struct{}{}, dir)
	}
	return dir, nil
}

// directory is every project's slug, title, confidentiality and lifecycle,
// by database id and by slug: what the agenda builder names items with.
type directory struct {
	byID   map[int64]*store.ProjectEntry
	bySlug map[string]*store.ProjectEntry
}

// SaveAgenda replaces a planned or held meeting's agenda; version is the
// meeting's version the caller read. Items are kept in the order given;
// dropped items stay, marked, with their reason. A project item with no
// title takes its project's, an action item its action's description, and
// an item with no reason was added by hand.
func (s *Service) SaveAgenda(ctx context.Context, a Actor, id string, version int64, items []domain.AgendaItem) (out *domain.Meeting, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if items == nil {
		items = []domain.AgendaItem{}
	}
	if err := domain.ValidateAgenda(items); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State == domain.MeetingClosed {
			return store.MeetingStateConflict(id, m.State)
		}
		for i := range items {
			it := &items[i]
			f := "items[" + strconv.Itoa(i) + "]"
			switch it.Kind {
			case domain.AgendaProject:
				if it.Title.IsZero() {
					p, err := tx.Project(it.Project, store.Viewer{All: true})
					if err != nil {
						return domain.Invalid(f+".project", "پروژه‌ای با این شناسه ثبت نشده است: "+it.Project, "no project with this slug is recorded: "+it.Project)
					}
					it.Title = p.Title
				}
			case domain.AgendaAction:
				act, err := tx.Action(it.Action, store.Viewer{All: true})
				if err != nil {
					return domain.Invalid(f+".action", "اقدامی با این شناسه ثبت نشده است: "+strconv.FormatInt(it.Action, 10),
						"no action with this id is recorded: "+strconv.FormatInt(it.Action, 10))
				}
				if it.Title.IsZero() {
					it.Title = act.Description
				}
			}
			it.Projects, it.Owner, it.Due = nil, "", nil // derived from the action on read
			if len(it.Reasons) == 0 {
				it.Reasons = []domain.AgendaReason{domain.ReasonAdded}
			}
		}
		if _, err := tx.SaveAgenda(id, version, items); err != nil {
			return err
		}
		if out, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
			return err
		}
		return auditState(tx, "save-agenda", "meeting", id, map[string]any{"agenda": m.Agenda})
	})
	return out, err
}

// ---- outcomes ----

// OutcomeInput is one outcome to record: information (text), a decision
// (resolution, text) or an action (owner, due, description); each may link
// projects.
type OutcomeInput struct {
	Kind        domain.OutcomeKind `json:"kind"`
	Resolution  string             `json:"resolution"`
	Text        domain.Text        `json:"text"`
	Description domain.Text        `json:"description"`
	Owner       string             `json:"owner"`
	Due         *domain.Date       `json:"due"`
	Projects    []string           `json:"projects"`
}

// RecordOutcome records an outcome of a held meeting. An action outcome
// also creates the action record, dated the meeting's day, which must not
// be due before it. Planned and closed meetings take no outcomes.
func (s *Service) RecordOutcome(ctx context.Context, a Actor, id string, in OutcomeInput) (o *domain.Outcome, act *domain.Action, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, nil, err
	}
	if in.Projects == nil {
		in.Projects = []string{}
	}
	o = &domain.Outcome{Meeting: id, Kind: in.Kind, Resolution: in.Resolution, Text: in.Text, Description: in.Description,
		Owner: in.Owner, Due: in.Due, Projects: in.Projects, RecordedBy: a.Name}
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		mid, err := tx.GuardMeeting(id, domain.MeetingHeld)
		if err != nil {
			return err
		}
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		switch o.Kind {
		case domain.OutcomeDecision:
			taken, err := tx.ResolutionTaken(mid, o.Resolution)
			if err != nil {
				return err
			}
			if taken {
				return domain.Conflict("resolution", "مصوبه‌ای با این شماره در این جلسه ثبت شده است", "this meeting already has a decision with this resolution number")
			}
		case domain.OutcomeAction:
			if o.Due.Before(m.Date) {
				return domain.Invalid("due", "مهلت اقدام ("+o.Due.Jalali()+") پیش از تاریخ جلسه‌ای است که آن را تعیین می‌کند ("+m.Date.Jalali()+")",
					"the action is due ("+o.Due.String()+") before the meeting that decides it ("+m.Date.String()+")")
			}
			act = &domain.Action{Meeting: id, Series: m.Series, Owner: o.Owner, Projects: o.Projects, Description: o.Description,
				Created: m.Date, Due: *o.Due}
			if err := tx.InsertAction(mid, act, a.Name); err != nil {
				return err
			}
			o.Action = act.ID
		}
		if err := tx.InsertOutcome(mid, o); err != nil {
			return err
		}
		if act != nil {
			if err := auditState(tx, "create", "action", strconv.FormatInt(act.ID, 10), nil); err != nil {
				return err
			}
		}
		return auditState(tx, "record-outcome", "outcome", id+"/"+strconv.FormatInt(o.ID, 10), nil)
	})
	if err != nil {
		return nil, nil, err
	}
	return o, act, nil
}

// ---- actions ----

// Actions lists the actions the actor may see. Staff only.
func (s *Service) Actions(ctx context.Context, a Actor, f store.ActionFilter, p store.Page) (out []*domain.Action, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Actions(f, a.Viewer(), p); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.actions(out)
		return r.Err()
	})
	return out, err
}

// OverdueActions lists the open actions due before day that the actor may
// see, the most overdue first, up to limit, with their number in all.
// Staff only.
func (s *Service) OverdueActions(ctx context.Context, a Actor, day domain.Date, limit int) (out []*domain.Action, total int, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, 0, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, total, err = tx.OverdueActions(day, a.Viewer(), limit); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.actions(out)
		return r.Err()
	})
	return out, total, err
}

// Action returns one action with its whole history. Staff only.
func (s *Service) Action(ctx context.Context, a Actor, id int64) (out *domain.Action, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Action(id, a.Viewer()); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.action(out)
		return r.Err()
	})
	return out, err
}

// ActionUpdate is an act on an action: re-dating (Due, Reason, kept as the
// event's note), a discussion (Note) or closing (Note). Meeting names the held session it
// happens at, if any; Date is when a closing happened outside a meeting
// (default today).
type ActionUpdate struct {
	Meeting string       `json:"meeting"`
	Date    *domain.Date `json:"date"`
	Due     *domain.Date `json:"due"`
	Reason  domain.Text  `json:"reason"`
	Note    domain.Text  `json:"note"`
}

// RedateAction moves an open action's due date, for a required reason.
// version is the action's version the caller read.
func (s *Service) RedateAction(ctx context.Context, a Actor, id, version int64, u ActionUpdate) (*domain.Action, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if u.Due == nil {
		return nil, domain.Invalid("due", "مهلت تازه لازم است", "the new due date is required")
	}
	if err := domain.ValidNote("reason", u.Reason, true); err != nil {
		return nil, err
	}
	return s.actOn(ctx, a, id, version, u, func(act *domain.Action, ev *domain.ActionEvent) error {
		if u.Due.Before(act.Created) {
			return domain.Invalid("due", "مهلت تازه پیش از تاریخ تعیین اقدام ("+act.Created.Jalali()+") است",
				"the new due date is before the action was decided ("+act.Created.String()+")")
		}
		if *u.Due == act.Due {
			return domain.Invalid("due", "مهلت تازه همان مهلت کنونی است", "the new due date is the current one")
		}
		old, nw := act.Due, *u.Due
		ev.Type, ev.OldDue, ev.NewDue, ev.Note = domain.ActionRedated, &old, &nw, u.Reason
		act.Due = nw
		return nil
	})
}

// DiscussAction records that an open action was discussed at a held
// meeting, or, with no meeting, a progress note. The secretariat may do
// either; the owner agency's focal point may add progress notes.
func (s *Service) DiscussAction(ctx context.Context, a Actor, id, version int64, u ActionUpdate) (*domain.Action, error) {
	if err := a.mustWrite(); err != nil {
		return nil, err
	}
	if !a.isSecretariat() && u.Meeting != "" {
		return nil, domain.Forbidden("فقط دبیرخانه بررسی در جلسه را ثبت می‌کند؛ یادداشت پیشرفت را بدون جلسه بفرستید",
			"only the secretariat records a discussion at a meeting; send a progress note without a meeting")
	}
	if err := domain.ValidNote("note", u.Note, true); err != nil {
		return nil, err
	}
	return s.actOn(ctx, a, id, version, u, func(act *domain.Action, ev *domain.ActionEvent) error {
		if err := a.mayNoteAction(act); err != nil {
			return err
		}
		ev.Type, ev.Note = domain.ActionDiscussed, u.Note
		return nil
	})
}

// CloseAction closes an open action, at a held meeting or on a date (not
// before it was decided, not in the future).
func (s *Service) CloseAction(ctx context.Context, a Actor, id, version int64, u ActionUpdate) (*domain.Action, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if err := domain.ValidNote("note", u.Note, false); err != nil {
		return nil, err
	}
	if u.Meeting != "" && u.Date != nil {
		return nil, domain.Invalid("date", "یا جلسه یا تاریخ، نه هر دو", "give a meeting or a date, not both")
	}
	return s.actOn(ctx, a, id, version, u, func(act *domain.Action, ev *domain.ActionEvent) error {
		if u.Meeting == "" && u.Date != nil {
			ev.Date = *u.Date
		}
		ev.Type, ev.Note = domain.ActionClosedEv, u.Note
		closed := ev.Date
		act.Status, act.Closed = domain.ActionClosed, &closed
		return nil
	})
}

// actOn runs one act on an open action: it reads the action as the actor
// may see it, resolves the meeting the act happens at (which must be held),
// dates the event, lets change fill it in, checks the date, and writes the
// action and its new event in one transaction. A stale version is 412.
func (s *Service) actOn(ctx context.Context, a Actor, id, version int64, u ActionUpdate,
	change func(*domain.Action, *domain.ActionEvent) error) (out *domain.Action, err error) {
	err = s.update(ctx, a, func(tx *store.Tx) error {
		act, err := tx.Action(id, a.Viewer())
		if err != nil {
			return err
		}
		if act.Status != domain.ActionOpen {
			return domain.Conflict("id", "اقدام "+strconv.FormatInt(id, 10)+" بسته شده است", "action "+strconv.FormatInt(id, 10)+" is closed")
		}
		today := domain.DateOf(tx.Now())
		ev := &domain.ActionEvent{Date: today, RecordedBy: a.Name}
		var mid int64
		if u.Meeting != "" {
			var date domain.Date
			if mid, date, err = tx.MeetingRef(u.Meeting); err != nil {
				return err
			}
			if _, err := tx.GuardMeeting(u.Meeting, domain.MeetingHeld); err != nil {
				if e, ok := domain.AsError(err); ok && e.Kind == domain.KindConflict {
					e.Field = "meeting"
				}
				return err
			}
			ev.Meeting, ev.Date = u.Meeting, date
		}
		if err := change(act, ev); err != nil {
			return err
		}
		field := "date"
		if u.Meeting != "" {
			field = "meeting"
		}
		if ev.Date.Before(act.Created) {
			return domain.Invalid(field, "این رویداد پیش از تعیین اقدام ("+act.Created.Jalali()+") است",
				"this happens before the action was decided ("+act.Created.String()+")")
		}
		if today.Before(ev.Date) {
			return domain.Invalid(field, "تاریخ رویداد در آینده است", "the event is dated in the future")
		}
		before := *act
		act.Version = version
		if err := tx.UpdateAction(act, ev, mid); err != nil {
			return err
		}
		if err := auditState(tx, string(ev.Type), "action", strconv.FormatInt(id, 10), before); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.action(act)
		return r.Err()
	})
	return out, err
}

// ---- decisions and minutes ----

// DecisionsAbout lists the decisions about one project the actor may see,
// newest first (the last thousand at most).
func (s *Service) DecisionsAbout(ctx context.Context, a Actor, project string) (out []*domain.Decision, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.DecisionsAbout(project, a.Viewer(), store.Page{Limit: store.MaxPage}); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.decisions(out)
		if err := r.Err(); err != nil {
			return err
		}
		return sealDecisions(tx, out)
	})
	return out, err
}

// Decisions lists the decisions of held and closed meetings the actor may
// see, newest first.
func (s *Service) Decisions(ctx context.Context, a Actor, p store.Page) (out []*domain.Decision, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Decisions(a.Viewer(), p); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.decisions(out)
		if err := r.Err(); err != nil {
			return err
		}
		return sealDecisions(tx, out)
	})
	return out, err
}

// Minutes gathers what the minutes of a meeting show, as the actor may see
// it, with the names of the projects and agencies it mentions.
func (s *Service) Minutes(ctx context.Context, a Actor, id string) (in minutes.Input, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		m, err := s.meetingFor(tx, a, id)
		if err != nil {
			return err
		}
		if err := sealMeeting(tx, m); err != nil {
			return err
		}
		series, err := tx.Series(m.Series)
		if err != nil {
			return err
		}
		var slugs, codes []string
		for _, at := range m.Attendees {
			if at.Agency != "" {
				codes = append(codes, at.Agency)
			}
		}
		for _, o := range m.Outcomes {
			slugs = append(slugs, o.Projects...)
			if o.Owner != "" {
				codes = append(codes, o.Owner)
			}
		}
		projects, err := tx.ProjectTitles(slugs)
		if err != nil {
			return err
		}
		agencies, err := tx.AgencyNames(codes)
		if err != nil {
			return err
		}
		in = minutes.Input{Meeting: m, Series: series, Projects: projects, Agencies: agencies}
		return nil
	})
	return in, err
}
