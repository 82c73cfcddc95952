package domain

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Source says where a fact in the registry comes from. Every reference record
// carries at least one, so any figure Pishran shows can be traced.
type Source struct {
	Ref        string `json:"ref"`                  // a URL or a citation
	Note       string `json:"note,omitempty"`       // what the source says, briefly
	Confidence string `json:"confidence,omitempty"` // high | medium | low
}

// Meta is what every stored record has: a version for optimistic
// concurrency and its creation and last-update times.
type Meta struct {
	Version   int64     `json:"version,omitzero"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// AgencyKind classifies an agency.
type AgencyKind string

const (
	AgencyMinistry     AgencyKind = "ministry"
	AgencyOrganization AgencyKind = "organization"
	AgencyJudiciary    AgencyKind = "judiciary"
	AgencyOther        AgencyKind = "other"
)

// AgencyKinds lists the valid agency kinds.
var AgencyKinds = []AgencyKind{AgencyMinistry, AgencyOrganization, AgencyJudiciary, AgencyOther}

// Agency is a government body that leads or takes part in projects.
type Agency struct {
	Code    string     `json:"code"` // stable identifier, e.g. "ito"
	Name    Text       `json:"name"`
	Kind    AgencyKind `json:"kind"`
	Parent  string     `json:"parent,omitempty"` // code of the parent agency
	Sources []Source   `json:"sources,omitempty"`
	Meta
}

// Article is one article (or clause) of a law.
type Article struct {
	Number string `json:"number"` // "67(ث) note 2", "138"
	Text   Text   `json:"text,omitempty"`
}

// Law is a legal instrument a project's mandate can rest on.
type Law struct {
	Slug          string    `json:"slug"`
	Title         Text      `json:"title"`
	Number        string    `json:"number,omitempty"`
	Approved      *Date     `json:"approved,omitempty"`
	ApprovingBody Text      `json:"approving_body"`
	Articles      []Article `json:"articles,omitempty"`
	Sources       []Source  `json:"sources,omitempty"`
	Meta
}

// Term is a government term (the 12th government, the 13th, …).
type Term struct {
	Number  int      `json:"number"`
	Name    Text     `json:"name"`
	Start   *Date    `json:"start,omitempty"`
	End     *Date    `json:"end,omitempty"`
	Sources []Source `json:"sources,omitempty"`
	Meta
}

// ProgramKind classifies a designated list.
type ProgramKind string

const (
	ProgramPriority ProgramKind = "e-government-priority"    // the 12th government's 23
	ProgramDriving  ProgramKind = "smart-government-driving" // the 13th government's 20
	ProgramOther    ProgramKind = "other"
)

// ProgramKinds lists the valid program kinds.
var ProgramKinds = []ProgramKind{ProgramPriority, ProgramDriving, ProgramOther}

// ProgramStatus is where a list stands.
type ProgramStatus string

const (
	ProgramDraft   ProgramStatus = "draft"
	ProgramAdopted ProgramStatus = "adopted"
	ProgramClosed  ProgramStatus = "closed"
)

// ProgramStatuses lists the valid statuses.
var ProgramStatuses = []ProgramStatus{ProgramDraft, ProgramAdopted, ProgramClosed}

// Visibility says whether a program is a public list, reported to the people.
type Visibility string

const (
	VisibilityPublic     Visibility = "public"
	VisibilityRestricted Visibility = "restricted"
)

// Visibilities lists the valid visibilities.
var Visibilities = []Visibility{VisibilityPublic, VisibilityRestricted}

// Body is a body that adopts a list at one of its stages.
type Body string

const (
	BodySteeringCommittee Body = "steering-committee"
	BodyCouncil           Body = "council"
	BodyGovernmentBoard   Body = "government-board"
)

// Bodies lists the adopting bodies in the order a list passes them.
var Bodies = []Body{BodySteeringCommittee, BodyCouncil, BodyGovernmentBoard}

// Stage is one adoption step of a program. Its size is computed from the
// recorded decision (the candidates that passed) when there is one; where only
// a count is known from a source, the stage carries that count instead.
type Stage struct {
	Body       Body     `json:"body"`
	Date       *Date    `json:"date,omitempty"`
	Resolution string   `json:"resolution,omitempty"`
	Passed     []string `json:"passed,omitempty"`        // slugs of candidates that passed
	Count      *int     `json:"sourced_count,omitempty"` // a count known only from a source
	Note       Text     `json:"note"`
	Sources    []Source `json:"sources,omitempty"`
	// HiddenLinks counts the passed projects left out of Passed because
	// the reader may not see them; they still count in Size.
	HiddenLinks int `json:"hidden_links,omitempty"`
}

// Size is the number of projects at this stage, and how it is known:
// "records" (counted from the decision), "sourced" (a count from a source),
// or "unknown".
func (s Stage) Size() (n int, basis string) {
	switch {
	case len(s.Passed)+s.HiddenLinks > 0:
		return len(s.Passed) + s.HiddenLinks, "records"
	case s.Count != nil:
		return *s.Count, "sourced"
	}
	return 0, "unknown"
}

// Program is a designated list of driving projects for a government term.
type Program struct {
	Slug         string        `json:"id"`
	Title        Text          `json:"title"`
	Term         int           `json:"term"`
	Kind         ProgramKind   `json:"kind"`
	Visibility   Visibility    `json:"visibility"`
	DeclaredSize *int          `json:"declared_size"` // nil: not declared / unknown
	Status       ProgramStatus `json:"status"`
	Stages       []Stage       `json:"stages"`
	Candidates   []string      `json:"candidates,omitempty"` // slugs proposed while draft
	SourceNotes  Text          `json:"source_notes"`
	Sources      []Source      `json:"sources,omitempty"`
	HiddenLinks  int           `json:"hidden_links,omitempty"` // see Project.HiddenLinks: candidates left out
	Meta
}

// ProjectKind separates the services people use from the infrastructure
// services are built on.
type ProjectKind string

const (
	KindService        ProjectKind = "service"
	KindInfrastructure ProjectKind = "infrastructure"
)

// ProjectKinds lists the valid project kinds.
var ProjectKinds = []ProjectKind{KindService, KindInfrastructure}

// Confidentiality says who may see a project.
type Confidentiality string

const (
	Public       Confidentiality = "public"
	Restricted   Confidentiality = "restricted"
	Confidential Confidentiality = "confidential"
)

// Confidentialities lists the valid levels.
var Confidentialities = []Confidentiality{Public, Restricted, Confidential}

// Lifecycle is where a project stands in its own life, apart from any list.
type Lifecycle string

const (
	Proposed    Lifecycle = "proposed"
	Designated  Lifecycle = "designated"
	InProgress  Lifecycle = "in-progress"
	Implemented Lifecycle = "implemented"
	Suspended   Lifecycle = "suspended"
	Withdrawn   Lifecycle = "withdrawn"
)

// Lifecycles lists the valid lifecycle states.
var Lifecycles = []Lifecycle{Proposed, Designated, InProgress, Implemented, Suspended, Withdrawn}

// Role is an agency's part in a project.
type Role string

const (
	RoleLead        Role = "lead"
	RoleParticipant Role = "participant"
)

// Roles lists the valid agency roles.
var Roles = []Role{RoleLead, RoleParticipant}

// Participation ties an agency to a project.
type Participation struct {
	Agency string `json:"agency"` // agency code
	Role   Role   `json:"role"`
	Note   Text   `json:"note"`
}

// Mandate is a project's legal basis: a law and one of its articles.
type Mandate struct {
	Law     string `json:"law"` // law slug
	Article string `json:"article"`
	Note    Text   `json:"note"`
}

// Deliverable is something a project must produce, with how it is measured.
type Deliverable struct {
	Title     Text   `json:"title"`
	Indicator Text   `json:"indicator"` // how it is measured
	Target    string `json:"target"`    // the value that counts as done
	Due       *Date  `json:"due,omitempty"`
}

// Measurable reports whether the deliverable has an indicator and a target.
func (d Deliverable) Measurable() bool {
	return !d.Indicator.IsZero() && strings.TrimSpace(d.Target) != ""
}

// LineageKind says how a project descends from an earlier one.
type LineageKind string

const (
	LineageEvolved  LineageKind = "evolved"  // e-health → smart health
	LineageRenamed  LineageKind = "renamed"  // same scope, new name
	LineageReplaced LineageKind = "replaced" // a new, specific project took the old one's place
	LineageMerged   LineageKind = "merged"   // several became one
)

// LineageKinds lists the valid lineage kinds.
var LineageKinds = []LineageKind{LineageEvolved, LineageRenamed, LineageReplaced, LineageMerged}

// Predecessor links a project to the one it succeeds.
type Predecessor struct {
	Project string      `json:"project"` // slug of the earlier project
	Kind    LineageKind `json:"kind"`
	Note    Text        `json:"note"`
	Sources []Source    `json:"sources,omitempty"`
}

// Project is a multi-agency driving project.
type Project struct {
	Slug            string          `json:"slug"`
	Title           Text            `json:"title"`
	Summary         Text            `json:"summary"`
	Scope           Text            `json:"scope"`
	Kind            ProjectKind     `json:"kind"`
	Confidentiality Confidentiality `json:"confidentiality"`
	Status          Lifecycle       `json:"status"`
	Agencies        []Participation `json:"agencies"`
	Mandates        []Mandate       `json:"mandates"`
	Deliverables    []Deliverable   `json:"deliverables"`
	DependsOn       []string        `json:"depends_on"`   // slugs of infrastructure projects
	Capabilities    []string        `json:"capabilities"` // what it provides or needs, e.g. "inquiry"
	Predecessors    []Predecessor   `json:"predecessors"`
	Sources         []Source        `json:"sources,omitempty"`
	// HiddenLinks counts the references to other projects (dependencies,
	// predecessors) left out of this answer because the reader may not
	// see those projects: "1 confidential link not shown". It is never
	// stored; the service sets it when it builds an answer for a reader.
	HiddenLinks int `json:"hidden_links,omitempty"`
	Meta
}

// Lead returns the code of the lead agency, or "" when there is none or more
// than one.
func (p *Project) Lead() string {
	lead := ""
	for _, a := range p.Agencies {
		if a.Role == RoleLead {
			if lead != "" {
				return ""
			}
			lead = a.Agency
		}
	}
	return lead
}

// HasAgency reports whether the agency code leads or takes part in p.
func (p *Project) HasAgency(code string) bool {
	return slices.ContainsFunc(p.Agencies, func(a Participation) bool { return a.Agency == code })
}

// LeaveReason says why a project left a list. The set is closed: these are
// the reasons the seed article gives, plus "other" with a note.
type LeaveReason string

const (
	LeaveCompleted            LeaveReason = "completed"
	LeaveBecameInfrastructure LeaveReason = "became-infrastructure"
	LeaveSuperseded           LeaveReason = "superseded"
	LeaveEvolved              LeaveReason = "evolved"
	LeaveMerged               LeaveReason = "merged"
	LeaveTooGeneral           LeaveReason = "too-general"
	LeaveNotHomogeneous       LeaveReason = "not-homogeneous"
	LeaveConfidential         LeaveReason = "confidential"
	LeavePriorityChanged      LeaveReason = "priority-changed"
	LeaveOther                LeaveReason = "other"
)

// LeaveReasons lists every valid reason code.
var LeaveReasons = []LeaveReason{LeaveCompleted, LeaveBecameInfrastructure, LeaveSuperseded,
	LeaveEvolved, LeaveMerged, LeaveTooGeneral, LeaveNotHomogeneous, LeaveConfidential,
	LeavePriorityChanged, LeaveOther}

// ReasonText returns the reason in both languages.
func (r LeaveReason) Text() Text {
	switch r {
	case LeaveCompleted:
		return T("تکمیل شد", "completed")
	case LeaveBecameInfrastructure:
		return T("به زیرساخت تبدیل شد", "became infrastructure")
	case LeaveSuperseded:
		return T("با قابلیتی موجود جایگزین شد", "superseded by an existing capability")
	case LeaveEvolved:
		return T("به پروژه‌ای تازه تکامل یافت", "evolved into a new project")
	case LeaveMerged:
		return T("در پروژه‌ای دیگر ادغام شد", "merged into another project")
	case LeaveTooGeneral:
		return T("عنوانش بیش از حد کلی بود", "too general to implement")
	case LeaveNotHomogeneous:
		return T("با دیگر پروژه‌ها همگن نبود", "not homogeneous with the others")
	case LeaveConfidential:
		return T("محرمانه است و گزارش‌پذیر به مردم نیست", "confidential: cannot be reported to the public")
	case LeavePriorityChanged:
		return T("اولویت دولت تغییر کرد", "the government's priority changed")
	}
	return T("دلیل دیگر", "other reason")
}

// EventType is the kind of a membership event.
type EventType string

const (
	EventEntered EventType = "entered"
	EventLeft    EventType = "left"
	EventVoided  EventType = "voided" // a correction: the referenced event no longer counts
)

// MembershipEvent is one entry in the append-only history of a project's
// membership in a program. Nothing is ever updated or deleted: a mistake is
// corrected by a "voided" event that names the wrong one, and a new event.
type MembershipEvent struct {
	ID          int64       `json:"id"`
	Program     string      `json:"program"`
	Project     string      `json:"project"`
	Type        EventType   `json:"type"`
	Date        *Date       `json:"date,omitempty"`  // nil: the day is unknown
	Stage       Body        `json:"stage,omitempty"` // entered: at which stage
	Main        bool        `json:"main,omitempty"`  // entered: a main project of the list
	Reason      LeaveReason `json:"reason,omitempty"`
	Successor   string      `json:"successor,omitempty"` // left: the project that took its place
	Note        Text        `json:"note"`
	Voids       int64       `json:"voids,omitempty"` // voided: the event this one cancels
	Sources     []Source    `json:"sources,omitempty"`
	RecordedAt  time.Time   `json:"recorded_at"`
	RecordedBy  string      `json:"recorded_by,omitempty"`
	HiddenLinks int         `json:"hidden_links,omitempty"` // see Project.HiddenLinks: a successor left out
}

// Membership is a project's standing in a program, folded from its events.
type Membership struct {
	Program     string      `json:"program"`
	Project     string      `json:"project"`
	Main        bool        `json:"main"`
	Stage       Body        `json:"stage,omitempty"`
	Entered     *Date       `json:"entered,omitempty"`
	Active      bool        `json:"active"`
	Left        *Date       `json:"left,omitempty"`
	Reason      LeaveReason `json:"reason,omitempty"`
	Successor   string      `json:"successor,omitempty"`
	Note        Text        `json:"note"`
	HiddenLinks int         `json:"hidden_links,omitempty"` // see Project.HiddenLinks: a successor left out
}

// Fold replays a project's events in one program (oldest first) into its
// membership. ok is false when no standing event remains.
func Fold(events []MembershipEvent) (m Membership, ok bool) {
	voided := map[int64]bool{}
	for _, e := range events {
		if e.Type == EventVoided {
			voided[e.Voids] = true
		}
	}
	for _, e := range events {
		if voided[e.ID] || e.Type == EventVoided {
			continue
		}
		m.Program, m.Project = e.Program, e.Project
		switch e.Type {
		case EventEntered:
			ok = true
			m.Active, m.Main, m.Stage, m.Entered = true, e.Main, e.Stage, e.Date
			m.Left, m.Reason, m.Successor, m.Note = nil, "", "", e.Note
		case EventLeft:
			if ok {
				m.Active, m.Left, m.Reason, m.Successor, m.Note = false, e.Date, e.Reason, e.Successor, e.Note
			}
		}
	}
	return m, ok
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)

// ValidSlug reports whether s can serve as a slug or code: lower-case ASCII
// letters, digits and hyphens, 1–80 long, not starting with a hyphen.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

func checkSlug(field, s string) error {
	if !ValidSlug(s) {
		return Invalid(field, "شناسه فقط حروف کوچک لاتین، رقم و خط تیره (۱ تا ۸۰ نویسه)",
			"must be 1–80 lower-case latin letters, digits or hyphens")
	}
	return nil
}

func checkEnum[T ~string](field string, v T, valid []T) error {
	if !slices.Contains(valid, v) {
		names := make([]string, len(valid))
		for i, x := range valid {
			names[i] = string(x)
		}
		list := strings.Join(names, ", ")
		return Invalid(field, "مقدار نامعتبر؛ یکی از: "+list, "invalid value; one of: "+list)
	}
	return nil
}

func checkSources(field string, ss []Source) error {
	for i, s := range ss {
		if strings.TrimSpace(s.Ref) == "" {
			return Invalid(field+"["+strconv.Itoa(i)+"].ref", "مرجع منبع خالی است", "source reference is empty")
		}
		if err := CheckLine(field+"["+strconv.Itoa(i)+"].ref", s.Ref, maxSourceRef); err != nil {
			return err
		}
		if err := checkString(field+"["+strconv.Itoa(i)+"].note", s.Note, maxLong, true); err != nil {
			return err
		}
		if s.Confidence != "" && !slices.Contains([]string{"high", "medium", "low"}, s.Confidence) {
			return Invalid(field+"["+strconv.Itoa(i)+"].confidence", "اطمینان باید high، medium یا low باشد", "confidence must be high, medium or low")
		}
	}
	return nil
}

// Versioned gives generic code access to a record's Meta.
func (m *Meta) Versioned() *Meta { return m }
