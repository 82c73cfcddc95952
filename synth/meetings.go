package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pishran/pishran/domain"
)

// National scale of the council's follow-up machinery: 2,000 sessions over
// four series and 50,000 actions given to agencies.
const (
	NationalMeetings = 2000
	NationalActions  = 50000
)

// MeetingSet is a synthetic record of the council's meetings: its series,
// the sessions with their outcomes, and the actions the sessions gave
// agencies with each action's history.
//
// Ids inside a set are ordinals: Actions[i].ID is i+1, and an action
// outcome's Action is the ordinal of the action it created. A loader maps
// them to database ids.
type MeetingSet struct {
	Series   []domain.Series
	Meetings []domain.Meeting // oldest first; held and closed ones carry Outcomes
	Actions  []domain.Action  // Events oldest first, "created" first; each event names its session
}

// MeetingsAsOf is the day the synthetic meetings are current to: sessions
// before it are closed (the last of each series only held), sessions after
// it are planned.
var MeetingsAsOf = ProgressAsOf

var seriesDefs = []struct {
	code string
	name domain.Text
	kind domain.SeriesKind
}{
	{"itec", domain.T("شورای اجرایی فناوری اطلاعات (ساختگی)", "IT Executive Council (synthetic)"), domain.SeriesCouncil},
	{"itec-sc", domain.T("کمیته راهبری (ساختگی)", "Steering committee (synthetic)"), domain.SeriesSteeringCommittee},
	{"itec-strat", domain.T("کمیسیون راهبردی (ساختگی)", "Strategic commission (synthetic)"), domain.SeriesStrategicCommission},
	{"itec-tech", domain.T("کارگروه فنی (ساختگی)", "Technical working group (synthetic)"), domain.SeriesOther},
}

// Meetings builds the meeting record of Registry(c) with the given number
// of sessions and actions.
func Meetings(c Config, meetings, actions int) *MeetingSet {
	return MeetingsOf(Registry(c), c.Seed, meetings, actions)
}

