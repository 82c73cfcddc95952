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

// A project's membership in a list, for the secretariat: its history (every
// event, the voided ones marked), the departure form (a reason, the day,
// the successor the reason may call for) and, under each event, the form
// that voids it with a reason. The history is append-only: nothing here
// changes an event; a departure or a correction is a new event
// (service.Leave, service.VoidSeen). Both forms carry the last event the
// page showed, so an act on a history someone has added to since is
// refused as stale; the page then shows the history as it is now.

func memberURL(program, project string) string {
	return "/staff/programs/" + url.PathEscape(program) + "/members/" + url.PathEscape(project)
}

type eventView struct {
	*domain.MembershipEvent
	Successor *linkView
	Voided    *domain.MembershipEvent // the correction that voided it
	VoidForm  *regForm
}

type membershipView struct {
	Program    domain.ProgramRow
	Project    *linkView
	Membership domain.Membership
	Member     bool
	Events     []*eventView
	Seen       int64
	Leave      *regForm
	Alert      *regAlert
	Notice     string
}

type membersView struct {
	Program domain.ProgramRow
	Members []*domain.Member
}

// membersPage lists a list's projects, active and gone, each linking to
// its membership page.
func (s *Site) membersPage(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	ctx, id := q.Context(), q.PathValue("id")
	g, err := s.svc.Program(ctx, q.actor, id)
	if err != nil {
		return err
	}
	v := membersView{Program: g}
	members := func(p domain.Page) ([]*domain.Member, error) {
		ms, _, err := s.svc.Members(ctx, q.actor, id, domain.MemberFilter{}, p)
		return ms, err
	}
	for m, err := range domain.Walk(members, func(m *domain.Member) string { return m.Project }) {
		if err != nil {
			return err
		}
		v.Members = append(v.Members, m)
	}
	return s.renderStaff(q, http.StatusOK, "staff/registry_members", q.lang.T("registry.members_title", q.lang.Text(g.Title)), "programs", v)
}

func (s *Site) memberPage(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	v, err := s.membershipPage(q)
	if err != nil {
		return err
	}
	switch q.URL.Query().Get("done") {
	case "left":
		v.Notice = q.lang.T("registry.left_done")
	case "voided":
		v.Notice = q.lang.T("registry.voided_done")
	}
	return s.renderStaff(q, http.StatusOK, "staff/registry_member", q.lang.Text(v.Project.Title), "programs", v)
}

// membershipView reads the membership and lays out its forms, empty.
func (s *Site) membershipPage(q *req) (*membershipView, error) {
	ctx, id, slug := q.Context(), q.PathValue("id"), q.PathValue("project")
	g, err := s.svc.Program(ctx, q.actor, id)
	if err != nil {
		return nil, err
	}
	evs, err := s.svc.History(ctx, q.actor, id, slug)
	if err != nil {
		return nil, err
	}
	look := s.lookups(q)
	v := &membershipView{Program: g, Project: look.project(slug)}
	var plain []domain.MembershipEvent
	voided := map[int64]*domain.MembershipEvent{}
	for _, e := range evs {
		plain = append(plain, *e)
		if e.Type == domain.EventVoided {
			voided[e.Voids] = e
		}
		v.Seen = e.ID
	}
	v.Membership, v.Member = domain.Fold(plain)
	for _, e := range evs {
		ev := &eventView{MembershipEvent: e, Voided: voided[e.ID]}
		if e.Successor != "" {
			ev.Successor = look.project(e.Successor)
		}
		if e.Type != domain.EventVoided && ev.Voided == nil {
			ev.VoidForm = voidForm(q, id, slug, e.ID, domain.Text{})
		}
		v.Events = append(v.Events, ev)
	}
	slices.Reverse(v.Events) // newest first
	if v.Member && v.Membership.Active {
		c, err := s.registryChoices(q)
		if err != nil {
			return nil, err
		}
		v.Leave = leaveForm(q, id, slug, service.Departure{}, "", c)
	}
	return v, nil
}

func voidForm(q *req, program, project string, event int64, note domain.Text) *regForm {
	l := q.lang
	k := "void" + strconv.FormatInt(event, 10)
	sec := &section{ID: sectionID(k), Legend: l.T("registry.void_legend")}
	fs := bilingual(l, "note", l.T("registry.void_reason"), note, true)
	for _, f := range fs {
		f.ID = fieldID(k) + strings.TrimPrefix(f.ID, fieldID("note"))
	}
	fs[0].Required = true
	sec.Fields = fs
	return &regForm{Action: memberURL(program, project) + "/void", Submit: l.T("registry.void_submit"), Sections: []*section{sec}}
}

