package domain

import (
	"strconv"
	"strings"
	"time"
)

// SeriesKind says which body a meeting series belongs to.
type SeriesKind string

const (
	SeriesCouncil             SeriesKind = "council"              // the IT Executive Council itself
	SeriesSteeringCommittee   SeriesKind = "steering-committee"   // its steering committee
	SeriesStrategicCommission SeriesKind = "strategic-commission" // its strategic commission
	SeriesOther               SeriesKind = "other"
)

// SeriesKinds lists the valid series kinds.
var SeriesKinds = []SeriesKind{SeriesCouncil, SeriesSteeringCommittee, SeriesStrategicCommission, SeriesOther}

// Series is a body's run of numbered sessions: the IT Executive Council's
// meetings, its steering committee's, … Its code prefixes every session's
// id ("itec" → "itec-26").
type Series struct {
	Code string     `json:"code"`
	Name Text       `json:"name"`
	Kind SeriesKind `json:"kind"`
	// Sources name where the series is recorded (the reference data's
	// series carry them); empty for one the secretariat set up.
	Sources []Source `json:"sources,omitempty"`
	Meta
}

// MeetingState is where a session stands. It only moves forward: planned →
// held → closed. A closed meeting is read-only; corrections are amendments.
type MeetingState string

const (
	MeetingPlanned MeetingState = "planned"
	MeetingHeld    MeetingState = "held"
	MeetingClosed  MeetingState = "closed"
)

// MeetingStates lists the states in the order a meeting passes them.
var MeetingStates = []MeetingState{MeetingPlanned, MeetingHeld, MeetingClosed, MeetingCancelled}

// MeetingID is the id of session number of series: "itec" and 26 give
// "itec-26". The number never contains a hyphen, so two (series, number)
// pairs never share an id.
func MeetingID(series string, number int) string { return series + "-" + strconv.Itoa(number) }

// Attendee is a person present at a meeting, the agency they represent (if
// any) and the part they played ("secretary of the council").
type Attendee struct {
	Name   Text   `json:"name"`
	Agency string `json:"agency,omitempty"` // agency code
	Role   Text   `json:"role"`
}

// Amendment is a correction to a closed meeting's record. It is appended,
// never edited: the minutes show the original record and every amendment.
type Amendment struct {
	ID         int64     `json:"id"`
	Text       Text      `json:"text"`
	RecordedBy string    `json:"recorded_by,omitempty"`
	RecordedAt time.Time `json:"recorded_at"`
}

// AgendaKind says what an agenda item is about.
type AgendaKind string

const (
	AgendaProject AgendaKind = "project" // a project's follow-up
	AgendaAction  AgendaKind = "action"  // an open action carried from an earlier session
	AgendaOther   AgendaKind = "other"   // anything else, with a title
)

// AgendaKinds lists the valid item kinds.
var AgendaKinds = []AgendaKind{AgendaProject, AgendaAction, AgendaOther}

// AgendaReason says why an item is on the agenda.
type AgendaReason string

const (
	ReasonMainProject   AgendaReason = "main-project"   // a main project of an adopted list: always followed up
	ReasonRedStatus     AgendaReason = "red-status"     // its computed status is red
	ReasonSilent        AgendaReason = "silent"         // it missed owed reports: its computed status is silent
	ReasonOverdueAction AgendaReason = "overdue-action" // it has an open action due before the meeting
	ReasonRatingDrop    AgendaReason = "rating-drop"    // the council's rating of it fell
	ReasonStaleReport   AgendaReason = "stale-report"   // its last accepted report is too old
	ReasonCarriedAction AgendaReason = "carried-action" // an open action from an earlier session of the series
	ReasonAdded         AgendaReason = "added"          // the secretariat put it on by hand
	// ReasonExchangeDivergence: a milestone reported done while the
	// National Information Exchange shows no successful traffic of the
	// integration that evidences it (issue 15).
	ReasonExchangeDivergence AgendaReason = "exchange-divergence"
)

