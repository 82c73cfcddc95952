package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The markers of the privacy test: each sensitive field carries its own, so
// a leak names the field.
var markers = map[string]string{
	"messageUserId":                "MRKUSER71c3",
	"messageIssue":                 "MRKISSUE52a8",
	"representedPartyClass":        "MRKRPCLASS3d0e",
	"representedPartyCode":         "MRKRPCODE9b41",
	"securityServerInternalIp":     "MRKIP6f27",
	"messageId":                    "MRKMSGID08d5",
	"xRequestId":                   "MRKXREQ4e19",
	"clientSecurityServerAddress":  "MRKCADDR2b7c",
	"serviceSecurityServerAddress": "MRKSADDR5a63",
	"faultString":                  "MRKFAULT1f90",
	"restPath":                     "MRKPATH7d2e",
}

// markedRecord is a record of the protocol with a marker (plus a serial) in
// every sensitive field; extra fields are appended as given.
func markedRecord(i int, side string, ts int64, succeeded bool, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"monitoringDataTs": %d, "securityServerType": %q, "requestInTs": %d, "requestOutTs": %d, "responseInTs": %d, "responseOutTs": %d, `,
		ts/1000+1, side, ts, ts+3, ts+90, ts+95)
	b.WriteString(`"clientXRoadInstance": "IR", "clientMemberClass": "GOV", "clientMemberCode": "1001", "clientSubsystemCode": "sabt", `)
	b.WriteString(`"serviceXRoadInstance": "IR", "serviceMemberClass": "GOV", "serviceMemberCode": "2001", "serviceSubsystemCode": "estelam", "serviceCode": "getPerson", "serviceVersion": "v1", `)
	for _, f := range []string{"messageUserId", "messageIssue", "representedPartyClass", "representedPartyCode", "securityServerInternalIp",
		"messageId", "xRequestId", "clientSecurityServerAddress", "serviceSecurityServerAddress", "faultString", "restPath"} {
		fmt.Fprintf(&b, `%q: "%s-%d", `, f, markers[f], i/2) // both sides of message i/2 share the ids
	}
	fmt.Fprintf(&b, `"faultCode": %q, "requestSize": 100, "responseSize": 200, "succeeded": %v%s}`, "Server.ServerProxy.ServiceFailed", succeeded, extra)
	return b.String()
}

// TestPrivacy feeds records carrying markers in every personal and
// sensitive field (good records, bad records of every kind, duplicates,
// values of the wrong type, broken lines) and looks for the markers in
// everything the package hands out: records, keys, reports, problems,
// aggregates, rollups, statuses and errors, printed with %+v and as JSON.
func TestPrivacy(t *testing.T) {
	base := int64(1710049500000)
	var recs []string
	for i := range 8 {
		side := "Client"
		if i%2 == 1 {
			side = "Producer"
		}
		recs = append(recs, markedRecord(i, side, base+int64(i)*1000, i != 4 && i != 5, ""))
	}
	recs = append(recs, recs[2]) // a duplicate
	// Bad records of every kind, all carrying the markers.
	bad := []string{
		strings.Replace(markedRecord(20, "Client", base, true, ""), `"clientMemberCode": "1001"`, `"clientMemberCode": null`, 1),
		markedRecord(21, "Client", base/1000, true, ""),
		markedRecord(22, "Gateway", base, true, ""),
		strings.Replace(markedRecord(23, "Client", base, true, ""), `"succeeded": true`, `"succeeded": "MRKUSER71c3"`, 1),
		strings.Replace(markedRecord(24, "Client", base, true, ""), `"clientSubsystemCode": "sabt"`, `"clientSubsystemCode": "MRKUSER71c3/x"`, 1),
		markedRecord(25, "Client", base, true, `, "requestSize": -1`),
		markedRecord(26, "Client", base, true, `, "messageUserId": {"nested": ["MRKUSER71c3"]}, "xRequestId": 12345`),
		`"MRKUSER71c3"`,
	}
	recs = append(recs, bad...)
	wrapper := []byte(`{"records": [` + strings.Join(recs, ",\n") + `]}`)
	lines := []byte(strings.Join(recs, "\n") + "\n" + `{"messageUserId": "MRKUSER71c3", "messageIssue": "MRKISSUE52a8` + "\n" + markedRecord(30, "Client", base, true, ""))

	var outputs []any
	for name, data := range map[string][]byte{"plain": wrapper, "gzip": gz(t, wrapper), "lines": lines} {
		m := map[AggregateKey]*Aggregate{}
		ag := NewAggregator(Collect(m), 0)
		r, err := NewReader(bytes.NewReader(data), Options{Known: func(s Subsystem) bool { return s.Code != "sabt" }})
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			rec := *r.Record()
			outputs = append(outputs, rec, rec.KeyString())
			if err := ag.Add(&rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ag.Close()
		rep := r.Report()
		if rep.Accepted < 8 || rep.Bad < 8 || rep.Duplicates != 1 || len(rep.Unknown) == 0 {
			t.Errorf("%s: report %+v", name, rep)
		}
		hours := Sorted(m)
		st := Evaluate(Integration{subA, svc1}, hours, time.UnixMilli(base).Add(time.Hour), Policy{})
		if st.Successes == 0 {
			t.Errorf("%s: no traffic seen: %+v", name, st)
		}
		outputs = append(outputs, *rep, hours, Rollup(hours), st)
	}
	// A syntax error inside a marked record: the error names the place.
	broken := []byte(`{"records": [` + recs[0] + `, ` + strings.Replace(recs[1], `"MRKMSGID08d5`, `"MRKMSGID08d5`+"\x01", 1) + `]}`)
	_, _, err := readAll(t, broken, Options{})
	if err == nil {
		t.Fatal("control character accepted")
	}
	outputs = append(outputs, err, err.Error())

	for i, o := range outputs {
		js, jerr := json.Marshal(o)
		if jerr != nil {
			js = []byte(jerr.Error())
		}
		text := fmt.Sprintf("%+v %#v %s", o, o, js)
		for field, mk := range markers {
			if strings.Contains(text, mk) {
				t.Errorf("output %d (%T) carries the marker of %s", i, o, field)
			}
		}
	}
}