func leaveForm(q *req, program, project string, d service.Departure, date string, c *registryChoices) *regForm {
	l := q.lang
	sec := &section{ID: sectionID("leave"), Legend: l.T("registry.leave_legend"), Hint: l.T("registry.leave_hint")}
	reasons := []option{{Value: "", Label: l.T("registry.none_chosen")}}
	for _, r := range domain.LeaveReasons {
		reasons = append(reasons, option{Value: string(r), Label: l.Text(r.Text())})
	}
	reason := selectField("reason", l.T("member.reason"), string(d.Reason), reasons)
	reason.Required = true
	day := dateField(l, "date", l.T("registry.leave_date"), nil)
	day.Value, day.Hint = date, l.T("registry.date_hint")+" — "+l.T("designate.date_default")
	succ := []option{{Value: "", Label: l.T("registry.none_chosen")}}
	for _, p := range c.projects {
		if p.Slug != project {
			succ = append(succ, option{Value: p.Slug, Label: l.Text(p.Title)})
		}
	}
	successor := selectField("successor", l.T("member.successor"), d.Successor, succ)
	successor.Hint = l.T("registry.successor_hint")
	sec.Fields = append([]*field{reason, day, successor}, bilingual(l, "note", l.T("member.note"), d.Note, true)...)
	return &regForm{Action: memberURL(program, project) + "/leave", Submit: l.T("registry.leave_submit"), Sections: []*section{sec}}
}

// leavePost records the departure; a refusal shows the page again with
// the form as posted and the message beside its field.
func (s *Site) leavePost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id, slug := q.PathValue("id"), q.PathValue("project")
	d := service.Departure{Program: id, Project: slug, Reason: domain.LeaveReason(q.PostFormValue("reason")),
		Successor: q.PostFormValue("successor"), Note: formText(q, "note"), Seen: postedVersion(q)}
	var err error
	if d.Date, err = readDate(q, "date"); err == nil {
		if d.Reason == "" {
			err = domain.Invalid("reason", "دلیل خروج را برگزینید", "choose the reason for leaving")
		} else {
			_, err = s.svc.Leave(q.Context(), q.actor, d)
		}
	}
	if err == nil {
		return redirect(q, memberURL(id, slug)+"?done=left")
	}
	v, verr := s.membershipPage(q)
	if verr != nil {
		return verr
	}
	c, cerr := s.registryChoices(q)
	if cerr != nil {
		return cerr
	}
	f := leaveForm(q, id, slug, d, strings.TrimSpace(q.PostFormValue("date")), c)
	if err := s.refuse(q, f, err); err != nil {
		return err
	}
	// The page shows the history as it is now; a departure already
	// recorded by someone else leaves no form to fill again.
	if v.Leave != nil {
		v.Leave = f
	}
	v.Alert = f.Alert
	return s.renderStaff(q, f.status, "staff/registry_member", q.lang.Text(v.Project.Title), "programs", v)
}

// voidPost voids one event of the history, with the reason given.
func (s *Site) voidPost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id, slug := q.PathValue("id"), q.PathValue("project")
	event, _ := strconv.ParseInt(digitsASCII(q.PostFormValue("event")), 10, 64)
	c := service.Correction{Program: id, Project: slug, Event: event, Note: formText(q, "note"), Seen: postedVersion(q)}
	_, err := s.svc.VoidSeen(q.Context(), q.actor, c)
	if err == nil {
		return redirect(q, memberURL(id, slug)+"?done=voided")
	}
	v, verr := s.membershipPage(q)
	if verr != nil {
		return verr
	}
	f := voidForm(q, id, slug, event, c.Note)
	if err := s.refuse(q, f, err); err != nil {
		return err
	}
	v.Alert = f.Alert
	for _, ev := range v.Events {
		if ev.ID == event && ev.VoidForm != nil {
			ev.VoidForm = f
		}
	}
	return s.renderStaff(q, f.status, "staff/registry_member", q.lang.Text(v.Project.Title), "programs", v)
}
