package service_test

import (
	"strings"
	"testing"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestMultiAgencyExchange: the multi-agency rule says what the exchange
// shows of a project's agencies, and never refuses for it. With no
// telemetry imported at all it says nothing is known (a note, no
// warning); with telemetry that shows no traffic of the declared
// integration it warns of each agency; once the exchange shows the
// agencies exchanging data it notes since when, and the warning goes.
func TestMultiAgencyExchange(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(5).Meetings().FollowUp("2024-10-01")
		svc, ctx := env.Svc, env.Ctx
		rx, _ := exchange.ParseSubsystem("IR/GOV/MOH/rx")
		gsb, _ := exchange.ParseSubsystem("IR/GOV/ITO/gsb")
		testkit.Must(t, svc.SaveMapping(ctx, sec, &exchange.Mapping{Subsystem: rx, Agency: "moh"}))
		testkit.Must(t, svc.SaveMapping(ctx, sec, &exchange.Mapping{Subsystem: gsb, Agency: "ito"}))

		said := func() (notes, warnings []domain.Violation) {
			t.Helper()
			v, err := svc.Preview(ctx, sec, "gov14", "p0")
			testkit.Must(t, err) // p0 is on gov14 already: only multi-agency is looked at
			for _, x := range v.Violations {
				if x.Rule != designation.RuleMultiAgency {
					continue
				}
				switch x.Severity {
				case domain.Note:
					notes = append(notes, x)
				case domain.Warning:
					warnings = append(warnings, x)
				default: // the exchange never refuses a designation
					t.Errorf("multi-agency %s: %s", x.Severity, x.Message.EN)
				}
			}
			return notes, warnings
		}

		// No integration declared: the exchange is not mentioned.
		if n, w := said(); len(n)+len(w) != 0 {
			t.Fatalf("nothing declared, yet: notes %+v warnings %+v", n, w)
		}
		testkit.Must(t, svc.Declare(ctx, moh, &exchange.Declared{Project: "p0",
			Integration: exchange.Integration{Client: rx, Service: exchange.Service{Provider: gsb, Code: "inquiry"}}}))

		// Declared, nothing imported: nothing is known — a note, not a warning.
		n, w := said()
		if len(w) != 0 || len(n) != 1 || !strings.Contains(n[0].Message.EN, "nothing is known") || !strings.Contains(n[0].Message.FA, "دانسته نیست") {
			t.Fatalf("nothing imported: notes %+v warnings %+v", n, w)
		}

		// Telemetry of another service only: the declared one shows no
		// traffic, so both agencies are warned of.
		other := strings.ReplaceAll(strings.ReplaceAll(opmonSample, `"serviceCode":"inquiry"`, `"serviceCode":"other"`), `"m-`, `"o-`)
		_, err := svc.ImportExchange(ctx, service.System, strings.NewReader(other), "other.json")
		testkit.Must(t, err)
		n, w = said()
		if len(n) != 0 || len(w) != 2 {
			t.Fatalf("declared, no traffic: notes %+v warnings %+v", n, w)
		}
		for i, ag := range []string{"moh", "ito"} {
			if !strings.Contains(w[i].Message.EN, "“"+ag+"”") || !strings.Contains(w[i].Message.EN, "no recent successful exchange") {
				t.Errorf("warning %d: %s", i, w[i].Message.EN)
			}
		}

		// The declared integration's traffic (first success 2024-09-25,
		// 1403/07/04): a note with the day, no warning.
		_, err = svc.ImportExchange(ctx, service.System, strings.NewReader(opmonSample), "sample.json")
		testkit.Must(t, err)
		n, w = said()
		if len(w) != 0 || len(n) != 1 || !strings.Contains(n[0].Message.EN, "exchanging data since 2024-09-25") ||
			!strings.Contains(n[0].Message.FA, "از ۱۴۰۳/۰۷/۰۴ داده تبادل می‌کنند") {
			t.Fatalf("traffic: notes %+v warnings %+v", n, w)
		}

		// Three weeks of silence: the traffic is no longer recent, the warning is back.
		env.Clock.SetDay("2024-10-20")
		if n, w = said(); len(n) != 0 || len(w) != 2 {
			t.Errorf("after silence: notes %+v warnings %+v", n, w)
		}
	})
}
