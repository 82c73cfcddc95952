package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
)

// The exchange's evidence on a project's page (issue 15): each declared
// integration with its state, first seen, last success and a 90-day
// sparkline, and, on the milestone a declaration evidences, "evidenced by
// the exchange since DATE".

// integrationView is one declared integration as a page shows it.
type integrationView struct {
	exchange.Judged
	Client, Service string // X-Road path forms, shown isolated (Latin)
	FirstSeen       *domain.Date
	LastSuccess     *domain.Date
	Since           *domain.Date // first success: "evidenced since"
	Spark           template.HTML
	MilestoneID     int64  // 0: none
	MaxFailurePct   string // the declaration's own failure-rate threshold in %, "" for the default
	// ClientName and ProviderName name the agencies its ends are mapped
	// to when the page's read named them (the project page); empty, the
	// template looks them up.
	ClientName, ProviderName template.HTML
}

// nameEnds names the agencies of the integrations' ends from names (by
// agency code), as agencyName writes a name.
func nameEnds(l Lang, vs []integrationView, names map[string]domain.Text) {
	name := func(code string) template.HTML {
		t, ok := names[code]
		if code == "" || !ok || t.IsZero() {
			return ""
		}
		return template.HTML(`<bdi>` + template.HTMLEscapeString(l.Text(t)) + `</bdi>`)
	}
	for i := range vs {
		vs[i].ClientName, vs[i].ProviderName = name(vs[i].ClientAgency), name(vs[i].ProviderAgency)
	}
}

// integrationsOf builds the views and the milestones they evidence.
func integrationsOf(l Lang, js []exchange.Judged) (out []integrationView, evidence map[int64]*domain.Date) {
	evidence = map[int64]*domain.Date{}
	for _, j := range js {
		v := integrationView{Judged: j, Client: j.Integration.Client.String(), Service: j.Integration.Service.String()}
		if j.Milestone != nil {
			v.MilestoneID = *j.Milestone
		}
		if r := j.Policy.MaxFailureRate; r > 0 {
			v.MaxFailurePct = strconv.FormatFloat(r*100, 'f', -1, 64)
		}
		if t := j.Status.LastSuccess; t != nil {
			d := exchange.DayOf(*t)
			v.LastSuccess = &d
		}
		if t := j.Status.FirstSeen; t != nil {
			d := exchange.DayOf(*t)
			v.FirstSeen = &d
		}
		if t := j.Status.FirstSuccess; t != nil {
			d := exchange.DayOf(*t)
			v.Since = &d
			if j.Milestone != nil {
				if have := evidence[*j.Milestone]; have == nil || d.Before(*have) {
					evidence[*j.Milestone] = &d
				}
			}
		}
		v.Spark = sparkline(l, j.Status.Series)
		out = append(out, v)
	}
	return out, evidence
}

// sparkline draws a daily series as an inline SVG of bars: successes in
// green, failures stacked in red, scaled to the busiest day. It holds only
// numbers the code computed, so it is safe as HTML; the CSP allows inline
// SVG (it is markup, not a script or a style).
func sparkline(l Lang, series []exchange.DayCount) template.HTML {
	const w, h, bar = 180, 28, 2
	var top uint64
	var ok, bad uint64
	for _, d := range series {
		top = max(top, d.Successes+d.Failures)
		ok += d.Successes
		bad += d.Failures
	}
	label := l.T("exchange.spark_label", l.Num(len(series)), l.anyNum(int64(ok)), l.anyNum(int64(bad)))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" role="img" width="%d" height="%d" viewBox="0 0 %d %d" aria-label="%s"><title>%s</title>`,
		w, h, w, h, template.HTMLEscapeString(label), template.HTMLEscapeString(label))
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-width="0.5"/>`, h-1, w, h-1)
	for i, d := range series {
		if top == 0 {
			break
		}
		x := i * bar
		hs := int(float64(d.Successes) / float64(top) * float64(h-2))
		hf := int(float64(d.Failures) / float64(top) * float64(h-2))
		if d.Successes > 0 && hs == 0 {
			hs = 1
		}
		if d.Failures > 0 && hf == 0 {
			hf = 1
		}
		if hs > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#2e7d32"/>`, x, h-1-hs, bar-1, hs)
		}
		if hf > 0 {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#c62828"/>`, x, h-1-hs-hf, bar-1, hf)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
