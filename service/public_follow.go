package service

import (
	"context"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// Follow-through in public (issue 14): was the council's decision followed
// up until it was done? The public reads the actions the council gave
// about public projects — owner agency, due date, every re-dating with its
// reason, the closing — and the held meetings with their published
// minutes. Each page is one read transaction. What the public reads names
// agencies, never a person: the account that recorded an event is left
// out (publicAction).

// ActionQuery narrows the public's action list.
type ActionQuery struct {
	Agency  string // owner agency code
	Status  string // "", "open", "overdue" or "closed"
	Project string
	Meeting string
}

// ActionStatuses are the values ActionQuery.Status takes besides "".
var ActionStatuses = store.ActionStatuses

// ActionsPage is a page of the public's actions with the names it shows.
type ActionsPage struct {
	Actions []*domain.Action
	Total   int         // how many match, on every page
	Day     domain.Date // the day overdue ages count to
	// Agencies names the agencies of the page's actions and every owner of
	// a public action (the filter's choices), by code.
	Agencies map[string]domain.Text
	Owners   []string               // the owners of public actions, by code
	Titles   map[string]domain.Text // the projects' titles, by slug
}

// PublicActions reads a page of the public's actions (offset, limit) in one
// read transaction.
func (s *Service) PublicActions(ctx context.Context, q ActionQuery, offset, limit int) (out *ActionsPage, err error) {
	if q.Status != "" && !slices.Contains(ActionStatuses, q.Status) {
		return nil, domain.Invalid("status", "وضعیت باید open، overdue یا closed باشد", "status must be open, overdue or closed")
	}
	for _, x := range [][2]string{{"agency", q.Agency}, {"project", q.Project}, {"meeting", q.Meeting}} {
		if field, v := x[0], x[1]; v != "" && !domain.ValidSlug(v) {
			return nil, domain.Invalid(field, "شناسه نامعتبر است", "not a valid identifier")
		}
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		out = &ActionsPage{Day: txDay(tx)}
		acts, total, err := tx.PublicActions(store.PublicActionFilter{Owner: q.Agency, Status: q.Status, Project: q.Project,
			Meeting: q.Meeting}, out.Day, offset, limit)
		if err != nil {
			return err
		}
		out.Total = total
		for _, a := range acts {
			out.Actions = append(out.Actions, publicAction(a))
		}
		if out.Agencies, err = tx.PublicActionOwners(); err != nil {
			return err
		}
		for code := range out.Agencies {
			out.Owners = append(out.Owners, code)
		}
		slices.Sort(out.Owners)
		var slugs []string
		for _, a := range acts {
			slugs = append(slugs, a.Projects...)
		}
		out.Titles, err = tx.ProjectTitles(slugs)
		return err
	})
	return out, err
}

// PublicAction returns one of the public's actions with its history; any
// other action is not found.
func (s *Service) PublicAction(ctx context.Context, id int64) (out *domain.Action, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		a, err := tx.Action(id, domain.Viewer{})
		if err != nil {
			return err
		}
		if len(a.Projects) == 0 { // not about a project: not the public's
			return domain.NotFound("id", "action")
		}
		out = publicAction(a)
		return nil
	})
	return out, err
}

// publicAction is a copy of a without the accounts that recorded its
// events: the public reads which agency owes what, not who typed it.
func publicAction(a *domain.Action) *domain.Action {
	c := *a
	c.Events = make([]domain.ActionEvent, len(a.Events))
	for i, ev := range a.Events {
		ev.RecordedBy = ""
		c.Events[i] = ev
	}
	return &c
}

// MeetingsPage is a page of held meetings with their series' names.
type MeetingsPage struct {
	Meetings []*domain.Meeting // newest first, without attendees; closed ones carry their minutes' code
	Total    int
	Series   map[string]domain.Text // the series' names, by code
}