// MeetingsOf builds meetings over an already built registry document. The
// sessions are spread evenly from 2020 to a few weeks past MeetingsAsOf
// over four series; the actions are shared evenly among the held and
// closed sessions, each owned by the lead agency of the project it
// concerns. About two in three actions whose due date has passed are
// closed at a later session of their series, one in five is re-dated
// first, and one in three is discussed at the next session. The same
// arguments always give the same set.
func MeetingsOf(doc *domain.Document, seed uint64, meetings, actions int) *MeetingSet {
	r := rand.New(rand.NewPCG(seed^0x3ee7, seed^0xac71))
	set := &MeetingSet{Meetings: make([]domain.Meeting, 0, meetings), Actions: make([]domain.Action, 0, actions)}
	for _, s := range seriesDefs {
		set.Series = append(set.Series, domain.Series{Code: s.code, Name: s.name, Kind: s.kind})
	}
	if meetings <= 0 {
		return set
	}
	from := domain.NewDate(2020, 1, 4)
	to := MeetingsAsOf.AddDays(60) // a few sessions are still to come
	span := from.DaysUntil(to)
	number := make([]int, len(seriesDefs))
	bySeries := make([][]int, len(seriesDefs)) // indexes into set.Meetings, oldest first
	past := 0
	for k := range meetings {
		si := k % len(seriesDefs)
		number[si]++
		date := from.AddDays(int(int64(span) * int64(k) / int64(meetings)))
		m := domain.Meeting{ID: domain.MeetingID(seriesDefs[si].code, number[si]), Series: seriesDefs[si].code, Number: number[si],
			Title: domain.T(fmt.Sprintf("جلسه %d", number[si]), fmt.Sprintf("Session %d", number[si])),
			Date:  date, State: domain.MeetingPlanned,
			Agenda: []domain.AgendaItem{}, Outcomes: []domain.Outcome{}, FollowUps: []domain.ActionFollowUp{},
			Amendments: []domain.Amendment{}}
		if date.Before(MeetingsAsOf) {
			m.State = domain.MeetingClosed
			past++
		}
		for n := 3 + r.IntN(4); len(m.Attendees) < n; {
			at := domain.Attendee{Name: domain.T(fmt.Sprintf("نماینده %d", len(m.Attendees)+1),
				fmt.Sprintf("Representative %d", len(m.Attendees)+1)), Role: domain.T("نماینده", "representative")}
			if len(doc.Agencies) > 0 {
				at.Agency = doc.Agencies[r.IntN(len(doc.Agencies))].Code
			}
			m.Attendees = append(m.Attendees, at)
		}
		set.Meetings = append(set.Meetings, m)
		bySeries[si] = append(bySeries[si], k)
	}
	// The last past session of each series is held, not yet closed.
	for _, idx := range bySeries {
		for j := len(idx) - 1; j >= 0; j-- {
			if set.Meetings[idx[j]].State == domain.MeetingClosed {
				set.Meetings[idx[j]].State = domain.MeetingHeld
				break
			}
		}
	}
	stamped := func(d domain.Date, hour int) *time.Time {
		t := d.Time().Add(time.Duration(hour) * time.Hour)
		return &t
	}
	for i := range set.Meetings {
		m := &set.Meetings[i]
		if m.State != domain.MeetingPlanned {
			m.HeldAt = stamped(m.Date, 12)
		}
		if m.State == domain.MeetingClosed {
			m.ClosedAt = stamped(m.Date.AddDays(3), 9)
		}
	}
	// position of each session in its series, to find later sessions
	pos := make([]int, meetings)
	for _, idx := range bySeries {
		for j, k := range idx {
			pos[k] = j
		}
	}
	seriesOf := func(k int) int { return k % len(seriesDefs) }
	// later returns the first session of k's series on or after day d, or -1.
	later := func(k int, d domain.Date) int {
		idx := bySeries[seriesOf(k)]
		for j := pos[k] + 1; j < len(idx); j++ {
			m := &set.Meetings[idx[j]]
			if m.State == domain.MeetingPlanned {
				return -1
			}
			if !m.Date.Before(d) {
				return idx[j]
			}
		}
		return -1
	}
	var projects []int // candidates for actions: projects with a lead
	for i := range doc.Projects {
		if doc.Projects[i].Lead() != "" {
			projects = append(projects, i)
		}
	}
	resolution := 0
	given := 0
	for k := range set.Meetings {
		m := &set.Meetings[k]
		if m.State == domain.MeetingPlanned {
			continue
		}
		recorded := *m.HeldAt
		o := domain.Outcome{Meeting: m.ID, Kind: domain.OutcomeInformation, Projects: []string{}, RecordedBy: "synth", RecordedAt: recorded,
			Text: domain.T("گزارش پیشرفت پروژه‌ها ارائه شد", "progress of the projects was reported")}
		m.Outcomes = append(m.Outcomes, o)
		for range 1 + r.IntN(3) {
			resolution++
			d := domain.Outcome{Meeting: m.ID, Kind: domain.OutcomeDecision, Resolution: fmt.Sprintf("%d/%d", m.Number, resolution),
				Text:     domain.T(fmt.Sprintf("مصوبه ساختگی %d", resolution), fmt.Sprintf("synthetic resolution %d", resolution)),
				Projects: []string{}, RecordedBy: "synth", RecordedAt: recorded}
			if len(projects) > 0 {
				d.Projects = append(d.Projects, doc.Projects[projects[r.IntN(len(projects))]].Slug)
			}
			m.Outcomes = append(m.Outcomes, d)
		}
		// this session's share of the actions: the first `actions % past`
		// sessions take one more
		share := actions / max(past, 1)
		if given < actions%max(past, 1) {
			share++
		}
		given++
		if len(projects) == 0 {
			share = 0
		}
		for range share {
			p := &doc.Projects[projects[r.IntN(len(projects))]]
			id := int64(len(set.Actions) + 1)
			setDue := m.Date.AddDays(30 + r.IntN(150))
			a := domain.Action{ID: id, Meeting: m.ID, Series: m.Series, Owner: p.Lead(), Projects: []string{p.Slug},
				Description: domain.T(fmt.Sprintf("اقدام ساختگی %d درباره %s", id, p.Slug), fmt.Sprintf("synthetic action %d on %s", id, p.Slug)),
				Created:     m.Date, Due: setDue, Status: domain.ActionOpen}
			a.Events = []domain.ActionEvent{{Type: domain.ActionCreated, Meeting: m.ID, Date: m.Date, RecordedBy: "synth", RecordedAt: recorded}}
			event := func(k2 int, ev domain.ActionEvent) {
				ev.Meeting, ev.Date = set.Meetings[k2].ID, set.Meetings[k2].Date
				ev.RecordedBy, ev.RecordedAt = "synth", *set.Meetings[k2].HeldAt
				a.Events = append(a.Events, ev)
			}
			roll := r.IntN(15)
			if roll < 5 { // discussed at the next session
				if n := later(k, m.Date.AddDays(1)); n >= 0 {
					event(n, domain.ActionEvent{Type: domain.ActionDiscussed, Note: domain.T("پیگیری شد", "followed up")})
				}
			}
			last := a.Events[len(a.Events)-1].Date
			if roll%5 == 0 { // re-dated once, at a session before the due date
				if n := later(k, last.AddDays(1)); n >= 0 && set.Meetings[n].Date.Before(a.Due) {
					old, nd := a.Due, a.Due.AddDays(30+r.IntN(60))
					event(n, domain.ActionEvent{Type: domain.ActionRedated, Note: domain.T("تمدید به درخواست دستگاه", "extended at the agency's request"),
						OldDue: &old, NewDue: &nd})
					a.Due, last = nd, set.Meetings[n].Date
				}
			}
			if a.Due.Before(MeetingsAsOf) && r.IntN(3) < 2 { // closed at a session near its due date
				if n := later(k, maxDate(last.AddDays(1), a.Due.AddDays(-20+r.IntN(40)))); n >= 0 {
					event(n, domain.ActionEvent{Type: domain.ActionClosedEv})
					closed := set.Meetings[n].Date
					a.Status, a.Closed = domain.ActionClosed, &closed
				}
			}
			set.Actions = append(set.Actions, a)
			// The outcome records the due date the session set, before any re-dating.
			m.Outcomes = append(m.Outcomes, domain.Outcome{Meeting: m.ID, Kind: domain.OutcomeAction, Description: a.Description,
				Owner: a.Owner, Due: &setDue, Action: id, Projects: []string{p.Slug}, RecordedBy: "synth", RecordedAt: recorded})
		}
	}
	return set
}

func maxDate(a, b domain.Date) domain.Date {
	if a.Before(b) {
		return b
	}
	return a
}
