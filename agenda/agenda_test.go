package agenda_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/pishran/pishran/agenda"
	"github.com/pishran/pishran/domain"
)

func proj(slug string, main bool) agenda.Project {
	return agenda.Project{Slug: slug, Title: domain.T("پروژه "+slug, "Project "+slug), Main: main}
}

func health(slug string, status domain.RAG, stale, drop bool) domain.Health {
	return domain.Health{Project: slug, Status: status, Stale: stale, RatingDrop: drop}
}

var meeting27 = agenda.Meeting{Series: "itec", Number: 27, Date: domain.MustDate("2024-01-15")}

// summary is an agenda as "key reasons…" lines, for comparing whole agendas.
func summary(items []domain.AgendaItem) []string {
	var out []string
	for _, it := range items {
		s := it.Key()
		if s == "" {
			s = "other:" + it.Title.EN
		}
		for _, r := range it.Reasons {
			s += " " + string(r)
		}
		out = append(out, s)
	}
	return out
}

func TestProposeWholeAgenda(t *testing.T) {
	in := agenda.Input{
		Meeting: meeting27,
		Projects: []agenda.Project{
			proj("e-tax", true), proj("e-health", true), proj("setad", true),
			proj("quiet", false), proj("red-one", false), proj("stale-one", false), proj("drop-one", false),
		},
		Actions: []agenda.Action{
			// Decided at session 26, due before the 27th: carried and overdue.
			{ID: 1, Series: "itec", MeetingNumber: 26, Owner: "moh", Due: domain.MustDate("2024-01-01"),
				Description: domain.T("گزارش", "report on e-health"), Projects: []agenda.Project{proj("e-health", false)}},
			// Due on the meeting's day: carried, not overdue.
			{ID: 2, Series: "itec", MeetingNumber: 26, Owner: "ito", Due: domain.MustDate("2024-01-15"),
				Description: domain.T("برنامه", "plan"), Projects: []agenda.Project{proj("quiet", false)}},
			// Another series' action, overdue: its project comes up, the action is not carried.
			{ID: 3, Series: "steering", MeetingNumber: 4, Owner: "ito", Due: domain.MustDate("2023-12-01"),
				Description: domain.T("فهرست", "list"), Projects: []agenda.Project{proj("outside", false)}},
			// Decided at a later session than this one: not carried here.
			{ID: 4, Series: "itec", MeetingNumber: 28, Owner: "ito", Due: domain.MustDate("2024-06-01"),
				Description: domain.T("بعدی", "later"), Projects: nil},
		},
		Health: map[string]domain.Health{
			"e-tax":     health("e-tax", domain.Red, false, false),
			"quiet":     health("quiet", domain.Green, false, false),
			"red-one":   health("red-one", domain.Red, true, false),
			"stale-one": health("stale-one", domain.Amber, true, false),
			"drop-one":  health("drop-one", domain.Green, false, true),
			"outside":   health("outside", domain.Unknown, true, false),
		},
		Policy: domain.DefaultPolicy,
	}
	got := summary(agenda.Propose(in))
	want := []string{
		// Main projects first, most severe first, then by slug.
		"project:e-tax main-project red-status",
		"project:e-health main-project overdue-action",
		"project:setad main-project",
		// Then by severity: red, overdue (a project followed only through
		// its action), overdue carried action, rating drop, stale, carried.
		"project:red-one red-status stale-report",
		"project:outside overdue-action stale-report",
		"action:1 overdue-action carried-action",
		"project:drop-one rating-drop",
		"project:stale-one stale-report",
		"action:2 carried-action",
	}
	if !slices.Equal(got, want) {
		t.Errorf("agenda\n got  %q\n want %q", got, want)
	}
}

func TestProposeActionItemCarriesItsDetails(t *testing.T) {
	items := agenda.Propose(agenda.Input{Meeting: meeting27, Actions: []agenda.Action{
		{ID: 9, Series: "itec", MeetingNumber: 25, Owner: "moh", Due: domain.MustDate("2024-03-01"),
			Description: domain.T("ادغام", "integrate"), Projects: []agenda.Project{proj("a", false), proj("b", false)}},
	}})
	if len(items) != 1 {
		t.Fatalf("items %+v", items)
	}
	it := items[0]
	if it.Kind != domain.AgendaAction || it.Action != 9 || it.Owner != "moh" || it.Due == nil || it.Due.String() != "2024-03-01" ||
		it.Title.EN != "integrate" || !slices.Equal(it.Projects, []string{"a", "b"}) || it.Dropped {
		t.Errorf("action item %+v", it)
	}
}

func TestProposeEmpty(t *testing.T) {
	if items := agenda.Propose(agenda.Input{Meeting: meeting27}); len(items) != 0 {
		t.Errorf("nothing to follow up, yet %+v", items)
	}
	// Unknown status, no flags: a project not main is not proposed.
	in := agenda.Input{Meeting: meeting27, Projects: []agenda.Project{proj("p", false)},
		Health: map[string]domain.Health{"p": health("p", domain.Unknown, false, false)}}
	if items := agenda.Propose(in); len(items) != 0 {
		t.Errorf("a quiet project is proposed: %+v", items)
	}
}

