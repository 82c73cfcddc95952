package comparison

import (
	"testing"

	"github.com/pishran/pishran/domain"
)

// The 12th government's 23 as the reference data records them: 20 named,
// of which 7 left (Setad completed; smart identity and document
// validation became infrastructure; information exchange superseded by
// NIX; e-health evolved into smart health; e-banking replaced by neobank;
// the anti-smuggling system confidential), 13 with no departure recorded
// when the list closed.
func twelfth() (*domain.Program, []domain.FateMember) {
	g := &domain.Program{Slug: "gov12", Status: domain.ProgramClosed, DeclaredSize: intp(23)}
	return g, []domain.FateMember{
		{Active: true, N: 12},
		{Active: true, Main: true, N: 1}, // e-tax
		{Reason: domain.LeaveCompleted, Main: true, N: 1},
		{Reason: domain.LeaveBecameInfrastructure, N: 2},
		{Reason: domain.LeaveSuperseded, N: 1},                          // successor NIX does not descend from it
		{Reason: domain.LeaveEvolved, Descends: true, Main: true, N: 1}, // e-health → smart health
		{Reason: domain.LeaveTooGeneral, Descends: true, N: 1},          // e-banking → neobank
		{Reason: domain.LeaveConfidential, Confidential: true, N: 1},
	}
}

func TestFateTwelfth(t *testing.T) {
	g, ms := twelfth()
	f := Fate(g, ms)
	want := map[domain.FateKey]int{domain.FateRemoved: 4, domain.FateEvolved: 2, domain.FateConfidential: 1,
		domain.FateUnknown: 13, domain.FateUnnamed: 3}
	for _, k := range domain.FateKeys {
		if got := f.Part(k); got != want[k] {
			t.Errorf("%s: %d, want %d (%+v)", k, got, want[k], f.Parts)
		}
	}
	if !f.Balanced || f.Total != 23 || CheckFate(f) != nil {
		t.Fatalf("total %d balanced %v (%v), want 23 balanced", f.Total, f.Balanced, CheckFate(f))
	}
	if f.Main != 3 {
		t.Errorf("main %d, want the 3 designated main projects", f.Main)
	}
	if f.ActiveAtClose == nil || *f.ActiveAtClose != 13 {
		t.Errorf("active at close %v, want 13", f.ActiveAtClose)
	}
	// Removed is given by reason, in the order of domain.LeaveReasons.
	var reasons []domain.LeaveReason
	for _, p := range f.Parts {
		if p.Key == domain.FateRemoved {
			reasons = append(reasons, p.Reason)
		}
		if p.Text.FA == "" || p.Text.EN == "" {
			t.Errorf("part %s %s has no text in both languages", p.Key, p.Reason)
		}
	}
	if len(reasons) != 3 || reasons[0] != domain.LeaveCompleted || reasons[1] != domain.LeaveBecameInfrastructure || reasons[2] != domain.LeaveSuperseded {
		t.Errorf("removed reasons %v", reasons)
	}
}

// The check fails when the records and the declared size disagree: one
// member too many, a declared size missing.
func TestCheckFateFails(t *testing.T) {
	g, ms := twelfth()
	g.DeclaredSize = intp(19)
	f := Fate(g, ms)
	if f.Balanced || f.Excess != 1 || CheckFate(f) == nil {
		t.Fatalf("20 named on a list of 19: balanced %v excess %d check %v", f.Balanced, f.Excess, CheckFate(f))
	}
	g.DeclaredSize = nil
	if f := Fate(g, ms); f.Balanced || CheckFate(f) == nil {
		t.Fatalf("no declared size: balanced %v check %v", f.Balanced, CheckFate(f))
	}
}

// On a list in force, a member with no departure is on the list; on a
// closed one it is kept only when a later list records it.
func TestFateOpenAndKept(t *testing.T) {
	open := &domain.Program{Slug: "gov13", Status: domain.ProgramAdopted, DeclaredSize: intp(20)}
	f := Fate(open, []domain.FateMember{{Active: true, N: 2}})
	if f.Part(domain.FateActive) != 2 || f.Part(domain.FateUnnamed) != 18 || !f.Balanced || f.ActiveAtClose != nil {
		t.Fatalf("open list: %+v", f)
	}
	closed := &domain.Program{Slug: "old", Status: domain.ProgramClosed, DeclaredSize: intp(3)}
	f = Fate(closed, []domain.FateMember{{Active: true, Later: true, N: 1}, {Active: true, N: 2}})
	if f.Part(domain.FateKept) != 1 || f.Part(domain.FateUnknown) != 2 || f.Part(domain.FateActive) != 0 || !f.Balanced {
		t.Fatalf("closed list: %+v", f)
	}
}
