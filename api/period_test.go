package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestReportPeriodIsJalali: the API takes a reporting period as a Jalali
// month in any common spelling and stores its one form; a Gregorian month
// (what periods were before migration 00012) is refused with 422 naming the
// field and saying what to write, in Persian when the client asks for it.
func TestReportPeriodIsJalali(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e) // clock: 10 June 2024, Khordad 1403
		for _, lang := range []string{"", "fa", "en-GB,en;q=0.9", "fa-IR, en;q=0.5"} {
			for _, period := range []string{"2024-05", "۲۰۲۴-۰۵", "2026-11"} {
				r := env.Do(scenario.Request{Method: "POST", Path: "/api/v1/reports", Token: env.moh,
					Body: map[string]any{"project": "p0", "period": period}, Header: map[string]string{"Accept-Language": lang}})
				p := r.Field(t, http.StatusUnprocessableEntity, "period")
				if !strings.Contains(p.Message.EN, "Gregorian") || !strings.Contains(p.Message.EN, "1405-08") ||
					!strings.Contains(p.Message.FA, "میلادی") || !strings.Contains(p.Message.FA, "۱۴۰۵-۰۸") {
					t.Errorf("%q: message %+v does not say it is Gregorian and what to write", period, p.Message)
				}
				if strings.ContainsAny(p.Message.FA, "0123456789") {
					t.Errorf("%q: the Persian message %q carries Latin digits", period, p.Message.FA)
				}
				want := p.Message.EN
				if strings.HasPrefix(lang, "fa") {
					want = p.Message.FA
				}
				if p.Detail != want {
					t.Errorf("Accept-Language %q: detail %q, want %q", lang, p.Detail, want)
				}
			}
		}
		if items := env.Must(env.Get("/api/v1/reports", env.Secretariat()), http.StatusOK).Items(t); len(items) != 0 {
			t.Fatalf("refused reports were written: %v", items)
		}
		// Persian digits and a slash: stored as 1403-02 (Ordibehesht 1403).
		r := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "۱۴۰۳/۲"}), http.StatusCreated).Obj(t)
		if r["period"] != "1403-02" {
			t.Errorf("period stored as %v, want 1403-02", r["period"])
		}
	})
}