// AgendaReasons lists the valid reasons, most severe first after the main
// projects, which are always on the agenda.
var AgendaReasons = []AgendaReason{ReasonMainProject, ReasonRedStatus, ReasonSilent, ReasonOverdueAction, ReasonExchangeDivergence,
	ReasonRatingDrop, ReasonStaleReport, ReasonCarriedAction, ReasonAdded}

// Severity ranks a reason for ordering the agenda: higher is more urgent.
func (r AgendaReason) Severity() int {
	switch r {
	case ReasonRedStatus:
		return 50
	case ReasonSilent:
		return 45
	case ReasonOverdueAction:
		return 40
	case ReasonExchangeDivergence:
		return 35
	case ReasonRatingDrop:
		return 30
	case ReasonStaleReport:
		return 20
	case ReasonCarriedAction:
		return 10
	}
	return 0
}

// Text returns the reason in both languages.
func (r AgendaReason) Text() Text {
	switch r {
	case ReasonMainProject:
		return T("پروژه اصلی", "main project")
	case ReasonRedStatus:
		return T("وضعیت قرمز", "red status")
	case ReasonSilent:
		return T("خاموش: گزارش‌های بدهکار نرسیده است", "silent: owed reports missed")
	case ReasonOverdueAction:
		return T("اقدام معوق", "overdue action")
	case ReasonRatingDrop:
		return T("افت ارزیابی شورا", "council rating dropped")
	case ReasonStaleReport:
		return T("گزارش کهنه", "stale report")
	case ReasonCarriedAction:
		return T("اقدام باز از جلسات پیشین", "open action carried over")
	case ReasonAdded:
		return T("افزوده دبیرخانه", "added by the secretariat")
	case ReasonExchangeDivergence:
		return T("گزارش در برابر مرکز تبادل", "report contradicted by the exchange")
	}
	return T(string(r), string(r))
}

// AgendaItem is one item of a meeting's agenda, proposed or saved.
type AgendaItem struct {
	Kind     AgendaKind     `json:"kind"`
	Project  string         `json:"project,omitempty"`  // project items: its slug
	Action   int64          `json:"action,omitempty"`   // action items: its id
	Projects []string       `json:"projects,omitempty"` // action items: the projects it concerns
	Owner    string         `json:"owner,omitempty"`    // action items: the owner agency
	Due      *Date          `json:"due,omitempty"`      // action items: its due date
	Title    Text           `json:"title"`
	Reasons  []AgendaReason `json:"reasons"`
	// Dropped items stay on the saved agenda, visibly, with the reason.
	Dropped    bool `json:"dropped"`
	DropReason Text `json:"drop_reason,omitzero"`
	// HiddenLinks counts the projects left out of Projects because the
	// reader may not see them (see Project.HiddenLinks).
	HiddenLinks int `json:"hidden_links,omitempty"`
}

// Key identifies an item within one agenda.
func (it AgendaItem) Key() string {
	switch it.Kind {
	case AgendaProject:
		return "project:" + it.Project
	case AgendaAction:
		return "action:" + strconv.FormatInt(it.Action, 10)
	}
	return ""
}

// Severity is the item's most urgent reason.
func (it AgendaItem) Severity() int {
	s := 0
	for _, r := range it.Reasons {
		s = max(s, r.Severity())
	}
	return s
}

// IsMain reports whether the item is a main project.
func (it AgendaItem) IsMain() bool {
	for _, r := range it.Reasons {
		if r == ReasonMainProject {
			return true
		}
	}
	return false
}

// Meeting is one numbered session of a series.
type Meeting struct {
	ID         string           `json:"id"` // series code and number: "itec-26"
	Series     string           `json:"series"`
	Number     int              `json:"number"`
	Title      Text             `json:"title"` // optional; the minutes fall back to series name and number
	Date       Date             `json:"date"`
	State      MeetingState     `json:"state"`
	Attendees  []Attendee       `json:"attendees"`
	Agenda     []AgendaItem     `json:"agenda"`
	Outcomes   []Outcome        `json:"outcomes"`
	FollowUps  []ActionFollowUp `json:"follow_ups"` // what this session did to actions of earlier ones
	Amendments []Amendment      `json:"amendments"`
	HeldAt     *time.Time       `json:"held_at,omitempty"`
	ClosedAt   *time.Time       `json:"closed_at,omitempty"`
	Seal                        // of its published minutes, once closed
	Meta
}

