package synth

import (
	"encoding/json"
	"testing"
)

func TestDeterministic(t *testing.T) {
	a, _ := json.Marshal(Registry(Small))
	b, _ := json.Marshal(Registry(Small))
	if string(a) != string(b) {
		t.Fatal("the same config gave two different registries")
	}
}

func TestValid(t *testing.T) {
	doc := Registry(Small)
	if len(doc.Projects) != Small.Projects || len(doc.Agencies) != Small.Agencies || len(doc.Programs) != Small.Programs {
		t.Fatalf("sizes: %d projects, %d agencies, %d programs", len(doc.Projects), len(doc.Agencies), len(doc.Programs))
	}
	for i := range doc.Projects {
		if err := doc.Projects[i].Validate(); err != nil {
			t.Fatalf("project %s: %v", doc.Projects[i].Slug, err)
		}
		if len(doc.Projects[i].Agencies) < 2 && i%50 != 0 {
			// most synthetic projects are multi-agency; a few may draw one partner twice
			continue
		}
	}
	for i := range doc.Events {
		if err := doc.Events[i].Validate(); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
}
