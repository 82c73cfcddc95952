package web

import (
	"net/http"
	"strings"

	"github.com/pishran/pishran/comparison"
)

// countView is one category of the comparison with its count.
type countView struct {
	Key   string // compare.kept, …
	Class string // kept, …: the swatch's class
	Help  string
	N     int
	Color string
}

// chartData is what compare.js draws, embedded in the page as JSON.
type chartData struct {
	Title  string   `json:"title"`
	Labels []string `json:"labels"`
	Values []int    `json:"values"`
	Colors []string `json:"colors"`
	Locale string   `json:"locale"`
	RTL    bool     `json:"rtl"`
}

type compareView struct {
	Programs []programView
	From, To string
	R        *comparison.Result
	Counts   []countView
	Chart    chartData
	NeedTwo  bool
	// Fates are the breakdowns of the two lists, shown above the
	// comparison: from, then to.
	Fates []*fateView
}

// The chart's colours: each meets 3:1 against the white page (WCAG 1.4.11
// non-text contrast); TestPalette checks them.
var categoryColors = map[string]string{
	"compare.kept":    "#1e6b2f",
	"compare.added":   "#0b57a4",
	"compare.removed": "#a4161a",
	"compare.evolved": "#6a3d9a",
	"compare.unknown": "#5f6368",
}

func (s *Site) compare(q *req) error {
	ctx := q.Context()
	progs, err := s.programs(ctx, q.actor)
	if err != nil {
		return err
	}
	v := compareView{Programs: progs}
	from, to := q.URL.Query().Get("from"), q.URL.Query().Get("to")
	if d1, d2, ok := defaultPair(progs); ok {
		if from == "" {
			from = d1.Slug
		}
		if to == "" {
			to = d2.Slug
		}
	}
	v.From, v.To = from, to
	if from == "" || to == "" {
		v.NeedTwo = true
		return s.render(q, http.StatusOK, "compare", q.lang.T("compare.title"), "compare", v)
	}
	r, err := s.svc.Compare(ctx, q.actor, from, to)
	if err != nil {
		return err
	}
	v.R = r
	if fs, err := s.svc.Fates(ctx, q.actor, []string{from, to}); err == nil {
		v.Fates = []*fateView{newFateView(fs[from], q.lang == FA), newFateView(fs[to], q.lang == FA)}
	} else {
		s.log.Error("web fate", "err", err)
	}
	c := r.Counts
	for _, x := range []struct {
		key string
		n   int
	}{{"compare.kept", c.Kept}, {"compare.added", c.Added}, {"compare.removed", c.Removed},
		{"compare.evolved", c.Evolved}, {"compare.unknown", c.Unknown}} {
		help := x.key + "_help"
		if x.key == "compare.kept" && x.n == 0 && c.Unknown > 0 {
			// "Kept 0" would read as "none was kept": say what it means.
			help = "compare.kept_zero_help"
		}
		v.Counts = append(v.Counts, countView{Key: x.key, Class: strings.TrimPrefix(x.key, "compare."), Help: help, N: x.n, Color: categoryColors[x.key]})
		v.Chart.Labels = append(v.Chart.Labels, q.lang.T(x.key))
		v.Chart.Values = append(v.Chart.Values, x.n)
		v.Chart.Colors = append(v.Chart.Colors, categoryColors[x.key])
	}
	v.Chart.Title = q.lang.T("compare.chart_title")
	v.Chart.Locale = map[Lang]string{FA: "fa-IR", EN: "en-GB"}[q.lang]
	v.Chart.RTL = q.lang == FA
	title := q.lang.T("compare.title")
	return s.render(q, http.StatusOK, "compare", title, "compare", v, "chart", "js/compare.js")
}