// OutcomeKind is what a meeting produced.
type OutcomeKind string

const (
	OutcomeInformation OutcomeKind = "information" // reported to the meeting, nothing decided
	OutcomeDecision    OutcomeKind = "decision"    // a resolution
	OutcomeAction      OutcomeKind = "action"      // a task for an agency, with a due date
)

// OutcomeKinds lists the valid outcome kinds.
var OutcomeKinds = []OutcomeKind{OutcomeInformation, OutcomeDecision, OutcomeAction}

// Outcome is one thing a held meeting produced. An action outcome creates
// an Action record, which then lives on beyond the meeting.
type Outcome struct {
	ID          int64       `json:"id"`
	Meeting     string      `json:"meeting"`
	Kind        OutcomeKind `json:"kind"`
	Resolution  string      `json:"resolution,omitempty"` // decisions: the resolution number
	Text        Text        `json:"text,omitzero"`        // information and decisions
	Description Text        `json:"description,omitzero"` // actions
	Owner       string      `json:"owner,omitempty"`      // actions: the owner agency's code
	Due         *Date       `json:"due,omitempty"`        // actions
	Action      int64       `json:"action,omitempty"`     // actions: the record created
	Projects    []string    `json:"projects"`
	RecordedBy  string      `json:"recorded_by,omitempty"`
	RecordedAt  time.Time   `json:"recorded_at"`
	HiddenLinks int         `json:"hidden_links,omitempty"` // see Project.HiddenLinks: projects left out
	Seal                    // decisions, once published
}

// ActionStatus is whether an action is still owed.
type ActionStatus string

const (
	ActionOpen   ActionStatus = "open"
	ActionClosed ActionStatus = "closed"
)

// ActionEventType is the kind of an entry in an action's history.
type ActionEventType string

const (
	ActionCreated   ActionEventType = "created"   // decided at a meeting
	ActionDiscussed ActionEventType = "discussed" // discussed at a meeting, or a progress note from its owner
	ActionRedated   ActionEventType = "re-dated"  // its due date moved, for a reason
	ActionClosedEv  ActionEventType = "closed"    // done, at a meeting or on a date
)

