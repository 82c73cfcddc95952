package web

import (
	"regexp"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// TestStaffEnumLabels: every value the workspace names has a name in both
// languages, so no staff page shows a raw code.
func TestStaffEnumLabels(t *testing.T) {
	groups := map[string][]string{
		"staffrole":    strs(service.Roles),
		"reportstate":  strs(domain.ReportStates),
		"ratingkind":   strs(domain.RatingKinds),
		"frequency":    strs(domain.Frequencies),
		"eventtype":    {string(domain.EventEntered), string(domain.EventLeft), string(domain.EventVoided)},
		"meetingstate": strs(domain.MeetingStates),
		"outcomekind":  strs(domain.OutcomeKinds),
		"actionevent":  strs([]domain.ActionEventType{domain.ActionCreated, domain.ActionDiscussed, domain.ActionRedated, domain.ActionClosedEv}),
		"risk":         strs(domain.RiskLevels),
		"review": {domain.ReviewCreated, domain.ReviewEdited, domain.ReviewEvidence, domain.ReviewSubmitted,
			domain.ReviewReturned, domain.ReviewAccepted},
	}
	for g, vs := range groups {
		for _, v := range vs {
			if _, ok := catalog[g+"."+v]; !ok {
				t.Errorf("no catalog name for %s %q", g, v)
			}
		}
	}
	// The keys the Go code builds rather than names literally.
	for _, k := range []string{"meeting.done_agenda", "meeting.done_held", "meeting.done_closed", "meeting.done_outcome",
		"meeting.done_action", "report.done_created", "report.done_saved", "report.done_submitted", "report.done_accepted",
		"report.done_returned", "report.done_evidence"} {
		if _, ok := catalog[k]; !ok {
			t.Errorf("no catalog entry %s", k)
		}
	}
	for _, status := range []string{"403", "409", "412", "422"} {
		for _, part := range []string{"title", "text"} {
			if _, ok := catalog["error."+status+"."+part]; !ok {
				t.Errorf("no error.%s.%s", status, part)
			}
		}
	}
	// Every staff key is in both languages (TestCatalog checks the whole
	// catalog; this names the staff part's count for the report).
	n := 0
	for k, m := range staffCatalog {
		n++
		if m.FA == "" || m.EN == "" {
			t.Errorf("%s lacks a language", k)
		}
	}
	t.Logf("%d staff catalog entries", n)
}

// TestStaffPalette: the dashboard's chart colours meet 3:1 against the
// white page (WCAG 1.4.11, non-text contrast).
func TestStaffPalette(t *testing.T) {
	var colors []string
	for _, c := range ragColors {
		colors = append(colors, c)
	}
	colors = append(colors, seriesColors...)
	// The workspace's own text pairs, from site.css's custom properties.
	css, err := staticFS.ReadFile("static/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	for _, p := range [][2]string{{"text", "red-bg"}, {"text", "amber-bg"}, {"red", "red-bg"}, {"green", "green-bg"},
		{"green", "surface"}, {"amber", "amber-bg"}, {"on-accent", "red"}, {"link", "bg"}, {"muted", "bg"}} {
		r := contrast(vars[p[0]], vars[p[1]])
		t.Logf("%-10s on %-9s %5.2f:1", p[0], p[1], r)
		if r < 4.5 {
			t.Errorf("%s on %s: %.2f:1, below 4.5:1", p[0], p[1], r)
		}
	}
	for _, c := range colors {
		r := contrast(c, "#ffffff")
		t.Logf("%s on white %5.2f:1", c, r)
		if r < 3 {
			t.Errorf("chart colour %s: %.2f:1 on white, below 3:1", c, r)
		}
	}
}

// TestLocalPath: a sign-in's destination stays on this site.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/staff":                 "/staff",
		"/staff/meetings?x=1":    "/staff/meetings?x=1",
		"":                       "",
		"//evil.example":         "",
		"/\\evil.example":        "",
		"https://evil.example/":  "",
		"staff":                  "",
		"/staff\r\nSet-Cookie:x": "",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
