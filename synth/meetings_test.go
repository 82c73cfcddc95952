package synth_test

import (
	"reflect"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/synth"
)

func TestMeetingsDeterministicAndValid(t *testing.T) {
	a, b := synth.Meetings(synth.Small, 40, 1000), synth.Meetings(synth.Small, 40, 1000)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same arguments gave different meetings")
	}
	if len(a.Meetings) != 40 || len(a.Actions) != 1000 {
		t.Fatalf("%d meetings, %d actions; want 40 and 1000", len(a.Meetings), len(a.Actions))
	}
	for i := range a.Series {
		if err := a.Series[i].Validate(); err != nil {
			t.Fatalf("series %d: %v", i, err)
		}
	}
	byID := map[string]*domain.Meeting{}
	states := map[domain.MeetingState]int{}
	actionOutcomes := 0
	for i := range a.Meetings {
		m := &a.Meetings[i]
		if err := m.Validate(); err != nil {
			t.Fatalf("meeting %s: %v", m.ID, err)
		}
		if byID[m.ID] != nil {
			t.Fatalf("meeting %s twice", m.ID)
		}
		byID[m.ID] = m
		states[m.State]++
		if m.State == domain.MeetingPlanned {
			if len(m.Outcomes) > 0 || m.Date.Before(synth.MeetingsAsOf) {
				t.Fatalf("planned meeting %s on %s has %d outcomes", m.ID, m.Date, len(m.Outcomes))
			}
			continue
		}
		if !m.Date.Before(synth.MeetingsAsOf) || m.HeldAt == nil {
			t.Fatalf("meeting %s on %s is %s", m.ID, m.Date, m.State)
		}
		for j := range m.Outcomes {
			o := &m.Outcomes[j]
			if err := o.Validate(); err != nil {
				t.Fatalf("meeting %s outcome %d: %v", m.ID, j, err)
			}
			if o.Kind == domain.OutcomeAction {
				actionOutcomes++
				x := &a.Actions[o.Action-1]
				if x.ID != o.Action || x.Meeting != m.ID || x.Owner != o.Owner {
					t.Fatalf("outcome %s/%d names action %d of %s owned by %s", m.ID, j, o.Action, x.Meeting, x.Owner)
				}
			}
		}
	}
	if states[domain.MeetingHeld] != 4 || states[domain.MeetingClosed] == 0 || states[domain.MeetingPlanned] == 0 {
		t.Fatalf("states: %v; want the last past session of each of 4 series held, older ones closed, some planned", states)
	}
	if actionOutcomes != len(a.Actions) {
		t.Fatalf("%d action outcomes for %d actions", actionOutcomes, len(a.Actions))
	}
	closed := 0
	for i := range a.Actions {
		x := &a.Actions[i]
		if x.ID != int64(i+1) {
			t.Fatalf("action %d has ordinal %d", i, x.ID)
		}
		if len(x.Events) == 0 || x.Events[0].Type != domain.ActionCreated || x.Events[0].Meeting != x.Meeting {
			t.Fatalf("action %d: history does not start with its creation at %s: %+v", x.ID, x.Meeting, x.Events)
		}
		for j := 1; j < len(x.Events); j++ {
			ev := x.Events[j]
			m := byID[ev.Meeting]
			if m == nil || m.State == domain.MeetingPlanned || m.Series != x.Series || ev.Date != m.Date || ev.Date.Before(x.Events[j-1].Date) {
				t.Fatalf("action %d event %d (%s at %s on %s) is not at a later held session of its series", x.ID, j, ev.Type, ev.Meeting, ev.Date)
			}
		}
		if (x.Status == domain.ActionClosed) != (x.Closed != nil) {
			t.Fatalf("action %d: status %s, closed %v", x.ID, x.Status, x.Closed)
		}
		if x.Status == domain.ActionClosed {
			closed++
			if last := x.Events[len(x.Events)-1]; last.Type != domain.ActionClosedEv || last.Date != *x.Closed {
				t.Fatalf("action %d is closed on %s but its last event is %s on %s", x.ID, x.Closed, last.Type, last.Date)
			}
		}
	}
	if closed == 0 || closed == len(a.Actions) {
		t.Fatalf("%d of %d actions closed; want some open and some closed", closed, len(a.Actions))
	}
}

func TestAuditHistory(t *testing.T) {
	doc := synth.Registry(synth.Small)
	h := synth.NewAuditHistory(doc, synth.ProgressOf(doc, 1), synth.MeetingsOf(doc, 1, 40, 1000), 5000, 1)
	again := synth.NewAuditHistory(doc, synth.ProgressOf(doc, 1), synth.MeetingsOf(doc, 1, 40, 1000), 5000, 1)
	if h.Len() != 5000 {
		t.Fatalf("Len %d", h.Len())
	}
	kinds := map[string]int{}
	for i := range h.Len() {
		e := h.Entry(i)
		if !reflect.DeepEqual(e, again.Entry(i)) {
			t.Fatalf("entry %d differs between two builds", i)
		}
		if e.Actor == "" || e.Action == "" || e.Kind == "" || e.Record == "" {
			t.Fatalf("entry %d incomplete: %+v", i, e)
		}
		if i > 0 && !h.Entry(i-1).At.Before(e.At) {
			t.Fatalf("entry %d at %s is not after entry %d", i, e.At, i-1)
		}
		if !e.At.Before(synth.AuditUntil) {
			t.Fatalf("entry %d at %s is not before the load at %s", i, e.At, synth.AuditUntil)
		}
		kinds[e.Kind]++
	}
	for _, k := range []string{"report", "action", "project", "membership", "meeting", "session"} {
		if kinds[k] == 0 {
			t.Errorf("no %s entry in %v", k, kinds)
		}
	}
}
