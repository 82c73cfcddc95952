package service

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
)

// TestLegacyReportKeys: an import report stored with the camelCase field
// names the API answered before reads back whole.
func TestLegacyReportKeys(t *testing.T) {
	want := exchange.Report{Records: 9, Accepted: 5, Bad: 2, Duplicates: 2, BadBy: map[exchange.ProblemCode]int64{"syntax": 2},
		Problems:        []exchange.Problem{{Number: 3, Offset: 120, Code: "syntax", Reason: domain.T("نادرست", "malformed")}},
		ProblemsOmitted: 1, ClientRecords: 3, ProducerRecords: 2, OpenData: 1, UnknownRecords: 4, UnknownOmitted: 1,
		Unknown: []exchange.UnknownIdentity{{Role: "client", Records: 4, FirstRecord: 7}}}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	old := string(b)
	for _, k := range [][2]string{{"bad_by", "badBy"}, {"problems_omitted", "problemsOmitted"}, {"client_records", "clientRecords"},
		{"producer_records", "producerRecords"}, {"open_data", "openData"}, {"unknown_records", "unknownRecords"},
		{"unknown_omitted", "unknownOmitted"}, {"first_record", "firstRecord"}} {
		if !strings.Contains(old, `"`+k[0]+`":`) {
			t.Fatalf("%s not in %s", k[0], old)
		}
		old = strings.ReplaceAll(old, `"`+k[0]+`":`, `"`+k[1]+`":`)
	}
	var got exchange.Report
	if err := json.Unmarshal([]byte(legacyReportKeys.Replace(old)), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
}
