package web

import (
	"net/http"
	"net/url"

	"github.com/pishran/pishran/domain"
)

// meetingsPerPage is how many meetings /meetings shows at a time.
const meetingsPerPage = 50

type pubMeetingRow struct {
	ID         string
	SeriesName domain.Text
	Number     int
	Title      domain.Text
	Date       domain.Date
	Published  bool
	Code       string // the minutes' verification code
}

type pubMeetingsView struct {
	Meetings []pubMeetingRow
	Total    int
	Page     int
	Pages    int
	Prev     string
	Next     string
	Series   []option2
}

// meetingsPublic lists the held meetings, newest first, with whether their
// minutes are published.
func (s *Site) meetingsPublic(q *req) error {
	page, err := pageParam(q)
	if err != nil {
		return err
	}
	qs := q.URL.Query()
	series := qs.Get("series")
	pg, err := s.svc.PublicMeetings(q.Context(), series, (page-1)*meetingsPerPage, meetingsPerPage)
	if domain.IsKind(err, domain.KindInvalid) {
		return badRequest("کد دوره نامعتبر است", "invalid series code")
	}
	if err != nil {
		return err
	}
	l := q.lang
	v := pubMeetingsView{Total: pg.Total, Page: page, Pages: max(1, (pg.Total+meetingsPerPage-1)/meetingsPerPage)}
	for _, m := range pg.Meetings {
		v.Meetings = append(v.Meetings, pubMeetingRow{ID: m.ID, SeriesName: nameOr(pg.Series, m.Series), Number: m.Number, Title: m.Title,
			Date: m.Date, Published: m.State == domain.MeetingClosed, Code: m.VerificationCode})
	}
	if page > 1 {
		v.Prev = pageURL("/meetings", qs, page-1)
	}
	if page < v.Pages {
		v.Next = pageURL("/meetings", qs, page+1)
	}
	v.Series = append(v.Series, option2{"", l.T("pubmeetings.any_series"), series == ""})
	for code, name := range pg.Series {
		v.Series = append(v.Series, option2{code, l.Text(name), series == code})
	}
	sortOptions(v.Series[1:])
	return s.render(q, http.StatusOK, "meetings", l.T("pubmeetings.title"), "meetings", v)
}

func sortOptions(xs []option2) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j].Value < xs[j-1].Value; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

type meetingDecision struct {
	Resolution string
	Text       domain.Text
	Projects   []linkView
	Code       string
}

type followUpLine struct {
	actionLine
	Action      int64
	Description domain.Text
	Owner       domain.Text
}

type meetingPublicView struct {
	ID        string
	Heading   string
	Title     domain.Text
	Date      domain.Date
	Published bool
	Code      string
	MinutesFA string
	MinutesEN string
	MinutesMD string
	Decisions []meetingDecision
	Actions   []actionView
	FollowUps []followUpLine
}

// meetingPublic shows one held meeting as the public reads it: its
// published minutes and decisions once it closed, the public's actions it
// set and what it did to earlier ones. A planned meeting is not found.
func (s *Site) meetingPublic(q *req) error {
	id := q.PathValue("id")
	if !domain.ValidSlug(id) {
		return notFound()
	}
	pg, err := s.svc.PublicMeeting(q.Context(), id)
	if err != nil {
		return err
	}
	l, m := q.lang, pg.Meeting
	minutes := "/api/v1/meetings/" + url.PathEscape(m.ID) + "/minutes"
	v := meetingPublicView{ID: m.ID, Heading: l.T("pubmeeting.session", pg.SeriesName, l.Num(m.Number)), Title: m.Title, Date: m.Date,
		Published: pg.Published, Code: m.VerificationCode}
	if pg.Published {
		v.MinutesFA, v.MinutesEN, v.MinutesMD = minutes+"?lang=fa&format=html", minutes+"?lang=en&format=html", minutes+"?lang="+string(l)+"&format=md"
	}
	for _, o := range m.Outcomes {
		d := meetingDecision{Resolution: o.Resolution, Text: o.Text, Code: o.VerificationCode}
		for _, slug := range o.Projects {
			if t, ok := pg.Titles[slug]; ok {
				d.Projects = append(d.Projects, linkView{Slug: slug, Title: t})
			}
		}
		v.Decisions = append(v.Decisions, d)
	}
	day := pg.Day
	for _, a := range pg.Actions {
		v.Actions = append(v.Actions, viewAction(l, a, day, pg.Agencies, pg.Titles))
	}
	for _, f := range pg.FollowUps {
		one := viewAction(l, &domain.Action{Events: []domain.ActionEvent{f.ActionEvent}}, day, nil, nil)
		v.FollowUps = append(v.FollowUps, followUpLine{actionLine: one.History[0], Action: f.Action, Description: f.Description,
			Owner: nameOr(pg.Agencies, f.Owner)})
	}
	return s.render(q, http.StatusOK, "meeting", v.Heading, "meetings", v)
}
