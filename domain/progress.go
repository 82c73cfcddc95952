package domain

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Follow-up records: what the council asks of each project (milestones,
// indicators, an approved baseline) and what agencies report against it.
// The parliamentary review of the 23 priority projects found progress data
// self-reported and never verified; here nothing an agency reports counts
// until the secretariat accepts it, and the status is computed from the
// accepted numbers, never typed in.

// AddDays returns the day n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysUntil returns the number of days from d to o (negative when o is
// earlier).
func (d Date) DaysUntil(o Date) int { return int(o.Time().Sub(d.Time()).Hours() / 24) }

// ---- milestones and indicators ----

// Milestone is a dated step of a project, weighted by its share of the work.
type Milestone struct {
	ID      int64  `json:"id"`
	Project string `json:"project"`
	Title   Text   `json:"title"`
	Planned *Date  `json:"planned"`
	Weight  int    `json:"weight"`           // relative share of the work, 1–1000
	Actual  *Date  `json:"actual,omitempty"` // set when an accepted report says it is done
	// Percent is the completion the latest accepted report gave (read-only).
	Percent int `json:"percent"`
	Meta
}

// Validate checks a milestone's own fields.
func (m *Milestone) Validate() error {
	if err := validText("title", m.Title, true, maxTitle); err != nil {
		return err
	}
	if m.Planned == nil {
		return Invalid("planned", "تاریخ برنامه‌ریزی‌شده لازم است", "the planned date is required")
	}
	if m.Weight == 0 {
		m.Weight = 1
	}
	if m.Weight < 1 || m.Weight > 1000 {
		return Invalid("weight", "وزن باید بین ۱ و ۱۰۰۰ باشد", "weight must be between 1 and 1000")
	}
	return nil
}

// Direction says which way an indicator improves.
type Direction string

const (
	Up   Direction = "up"   // higher is better: met when value ≥ target
	Down Direction = "down" // lower is better: met when value ≤ target
)

// Directions lists the valid directions.
var Directions = []Direction{Up, Down}

// Frequency is how often a value is expected.
type Frequency string

const (
	Monthly   Frequency = "monthly"
	Quarterly Frequency = "quarterly"
	Annual    Frequency = "annual"
)

// Frequencies lists the valid frequencies.
var Frequencies = []Frequency{Monthly, Quarterly, Annual}

// Months returns the length of the frequency's period in months.
func (f Frequency) Months() int {
	switch f {
	case Quarterly:
		return 3
	case Annual:
		return 12
	}
	return 1
}

// KPI is a project's key performance indicator.
type KPI struct {
	ID        int64     `json:"id"`
	Project   string    `json:"project"`
	Name      Text      `json:"name"`
	Unit      string    `json:"unit"`
	Target    float64   `json:"target"`
	Direction Direction `json:"direction"`
	Frequency Frequency `json:"frequency"`
	// Latest is the value of the latest accepted report that gave one;
	// Met compares it with the target (nil: no accepted value yet).
	Latest       *float64 `json:"latest,omitempty"`
	LatestPeriod Period   `json:"latest_period,omitempty"`
	Met          *bool    `json:"met"`
	Meta
}

// MetBy reports whether value meets the target, given the direction.
func (k *KPI) MetBy(value float64) bool {
	if k.Direction == Down {
		return value <= k.Target
	}
	return value >= k.Target
}

// Validate checks a KPI's own fields.
func (k *KPI) Validate() error {
	if err := validText("name", k.Name, true, maxTitle); err != nil {
		return err
	}
	if len(k.Unit) > 50 {
		return Invalid("unit", "واحد بیش از حد طولانی است", "the unit is longer than 50 characters")
	}
	if err := CheckLine("unit", k.Unit, 50); err != nil {
		return err
	}
	if math.IsNaN(k.Target) || math.IsInf(k.Target, 0) {
		return Invalid("target", "هدف باید عدد باشد", "the target must be a finite number")
	}
	if err := checkEnum("direction", k.Direction, Directions); err != nil {
		return err
	}
	if k.Frequency == "" {
		k.Frequency = Monthly
	}
	return checkEnum("frequency", k.Frequency, Frequencies)
}

// ---- progress reports ----

// ReportState is where a progress report stands in its review.
type ReportState string

const (
	ReportDraft     ReportState = "draft"     // the agency is writing it
	ReportSubmitted ReportState = "submitted" // awaiting the secretariat's review
	ReportReturned  ReportState = "returned"  // sent back with a comment; the agency edits and resubmits
	ReportAccepted  ReportState = "accepted"  // verified by the secretariat: only now does it count
)

// ReportStates lists the valid states.
var ReportStates = []ReportState{ReportDraft, ReportSubmitted, ReportReturned, ReportAccepted}

// Editable reports whether the agency may still change a report in state s.
func (s ReportState) Editable() bool { return s == ReportDraft || s == ReportReturned }

// RiskLevel grades a reported risk.
type RiskLevel string

const (
	RiskLow    RiskLevel = "low"
	RiskMedium RiskLevel = "medium"
	RiskHigh   RiskLevel = "high"
)

// RiskLevels lists the valid levels.
var RiskLevels = []RiskLevel{RiskLow, RiskMedium, RiskHigh}

// Risk is a risk an agency reports.
type Risk struct {
	Text     Text      `json:"text"`
	Severity RiskLevel `json:"severity"`
}

// MilestoneProgress is a report's word on one milestone.
type MilestoneProgress struct {
	Milestone int64 `json:"milestone"` // the milestone's id
	Percent   int   `json:"percent"`   // 0–100
	Done      *Date `json:"done,omitempty"`
}

// KPIValue is a report's value for one indicator.
type KPIValue struct {
	KPI   int64   `json:"kpi"` // the indicator's id
	Value float64 `json:"value"`
}

// Evidence kinds.
const (
	EvidenceLink = "link"
	EvidenceFile = "file"
)

// Evidence backs a report: a link, or a file stored with its SHA-256.
type Evidence struct {
	N           int       `json:"n"` // 1, 2, … within the report
	Kind        string    `json:"kind"`
	URL         string    `json:"url,omitempty"`
	Title       Text      `json:"title"`
	Name        string    `json:"name,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	SHA256      string    `json:"sha256,omitempty"`
	AddedAt     time.Time `json:"added_at"`
	AddedBy     string    `json:"added_by,omitempty"`
}

// Review event types: every change of a report is one appended event.
const (
	ReviewCreated   = "created"
	ReviewEdited    = "edited"
	ReviewEvidence  = "evidence-added"
	ReviewSubmitted = "submitted"
	ReviewReturned  = "returned"
	ReviewAccepted  = "accepted"
)

// ReviewEvent is one entry of a report's append-only review history.
type ReviewEvent struct {
	Type    string      `json:"type"`
	From    ReportState `json:"from,omitempty"`
	To      ReportState `json:"to"`
	Comment Text        `json:"comment"`
	At      time.Time   `json:"at"`
	By      string      `json:"by,omitempty"`
}

// Report is an agency's progress report on a project for one period. State,
// Evidence and Events are kept by the system and ignored on input.
type Report struct {
	ID            int64               `json:"id"`
	Project       string              `json:"project"`
	Agency        string              `json:"agency"`
	Period        Period              `json:"period"`
	State         ReportState         `json:"state"`
	Milestones    []MilestoneProgress `json:"milestones"`
	KPIs          []KPIValue          `json:"kpis"`
	Narrative     Text                `json:"narrative"`
	Risks         []Risk              `json:"risks"`
	ProjectedEnd  *Date               `json:"projected_end,omitempty"`
	ProjectedCost *int64              `json:"projected_cost,omitempty"` // IRR
	ActualCost    *int64              `json:"actual_cost,omitempty"`    // IRR, to date
	Evidence      []Evidence          `json:"evidence"`
	Events        []ReviewEvent       `json:"events,omitempty"` // single-report answers only
	Seal                              // once accepted, on a public project
	Meta
}

// MaxCost bounds costs (IRR): far above any national budget, and low enough
// that variance arithmetic cannot overflow.
const MaxCost = int64(1e18)

// Validate checks a report's own fields (not whether its milestones and
// indicators belong to the project: the store checks that).
func (r *Report) Validate() error {
	if err := checkSlug("project", r.Project); err != nil {
		return err
	}
	p, err := ParsePeriod(string(r.Period))
	if err != nil {
		pe := err.(*PeriodError)
		return Invalid("period", pe.FA, pe.EN)
	}
	r.Period = p
	seen := map[int64]bool{}
	for i, m := range r.Milestones {
		f := "milestones[" + strconv.Itoa(i) + "]"
		if m.Milestone <= 0 {
			return Invalid(f+".milestone", "شناسه نقطه عطف لازم است", "the milestone's id is required")
		}
		if seen[m.Milestone] {
			return Invalid(f+".milestone", "این نقطه عطف دو بار آمده است", "milestone listed twice")
		}
		seen[m.Milestone] = true
		if m.Percent < 0 || m.Percent > 100 {
			return Invalid(f+".percent", "درصد پیشرفت باید بین ۰ و ۱۰۰ باشد", "percent complete must be between 0 and 100")
		}
		if m.Done != nil && m.Percent != 100 {
			return Invalid(f+".done", "تاریخ انجام فقط برای نقطه عطف ۱۰۰ درصد", "a done date needs percent 100")
		}
	}
	seenK := map[int64]bool{}
	for i, k := range r.KPIs {
		f := "kpis[" + strconv.Itoa(i) + "]"
		if k.KPI <= 0 {
			return Invalid(f+".kpi", "شناسه شاخص لازم است", "the indicator's id is required")
		}
		if seenK[k.KPI] {
			return Invalid(f+".kpi", "این شاخص دو بار آمده است", "indicator listed twice")
		}
		seenK[k.KPI] = true
		if math.IsNaN(k.Value) || math.IsInf(k.Value, 0) {
			return Invalid(f+".value", "مقدار باید عدد باشد", "the value must be a finite number")
		}
	}
	if err := validText("narrative", r.Narrative, false, maxLong); err != nil {
		return err
	}
	for i, k := range r.Risks {
		f := "risks[" + strconv.Itoa(i) + "]"
		if err := validText(f+".text", k.Text, true, maxLong); err != nil {
			return err
		}
		if err := checkEnum(f+".severity", k.Severity, RiskLevels); err != nil {
			return err
		}
	}
	for f, c := range map[string]*int64{"projected_cost": r.ProjectedCost, "actual_cost": r.ActualCost} {
		if c != nil && (*c < 0 || *c > MaxCost) {
			return Invalid(f, "هزینه باید عددی نامنفی (ریال) باشد", "the cost must be a non-negative amount of rials, at most 10^18")
		}
	}
	return nil
}

// ValidEvidenceURL checks a link given as evidence: an absolute http(s) URL.
func ValidEvidenceURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2000 {
		return Invalid("url", "پیوند باید نشانی کامل http یا https باشد", "the link must be an absolute http or https URL (at most 2000 characters)")
	}
	return nil
}

// ---- ratings ----

// RatingKind says whose rating it is.
type RatingKind string

const (
	SelfRating    RatingKind = "self"    // the agency's own
	CouncilRating RatingKind = "council" // the council's independent one, entered by the secretariat
)

// RatingKinds lists the valid kinds.
var RatingKinds = []RatingKind{SelfRating, CouncilRating}

// Rating is one delivery-confidence rating of a project. The history is
// append-only.
type Rating struct {
	ID         int64      `json:"id"`
	Project    string     `json:"project"`
	Kind       RatingKind `json:"kind"`
	Score      int        `json:"score"`            // 1–5, see RatingScale
	Agency     string     `json:"agency,omitempty"` // self ratings: the rating agency
	Date       *Date      `json:"date"`             // defaults to today
	Comment    Text       `json:"comment"`
	RecordedAt time.Time  `json:"recorded_at"`
	RecordedBy string     `json:"recorded_by,omitempty"`
}

// Validate checks a rating's own fields.
func (r *Rating) Validate() error {
	if err := checkEnum("kind", r.Kind, RatingKinds); err != nil {
		return err
	}
	if r.Score < 1 || r.Score > len(RatingScale) {
		return Invalid("score", "امتیاز باید از ۱ تا ۵ باشد (مقیاس اطمینان از تحویل)", "the score must be 1 to 5 (the delivery-confidence scale)")
	}
	return validText("comment", r.Comment, true, maxLong)
}

// ScaleLevel is one point of the delivery-confidence scale.
type ScaleLevel struct {
	Score      int  `json:"score"`
	Label      Text `json:"label"`
	Definition Text `json:"definition"`
}

// RatingScale is the five-point delivery-confidence scale both ratings use,
// from 5 (best) to 1. The same words serve the agency and the council, so a
// gap between their ratings means they see the project differently, not
// that they read the scale differently.
var RatingScale = []ScaleLevel{
	{5, T("بسیار محتمل", "Highly likely"), T(
		"تحویل موفق در زمان، در حد بودجه و با دامنه مصوب بسیار محتمل است؛ هیچ مسئله عمده‌ای تحویل را تهدید نمی‌کند.",
		"Successful delivery on time, within budget and to the approved scope is highly likely; no major outstanding issue threatens delivery.")},
	{4, T("محتمل", "Probable"), T(
		"تحویل موفق محتمل است؛ توجه مستمر لازم است تا ریسک‌ها به مسئله عمده بدل نشوند.",
		"Successful delivery is probable; constant attention is needed so that risks do not become major issues.")},
	{3, T("شدنی با مسائل جدی", "Feasible, with significant issues"), T(
		"تحویل موفق شدنی است اما در زمان‌بندی، هزینه، دامنه یا هماهنگی میان دستگاه‌ها مسائل جدی وجود دارد؛ اگر به‌موقع رسیدگی شود اکنون قابل حل به نظر می‌رسد.",
		"Successful delivery is feasible, but significant issues exist in schedule, cost, scope or coordination between agencies; they appear resolvable now if addressed promptly.")},
	{2, T("محل تردید", "In doubt"), T(
		"تحویل موفق محل تردید است: در چند حوزه ریسک یا مسئله عمده وجود دارد و اقدام فوری لازم است تا معلوم شود قابل حل‌اند یا نه.",
		"Successful delivery is in doubt: major risks or issues exist in several areas, and urgent action is needed to find out whether they can be resolved.")},
	{1, T("دست‌نیافتنی بدون تغییر اساسی", "Unachievable without major change"), T(
		"تحویل موفق بدون تغییر اساسی دست‌نیافتنی به نظر می‌رسد: دامنه، زمان‌بندی، بودجه یا دستگاه‌های پروژه باید بازنگری شوند (خط مبنای تازه، یا خروج از فهرست).",
		"Successful delivery appears unachievable without major change: the project's scope, schedule, budget or agencies must be re-examined (a new baseline, or leaving the list).")},
}

// ---- baselines ----

// Currency is the only currency baselines are kept in.
const Currency = "IRR"

// Baseline is an approved schedule and cost plan of a project. Baselines are
// never edited: re-baselining records a new one, with its approval and a
// reason, which supersedes the old one; the old one stays in the history.
type Baseline struct {
	Number     int       `json:"number"` // 1, 2, … per project (read-only)
	Project    string    `json:"project"`
	Start      *Date     `json:"start"` // planned start
	End        *Date     `json:"end"`   // planned end
	Cost       int64     `json:"cost"`  // planned cost, in Currency
	Currency   string    `json:"currency"`
	Reporting  Frequency `json:"reporting"`   // how often reports are owed; monthly by default
	ApprovedBy Text      `json:"approved_by"` // the body or person that approved it
	Approved   *Date     `json:"approved"`    // when
	Reference  string    `json:"reference"`   // the resolution or letter number
	Reason     Text      `json:"reason"`      // why re-baselined (required from the second baseline on)
	// Supersedes must name the current baseline's number when re-baselining,
	// so that two people re-baselining at once cannot both succeed.
	Supersedes int       `json:"supersedes,omitempty"`
	Current    bool      `json:"current"` // read-only
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy string    `json:"recorded_by,omitempty"`
}

// Validate checks a baseline's own fields.
func (b *Baseline) Validate() error {
	if b.Start == nil {
		return Invalid("start", "تاریخ آغاز برنامه‌ریزی‌شده لازم است", "the planned start is required")
	}
	if b.End == nil {
		return Invalid("end", "تاریخ پایان برنامه‌ریزی‌شده لازم است", "the planned end is required")
	}
	if !b.Start.Before(*b.End) {
		return Invalid("end", "پایان برنامه‌ریزی‌شده باید پس از آغاز آن باشد", "the planned end must be after the planned start")
	}
	if b.Cost <= 0 || b.Cost > MaxCost {
		return Invalid("cost", "هزینه برنامه‌ریزی‌شده باید عددی مثبت (ریال) باشد", "the planned cost must be a positive amount of rials, at most 10^18")
	}
	if b.Currency == "" {
		b.Currency = Currency
	}
	if b.Currency != Currency {
		return Invalid("currency", "خط مبنا به ریال (IRR) ثبت می‌شود", "baselines are kept in rials: currency must be IRR")
	}
	if b.Reporting == "" {
		b.Reporting = Monthly
	}
	if err := checkEnum("reporting", b.Reporting, []Frequency{Monthly, Quarterly}); err != nil {
		return err
	}
	if err := validText("approved_by", b.ApprovedBy, true, maxTitle); err != nil {
		return err
	}
	if b.Approved == nil {
		return Invalid("approved", "تاریخ تصویب لازم است", "the approval date is required")
	}
	if strings.TrimSpace(b.Reference) == "" || len(b.Reference) > 200 {
		return Invalid("reference", "شماره مصوبه یا نامه تصویب لازم است", "the approving resolution or letter reference is required")
	}
	if err := CheckLine("reference", b.Reference, 200); err != nil {
		return err
	}
	return validText("reason", b.Reason, false, maxLong)
}

// FollowUp is a batch of follow-up records loaded at once: what the
// synthetic generator makes for benchmarks. Milestones and reports refer to
// projects and agencies by slug and code; reports carry no milestone or
// indicator values, since those refer to ids the database hands out.
type FollowUp struct {
	Baselines  []Baseline  `json:"baselines"`
	Milestones []Milestone `json:"milestones"`
	Reports    []Report    `json:"reports"` // all accepted
	Ratings    []Rating    `json:"ratings"`
}

// ValidText checks a free-text {fa, en} field of follow-up input (comments,
// titles): valid UTF-8, bounded, and present when required.
func ValidText(field string, t Text, required bool) error {
	return validText(field, t, required, maxLong)
}
