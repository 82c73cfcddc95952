package service_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

func genTelemetry(t *testing.T, cfg exchange.GenConfig) ([]byte, *exchange.Truth) {
	t.Helper()
	var b bytes.Buffer
	truth, err := exchange.Generate(&b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), truth
}

func countRows(t *testing.T, env *scenario.Env, table string) int {
	t.Helper()
	_, read := env.DB.Pools()
	var n int
	if err := read.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestExchangeImport imports a month of generated telemetry (gzip, with
// malformed records, duplicate deliveries, unknown identities, both
// servers' logs) into the store, declares every pair the generator drew on
// a project, and checks the import report and each declaration's status
// and daily series against what the generator says it wrote. Then: the
// same records again, compressed or plain, change nothing; hours past the
// retention are dropped while the days keep the traffic.
func TestExchangeImport(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(5).Meetings().FollowUp("2024-10-01")
		svc, ctx := env.Svc, env.Ctx
		clients, services := exchange.SyntheticCatalogue(12, 7)
		mapped := map[exchange.Subsystem]bool{}
		mapIt := func(s exchange.Subsystem) {
			if mapped[s] {
				return
			}
			mapped[s] = true
			agency := "moh"
			if s.Member.Code >= "SYN-0007" {
				agency = "ito"
			}
			testkit.Must(t, svc.SaveMapping(ctx, sec, &exchange.Mapping{Subsystem: s, Agency: agency}))
		}
		for _, c := range clients {
			mapIt(c)
		}
		for _, s := range services {
			mapIt(s.Provider)
		}
		cfg := exchange.GenConfig{Seed: 42, Start: exchange.DayStart(domain.MustDate("2024-09-01")), PerDay: 1000, Messages: 30_000,
			Clients: clients, Services: services, Gzip: true, MalformedRate: 0.002, DuplicateRate: 0.003, UnknownRate: 0.002}
		data, truth := genTelemetry(t, cfg)
		res, err := svc.ImportExchange(ctx, service.System, bytes.NewReader(data), "month.json.gz")
		testkit.Must(t, err)
		rep := res.Report
		if res.Repeat || !rep.Compressed || rep.Records != truth.Records || rep.Bad != truth.Malformed || rep.Duplicates != truth.Duplicates ||
			rep.Accepted != truth.Records-truth.Malformed-truth.Duplicates || len(rep.Problems) == 0 {
			t.Fatalf("report: records %d bad %d dup %d accepted %d; truth %+v", rep.Records, rep.Bad, rep.Duplicates, rep.Accepted, truth)
		}
		for _, p := range rep.Problems {
			if p.Number <= 0 || p.Reason.EN == "" || p.Reason.FA == "" {
				t.Errorf("a bad record not named: %+v", p)
			}
		}
		if rep.UnknownRecords == 0 || len(rep.Unknown) == 0 {
			t.Error("no unknown identity offered for mapping")
		}
		for _, u := range rep.Unknown {
			if mapped[u.Subsystem] {
				t.Errorf("%s is mapped, yet reported unknown", u.Subsystem)
			}
		}
		rows, err := svc.ExchangeImports(ctx, sec, 10)
		testkit.Must(t, err)
		if len(rows) != 1 || len(rows[0].StillUnmapped) != len(rep.Unknown) || rows[0].Report.Digest != rep.Digest {
			t.Errorf("imports listed: %+v", rows)
		}
		if countRows(t, env, "exchange_hours") == 0 || countRows(t, env, "exchange_days") == 0 {
			t.Fatal("no aggregates stored")
		}

		for _, p := range truth.Pairs {
			testkit.Must(t, svc.Declare(ctx, sec, &exchange.Declared{Project: "p0", Integration: p.Integration}))
		}
		judged := func() []exchange.Judged {
			js, err := svc.Integrations(ctx, service.Anonymous, "p0")
			testkit.Must(t, err)
			if len(js) != len(truth.Pairs) {
				t.Fatalf("%d integrations judged, %d declared", len(js), len(truth.Pairs))
			}
			return js
		}
		js := judged()
		states := map[exchange.State]int{}
		for _, j := range js {
			i := slices.IndexFunc(truth.Pairs, func(p exchange.PairTruth) bool { return p.Integration == j.Integration })
			p := truth.Pairs[i]
			var n, f int64
			for _, d := range j.Status.Series {
				n += int64(d.Successes + d.Failures)
				f += int64(d.Failures)
			}
			// Each message once; a message whose two records fall in two
			// hours may count in both (exchange.Aggregate.Side).
			if diff := n - p.Messages; diff < 0 || diff > p.Messages/1000+1 {
				t.Errorf("%v: %d messages, truth %d", p.Integration, n, p.Messages)
			}
			if f < p.Failures || f > p.Failures+p.Failures/1000+1 {
				t.Errorf("%v: %d failures, truth %d", p.Integration, f, p.Failures)
			}
			if j.ClientAgency == "" || j.ProviderAgency == "" {
				t.Errorf("%v: agencies not named", p.Integration)
			}
			states[j.Status.State]++
			switch {
			case slices.Contains(truth.Never, p.Integration):
				if j.Status.State != exchange.StateNeverSeen || j.Status.FirstSeen != nil {
					t.Errorf("%v never: %s", p.Integration, j.Status.State)
				}
			case slices.Contains(truth.Silent, p.Integration):
				if p.Messages > 0 && j.Status.State != exchange.StateSilent {
					t.Errorf("%v silent: %s", p.Integration, j.Status.State)
				}
			case j.Status.Successes+j.Status.Failures >= 200:
				want := exchange.StateLive
				if slices.Contains(truth.Failing, p.Integration.Service) {
					want = exchange.StateFailing
				}
				if j.Status.State != want {
					t.Errorf("%v: %s, want %s", p.Integration, j.Status.State, want)
				}
				if j.Status.FirstSuccess == nil || j.Status.FirstSuccess.Before(truth.From) || j.Status.P50 == nil {
					t.Errorf("%v: first success %v, p50 %v", p.Integration, j.Status.FirstSuccess, j.Status.P50)
				}
			}
		}
		if states[exchange.StateLive] == 0 || states[exchange.StateSilent] == 0 || states[exchange.StateNeverSeen] == 0 {
			t.Errorf("states %v: every state should appear", states)
		}
		before, _ := json.Marshal(js)

		// The same records again, as they were and decompressed: nothing changes.
		zr, err := gzip.NewReader(bytes.NewReader(data))
		testkit.Must(t, err)
		plain, err := io.ReadAll(zr)
		testkit.Must(t, err)
		for _, in := range [][]byte{data, plain} {
			again, err := svc.ImportExchange(ctx, service.System, bytes.NewReader(in), "again")
			testkit.Must(t, err)
			if !again.Repeat || again.Report.Digest != rep.Digest {
				t.Errorf("a re-import was taken: %+v", again)
			}
		}
		if after, _ := json.Marshal(judged()); !bytes.Equal(before, after) {
			t.Error("a re-import changed the statuses")
		}
		if n := countRows(t, env, "exchange_imports"); n != 1 {
			t.Errorf("%d imports recorded", n)
		}

		// Forty days on, the next import rolls the month's hours up: the
		// days keep every message.
		env.Clock.SetDay("2024-11-10")
		one := `{"records":[{"securityServerType":"Client","requestInTs":1731225600000,"succeeded":true,
			"clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"SYN-0001","clientSubsystemCode":"sys1",
			"serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"SYN-0002","serviceSubsystemCode":"sys1","serviceCode":"x"}]}`
		r2, err := svc.ImportExchange(ctx, service.System, strings.NewReader(one), "one")
		testkit.Must(t, err)
		if r2.DroppedHours == 0 || countRows(t, env, "exchange_hours") != 1 {
			t.Errorf("hours past the retention kept: dropped %d, left %d", r2.DroppedHours, countRows(t, env, "exchange_hours"))
		}
		env.Clock.SetDay("2024-10-01")
		if after, _ := json.Marshal(judged()); !bytes.Equal(before, after) {
			t.Error("the roll-up changed the statuses")
		}
	})
}

