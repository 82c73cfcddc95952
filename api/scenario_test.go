package api_test

// The follow-up scenario end to end over HTTP, step by step as the
// follow-up issue's "Checked by" lists it: the council's agenda, the
// closing of a session, the next session's carried actions, a report's
// review, the rating divergence, the computed status, an agency's
// obligations and a concurrent re-dating.

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// meetingDay is the scenario's clock: every "today" on the server.
var meetingDay = time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)

// meetingProjects are the scenario's projects: lead, participant, and where they
// are listed ("gov14:main" is a main project of gov14).
var meetingProjects = []struct {
	slug, lead, part string
	lists            []string
}{
	{"p-a", "moh", "ito", []string{"gov14:main", "gov13:member"}}, // main in one list, ordinary in the other
	{"p-b", "ito", "tax", []string{"gov14:main"}},
	{"p-c", "moh", "tax", []string{"gov14:member"}},
	{"p-d", "tax", "moh", []string{"gov13:main"}},
	{"p-e", "tax", "ito", []string{"gov13:member"}},
	{"p-f", "ito", "tax", []string{"gov13:main"}}, // leaves gov13 before the first proposal
	{"p-x", "ito", "tax", nil},                    // on no list: has an overdue action
	{"p-y", "tax", "ito", nil},                    // on no list: has an action not yet due
}

// recordMeetingScenario records over HTTP three agencies (moh, ito, tax), a law, two
// terms, two adopted programs (gov13, gov14) and the projects of
// meetingProjects, designated into their lists; p-f then leaves gov13.
func recordMeetingScenario(t *testing.T, env *scenario.Server) {
	t.Helper()
	env.Create("/api/v1/terms", termRecord(13))
	env.Create("/api/v1/terms", termRecord(14))
	for _, c := range []string{"moh", "ito", "tax"} {
		env.Create("/api/v1/agencies", agencyRecord(c))
	}
	env.Create("/api/v1/laws", lawRecord("law-x"))
	env.Create("/api/v1/programs", programRecord("gov13", 13, "public"))
	env.Create("/api/v1/programs", programRecord("gov14", 14, "public"))
	for _, p := range meetingProjects {
		env.Create("/api/v1/projects", projectRecord(p.slug, ledBy(p.lead, p.part)))
		for _, l := range p.lists {
			prog, kind, _ := strings.Cut(l, ":")
			env.Create("/api/v1/programs/"+prog+"/members", map[string]any{"project": p.slug, "main": kind == "main"})
		}
	}
	env.Create("/api/v1/programs/gov13/members/p-f/leave", map[string]any{"reason": "completed"})
	for _, g := range []struct {
		id           string
		active, main float64
	}{{"gov13", 3, 1}, {"gov14", 3, 2}} {
		prog := env.Must(env.Get("/api/v1/programs/"+g.id, env.Secretariat()), http.StatusOK).Obj(t)
		if prog["status"] != "adopted" || prog["active_count"] != g.active || prog["main_count"] != g.main {
			t.Fatalf("fixture program %s: %v", g.id, prog)
		}
	}
}

// agendaOf lists an agenda's items as "project:p-a main-project" or
// "action:7 overdue-action,carried-action owner=moh due=2024-05-20
// projects=p-a", in the order given.
func agendaOf(t *testing.T, items []map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		var reasons []string
		for _, r := range it["reasons"].([]any) {
			reasons = append(reasons, r.(string))
		}
		switch it["kind"] {
		case "project":
			out = append(out, "project:"+it["project"].(string)+" "+strings.Join(reasons, ","))
		case "action":
			var ps []string
			for _, p := range it["projects"].([]any) {
				ps = append(ps, p.(string))
			}
			out = append(out, fmt.Sprintf("action:%d %s owner=%v due=%v projects=%s", int64(it["action"].(float64)),
				strings.Join(reasons, ","), it["owner"], it["due"], strings.Join(ps, ",")))
		default:
			out = append(out, fmt.Sprintf("other:%v", it))
		}
	}
	return out
}