// ActionEvent is one entry in an action's append-only history.
type ActionEvent struct {
	ID         int64           `json:"id"`
	Type       ActionEventType `json:"type"`
	Meeting    string          `json:"meeting,omitempty"` // the session it happened at, if any
	Date       Date            `json:"date"`              // the day it happened
	Note       Text            `json:"note,omitzero"`     // re-dated: the reason
	OldDue     *Date           `json:"old_due,omitempty"` // re-dated
	NewDue     *Date           `json:"new_due,omitempty"` // re-dated
	RecordedBy string          `json:"recorded_by,omitempty"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// Action is a task a meeting gave an agency. It is carried to every later
// session of its series until it is closed, and its whole history is kept.
type Action struct {
	ID          int64         `json:"id"`
	Meeting     string        `json:"meeting"` // the session that decided it
	Series      string        `json:"series"`
	Owner       string        `json:"owner"` // agency code
	Projects    []string      `json:"projects"`
	Description Text          `json:"description"`
	Created     Date          `json:"created"` // the deciding session's date
	Due         Date          `json:"due"`
	Status      ActionStatus  `json:"status"`
	Closed      *Date         `json:"closed,omitempty"`
	Overdue     bool          `json:"overdue"` // open and due before today
	Events      []ActionEvent `json:"events"`
	HiddenLinks int           `json:"hidden_links,omitempty"` // see Project.HiddenLinks: projects left out
	Meta
}

// ActionFollowUp is an event recorded at a meeting on an action of an earlier
// one: what the minutes list under "follow-up of earlier actions".
type ActionFollowUp struct {
	Action      int64  `json:"action"`
	Description Text   `json:"description"`
	Owner       string `json:"owner"`
	ActionEvent
}

// Decision is a resolution of a held or closed meeting, as the decisions
// feed lists it.
type Decision struct {
	ID          int64     `json:"id"` // the outcome's id
	Meeting     string    `json:"meeting"`
	Series      string    `json:"series"`
	SeriesName  Text      `json:"series_name"`
	Number      int       `json:"number"`
	Date        Date      `json:"date"` // the meeting's date
	Resolution  string    `json:"resolution"`
	Text        Text      `json:"text"`
	Projects    []string  `json:"projects"`
	RecordedAt  time.Time `json:"recorded_at"`
	HiddenLinks int       `json:"hidden_links,omitempty"` // see Project.HiddenLinks: projects left out
	Seal                  // once published (the meeting closed)
}

// ---- validation ----

// Validate checks a series' own fields.
func (s *Series) Validate() error {
	if err := checkSlug("code", s.Code); err != nil {
		return err
	}
	if err := validText("name", s.Name, true, maxTitle); err != nil {
		return err
	}
	if err := checkEnum("kind", s.Kind, SeriesKinds); err != nil {
		return err
	}
	if len(s.Sources) == 0 {
		return nil
	}
	return checkSources("sources", s.Sources)
}

// maxAttendees bounds a meeting's attendance list.
const maxAttendees = 500

// Validate checks a meeting's own fields: the ones a caller sets (series,
// number, title, date, attendees). Whether the series and the attendees'
// agencies exist is the store's to check.
func (m *Meeting) Validate() error {
	if err := checkSlug("series", m.Series); err != nil {
		return err
	}
	if m.Number < 1 || m.Number > 100000 {
		return Invalid("number", "شماره جلسه باید بین ۱ و ۱۰۰۰۰۰ باشد", "the session number must be between 1 and 100000")
	}
	if !ValidSlug(MeetingID(m.Series, m.Number)) {
		return Invalid("series", "کد دوره بیش از حد طولانی است", "the series code is too long to make a meeting id")
	}
	if m.Date.Y == 0 {
		return Invalid("date", "تاریخ جلسه لازم است", "the meeting date is required")
	}
	if err := validText("title", m.Title, false, maxTitle); err != nil {
		return err
	}
	if len(m.Attendees) > maxAttendees {
		return Invalid("attendees", "فهرست حاضران بیش از حد بلند است", "too many attendees")
	}
	for i, a := range m.Attendees {
		f := "attendees[" + strconv.Itoa(i) + "]"
		if err := validText(f+".name", a.Name, true, maxTitle); err != nil {
			return err
		}
		if err := validText(f+".role", a.Role, false, maxTitle); err != nil {
			return err
		}
		if a.Agency != "" {
			if err := checkSlug(f+".agency", a.Agency); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxAgenda bounds a saved agenda.
const maxAgenda = 20000

// ValidateAgenda checks a saved agenda's items: known kinds and reasons,
// each project or action once, a title for free items, a reason for every
// dropped item.
func ValidateAgenda(items []AgendaItem) error {
	if len(items) > maxAgenda {
		return Invalid("items", "دستور جلسه بیش از حد بلند است", "the agenda has too many items")
	}
	seen := map[string]bool{}
	for i, it := range items {
		f := "items[" + strconv.Itoa(i) + "]"
		if err := checkEnum(f+".kind", it.Kind, AgendaKinds); err != nil {
			return err
		}
		switch it.Kind {
		case AgendaProject:
			if err := checkSlug(f+".project", it.Project); err != nil {
				return err
			}
			if it.Action != 0 {
				return Invalid(f+".action", "بند پروژه اقدام ندارد", "a project item has no action")
			}
		case AgendaAction:
			if it.Action <= 0 {
				return Invalid(f+".action", "شناسه اقدام لازم است", "the action id is required")
			}
			if it.Project != "" {
				return Invalid(f+".project", "بند اقدام پروژه جداگانه ندارد", "an action item names no project of its own")
			}
		case AgendaOther:
			if it.Project != "" || it.Action != 0 {
				return Invalid(f+".kind", "بند «دیگر» به پروژه یا اقدام اشاره نمی‌کند؛ نوع project یا action را به کار ببرید",
					"an \"other\" item names no project or action; use kind project or action")
			}
			if err := validText(f+".title", it.Title, true, maxTitle); err != nil {
				return err
			}
		}
		if err := validText(f+".title", it.Title, false, maxTitle); err != nil {
			return err
		}
		if k := it.Key(); k != "" {
			if seen[k] {
				return Invalid(f, "این بند دو بار آمده است", "item listed twice")
			}
			seen[k] = true
		}
		for j, r := range it.Reasons {
			if err := checkEnum(f+".reasons["+strconv.Itoa(j)+"]", r, AgendaReasons); err != nil {
				return err
			}
		}
		if it.Dropped {
			if err := validText(f+".drop_reason", it.DropReason, true, maxLong); err != nil {
				return err
			}
		} else if !it.DropReason.IsZero() {
			return Invalid(f+".drop_reason", "دلیل حذف فقط برای بند حذف‌شده است", "a drop reason is only for a dropped item")
		}
	}
	return nil
}

// maxLinked bounds the projects one outcome links to.
const maxLinked = 200

// Validate checks an outcome's own fields for its kind.
func (o *Outcome) Validate() error {
	if err := checkEnum("kind", o.Kind, OutcomeKinds); err != nil {
		return err
	}
	switch o.Kind {
	case OutcomeInformation:
		if err := validText("text", o.Text, true, maxLong); err != nil {
			return err
		}
	case OutcomeDecision:
		if strings.TrimSpace(o.Resolution) == "" {
			return Invalid("resolution", "شماره مصوبه لازم است", "the resolution number is required")
		}
		if err := CheckLine("resolution", o.Resolution, 100); err != nil {
			return err
		}
		if err := validText("text", o.Text, true, maxLong); err != nil {
			return err
		}
	case OutcomeAction:
		if err := checkSlug("owner", o.Owner); err != nil {
			return err
		}
		if o.Due == nil {
			return Invalid("due", "سررسید اقدام لازم است", "the action's due date is required")
		}
		if err := validText("description", o.Description, true, maxLong); err != nil {
			return err
		}
	}
	if o.Kind != OutcomeDecision && o.Resolution != "" {
		return Invalid("resolution", "شماره مصوبه فقط برای تصمیم است", "a resolution number is only for a decision")
	}
	if o.Kind != OutcomeAction {
		if o.Owner != "" {
			return Invalid("owner", "مسئول فقط برای اقدام است", "an owner is only for an action")
		}
		if o.Due != nil {
			return Invalid("due", "سررسید فقط برای اقدام است", "a due date is only for an action")
		}
		if !o.Description.IsZero() {
			return Invalid("description", "شرح فقط برای اقدام است؛ برای اطلاع و تصمیم text را به کار ببرید",
				"description is only for an action; use text for information and decisions")
		}
	} else if !o.Text.IsZero() {
		return Invalid("text", "برای اقدام، description را به کار ببرید", "use description for an action")
	}
	if len(o.Projects) > maxLinked {
		return Invalid("projects", "پروژه‌های پیوندشده بیش از حد است", "too many linked projects")
	}
	seen := map[string]bool{}
	for i, p := range o.Projects {
		f := "projects[" + strconv.Itoa(i) + "]"
		if err := checkSlug(f, p); err != nil {
			return err
		}
		if seen[p] {
			return Invalid(f, "این پروژه دو بار آمده است", "project listed twice")
		}
		seen[p] = true
	}
	return nil
}

// ValidNote checks a note or reason on an action event; required says
// whether it may be empty.
func ValidNote(field string, t Text, required bool) error {
	return validText(field, t, required, maxLong)
}

// ValidAmendment checks an amendment's text.
func ValidAmendment(t Text) error { return validText("text", t, true, maxLong) }
