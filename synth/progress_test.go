package synth_test

import (
	"reflect"
	"testing"

	"github.com/pishran/pishran/synth"
)

func TestProgressDeterministicAndValid(t *testing.T) {
	a, b := synth.Progress(synth.Small), synth.Progress(synth.Small)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same config gave different follow-up records")
	}
	if len(a.Reports) != synth.ReportMonths*synth.Small.Projects || len(a.Baselines) != synth.Small.Projects {
		t.Fatalf("%d reports, %d baselines", len(a.Reports), len(a.Baselines))
	}
	seen := map[string]bool{}
	for i := range a.Reports {
		r := &a.Reports[i]
		if err := r.Validate(); err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		k := r.Project + "/" + string(r.Period) + "/" + r.Agency
		if seen[k] {
			t.Fatalf("duplicate report %s", k)
		}
		seen[k] = true
		if !r.Period.Start().Before(synth.ProgressAsOf) {
			t.Fatalf("report %s is for a period not begun by %s", k, synth.ProgressAsOf)
		}
	}
	for i := range a.Baselines {
		if err := a.Baselines[i].Validate(); err != nil {
			t.Fatalf("baseline %d: %v", i, err)
		}
	}
	for i := range a.Ratings {
		if err := a.Ratings[i].Validate(); err != nil {
			t.Fatalf("rating %d: %v", i, err)
		}
	}
	for i := range a.Milestones {
		if err := a.Milestones[i].Validate(); err != nil {
			t.Fatalf("milestone %d: %v", i, err)
		}
	}
}
