package web

import "github.com/pishran/pishran/domain"

// fateView is a list's breakdown as the page draws it: the parts with
// where each starts on the stacked bar.
type fateView struct {
	domain.Fate
	Bars []fateBar
	// Width is the bar's length in parts: the declared size, or the
	// total when the records name more (so the bar still shows them all).
	Width int
}

// fateBar is one part with its place on the bar (left to right in
// English, right to left in Persian: the page mirrors X).
type fateBar struct {
	domain.FatePart
	X, W int
}

// newFateView lays the parts out on one bar.
func newFateView(f domain.Fate, rtl bool) *fateView {
	v := &fateView{Fate: f, Width: f.Total}
	if f.Declared != nil && *f.Declared > v.Width {
		v.Width = *f.Declared
	}
	x := 0
	for _, p := range f.Parts {
		b := fateBar{FatePart: p, X: x, W: p.N}
		if rtl {
			b.X = v.Width - x - p.N
		}
		v.Bars = append(v.Bars, b)
		x += p.N
	}
	return v
}

// fatesOf reads the breakdowns of the given programs in one transaction;
// a failing read leaves them out (the rest of the page is still true)
// and is logged.
func (s *Site) fatesOf(q *req, progs []programView) map[string]*fateView {
	slugs := make([]string, len(progs))
	for i, g := range progs {
		slugs[i] = g.Slug
	}
	fs, err := s.svc.Fates(q.Context(), q.actor, slugs)
	if err != nil {
		s.log.Error("web fate", "err", err)
		return nil
	}
	out := make(map[string]*fateView, len(fs))
	for slug, f := range fs {
		out[slug] = newFateView(f, q.lang == FA)
	}
	return out
}
