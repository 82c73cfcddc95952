package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

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

// projectChoices lists the projects the person may see, by title.
func (s *Site) projectChoices(q *req) ([]projectChoice, error) {
	var out []projectChoice
	for p, err := range s.allProjects(q.Context(), q.actor, domain.ProjectFilter{}) {
		if err != nil {
			return nil, err
		}
		out = append(out, projectChoice{Slug: p.Slug, Title: p.Title})
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
