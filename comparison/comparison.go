// Package comparison compares two designated lists — typically one
// government's list with the next one's — the way the IT Executive Council's
// secretary compared the 12th government's 23 priority projects with the 13th
// government's 20 driving projects: which projects stayed, which are new,
// which were removed and why, which evolved into what, and how much of the
// picture the records can tell at all.
//
// The package is pure and linear in the number of members: the caller loads
// both sides, Compare judges them.
package comparison

import (
	"slices"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Member is one project that entered a program, with its standing there
// (folded by domain.Fold).
type Member struct {
	Project    *domain.Project
	Membership domain.Membership
}

// Side is one program and every project that ever entered it, active or
// left.
type Side struct {
	Program *domain.Program
	Members []Member
	// Related holds projects that members name as successors but that are
	// on neither list (a capability such as the National Information
	// Exchange Center), so the result can give their titles.
	Related []*domain.Project
}

// ProgramInfo summarizes one side.
type ProgramInfo struct {
	ID                string      `json:"id"`
	Term              int         `json:"term"`
	Title             domain.Text `json:"title"`
	DeclaredSize      *int        `json:"declared_size"`
	NamedCount        int         `json:"named_count"`        // projects named in the records
	ConfidentialCount int         `json:"confidential_count"` // of which confidential
}

// Kept is a project on both lists.
type Kept struct {
	Project    string      `json:"project"`
	Title      domain.Text `json:"title"`
	MainBefore bool        `json:"main_before"`
	MainAfter  bool        `json:"main_after"`
}

// Item is a project in a list of the result.
type Item struct {
	Project string      `json:"project"`
	Title   domain.Text `json:"title"`
}

// Removed is a project that left the first list for a recorded reason and
// whose successor, if any, is not on the second list.
type Removed struct {
	Project        string             `json:"project"`
	Title          domain.Text        `json:"title"`
	Reason         domain.LeaveReason `json:"reason"`
	ReasonText     domain.Text        `json:"reason_text"`
	Note           domain.Text        `json:"note"`
	Successor      string             `json:"successor,omitempty"`
	SuccessorTitle *domain.Text       `json:"successor_title,omitempty"` // when the successor is known to the comparison
}

// Evolved links a project of the first list to one of the second that
// descends from it.
type Evolved struct {
	From      string             `json:"from"`
	FromTitle domain.Text        `json:"from_title"`
	To        string             `json:"to"`
	ToTitle   domain.Text        `json:"to_title"`
	Kind      domain.LineageKind `json:"kind"`
	Reason    domain.LeaveReason `json:"reason,omitempty"` // why the earlier one left, if recorded
}

// Counts are the lengths of the lists, and how many confidential projects
// were left out of them.
type Counts struct {
	Kept               int `json:"kept"`
	Added              int `json:"added"`
	Removed            int `json:"removed"`
	Evolved            int `json:"evolved"`
	Unknown            int `json:"unknown"`
	HiddenConfidential int `json:"hidden_confidential"`
}

// Completeness says how much of each list the records name.
type Completeness struct {
	FromNamed    int         `json:"from_named"`
	FromDeclared *int        `json:"from_declared"`
	ToNamed      int         `json:"to_named"`
	ToDeclared   *int        `json:"to_declared"`
	Complete     bool        `json:"complete"` // both lists declare a size and name exactly that many
	Note         domain.Text `json:"note"`
}

// Result is a comparison of two programs.
type Result struct {
	From         ProgramInfo  `json:"from"`
	To           ProgramInfo  `json:"to"`
	Kept         []Kept       `json:"kept"`
	Added        []Item       `json:"added"`
	Removed      []Removed    `json:"removed"`
	Evolved      []Evolved    `json:"evolved"`
	Unknown      []Item       `json:"unknown"`
	Counts       Counts       `json:"counts"`
	Completeness Completeness `json:"completeness"`
	Narrative    domain.Text  `json:"narrative"`
}

// entry is a member of one side, deduplicated by slug.
type entry struct {
	slug string
	p    *domain.Project
	m    domain.Membership
}

// link is one lineage link from a from-member to a to-member.
type link struct {
	to   int // index in the to side
	kind domain.LineageKind
}

// index deduplicates a side's members by slug (the first wins), keeping
// their order.
func index(s Side) ([]entry, map[string]int) {
	list := make([]entry, 0, len(s.Members))
	at := make(map[string]int, len(s.Members))
	for _, m := range s.Members {
		if m.Project == nil || m.Project.Slug == "" {
			continue
		}
		if _, dup := at[m.Project.Slug]; dup {
			continue
		}
		at[m.Project.Slug] = len(list)
		list = append(list, entry{slug: m.Project.Slug, p: m.Project, m: m.Membership})
	}
	return list, at
}

func info(p *domain.Program, list []entry) ProgramInfo {
	var out ProgramInfo
	if p != nil {
		out = ProgramInfo{ID: p.Slug, Term: p.Term, Title: p.Title, DeclaredSize: p.DeclaredSize}
	}
	out.NamedCount = len(list)
	for _, e := range list {
		if e.p.Confidentiality == domain.Confidential {
			out.ConfidentialCount++
		}
	}
	return out
}

// title is a project's title, with its slug standing in for a missing one.
func title(e entry) domain.Text {
	if e.p.Title.IsZero() {
		return domain.T(e.slug, e.slug)
	}
	return e.p.Title
}

// Compare compares the program of from with that of to. With
// showConfidential false, confidential projects appear in no list and
// nowhere in the narrative: the comparison is made as if they were not on
// either list, and they are only counted (Counts.HiddenConfidential). Lists
// keep the order of the sides' members.
func Compare(from, to Side, showConfidential bool) *Result {
	fl, fAt := index(from)
	tl, tAt := index(to)

	r := &Result{
		From:    info(from.Program, fl),
		To:      info(to.Program, tl),
		Kept:    []Kept{},
		Added:   []Item{},
		Removed: []Removed{},
		Evolved: []Evolved{},
		Unknown: []Item{},
	}

	// A project is confidential if either side's record says so.
	hidden := map[string]bool{}
	if !showConfidential {
		for _, l := range [][]entry{fl, tl} {
			for _, e := range l {
				if e.p.Confidentiality == domain.Confidential {
					hidden[e.slug] = true
				}
			}
		}
	}

	// Lineage: a to-member naming a from-member as predecessor, or a
	// from-member's leave event naming a to-member as successor.
	links := map[int][]link{} // by from index
	linked := map[[2]int]bool{}
	isTarget := make([]bool, len(tl))
	addLink := func(fi, ti int, kind domain.LineageKind) {
		if linked[[2]int{fi, ti}] {
			return
		}
		linked[[2]int{fi, ti}] = true
		if kind == "" {
			kind = domain.LineageEvolved
		}
		links[fi] = append(links[fi], link{ti, kind})
		isTarget[ti] = true
	}
	for ti, t := range tl {
		if hidden[t.slug] {
			continue
		}
		for _, pr := range t.p.Predecessors {
			fi, ok := fAt[pr.Project]
			if !ok || pr.Project == t.slug || hidden[pr.Project] {
				continue
			}
			addLink(fi, ti, pr.Kind)
		}
	}
	for fi, f := range fl {
		s := f.m.Successor
		if hidden[f.slug] || s == "" || s == f.slug || hidden[s] {
			continue
		}
		if ti, ok := tAt[s]; ok {
			addLink(fi, ti, "") // a kind from the to-member's predecessors was recorded first
		}
	}

	// Titles of every project the comparison knows, for successors.
	titleOf := func(slug string) *domain.Text {
		if hidden[slug] {
			return nil
		}
		if i, ok := tAt[slug]; ok {
			t := title(tl[i])
			return &t
		}
		if i, ok := fAt[slug]; ok {
			t := title(fl[i])
			return &t
		}
		for _, side := range []Side{from, to} {
			for _, p := range side.Related {
				if p.Slug == slug {
					if p.Confidentiality == domain.Confidential && !showConfidential {
						return nil
					}
					t := p.Title
					return &t
				}
			}
		}
		return nil
	}

	redact := redactor(hidden, fl, tl)

	for fi, f := range fl {
		if hidden[f.slug] {
			continue
		}
		if ls := links[fi]; len(ls) > 0 {
			slices.SortFunc(ls, func(a, b link) int { return a.to - b.to })
			for _, l := range ls {
				t := tl[l.to]
				r.Evolved = append(r.Evolved, Evolved{From: f.slug, FromTitle: title(f), To: t.slug, ToTitle: title(t),
					Kind: l.kind, Reason: f.m.Reason})
			}
		}
		switch ti, inTo := tAt[f.slug]; {
		case inTo:
			r.Kept = append(r.Kept, Kept{Project: f.slug, Title: title(f), MainBefore: f.m.Main, MainAfter: tl[ti].m.Main})
		case len(links[fi]) > 0:
			// evolved, listed above
		case f.m.Reason != "" || f.m.Successor != "":
			rm := Removed{Project: f.slug, Title: title(f), Reason: f.m.Reason, ReasonText: f.m.Reason.Text(),
				Note: redact(f.m.Note)}
			if s := f.m.Successor; s != "" && s != f.slug && !hidden[s] {
				// A successor the comparison cannot title may be a confidential
				// project outside both lists: name it only to those who may see it.
				if t := titleOf(s); t != nil || showConfidential {
					rm.Successor, rm.SuccessorTitle = s, t
				}
			}
			r.Removed = append(r.Removed, rm)
		default:
			r.Unknown = append(r.Unknown, Item{Project: f.slug, Title: title(f)})
		}
	}
	for ti, t := range tl {
		if hidden[t.slug] || isTarget[ti] {
			continue
		}
		if _, inFrom := fAt[t.slug]; inFrom {
			continue
		}
		r.Added = append(r.Added, Item{Project: t.slug, Title: title(t)})
	}

	r.Counts = Counts{Kept: len(r.Kept), Added: len(r.Added), Removed: len(r.Removed),
		Evolved: len(r.Evolved), Unknown: len(r.Unknown), HiddenConfidential: len(hidden)}
	r.Completeness = completeness(r)
	r.Narrative = narrative(r, from.Program, to.Program)
	return r
}

// redactor returns a function that blanks the slugs and titles of hidden
// projects out of free text (a public project's note may name a confidential
// one). It runs in time linear in the text, whatever the number of hidden
// projects.
func redactor(hidden map[string]bool, lists ...[]entry) func(domain.Text) domain.Text {
	if len(hidden) == 0 {
		return func(t domain.Text) domain.Text { return t }
	}
	var olds []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			olds = append(olds, s)
		}
	}
	for _, l := range lists {
		for _, e := range l {
			if hidden[e.slug] {
				add(e.p.Title.FA)
				add(e.p.Title.EN)
				add(e.slug)
			}
		}
	}
	// A Replacer tries its patterns in argument order: longest first, so a
	// slug inside a title does not leave the rest of the title behind.
	slices.SortFunc(olds, func(a, b string) int { return len(b) - len(a) })
	fa, en := make([]string, 0, 2*len(olds)), make([]string, 0, 2*len(olds))
	for _, s := range olds {
		fa = append(fa, s, "[محرمانه]")
		en = append(en, s, "[confidential]")
	}
	rfa, ren := strings.NewReplacer(fa...), strings.NewReplacer(en...)
	return func(t domain.Text) domain.Text { return domain.T(rfa.Replace(t.FA), ren.Replace(t.EN)) }
}

func completeness(r *Result) Completeness {
	c := Completeness{
		FromNamed: r.From.NamedCount, FromDeclared: r.From.DeclaredSize,
		ToNamed: r.To.NamedCount, ToDeclared: r.To.DeclaredSize,
	}
	c.Complete = c.FromDeclared != nil && c.ToDeclared != nil &&
		c.FromNamed == *c.FromDeclared && c.ToNamed == *c.ToDeclared
	c.Note = completenessNote(r, c)
	return c
}