// closedRefusal checks a refusal of a write to the closed meeting
// itec-1: 409, naming the meeting's id, saying it is closed and that a
// correction is an amendment, in both languages.
func closedRefusal(t *testing.T, what string, r *scenario.Response) {
	t.Helper()
	p := r.Field(t, http.StatusConflict, "id")
	if !strings.Contains(p.Message.EN, "itec-1") || !strings.Contains(p.Message.EN, "closed") ||
		!strings.Contains(p.Message.EN, "amendment") || !strings.Contains(p.Message.FA, "itec-1") {
		t.Errorf("%s: the refusal does not say that itec-1 is closed and takes amendments: %+v", what, p.Message)
	}
}

// dayOf is a day as the API writes it.
func dayOf(t time.Time) string { return t.Format(time.DateOnly) }

func TestFollowUpScenario(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		env.Env.DB.SetClock(func() time.Time { return meetingDay })
		sec := env.Secretariat()
		recordMeetingScenario(t, env)
		moh := env.Env.Token(service.RoleAgency, "moh")

		// The thresholds in force, as documented.
		pol := env.Must(env.Get("/api/v1/follow-up/policy", ""), http.StatusOK).Obj(t)
		num := func(k string) int {
			v, ok := pol[k].(float64)
			if !ok || v <= 0 {
				t.Fatalf("policy %s = %v: %v", k, pol[k], pol)
			}
			return int(v)
		}
		amberPct, redPct, grace, divergence := num("amber_slip_percent"), num("red_slip_percent"), num("stale_grace_days"), num("divergence_points")

		// ---- An earlier held session gives actions: one overdue by the
		// council's first session (p-x), one not yet due (p-y), one not due
		// and later closed (p-c).
		env.Create("/api/v1/series", map[string]any{"code": "itec", "name": scenario.Text("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), "kind": "council"})
		env.Create("/api/v1/series", map[string]any{"code": "steer", "name": scenario.Text("کمیته راهبری", "Steering committee"), "kind": "steering-committee"})
		env.Create("/api/v1/meetings", map[string]any{"series": "steer", "number": 1, "date": "2024-04-01"})
		env.Must(env.Post("/api/v1/meetings/steer-1/hold", sec, nil), http.StatusOK)
		steerAction := func(owner, due, project string) int64 {
			t.Helper()
			o := env.Create("/api/v1/meetings/steer-1/outcomes", map[string]any{"kind": "action", "owner": owner, "due": due,
				"projects": []string{project}, "description": scenario.Text("اقدام درباره "+project, "action on "+project)})
			return intAt(o, "action", "id")
		}
		sx := steerAction("ito", "2024-04-20", "p-x")
		sy := steerAction("tax", "2024-06-30", "p-y")
		sc := steerAction("moh", "2024-05-15", "p-c")

		// ---- Meeting 1: its proposal holds exactly the main projects of the
		// adopted lists and the project with the overdue action.
		m1 := env.Create("/api/v1/meetings", map[string]any{"series": "itec", "number": 1, "date": "2024-05-01"})
		if m1["state"] != "planned" {
			t.Fatalf("meeting 1: %v", m1)
		}
		prop1 := env.Must(env.Get("/api/v1/meetings/itec-1/agenda/proposal", sec), http.StatusOK).Obj(t)
		if prop1["meeting"] != "itec-1" || prop1["date"] != "2024-05-01" {
			t.Errorf("proposal header %v", prop1)
		}
		want1 := []string{
			"project:p-a main-project", // main in gov14, ordinary in gov13: once, as main
			"project:p-b main-project",
			"project:p-d main-project",
			"project:p-x overdue-action", // on no list; its action was due 2024-04-20
			// Not p-c, p-e (ordinary members), p-f (left its list), p-y (its
			// action is not yet due); no action items: the steering
			// committee's actions are not carried into the council's series.
		}
		if got := agendaOf(t, scenario.Items(t, prop1)); !slices.Equal(got, want1) {
			t.Fatalf("meeting 1's proposal:\n got %q\nwant %q", got, want1)
		}
		// Saved as proposed.
		env.Must(env.Put("/api/v1/meetings/itec-1/agenda", sec, env.ETagOf("/api/v1/meetings/itec-1"),
			map[string]any{"items": prop1["items"]}), http.StatusOK)

		// ---- Held: a decision and two actions; the p-c action is closed at it.
		env.Must(env.Post("/api/v1/meetings/itec-1/hold", sec, nil), http.StatusOK)
		env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "decision", "resolution": "1/1", "projects": []string{"p-a"},
			"text": scenario.Text("سامانه تا پایان سال سراسری شود", "roll the system out nationwide by year end")})
		a1 := intAt(env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "moh", "due": "2024-05-20",
			"projects": []string{"p-a"}, "description": scenario.Text("برنامه استقرار", "roll-out plan")}), "action", "id")
		a2 := intAt(env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "ito", "due": "2024-07-15",
			"projects": []string{"p-b"}, "description": scenario.Text("اتصال به مرکز تبادل", "connect to the exchange")}), "action", "id")
		scPath := fmt.Sprintf("/api/v1/actions/%d", sc)
		env.Must(env.Do(scenario.Request{Method: "POST", Path: scPath + "/close", Token: sec, Header: map[string]string{"If-Match": env.ETagOf(scPath)},
			Body: map[string]any{"meeting": "itec-1", "note": scenario.Text("انجام شد", "done")}}), http.StatusOK)

		// ---- Closed: every further edit is refused; an amendment is accepted.
		closed := env.Must(env.Post("/api/v1/meetings/itec-1/close", sec, nil), http.StatusOK).Obj(t)
		if closed["state"] != "closed" || closed["closed_at"] == nil {
			t.Fatalf("closed meeting %v", closed)
		}
		before := env.Must(env.Get("/api/v1/meetings/itec-1", sec), http.StatusOK)
		etag := before.Header.Get("ETag")
		closedRefusal(t, "edit", env.Put("/api/v1/meetings/itec-1", sec, etag,
			map[string]any{"date": "2024-05-01", "title": scenario.Text("ویرایش", "edited")}))
		closedRefusal(t, "agenda", env.Put("/api/v1/meetings/itec-1/agenda", sec, etag, map[string]any{"items": prop1["items"]}))
		closedRefusal(t, "outcome", env.Post("/api/v1/meetings/itec-1/outcomes", sec,
			map[string]any{"kind": "information", "text": scenario.Text("گزارش", "a late report")}))
		closedRefusal(t, "decision", env.Post("/api/v1/meetings/itec-1/outcomes", sec,
			map[string]any{"kind": "decision", "resolution": "1/2", "text": scenario.Text("دیر", "too late")}))
		closedRefusal(t, "hold", env.Post("/api/v1/meetings/itec-1/hold", sec, nil))
		closedRefusal(t, "close", env.Post("/api/v1/meetings/itec-1/close", sec, nil))
		a2Path := fmt.Sprintf("/api/v1/actions/%d", a2)
		p := env.Do(scenario.Request{Method: "POST", Path: a2Path + "/discuss", Token: sec, Header: map[string]string{"If-Match": env.ETagOf(a2Path)},
			Body: map[string]any{"meeting": "itec-1", "note": scenario.Text("بررسی شد", "discussed")}}).Field(t, http.StatusConflict, "meeting")
		if !strings.Contains(p.Message.EN, "itec-1") {
			t.Errorf("discussing at the closed meeting: %+v", p.Message)
		}
		if after := env.Must(env.Get("/api/v1/meetings/itec-1", sec), http.StatusOK); string(after.Body) != string(before.Body) {
			t.Fatalf("refused edits changed the closed meeting:\nbefore %s\nafter  %s", before.Body, after.Body)
		}
		am := env.Create("/api/v1/meetings/itec-1/amendments", map[string]any{"text": scenario.Text("شماره مصوبه ۱/۱ است", "the resolution number is 1/1")})
		if scenario.Path(t, am, "amendment", "text", "en") != "the resolution number is 1/1" {
			t.Errorf("amendment %v", am)
		}
		rec := env.Must(env.Get("/api/v1/meetings/itec-1", sec), http.StatusOK).Obj(t)
		if rec["state"] != "closed" || len(rec["amendments"].([]any)) != 1 || len(rec["outcomes"].([]any)) != 3 ||
			scenario.Path(t, rec, "amendments", 0, "text", "en") != "the resolution number is 1/1" {
			t.Fatalf("meeting 1 after the amendment: %v", rec)
		}
		if fu := rec["follow_ups"].([]any); len(fu) != 1 || scenario.Path(t, fu, 0, "action") != float64(sc) || scenario.Path(t, fu, 0, "type") != "closed" {
			t.Errorf("meeting 1's follow-ups %v", fu)
		}

		// ---- Meeting 2 carries the open actions of meeting 1; the p-c
		// action, closed, brings nothing; p-y's is still not due.
		env.Create("/api/v1/meetings", map[string]any{"series": "itec", "number": 2, "date": "2024-06-05"})
		want2 := []string{
			"project:p-a main-project,overdue-action", // a1 was due 2024-05-20
			"project:p-b main-project",
			"project:p-d main-project",
			"project:p-x overdue-action",
			fmt.Sprintf("action:%d overdue-action,carried-action owner=moh due=2024-05-20 projects=p-a", a1),
			fmt.Sprintf("action:%d carried-action owner=ito due=2024-07-15 projects=p-b", a2),
		}
		if got := agendaOf(t, scenario.Items(t, env.Must(env.Get("/api/v1/meetings/itec-2/agenda/proposal", sec), http.StatusOK).Obj(t))); !slices.Equal(got, want2) {
			t.Fatalf("meeting 2's proposal:\n got %q\nwant %q", got, want2)
		}
		open := scenario.Items(t, env.Must(env.Get("/api/v1/actions?open=true", sec), http.StatusOK).Obj(t))
		var openIDs []int64
		for _, a := range open {
			openIDs = append(openIDs, int64(a["id"].(float64)))
		}
		slices.Sort(openIDs)
		if wantOpen := []int64{sx, sy, a1, a2}; !slices.Equal(openIDs, wantOpen) {
			t.Errorf("open actions %v, want %v", openIDs, wantOpen)
		}

		// ---- Baselines: p-a (the scenario's project), p-c (led by moh, no
		// report yet), p-d (moh only takes part).
		env.Create("/api/v1/projects/p-a/baselines", baselineRecord())
		pc := baselineRecord()
		pc["start"] = "2024-04-01"
		env.Create("/api/v1/projects/p-c/baselines", pc)
		env.Create("/api/v1/projects/p-d/baselines", baselineRecord())
		health := func(t *testing.T) map[string]any {
			t.Helper()
			return env.Must(env.Get("/api/v1/projects/p-a/health", ""), http.StatusOK).Obj(t)
		}
		h := health(t)
		dur := int(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).Sub(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		// Reports owed since January and none accepted by 10 June: silent
		// (issue 14), never "unknown".
		if h["status"] != "silent" || scenario.Path(t, h, "variance", "baseline_duration_days") != float64(dur) {
			t.Fatalf("p-a with a baseline and no accepted report: %v", h)
		}
		// The largest slips that do not yet pass each threshold ("more than"
		// is strict): amberEdge days is still green, one more is amber;
		// redEdge is still amber, one more is red.
		amberEdge, redEdge := amberPct*dur/100, redPct*dur/100
		if amberEdge+1 >= redEdge {
			t.Fatalf("policy %v leaves no amber band on a %d-day baseline", pol, dur)
		}
		projected := func(slip int) string {
			return dayOf(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, slip))
		}
		// A period (a Jalali month)'s report is due at the period's end plus
		// the grace.
		due := func(period string) string {
			p, err := domain.ParsePeriod(period)
			if err != nil {
				t.Fatal(err)
			}
			return p.End().AddDays(grace).String()
		}
		today := dayOf(meetingDay)
		rpath := func(id string) string { return "/api/v1/reports/" + id }
		state := func(t *testing.T, who, id, want string) map[string]any {
			t.Helper()
			r := env.Must(env.Get(rpath(id), who), http.StatusOK).Obj(t)
			if r["state"] != want {
				t.Fatalf("report %s is %v, want %s", id, r["state"], want)
			}
			return r
		}

		// ---- A report: submitted, returned with a comment, resubmitted, accepted.
		body := map[string]any{"project": "p-a", "period": "1402-11", "projected_end": projected(amberEdge),
			"narrative": scenario.Text("آزمایش در سه استان", "pilot in three provinces")}
		r1 := idOf(t, env.Must(env.Post("/api/v1/reports", moh, body), http.StatusCreated).Obj(t))
		state(t, moh, r1, "draft")
		if s := env.Must(env.Post(rpath(r1)+"/submit", moh, nil), http.StatusOK).Obj(t); s["state"] != "submitted" {
			t.Fatalf("submitted: %v", s)
		}
		state(t, sec, r1, "submitted")
		if h := health(t); h["status"] != "silent" || h["last_report"] != nil {
			t.Fatalf("a submitted report counted: %v", h)
		}
		comment := scenario.Text("نتایج آزمایش پیوست نیست", "attach the pilot's results")
		if s := env.Must(env.Post(rpath(r1)+"/return", sec, map[string]any{"comment": comment}), http.StatusOK).Obj(t); s["state"] != "returned" {
			t.Fatalf("returned: %v", s)
		}
		ret := state(t, moh, r1, "returned")
		if evs := ret["events"].([]any); scenario.Path(t, evs, len(evs)-1, "type") != "returned" ||
			scenario.Path(t, evs, len(evs)-1, "comment", "en") != "attach the pilot's results" {
			t.Fatalf("the return's comment is not in the history: %v", evs)
		}
		env.Post(rpath(r1)+"/accept", sec, nil).Field(t, http.StatusConflict, "state") // a returned report is not accepted
		body["narrative"] = scenario.Text("آزمایش در سه استان؛ نتایج پیوست است", "pilot in three provinces; results attached")
		env.Must(env.Put(rpath(r1), moh, env.Must(env.Get(rpath(r1), moh), http.StatusOK).Header.Get("ETag"), body), http.StatusOK)
		state(t, moh, r1, "returned")
		if s := env.Must(env.Post(rpath(r1)+"/submit", moh, nil), http.StatusOK).Obj(t); s["state"] != "submitted" {
			t.Fatalf("resubmitted: %v", s)
		}
		acc := env.Must(env.Post(rpath(r1)+"/accept", sec, nil), http.StatusOK).Obj(t)
		if acc["state"] != "accepted" {
			t.Fatalf("accepted: %v", acc)
		}
		var types []string
		for _, ev := range acc["events"].([]any) {
			types = append(types, ev.(map[string]any)["type"].(string))
		}
		if got := strings.Join(types, ","); got != "created,submitted,returned,edited,submitted,accepted" {
			t.Fatalf("review history %s", got)
		}
		env.Put(rpath(r1), moh, env.Must(env.Get(rpath(r1), moh), http.StatusOK).Header.Get("ETag"), body).Field(t, http.StatusConflict, "state")
		// Bahman 1402's report is accepted, the three months since are not:
		// silent (issue 14), the slip still graded green in its reasons.
		h = health(t)
		if h["status"] != "silent" || h["missed_periods"] != 3.0 || scenario.Path(t, h, "variance", "schedule_slip_days") != float64(amberEdge) ||
			!strings.Contains(scenario.Path(t, h, "status_reasons", 0, "en").(string), "within the baseline") ||
			scenario.Path(t, h, "last_report", "period") != "1402-11" {
			t.Fatalf("p-a after the first accepted report (slip %d days, at the amber threshold): %v", amberEdge, h)
		}

		// ---- Ratings: self 5 by moh, council 2 by the secretariat: divergent.
		if 5-2 < divergence {
			t.Fatalf("policy %v: ratings 5 and 2 would not diverge", pol)
		}
		env.Must(env.Post("/api/v1/projects/p-a/ratings", moh, map[string]any{"kind": "self", "score": 5,
			"comment": scenario.Text("طبق برنامه", "on plan")}), http.StatusCreated)
		if h := health(t); h["divergent"] != false || h["self_rating"] != 5.0 || h["council_rating"] != nil {
			t.Fatalf("p-a with a self rating only: %v", h)
		}
		env.Must(env.Post("/api/v1/projects/p-a/ratings", sec, map[string]any{"kind": "council", "score": 2,
			"comment": scenario.Text("تحویل محل تردید است", "delivery in doubt")}), http.StatusCreated)
		if h := health(t); h["divergent"] != true || h["self_rating"] != 5.0 || h["council_rating"] != 2.0 || h["rating_drop"] != false {
			t.Fatalf("p-a rated 5 and 2: %v", h)
		}
		// The board: the flag on p-a's row only.
		board := func(t *testing.T, query string) map[string]map[string]any {
			t.Helper()
			out := map[string]map[string]any{}
			for _, row := range scenario.Items(t, env.Must(env.Get("/api/v1/status?"+query, ""), http.StatusOK).Obj(t)) {
				out[row["project"].(string)] = row
			}
			return out
		}
		for _, c := range []struct {
			query string
			rows  []string
		}{{"program=gov14", []string{"p-a", "p-b", "p-c"}}, {"agency=moh", []string{"p-a", "p-c", "p-d"}}} {
			rows := board(t, c.query)
			var got []string
			for slug, row := range rows {
				got = append(got, slug)
				if want := slug == "p-a"; row["divergent"] != want {
					t.Errorf("board %s: %s divergent = %v, want %v", c.query, slug, row["divergent"], want)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.rows) {
				t.Errorf("board %s rows %v, want %v", c.query, got, c.rows)
			}
		}

		// ---- The status follows the projected end past each threshold.
		accept := func(t *testing.T, period string, slip int) {
			t.Helper()
			id := idOf(t, env.Must(env.Post("/api/v1/reports", moh, map[string]any{"project": "p-a", "period": period,
				"projected_end": projected(slip)}), http.StatusCreated).Obj(t))
			env.Must(env.Post(rpath(id)+"/submit", moh, nil), http.StatusOK)
			env.Must(env.Post(rpath(id)+"/accept", sec, nil), http.StatusOK)
		}
		for _, c := range []struct {
			period string
			slip   int
			want   string
		}{
			{"1402-12", amberEdge + 1, "amber"},
			{"1403-01", redEdge, "amber"},
			{"1403-02", redEdge + 1, "red"},
		} {
			accept(t, c.period, c.slip)
			h := health(t)
			next := domain.Period(c.period).Next().String()
			stale := due(next) < today // the next period's report is past due
			// A missed report makes a project silent unless it is red; the
			// grade is still the first reason's (issue 14).
			grade := map[string]string{"amber": "amber threshold", "red": "red threshold"}[c.want]
			if !strings.Contains(scenario.Path(t, h, "status_reasons", 0, "en").(string), grade) {
				t.Fatalf("after %s: reasons %v, want one with %q", c.period, h["status_reasons"], grade)
			}
			if stale && c.want != "red" {
				c.want = "silent"
			}
			if h["status"] != c.want || scenario.Path(t, h, "variance", "schedule_slip_days") != float64(c.slip) ||
				scenario.Path(t, h, "last_report", "period") != c.period || h["stale"] != stale || h["next_report_due"] != due(next) {
				t.Fatalf("after %s (slip %d days): want %s (stale %v, next report due %s), got %v", c.period, c.slip, c.want, stale, due(next), h)
			}
			if row := board(t, "program=gov14")["p-a"]; row["status"] != c.want {
				t.Fatalf("board after %s: %v, want %s", c.period, row, c.want)
			}
		}
		// Red puts p-a on meeting 2's agenda for its status as well.
		var pa []string
		for _, it := range agendaOf(t, scenario.Items(t, env.Must(env.Get("/api/v1/meetings/itec-2/agenda/proposal", sec), http.StatusOK).Obj(t))) {
			if strings.HasPrefix(it, "project:p-a ") {
				pa = append(pa, it)
			}
		}
		if want := []string{"project:p-a main-project,red-status,overdue-action"}; !slices.Equal(pa, want) {
			t.Errorf("p-a on meeting 2's proposal once red: %q, want %q", pa, want)
		}

		// ---- What moh owes, as of today (2024-06-10): its three projects,
		// its one open action, and the reports it owes as lead.
		env.Must(env.Post("/api/v1/reports", moh, map[string]any{"project": "p-c", "period": "1403-01"}), http.StatusCreated)
		type owed struct{ project, period, due, state string }
		obligations := func(t *testing.T) map[string]any {
			t.Helper()
			o := env.Must(env.Get("/api/v1/agencies/moh/obligations", moh), http.StatusOK).Obj(t)
			if o["as_of"] != today {
				t.Fatalf("obligations as of %v", o["as_of"])
			}
			return o
		}
		o := obligations(t)
		projects := map[string]string{}
		for _, x := range o["projects"].([]any) {
			m := x.(map[string]any)
			projects[m["project"].(string)] = m["role"].(string)
		}
		if want := map[string]string{"p-a": "lead", "p-c": "lead", "p-d": "participant"}; fmt.Sprint(projects) != fmt.Sprint(want) {
			t.Errorf("moh's projects %v, want %v", projects, want)
		}
		acts := o["actions"].([]any)
		if len(acts) != 1 || scenario.Path(t, acts, 0, "id") != float64(a1) || scenario.Path(t, acts, 0, "due") != "2024-05-20" ||
			scenario.Path(t, acts, 0, "overdue") != true || scenario.Path(t, acts, 0, "status") != "open" {
			t.Errorf("moh's open actions %v, want only action %d due 2024-05-20, overdue", acts, a1)
		}
		var gotOwed []owed
		overdue := 0
		for _, x := range o["reports"].([]any) {
			m := x.(map[string]any)
			gotOwed = append(gotOwed, owed{m["project"].(string), m["period"].(string), m["due"].(string), m["state"].(string)})
			if want := m["due"].(string) < today && m["state"] != "submitted"; m["overdue"] != want {
				t.Errorf("owed report %v: overdue %v, want %v", m, m["overdue"], want)
			}
			if m["overdue"] == true {
				overdue++
			}
		}
		wantOwed := []owed{ // earliest due first
			{"p-c", "1403-01", due("1403-01"), "draft"},
			{"p-c", "1403-02", due("1403-02"), "missing"},
			{"p-a", "1403-03", due("1403-03"), "missing"}, // after the accepted 1403-02
			{"p-c", "1403-03", due("1403-03"), "missing"},
		}
		if !slices.Equal(gotOwed, wantOwed) {
			t.Errorf("moh's owed reports\n got %v\nwant %v", gotOwed, wantOwed)
		}
		wantCounts := map[string]float64{"projects": 3, "leads": 2, "open_actions": 1, "overdue_actions": 1,
			"reports_owed": float64(len(wantOwed)), "reports_overdue": float64(overdue)}
		if overdue != 2 { // Farvardin's ended on 19 April, Ordibehesht's on 20 May: both past their 15 days' grace
			t.Errorf("%d overdue reports, want 2 (p-c's Farvardin 1403 draft and its Ordibehesht report)", overdue)
		}
		if counts := o["counts"].(map[string]any); fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
			t.Errorf("moh's counts %v, want %v", counts, wantCounts)
		}

		// ---- Two concurrent re-dates of a1 from one read: one wins, one 412.
		a1Path := fmt.Sprintf("/api/v1/actions/%d", a1)
		aetag := env.ETagOf(a1Path)
		dues := []string{"2024-07-01", "2024-07-02"}
		statuses := make([]int, len(dues))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range dues {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := `{"due":"` + dues[i] + `","reason":{"fa":"وابستگی به زیرساخت","en":"waits for infrastructure"}}`
				req, err := http.NewRequest("POST", env.URL+a1Path+"/redate", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Authorization", "Bearer "+sec)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("If-Match", aetag)
				<-start
				res, err := env.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				statuses[i] = res.StatusCode
			}()
		}
		close(start)
		wg.Wait()
		winner := slices.Index(statuses, http.StatusOK)
		if sorted := slices.Sorted(slices.Values(statuses)); !slices.Equal(sorted, []int{http.StatusOK, http.StatusPreconditionFailed}) || winner < 0 {
			t.Fatalf("concurrent re-dates answered %v, want one 200 and one 412", statuses)
		}
		act := env.Must(env.Get(a1Path, sec), http.StatusOK).Obj(t)
		var redates []map[string]any
		types = nil
		for _, ev := range act["events"].([]any) {
			m := ev.(map[string]any)
			types = append(types, m["type"].(string))
			if m["type"] == "re-dated" {
				redates = append(redates, m)
			}
		}
		if !slices.Equal(types, []string{"created", "re-dated"}) || len(redates) != 1 || act["due"] != dues[winner] ||
			redates[0]["old_due"] != "2024-05-20" || redates[0]["new_due"] != dues[winner] || act["version"] != 2.0 {
			t.Fatalf("a1 after the concurrent re-dates (winner %s): %v", dues[winner], act)
		}
		// moh's obligations follow: the action is due later and no longer overdue.
		o = obligations(t)
		if acts := o["actions"].([]any); len(acts) != 1 || scenario.Path(t, acts, 0, "due") != dues[winner] || scenario.Path(t, acts, 0, "overdue") != false {
			t.Errorf("moh's actions after the re-date %v", acts)
		}
		if c := o["counts"].(map[string]any); c["open_actions"] != 1.0 || c["overdue_actions"] != 0.0 {
			t.Errorf("moh's counts after the re-date %v", c)
		}
	})
}
