package reference_test

import (
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/reference"
)

// TestSeries: the meeting series are the three bodies the sources name,
// each with a source the registry's own records cite (no source of its
// own invented), and a fresh list on every call.
func TestSeries(t *testing.T) {
	series, err := reference.Series()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]domain.SeriesKind{"itec": domain.SeriesCouncil, "itec-steering": domain.SeriesSteeringCommittee,
		"itec-strategic": domain.SeriesStrategicCommission}
	if len(series) != len(want) {
		t.Fatalf("%d series, want %d", len(series), len(want))
	}
	doc, err := reference.Document()
	if err != nil {
		t.Fatal(err)
	}
	cited := string(reference.JSON())
	for _, s := range series {
		if want[s.Code] != s.Kind {
			t.Errorf("series %s is %q, want %q", s.Code, s.Kind, want[s.Code])
		}
		if s.Name.FA == "" || s.Name.EN == "" || len(s.Sources) == 0 {
			t.Errorf("series %s: %+v", s.Code, s)
		}
		for _, src := range s.Sources {
			if !strings.Contains(cited, `"ref": "`+src.Ref+`"`) {
				t.Errorf("series %s cites %q, which no record of the registry cites", s.Code, src.Ref)
			}
		}
	}
	if len(doc.Projects) == 0 {
		t.Fatal("empty registry")
	}
	series[0].Name.EN = "changed"
	again, _ := reference.Series()
	if again[0].Name.EN == "changed" {
		t.Error("Series shares its list between calls")
	}
}