// opmonSample is written from the published protocol (X-Road PR-OPMON),
// not by the generator: one message logged by both servers (the same
// xRequestId), one failed message only the client's server saw, and one
// record in the open-data form. Times are 2024-09-25 around 10:00 Tehran.
const opmonSample = `{"records":[
{"monitoringDataTs":1727245805,"securityServerInternalIp":"10.1.2.3","securityServerType":"Client",
 "requestInTs":1727245800000,"requestOutTs":1727245800020,"responseInTs":1727245800180,"responseOutTs":1727245800200,
 "clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"MOH","clientSubsystemCode":"rx",
 "serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"ITO","serviceSubsystemCode":"gsb",
 "serviceCode":"inquiry","serviceVersion":"v1","serviceType":"REST","restMethod":"GET","restPath":"/person/1",
 "messageId":"m-1","xRequestId":"6d7e0c44-1","messageUserId":"IR0012345678","messageIssue":"case-9","messageProtocolVersion":"4.0",
 "representedPartyClass":"COM","representedPartyCode":"555","requestSize":310,"responseSize":1200,"succeeded":true,"statusCode":200,"xRoadVersion":"7.4.0"},
{"monitoringDataTs":1727245806,"securityServerInternalIp":"10.9.8.7","securityServerType":"Producer",
 "requestInTs":1727245800030,"requestOutTs":1727245800040,"responseInTs":1727245800160,"responseOutTs":1727245800170,
 "clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"MOH","clientSubsystemCode":"rx",
 "serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"ITO","serviceSubsystemCode":"gsb",
 "serviceCode":"inquiry","serviceVersion":"v1","serviceType":"REST","messageId":"m-1","xRequestId":"6d7e0c44-1",
 "requestSize":310,"responseSize":1200,"succeeded":true,"statusCode":200},
{"monitoringDataTs":1727249405,"securityServerInternalIp":"10.1.2.3","securityServerType":"Client",
 "requestInTs":1727249400000,"responseOutTs":1727249430000,
 "clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"MOH","clientSubsystemCode":"rx",
 "serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"ITO","serviceSubsystemCode":"gsb",
 "serviceCode":"inquiry","serviceVersion":"v1","messageId":"m-2","xRequestId":"6d7e0c44-2",
 "succeeded":false,"faultCode":"Server.ClientProxy.NetworkError","faultString":"connection refused"},
{"securityServerType":"Client","requestInTs":1727254800000,"requestInDate":"2024-09-25T09:00:00Z",
 "requestOutTs":1727254801000,"responseInTs":1727254801100,"responseOutTs":1727254801120,
 "clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"MOH","clientSubsystemCode":"rx",
 "serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"ITO","serviceSubsystemCode":"gsb",
 "serviceCode":"inquiry","serviceVersion":"v1","succeeded":true,"requestSize":10,"responseSize":20},
{"securityServerType":"Client","requestInTs":"yesterday","succeeded":true}
]}`