// TestProposeStable: the order of the input does not change the agenda.
func TestProposeStable(t *testing.T) {
	var ps []agenda.Project
	hs := map[string]domain.Health{}
	var as []agenda.Action
	statuses := []domain.RAG{domain.Green, domain.Amber, domain.Red, domain.Unknown}
	for i := range 60 {
		slug := string(rune('a'+i%26)) + string(rune('a'+i/26))
		ps = append(ps, proj(slug, i%7 == 0))
		hs[slug] = health(slug, statuses[i%4], i%3 == 0, i%5 == 0)
		as = append(as, agenda.Action{ID: int64(i + 1), Series: "itec", MeetingNumber: 20 + i%10,
			Due: domain.NewDate(2024, 1, 1+i%28), Projects: []agenda.Project{proj(slug, false)}})
	}
	in := agenda.Input{Meeting: meeting27, Projects: ps, Actions: as, Health: hs}
	want := agenda.Propose(in)
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		shuffled := in
		shuffled.Projects = slices.Clone(ps)
		shuffled.Actions = slices.Clone(as)
		r.Shuffle(len(shuffled.Projects), func(i, j int) {
			shuffled.Projects[i], shuffled.Projects[j] = shuffled.Projects[j], shuffled.Projects[i]
		})
		r.Shuffle(len(shuffled.Actions), func(i, j int) {
			shuffled.Actions[i], shuffled.Actions[j] = shuffled.Actions[j], shuffled.Actions[i]
		})
		if got := agenda.Propose(shuffled); !reflect.DeepEqual(summary(got), summary(want)) {
			t.Fatalf("shuffled input changed the agenda:\n%q\n%q", summary(got), summary(want))
		}
	}
	// Main projects lead; severities never rise after the main block.
	seenOther, last := false, 1<<30
	for _, it := range want {
		if it.IsMain() {
			if seenOther {
				t.Fatalf("main project %s after a non-main item", it.Project)
			}
			continue
		}
		seenOther = true
		if it.Severity() > last {
			t.Fatalf("severity rises at %s", it.Key())
		}
		last = it.Severity()
	}
}

func TestOverdueAndCarried(t *testing.T) {
	a := agenda.Action{Series: "itec", MeetingNumber: 26, Due: domain.MustDate("2024-01-14")}
	if !agenda.Overdue(a, meeting27) || !agenda.Carried(a, meeting27) {
		t.Error("due the day before, decided at the 26th: overdue and carried at the 27th")
	}
	a.Due = meeting27.Date
	if agenda.Overdue(a, meeting27) {
		t.Error("due on the meeting's day is not overdue")
	}
	a.MeetingNumber = 27
	if agenda.Carried(a, meeting27) {
		t.Error("an action of this very session is not carried to it")
	}
	a.Series, a.MeetingNumber = "steering", 3
	if agenda.Carried(a, meeting27) {
		t.Error("another series' action is not carried")
	}
}

func TestReasonSeverityOrder(t *testing.T) {
	rs := []domain.AgendaReason{domain.ReasonRedStatus, domain.ReasonSilent, domain.ReasonOverdueAction, domain.ReasonRatingDrop,
		domain.ReasonStaleReport, domain.ReasonCarriedAction}
	for i := 1; i < len(rs); i++ {
		if rs[i-1].Severity() <= rs[i].Severity() {
			t.Errorf("%s should be more severe than %s", rs[i-1], rs[i])
		}
	}
	for _, r := range domain.AgendaReasons {
		if tx := r.Text(); tx.FA == "" || tx.EN == "" || tx.FA == tx.EN {
			t.Errorf("reason %s has no text in both languages: %+v", r, tx)
		}
	}
}

// A silent project (owed reports missed, nothing red) comes up with its
// own reason, not as a mere stale report; a red one that is also stale
// keeps both reasons it has; a project with no baseline raises nothing.
func TestProposeSilent(t *testing.T) {
	in := agenda.Input{
		Meeting:  meeting27,
		Projects: []agenda.Project{proj("silent-one", false), proj("red-stale", false), proj("no-baseline", false), proj("no-report", false)},
		Health: map[string]domain.Health{
			"silent-one":  {Project: "silent-one", Status: domain.Silent, Stale: true, Missed: 4},
			"red-stale":   health("red-stale", domain.Red, true, false),
			"no-baseline": health("no-baseline", domain.NoBaseline, false, false),
			"no-report":   health("no-report", domain.NoReport, false, false),
		},
	}
	got := summary(agenda.Propose(in))
	want := []string{"project:red-stale red-status stale-report", "project:silent-one silent"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("agenda %q, want %q", got, want)
	}
}
