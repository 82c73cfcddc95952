package service

import (
	"context"
	"slices"
	"strconv"

	"github.com/pishran/pishran/agenda"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

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
	viewer  domain.Viewer
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
	div, err := acceptedDivergences(tx, slugs)
	if err != nil {
		return nil, err
	}
	in.Divergent = make(map[string]bool, len(div))
	for slug := range div {
		in.Divergent[slug] = true
	}
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
	return s.projectDirectoryAt(tx, gen)
}

// projectDirectoryAt is projectDirectory for a caller that has read the
// registry generation in tx already: it is not read twice.
func (s *Service) projectDirectoryAt(tx *store.Tx, gen int64) (*directory, error) {
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
	dir := &directory{byID: byID, bySlug: make(map[string]*domain.ProjectEntry, len(byID))}
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
	byID   map[int64]*domain.ProjectEntry
	bySlug map[string]*domain.ProjectEntry
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
		if m.State == domain.MeetingClosed || m.State == domain.MeetingCancelled {
			return store.MeetingStateConflict(id, m.State)
		}
		// An item sent without its reasons keeps the ones it was proposed
		// or saved with (a main project stays one); only an item new to
		// both is "added by the secretariat".
		var known map[string][]domain.AgendaReason
		if slices.ContainsFunc(items, func(it domain.AgendaItem) bool { return len(it.Reasons) == 0 }) {
			if known, err = s.knownReasons(ctx, tx, a, m); err != nil {
				return err
			}
		}
		for i := range items {
			it := &items[i]
			f := "items[" + strconv.Itoa(i) + "]"
			switch it.Kind {
			case domain.AgendaProject:
				if it.Title.IsZero() {
					p, err := tx.Project(it.Project, domain.Viewer{All: true})
					if err != nil {
						return domain.Invalid(f+".project", "پروژه‌ای با این شناسه ثبت نشده است: "+it.Project, "no project with this slug is recorded: "+it.Project)
					}
					it.Title = p.Title
				}
			case domain.AgendaAction:
				act, err := tx.Action(it.Action, domain.Viewer{All: true})
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
				it.Reasons = known[it.Key()]
			}
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
		if err := s.raiseAgenda(tx, out); err != nil {
			return err
		}
		return auditState(tx, "save-agenda", "meeting", id, map[string]any{"agenda": m.Agenda})
	})
	return out, err
}

// knownReasons maps each item key of a meeting's saved agenda and, while it
// is planned, of its proposal to the reasons it carries there.
func (s *Service) knownReasons(ctx context.Context, tx *store.Tx, a Actor, m *domain.Meeting) (map[string][]domain.AgendaReason, error) {
	known := map[string][]domain.AgendaReason{}
	if m.State == domain.MeetingPlanned {
		proposed, err := s.proposal(ctx, tx, a, m)
		if err != nil {
			return nil, err
		}
		for _, it := range proposed {
			if k := it.Key(); k != "" && len(it.Reasons) > 0 {
				known[k] = slices.Clone(it.Reasons)
			}
		}
	}
	saved, err := tx.MeetingRecord(m.ID, domain.Viewer{All: true})
	if err != nil {
		return nil, err
	}
	for _, it := range saved.Agenda {
		if k := it.Key(); k != "" && len(it.Reasons) > 0 {
			known[k] = slices.Clone(it.Reasons)
		}
	}
	return known, nil
}