// TestExchangeDivergence: a report marks a milestone done that a declared
// integration evidences while the exchange shows no traffic of it — the
// divergence shows on the report and, once accepted, in the agenda
// proposal as its own reason. A file written from the protocol then shows
// the traffic: each message counted once, the milestone evidenced since
// its day, the divergence gone.
func TestExchangeDivergence(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(5).Meetings().FollowUp("2024-10-01")
		svc, ctx := env.Svc, env.Ctx
		rx, _ := exchange.ParseSubsystem("IR/GOV/MOH/rx")
		gsb, _ := exchange.ParseSubsystem("IR/GOV/ITO/gsb")
		testkit.Must(t, svc.SaveMapping(ctx, sec, &exchange.Mapping{Subsystem: rx, Agency: "moh", Name: domain.T("نسخه", "rx")}))
		testkit.Must(t, svc.SaveMapping(ctx, sec, &exchange.Mapping{Subsystem: gsb, Agency: "ito"}))
		ms, err := svc.Milestones(ctx, sec, "p0")
		testkit.Must(t, err)
		pilot := ms[0].ID
		d := &exchange.Declared{Project: "p0", Integration: exchange.Integration{Client: rx, Service: exchange.Service{Provider: gsb, Code: "inquiry"}}, Milestone: &pilot}
		if err := svc.Declare(ctx, ito, d); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("a participating agency declared on the lead's project: %v", err)
		}
		testkit.Must(t, svc.Declare(ctx, moh, d))
		if err := svc.Declare(ctx, moh, &exchange.Declared{Project: "p0", Integration: d.Integration}); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("the same integration declared twice: %v", err)
		}

		r := &domain.Report{Project: "p0", Period: domain.Period("1403-06"), Narrative: domain.T("استقرار انجام شد", "the pilot is done"),
			Milestones: []domain.MilestoneProgress{{Milestone: pilot, Percent: 100, Done: domain.DatePtr("2024-09-20")}}}
		testkit.Must(t, svc.CreateReport(ctx, moh, r))
		_, err = svc.SubmitReport(ctx, moh, r.ID, 0)
		testkit.Must(t, err)
		div, err := svc.ReportDivergences(ctx, sec, r.ID)
		testkit.Must(t, err)
		if len(div) != 1 || div[0].Milestone != pilot || div[0].State != exchange.StateNeverSeen || !strings.Contains(div[0].Message.EN, "no successful exchange") {
			t.Fatalf("divergences %+v", div)
		}
		_, err = svc.AcceptReport(ctx, sec, r.ID, 0, domain.Text{})
		testkit.Must(t, err)
		day := domain.MustDate("2024-10-15")
		_, err = svc.CreateMeeting(ctx, service.System, service.MeetingInput{Series: "itec", Number: 1, Date: &day})
		testkit.Must(t, err)
		reasons := func() []domain.AgendaReason {
			_, items, err := svc.ProposeAgenda(ctx, sec, "itec-1")
			testkit.Must(t, err)
			for _, it := range items {
				if it.Project == "p0" {
					return it.Reasons
				}
			}
			return nil
		}
		if rs := reasons(); !slices.Contains(rs, domain.ReasonExchangeDivergence) {
			t.Errorf("agenda reasons of p0: %v", rs)
		}

		res, err := svc.ImportExchange(ctx, service.System, strings.NewReader(opmonSample), "sample.json")
		testkit.Must(t, err)
		rep := res.Report
		if rep.Records != 5 || rep.Accepted != 4 || rep.Bad != 1 || rep.OpenData != 1 || rep.ClientRecords != 3 || rep.ProducerRecords != 1 ||
			len(rep.Problems) != 1 || rep.Problems[0].Number != 5 || rep.UnknownRecords != 0 {
			t.Fatalf("report %+v", rep)
		}
		js, err := svc.Integrations(ctx, service.Anonymous, "p0")
		testkit.Must(t, err)
		st := js[0].Status
		var n, f uint64
		for _, x := range st.Series {
			n, f = n+x.Successes+x.Failures, f+x.Failures
		}
		if n != 3 || f != 1 || st.State != exchange.StateLive || st.FirstSuccess == nil ||
			exchange.DayOf(*st.FirstSuccess) != domain.MustDate("2024-09-25") || js[0].ClientAgency != "moh" || js[0].ProviderAgency != "ito" {
			t.Errorf("status %+v (%d messages, %d failed)", st, n, f)
		}
		div, err = svc.ReportDivergences(ctx, sec, r.ID)
		testkit.Must(t, err)
		if len(div) != 0 {
			t.Errorf("divergences after the traffic: %+v", div)
		}
		if rs := reasons(); slices.Contains(rs, domain.ReasonExchangeDivergence) {
			t.Errorf("agenda still says divergence: %v", rs)
		}
		// The exchange shows nothing after two weeks: the divergence is back.
		env.Clock.SetDay("2024-10-20")
		if div, _ := svc.ReportDivergences(ctx, sec, r.ID); len(div) != 1 || div[0].LastSuccess == nil {
			t.Errorf("after silence: %+v", div)
		}
	})
}