// PublicMeetings reads a page of the held and closed meetings, of one
// series or all, in one read transaction.
func (s *Service) PublicMeetings(ctx context.Context, series string, offset, limit int) (out *MeetingsPage, err error) {
	if series != "" && !domain.ValidSlug(series) {
		return nil, domain.Invalid("series", "کد دوره نامعتبر است", "invalid series code")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		out = &MeetingsPage{Series: map[string]domain.Text{}}
		ms, total, err := tx.PublicMeetings(series, offset, limit)
		if err != nil {
			return err
		}
		out.Meetings, out.Total = ms, total
		var closed []string
		for _, m := range ms {
			m.Attendees = []domain.Attendee{}
			if m.State == domain.MeetingClosed {
				closed = append(closed, m.ID)
			}
		}
		codes, err := tx.SignedCodes(signing.KindMinutes, closed)
		if err != nil {
			return err
		}
		for _, m := range ms {
			m.VerificationCode = codes[m.ID]
		}
		list, err := tx.SeriesList(domain.Page{Limit: domain.MaxPage})
		if err != nil {
			return err
		}
		for _, sr := range list {
			out.Series[sr.Code] = sr.Name
		}
		return nil
	})
	return out, err
}

// MeetingPage is what the public reads of one held meeting: what its
// published minutes hold (its decisions about public projects, each with
// its seal, once it closed), the public's actions it decided, and what it
// did to earlier ones.
type MeetingPage struct {
	Meeting    *domain.Meeting // outcomes: decisions only; no attendees or agenda
	SeriesName domain.Text
	Published  bool // closed: the minutes and decisions are signed and published
	Actions    []*domain.Action
	FollowUps  []domain.ActionFollowUp
	Agencies   map[string]domain.Text
	Titles     map[string]domain.Text
	Day        domain.Date // the day of the read, for overdue ages
}

// PublicMeeting reads one held or closed meeting as the public may read it,
// in one read transaction; a planned or cancelled one is not found. Until
// it closes, its minutes are not published, and neither are its
// decisions here.
func (s *Service) PublicMeeting(ctx context.Context, id string) (out *MeetingPage, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		m, err := publicMeeting(tx, id)
		if err != nil {
			return err
		}
		out = &MeetingPage{Meeting: m, Published: m.State == domain.MeetingClosed, Day: txDay(tx)}
		followUps, err := tx.MeetingFollowUps(id, domain.Viewer{})
		if err != nil {
			return err
		}
		if err := sealMeeting(tx, m); err != nil {
			return err
		}
		if sr, err := tx.Series(m.Series); err == nil {
			out.SeriesName = sr.Name
		} else if !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		acts, _, err := tx.PublicActions(store.PublicActionFilter{Meeting: id}, txDay(tx), 0, domain.MaxPage)
		if err != nil {
			return err
		}
		var slugs, codes []string
		public := map[int64]bool{}
		for _, a := range acts {
			out.Actions = append(out.Actions, publicAction(a))
			slugs, codes = append(slugs, a.Projects...), append(codes, a.Owner)
		}
		// Follow-ups of earlier actions: only of actions the public may read.
		if len(followUps) > 0 {
			ids := make([]int64, len(followUps))
			for i, f := range followUps {
				ids[i] = f.Action
			}
			// Their projects alone (not their whole histories) decide.
			projects, _, err := tx.ActionProjectSlugs(ids)
			if err != nil {
				return err
			}
			dir, err := s.projectDirectory(tx)
			if err != nil {
				return err
			}
			for id, ps := range projects {
				ok := len(ps) > 0
				for _, p := range ps {
					e := dir.bySlug[p]
					ok = ok && e != nil && e.Confidentiality == domain.Public
				}
				if ok {
					public[id] = true
					slugs = append(slugs, ps...)
				}
			}
			for _, f := range followUps {
				if public[f.Action] {
					f.RecordedBy = ""
					out.FollowUps = append(out.FollowUps, f)
					codes = append(codes, f.Owner)
				}
			}
		}
		for _, o := range m.Outcomes {
			slugs = append(slugs, o.Projects...)
		}
		if out.Titles, err = tx.ProjectTitles(slugs); err != nil {
			return err
		}
		out.Agencies, err = tx.AgencyNames(codes)
		return err
	})
	return out, err
}
