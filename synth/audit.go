package synth

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
)

// NationalAudit is the audit log's length at national scale.
const NationalAudit = 1_000_000

// AuditRecord is one synthetic audit entry: what the store's audit log
// holds of it before it is numbered and chained.
type AuditRecord struct {
	At     time.Time
	Actor  string
	Origin string
	Action string
	Kind   string
	Record string
	Before json.RawMessage
	After  json.RawMessage
}

// AuditHistory is a synthetic audit log of a registry's working life —
// reports created, submitted and accepted, projects edited, designations,
// ratings, meetings held and actions followed up — dated evenly from the
// start of 2023 to just before AuditUntil, oldest first. Entry i depends on
// i alone, so the log can be written in batches and any batch rebuilt.
type AuditHistory struct {
	n        int
	seed     uint64
	projects []string
	leads    []string // lead agency of projects[i]
	programs []string
	meetings []string
	reports  int
	actions  int
	from     time.Time
	step     time.Duration
}

// AuditUntil is when the synthetic history ends: the records it describes
// are loaded at this instant.
var AuditUntil = MeetingsAsOf.Time().Add(9 * time.Hour)

// NewAuditHistory describes n entries about the records of doc, its
// follow-up f and meetings m (either may be nil).
func NewAuditHistory(doc *domain.Document, f *domain.FollowUp, m *MeetingSet, n int, seed uint64) *AuditHistory {
	h := &AuditHistory{n: max(n, 0), seed: seed, from: time.Date(2023, 1, 1, 8, 0, 0, 0, time.UTC)}
	for i := range doc.Projects {
		h.projects = append(h.projects, doc.Projects[i].Slug)
		h.leads = append(h.leads, doc.Projects[i].Lead())
	}
	for i := range doc.Programs {
		h.programs = append(h.programs, doc.Programs[i].Slug)
	}
	if f != nil {
		h.reports = len(f.Reports)
	}
	if m != nil {
		for i := range m.Meetings {
			h.meetings = append(h.meetings, m.Meetings[i].ID)
		}
		h.actions = len(m.Actions)
	}
	if h.n > 0 {
		h.step = AuditUntil.Add(-time.Minute).Sub(h.from) / time.Duration(h.n)
	}
	return h
}

// Len is the number of entries.
func (h *AuditHistory) Len() int { return h.n }

// Entry returns entry i (0-based).
func (h *AuditHistory) Entry(i int) AuditRecord {
	r := rand.New(rand.NewPCG(h.seed^0xa0d17, uint64(i)))
	e := AuditRecord{At: h.from.Add(time.Duration(i) * h.step).Truncate(time.Microsecond)}
	secretariat := func() {
		e.Actor = "user:secretariat-" + strconv.Itoa(1+r.IntN(5))
		e.Origin = "session 10.20.0." + strconv.Itoa(1+r.IntN(50))
	}
	agency := func(code string) {
		if code == "" {
			code = "ag-0000"
		}
		e.Actor = "token:focal-" + code
		e.Origin = "token 172.16." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
	}
	js := func(v any) json.RawMessage {
		b, _ := json.Marshal(v)
		return b
	}
	p := r.IntN(max(len(h.projects), 1))
	project, lead := "p-00000", ""
	if len(h.projects) > 0 {
		project, lead = h.projects[p], h.leads[p]
	}
	period := domain.PeriodOf(domain.DateOf(e.At)).Add(-1)
	switch roll := r.IntN(100); {
	case roll < 60 && h.reports > 0: // a report's life: created, submitted, accepted (returned now and then)
		e.Kind, e.Record = "report", strconv.Itoa(1+r.IntN(h.reports))
		switch step := r.IntN(10); {
		case step < 3:
			agency(lead)
			e.Action = "create"
			e.After = js(map[string]any{"project": project, "agency": lead, "period": period, "state": "draft"})
		case step < 6:
			agency(lead)
			e.Action = "submit"
			e.Before = js(map[string]any{"project": project, "period": period, "state": "draft"})
			e.After = js(map[string]any{"project": project, "period": period, "state": "submitted"})
		case step < 9:
			secretariat()
			e.Action = "accept"
			e.Before = js(map[string]any{"project": project, "period": period, "state": "submitted"})
			e.After = js(map[string]any{"project": project, "period": period, "state": "accepted"})
		default:
			secretariat()
			e.Action = "return"
			e.Before = js(map[string]any{"project": project, "period": period, "state": "submitted"})
			e.After = js(map[string]any{"project": project, "period": period, "state": "returned",
				"comment": map[string]string{"fa": "شواهد کافی نیست", "en": "not enough evidence"}})
		}
	case roll < 72 && h.actions > 0: // an action followed up
		secretariat()
		e.Kind, e.Record = "action", strconv.Itoa(1+r.IntN(h.actions))
		due := domain.DateOf(e.At).AddDays(30 + r.IntN(90))
		switch r.IntN(3) {
		case 0:
			e.Action = "discuss"
			e.After = js(map[string]any{"status": "open", "note": map[string]string{"fa": "پیگیری شد", "en": "followed up"}})
		case 1:
			e.Action = "re-date"
			e.Before = js(map[string]any{"status": "open", "due": due.AddDays(-30)})
			e.After = js(map[string]any{"status": "open", "due": due})
		default:
			e.Action = "close"
			e.Before = js(map[string]any{"status": "open"})
			e.After = js(map[string]any{"status": "closed", "closed": domain.DateOf(e.At)})
		}
	case roll < 80: // a project edited by its lead or the secretariat
		if r.IntN(2) == 0 {
			agency(lead)
		} else {
			secretariat()
		}
		e.Action, e.Kind, e.Record = "update", "project", project
		v := 1 + r.IntN(9)
		e.Before = js(map[string]any{"slug": project, "version": v})
		e.After = js(map[string]any{"slug": project, "version": v + 1})
	case roll < 86: // a rating
		e.Action, e.Kind, e.Record = "rate", "project", project
		kind := "council"
		if r.IntN(2) == 0 {
			kind = "self"
			agency(lead)
		} else {
			secretariat()
		}
		e.After = js(map[string]any{"kind": kind, "score": 1 + r.IntN(5)})
	case roll < 92 && len(h.programs) > 0: // a designation or a departure
		secretariat()
		e.Kind, e.Record = "membership", h.programs[r.IntN(len(h.programs))]+"/"+project
		if r.IntN(3) == 0 {
			e.Action = "leave"
			e.After = js(map[string]any{"type": "left", "reason": "completed"})
		} else {
			e.Action = "designate"
			e.After = js(map[string]any{"type": "entered", "stage": "government-board"})
		}
	case roll < 96 && len(h.meetings) > 0: // a meeting's business
		secretariat()
		e.Kind, e.Record = "meeting", h.meetings[r.IntN(len(h.meetings))]
		e.Action = []string{"update", "hold", "close", "outcome", "agenda"}[r.IntN(5)]
	default: // sign-ins and the like
		e.Kind, e.Action = "session", "sign-in"
		e.Actor = "user:" + fmt.Sprintf("person-%03d", r.IntN(400))
		e.Record = e.Actor[len("user:"):]
		e.Origin = "session 10.30." + strconv.Itoa(r.IntN(256)) + "." + strconv.Itoa(1+r.IntN(254))
	}
	return e
}
