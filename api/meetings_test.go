package api_test

// Meetings, agendas, outcomes, actions, minutes and the decisions feed over
// HTTP. Every helper here starts with "mt" so that it does not clash with
// the other test files of this package.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
)

// atomFeed is what the test reads of an Atom feed.
type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func TestMeetingsOverHTTP(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		recordMeetingRegistry(t, env)
		sec := env.Secretariat()
		reader := env.Env.Token(service.RoleReader, "")
		moh := env.Env.Token(service.RoleAgency, "moh")
		ito := env.Env.Token(service.RoleAgency, "ito")

		env.Create("/api/v1/series", map[string]any{"code": "itec", "name": scenario.Text("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), "kind": "council"})
		env.Create("/api/v1/series", map[string]any{"code": "steer", "name": scenario.Text("کمیته راهبری", "Steering committee"), "kind": "steering-committee"})
		env.Post("/api/v1/series", sec, map[string]any{"code": "x", "name": scenario.Text("x", "x"), "kind": "parliament"}).Field(t, 422, "kind")
		env.Post("/api/v1/series", reader, map[string]any{"code": "y", "name": scenario.Text("y", "y"), "kind": "other"}).Problem(t, 403)

		// A steering-committee action on p2, overdue by the council's session.
		env.Create("/api/v1/meetings", map[string]any{"series": "steer", "number": 1, "date": "2024-01-01"})
		env.Must(env.Post("/api/v1/meetings/steer-1/hold", sec, nil), 200)
		env.Create("/api/v1/meetings/steer-1/outcomes", map[string]any{"kind": "action", "owner": "ito", "due": "2024-01-10",
			"projects": []string{"p2"}, "description": scenario.Text("گزارش وضعیت", "status report")})

		m1 := env.Create("/api/v1/meetings", map[string]any{"series": "itec", "number": 1, "date": "1402/11/12",
			"attendees": []any{map[string]any{"name": scenario.Text("رضا باقری اصل", "Reza Bagheri Asl"), "agency": "ito", "role": scenario.Text("دبیر شورا", "secretary")}}})
		if m1["id"] != "itec-1" || m1["date"] != "2024-02-01" || m1["state"] != "planned" {
			t.Fatalf("new meeting %v", m1)
		}
		env.Post("/api/v1/meetings", sec, map[string]any{"series": "itec", "number": 2, "date": "2024-02-30"}).Field(t, 400, "date")
		env.Post("/api/v1/meetings", sec, map[string]any{"series": "itec", "number": 2, "date": "2024-01-15"}).Field(t, 422, "date")
		env.Post("/api/v1/meetings", sec, map[string]any{"series": "nope", "number": 2, "date": "2024-03-15"}).Field(t, 422, "series")
		env.Post("/api/v1/meetings", "", map[string]any{"series": "itec", "number": 2, "date": "2024-03-15"}).Problem(t, 401)

		// The proposal: every main project and the project with the overdue action.
		prop := env.Must(env.Get("/api/v1/meetings/itec-1/agenda/proposal", sec), 200).Obj(t)
		if got, want := agendaKeys(t, prop), []string{"project:p0", "project:p1", "project:p4", "project:p2"}; !slices.Equal(got, want) {
			t.Fatalf("proposal %q, want %q", got, want)
		}
		if r := scenario.Items(t, prop)[3]["reasons"].([]any); len(r) != 1 || r[0] != "overdue-action" {
			t.Errorf("p2's reasons %v", r)
		}
		rprop := env.Must(env.Get("/api/v1/meetings/itec-1/agenda/proposal", reader), 200).Obj(t)
		if got := agendaKeys(t, rprop); slices.Contains(got, "project:p4") {
			t.Errorf("the reader's proposal holds the confidential p4: %q", got)
		}
		env.Get("/api/v1/meetings/itec-1/agenda/proposal", "").Problem(t, 401)
		env.Get("/api/v1/meetings/itec-1", "").Problem(t, 404) // the public sees no planned meeting

		// Save it: p1 dropped for a reason, a free item added.
		items := scenario.Items(t, prop)
		items[1]["dropped"], items[1]["drop_reason"] = true, scenario.Text("گزارش نرسید", "no report arrived")
		saved := append([]map[string]any{}, items...)
		saved = append(saved, map[string]any{"kind": "other", "title": scenario.Text("سایر موارد", "any other business")})
		etag := env.ETagOf("/api/v1/meetings/itec-1")
		env.Put("/api/v1/meetings/itec-1/agenda", sec, "", map[string]any{"items": saved}).Problem(t, 428)
		noReason := append([]map[string]any{}, saved...)
		noReason[0] = map[string]any{"kind": "project", "project": "p3", "dropped": true}
		env.Put("/api/v1/meetings/itec-1/agenda", sec, etag, map[string]any{"items": noReason}).Field(t, 422, "items[0].drop_reason")
		ag := env.Must(env.Put("/api/v1/meetings/itec-1/agenda", sec, etag, map[string]any{"items": saved}), 200).Obj(t)
		if got := agendaKeys(t, map[string]any{"items": ag["agenda"]}); len(got) != 5 || got[4] != "other" {
			t.Fatalf("saved agenda %q", got)
		}
		env.Put("/api/v1/meetings/itec-1/agenda", sec, etag, map[string]any{"items": saved}).Problem(t, 412)

		// Outcomes wait for the meeting to be held.
		info := map[string]any{"kind": "information", "text": scenario.Text("گزارش", "a report")}
		env.Post("/api/v1/meetings/itec-1/outcomes", sec, info).Field(t, 409, "id")
		env.Must(env.Post("/api/v1/meetings/itec-1/hold", sec, nil), 200)
		decision := map[string]any{"kind": "decision", "resolution": "1/1", "projects": []string{"p0"},
			"text": scenario.Text("سامانه تا پایان سال سراسری شود", "roll the system out nationwide by year end")}
		env.Create("/api/v1/meetings/itec-1/outcomes", decision)
		env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "decision", "resolution": "1/2", "projects": []string{"p4"},
			"text": scenario.Text("تصمیم محرمانه", "a confidential decision")})
		a1 := env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "moh", "due": "2024-03-01",
			"projects": []string{"p0"}, "description": scenario.Text("برنامه استقرار", "roll-out plan")})
		a2 := env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "ito", "due": "2024-02-15",
			"projects": []string{"p3"}, "description": scenario.Text("اتصال به مرکز تبادل", "connect to the exchange")})
		id1, id2 := intAt(a1, "action", "id"), intAt(a2, "action", "id")
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"kind": "action", "owner": "moh", "due": "2024-01-31", "description": scenario.Text("x", "x")}, 422, "due"},
			{map[string]any{"kind": "action", "owner": "ghost", "due": "2024-03-01", "description": scenario.Text("x", "x")}, 422, "owner"},
			{map[string]any{"kind": "action", "owner": "moh", "due": "2024-03-01", "description": scenario.Text("x", "x"), "projects": []string{"ghost"}}, 422, "projects[0]"},
			{map[string]any{"kind": "action", "owner": "moh", "due": "2024-13-01", "description": scenario.Text("x", "x")}, 400, "due"},
			{map[string]any{"kind": "decision", "resolution": "1/1", "text": scenario.Text("x", "x")}, 409, "resolution"},
		} {
			env.Post("/api/v1/meetings/itec-1/outcomes", sec, c.body).Field(t, c.status, c.field)
		}
		held := env.Must(env.Get("/api/v1/meetings/itec-1", sec), 200).Obj(t)
		if n := len(held["outcomes"].([]any)); n != 4 {
			t.Fatalf("%d outcomes after the refusals, want 4", n)
		}

		// Closed: read-only, corrections are amendments.
		closed := env.Must(env.Post("/api/v1/meetings/itec-1/close", sec, nil), 200).Obj(t)
		if closed["state"] != "closed" || closed["closed_at"] == nil {
			t.Fatalf("closed meeting %v", closed)
		}
		etag = env.ETagOf("/api/v1/meetings/itec-1")
		p := env.Put("/api/v1/meetings/itec-1", sec, etag, map[string]any{"date": "2024-02-01", "title": scenario.Text("ویرایش", "edit")}).Field(t, 409, "id")
		if !strings.Contains(p.Message.EN, "itec-1") || !strings.Contains(p.Message.FA, "itec-1") {
			t.Errorf("the refusal does not name the meeting: %+v", p.Message)
		}
		env.Put("/api/v1/meetings/itec-1/agenda", sec, etag, map[string]any{"items": saved}).Field(t, 409, "id")
		env.Post("/api/v1/meetings/itec-1/outcomes", sec, info).Field(t, 409, "id")
		env.Post("/api/v1/meetings/itec-1/hold", sec, nil).Field(t, 409, "id")
		env.Create("/api/v1/meetings/itec-1/amendments", map[string]any{"text": scenario.Text("نام دبیر درست است", "the secretary's name is correct")})
		env.Post("/api/v1/meetings/steer-1/amendments", sec, map[string]any{"text": scenario.Text("x", "x")}).Field(t, 409, "id")

		// The next session carries the open actions.
		env.Create("/api/v1/meetings", map[string]any{"series": "itec", "number": 2, "date": "2024-03-10"})
		// Read → modify → PUT the whole body back.
		r2 := env.Must(env.Get("/api/v1/meetings/itec-2", sec), 200)
		m2 := r2.Obj(t)
		m2["title"] = scenario.Text("جلسه بیست‌وهفتم", "27th session")
		m2 = env.Must(env.Put("/api/v1/meetings/itec-2", sec, r2.Header.Get("ETag"), m2), 200).Obj(t)
		if m2["title"].(map[string]any)["en"] != "27th session" || m2["version"].(float64) != 2 {
			t.Errorf("edited meeting %v", m2)
		}
		env.Put("/api/v1/meetings/itec-2", sec, r2.Header.Get("ETag"), map[string]any{"date": "2024-03-10", "number": 5}).Field(t, 422, "number")
		prop2 := agendaKeys(t, env.Must(env.Get("/api/v1/meetings/itec-2/agenda/proposal", sec), 200).Obj(t))
		for _, k := range []string{fmt.Sprintf("action:%d", id1), fmt.Sprintf("action:%d", id2), "project:p0", "project:p3"} {
			if !slices.Contains(prop2, k) {
				t.Errorf("the second proposal lacks %s: %q", k, prop2)
			}
		}

		// Two concurrent re-dates from one read: one 200, one 412.
		apath := fmt.Sprintf("/api/v1/actions/%d", id1)
		aetag := env.ETagOf(apath)
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf(`{"due":"2024-04-0%d","reason":{"fa":"وابستگی","en":"waits for infrastructure"}}`, i+1)
				req, _ := http.NewRequest("POST", env.URL+apath+"/redate", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+sec)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("If-Match", aetag)
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
		wg.Wait()
		slices.Sort(statuses)
		if !slices.Equal(statuses, []int{200, 412}) {
			t.Fatalf("concurrent re-dates answered %v, want one 200 and one 412", statuses)
		}
		act := env.Must(env.Get(apath, sec), 200).Obj(t)
		var types []string
		for _, ev := range act["events"].([]any) {
			types = append(types, ev.(map[string]any)["type"].(string))
		}
		if !slices.Equal(types, []string{"created", "re-dated"}) || act["version"].(float64) != 2 {
			t.Fatalf("history after concurrent re-dates: %v (version %v)", types, act["version"])
		}
		env.Post(apath+"/redate", sec, map[string]any{"due": "2024-05-01", "reason": scenario.Text("x", "x")}).Problem(t, 428)
		aetag = env.ETagOf(apath)
		env.Do(scenario.Request{Method: "POST", Path: apath + "/redate", Token: sec, Header: map[string]string{"If-Match": aetag},
			Body: map[string]any{"due": "2024-01-01", "reason": scenario.Text("x", "x")}}).Field(t, 422, "due")
		env.Do(scenario.Request{Method: "POST", Path: apath + "/redate", Token: sec, Header: map[string]string{"If-Match": aetag},
			Body: map[string]any{"due": "2024-05-01"}}).Field(t, 422, "reason")
		// The owner's focal point adds a progress note; another agency may not.
		note := map[string]any{"note": scenario.Text("پیش‌نویس آماده است", "the draft is ready")}
		env.Do(scenario.Request{Method: "POST", Path: apath + "/discuss", Token: ito, Header: map[string]string{"If-Match": aetag}, Body: note}).Problem(t, 403)
		env.Must(env.Do(scenario.Request{Method: "POST", Path: apath + "/discuss", Token: moh, Header: map[string]string{"If-Match": aetag}, Body: note}), 200)
		mine := env.Must(env.Get("/api/v1/actions?agency=moh&open=true", moh), 200).Obj(t)
		if got := scenario.Items(t, mine); len(got) != 1 || int64(got[0]["id"].(float64)) != id1 {
			t.Errorf("moh's open actions %v", got)
		}
		// The public reads the actions about public projects alone, without
		// the accounts that recorded their events (issue 14).
		pubActs := env.Must(env.Get("/api/v1/actions", ""), 200)
		for _, a := range scenario.Items(t, pubActs.Obj(t)) {
			for _, ev := range a["events"].([]any) {
				if by, ok := ev.(map[string]any)["recorded_by"]; ok && by != "" {
					t.Errorf("the public reads who recorded action %v's event: %v", a["id"], by)
				}
			}
		}
		if !strings.Contains(pubActs.Text(), fmt.Sprintf(`"id":%d`, id1)) {
			t.Errorf("the public does not read action %d: %s", id1, pubActs.Text())
		}

		// Minutes in both languages and formats.
		jal := jalali.PersianDigits(jalali.Format(2024, 2, 1))
		for _, c := range []struct {
			lang, format, ctype string
			want                []string
		}{
			{"fa", "md", "text/markdown", []string{"سامانه تا پایان سال سراسری شود", jal, "رضا باقری اصل"}},
			{"en", "md", "text/markdown", []string{"roll the system out nationwide by year end", "2024-02-01", "the secretary's name is correct"}},
			{"fa", "html", "text/html", []string{`<html lang="fa" dir="rtl">`, "سامانه تا پایان سال سراسری شود", jal}},
			{"en", "html", "text/html", []string{`<html lang="en" dir="ltr">`, "roll the system out nationwide by year end", "2024-02-01"}},
		} {
			r := env.Must(env.Get("/api/v1/meetings/itec-1/minutes?lang="+c.lang+"&format="+c.format, sec), 200)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, c.ctype) {
				t.Errorf("%s %s: Content-Type %q", c.lang, c.format, ct)
			}
			for _, s := range c.want {
				if !bytes.Contains(r.Body, []byte(s)) {
					t.Errorf("%s %s minutes lack %q:\n%s", c.lang, c.format, s, r.Body)
				}
			}
			if bytes.Contains(bytes.ToLower(r.Body), []byte("<script")) {
				t.Errorf("%s %s minutes hold a script", c.lang, c.format)
			}
		}
		env.Get("/api/v1/meetings/itec-1/minutes?lang=de", sec).Field(t, 400, "lang")
		env.Get("/api/v1/meetings/itec-1/minutes?format=pdf", sec).Field(t, 400, "format")
		pub := env.Must(env.Get("/api/v1/meetings/itec-1/minutes?lang=en", ""), 200)
		if bytes.Contains(pub.Body, []byte("confidential decision")) || bytes.Contains(pub.Body, []byte("Reza")) ||
			!bytes.Contains(pub.Body, []byte("nationwide")) {
			t.Errorf("the public's minutes:\n%s", pub.Body)
		}

		// The decisions feed: valid Atom, the confidential decision only for staff who may see it.
		for _, c := range []struct {
			token string
			n     int
		}{{"", 1}, {reader, 1}, {sec, 2}, {moh, 2}} {
			r := env.Must(env.Get("/api/v1/decisions.atom?lang=en", c.token), 200)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
				t.Errorf("feed Content-Type %q", ct)
			}
			var feed atomFeed
			if err := xml.Unmarshal(r.Body, &feed); err != nil {
				t.Fatalf("the feed is not XML: %v\n%s", err, r.Body)
			}
			if len(feed.Entries) != c.n || feed.ID == "" || feed.Updated == "" {
				t.Fatalf("feed for %q: %d entries, want %d\n%s", c.token, len(feed.Entries), c.n, r.Body)
			}
			for _, en := range feed.Entries {
				if en.ID == "" || en.Title == "" || en.Updated == "" || en.Content.Body == "" {
					t.Errorf("incomplete entry %+v", en)
				}
				if c.n == 1 && strings.Contains(en.Content.Body, "confidential") {
					t.Errorf("the confidential decision is in the public feed")
				}
			}
		}
		page1 := env.Must(env.Get("/api/v1/decisions?limit=1", sec), 200).Obj(t)
		cursor, _ := page1["next_cursor"].(string)
		if got := scenario.Items(t, page1); len(got) != 1 || got[0]["resolution"] != "1/2" || cursor == "" {
			t.Fatalf("decisions page 1: %v", page1)
		}
		page2 := env.Must(env.Get("/api/v1/decisions?limit=1&cursor="+cursor, sec), 200).Obj(t)
		if got := scenario.Items(t, page2); len(got) != 1 || got[0]["resolution"] != "1/1" || page2["next_cursor"] != nil {
			t.Fatalf("decisions page 2: %v", page2)
		}
		env.Get("/api/v1/decisions?cursor=eA", sec).Field(t, 400, "cursor")

		// The public lists held and closed meetings only.
		list := env.Must(env.Get("/api/v1/meetings", ""), 200).Obj(t)
		var ids []string
		for _, m := range scenario.Items(t, list) {
			ids = append(ids, m["id"].(string))
		}
		if !slices.Equal(ids, []string{"steer-1", "itec-1"}) {
			t.Errorf("the public's meetings %q", ids)
		}
		all := env.Must(env.Get("/api/v1/meetings?series=itec&state=planned", reader), 200).Obj(t)
		if got := scenario.Items(t, all); len(got) != 1 || got[0]["id"] != "itec-2" {
			t.Errorf("planned itec meetings %v", got)
		}
	})
}
