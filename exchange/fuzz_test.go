package exchange

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzReadRecords reads arbitrary input. The reader must not panic, must
// account for every element, must never accept what breaks JSON's grammar
// outside JSON Lines, and must read the fields it keeps exactly as
// encoding/json does. Seeds are in testdata/fuzz/FuzzReadRecords.
func FuzzReadRecords(f *testing.F) {
	f.Add([]byte(`{"records":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), Options{MaxRecordBytes: 4096, DedupWindow: 64, MaxProblems: 8})
		if err != nil {
			return
		}
		defer r.Close()
		plain := !r.rep.Compressed
		var n int64
		for r.Next() {
			n++
			rec := r.Record()
			if rec.Client.Validate("") != nil || rec.Service.Validate("") != nil {
				t.Fatalf("record %d with bad identities: %+v", rec.Number, rec)
			}
			if rec.RequestIn < minTs || rec.RequestIn >= maxTs || (rec.Side != SideClient && rec.Side != SideProducer) {
				t.Fatalf("record %d: %+v", rec.Number, rec)
			}
			if plain {
				compareWithStdlib(t, data[rec.Offset:], rec)
			}
		}
		rep := r.Report()
		if n != rep.Accepted {
			t.Fatalf("handed out %d, report says %d", n, rep.Accepted)
		}
		sum := rep.Accepted + rep.Bad + rep.Duplicates
		if sum != rep.Records && !(r.Err() != nil && sum == rep.Records-1) {
			t.Fatalf("records %d = accepted %d + bad %d + duplicates %d?", rep.Records, rep.Accepted, rep.Bad, rep.Duplicates)
		}
		if int64(len(rep.Problems))+rep.ProblemsOmitted != rep.Bad {
			t.Fatalf("problems %d + omitted %d != bad %d", len(rep.Problems), rep.ProblemsOmitted, rep.Bad)
		}
		if !plain {
			return
		}
		if r.Err() == nil && !r.lines {
			// Every top-level value was valid JSON.
			dec := json.NewDecoder(bytes.NewReader(data))
			for {
				var v json.RawMessage
				if err := dec.Decode(&v); err != nil {
					if err.Error() != "EOF" {
						t.Fatalf("accepted input that encoding/json refuses: %v", err)
					}
					break
				}
			}
		}
		if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' && json.Valid(data) && r.Err() != nil {
			if !strings.Contains(r.Err().Error(), "nested too deeply") && !strings.Contains(r.Err().Error(), "size limit") {
				t.Fatalf("refused a valid array: %v", r.Err())
			}
		}
	})
}

// compareWithStdlib decodes the value at the start of b with encoding/json
// and checks the fields the reader kept.
func compareWithStdlib(t *testing.T, b []byte, rec *Record) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("record %d: encoding/json cannot read it: %v", rec.Number, err)
	}
	str := func(k string) string {
		s, _ := m[k].(string)
		return s
	}
	want := []string{str("clientXRoadInstance"), str("clientMemberClass"), str("clientMemberCode"), str("clientSubsystemCode"),
		str("serviceXRoadInstance"), str("serviceMemberClass"), str("serviceMemberCode"), str("serviceSubsystemCode"), str("serviceCode"), str("serviceVersion")}
	got := []string{rec.Client.Instance, rec.Client.Class, rec.Client.Member.Code, rec.Client.Code,
		rec.Service.Provider.Instance, rec.Service.Provider.Class, rec.Service.Provider.Member.Code, rec.Service.Provider.Code, rec.Service.Code, rec.Service.Version}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("record %d: identity part %d is %q, encoding/json reads %q", rec.Number, i, got[i], want[i])
		}
	}
	if n, ok := m["requestInTs"].(json.Number); !ok || (n.String() != "" && func() bool { v, err := n.Int64(); return err == nil && v != rec.RequestIn }()) {
		t.Fatalf("record %d: requestInTs %v, encoding/json reads %v", rec.Number, rec.RequestIn, m["requestInTs"])
	}
	if s, ok := m["succeeded"].(bool); !ok || s != rec.Succeeded {
		t.Fatalf("record %d: succeeded %v, encoding/json reads %v", rec.Number, rec.Succeeded, m["succeeded"])
	}
}
