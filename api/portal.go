package api

import (
	"net/http"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The public accountability reads of issue 14: what became of a list,
// and the agencies' scorecards.

// scorecardList is every agency's scorecard, ranked, with the method.
type scorecardList struct {
	Items  []service.Scorecard `json:"items"`
	Method domain.Text         `json:"method"`
}

// scorecardMethod says how the scorecards are computed (service/scorecard.go).
var scorecardMethod = domain.T(
	"فقط پروژه‌های عمومی. گزارش‌ها: دستگاه راهبر برای هر دوره گزارش از دوره آغاز نخستین خط مبنا یک گزارش بدهکار است، با مهلت پایان دوره به‌اضافه روزهای تنفس؛ هر دوره‌ای که مهلتش گذشته شمرده می‌شود: به‌موقع، با دیرکرد یا نرسیده. اقدام‌ها: اقدام‌های باز دستگاه درباره پروژه‌های عمومی؛ معوق اگر مهلتش پیش از امروز بوده، با عمر به روز. ارزیابی‌ها: فاصله آخرین ارزیابی خود دستگاه با ارزیابی شورا؛ ناهمسو در آستانه سیاست یا بیشتر. رتبه: درصد گزارش به‌موقع (بیشتر بهتر؛ بی‌دوره سررسیده در پایان)، سپس نرسیده کمتر، سپس اقدام معوق کمتر، سپس کد دستگاه.",
	"Public projects only. Reports: the lead agency owes one report per reporting period from the period its first baseline's planned start falls in, each due at the period's end plus the grace days; every period past its deadline counts: on time, late or missed. Actions: the agency's open actions on public projects; overdue when due before today, aged in days. Ratings: the gap between the agency's latest self rating and the council's; divergent at the policy's threshold or more. Rank: the share of periods due with a report on time (higher is better; nothing due yet comes last), then fewer missed reports, then fewer overdue actions, then the agency's code.")

func (s *Server) fate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	f, err := s.svc.Fate(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, f, 0)
}

func (s *Server) scorecards(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	cs, err := s.svc.Scorecards(r.Context())
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []service.Scorecard{}
	}
	return writeJSON(w, r, http.StatusOK, scorecardList{Items: cs, Method: scorecardMethod}, 0)
}

func (s *Server) agencyScorecard(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	rec, err := s.svc.AgencyRecord(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, rec, 0)
}

func (s *Server) portalRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/programs/{id}/fate", s.fate},
		{"GET", "/api/v1/scorecards", s.scorecards},
		{"GET", "/api/v1/agencies/{code}/scorecard", s.agencyScorecard},
	}
}
