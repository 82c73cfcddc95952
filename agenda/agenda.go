// Package agenda proposes a meeting's agenda from the follow-up record: the
// main projects of the adopted lists (always), the projects that need the
// council's attention (an overdue action, a red or silent computed status,
// a fall in the council's rating, a stale report), and the open actions carried from
// earlier sessions of the series.
//
// It is a pure function of its input: no storage, no HTTP, no clock. The
// service gathers the input inside one transaction; who may see which item
// is the service's concern too.
package agenda

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Meeting is the session the agenda is for.
type Meeting struct {
	Series string
	Number int
	Date   domain.Date
}

// Project is a project under follow-up: an active member of an adopted
// list, or a project an open action concerns.
type Project struct {
	Slug  string
	Title domain.Text
	Main  bool // a main project of an adopted list
}

// Action is an open action.
type Action struct {
	ID            int64
	Series        string // the series of the session that decided it
	MeetingNumber int    // that session's number
	Owner         string
	Due           domain.Date
	Description   domain.Text
	Projects      []Project // the projects it concerns
}

// Input is everything the proposal is built from.
type Input struct {
	Meeting  Meeting
	Projects []Project
	Actions  []Action // open actions only
	// Health holds the follow-up signals of the projects under follow-up
	// as of the meeting date. A project missing from it raises no signal.
	Health map[string]domain.Health
	// Policy is the thresholds in force. The signals in Health were
	// computed under it (staleness grace, rating-drop points, slip and cost
	// limits), so Propose reads no threshold of its own: the agenda and the
	// dashboards can never disagree on what is red or stale.
	Policy domain.Policy
	// Divergent holds the projects with a milestone reported done while
	// the National Information Exchange shows no successful traffic of
	// the integration evidencing it: each raises its own reason.
	Divergent map[string]bool
}

// Overdue reports whether an open action is overdue at a meeting: due
// before the meeting's day.
func Overdue(a Action, m Meeting) bool { return before(a.Due, m.Date) }

// before compares two days without formatting them: the builder compares
// thousands.
func before(a, b domain.Date) bool {
	if a.Y != b.Y {
		return a.Y < b.Y
	}
	if a.M != b.M {
		return a.M < b.M
	}
	return a.D < b.D
}

// Carried reports whether an open action is carried to a meeting: decided
// at an earlier session of the same series.
func Carried(a Action, m Meeting) bool { return a.Series == m.Series && a.MeetingNumber < m.Number }

// Propose builds the proposed agenda. Projects appear once each, with every
// reason that put them there; carried actions appear once each. The order
// is stable: main projects first, then by severity (red status, overdue
// action, rating drop, stale report, carried action), project items before
// action items, then by slug and action id.
func Propose(in Input) []domain.AgendaItem {
	byProject := map[string]*domain.AgendaItem{}
	var items []*domain.AgendaItem
	add := func(p Project, r domain.AgendaReason) {
		it, ok := byProject[p.Slug]
		if !ok {
			it = &domain.AgendaItem{Kind: domain.AgendaProject, Project: p.Slug, Title: p.Title}
			byProject[p.Slug] = it
			items = append(items, it)
		}
		if !slices.Contains(it.Reasons, r) {
			it.Reasons = append(it.Reasons, r)
		}
		if it.Title.IsZero() {
			it.Title = p.Title
		}
	}
	signals := func(p Project) {
		if in.Divergent[p.Slug] {
			add(p, domain.ReasonExchangeDivergence)
		}
		h, ok := in.Health[p.Slug]
		if !ok {
			return
		}
		if h.Status == domain.Red {
			add(p, domain.ReasonRedStatus)
		}
		if h.Status == domain.Silent {
			add(p, domain.ReasonSilent) // its own reason: the stale report is what it means
		}
		if h.RatingDrop {
			add(p, domain.ReasonRatingDrop)
		}
		if h.Stale && h.Status != domain.Silent {
			add(p, domain.ReasonStaleReport)
		}
	}
	judged := map[string]bool{} // projects whose health signals were read
	for _, p := range in.Projects {
		if p.Main {
			add(p, domain.ReasonMainProject)
		}
		if !judged[p.Slug] {
			judged[p.Slug] = true
			signals(p)
		}
	}
	for _, a := range in.Actions {
		overdue := Overdue(a, in.Meeting)
		for _, p := range a.Projects {
			if overdue {
				add(p, domain.ReasonOverdueAction)
			}
			if !judged[p.Slug] { // a project followed only through its actions
				judged[p.Slug] = true
				signals(p)
			}
		}
		if !Carried(a, in.Meeting) {
			continue
		}
		due := a.Due
		it := &domain.AgendaItem{Kind: domain.AgendaAction, Action: a.ID, Owner: a.Owner, Due: &due,
			Title: a.Description, Reasons: []domain.AgendaReason{domain.ReasonCarriedAction}, Projects: []string{}}
		if overdue {
			it.Reasons = append(it.Reasons, domain.ReasonOverdueAction)
		}
		for _, p := range a.Projects {
			it.Projects = append(it.Projects, p.Slug)
		}
		items = append(items, it)
	}
	for _, it := range items {
		sortReasons(it.Reasons)
	}
	order(items)
	out := make([]domain.AgendaItem, len(items))
	for i, it := range items {
		out[i] = *it
	}
	return out
}

// sortReasons puts an item's reasons in the canonical order of
// domain.AgendaReasons.
func sortReasons(rs []domain.AgendaReason) {
	slices.SortFunc(rs, func(a, b domain.AgendaReason) int {
		return slices.Index(domain.AgendaReasons, a) - slices.Index(domain.AgendaReasons, b)
	})
}

// Sort orders items the way a proposal lists them.
func Sort(items []domain.AgendaItem) {
	ps := make([]*domain.AgendaItem, len(items))
	for i := range items {
		ps[i] = &items[i]
	}
	order(ps)
	sorted := make([]domain.AgendaItem, len(items))
	for i, p := range ps {
		sorted[i] = *p
	}
	copy(items, sorted)
}

// order sorts items in place, computing each item's sort key once:
// agendas run to thousands of items.
func order(items []*domain.AgendaItem) {
	type key struct {
		main     bool
		severity int
		kind     int
		project  string
		action   int64
		at       int // the item's index, for a stable order
		item     *domain.AgendaItem
	}
	keys := make([]key, len(items))
	for i, it := range items {
		keys[i] = key{it.IsMain(), it.Severity(), slices.Index(domain.AgendaKinds, it.Kind), it.Project, it.Action, i, it}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.main != b.main {
			if a.main {
				return -1
			}
			return 1
		}
		if d := b.severity - a.severity; d != 0 {
			return d
		}
		if d := a.kind - b.kind; d != 0 {
			return d
		}
		if c := strings.Compare(a.project, b.project); c != 0 {
			return c
		}
		if c := cmp.Compare(a.action, b.action); c != 0 {
			return c
		}
		return a.at - b.at
	})
	for i, k := range keys {
		items[i] = k.item
	}
}
