package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
)

// The API's wire shapes for the domain's list rows and the audit log:
// the JSON names are the API's to choose (its OpenAPI document promises
// them), not the records'. Where the shape is the record's own, a record
// converts to it as it is (the fields match one for one).

// stageView is a stage with its computed size.
type stageView struct {
	domain.Stage
	Size  *int   `json:"size"`       // nil when unknown
	Basis string `json:"size_basis"` // records | sourced | unknown
}

// programView is a program as the API shows it: with its counts, each
// stage's size, and how complete the record of it is.
type programView struct {
	*domain.Program
	programCounts
	Stages       []stageView `json:"stages"`
	Completeness domain.Text `json:"completeness"`
}

// programCounts are a program's counts (domain.ProgramCounts) as the API
// names them.
type programCounts struct {
	Named        int `json:"named_count"`
	Active       int `json:"active_count"`
	Main         int `json:"main_count"`
	Confidential int `json:"confidential_count"`
}

func viewProgram(row domain.ProgramRow) programView {
	v := programView{Program: row.Program, programCounts: programCounts(row.ProgramCounts), Stages: make([]stageView, len(row.Stages))}
	for i, st := range row.Stages {
		n, basis := st.Size()
		v.Stages[i] = stageView{Stage: st, Basis: basis}
		if basis != "unknown" {
			v.Stages[i].Size = &n
		}
	}
	named := strconv.Itoa(row.Named)
	if row.DeclaredSize != nil {
		d := strconv.Itoa(*row.DeclaredSize)
		v.Completeness = domain.T(
			jalali.PersianDigits(d)+" پروژه اعلام‌شده، "+jalali.PersianDigits(named)+" پروژه با نام ثبت‌شده",
			"declared "+d+", "+named+" named")
	} else {
		v.Completeness = domain.T("اندازه اعلام‌نشده، "+jalali.PersianDigits(named)+" پروژه با نام ثبت‌شده",
			"size not declared, "+named+" named")
	}
	return v
}

// memberList is a page of a program's members.
type memberList struct {
	List[*domain.Member]
	HiddenConfidential int `json:"hidden_confidential"`
}

// auditEntryJSON is an entry of the audit log (domain.AuditEntry).
type auditEntryJSON struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Origin   string          `json:"origin"`
	Action   string          `json:"action"`
	Kind     string          `json:"kind"`
	Record   string          `json:"record"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

func auditEntries(es []*domain.AuditEntry) []*auditEntryJSON {
	if es == nil {
		return nil
	}
	out := make([]*auditEntryJSON, len(es))
	for i, e := range es {
		out[i] = (*auditEntryJSON)(e)
	}
	return out
}

// chainBreakJSON is where the audit chain stops holding (domain.ChainBreak).
type chainBreakJSON struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// auditReportJSON is the outcome of checking the audit log
// (service.AuditReport), field for field; checkWire holds the two
// together.
type auditReportJSON struct {
	Checked     int64                  `json:"checked"`
	Intact      bool                   `json:"intact"`
	Head        *service.AuditHead     `json:"head,omitempty"`
	Broken      *chainBreakJSON        `json:"broken,omitempty"`
	Checkpoints int                    `json:"checkpoints"`
	Documents   int                    `json:"documents"`
	Records     int                    `json:"records"`
	Problems    []service.AuditProblem `json:"problems"`
	Offline     bool                   `json:"offline,omitempty"`
}

func auditReport(r service.AuditReport) auditReportJSON {
	return auditReportJSON{Checked: r.Checked, Intact: r.Intact, Head: r.Head, Broken: (*chainBreakJSON)(r.Broken),
		Checkpoints: r.Checkpoints, Documents: r.Documents, Records: r.Records, Problems: r.Problems, Offline: r.Offline}
}

// reminderJSON is a reminder the daily job recorded (domain.Reminder).
type reminderJSON struct {
	Day    domain.Date `json:"day"`
	Agency string      `json:"agency"`
	Kind   string      `json:"kind"`
	Ref    string      `json:"ref"`
	Due    domain.Date `json:"due"`
	Text   domain.Text `json:"text"`
}

func reminderList(rs []domain.Reminder) []reminderJSON {
	if rs == nil {
		return nil
	}
	out := make([]reminderJSON, len(rs))
	for i, r := range rs {
		out[i] = reminderJSON(r)
	}
	return out
}

// checkWire panics when a wire shape copied field by field no longer
// matches its source: a field added to service.AuditReport must be added
// to auditReportJSON too, or the API would drop it silently.
func checkWire() {
	src, dst := reflect.TypeFor[service.AuditReport](), reflect.TypeFor[auditReportJSON]()
	ok := src.NumField() == dst.NumField()
	for i := 0; ok && i < src.NumField(); i++ {
		s, d := src.Field(i), dst.Field(i)
		ok = s.Name == d.Name && s.Tag == d.Tag && (s.Type == d.Type || s.Name == "Broken")
	}
	if !ok {
		panic("api: auditReportJSON (wire.go) does not match service.AuditReport field for field")
	}
}
